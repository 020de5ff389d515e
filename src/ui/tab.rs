//! The desk's tabs: a dashboard, the program's eight steps, the audit log.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tab {
    Dashboard,
    Eligibility,
    Enroll,
    Profile,
    Intake,
    Reserve,
    Deliver,
    Redeem,
    Payment,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 10] = [
        Tab::Dashboard,
        Tab::Eligibility,
        Tab::Enroll,
        Tab::Profile,
        Tab::Intake,
        Tab::Reserve,
        Tab::Deliver,
        Tab::Redeem,
        Tab::Payment,
        Tab::Audit,
    ];

    /// The step number (1–8), for the eight program steps.
    pub fn step(self) -> Option<u8> {
        let i = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        (1..=8).contains(&i).then_some(i as u8)
    }

    pub fn from_step(n: u8) -> Option<Tab> {
        (1..=8).contains(&n).then(|| Tab::ALL[n as usize])
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Dashboard => "Dashboard",
            Tab::Eligibility => "Eligibility",
            Tab::Enroll => "Enroll",
            Tab::Profile => "Profile",
            Tab::Intake => "Vouchers in",
            Tab::Reserve => "Reserve",
            Tab::Deliver => "Deliver & report",
            Tab::Redeem => "Redeem",
            Tab::Payment => "Payment",
            Tab::Audit => "Audit log",
        }
    }

    /// Shorter labels for narrower terminals: (short, tiny).
    pub fn short_labels(self) -> (&'static str, &'static str) {
        match self {
            Tab::Dashboard => ("Dashboard", "Dash"),
            Tab::Eligibility => ("1 Elig", "1 Elig"),
            Tab::Enroll => ("2 Enroll", "2 Enrol"),
            Tab::Profile => ("3 Profile", "3 Prof"),
            Tab::Intake => ("4 Vouchers", "4 Vchr"),
            Tab::Reserve => ("5 Reserve", "5 Resv"),
            Tab::Deliver => ("6 Deliver", "6 Dlvr"),
            Tab::Redeem => ("7 Redeem", "7 Redm"),
            Tab::Payment => ("8 Payment", "8 Pay"),
            Tab::Audit => ("Audit", "Audit"),
        }
    }

    /// "3 Profile" for a step, the plain title otherwise.
    pub fn label(self) -> String {
        match self.step() {
            Some(n) => format!("{n} {}", self.title()),
            None => self.title().to_string(),
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}
