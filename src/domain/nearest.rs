//! The nearest known name to one typed: a small edit distance, for the
//! "did you mean …?" of a refusal.

/// The number of single-character insertions, deletions and substitutions
/// that turn `a` into `b`, ignoring case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known name closest to `typed`, when it is close enough to be a typo
/// of it (at most a third of its letters differ, and at most 4).
pub fn nearest<'k>(typed: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let typed = typed.trim();
    // A long paste is not a typo; this also bounds the work.
    if typed.chars().count() > 100 {
        return None;
    }
    let (best, distance) = known
        .into_iter()
        .map(|k| (k, edit_distance(typed, k)))
        .min_by_key(|(_, d)| *d)?;
    let limit = (best.chars().count() / 3).clamp(1, 4);
    (distance <= limit).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("Messagin", "Messaging"), 1);
        assert_eq!(edit_distance("datacentre", "Datacenter"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "SAME"), 0);
    }

    #[test]
    fn nearest_only_when_close() {
        let known = ["Messaging", "Datacenter", "Data Platform"];
        assert_eq!(nearest("Messagin", known), Some("Messaging"));
        assert_eq!(nearest("data platfrom", known), Some("Data Platform"));
        assert_eq!(nearest("Underwater Basket Weaving", known), None);
    }
}
