//! A spreadsheet as rows of cells: a CSV file (read with the `csv` crate,
//! comma, semicolon or tab as its first line shows) or the first sheet of an
//! .xlsx workbook (read with calamine). Row numbers are the ones a
//! spreadsheet program shows: the header is row 1 when it is the first row.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// One cell, typed as the file held it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A spreadsheet date (or date and time: the day is kept).
    Date(NaiveDate),
    Bool(bool),
    /// A cell that cannot be read, and why ("#DIV/0!", "not UTF-8 text").
    Unreadable(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The header row and the rows under it, each with its row number.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<Cell>)>,
}

/// Reads `path`: an .xlsx workbook when its name or first bytes say so,
/// else CSV. `Err` is a sentence saying why the file cannot be read.
pub fn read(path: &Path) -> Result<Table, String> {
    let shown = path.display();
    let mut start = [0u8; 4];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let zip = n >= 4 && start == *b"PK\x03\x04";
    if zip || matches!(ext.as_str(), "xlsx" | "xlsm") {
        read_xlsx(path).map_err(|e| format!("cannot read the workbook {shown}: {e}"))
    } else {
        read_csv(path).map_err(|e| format!("cannot read the CSV file {shown}: {e}"))
    }
}

fn read_xlsx(path: &Path) -> Result<Table, String> {
    let mut book: Xlsx<BufReader<File>> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("it has no sheet")?
        .map_err(|e| e.to_string())?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let rows = range.rows().enumerate().map(|(i, cells)| {
        // Cells left of the used range are empty: keep columns where they are.
        let mut row = vec![Cell::Empty; first_col];
        row.extend(cells.iter().map(cell));
        (first_row + i as u64 + 1, row)
    });
    Ok(with_header(rows))
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.is_datetime() => Cell::Date(t.date()),
            _ => Cell::Unreadable(format!("a time span ({dt}), not a date")),
        },
        Data::DateTimeIso(s) => match s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            Some(d) => Cell::Date(d),
            None => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Unreadable(format!("a time span ({s}), not a date")),
        Data::Error(e) => Cell::Unreadable(format!("the cell holds the error {e}")),
    }
}

fn read_csv(path: &Path) -> Result<Table, String> {
    let mut first = Vec::new();
    File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut first))
        .map_err(|e| e.to_string())?;
    let line = first
        .split(|b| *b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or(&[]);
    let count = |c: u8| line.iter().filter(|b| **b == c).count();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_path(path)
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| e.to_string())?;
        // The line it starts on: blank lines (which the reader skips) count.
        let line = record.position().map_or(0, |p| p.line());
        let cells = record
            .iter()
            .map(|b| match std::str::from_utf8(b) {
                Ok("") => Cell::Empty,
                Ok(s) => Cell::Text(s.to_owned()),
                Err(_) => Cell::Unreadable("not UTF-8 text (save the file as CSV UTF-8)".into()),
            })
            .collect();
        rows.push((line, cells));
    }
    Ok(with_header(rows))
}

/// The first row with anything in it is the header; the rows after it are
/// the data.
fn with_header(rows: impl IntoIterator<Item = (u64, Vec<Cell>)>) -> Table {
    let mut rows = rows
        .into_iter()
        .skip_while(|(_, cells)| cells.iter().all(Cell::is_empty));
    let header = rows
        .next()
        .map(|(_, cells)| {
            cells
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => s.trim().trim_start_matches('\u{feff}').to_owned(),
                    Cell::Number(n) => n.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    Table {
        header,
        rows: rows.collect(),
    }
}

/// A column's letters as a spreadsheet shows them: 0 is A, 26 is AA.
pub fn letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }

    #[test]
    fn a_csv_with_semicolons_and_a_blank_first_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "\n\u{feff}Voucher ID;Days\nV-1;\"5\"\n").unwrap();
        let t = read(&path).unwrap();
        assert_eq!(t.header, ["Voucher ID", "Days"]);
        assert_eq!(
            t.rows,
            [(3, vec![Cell::Text("V-1".into()), Cell::Text("5".into())])]
        );
    }
}
