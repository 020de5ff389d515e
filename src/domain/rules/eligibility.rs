//! Step 1: which engagements the partner qualifies for, requirement by
//! requirement, and whether a consultant may deliver one.

use crate::domain::catalog::{Engagement, Qualifier};
use crate::domain::records::{Competency, Exam};
use crate::domain::state::State;
use chrono::NaiveDate;

/// One qualifying competency of an engagement, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct QualifierCheck<'a> {
    pub qualifier: &'a Qualifier,
    /// The partner's record of that competency, if any.
    pub held: Option<&'a Competency>,
    /// Held at the required level or above, and not expired.
    pub competency_ok: bool,
    /// Some user passed an exam of that competency.
    pub exam_ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EligibilityStatus {
    NotStarted,
    InProgress,
    Active,
}

impl EligibilityStatus {
    pub fn label(self) -> &'static str {
        match self {
            EligibilityStatus::NotStarted => "Not started",
            EligibilityStatus::InProgress => "In progress",
            EligibilityStatus::Active => "Active",
        }
    }
}

/// A competency counts on `today` when held at `level` or above and not yet
/// expired (it expires on its `expires` date).
pub fn competency_valid(c: &Competency, q: &Qualifier, today: NaiveDate) -> bool {
    c.level >= q.level && today < c.expires
}

fn held<'a>(state: &'a State, q: &Qualifier) -> Option<&'a Competency> {
    state.org.competencies.get(&q.competency.to_ascii_lowercase())
}

fn exams_of<'a>(state: &'a State, competency: &'a str) -> impl Iterator<Item = &'a Exam> {
    state
        .org
        .exams
        .iter()
        .filter(move |e| e.competency.eq_ignore_ascii_case(competency))
}

pub fn checks<'a>(state: &'a State, engagement: &'a Engagement, today: NaiveDate) -> Vec<QualifierCheck<'a>> {
    engagement
        .qualifying
        .iter()
        .map(|q| {
            let held = held(state, q);
            QualifierCheck {
                qualifier: q,
                held,
                competency_ok: held.is_some_and(|c| competency_valid(c, q, today)),
                exam_ok: exams_of(state, &q.competency).next().is_some(),
            }
        })
        .collect()
}

/// Active when one qualifying competency is held and examined; in progress
/// when some requirement is met; otherwise not started.
pub fn status(checks: &[QualifierCheck]) -> EligibilityStatus {
    if checks.iter().any(|c| c.competency_ok && c.exam_ok) {
        EligibilityStatus::Active
    } else if checks
        .iter()
        .any(|c| c.competency_ok || c.exam_ok || c.held.is_some())
    {
        EligibilityStatus::InProgress
    } else {
        EligibilityStatus::NotStarted
    }
}

/// The partner holds a qualifying competency of the engagement on `today`.
pub fn holds_competency(state: &State, engagement: &Engagement, today: NaiveDate) -> bool {
    checks(state, engagement, today).iter().any(|c| c.competency_ok)
}

/// The consultant passed an exam of a qualifying competency the partner holds.
pub fn consultant_qualified(state: &State, engagement: &Engagement, email: &str, today: NaiveDate) -> bool {
    checks(state, engagement, today)
        .iter()
        .filter(|c| c.competency_ok)
        .any(|c| exams_of(state, &c.qualifier.competency).any(|e| e.consultant.eq_ignore_ascii_case(email)))
}
