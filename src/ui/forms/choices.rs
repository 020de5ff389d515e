//! Fields whose value comes from a known list: the list, in names, valid
//! choices first. The lists come from what the desk holds (the organisation,
//! the catalog, the customers and vouchers read); whether a choice is valid
//! is asked of the domain. Free text stays possible: a value need not be one
//! of the choices (the domain decides).

use super::Form;
use crate::domain::catalog::Engagement;
use crate::domain::command::{Action, CommandKind};
use crate::domain::records::Role;
use crate::domain::rules::eligibility::{consultant_qualified, holds_competency};
use crate::ui::model::Model;
use std::collections::BTreeSet;

/// Where a field's choices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The catalog's engagements (of the voucher's offering, when read).
    Engagement,
    Location,
    /// ISO codes with a day rate, and the locations' countries.
    Country,
    /// The organisation's consultants; `true`: several may be picked.
    Consultant(bool),
    DeliverableKind,
    Offering,
    Competency,
    Customer,
}

/// The source of the field `name` in the form for `cmd`, if it has one.
pub fn source(cmd: Action, name: &str) -> Option<Source> {
    use CommandKind as K;
    use Source::*;
    let Action::Run(kind) = cmd else {
        return (cmd == Action::ExportPacket && name == "consultant").then_some(Consultant(false));
    };
    Some(match (kind, name) {
        (K::ReserveVoucher, "engagement") => Engagement,
        (K::ReserveVoucher | K::RequestPayment, "location_id") => Location,
        (K::UpdateProfile, "locations") => Location,
        (K::ReserveVoucher | K::AddLocation, "country") => Country,
        (K::ReserveVoucher, "consultants") => Consultant(true),
        (K::RecordExam, "consultant") => Consultant(false),
        (K::SaveReportDraft, "deliverable_kind") => DeliverableKind,
        (K::Enroll | K::ReceiveVoucher | K::RegisterSavb, "offering") => Offering,
        (K::AddCompetency | K::RecordExam, "competency") => Competency,
        (K::ReceiveVoucher, "customer") => Customer,
        _ => return None,
    })
}

/// One choice: the value the field takes, and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub shown: String,
    /// A valid choice (listed first); otherwise `note` says why not.
    pub ok: bool,
    pub note: Option<&'static str>,
}

fn choice(value: impl Into<String>, shown: impl Into<String>) -> Choice {
    Choice {
        value: value.into(),
        shown: shown.into(),
        ok: true,
        note: None,
    }
}

/// Whether field `i` of `form` picks several values (a comma-separated list).
pub fn multi(form: &Form, i: usize) -> bool {
    matches!(
        (form.spec.cmd, form.fields[i].spec.name),
        (Action::Run(CommandKind::ReserveVoucher), "consultants")
            | (Action::Run(CommandKind::UpdateProfile), "locations")
    )
}

/// What filters the list: the field's text, or in a multi-pick the part
/// after the last comma.
pub fn typed_part(form: &Form, i: usize) -> &str {
    let v = form.fields[i].input.value();
    match multi(form, i) {
        true => v.rsplit(',').next().unwrap_or("").trim(),
        false => v.trim(),
    }
}

/// The choices of field `i` matching what is typed (in a multi-pick, less
/// those already picked), valid ones first; empty for a field with no list.
pub fn shown(m: &Model, form: &Form, i: usize) -> Vec<Choice> {
    let Some(src) = form
        .fields
        .get(i)
        .and_then(|f| source(form.spec.cmd, f.spec.name))
    else {
        return Vec::new();
    };
    let want = typed_part(form, i).to_lowercase();
    let picked: BTreeSet<String> = match multi(form, i) {
        true => form.fields[i]
            .input
            .value()
            .split(',')
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect(),
        false => BTreeSet::new(),
    };
    let mut all: Vec<Choice> = all(m, form, src)
        .into_iter()
        .filter(|c| !picked.contains(&c.value.to_lowercase()) || c.value.to_lowercase() == want)
        .filter(|c| {
            want.is_empty()
                || c.value.to_lowercase().contains(&want)
                || c.shown.to_lowercase().contains(&want)
        })
        .collect();
    all.sort_by_key(|c| !c.ok);
    all
}

/// The choice Enter would take in the focused field's list: the one ↑/↓
/// moved to, or the first when something is typed that is not a choice.
pub fn armed(form: &Form, list: &[Choice]) -> Option<usize> {
    if list.is_empty() {
        return None;
    }
    let typed = typed_part(form, form.focus);
    let exact = list.iter().any(|c| c.value.eq_ignore_ascii_case(typed));
    form.pick
        .or_else(|| (!typed.is_empty() && !exact).then_some(0))
        .map(|i| i.min(list.len() - 1))
}

/// The engagement the form names, when the catalog knows it.
fn engagement<'m>(m: &'m Model, form: &Form) -> Option<&'m Engagement> {
    let slug = form.value("engagement").trim();
    m.catalog.engagements.iter().find(|e| e.slug == slug)
}

fn all(m: &Model, form: &Form, src: Source) -> Vec<Choice> {
    let today = m.now.date_naive();
    match src {
        Source::Engagement => {
            let offering = m
                .voucher(form.value("voucher_id").trim())
                .map(|v| v.offering.clone());
            m.catalog
                .engagements
                .iter()
                .filter(|e| offering.as_ref().is_none_or(|o| *o == e.offering))
                .map(|e| Choice {
                    ok: holds_competency(&m.state, e, today),
                    note: Some("the partner holds no qualifying competency"),
                    ..choice(&e.slug, format!("{} ({})", e.name, e.slug))
                })
                .map(|c| Choice {
                    note: c.note.filter(|_| !c.ok),
                    ..c
                })
                .collect()
        }
        Source::Location => m
            .state
            .org
            .locations
            .values()
            .map(|l| choice(&l.location_id, format!("{} ({})", l.location_id, l.country)))
            .collect(),
        Source::Country => {
            let mut codes: BTreeSet<&str> = m.catalog.rates.keys().map(String::as_str).collect();
            codes.extend(m.state.org.locations.values().map(|l| l.country.as_str()));
            codes.into_iter().map(|c| choice(c, c)).collect()
        }
        Source::Consultant(_) => {
            let eng = engagement(m, form);
            m.state
                .org
                .users
                .values()
                .filter(|u| u.role == Role::Consultant)
                .map(|u| {
                    let ok = eng.is_none_or(|e| consultant_qualified(&m.state, e, &u.email, today));
                    Choice {
                        ok,
                        note: (!ok).then_some("no qualifying exam"),
                        ..choice(&u.email, format!("{} <{}>", u.name, u.email))
                    }
                })
                .collect()
        }
        Source::DeliverableKind => m.catalog.deliverable_kinds.iter().map(|k| choice(k, k)).collect(),
        Source::Offering => m
            .catalog
            .offerings
            .iter()
            .map(|o| choice(&o.code, format!("{} ({})", o.name, o.code)))
            .collect(),
        Source::Competency => {
            let held = &m.state.org.competencies;
            let exam = form.spec.cmd == Action::Run(CommandKind::RecordExam);
            let names: BTreeSet<&str> = m
                .catalog
                .engagements
                .iter()
                .flat_map(|e| e.qualifying.iter().map(|q| q.competency.as_str()))
                .chain(held.keys().map(String::as_str))
                .collect();
            names
                .into_iter()
                .map(|n| Choice {
                    // An exam counts for a competency the partner holds.
                    ok: !exam || held.contains_key(n),
                    note: (exam && !held.contains_key(n)).then_some("the partner does not hold it"),
                    ..choice(n, n)
                })
                .collect()
        }
        // Every customer once their names are read, else those step 4 shows.
        Source::Customer => match &m.customer_names {
            Some((names, _)) => names
                .iter()
                .map(|(id, name)| choice(id, format!("{name} ({id})")))
                .collect(),
            None => m
                .customers
                .iter()
                .flatten()
                .map(|(c, _)| choice(&c.licensing_id, format!("{} ({})", c.name, c.licensing_id)))
                .collect(),
        },
    }
}

/// Takes `c` into field `i`: its value (added to a multi-pick's list), and
/// what follows from it (a location's country).
pub fn take(m: &Model, form: &mut Form, i: usize, c: &Choice) {
    let value = match multi(form, i) {
        true => {
            let v = form.fields[i].input.value();
            let kept: Vec<&str> = v.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            let mut kept: Vec<&str> = match v.trim_end().ends_with(',') || v.trim().is_empty() {
                true => kept,
                false => kept[..kept.len().saturating_sub(1)].to_vec(),
            };
            kept.push(&c.value);
            format!("{}, ", kept.join(", "))
        }
        false => c.value.clone(),
    };
    set(form, i, value);
    let name = form.fields[i].spec.name;
    if source(form.spec.cmd, name) == Some(Source::Location)
        && let Some(l) = m.state.org.locations.get(&c.value)
        && let Some(j) = form.fields.iter().position(|f| f.spec.name == "country")
    {
        set(form, j, l.country.clone());
    }
}

fn set(form: &mut Form, i: usize, value: String) {
    let f = &mut form.fields[i];
    f.input = tui_input::Input::new(value);
    f.changed = true;
    f.error = None;
}
