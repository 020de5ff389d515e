//! Serde helpers for dates and instants.
//!
//! Human-readable formats (JSON) see `YYYY-MM-DD` and RFC 3339 strings; compact
//! formats (bincode, the store) see integers: days since 1970-01-01 and
//! milliseconds since the Unix epoch. Text is read only inside the dates saps
//! accepts (1990 to 2199, `dates::in_range`) and without leap seconds, so what
//! is read prints back as the same valid RFC 3339.

use super::dates::in_range;
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();

fn to_days(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

fn from_days<E: Error>(n: i32) -> Result<NaiveDate, E> {
    EPOCH
        .checked_add_signed(chrono::Duration::days(n as i64))
        .ok_or_else(|| E::custom("date out of range"))
}

/// `#[serde(with = "date")]` for `NaiveDate` fields.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(&d.format("%Y-%m-%d"))
        } else {
            s.serialize_i32(to_days(*d))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            let day = NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(D::Error::custom)?;
            in_range(day).map_err(D::Error::custom)
        } else {
            from_days(i32::deserialize(d)?)
        }
    }
}

/// `#[serde(with = "opt_date")]` for `Option<NaiveDate>` fields.
pub mod opt_date {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct W(#[serde(with = "super::date")] NaiveDate);

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        d.map(W).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}

/// `#[serde(with = "ts")]` for `DateTime<Utc>` fields.
pub mod ts {
    use super::*;

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        } else {
            s.serialize_i64(t.timestamp_millis())
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            let t = DateTime::parse_from_rfc3339(&s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(D::Error::custom)?;
            // A leap second would be kept as the next second (see `clock`).
            if t.nanosecond() >= 1_000_000_000 {
                return Err(D::Error::custom(format!("{s} is a leap second")));
            }
            in_range(t.date_naive()).map_err(D::Error::custom)?;
            Ok(t)
        } else {
            DateTime::from_timestamp_millis(i64::deserialize(d)?)
                .ok_or_else(|| D::Error::custom("timestamp out of range"))
        }
    }
}

/// `#[serde(with = "opt_ts")]` for `Option<DateTime<Utc>>` fields.
pub mod opt_ts {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct W(#[serde(with = "super::ts")] DateTime<Utc>);

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        t.map(W).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}
