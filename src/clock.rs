//! Reading clock values and dates typed by a person or a script.
//!
//! A clock value is either a bare date `YYYY-MM-DD`, meaning 12:00 UTC that
//! day, or an RFC 3339 instant. Pure: the real clock is read by the caller.

use crate::domain::dates::in_range;
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};

/// A bare date stands for noon UTC, so that it is the same day everywhere.
const NOON: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// What a clock value must look like, for error messages.
pub const CLOCK_EXPECTED: &str = "expected a date YYYY-MM-DD or an RFC 3339 instant";

/// A strict `YYYY-MM-DD` date (surrounding spaces allowed): four-digit year,
/// two-digit month and day, and a day that exists.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses a clock value. The error is a sentence without the option's name;
/// the caller names the option or field it came from.
///
/// The day must lie in the accepted range (`domain::dates::in_range`), and a
/// leap second (`23:59:60`) is refused: saps keeps instants as milliseconds
/// since the epoch, which have no leap seconds, so it would be stored and
/// shown as the next second (the next day) rather than what was typed.
pub fn parse_clock(s: &str) -> Result<DateTime<Utc>, String> {
    if let Some(d) = parse_date(s) {
        in_range(d)?;
        return Ok(d.and_time(NOON).and_utc());
    }
    let t = DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{CLOCK_EXPECTED}, got {:?}", shorten(s)))?;
    if t.nanosecond() >= 1_000_000_000 {
        return Err(format!(
            "{:?} is a leap second (:60), which saps does not keep; give :59 or the next minute",
            shorten(s)
        ));
    }
    in_range(t.date_naive())?;
    Ok(t)
}

pub use crate::domain::rejection::shorten;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_date_is_noon_utc() {
        let t = parse_clock("2026-03-02").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T12:00:00+00:00");
    }

    #[test]
    fn rfc3339_with_offset_is_converted_to_utc() {
        let t = parse_clock("2026-03-02T01:30:00+02:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T23:30:00+00:00");
    }

    #[test]
    fn impossible_or_loose_dates_are_refused() {
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(parse_date("+2026-02-03").is_none());
        assert!(parse_date("2026-02-03x").is_none());
        assert_eq!(parse_date(" 2024-02-29 "), NaiveDate::from_ymd_opt(2024, 2, 29));
        let e = parse_clock("tomorrow").unwrap_err();
        assert!(e.contains("YYYY-MM-DD") && e.contains("\"tomorrow\""), "{e}");
    }

    #[test]
    fn clock_values_outside_the_range_or_leap_seconds_are_refused() {
        for bad in [
            "9999-12-31",
            "1989-12-31",
            "2200-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
        ] {
            let e = parse_clock(bad).unwrap_err();
            assert!(e.contains("1990-01-01 to 2199-12-31"), "{bad}: {e}");
        }
        let e = parse_clock("2026-06-30T23:59:60Z").unwrap_err();
        assert!(e.contains("leap second"), "{e}");
        assert!(parse_clock("2199-12-31T23:59:59Z").is_ok());
        assert!(parse_clock("1990-01-01").is_ok());
    }

    #[test]
    fn shorten_cuts_on_a_char_boundary() {
        let long = "é".repeat(50);
        assert_eq!(shorten(&long).chars().count(), 43);
        assert_eq!(shorten("short"), "short");
    }
}
