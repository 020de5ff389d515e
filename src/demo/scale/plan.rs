//! Planning the vouchers and customers: for each voucher a final state on
//! the demo clock's day, a creation date that fits it, and the day of every
//! step up to that state; for each customer a pool that covers its vouchers.
//! Nothing here runs a rule: the plan only has to be one the rules accept.

use super::setup;
use crate::domain::dates::add_days;
use crate::domain::state::{Status, voucher_expiry};
use chrono::NaiveDate;

/// The steps of a voucher's life, in order; a plan has a day for some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Receive,
    Validate,
    Reserve,
    Draft,
    Submit,
    Redeem,
    Request,
    Answer,
    /// Filing again after a denial, and the second answer (paid).
    Request2,
    Answer2,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Receive,
        Step::Validate,
        Step::Reserve,
        Step::Draft,
        Step::Submit,
        Step::Redeem,
        Step::Request,
        Step::Answer,
        Step::Request2,
        Step::Answer2,
    ];
}

/// (slug, offering, consultants who may deliver it, weight).
pub const ENGAGEMENTS: [(&str, &str, &[&str], u32); 5] = [
    (
        "windows-office-deployment",
        "DDPS",
        &[super::CODY, super::DANA],
        25,
    ),
    ("mobile-productivity", "DDPS", &[super::CODY, super::DANA], 10),
    ("exchange-deployment", "SEDPS", &[super::CODY], 20),
    ("sharepoint-deployment", "SDPS", &[super::DANA], 25),
    ("data-estate-modernization", "SSDPS", &[super::DANA], 20),
];

/// (location, country, weight).
pub const LOCATIONS: [(&str, &str, u32); 5] = [
    ("SEA-1", "US", 3),
    ("NYC-1", "US", 3),
    ("TOR-1", "CA", 1),
    ("LON-1", "GB", 2),
    ("BER-1", "DE", 1),
];

/// Final states and their share of the vouchers (percent).
const STATES: [(Status, u32); 8] = [
    (Status::Assigned, 6),
    (Status::Reserved, 8),
    (Status::Delivered, 6),
    (Status::Redeemed, 6),
    (Status::Invoiced, 6),
    (Status::Paid, 50),
    (Status::Denied, 6),
    (Status::Expired, 12),
];

const SERVICE_LEVELS: [(u32, u32); 5] = [(1, 10), (3, 30), (5, 35), (10, 18), (15, 7)];

/// One voucher's plan.
#[derive(Debug, Clone)]
pub struct Plan {
    pub customer: u32,
    pub engagement: u8,
    pub consultant: &'static str,
    pub location: u8,
    pub days: u32,
    pub created_on: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The day of each step taken, indexed by `Step as usize`.
    pub steps: [Option<NaiveDate>; 10],
    /// The first payment request is denied (a denied voucher, or one paid
    /// after filing again).
    pub denied_first: bool,
    /// The draft is the whole report (it is submitted); otherwise a partial
    /// one written during the engagement.
    pub full_report: bool,
    /// Minutes after 09:00 the voucher's steps happen on their days.
    pub minute: u16,
    /// Which voucher administrator of the customer (pmNNN@...).
    pub admin: u16,
    pub offsite: u32,
    pub kind: u8,
}

impl Plan {
    pub fn day(&self, s: Step) -> Option<NaiveDate> {
        self.steps[s as usize]
    }
}

/// One customer's plan.
#[derive(Debug, Clone)]
pub struct CustomerPlan {
    pub licensing_id: String,
    pub name: String,
    /// The voucher administrators' mail domain.
    pub domain: String,
    pub planning_days: u32,
    pub agreement_expires: NaiveDate,
    pub added_on: NaiveDate,
    pub minute: u16,
}

/// SplitMix64: a small, fixed-seed generator (no dependency, same data each run).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A whole number in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// A day in `lo..=hi`.
    pub fn day(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        add_days(lo, self.int(0, (hi - lo).num_days()))
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// The index of an item picked by weight.
    pub fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut x = self.below(total);
        for (i, w) in weights.enumerate() {
            if x < w as u64 {
                return i;
            }
            x -= w as u64;
        }
        0
    }
}

/// Plans `n` vouchers spread over `customers` customers, up to `today`.
/// Sorted by creation date (so voucher ids follow time). `None` only if no
/// creation date fitting a plan was found, which the ranges below rule out.
pub fn vouchers(rng: &mut Rng, n: usize, customers: usize, today: NaiveDate) -> Option<Vec<Plan>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(voucher(rng, customers, today)?);
    }
    out.sort_by_key(|p| (p.created_on, p.steps[0]));
    Some(out)
}

fn voucher(rng: &mut Rng, customers: usize, today: NaiveDate) -> Option<Plan> {
    let status = STATES[rng.weighted(STATES.iter().map(|s| s.1))].0;
    let engagement = rng.weighted(ENGAGEMENTS.iter().map(|e| e.3));
    let who = ENGAGEMENTS[engagement].2;
    let mut plan = Plan {
        // A few large customers, many small ones.
        customer: ((customers as f64) * rng.unit().powf(1.6)) as u32,
        engagement: engagement as u8,
        consultant: who[rng.below(who.len() as u64) as usize],
        location: rng.weighted(LOCATIONS.iter().map(|l| l.2)) as u8,
        days: SERVICE_LEVELS[rng.weighted(SERVICE_LEVELS.iter().map(|d| d.1))].0,
        created_on: today,
        start: today,
        end: today,
        steps: [None; 10],
        denied_first: false,
        full_report: true,
        minute: rng.below(480) as u16,
        admin: rng.below(40) as u16,
        offsite: 0,
        kind: rng.below(7) as u8,
    };
    plan.offsite = if plan.days == 1 {
        0
    } else {
        rng.int(1, 3.min(plan.days as i64 - 1)) as u32
    };
    let refile = match status {
        Status::Paid => rng.chance(8),
        Status::Invoiced => rng.chance(15),
        _ => false,
    };
    plan.denied_first = refile || status == Status::Denied;
    // The last step taken; an expired voucher stopped at one of the first three stages.
    let last = match status {
        Status::Assigned => [Step::Receive, Step::Validate][rng.below(2) as usize],
        Status::Reserved => [Step::Reserve, Step::Draft][rng.below(2) as usize],
        Status::Delivered => Step::Submit,
        Status::Redeemed => Step::Redeem,
        Status::Invoiced if refile => Step::Request2,
        Status::Invoiced => Step::Request,
        Status::Paid if refile => Step::Answer2,
        Status::Paid | Status::Denied => Step::Answer,
        Status::Expired => [Step::Receive, Step::Validate, Step::Reserve, Step::Submit]
            [rng.weighted([25, 20, 35, 20].into_iter())],
    };
    plan.full_report = last >= Step::Submit;
    let from = NaiveDate::from_ymd_opt(
        super::HISTORY_FROM.0,
        super::HISTORY_FROM.1,
        super::HISTORY_FROM.2,
    )?;
    let yesterday = add_days(today, -1);
    let (lo, hi) = match status {
        Status::Assigned | Status::Reserved | Status::Delivered => (add_days(today, -179), yesterday),
        Status::Redeemed | Status::Invoiced => (add_days(today, -170), yesterday),
        Status::Paid | Status::Denied => (from, yesterday),
        Status::Expired => (from, add_days(today, -180)),
    };
    for _ in 0..1000 {
        plan.created_on = rng.day(lo, hi);
        if schedule(rng, &mut plan, status, last, refile, today) {
            return Some(plan);
        }
    }
    None
}

/// Picks the day of every step up to `last`; whether they fit `status` on `today`.
fn schedule(rng: &mut Rng, p: &mut Plan, status: Status, last: Step, refile: bool, today: NaiveDate) -> bool {
    let mut d = [None; 10];
    let after = |rng: &mut Rng, day: NaiveDate, lo: i64, hi: i64| add_days(day, rng.int(lo, hi));
    let receive = after(rng, p.created_on, 0, 3);
    let validate = after(rng, receive, 0, 2);
    let reserve = after(rng, validate, 0, 4);
    p.start = after(rng, reserve, 2, 45);
    // Weekends inside the engagement's span.
    let span = p.days as i64 + 2 * ((p.days as i64 - 1) / 5);
    p.end = add_days(p.start, span - 1);
    let submit_draft = after(rng, p.end, 0, 2);
    let submit = after(rng, submit_draft, 0, 3);
    let redeem = after(rng, submit, 1, 10);
    let (request, answer) = if refile || p.denied_first {
        let request = after(rng, redeem, 1, 10);
        (request, after(rng, request, 7, 20))
    } else {
        let request = after(rng, redeem, 1, 30);
        (request, after(rng, request, 10, 45))
    };
    let request2 = after(rng, answer, 1, 5);
    let answer2 = after(rng, request2, 10, 40);
    // A partial draft is written during the engagement.
    let draft = if p.full_report {
        submit_draft
    } else {
        after(rng, p.start, 0, span - 1)
    };
    let days = [
        receive, validate, reserve, draft, submit, redeem, request, answer, request2, answer2,
    ];
    for s in Step::ALL {
        let refiling = matches!(s, Step::Request2 | Step::Answer2);
        if s <= last && (!refiling || refile) {
            d[s as usize] = Some(days[s as usize]);
        }
    }
    let last_day = days[last as usize];
    let live = voucher_expiry(p.created_on) > today;
    let fits = last_day < today
        && match status {
            Status::Assigned | Status::Reserved | Status::Delivered => live,
            Status::Redeemed => redeem >= add_days(today, -60),
            Status::Invoiced => last_day >= add_days(today, -50),
            Status::Expired => !live,
            Status::Paid | Status::Denied => true,
        };
    p.steps = d;
    fits
}

const NAMES: [&str; 20] = [
    "Fabrikam",
    "Contoso",
    "Tailspin",
    "Woodgrove",
    "Litware",
    "Adatum",
    "Proseware",
    "Wingtip",
    "Alpine Ski House",
    "Coho Winery",
    "Trey Research",
    "Lucerne Publishing",
    "Wide World Importers",
    "Fourth Coffee",
    "Humongous Insurance",
    "Blue Yonder Airlines",
    "Relecloud",
    "VanArsdel",
    "Graphic Design Institute",
    "Southridge Video",
];
const KINDS: [&str; 10] = [
    "Inc.",
    "Ltd",
    "GmbH",
    "Group",
    "Holdings",
    "Pharma",
    "Bank",
    "Retail",
    "Logistics",
    "Energy",
];
const PLACES: [&str; 10] = [
    "Seattle", "Toronto", "London", "Berlin", "Chicago", "Boston", "Munich", "Leeds", "Ottawa", "Austin",
];

/// One customer per index, with a pool that covers its vouchers and some to spare.
pub fn customers(rng: &mut Rng, count: usize, vouchers: &[Plan], today: NaiveDate) -> Vec<CustomerPlan> {
    let mut days = vec![0u32; count];
    let mut first: Vec<Option<NaiveDate>> = vec![None; count];
    let mut last: Vec<Option<NaiveDate>> = vec![None; count];
    for v in vouchers {
        let c = v.customer as usize;
        days[c] += v.days;
        let received = v.day(Step::Receive).unwrap_or(v.created_on);
        first[c] = Some(first[c].map_or(received, |d| d.min(received)));
        last[c] = Some(last[c].map_or(v.created_on, |d| d.max(v.created_on)));
    }
    let ready = setup::done_on();
    (0..count)
        .map(|i| {
            let base = NAMES[i % NAMES.len()];
            let mut name = format!(
                "{base} {} {}",
                KINDS[(i / NAMES.len()) % KINDS.len()],
                PLACES[(i / (NAMES.len() * KINDS.len())) % PLACES.len()]
            );
            if i >= NAMES.len() * KINDS.len() * PLACES.len() {
                name.push_str(&format!(" {}", i + 1));
            }
            let slug: String = base
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let added_on = match first[i] {
                Some(d) => add_days(d, -rng.int(1, 20)).max(ready),
                None => rng.day(ready, add_days(today, -1)),
            };
            let latest = last[i].unwrap_or(added_on);
            CustomerPlan {
                licensing_id: format!("LIC-{:06}", 200_001 + i),
                name,
                domain: format!("{slug}{}.example", i + 1),
                planning_days: days[i] + 5 * rng.int(2, 12) as u32,
                agreement_expires: add_days(latest, rng.int(200, 1100)),
                added_on,
                minute: rng.below(60) as u16,
            }
        })
        .collect()
}
