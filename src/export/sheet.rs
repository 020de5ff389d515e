//! One worksheet written row by row in rust_xlsxwriter's constant-memory
//! mode (each finished row goes to a temporary file), remembering only how
//! wide each column's content was, so the columns can be sized to it.

use chrono::{DateTime, NaiveDate, Utc};
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
        };
        for (col, h) in header.iter().enumerate() {
            s.sheet.write_string_with_format(0, col as u16, *h, &f.header)?;
            s.widen(col, h.chars().count() + 2);
        }
        Ok(s)
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
        let s = match s.char_indices().nth(MAX_CELL_CHARS) {
            Some((i, _)) => &s[..i],
            None => s,
        };
        self.widen(col, s.chars().count());
        self.sheet.write_string(self.row, col as u16, s)?;
        Ok(())
    }

    pub fn number(&mut self, col: usize, n: f64, format: Option<&Format>) -> Result<(), XlsxError> {
        // Thousands separators and a currency code take room too.
        self.widen(col, n.to_string().len() + if format.is_some() { 6 } else { 1 });
        match format {
            Some(f) => self.sheet.write_number_with_format(self.row, col as u16, n, f)?,
            None => self.sheet.write_number(self.row, col as u16, n)?,
        };
        Ok(())
    }

    pub fn date(&mut self, col: usize, d: NaiveDate, f: &Formats) -> Result<(), XlsxError> {
        self.widen(col, 10);
        self.sheet
            .write_datetime_with_format(self.row, col as u16, d, &f.date)?;
        Ok(())
    }

    /// A UTC time, as a spreadsheet date and time.
    pub fn time(&mut self, col: usize, t: DateTime<Utc>, f: &Formats) -> Result<(), XlsxError> {
        self.widen(col, 16);
        self.sheet
            .write_datetime_with_format(self.row, col as u16, t.naive_utc(), &f.timestamp)?;
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
