//! The engagement packet: what a consultant needs for one engagement, out of
//! the office database and into a field database.

use super::file_format::{self, Kind, enclosed, ensure_parent, stored_copy};
use super::{
    FieldError, ImportReport, PACKETS_DIR, PacketCatalog, Summary, committed_events, keep_copies,
    staged_events,
};
use crate::domain::command::PacketRecords;
use crate::domain::records::{Attachment, Customer, Partner, User, Voucher};
use crate::domain::rules::field::packet_for;
use crate::domain::serde_time::{opt_ts, ts};
use crate::domain::state::voucher_key;
use crate::domain::{self, Catalog, Command, Ctx, State};
use crate::session::{Request, Session};
use crate::store::Backend;
use crate::store::durable::AtomicFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

const FORMAT_NAME: &str = "saps-packet";

/// The packet's JSON.
#[derive(Debug, Serialize, Deserialize)]
struct PacketFile {
    format: String,
    version: u32,
    /// The partner's MPN id (also in `partner`).
    mpn_id: String,
    #[serde(with = "ts")]
    exported_at: DateTime<Utc>,
    partner: Partner,
    consultant: User,
    customer: Customer,
    /// The voucher, its reservation and any report draft.
    voucher: Voucher,
    catalog: PacketCatalog,
    /// The draft's deliverable, enclosed after the JSON.
    files: Vec<Attachment>,
}

/// Writes the packet of `voucher_id` for `consultant` (or the engagement's
/// only consultant) to `file`, which must not exist.
pub fn export_packet(
    store: &dyn Backend,
    catalog: &Catalog,
    now: DateTime<Utc>,
    voucher_id: &str,
    consultant: Option<&str>,
    file: &Path,
) -> Result<Summary, FieldError> {
    let state = super::read_voucher(store, voucher_id)?;
    let ctx = Ctx {
        now,
        actor: None,
        catalog,
    };
    let p = packet_for(&state, &ctx, voucher_id, consultant)?;
    let v = &p.voucher;
    let draft_copy = draft_attachment(v).cloned();
    let mut enclosed_bytes = Vec::new();
    if let Some(a) = &draft_copy {
        enclosed_bytes.push(stored_copy(store, a)?);
    }
    let res = v.reservation.as_ref();
    let body = PacketFile {
        format: FORMAT_NAME.to_owned(),
        version: file_format::FORMAT,
        mpn_id: p.partner.mpn_id.clone(),
        exported_at: now,
        catalog: PacketCatalog {
            offering: catalog.offering(&v.offering).cloned(),
            engagement: res.and_then(|r| catalog.engagement(&r.engagement)).cloned(),
            deliverable_kinds: catalog.deliverable_kinds.clone(),
        },
        files: draft_copy.into_iter().collect(),
        partner: p.partner.clone(),
        consultant: p.consultant.clone(),
        customer: p.customer.clone(),
        voucher: v.clone(),
    };
    let json = serde_json::to_vec_pretty(&body)
        .map_err(|e| FieldError::Io(format!("cannot write the packet: {e}")))?;
    ensure_parent(file)?;
    let parts: Vec<&[u8]> = enclosed_bytes.iter().map(Vec::as_slice).collect();
    let bytes = file_format::write(file, Kind::Packet, &json, &parts)?;
    let draft = if v.report.is_some() {
        ", with the report draft"
    } else {
        ""
    };
    let when = res
        .map(|r| format!(" {} to {}", r.start, r.end))
        .unwrap_or_default();
    Ok(Summary {
        message: format!(
            "packet for {} written to {}: {} at {}{when}{draft}; `saps packet import` it on the consultant's machine",
            v.voucher_id,
            file.display(),
            p.consultant.email,
            p.customer.name,
        ),
        voucher_id: v.voucher_id.clone(),
        file: file.to_path_buf(),
        bytes,
    })
}

fn draft_attachment(v: &Voucher) -> Option<&Attachment> {
    v.report.as_ref().and_then(|r| r.fields.deliverable.as_ref())
}

/// A packet read from its file and checked (header, checksum, content,
/// enclosed deliverable), not yet taken into any database.
#[derive(Debug)]
pub struct Packet {
    body: PacketFile,
    copies: Vec<Vec<u8>>,
}

impl Packet {
    /// The voucher it carries, as the domain keys it.
    pub fn voucher_id(&self) -> String {
        voucher_key(&self.body.voucher.voucher_id)
    }

    /// The import command, for a database whose last packet of this
    /// voucher was made at `held_made_at`.
    fn command(&self, held_made_at: Option<DateTime<Utc>>) -> Command {
        let p = &self.body;
        Command::ImportPacket(Box::new(PacketRecords {
            partner: p.partner.clone(),
            consultant: p.consultant.clone(),
            customer: p.customer.clone(),
            voucher: p.voucher.clone(),
            made_at: p.exported_at,
            held_made_at,
        }))
    }
}

/// Reads and checks the packet in `file`; nothing is written.
pub fn read_packet(file: &Path) -> Result<Packet, FieldError> {
    let container = file_format::read(file, Kind::Packet)?;
    let p: PacketFile = serde_json::from_slice(&container.json).map_err(|e| {
        FieldError::Refused(format!(
            "{} is not a usable engagement packet: its content cannot be read ({e})",
            file.display()
        ))
    })?;
    if p.format != FORMAT_NAME || p.mpn_id != p.partner.mpn_id {
        return Err(FieldError::Refused(format!(
            "{} is not a usable engagement packet: its header and content disagree",
            file.display()
        )));
    }
    file_format::same_version(file, Kind::Packet, p.version)?;
    let copies = enclosed(&container.tail, &p.files, file, "packet")?;
    if p.files.iter().ne(draft_attachment(&p.voucher)) {
        return Err(FieldError::Refused(format!(
            "{} is not a usable engagement packet: the files it encloses are not the deliverable its draft names",
            file.display()
        )));
    }
    Ok(Packet { body: p, copies })
}

/// Whether a database holding `state` would take `packet`: the domain's
/// decision, nothing written. On a machine without a field database,
/// `state` is the empty one, so a refused packet creates no database.
pub fn check_packet(
    state: &State,
    catalog: &Catalog,
    now: DateTime<Utc>,
    packet: &Packet,
) -> Result<(), FieldError> {
    let ctx = Ctx {
        now,
        actor: None,
        catalog,
    };
    domain::decide(state, &packet.command(None), &ctx)?;
    Ok(())
}

/// Takes the packet in `file` into the field database of `session`
/// (created by the first packet). The same packet again changes nothing.
pub fn import_packet(
    session: &mut Session,
    now: DateTime<Utc>,
    file: &Path,
) -> Result<ImportReport, FieldError> {
    import_read_packet(session, now, &read_packet(file)?)
}

/// [`import_packet`] of a packet already read.
pub fn import_read_packet(
    session: &mut Session,
    now: DateTime<Utc>,
    packet: &Packet,
) -> Result<ImportReport, FieldError> {
    let p = &packet.body;
    let voucher_id = packet.voucher_id();
    let consultant = p.consultant.email.trim().to_ascii_lowercase();
    let known = session.backend().voucher(&voucher_id)?.is_some();
    let dir = session.backend().dir().map(Path::to_path_buf);
    let held = dir.as_deref().and_then(|d| held_made_at(d, &voucher_id));
    let request = Request::new(packet.command(held), None, now);
    let recorded = staged_events(session, request)?;
    if recorded.is_empty() {
        if let Some(dir) = &dir
            && held.is_none_or(|h| h < p.exported_at)
        {
            keep_catalog(dir, &voucher_id, &p.catalog, p.exported_at)?;
        }
        return Ok(ImportReport {
            message: format!(
                "already imported: the packet for {voucher_id} holds nothing new for {consultant}; nothing changed"
            ),
            voucher_id,
            consultant,
            events: Vec::new(),
        });
    }
    // Only now, with everything checked, is anything written.
    let kept = keep_copies(session, &packet.copies, "packet").and_then(|()| {
        let dir = session.backend().dir().map(Path::to_path_buf);
        match dir {
            Some(dir) => keep_catalog(&dir, &voucher_id, &p.catalog, p.exported_at),
            None => Err(FieldError::Io(
                "a field database lives on the consultant's machine, not on a server".to_owned(),
            )),
        }
    });
    if let Err(e) = kept {
        session.discard();
        return Err(e);
    }
    let recorded = committed_events(session)?;
    let what = if known { "updated" } else { "imported" };
    Ok(ImportReport {
        message: format!(
            "{what} the packet for {voucher_id} in the field database of {consultant} ({} change(s)); write the report on step 6, then `saps bundle export {voucher_id} FILE`",
            recorded.len()
        ),
        voucher_id,
        consultant,
        events: recorded,
    })
}

/// What the field database keeps of the last packet of a voucher, in
/// `packets/<voucher>.json`: the catalog entry (see `field_catalog`) and when
/// the office made the packet (absent in files kept before saps recorded it).
#[derive(Serialize, Deserialize)]
struct KeptPacket {
    #[serde(default, with = "opt_ts")]
    made_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    catalog: PacketCatalog,
}

/// When the office made the packet of `voucher_id` the field database at
/// `db` took last, when it is recorded.
fn held_made_at(db: &Path, voucher_id: &str) -> Option<DateTime<Utc>> {
    let text = std::fs::read(db.join(PACKETS_DIR).join(format!("{voucher_id}.json"))).ok()?;
    serde_json::from_slice::<KeptPacket>(&text).ok()?.made_at
}

/// Keeps the packet's catalog entry and time beside the database.
fn keep_catalog(
    db: &Path,
    voucher_id: &str,
    catalog: &PacketCatalog,
    made_at: DateTime<Utc>,
) -> Result<(), FieldError> {
    let dir = db.join(PACKETS_DIR);
    let io = |e: std::io::Error| FieldError::Io(format!("cannot keep the packet in {}: {e}", dir.display()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let kept = KeptPacket {
        made_at: Some(made_at),
        catalog: catalog.clone(),
    };
    let json = serde_json::to_vec_pretty(&kept).map_err(|e| FieldError::Io(e.to_string()))?;
    let mut out = AtomicFile::create(&dir.join(format!("{voucher_id}.json"))).map_err(io)?;
    out.write_all(&json).map_err(io)?;
    out.commit(true).map_err(io)
}
