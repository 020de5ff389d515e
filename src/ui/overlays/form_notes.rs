//! What a form says besides its fields: the report form's checklist of the
//! rules its draft does not meet yet (asked of the domain, as step 6 does),
//! and under the deliverable's path what was stored, or that nothing was.

use crate::domain::Ctx;
use crate::domain::command::{Action, CommandKind};
use crate::domain::records::{Stage, Voucher};
use crate::domain::rules::report::report_problems;
use crate::ui::forms::Form;
use crate::ui::model::Model;
use crate::ui::theme;
use ratatui::text::Span;

/// The voucher a report form is about, as read.
fn report_voucher<'m>(m: &'m Model, form: &Form) -> Option<&'m Voucher> {
    if form.spec.cmd != Action::Run(CommandKind::SaveReportDraft) {
        return None;
    }
    m.voucher(form.value("voucher_id").trim())
        .filter(|v| v.stage == Stage::Reserved)
}

/// The report form's checklist, one line a rule: what the saved draft does
/// not meet yet, or that Enter submits it. Other forms: none.
pub fn checklist(m: &Model, form: &Form) -> Vec<Span<'static>> {
    let Some(v) = report_voucher(m, form) else {
        return Vec::new();
    };
    let fields = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
    let ctx = Ctx {
        now: m.now,
        actor: m.actor.as_deref(),
        catalog: &m.catalog,
    };
    let problems = report_problems(v, &fields, &ctx);
    if problems.is_empty() {
        return vec![Span::styled(
            "✓ Before submitting: every rule is met; Enter submits",
            theme::good(m),
        )];
    }
    let mut out = vec![Span::styled(
        format!("Before submitting ({} unmet):", problems.len()),
        theme::warn(m),
    )];
    out.extend(problems.into_iter().map(|p| {
        let text = crate::ui::forms::check::words(form, &p.message);
        Span::styled(format!("✗ {text}"), theme::bad(m))
    }));
    out
}

/// A note under field `i` in place of its hint, good or bad: under the
/// deliverable's path, the copy stored for the path saved, or that none is.
pub fn note(m: &Model, form: &Form, i: usize) -> Option<(String, bool)> {
    let field = form.fields.get(i)?;
    if form.spec.cmd == Action::Run(CommandKind::ReserveVoucher) && field.spec.name == "admin_email" {
        return admin_note(m, form, field.input.value());
    }
    if field.spec.name != "deliverable_path" {
        return None;
    }
    let typed = field.input.value().trim();
    let saved = report_voucher(m, form)?.report.as_ref()?;
    let saved_path = saved.fields.deliverable_path.as_deref().unwrap_or("").trim();
    if typed.is_empty() {
        return Some(("no file yet (Ctrl-T completes a path)".into(), false));
    }
    if typed != saved_path || field.changed {
        return Some(("Tab stores the file · Ctrl-T completes the path".into(), true));
    }
    Some(match &saved.fields.deliverable {
        Some(a) => (
            format!(
                "✓ stored: {} · {} · sha256 {}",
                a.name,
                size(a.size),
                a.sha256.chars().take(8).collect::<String>()
            ),
            true,
        ),
        None => (
            "✗ not stored: no file was found (or it could not be read) at this path when it was saved; give the path of the file again".into(),
            false,
        ),
    })
}

/// Under the reserve form's administrator email (filled in from the voucher
/// as recorded): reserving validates the voucher with it, so it is never
/// taken silently.
fn admin_note(m: &Model, form: &Form, typed: &str) -> Option<(String, bool)> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Some((
            "Reserving validates the voucher with this email: type it".into(),
            false,
        ));
    }
    let recorded = m.voucher(form.value("voucher_id").trim())?;
    Some(match recorded.admin_email.eq_ignore_ascii_case(typed) {
        true => (
            "Reserving validates the voucher with this email (as recorded on step 4)".into(),
            true,
        ),
        false => (
            "Reserving validates with this email: not the one recorded on step 4".into(),
            false,
        ),
    })
}

/// A file size in the unit that reads best.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
