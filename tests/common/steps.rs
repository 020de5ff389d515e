//! Random command sequences over a small universe, from a ready partner:
//! what `domain_props` runs through `execute` and `store_index_props`
//! through the store's working sets. A step is a [`Kind`] with its
//! [`Knobs`]; [`command`] turns it into a command against a [`World`].

use super::*;
use proptest::prelude::*;
use saps::domain::Command;
use saps::domain::catalog::Level;
use saps::domain::command::{RequestPayment, Reschedule};
use saps::domain::records::{Outcome, ReportFields, Role, Stage, Voucher};
use saps::domain::rules::report::report_problems;

pub const VIDS: [&str; 4] = ["DDPS-0001", " ddps-0002", "DDPS-0003", "X1"];
pub const CUSTOMERS: [&str; 3] = [CUSTOMER, "LIC-002", "LIC-003"];
pub const ACTORS: [&str; 11] = [
    PA,
    PA,
    PA,
    PA,
    PA,
    ADMIN,
    ADMIN,
    ADMIN,
    CONSULTANT,
    OTHER_CONSULTANT,
    "x@y.test",
];
pub const DAYS: [i64; 11] = [1, 3, 5, 10, 15, 1, 3, 5, 0, 2, -3];
/// How many days before today a received voucher was created.
pub const BACK: [i64; 10] = [0, 0, 0, 0, 0, 30, 100, 179, 180, -1];
pub const ENGAGEMENTS: [&str; 7] = [
    ENGAGEMENT,
    ENGAGEMENT,
    ENGAGEMENT,
    ENGAGEMENT,
    "mobile-productivity",
    "enterprise-security-poc",
    "sharepoint-deployment",
];
pub const STAFF: [&[&str]; 3] = [&[CONSULTANT], &[OTHER_CONSULTANT], &[CONSULTANT, ADMIN]];
pub const INVOICES: [&str; 4] = ["INV-1", "inv-1", "INV-2", "INV-3"];
pub const WALK_ON: [f64; 5] = [0.0, 2.0, 4.0, 4.5, 9.0];

/// What a step does; its `Knobs` choose the details.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Advance,
    AddCustomer,
    Receive,
    Validate,
    Reserve,
    Reschedule,
    Cancel,
    Draft,
    Submit,
    Redeem,
    Register,
    Request,
    Record,
    /// The happy path's next command for a voucher, so sequences get far.
    Next,
}

/// `v` below 6 names an existing voucher when there is one; `n` is a day
/// offset or count; `flag` is mostly true (right email, terms, fit report).
#[derive(Debug, Clone)]
pub struct Knobs {
    pub v: usize,
    pub who: usize,
    pub n: i64,
    pub len: i64,
    pub pick: usize,
    pub flag: bool,
}

pub fn step_strategy() -> impl Strategy<Value = (Kind, Knobs)> {
    use Kind::*;
    let kinds = vec![
        Advance,
        Advance,
        AddCustomer,
        Receive,
        Receive,
        Receive,
        Validate,
        Reserve,
        Reserve,
        Reserve,
        Reschedule,
        Cancel,
        Draft,
        Draft,
        Draft,
        Submit,
        Submit,
        Submit,
        Redeem,
        Redeem,
        Register,
        Request,
        Request,
        Record,
        Record,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
        Next,
    ];
    let knobs = (
        0..8usize,
        0..ACTORS.len(),
        -3i64..46,
        0i64..20,
        0..10_000usize,
        prop::bool::weighted(0.85),
    )
        .prop_map(|(v, who, n, len, pick, flag)| Knobs {
            v,
            who,
            n,
            len,
            pick,
            flag,
        });
    (prop::sample::select(kinds), knobs)
}

pub fn command(w: &World, kind: Kind, k: &Knobs) -> (&'static str, Command) {
    let t = |n: i64| w.today() + chrono::Duration::days(n);
    let known: Vec<&String> = w.state.vouchers.keys().collect();
    let vid = |i: usize| match i {
        5 if !known.is_empty() => format!(" {} ", known[i % known.len()].to_lowercase()),
        0..5 if !known.is_empty() => known[i % known.len()].clone(),
        _ => VIDS[i % VIDS.len()].to_string(),
    };
    let id = vid(k.v);
    let who = ACTORS[k.who];
    let pick = |n: usize| k.pick % n;
    match kind {
        Kind::Advance => unreachable!("the clock is not a command"),
        Kind::AddCustomer => (PA, customer_cmd("LIC-003", k.n - 5, t(100 + 15 * k.len))),
        Kind::Receive => {
            let cmd = receive_cmd(
                VIDS[pick(4)],
                CUSTOMERS[pick(3)],
                DAYS[pick(11)],
                t(-BACK[pick(10)]),
            );
            (who, cmd)
        }
        Kind::Validate => (
            who,
            validate_as(&id, if k.flag { VOUCHER_ADMIN } else { "x@y.test" }),
        ),
        Kind::Reserve => {
            let mut r = reserve(&id, t(k.n), t(k.n + k.len));
            r.engagement = ENGAGEMENTS[pick(7)].into();
            r.consultants = STAFF[pick(3)].iter().map(|s| s.to_string()).collect();
            r.accept_terms = k.flag;
            r.distinct_scope = (pick(2) == 0).then(|| "other division".into());
            if pick(11) == 0 {
                r.country = "CA".into();
            }
            (who, Command::ReserveVoucher(r))
        }
        Kind::Reschedule => (
            PA,
            Command::Reschedule(Reschedule {
                voucher_id: id,
                start: t(k.n),
                end: t(k.n + k.len),
            }),
        ),
        Kind::Cancel => (who, cancel_cmd(&id)),
        Kind::Draft => {
            let fields = match w.state.vouchers.get(id.trim().to_uppercase().as_str()) {
                Some(v) if k.flag => {
                    let (start, end) = v.reservation.as_ref().map_or((t(0), t(0)), |r| (r.start, r.end));
                    full_report(v.days as i64, start, end)
                }
                _ => ReportFields {
                    onsite_days: Some(pick(16) as u32),
                    offsite_days: Some(k.len as u32 % 10),
                    walk_on_hours: Some(WALK_ON[pick(5)]),
                    ..full_report(0, t(k.n % 3 - 1), t(k.n % 3))
                },
            };
            (who, draft_cmd(&id, fields))
        }
        Kind::Submit => (who, submit_cmd(&id)),
        Kind::Redeem => {
            let other = vid(pick(8));
            let ids = if k.len % 2 == 0 {
                vec![id.as_str()]
            } else {
                vec![id.as_str(), other.as_str()]
            };
            (who, redeem_cmd(&ids))
        }
        Kind::Register => (who, savb_cmd()),
        Kind::Request => {
            let location_id = (!k.flag).then(|| "TOR".to_string());
            let invoice_number = INVOICES[pick(4)].into();
            (
                PA,
                Command::RequestPayment(RequestPayment {
                    voucher_id: id,
                    invoice_number,
                    location_id,
                }),
            )
        }
        Kind::Record => (
            who,
            record_cmd(
                &id,
                if pick(2) == 0 {
                    Outcome::Paid
                } else {
                    Outcome::Denied
                },
            ),
        ),
        Kind::Next => match w.state.vouchers.get(id.trim().to_uppercase().as_str()) {
            None => (
                PA,
                receive_cmd(VIDS[pick(3)], CUSTOMERS[pick(2)], DAYS[pick(5)], t(0)),
            ),
            Some(v) => next_step(w, v, pick(2) != 0),
        },
    }
}

pub fn next_step(w: &World, v: &Voucher, paid: bool) -> (&'static str, Command) {
    let id = v.voucher_id.as_str();
    let ctx = w.ctx();
    let fields = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
    let today = w.today();
    match v.stage {
        Stage::Assigned => (PA, Command::ReserveVoucher(reserve(id, today, today))),
        Stage::Reserved if report_problems(v, &fields, &ctx).is_empty() => (CONSULTANT, submit_cmd(id)),
        // A reservation that has not ended moves to today, so the engagement
        // is delivered (on the reserved dates) and finished.
        Stage::Reserved if v.reservation.as_ref().is_some_and(|r| r.end > today) => (
            PA,
            Command::Reschedule(Reschedule {
                voucher_id: id.into(),
                start: today,
                end: today,
            }),
        ),
        Stage::Reserved => {
            let (start, end) = v
                .reservation
                .as_ref()
                .map_or((today, today), |r| (r.start, r.end));
            (PA, draft_cmd(id, full_report(v.days as i64, start, end)))
        }
        Stage::Delivered => (PA, redeem_cmd(&[id])),
        Stage::Redeemed | Stage::Denied if !w.state.org.savb.contains_key("DDPS") => (ADMIN, savb_cmd()),
        Stage::Redeemed | Stage::Denied => (PA, request_cmd(id, &format!("N-{}", w.log.len()))),
        Stage::Invoiced | Stage::Paid => (
            PA,
            record_cmd(id, if paid { Outcome::Paid } else { Outcome::Denied }),
        ),
    }
}

/// The commands (with their actors) of [`World::setup_ready`], in order, all
/// on day 0.
pub fn ready_setup() -> Vec<(&'static str, Command)> {
    vec![
        (ADMIN, init_cmd(day(730))),
        (ADMIN, add_user_cmd(PA, Role::PartnerAdmin)),
        (ADMIN, add_user_cmd(CONSULTANT, Role::Consultant)),
        (ADMIN, add_user_cmd(OTHER_CONSULTANT, Role::Consultant)),
        (PA, location_cmd(LOCATION, "US")),
        (PA, competency_cmd(COMPETENCY, Level::Gold, day(730))),
        (PA, exam_cmd(CONSULTANT, COMPETENCY)),
        (PA, exam_cmd(OTHER_CONSULTANT, COMPETENCY)),
        (PA, enroll_cmd("DDPS")),
        (PA, customer_cmd(CUSTOMER, 40, day(1000))),
    ]
}

/// The commands (with their actors) that make the ready world, all on day 0:
/// [`World::setup_ready`]'s, a second customer and a Canadian location.
pub fn ready_commands() -> Vec<(&'static str, Command)> {
    let mut out = ready_setup();
    out.push((PA, customer_cmd("LIC-002", 20, day(200))));
    out.push((PA, location_cmd("TOR", "CA")));
    out
}

pub fn ready_world() -> World {
    let mut w = World::new();
    for (actor, cmd) in ready_commands() {
        w.ok(actor, cmd);
    }
    w
}
