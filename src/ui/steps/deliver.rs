//! Step 6, deliver and report: reserved engagements (a consultant sees the
//! ones it is named on), the report draft, and every rule it does not meet
//! yet, asked of the domain.

use super::PaneAction;
use super::detail::{current_voucher, voucher_lines, voucher_table};
use crate::domain::Ctx;
use crate::domain::command::CommandKind;
use crate::domain::records::ReportFields;
use crate::domain::records::Stage;
use crate::domain::rules::report::report_problems;
use crate::ui::field;
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::theme;
use crate::ui::widgets::fit::overflow_hint;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    voucher_table(f, list, m, Tab::Deliver, "Engagements to deliver and report");
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(detail);
    let v = current_voucher(m, Tab::Deliver);
    let v = v.as_ref();
    let lines = v.map(|v| voucher_lines(v, m)).unwrap_or_default();
    let block = Block::default().borders(Borders::ALL).title(" Engagement ");
    let block = overflow_hint(block, &lines, left);
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), left);
    let mut lines = Vec::new();
    if v.is_some_and(|v| v.stage != Stage::Reserved) {
        // A field copy's submitted report: what is left is sending it.
        lines.push(Line::styled("✓ Report submitted", theme::good(m)));
        lines.push(Line::from("b writes its bundle for the office"));
    } else if let Some(v) = v {
        let fields = v.report.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
        let ctx = Ctx {
            now: m.now,
            actor: m.actor.as_deref(),
            catalog: &m.catalog,
        };
        let problems = report_problems(v, &fields, &ctx);
        if problems.is_empty() {
            lines.push(Line::styled("✓ Ready to submit (s)", theme::good(m)));
        }
        for p in problems {
            lines.push(Line::styled(format!("✗ {}", p.message), theme::bad(m)));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Before submitting ");
    let block = overflow_hint(block, &lines, right);
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        right,
    );
}

fn draft_prefill(a: PaneAction, f: &ReportFields) -> PaneAction {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let n = |o: Option<u32>| o.map(|d| d.to_string()).unwrap_or_default();
    a.fill(
        "delivered_start",
        f.delivered_start.map(|d| d.to_string()).unwrap_or_default(),
    )
    .fill(
        "delivered_end",
        f.delivered_end.map(|d| d.to_string()).unwrap_or_default(),
    )
    .fill("onsite_days", n(f.onsite_days))
    .fill("offsite_days", n(f.offsite_days))
    .fill(
        "walk_on_hours",
        f.walk_on_hours.map(|h| h.to_string()).unwrap_or_default(),
    )
    .fill("deliverable_kind", s(&f.deliverable_kind))
    .fill("deliverable_path", s(&f.deliverable_path))
    .fill("summary", s(&f.summary))
    .fill("next_steps", s(&f.next_steps))
    .fill("customer_contact", s(&f.customer_contact))
    .fill(
        "customer_accepted",
        if f.customer_accepted == Some(true) {
            "yes"
        } else {
            "no"
        },
    )
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let v = current_voucher(m, Tab::Deliver);
    let v = v.as_ref();
    let id = v.map(|v| v.voucher_id.clone()).unwrap_or_default();
    let fields = v
        .and_then(|v| v.report.as_ref())
        .map(|r| r.fields.clone())
        .unwrap_or_default();
    let open = v.is_some_and(|v| v.stage == Stage::Reserved);
    let draft =
        PaneAction::new('d', "Fill the report", CommandKind::SaveReportDraft).fill("voucher_id", id.clone());
    let mut actions = vec![
        draft_prefill(draft, &fields)
            .only_if(v.is_some(), "select an engagement")
            .only_if(open, "the report is submitted"),
        PaneAction::new('s', "Submit the report", CommandKind::SubmitReport)
            .fill("voucher_id", id)
            .only_if(v.is_some(), "select an engagement")
            .only_if(open, "the report is submitted"),
    ];
    // The files each way: a field copy sends bundles and takes packets, the
    // office the other way round.
    if m.field_owner.is_some() {
        actions.push(field::bundle_action(v, m));
        actions.push(field::import_packet_action());
    } else {
        actions.push(field::packet_action(v, m));
        actions.push(field::import_bundle_action(v, m));
    }
    actions
}
