//! `saps export --format json|csv|xlsx|ics [--output FILE]`: everything the
//! database holds, with the statuses and remaining days computed on the
//! clock's day; the workbook and the calendar read the records one at a time.

pub mod audit;
pub mod csv;
pub mod ics;
pub mod json;
mod sheet;
pub mod streamed;
pub mod xlsx;

use crate::domain::Catalog;
use crate::fatal::Fatal;
use crate::settings::Settings;
use crate::store::durable::{AtomicFile, parent_dir, sync_dir, temp_beside};
use crate::store::{Backend, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

/// What `saps export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Everything, one object.
    Json,
    /// The voucher table.
    Csv,
    /// The Excel workbook.
    Xlsx,
    /// The deadline calendar.
    Ics,
}

/// The export's clock: `--now`, else a demo database's demo clock, else the
/// real one.
fn demo_now(settings: &Settings, store: &dyn Backend) -> Result<DateTime<Utc>, Fatal> {
    let demo = settings.now.map_or_else(|| store.demo_clock(), |_| Ok(None))?;
    Ok(demo.unwrap_or_else(|| settings.now()))
}

fn demo_today(settings: &Settings, store: &dyn Backend) -> Result<chrono::NaiveDate, Fatal> {
    demo_now(settings, store).map(|t| t.date_naive())
}

/// Reads the database and writes the export to `output`, or to standard
/// output (a workbook only when that is not a terminal).
pub fn run(settings: &Settings, format: Format, output: Option<&Path>) -> Result<(), Fatal> {
    if format == Format::Xlsx && output.is_none() && io::stdout().is_terminal() {
        return Err(Fatal(
            "an .xlsx workbook is not for a terminal: give --output FILE, or redirect the output to a file"
                .into(),
        ));
    }
    crate::settings::existing_database(&settings.db, "export")?;
    let catalog = settings.load_catalog()?;
    // A sled database streams JSON and CSV record by record; a server's
    // (and the workbook and calendar) read through the Backend.
    if matches!(format, Format::Json | Format::Csv) && !crate::store::is_server(&settings.db) {
        let store = Store::open_scan(&settings.db)?;
        let today = demo_today(settings, &store)?;
        let written = stream_out(&store, format, today, output);
        drop(store);
        return written;
    }
    // The workbook reads each record once too: sled's small scan cache.
    let store: std::sync::Arc<dyn Backend> = match (format, crate::store::is_server(&settings.db)) {
        (Format::Xlsx, false) => std::sync::Arc::new(Store::open_scan(&settings.db)?),
        _ => crate::store::open_existing(&settings.db)?,
    };
    let now = demo_now(settings, &*store)?;
    let today = now.date_naive();
    if format == Format::Xlsx {
        let mut book = workbook(&*store, &catalog, now)?;
        drop(store);
        return match output {
            Some(path) => save_workbook(&mut book, path),
            None => {
                let bytes = book.save_to_buffer().map_err(unwritten)?;
                write_out(None, &bytes)
            }
        };
    }
    let text = match format {
        Format::Json => {
            let state = store.load()?;
            let mut events = Vec::new();
            store.for_each_event(&mut |r| events.push(r))?;
            json::render(&state, &events, today)
        }
        Format::Csv => csv::render(&store.load()?, today),
        Format::Ics | Format::Xlsx => calendar(&*store, &catalog, now)?,
    };
    drop(store);
    write_out(output, text.as_bytes())
}

/// The JSON or CSV export written as the database is read (see
/// [`streamed`]: memory does not grow with the data), to `output` (under a
/// temporary name, renamed into place once whole) or standard output.
fn stream_out(store: &Store, format: Format, today: NaiveDate, output: Option<&Path>) -> Result<(), Fatal> {
    let write = |out: &mut dyn Write| match format {
        Format::Json => streamed::json(store, today, out),
        _ => streamed::csv(store, today, out),
    };
    let failed = |f: streamed::Failure, target: &str| match f {
        streamed::Failure::Store(e) => Fatal::from(e),
        streamed::Failure::Write(e) => Fatal(format!("cannot write {target}: {e}")),
    };
    match output {
        Some(path) => {
            let target = path.display().to_string();
            let file = AtomicFile::create(path).map_err(|e| failed(streamed::Failure::Write(e), &target))?;
            let mut out = BufWriter::new(file);
            write(&mut out).map_err(|f| failed(f, &target))?;
            let file = out
                .into_inner()
                .map_err(|e| failed(streamed::Failure::Write(e.into_error()), &target))?;
            file.commit(true)
                .map_err(|e| failed(streamed::Failure::Write(e), &target))
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush().map_err(streamed::Failure::Write))
                .map_err(|f| failed(f, "the output"))
        }
    }
}

/// The workbook of everything in `store` (see [`xlsx`]), not yet saved:
/// the customers, the vouchers, then the audit log, each visited once.
/// Two cores share the work: the audit log's events are read and written
/// on a second thread while this one reads and writes the records.
pub fn workbook(store: &dyn Backend, catalog: &Catalog, now: DateTime<Utc>) -> Result<Workbook, Fatal> {
    let org = store.working_state()?.org;
    let mut book = xlsx::Book::new(&org, catalog, now.date_naive()).map_err(unwritten)?;
    let (records, log, sheets) = book.parts();
    let (records, events) = std::thread::scope(|scope| {
        let events = scope.spawn(move || {
            let mut kept = Kept::default();
            let read = store.for_each_event(&mut |r| kept.keep(|| log.row(sheets, r)));
            kept.result(read)
        });
        let mut kept = Kept::default();
        let read = store
            .for_each_customer(&mut |c, ledger| kept.keep(|| records.customer(&c, &ledger)))
            .and_then(|()| store.for_each_voucher(&mut |v| kept.keep(|| records.voucher(&v))));
        let records = kept.result(read);
        let events = events
            .join()
            .unwrap_or_else(|_| Err(Fatal("cannot write the workbook: its audit sheet stopped".into())));
        (records, events)
    });
    records.and(events)?;
    book.finish().map_err(unwritten)
}

/// The first failure writing a sheet's rows: the store's visits cannot stop
/// early, so the rows after it are skipped and it is reported.
#[derive(Default)]
struct Kept(Option<XlsxError>);

impl Kept {
    fn keep(&mut self, write: impl FnOnce() -> Result<(), XlsxError>) {
        if self.0.is_none()
            && let Err(e) = write()
        {
            self.0 = Some(e);
        }
    }

    fn result(self, read: Result<(), StoreError>) -> Result<(), Fatal> {
        read?;
        self.0.map_or(Ok(()), |e| Err(unwritten(e)))
    }
}

/// The calendar of every open deadline in `store` (see [`ics`]).
pub fn calendar(store: &dyn Backend, catalog: &Catalog, now: DateTime<Utc>) -> Result<String, StoreError> {
    let org = store.working_state()?.org;
    let mut cal = ics::Deadlines::new(&org, catalog, now);
    store.for_each_customer(&mut |c, _| cal.customer(&c.licensing_id, &c.name))?;
    store.for_each_voucher(&mut |v| cal.voucher(&v))?;
    Ok(cal.finish())
}

/// Saves the workbook under a temporary name beside `path`, then renames it
/// into place (replacing an older export), so `path` is never half written.
pub fn save_workbook(book: &mut Workbook, path: &Path) -> Result<(), Fatal> {
    let temp = temp_beside(path);
    let cannot = |e: &dyn std::fmt::Display| Fatal(format!("cannot write {}: {e}", path.display()));
    let saved = book
        .save(&temp)
        .map_err(|e| cannot(&e))
        .and_then(|()| sync_and_rename(&temp, path).map_err(|e| cannot(&e)));
    if saved.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    saved
}

fn sync_and_rename(temp: &Path, path: &Path) -> io::Result<()> {
    std::fs::File::open(temp)?.sync_all()?;
    std::fs::rename(temp, path)?;
    sync_dir(&parent_dir(path))
}

/// Writes `bytes` to `output` (atomically, replacing it) or standard output.
pub fn write_out(output: Option<&Path>, bytes: &[u8]) -> Result<(), Fatal> {
    match output {
        Some(path) => crate::store::durable::write_atomic(path, bytes, true)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| Fatal(format!("cannot write the output: {e}")))
        }
    }
}

fn unwritten(e: XlsxError) -> Fatal {
    Fatal(format!("cannot write the workbook: {e}"))
}
