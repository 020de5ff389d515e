//! Which column holds which field, and a row as the JSON object of one
//! command (`add_customer` or `receive_voucher`), typed for `input::parse_line`.
//!
//! Header names are matched ignoring case, spaces, underscores and other
//! punctuation ("Voucher ID", "voucher_id", "VOUCHER-ID"), and a few common
//! spellings are recognised (see [`ALIASES`]).

use super::table::{Cell, letters};
use crate::domain::{Code, Rejection};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Date,
}

/// The fields a sheet may carry: those of `add_customer` and
/// `receive_voucher`, with the kind of value each takes.
const FIELDS: [(&str, Kind); 10] = [
    ("licensing_id", Kind::Text),
    ("name", Kind::Text),
    ("planning_days", Kind::Int),
    ("agreement_expires", Kind::Date),
    ("voucher_id", Kind::Text),
    ("customer", Kind::Text),
    ("offering", Kind::Text),
    ("days", Kind::Int),
    ("created_on", Kind::Date),
    ("admin_email", Kind::Text),
];

const CUSTOMER_FIELDS: [&str; 4] = ["licensing_id", "name", "planning_days", "agreement_expires"];
const VOUCHER_FIELDS: [&str; 6] = [
    "voucher_id",
    "customer",
    "offering",
    "days",
    "created_on",
    "admin_email",
];

/// Other names seen in partners' trackers (already without case, spaces
/// and punctuation), and the field each means.
pub const ALIASES: [(&str, &str); 30] = [
    ("licenseid", "licensing_id"),
    ("licensingnumber", "licensing_id"),
    ("agreementnumber", "licensing_id"),
    ("customername", "name"),
    ("company", "name"),
    ("companyname", "name"),
    ("pool", "planning_days"),
    ("planningdayspool", "planning_days"),
    ("agreementend", "agreement_expires"),
    ("agreementexpiry", "agreement_expires"),
    ("agreementenddate", "agreement_expires"),
    ("agreementexpireson", "agreement_expires"),
    ("saend", "agreement_expires"),
    ("voucher", "voucher_id"),
    ("vouchernumber", "voucher_id"),
    ("customerid", "customer"),
    ("customerlicensingid", "customer"),
    ("offeringcode", "offering"),
    ("program", "offering"),
    ("voucherdays", "days"),
    ("servicelevel", "days"),
    ("created", "created_on"),
    ("createddate", "created_on"),
    ("creationdate", "created_on"),
    ("datecreated", "created_on"),
    ("voucheradministrator", "admin_email"),
    ("voucheradministratoremail", "admin_email"),
    ("voucheradminemail", "admin_email"),
    ("administratoremail", "admin_email"),
    ("voucheradmin", "admin_email"),
];

/// A header's name without case, spaces, underscores or punctuation.
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The field a header names, if any.
pub fn field_of(header: &str) -> Option<&'static str> {
    let h = squash(header);
    FIELDS
        .iter()
        .map(|(f, _)| *f)
        .find(|f| squash(f) == h)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == h).map(|(_, f)| *f))
}

/// The columns of a sheet: which field each holds.
#[derive(Debug, Clone)]
pub struct Columns {
    /// (column index, field, header as written), by column.
    known: Vec<(usize, &'static str, String)>,
    /// Headers that name no field, as `Notes (F)`.
    pub ignored: Vec<String>,
}

impl Columns {
    /// Matches the header. `Err` when two columns name the same field or
    /// none names a field at all.
    pub fn new(header: &[String]) -> Result<Columns, String> {
        let mut known: Vec<(usize, &'static str, String)> = Vec::new();
        let mut ignored = Vec::new();
        for (i, h) in header.iter().enumerate() {
            match field_of(h) {
                Some(f) => {
                    if let Some((j, _, other)) = known.iter().find(|(_, g, _)| *g == f) {
                        return Err(format!(
                            "columns {} \"{other}\" and {} \"{h}\" both hold {f}; keep one",
                            letters(*j),
                            letters(i)
                        ));
                    }
                    known.push((i, f, h.clone()));
                }
                None if h.is_empty() => {}
                None => ignored.push(format!("{h} ({})", letters(i))),
            }
        }
        if known.is_empty() {
            return Err(format!(
                "the header row names none of the fields ({}, or for customers {})",
                VOUCHER_FIELDS.join(", "),
                CUSTOMER_FIELDS.join(", ")
            ));
        }
        Ok(Columns { known, ignored })
    }

    fn column(&self, field: &str) -> Option<&(usize, &'static str, String)> {
        self.known.iter().find(|(_, f, _)| *f == field)
    }

    fn cell<'a>(&self, row: &'a [Cell], field: &str) -> Option<&'a Cell> {
        let (i, _, _) = self.column(field)?;
        row.get(*i).filter(|c| !c.is_empty())
    }

    /// `column E "Days"`: where a field's value was read from. A voucher's
    /// customer may come from the licensing ID column.
    pub fn place(&self, field: &str) -> Option<String> {
        let (i, _, h) = self.column(field).or_else(|| {
            (field == "customer")
                .then(|| self.column("licensing_id"))
                .flatten()
        })?;
        Some(format!("column {} \"{h}\"", letters(*i)))
    }

    /// The row as one command's object: `receive_voucher` when it has a
    /// voucher ID, else `add_customer`. `None` for a row with nothing in the
    /// columns read; `Err` names the first cell that cannot be read.
    pub fn command(&self, row: &[Cell]) -> Option<Result<Map<String, Value>, Rejection>> {
        if self
            .known
            .iter()
            .all(|(i, _, _)| row.get(*i).is_none_or(Cell::is_empty))
        {
            return None;
        }
        let voucher = self.cell(row, "voucher_id").is_some();
        let (cmd, fields) = if voucher {
            ("receive_voucher", &VOUCHER_FIELDS[..])
        } else {
            ("add_customer", &CUSTOMER_FIELDS[..])
        };
        let mut map = Map::new();
        map.insert("cmd".into(), Value::from(cmd));
        for &(field, kind) in FIELDS.iter().filter(|(f, _)| fields.contains(f)) {
            let mut cell = self.cell(row, field);
            if field == "customer" && cell.is_none() {
                cell = self.cell(row, "licensing_id");
            }
            let Some(cell) = cell else { continue };
            match value(cell, kind) {
                Ok(v) => map.insert(field.into(), v),
                Err(why) => return Some(Err(Rejection::field(Code::InvalidInput, field, why))),
            };
        }
        Some(Ok(map))
    }
}

/// A cell as the JSON value `input::parse_line` reads for a field of `kind`;
/// what it cannot take is passed on as it is, for it to refuse in words.
fn value(cell: &Cell, kind: Kind) -> Result<Value, String> {
    Ok(match (cell, kind) {
        (Cell::Unreadable(why), _) => return Err(why.clone()),
        (Cell::Date(d), _) => Value::from(d.format("%Y-%m-%d").to_string()),
        (Cell::Number(n), Kind::Int | Kind::Text) if n.fract() == 0.0 && n.abs() < 1e15 => match kind {
            Kind::Int => Value::from(*n as i64),
            _ => Value::from((*n as i64).to_string()),
        },
        (Cell::Number(n), Kind::Text) => Value::from(n.to_string()),
        (Cell::Number(n), _) => Value::from(*n),
        (Cell::Text(s), Kind::Int) => match s.trim().parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => Value::from(s.trim()),
        },
        (Cell::Text(s), _) => Value::from(s.trim()),
        (Cell::Bool(b), _) => Value::from(*b),
        (Cell::Empty, _) => Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case_spaces_or_underscores() {
        assert_eq!(field_of("Voucher ID"), Some("voucher_id"));
        assert_eq!(field_of("voucher_id"), Some("voucher_id"));
        assert_eq!(field_of(" LICENSING id "), Some("licensing_id"));
        assert_eq!(field_of("Planning days"), Some("planning_days"));
        assert_eq!(field_of("Voucher administrator"), Some("admin_email"));
        assert_eq!(field_of("Notes"), None);
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let e = Columns::new(&h(&["Voucher ID", "Days", "voucher_id"])).unwrap_err();
        assert!(e.contains("A \"Voucher ID\" and C \"voucher_id\""), "{e}");
        assert!(Columns::new(&h(&["Notes", "Status"])).is_err());
    }

    #[test]
    fn a_row_becomes_the_command_it_names() {
        let h: Vec<String> = ["Licensing ID", "Voucher ID", "Days", "Created on", "Notes"]
            .map(String::from)
            .to_vec();
        let cols = Columns::new(&h).unwrap();
        assert_eq!(cols.ignored, ["Notes (E)"]);
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let row = [
            Cell::Number(10001.0),
            Cell::Text("v-1".into()),
            Cell::Number(5.0),
            Cell::Date(date),
        ];
        let map = cols.command(&row).unwrap().unwrap();
        assert_eq!(
            Value::Object(map),
            serde_json::json!({"cmd": "receive_voucher", "voucher_id": "v-1", "customer": "10001", "days": 5, "created_on": "2026-03-01"})
        );
        assert_eq!(cols.place("customer").unwrap(), "column A \"Licensing ID\"");
        assert!(cols.command(&[Cell::Empty, Cell::Text(" ".into())]).is_none());
    }
}
