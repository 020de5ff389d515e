//! Date arithmetic that never panics: far-off dates saturate at the ends of
//! chrono's range instead of overflowing.

use chrono::{Duration, Months, NaiveDate};

pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    let limit = if n >= 0 { NaiveDate::MAX } else { NaiveDate::MIN };
    Duration::try_days(n)
        .and_then(|dur| d.checked_add_signed(dur))
        .unwrap_or(limit)
}

pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_instead_of_panicking() {
        assert_eq!(add_days(NaiveDate::MAX, 180), NaiveDate::MAX);
        assert_eq!(add_days(NaiveDate::MIN, -1), NaiveDate::MIN);
        assert_eq!(add_months(NaiveDate::MAX, 12), NaiveDate::MAX);
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(add_days(d, 1), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
        assert_eq!(add_months(d, 12), NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
    }
}
