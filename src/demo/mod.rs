//! `saps demo`: a fresh database with a believable partner, every voucher
//! state and a fixed clock, then the desk as the global admin. The data is
//! `assets/demo.jsonl`, run through the same parser and rules as `saps exec`.
//! `saps demo --vouchers N` generates N vouchers with years of history
//! instead ([`scale`]).

pub mod compact;
pub mod scale;

use crate::app::{self, DeskOptions};
use crate::domain::command::SaveReportDraft;
use crate::domain::records::Attachment;
use crate::domain::{Catalog, Command, State};
use crate::exec::parse_request;
use crate::fatal::Fatal;
use crate::scratch::TempDir;
use crate::session::Session;
use crate::settings::Settings;
use crate::store::Backend;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const SCRIPT: &str = include_str!("../../assets/demo.jsonl");
/// The demo's clock: every deadline on the dashboard is seen from here.
pub const NOW: &str = "2026-06-15T12:00:00Z";
/// Who the desk opens as.
pub const ADMIN: &str = "ava@northwind.example";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Runs the demo script on `store`, which must be empty, and commits it all
/// in one atomic write. Returns the state.
pub fn seed(store: Arc<dyn Backend>, catalog: &Catalog) -> Result<State, Fatal> {
    let mut session = Session::open(store, catalog.clone())?.keep_all();
    if session.state().org.partner.is_some() {
        return Err(Fatal(
            "this database already has a partner; the demo needs a fresh one".into(),
        ));
    }
    let settings = Settings {
        db: PathBuf::new(),
        actor: None,
        now: Some(now()),
        catalog: None,
        rates: None,
    };
    let refused = |n: usize, r: &dyn std::fmt::Display| Fatal(format!("demo line {}: {r}", n + 1));
    for (n, line) in SCRIPT.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut req = parse_request(line, &settings).map_err(|r| refused(n, &r))?;
        // The same demo has the same ids wherever it is made: numbered by
        // the seq its first event takes.
        req.id = crate::domain::ids::generated("demo", session.state().last_seq, req.now);
        req.command = with_demo_deliverable(&**session.backend(), req.command)?;
        if let Err(r) = session.stage(req).map_err(|h| Fatal(h.to_string()))? {
            return Err(refused(n, r));
        }
    }
    session.commit().map_err(|h| Fatal(h.to_string()))?;
    mark_demo(&**session.backend())?;
    Ok(session.state().clone())
}

/// Records the demo's clock in the database: a later `saps` or `saps
/// export` on it sees the demo's day (unless `--now` says otherwise), and
/// the demo desk may move it.
pub fn mark_demo(backend: &dyn Backend) -> Result<(), Fatal> {
    backend
        .set_demo_clock(now())
        .map_err(|e| Fatal(format!("the demo's clock was not recorded: {e}")))
}

/// A draft naming a deliverable gets a stored copy, as `saps exec` makes of
/// a real file: the demo's plans are a few generated lines each.
fn with_demo_deliverable(backend: &dyn Backend, cmd: Command) -> Result<Command, Fatal> {
    let Command::SaveReportDraft(SaveReportDraft {
        voucher_id,
        mut fields,
    }) = cmd
    else {
        return Ok(cmd);
    };
    if let Some(name) = fields.deliverable_path.clone() {
        let text = format!(
            "{} for voucher {voucher_id} (a demo deliverable made by `saps demo`)\n\n{}\n",
            fields.deliverable_kind.as_deref().unwrap_or("Plan"),
            fields.summary.as_deref().unwrap_or_default()
        );
        let (sha256, size) = backend
            .keep_bytes(text.as_bytes())
            .map_err(|e| Fatal(format!("the demo's deliverable {name} was not saved: {e}")))?;
        fields.deliverable = Some(Attachment { name, sha256, size });
    }
    Ok(Command::SaveReportDraft(SaveReportDraft { voucher_id, fields }))
}

/// `saps demo [--tour] [--vouchers N]`: seeds a fresh database (the demo
/// script, or N generated vouchers with a one-line summary) and opens the
/// desk on it.
pub fn open(
    db: Option<PathBuf>,
    catalog: &Catalog,
    tour: bool,
    vouchers: Option<usize>,
) -> Result<(), Fatal> {
    let temp = if db.is_none() {
        Some(TempDir::new("saps-demo")?)
    } else {
        None
    };
    let path: PathBuf = match (&db, &temp) {
        (Some(p), _) => p.clone(),
        (None, Some(t)) => t.0.join("demo.db"),
        (None, None) => return Err(Fatal("no database path".into())),
    };
    let store = match vouchers {
        None => {
            let store = crate::store::open(Path::new(&path))?;
            seed(store.clone(), catalog)?;
            store
        }
        Some(n) => {
            // Written compactly where it can be (a fresh sled directory),
            // else generated in place (a server, an empty saps database).
            let (summary, store) = if compact::applies(&path) {
                compact::seed_compact(&path, catalog, n)?
            } else {
                let store = crate::store::open(Path::new(&path))?;
                let summary = scale::seed_scale(store.clone(), catalog, n)?;
                mark_demo(&*store)?;
                (summary, store)
            };
            // The desk draws on the alternate screen, so this line is still
            // there when it quits.
            let _ = writeln!(std::io::stdout(), "{summary}");
            store
        }
    };
    let opts = DeskOptions {
        db: path,
        actor: Some(ADMIN.into()),
        now: Some(now()),
        catalog: catalog.clone(),
        tour,
    };
    app::run_on(store, opts)
}
