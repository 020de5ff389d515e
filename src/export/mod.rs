//! `saps export --format json|csv`: everything the database holds, with the
//! statuses and remaining days computed on the clock's day.

pub mod csv;
pub mod json;

use crate::cli::{Fatal, Format, Settings};
use crate::store::Store;
use std::io::{self, BufWriter, Write};

/// Reads the database, lets it go, then prints the export to standard output.
pub fn run(settings: &Settings, format: Format) -> Result<(), Fatal> {
    let today = settings.now().date_naive();
    crate::cli::existing_database(&settings.db, "export")?;
    let store = Store::open_existing(&settings.db)?;
    let state = store.load()?;
    let text = match format {
        Format::Json => json::render(&state, &store.events()?, today),
        Format::Csv => csv::render(&state, today),
    };
    drop(store);
    let mut out = BufWriter::new(io::stdout().lock());
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Fatal(format!("cannot write the output: {e}")))
}
