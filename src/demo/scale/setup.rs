//! The partner of the small demo (`assets/demo.jsonl`), set up in mid-2022
//! so that four years of vouchers fit: the same users, locations,
//! competencies (renewed each June, the last renewal being the small demo's
//! own), exams, enrollments (renewed each June, inside the 90-day window)
//! and profile.

use super::{ADMIN, CODY, DANA, PAT, at};
use crate::domain::Command;
use crate::domain::catalog::Level;
use crate::domain::command::{AddCompetency, AddLocation, AddUser, Enroll, InitPartner, RecordExam};
use crate::domain::event::ProfilePatch;
use crate::domain::records::Role;
use chrono::{DateTime, NaiveDate, Utc};

/// A command of the set-up, with its time and acting user.
pub type Timed = (DateTime<Utc>, &'static str, Command);

const OFFERINGS: [&str; 4] = ["DDPS", "SEDPS", "SDPS", "SSDPS"];

/// A date as (year, month, day).
type Ymd = (i32, u32, u32);

/// (competency, level, the small demo's expiry).
const COMPETENCIES: [(&str, Level, Ymd); 4] = [
    ("Windows and Devices", Level::Gold, (2027, 3, 31)),
    ("Messaging", Level::Silver, (2026, 8, 31)),
    ("Collaboration and Content", Level::Silver, (2027, 1, 31)),
    ("Data Platform", Level::Gold, (2026, 12, 31)),
];

/// (consultant, exam, competency, passed on).
const EXAMS: [(&str, &str, &str, Ymd); 5] = [
    (CODY, "MD-102", "Windows and Devices", (2022, 3, 14)),
    (CODY, "MS-203", "Messaging", (2022, 4, 2)),
    (DANA, "MS-700", "Collaboration and Content", (2022, 2, 20)),
    (DANA, "DP-300", "Data Platform", (2022, 5, 9)),
    (DANA, "MD-102", "Windows and Devices", (2022, 5, 30)),
];

fn ymd((y, m, d): Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The day the set-up is done; customers come from then on.
pub fn done_on() -> NaiveDate {
    ymd((2022, 7, 5))
}

/// Every set-up command, each at its time (in order within a day).
pub fn commands() -> Vec<Timed> {
    let mut out: Vec<Timed> = Vec::new();
    let mut push = |day: Ymd, actor: &'static str, cmd: Command| {
        let minute = 60 + out.len() as u32;
        out.push((at(ymd(day), minute), actor, cmd));
    };
    let start = (2022, 6, 20);
    push(
        start,
        ADMIN,
        Command::InitPartner(InitPartner {
            name: "Northwind Planning Partners".into(),
            mpn_id: "7001234".into(),
            mpn_expires: ymd((2027, 9, 30)),
            admin_name: "Ava Lindqvist".into(),
            admin_email: ADMIN.into(),
        }),
    );
    for (email, name, role) in [
        (PAT, "Pat Okafor", Role::PartnerAdmin),
        (CODY, "Cody Reyes", Role::Consultant),
        (DANA, "Dana Whitfield", Role::Consultant),
    ] {
        let (email, name) = (email.into(), name.into());
        push(start, ADMIN, Command::AddUser(AddUser { email, name, role }));
    }
    for (id, country) in [
        ("SEA-1", "US"),
        ("NYC-1", "US"),
        ("TOR-1", "CA"),
        ("LON-1", "GB"),
        ("BER-1", "DE"),
    ] {
        let (location_id, country) = (id.into(), country.into());
        push(
            start,
            PAT,
            Command::AddLocation(AddLocation { location_id, country }),
        );
    }
    // Competencies for a year at a time; the 2025 renewal is the small demo's.
    for year in 2022..=2025 {
        for (competency, level, demo_expiry) in COMPETENCIES {
            let expires = if year == 2025 {
                ymd(demo_expiry)
            } else {
                ymd((year + 1, 6, 30))
            };
            let competency = competency.into();
            push(
                (year, 6, 21),
                PAT,
                Command::AddCompetency(AddCompetency {
                    competency,
                    level,
                    expires,
                }),
            );
        }
    }
    for (consultant, exam, competency, passed_on) in EXAMS {
        let cmd = Command::RecordExam(RecordExam {
            consultant: consultant.into(),
            exam: exam.into(),
            competency: competency.into(),
            passed_on: ymd(passed_on),
        });
        push((2022, 6, 22), consultant, cmd);
    }
    // Enrolled on 2022-07-01 for a year, renewed every June 1 (the window
    // opens 90 days before July 1); the last renewal runs to 2027-07-01.
    for day in [
        (2022, 7, 1),
        (2023, 6, 1),
        (2024, 6, 1),
        (2025, 6, 1),
        (2026, 6, 1),
    ] {
        for offering in OFFERINGS {
            let cmd = Command::Enroll(Enroll {
                offering: offering.into(),
                accept_agreement: true,
                policies_reviewed: true,
            });
            push(day, PAT, cmd);
        }
    }
    push((2022, 7, 2), PAT, Command::UpdateProfile(profile()));
    push((2022, 7, 2), ADMIN, Command::PublishProfile);
    out.sort_by_key(|(t, _, _)| *t);
    out
}

fn profile() -> ProfilePatch {
    let list = |items: &[&str]| Some(items.iter().map(|s| s.to_string()).collect());
    ProfilePatch {
        description: Some(
            "Northwind plans Windows, Office, Exchange, SharePoint and SQL Server deployments for \
             mid-size and enterprise customers across North America and Europe. Every engagement \
             ends with a plan your team can run."
                .into(),
        ),
        website: Some("https://northwind.example".into()),
        linkedin: Some("https://www.linkedin.com/company/northwind-planning".into()),
        industries: list(&["Manufacturing", "Financial services", "Retail"]),
        products: list(&[
            "Windows 11",
            "Microsoft 365 Apps",
            "Exchange Server",
            "SharePoint Server",
            "SQL Server",
        ]),
        services: list(&["Deployment planning", "Migration planning"]),
        target_size: Some("500-20,000 seats".into()),
        locations: list(&["SEA-1", "NYC-1", "TOR-1", "LON-1", "BER-1"]),
    }
}
