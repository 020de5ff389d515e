//! Shared by the domain tests: a `World` (state, catalog, clock, event log)
//! that runs commands through `domain::execute`, command builders, and
//! helpers that take a voucher to each stage; [`steps`], the random command
//! sequences the property tests run.
//!
//! `day(n)` is n days after 2024-03-01 (day 0); the clock stands at noon UTC.

#![allow(dead_code)]

pub mod steps;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use saps::domain::catalog::Level;
use saps::domain::command::{
    AddCompetency, AddCustomer, AddLocation, AddUser, CancelReservation, Enroll, InitPartner, ReceiveVoucher,
    RecordExam, RecordPayment, Redeem, RegisterSavb, RequestPayment, Reschedule, Reserve, SaveReportDraft,
    SubmitReport, ValidateVoucher,
};
use saps::domain::records::{Attachment, Outcome, ReportFields, Role};
use saps::domain::{self, Catalog, Code, Command, Ctx, Recorded, Rejection, State, Status};

pub const ADMIN: &str = "gina@contoso.test";
pub const PA: &str = "paul@contoso.test";
pub const CONSULTANT: &str = "ana@contoso.test";
pub const OTHER_CONSULTANT: &str = "bo@contoso.test";
pub const CUSTOMER: &str = "LIC-001";
pub const VOUCHER_ADMIN: &str = "pm@fabrikam.test";
pub const LOCATION: &str = "NYC";
pub const COMPETENCY: &str = "Windows and Devices";
pub const ENGAGEMENT: &str = "windows-office-deployment";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn day(n: i64) -> NaiveDate {
    date(2024, 3, 1) + chrono::Duration::days(n)
}

/// `rejection.is(code, "field")`: the exact code, and a message naming the field or rule.
pub trait Is {
    fn is(self, code: Code, mention: &str) -> Rejection;
}

impl Is for Rejection {
    #[track_caller]
    fn is(self, code: Code, mention: &str) -> Rejection {
        assert_eq!(self.code, code, "wrong code for: {self}");
        assert!(
            self.message.contains(mention),
            "{:?} should mention {mention:?}",
            self.message
        );
        self
    }
}

pub struct World {
    pub state: State,
    pub catalog: Catalog,
    pub now: DateTime<Utc>,
    /// Every accepted event, in order.
    pub log: Vec<Recorded>,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// No partner yet; the clock at day 0.
    pub fn new() -> World {
        let mut w = World {
            state: State::default(),
            catalog: Catalog::builtin(),
            now: DateTime::UNIX_EPOCH,
            log: Vec::new(),
        };
        w.set_day(0);
        w
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    pub fn set_day(&mut self, n: i64) {
        self.now = day(n)
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap())
            .and_utc();
    }

    pub fn advance(&mut self, days: i64) {
        self.now += chrono::Duration::days(days);
    }

    /// The context commands run in, acting as `PA`.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            now: self.now,
            actor: Some(PA),
            catalog: &self.catalog,
        }
    }

    pub fn run(&mut self, actor: &str, cmd: Command) -> Result<Vec<Recorded>, Rejection> {
        let ctx = Ctx {
            now: self.now,
            actor: Some(actor),
            catalog: &self.catalog,
        };
        let out = domain::execute(&mut self.state, &cmd, &ctx);
        if let Ok(events) = &out {
            self.log.extend(events.iter().cloned());
        }
        out
    }

    /// Runs a command that must be accepted.
    pub fn ok(&mut self, actor: &str, cmd: Command) -> Vec<Recorded> {
        let name = cmd.name();
        self.run(actor, cmd)
            .unwrap_or_else(|r| panic!("{name} as {actor} refused: {r}"))
    }

    /// Runs a command that must be refused, and checks it changed nothing.
    pub fn err(&mut self, actor: &str, cmd: Command) -> Rejection {
        let before = self.state.clone();
        let name = cmd.name();
        match self.run(actor, cmd) {
            Ok(ev) => panic!("{name} as {actor} accepted: {ev:?}"),
            Err(r) => {
                assert_eq!(self.state, before, "a refused {name} changed the state");
                r
            }
        }
    }

    pub fn status(&self, id: &str) -> Status {
        self.state.vouchers[id].status(self.today())
    }

    pub fn remaining(&self, customer: &str) -> u32 {
        self.state.remaining_days(customer, self.today()).unwrap()
    }

    /// A ready partner at day 0: global admin, partner admin, two consultants
    /// with an exam of Windows and Devices (gold, held), a US location,
    /// enrolled in DDPS, and a customer with 40 planning days.
    pub fn setup_ready() -> World {
        let mut w = World::new();
        for (actor, cmd) in steps::ready_setup() {
            w.ok(actor, cmd);
        }
        w
    }

    /// A new voucher of `days` days, created today, for `CUSTOMER`.
    pub fn received(&mut self, id: &str, days: i64) {
        self.ok(PA, receive_cmd(id, CUSTOMER, days, self.today()));
    }

    /// ...validated and reserved for today only, with `CONSULTANT`.
    pub fn reserved(&mut self, id: &str, days: i64) {
        self.received(id, days);
        self.ok(PA, validate_cmd(id));
        let t = self.today();
        self.ok(PA, Command::ReserveVoucher(reserve(id, t, t)));
    }

    /// ...with a complete report drafted and submitted.
    pub fn delivered(&mut self, id: &str, days: i64) {
        self.reserved(id, days);
        let t = self.today();
        self.ok(CONSULTANT, draft_cmd(id, full_report(days, t, t)));
        self.ok(CONSULTANT, submit_cmd(id));
    }

    pub fn redeemed(&mut self, id: &str, days: i64) {
        self.delivered(id, days);
        self.ok(PA, redeem_cmd(&[id]));
    }

    /// ...and payment requested (SAVB registered first if needed).
    pub fn invoiced(&mut self, id: &str, days: i64) {
        self.redeemed(id, days);
        if !self.state.org.savb.contains_key("DDPS") {
            self.ok(ADMIN, savb_cmd());
        }
        self.ok(PA, request_cmd(id, &format!("INV-{id}")));
    }

    pub fn paid(&mut self, id: &str, days: i64) {
        self.invoiced(id, days);
        self.ok(PA, record_cmd(id, Outcome::Paid));
    }
}

pub fn init_cmd(mpn_expires: NaiveDate) -> Command {
    Command::InitPartner(InitPartner {
        name: "Contoso Consulting".into(),
        mpn_id: "1234567".into(),
        mpn_expires,
        admin_name: "Gina".into(),
        admin_email: ADMIN.into(),
    })
}

pub fn add_user_cmd(email: &str, role: Role) -> Command {
    Command::AddUser(AddUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
    })
}

pub fn location_cmd(id: &str, country: &str) -> Command {
    Command::AddLocation(AddLocation {
        location_id: id.into(),
        country: country.into(),
    })
}

pub fn competency_cmd(name: &str, level: Level, expires: NaiveDate) -> Command {
    Command::AddCompetency(AddCompetency {
        competency: name.into(),
        level,
        expires,
    })
}

pub fn exam_cmd(consultant: &str, competency: &str) -> Command {
    Command::RecordExam(RecordExam {
        consultant: consultant.into(),
        exam: "MD-100".into(),
        competency: competency.into(),
        passed_on: date(2024, 1, 15),
    })
}

pub fn enroll_cmd(offering: &str) -> Command {
    Command::Enroll(Enroll {
        offering: offering.into(),
        accept_agreement: true,
        policies_reviewed: true,
    })
}

pub fn customer_cmd(id: &str, planning_days: i64, agreement_expires: NaiveDate) -> Command {
    Command::AddCustomer(AddCustomer {
        licensing_id: id.into(),
        name: format!("Customer {id}"),
        planning_days,
        agreement_expires,
    })
}

pub fn receive_cmd(id: &str, customer: &str, days: i64, created_on: NaiveDate) -> Command {
    Command::ReceiveVoucher(ReceiveVoucher {
        voucher_id: id.into(),
        customer: customer.into(),
        offering: "DDPS".into(),
        days,
        created_on,
        admin_email: VOUCHER_ADMIN.into(),
    })
}

pub fn validate_cmd(id: &str) -> Command {
    validate_as(id, VOUCHER_ADMIN)
}

pub fn validate_as(id: &str, admin_email: &str) -> Command {
    Command::ValidateVoucher(ValidateVoucher {
        voucher_id: id.into(),
        admin_email: admin_email.into(),
    })
}

pub fn cancel_cmd(id: &str) -> Command {
    Command::CancelReservation(CancelReservation {
        voucher_id: id.into(),
        reason: "customer asked".into(),
    })
}

pub fn savb_cmd() -> Command {
    Command::RegisterSavb(RegisterSavb {
        offering: "DDPS".into(),
    })
}

/// A reservation that passes every rule for a DDPS voucher of the ready world.
pub fn reserve(id: &str, start: NaiveDate, end: NaiveDate) -> Reserve {
    Reserve {
        voucher_id: id.into(),
        admin_email: VOUCHER_ADMIN.into(),
        engagement: ENGAGEMENT.into(),
        location_id: LOCATION.into(),
        country: "US".into(),
        start,
        end,
        consultants: vec![CONSULTANT.into()],
        accept_terms: true,
        distinct_scope: None,
    }
}

/// A reservation of `id` for today (day 0) with one change.
pub fn reserve_with(id: &str, f: impl FnOnce(&mut Reserve)) -> Command {
    let mut r = reserve(id, day(0), day(0));
    f(&mut r);
    Command::ReserveVoucher(r)
}

pub fn receive_of(offering: &str) -> Command {
    let mut cmd = receive_cmd("SDPS-0001", CUSTOMER, 5, day(0));
    if let Command::ReceiveVoucher(ReceiveVoucher { offering: o, .. }) = &mut cmd {
        *o = offering.into();
    }
    cmd
}

/// Report fields that pass every rule for a voucher of `days` days.
pub fn full_report(days: i64, start: NaiveDate, end: NaiveDate) -> ReportFields {
    ReportFields {
        delivered_start: Some(start),
        delivered_end: Some(end),
        onsite_days: Some(days as u32),
        offsite_days: Some(0),
        walk_on_hours: Some(2.0),
        deliverable_kind: Some("Deployment Plan".into()),
        deliverable_path: Some("deliverables/plan.pdf".into()),
        summary: Some("Planned the Windows 11 rollout".into()),
        next_steps: Some("Pilot".into()),
        customer_contact: Some(VOUCHER_ADMIN.into()),
        customer_accepted: Some(true),
        // The copy the path named (domain tests store no files).
        deliverable: Some(plan_copy()),
    }
}

/// The content of the deliverable [`plan_copy`] records.
pub const PLAN_BYTES: &[u8] = b"%PDF-1.4 the Windows 11 deployment plan";

/// A stored copy of the deliverable, as `saps exec` records one (a test
/// with a real store puts [`PLAN_BYTES`] there with `files::copy_in`).
pub fn plan_copy() -> Attachment {
    use sha2::{Digest, Sha256};
    Attachment {
        name: "plan.pdf".into(),
        sha256: saps::store::files::hex(&Sha256::digest(PLAN_BYTES)),
        size: PLAN_BYTES.len() as u64,
    }
}

pub fn draft_cmd(id: &str, fields: ReportFields) -> Command {
    Command::SaveReportDraft(SaveReportDraft {
        voucher_id: id.into(),
        fields,
    })
}

pub fn submit_cmd(id: &str) -> Command {
    Command::SubmitReport(SubmitReport {
        voucher_id: id.into(),
    })
}

pub fn redeem_cmd(ids: &[&str]) -> Command {
    Command::Redeem(Redeem {
        voucher_ids: ids.iter().map(|s| s.to_string()).collect(),
    })
}

pub fn request_cmd(id: &str, invoice: &str) -> Command {
    Command::RequestPayment(RequestPayment {
        voucher_id: id.into(),
        invoice_number: invoice.into(),
        location_id: None,
    })
}

pub fn request_from(id: &str, invoice: &str, location: &str) -> Command {
    Command::RequestPayment(RequestPayment {
        voucher_id: id.into(),
        invoice_number: invoice.into(),
        location_id: Some(location.into()),
    })
}

pub fn reschedule_cmd(id: &str, start: NaiveDate, end: NaiveDate) -> Command {
    Command::Reschedule(Reschedule {
        voucher_id: id.into(),
        start,
        end,
    })
}

pub fn record_cmd(id: &str, outcome: Outcome) -> Command {
    Command::RecordPayment(RecordPayment {
        voucher_id: id.into(),
        outcome,
        reference: "MS-REF-1".into(),
        reason: None,
    })
}
