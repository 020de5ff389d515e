//! Date arithmetic that never panics: far-off dates saturate at the ends of
//! chrono's range instead of overflowing.

use chrono::{Duration, Months, NaiveDate};

/// The first and last day saps accepts in any date or clock value: far
/// enough either way for any engagement, and printable as RFC 3339.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// `d` when it lies from [`FIRST_DAY`] to [`LAST_DAY`]; otherwise a sentence
/// naming the range (the caller names the field).
pub fn in_range(d: NaiveDate) -> Result<NaiveDate, String> {
    if (FIRST_DAY..=LAST_DAY).contains(&d) {
        return Ok(d);
    }
    Err(format!(
        "{} is outside the dates saps accepts ({FIRST_DAY} to {LAST_DAY})",
        d.format("%Y-%m-%d")
    ))
}

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
    fn the_accepted_range() {
        assert!(in_range(FIRST_DAY).is_ok() && in_range(LAST_DAY).is_ok());
        let e = in_range(add_days(LAST_DAY, 1)).unwrap_err();
        assert!(
            e.contains("2200-01-01") && e.contains("1990-01-01 to 2199-12-31"),
            "{e}"
        );
        assert!(in_range(add_days(FIRST_DAY, -1)).is_err());
    }

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
