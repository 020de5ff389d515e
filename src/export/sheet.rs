//! One worksheet written row by row in rust_xlsxwriter's constant-memory
//! mode (each finished row goes to a temporary file), remembering only how
//! wide each column's content was, so the columns can be sized to it.

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Excel refuses longer strings in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// The widest a column is sized, in characters.
const MAX_WIDTH: usize = 60;

/// The formats every sheet shares.
pub struct Formats {
    pub header: Format,
    pub date: Format,
    pub timestamp: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            timestamp: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        }
    }
}

pub struct Sheet {
    sheet: Worksheet,
    /// The row being written (0 is the header).
    row: u32,
    widths: Vec<usize>,
    /// Which columns already carry the date (or date and time) format.
    formatted: Vec<bool>,
}

impl Sheet {
    /// A constant-memory sheet named `name` with a bold header row.
    pub fn new(book: &mut Workbook, name: &str, header: &[&str], f: &Formats) -> Result<Sheet, XlsxError> {
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        let mut s = Sheet {
            sheet,
            row: 0,
            widths: vec![0; header.len()],
            formatted: vec![false; header.len()],
        };
        for (col, h) in header.iter().enumerate() {
            s.sheet.write_string_with_format(0, col as u16, *h, &f.header)?;
            s.widen(col, h.chars().count() + 2);
        }
        Ok(s)
    }

    /// The rows written below the header.
    pub fn rows(&self) -> u32 {
        self.row
    }

    /// Starts the next row.
    pub fn next_row(&mut self) {
        self.row += 1;
    }

    fn widen(&mut self, col: usize, chars: usize) {
        if let Some(w) = self.widths.get_mut(col) {
            *w = (*w).max(chars.min(MAX_WIDTH));
        }
    }

    /// A text cell; an empty text leaves the cell empty.
    pub fn text(&mut self, col: usize, s: &str) -> Result<(), XlsxError> {
        if s.is_empty() {
            return Ok(());
        }
        // A text has no more characters than bytes: most need no counting.
        let s = match s.len() > MAX_CELL_CHARS {
            true => match s.char_indices().nth(MAX_CELL_CHARS) {
                Some((i, _)) => &s[..i],
                None => s,
            },
            false => s,
        };
        if self.widths.get(col).is_some_and(|w| s.len() > *w) {
            self.widen(col, s.chars().count());
        }
        self.sheet.write_string(self.row, col as u16, s)?;
        Ok(())
    }

    /// [`Sheet::text`] of a text made for this cell, handed on without a copy.
    pub fn owned_text(&mut self, col: usize, s: String) -> Result<(), XlsxError> {
        if s.is_empty() || s.len() > MAX_CELL_CHARS {
            return self.text(col, &s);
        }
        if self.widths.get(col).is_some_and(|w| s.len() > *w) {
            self.widen(col, s.chars().count());
        }
        self.sheet.write_string(self.row, col as u16, s)?;
        Ok(())
    }

    /// A whole number, in `format` (a currency's) or the general one.
    pub fn number(&mut self, col: usize, n: i64, format: Option<&Format>) -> Result<(), XlsxError> {
        // Thousands separators and a currency code take room too.
        let digits = n.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1 + (n < 0) as usize;
        self.widen(col, digits + if format.is_some() { 6 } else { 1 });
        match format {
            Some(f) => self
                .sheet
                .write_number_with_format(self.row, col as u16, n as f64, f)?,
            None => self.sheet.write_number(self.row, col as u16, n as f64)?,
        };
        Ok(())
    }

    /// A day, as a spreadsheet date: its serial number, in the column's
    /// date format (set once, so no cell looks a format up).
    pub fn date(&mut self, col: usize, d: NaiveDate, f: &Formats) -> Result<(), XlsxError> {
        self.widen(col, 10);
        match serial(d) {
            Some(n) => {
                self.format_column(col, &f.date)?;
                self.sheet.write_number(self.row, col as u16, n)?
            }
            None => self
                .sheet
                .write_datetime_with_format(self.row, col as u16, d, &f.date)?,
        };
        Ok(())
    }

    /// A UTC time, as a spreadsheet date and time.
    pub fn time(&mut self, col: usize, t: DateTime<Utc>, f: &Formats) -> Result<(), XlsxError> {
        self.widen(col, 16);
        let t = t.naive_utc();
        match serial(t.date()) {
            Some(day) => {
                let time = t.time();
                let seconds = time.num_seconds_from_midnight() as f64 + time.nanosecond() as f64 / 1e9;
                self.format_column(col, &f.timestamp)?;
                self.sheet
                    .write_number(self.row, col as u16, day + seconds / 86_400.0)?
            }
            None => self
                .sheet
                .write_datetime_with_format(self.row, col as u16, t, &f.timestamp)?,
        };
        Ok(())
    }

    fn format_column(&mut self, col: usize, format: &Format) -> Result<(), XlsxError> {
        if !self.formatted[col] {
            self.sheet.set_column_format(col as u16, format)?;
            self.formatted[col] = true;
        }
        Ok(())
    }

    /// The header frozen and filterable, the columns sized to their content.
    pub fn finish(mut self) -> Result<Worksheet, XlsxError> {
        self.sheet.set_freeze_panes(1, 0)?;
        let last_col = self.widths.len().saturating_sub(1) as u16;
        self.sheet.autofilter(0, 0, self.row.max(1), last_col)?;
        for (col, w) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(col as u16, (*w as f64 + 1.0).max(6.0))?;
        }
        Ok(self.sheet)
    }
}

/// A day's spreadsheet serial number (days since 1899-12-30, as Excel
/// counts from March 1900 on); `None` before that, left to the library's
/// conversion, which knows Excel's leap day of 1900.
fn serial(d: NaiveDate) -> Option<f64> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let first = NaiveDate::from_ymd_opt(1900, 3, 1)?;
    (d >= first).then(|| (d - epoch).num_days() as f64)
}
