//! The guided tour of `saps demo --tour`: one stop per step, each moving to
//! its pane and pointing at a demo voucher.

use super::tab::Tab;

pub struct Stop {
    pub tab: Tab,
    pub title: &'static str,
    pub text: &'static str,
    /// The demo voucher this stop talks about.
    pub voucher: Option<&'static str>,
}

pub const STOPS: &[Stop] = &[
    Stop {
        tab: Tab::Dashboard,
        title: "Welcome",
        text: "This is the desk of a demo partner. The dashboard shows vouchers per state, money requested, paid and denied, and the deadlines that cost money. Press n for the next stop, p to go back, Esc to end the tour.",
        voucher: None,
    },
    Stop {
        tab: Tab::Eligibility,
        title: "1 Verify eligibility",
        text: "Each engagement needs a qualifying competency (Silver or Gold, unexpired) and a consultant who passed an exam of it. Every requirement shows ✓ or ✗; the status is Not started, In progress or Active.",
        voucher: None,
    },
    Stop {
        tab: Tab::Enroll,
        title: "2 Enroll",
        text: "Enroll in an offering for one year after reviewing the policies and accepting the agreement. Renewal opens 90 days before the enrollment ends. The MPN membership must be active.",
        voucher: None,
    },
    Stop {
        tab: Tab::Profile,
        title: "3 Business profile",
        text: "What customers see: a description of at most 2,500 characters, website, LinkedIn, industries, products, services, customer size, at most 5 locations per country. Published changes reach customers within 24 hours.",
        voucher: None,
    },
    Stop {
        tab: Tab::Intake,
        title: "4 Vouchers in",
        text: "The customer's benefit administrator creates a voucher and forwards its id; record it here. The highlighted voucher is new and still assigned: it expires 180 days after creation.",
        voucher: Some("DEMO-0001"),
    },
    Stop {
        tab: Tab::Reserve,
        title: "5 Validate and reserve",
        text: "Validate with the voucher id and the voucher administrator's email, then reserve: engagement, location in the delivery country, dates inside the voucher's 180 days, qualified consultants, the terms.",
        voucher: Some("DEMO-0001"),
    },
    Stop {
        tab: Tab::Deliver,
        title: "6 Deliver and report",
        text: "The consultant fills the completion report as a draft saved field by field, and submits once the engagement has ended, on-site plus off-site days equal the voucher's days (at most 3 off site, 4 walk-on hours) and the deliverable is attached. DEMO-0007's engagement ends 2026-06-26: the demo's clock moves a day with + and a week with > (the status bar shows the day), so press > twice, then d to fill the report and s to submit it.",
        voucher: Some("DEMO-0007"),
    },
    Stop {
        tab: Tab::Redeem,
        title: "7 Redeem",
        text: "Once the report is in and before the voucher expires, redeem: select several with Space and redeem them at once.",
        voucher: Some("DEMO-0009"),
    },
    Stop {
        tab: Tab::Payment,
        title: "8 Request payment",
        text: "Register the offering in SAVB once, then request payment within 60 days of redemption from a location in the delivery country. The confirmation shows the amount: days × the country's day rate.",
        voucher: Some("DEMO-0013"),
    },
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tour {
    pub stop: usize,
}

impl Tour {
    pub fn current(&self) -> &'static Stop {
        &STOPS[self.stop.min(STOPS.len() - 1)]
    }
    pub fn next(&mut self) {
        self.stop = (self.stop + 1).min(STOPS.len() - 1);
    }
    pub fn prev(&mut self) {
        self.stop = self.stop.saturating_sub(1);
    }
    pub fn tab(&self) -> Tab {
        self.current().tab
    }
    pub fn voucher(&self) -> Option<&'static str> {
        self.current().voucher
    }
}
