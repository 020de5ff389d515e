//! Shared by the field tests: an office database with one reserved
//! engagement, a field database, and running commands on either through the
//! domain and the store, as `saps exec` does.

#![allow(dead_code)]

use crate::common::*;
use chrono::{DateTime, NaiveTime, Utc};
use saps::domain::catalog::Level;
use saps::domain::command::{InitPartner, SaveReportDraft};
use saps::domain::records::{ReportFields, Role};
use saps::domain::{Catalog, Command, Recorded, Rejection, State};
use saps::session::{Request, Session};
use saps::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The reserved voucher every field test carries out.
pub const V: &str = "DDPS-FIELD-01";

/// Noon UTC, `n` days after 2024-03-01.
pub fn at(n: i64) -> DateTime<Utc> {
    day(n)
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap())
        .and_utc()
}

/// A database and the state loaded from it.
pub struct Db {
    pub store: Arc<Store>,
    pub state: State,
    pub catalog: Catalog,
}

impl Db {
    pub fn open(path: &Path) -> Db {
        // Within one process sled's flusher may hold the lock briefly after a drop.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let store = loop {
            match Store::open(path) {
                Err(saps::store::StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                other => break other.unwrap(),
            }
        };
        let state = store.load().unwrap();
        Db {
            store: Arc::new(store),
            state,
            catalog: Catalog::builtin(),
        }
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// A session on this database, as `saps exec` and the desk use.
    pub fn session(&self) -> Session {
        Session::open(self.store.clone(), self.catalog.clone()).unwrap()
    }

    /// Runs a command as `actor` at `now` through the session; an accepted
    /// one is committed (a draft naming a readable file gets it copied in).
    pub fn run(
        &mut self,
        actor: &str,
        now: DateTime<Utc>,
        mut cmd: Command,
    ) -> Result<Vec<Recorded>, Rejection> {
        // As typed: the copy comes from the file the path names, never from
        // the command (`full_report`'s stands in for it in domain tests).
        if let Command::SaveReportDraft(SaveReportDraft { fields, .. }) = &mut cmd {
            fields.deliverable = None;
        }
        let request = Request::new(cmd, Some(actor.to_owned()), now);
        let outcome = self.session().run(request).expect("the session saves");
        self.reload();
        outcome
    }

    pub fn ok(&mut self, actor: &str, now: DateTime<Utc>, cmd: Command) -> Vec<Recorded> {
        let name = cmd.name();
        self.run(actor, now, cmd)
            .unwrap_or_else(|r| panic!("{name} as {actor} refused: {r}"))
    }

    /// Reloads the state from the store (after a field function committed).
    pub fn reload(&mut self) {
        self.state = self.store.load().unwrap();
    }

    pub fn events(&self) -> Vec<Recorded> {
        self.store.events().unwrap()
    }

    /// Everything the database holds, as `saps export` would compare it.
    pub fn snapshot(&self) -> String {
        let state = self.store.load().unwrap();
        let stored: Vec<String> = saps::store::files::stored(self.path())
            .into_iter()
            .map(|(sha, _)| sha)
            .collect();
        format!("{:?}\n{:?}\n{:?}", state, self.events(), stored)
    }

    /// `saps check` finds nothing wrong.
    #[track_caller]
    pub fn assert_healthy(&self, today: chrono::NaiveDate) {
        let report = saps::check::check(&self.store, today);
        assert!(report.healthy(), "{}", report.render());
    }
}

/// An office at day 0: the ready partner of the domain tests (MPN 1234567),
/// and voucher `V` of 5 days reserved from day 2 to day 6 naming `CONSULTANT`.
pub fn office(dir: &Path) -> Db {
    office_with(&dir.join("office.db"), "1234567", &[V])
}

/// An office at `path` with this MPN id and these vouchers reserved as `V` is.
pub fn office_with(path: &Path, mpn_id: &str, vouchers: &[&str]) -> Db {
    let mut db = Db::open(path);
    let t = at(0);
    let Command::InitPartner(InitPartner {
        name,
        mpn_expires,
        admin_name,
        admin_email,
        ..
    }) = init_cmd(day(730))
    else {
        unreachable!()
    };
    let init = Command::InitPartner(InitPartner {
        name,
        mpn_id: mpn_id.into(),
        mpn_expires,
        admin_name,
        admin_email,
    });
    db.ok(ADMIN, t, init);
    db.ok(ADMIN, t, add_user_cmd(PA, Role::PartnerAdmin));
    db.ok(ADMIN, t, add_user_cmd(CONSULTANT, Role::Consultant));
    db.ok(ADMIN, t, add_user_cmd(OTHER_CONSULTANT, Role::Consultant));
    db.ok(PA, t, location_cmd(LOCATION, "US"));
    db.ok(PA, t, competency_cmd(COMPETENCY, Level::Gold, day(730)));
    db.ok(PA, t, exam_cmd(CONSULTANT, COMPETENCY));
    db.ok(PA, t, exam_cmd(OTHER_CONSULTANT, COMPETENCY));
    db.ok(PA, t, enroll_cmd("DDPS"));
    db.ok(PA, t, customer_cmd(CUSTOMER, 40, day(1000)));
    for id in vouchers {
        reserve_voucher(&mut db, id, CONSULTANT);
    }
    db
}

/// Receives, validates and reserves `id` (5 days, day 2 to day 6) for `consultant`.
pub fn reserve_voucher(db: &mut Db, id: &str, consultant: &str) {
    let t = at(0);
    db.ok(PA, t, receive_cmd(id, CUSTOMER, 5, day(0)));
    db.ok(PA, t, validate_cmd(id));
    let mut r = reserve(id, day(2), day(6));
    r.consultants = vec![consultant.into()];
    db.ok(PA, t, Command::ReserveVoucher(r));
}

/// A deliverable file on the consultant's machine.
pub fn deliverable_file(dir: &Path, content: &[u8]) -> PathBuf {
    let path = dir.join("fabrikam-deployment-plan.pdf");
    std::fs::write(&path, content).unwrap();
    path
}

/// The consultant's report, typed in the field over several saves (one field
/// a save, as the desk does), the deliverable attached, then submitted at day 7.
pub fn file_report(field: &mut Db, id: &str, deliverable: &Path) {
    let saves: Vec<ReportFields> = vec![
        ReportFields {
            delivered_start: Some(day(2)),
            ..Default::default()
        },
        ReportFields {
            onsite_days: Some(4),
            ..Default::default()
        },
        ReportFields {
            offsite_days: Some(1),
            ..Default::default()
        },
        ReportFields {
            delivered_end: Some(day(6)),
            ..Default::default()
        },
        ReportFields {
            deliverable_kind: Some("Deployment Plan".into()),
            ..Default::default()
        },
        ReportFields {
            deliverable_path: Some(deliverable.display().to_string()),
            ..Default::default()
        },
        ReportFields {
            summary: Some("Planned the Windows 11 rollout for 1,200 desktops".into()),
            ..Default::default()
        },
        ReportFields {
            customer_accepted: Some(true),
            ..Default::default()
        },
    ];
    for (n, fields) in saves.into_iter().enumerate() {
        field.ok(CONSULTANT, at(3 + n as i64 / 3), draft_cmd(id, fields));
    }
    field.ok(CONSULTANT, at(7), submit_cmd(id));
}

/// The whole trip up to the bundle: `V`'s packet out of `office` at day 1,
/// into a new field database under `field_dir`, the report filed there and
/// submitted at day 7, the bundle written at day 7. Returns the field
/// database and the bundle's path.
pub fn bundle_from_field(office: &Db, field_dir: &Path) -> (Db, PathBuf) {
    let packet = field_dir.join("engagement.sapspacket");
    saps::field::export_packet(&*office.store, &office.catalog, at(1), V, None, &packet).unwrap();
    let mut field = Db::open(&field_dir.join("field.db"));
    saps::field::import_packet(&mut field.session(), at(1), &packet).unwrap();
    field.reload();
    let pdf = deliverable_file(field_dir, b"%PDF-1.7 Fabrikam deployment plan, accepted on site");
    file_report(&mut field, V, &pdf);
    let bundle = field_dir.join("report.sapsbundle");
    saps::field::export_bundle(&*field.store, at(7), V, None, &bundle).unwrap();
    (field, bundle)
}

/// Copies `from` to `to` with its JSON changed by `edit` and the checksum
/// line recomputed as the file format writes it: a careful edit, which the
/// checksum cannot tell from the office's own file.
pub fn rewrite_json(from: &Path, to: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(from).unwrap();
    let l1 = bytes.iter().position(|b| *b == b'\n').unwrap();
    let l2 = l1 + 1 + bytes[l1 + 1..].iter().position(|b| *b == b'\n').unwrap();
    let second = std::str::from_utf8(&bytes[l1 + 1..l2]).unwrap();
    let n: usize = second.rsplit(' ').next().unwrap().parse().unwrap();
    let start = l2 + 1;
    let mut json: serde_json::Value = serde_json::from_slice(&bytes[start..start + n]).unwrap();
    edit(&mut json);
    let new = serde_json::to_vec_pretty(&json).unwrap();
    let mut out = bytes[..=l1].to_vec();
    let sum = saps::store::files::hex(&Sha256::digest(&new));
    out.extend_from_slice(format!("sha256 {sum} json {}\n", new.len()).as_bytes());
    out.extend_from_slice(&new);
    out.extend_from_slice(&bytes[start + n..]);
    std::fs::write(to, out).unwrap();
}
