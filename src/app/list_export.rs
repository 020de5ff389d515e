//! The desk's export of the voucher list in view (`Effect::ExportList`):
//! the vouchers it lists, as `saps export` writes them, with each
//! customer's name beside its licensing id, in CSV, JSON or an Excel
//! workbook by the file's extension. The file must not exist yet.

use crate::domain::Catalog;
use crate::domain::names::Names;
use crate::export::{csv, json};
use crate::store::Backend;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Writes the vouchers `ids` (in that order) to `file`; says what it wrote.
pub fn write(
    backend: &dyn Backend,
    catalog: &Catalog,
    ids: &[String],
    today: NaiveDate,
    file: &Path,
) -> Result<String, String> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let read = |e: crate::store::StoreError| format!("cannot read the database: {e}");
    if ext.as_deref() == Some("xlsx") {
        let n = workbook(backend, catalog, ids, today, file)?;
        return Ok(wrote(n, file));
    }
    let mut vouchers = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for id in ids {
        let Some(v) = backend.voucher(id).map_err(read)? else {
            continue;
        };
        if !names.contains_key(&v.customer) {
            let name = backend.customer(&v.customer).map_err(read)?.map(|c| c.name);
            names.insert(v.customer.clone(), name.unwrap_or_default());
        }
        vouchers.push(v);
    }
    let name = |v: &crate::domain::records::Voucher| names.get(&v.customer).cloned().unwrap_or_default();
    let text = match ext.as_deref() {
        Some("csv") => {
            let mut out = String::new();
            let mut header: Vec<String> = csv::HEADER.iter().map(|h| h.to_string()).collect();
            header.insert(3, "customer_name".into());
            csv::push_row(&mut out, &header);
            for v in &vouchers {
                let mut row = csv::row(v, today).to_vec();
                row.insert(3, name(v));
                csv::push_row(&mut out, &row);
            }
            out
        }
        Some("json") => {
            let rows: Vec<serde_json::Value> = vouchers
                .iter()
                .map(|v| {
                    let mut value = json::voucher_value(v, today);
                    if let Some(o) = value.as_object_mut() {
                        o.insert("customer_name".into(), name(v).into());
                    }
                    value
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            text.push('\n');
            text
        }
        _ => {
            return Err("file: end its name in .csv, .json or .xlsx (the formats saps export writes)".into());
        }
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("file: {} exists already; choose another name", file.display())
            }
            _ => format!("file: cannot create {}: {e}", file.display()),
        })?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("file: cannot write {}: {e}", file.display()))?;
    Ok(wrote(vouchers.len(), file))
}

fn wrote(n: usize, file: &Path) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("Wrote {n} voucher{s} to {}", file.display())
}

/// The list as a workbook, as `saps export --format xlsx` writes it: the
/// Vouchers sheet (with the customers' names) and the Payments sheet hold
/// the vouchers listed, in order; the Customers sheet their customers; the
/// Audit sheet stays empty (the whole log is `saps export`'s).
fn workbook(
    backend: &dyn Backend,
    catalog: &Catalog,
    ids: &[String],
    today: NaiveDate,
    file: &Path,
) -> Result<usize, String> {
    if file.exists() {
        return Err(format!(
            "file: {} exists already; choose another name",
            file.display()
        ));
    }
    let read = |e: crate::store::StoreError| format!("cannot read the database: {e}");
    let mut state = backend.working_state().map_err(read)?;
    let names = Names {
        vouchers: ids.to_vec(),
        ..Names::default()
    };
    backend.hydrate(&mut state, &names).map_err(read)?;
    let unwritten = |e: rust_xlsxwriter::XlsxError| format!("file: cannot write the workbook: {e}");
    let mut book = crate::export::xlsx::Book::new(&state.org, catalog, today).map_err(unwritten)?;
    for (id, c) in &state.customers {
        let ledger = state.ledgers.get(id).cloned().unwrap_or_default();
        book.customer(c, &ledger).map_err(unwritten)?;
    }
    let mut n = 0;
    for v in ids.iter().filter_map(|id| state.vouchers.get(id)) {
        book.voucher(v).map_err(unwritten)?;
        n += 1;
    }
    // The list's workbook has no audit rows: its Audit sheet is the header.
    let mut book = book.finish().map_err(unwritten)?;
    crate::export::save_workbook(&mut book, file).map_err(|e| format!("file: {}", e.0))?;
    Ok(n)
}
