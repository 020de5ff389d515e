//! `saps demo --vouchers N`: a demo database with N vouchers and years of
//! history, for seeing (and measuring) the desk at scale.
//!
//! The partner, users, locations, competencies, exams, enrollments and
//! profile are those of `assets/demo.jsonl`, set up in mid-2022 so that four
//! years of vouchers fit ([`setup`]). About N/50 customers each get a pool
//! large enough for their vouchers. Every voucher is planned from its
//! creation date to a final state on the demo clock ([`super::now`]): old
//! ones paid, denied or expired, recent ones in flight ([`plan`]). A
//! fixed-seed generator makes a given N always give the same database.
//!
//! Every command goes through the session (the real rules, at its own
//! time, as its own user) in time order, and the events are committed
//! through the backend's commit in [`COMMITS`] batches (of at least
//! [`BATCH_EVENTS`] events), so the database is
//! exactly what the app would have written. The time-ordered list holds
//! (time, what) pairs and builds each command just before it runs, which
//! keeps the list small at N = 100,000 (about 700,000 commands).

mod plan;
mod run;
mod setup;

use super::{ADMIN, now};
use crate::domain::command::{
    AddCustomer, ReceiveVoucher, RecordPayment, Redeem, RequestPayment, Reserve, SaveReportDraft,
    SubmitReport, ValidateVoucher,
};
use crate::domain::records::{Attachment, Outcome, ReportFields};
use crate::domain::{Catalog, Command, Status};
use crate::fatal::Fatal;
use crate::session::Session;
use crate::store::Backend;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use plan::{CustomerPlan, ENGAGEMENTS, LOCATIONS, Plan, Rng, Step};
use run::Runner;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

/// The fewest events per commit (one sled transaction, flush and fsync each).
pub const BATCH_EVENTS: usize = 5_000;

/// The commits a run makes once it has more than `COMMITS * BATCH_EVENTS`
/// commands: each commit is then a fixed share of the history, so it
/// touches about the same share of sled's pages whatever N is. With a fixed
/// number of events a commit, a bigger N spreads each commit's vouchers and
/// index entries over more pages (more vouchers live at once), so every
/// event cost more and the run grew faster than N (BENCHMARKS.md).
pub const COMMITS: usize = 128;

/// Events per commit for a run of `commands` commands.
pub fn batch_events(commands: usize) -> usize {
    (commands / COMMITS).max(BATCH_EVENTS)
}

const PAT: &str = "pat@northwind.example";
const CODY: &str = "cody@northwind.example";
const DANA: &str = "dana@northwind.example";

/// The first day a voucher may be created on (the partner is set up in the
/// weeks before).
const HISTORY_FROM: (i32, u32, u32) = (2022, 8, 1);

/// The generator's seed: the same N gives the same database.
const SEED: u64 = 0x5A95_2026_0615;

const KINDS: [&str; 7] = [
    "Findings and Recommendations",
    "Vision and Scope",
    "Solution Brief",
    "Deployment Plan",
    "Upgrade Plan",
    "Migration Plan",
    "Custom Plan",
];

const DENIALS: [&str; 4] = [
    "Deliverable not signed by the customer",
    "Invoiced from a location outside the delivery country",
    "Completion report without the deliverable",
    "Engagement longer than the voucher allows",
];

/// What `seed_scale` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub vouchers: usize,
    pub customers: usize,
    pub commands: usize,
    pub events: u64,
    pub commits: usize,
    /// Vouchers per status on the demo clock's day, in `Status::ALL` order.
    pub by_status: Vec<(Status, usize)>,
    pub seconds: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let states: Vec<String> = self
            .by_status
            .iter()
            .map(|(s, n)| format!("{} {n}", s.as_str()))
            .collect();
        write!(
            f,
            "demo: {} vouchers ({}) for {} customers; {} commands, {} events in {} commits; {:.1} s",
            self.vouchers,
            states.join(", "),
            self.customers,
            self.commands,
            self.events,
            self.commits,
            self.seconds
        )
    }
}

/// Seeds `store`, which must be empty, with the partner of the demo and `n`
/// generated vouchers, every command through the domain, committed in
/// batches. Returns what it did.
pub fn seed_scale(store: Arc<dyn Backend>, catalog: &Catalog, n: usize) -> Result<Summary, Fatal> {
    let started = Instant::now();
    let session = Session::open(store, catalog.clone())?.keep_all();
    if session.state().org.partner.is_some() {
        return Err(Fatal(
            "this database already has a partner; the demo needs a fresh one".into(),
        ));
    }
    let today = now().date_naive();
    let mut world = World::plan(n, today)?;
    // One stored plan serves every generated report (the copies are
    // content-addressed, so it is one file).
    let (sha256, size) = session
        .backend()
        .keep_bytes(SCALE_PLAN.as_bytes())
        .map_err(|e| Fatal(format!("the generated deliverable was not saved: {e}")))?;
    world.plan_copy = Attachment {
        name: String::new(),
        sha256,
        size,
    };
    let items = world.timeline();
    let mut run = Runner {
        session,
        batch: batch_events(items.len()),
        commands: 0,
        pending: 0,
        events: 0,
        commits: 0,
    };
    let mut invoices = 0u32;
    for item in &items {
        let (actor, cmd) = world.command(item.what, &mut invoices);
        run.run(item.at, actor, cmd)?;
    }
    run.flush()?;
    let (commands, events, commits) = (run.commands, run.events, run.commits);
    let state = run.session.state();
    let mut counts = [0usize; 8];
    for v in state.vouchers.values() {
        let status = v.status(today);
        if let Some(i) = Status::ALL.iter().position(|s| *s == status) {
            counts[i] += 1;
        }
    }
    Ok(Summary {
        vouchers: state.vouchers.len(),
        customers: state.customers.len(),
        commands,
        events,
        commits,
        by_status: Status::ALL.iter().copied().zip(counts).collect(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `date` at 08:00 UTC plus `minute` minutes.
fn at(date: NaiveDate, minute: u32) -> DateTime<Utc> {
    let eight = date.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc();
    eight + Duration::minutes(minute as i64)
}

/// What an entry of the timeline runs.
#[derive(Debug, Clone, Copy)]
enum What {
    Setup(u32),
    Customer(u32),
    Voucher(u32, Step),
}

struct Item {
    at: DateTime<Utc>,
    what: What,
}

/// The plan of everything to run.
struct World {
    setup: Vec<setup::Timed>,
    customers: Vec<CustomerPlan>,
    vouchers: Vec<Plan>,
    /// The stored deliverable every submitted report names.
    plan_copy: Attachment,
}

/// The generated deliverable's content.
const SCALE_PLAN: &str = "A planning deliverable generated by `saps demo --vouchers`.\n";

impl World {
    fn plan(n: usize, today: NaiveDate) -> Result<World, Fatal> {
        let mut rng = Rng::new(SEED);
        let customers = (n / 50).max(6);
        let vouchers = plan::vouchers(&mut rng, n, customers, today)
            .ok_or_else(|| Fatal("the scale demo found no plan for a voucher".into()))?;
        let customers = plan::customers(&mut rng, customers, &vouchers, today);
        Ok(World {
            setup: setup::commands(),
            customers,
            vouchers,
            plan_copy: Attachment {
                name: String::new(),
                sha256: String::new(),
                size: 0,
            },
        })
    }

    /// Every command to run, as (time, what), in time order.
    fn timeline(&self) -> Vec<Item> {
        let mut items = Vec::with_capacity(self.setup.len() + self.customers.len() + 8 * self.vouchers.len());
        for (i, (t, _, _)) in self.setup.iter().enumerate() {
            items.push(Item {
                at: *t,
                what: What::Setup(i as u32),
            });
        }
        for (i, c) in self.customers.iter().enumerate() {
            items.push(Item {
                at: at(c.added_on, c.minute as u32),
                what: What::Customer(i as u32),
            });
        }
        for (i, p) in self.vouchers.iter().enumerate() {
            for s in Step::ALL {
                if let Some(day) = p.day(s) {
                    // From 09:00, a quarter of an hour between steps on the same day.
                    let minute = 60 + p.minute as u32 + 15 * s as u32;
                    items.push(Item {
                        at: at(day, minute),
                        what: What::Voucher(i as u32, s),
                    });
                }
            }
        }
        // Stable: equal times keep the order above.
        items.sort_by_key(|i| i.at);
        items
    }

    /// The acting user and the command of `what`; `invoices` numbers the
    /// payment requests in the order they are filed.
    fn command(&self, what: What, invoices: &mut u32) -> (&'static str, Command) {
        match what {
            What::Setup(i) => {
                let (_, actor, cmd) = &self.setup[i as usize];
                (actor, cmd.clone())
            }
            What::Customer(i) => {
                let c = &self.customers[i as usize];
                let cmd = Command::AddCustomer(AddCustomer {
                    licensing_id: c.licensing_id.clone(),
                    name: c.name.clone(),
                    planning_days: c.planning_days as i64,
                    agreement_expires: c.agreement_expires,
                });
                (PAT, cmd)
            }
            What::Voucher(i, step) => self.voucher_command(i as usize, step, invoices),
        }
    }

    fn voucher_command(&self, i: usize, step: Step, invoices: &mut u32) -> (&'static str, Command) {
        let p = &self.vouchers[i];
        let c = &self.customers[p.customer as usize];
        let (engagement, offering, _, _) = ENGAGEMENTS[p.engagement as usize];
        let (location_id, country, _) = LOCATIONS[p.location as usize];
        let voucher_id = format!("VCH-{:07}", i + 1);
        let admin_email = format!("pm{:03}@{}", p.admin, c.domain);
        let cmd = match step {
            Step::Receive => Command::ReceiveVoucher(ReceiveVoucher {
                voucher_id,
                customer: c.licensing_id.clone(),
                offering: offering.into(),
                days: p.days as i64,
                created_on: p.created_on,
                admin_email,
            }),
            Step::Validate => Command::ValidateVoucher(ValidateVoucher {
                voucher_id,
                admin_email,
            }),
            Step::Reserve => Command::ReserveVoucher(Reserve {
                voucher_id,
                admin_email,
                engagement: engagement.into(),
                location_id: location_id.into(),
                country: country.into(),
                start: p.start,
                end: p.end,
                consultants: vec![p.consultant.into()],
                accept_terms: true,
                distinct_scope: None,
            }),
            Step::Draft => {
                let fields = report(p, &voucher_id, admin_email, &self.plan_copy);
                return (
                    p.consultant,
                    Command::SaveReportDraft(SaveReportDraft { voucher_id, fields }),
                );
            }
            Step::Submit => return (p.consultant, Command::SubmitReport(SubmitReport { voucher_id })),
            Step::Redeem => Command::Redeem(Redeem {
                voucher_ids: vec![voucher_id],
            }),
            Step::Request | Step::Request2 => {
                *invoices += 1;
                Command::RequestPayment(RequestPayment {
                    voucher_id,
                    invoice_number: format!("NW-INV-{:07}", 100_000 + *invoices),
                    location_id: None,
                })
            }
            Step::Answer | Step::Answer2 => {
                let denied = step == Step::Answer && p.denied_first;
                Command::RecordPayment(RecordPayment {
                    voucher_id,
                    outcome: if denied { Outcome::Denied } else { Outcome::Paid },
                    reference: format!("MS-{}{}", i + 1, step as u8),
                    reason: denied.then(|| DENIALS[i % DENIALS.len()].to_string()),
                })
            }
        };
        (PAT, cmd)
    }
}

/// The completion report: whole when it is submitted, otherwise what is
/// known during the engagement.
fn report(p: &Plan, voucher_id: &str, contact: String, copy: &Attachment) -> ReportFields {
    if !p.full_report {
        return ReportFields {
            delivered_start: Some(p.start),
            onsite_days: Some(p.days - p.offsite),
            summary: Some("Workshops held; plan being written.".into()),
            ..ReportFields::default()
        };
    }
    let name = format!("{}-plan.pdf", voucher_id.to_ascii_lowercase());
    ReportFields {
        delivered_start: Some(p.start),
        delivered_end: Some(p.end),
        onsite_days: Some(p.days - p.offsite),
        offsite_days: Some(p.offsite),
        walk_on_hours: Some(2.0),
        deliverable_kind: Some(KINDS[p.kind as usize % KINDS.len()].into()),
        deliverable_path: Some(name.clone()),
        summary: Some("Assessed the current estate and agreed a phased plan.".into()),
        next_steps: Some("Pilot next quarter".into()),
        customer_contact: Some(contact),
        customer_accepted: Some(true),
        deliverable: Some(Attachment { name, ..copy.clone() }),
    }
}
