//! The dashboard: vouchers per state, money, and the deadlines that cost money.

use super::PaneAction;
use crate::domain::state::Status;
use crate::ui::describe::money;
use crate::ui::model::Model;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Wrap};
use std::collections::BTreeMap;

pub fn rows(_m: &Model) -> Vec<Row> {
    Vec::new()
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let today = m.today();
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let [chart, money_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(top);
    let mut counts: BTreeMap<Status, u64> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for v in m.state.vouchers.values() {
        *counts.entry(v.status(today)).or_default() += 1;
    }
    // Eight bars share the inner width: each as wide as fits, one column apart.
    let width = ((chart.width.saturating_sub(2) / 8).saturating_sub(1)).clamp(1, 12);
    let bars: Vec<Bar> = Status::ALL
        .iter()
        .map(|s| {
            Bar::default()
                .value(counts[s])
                .label(s.as_str().chars().take(width as usize).collect::<String>())
        })
        .collect();
    let chart_widget = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Vouchers per state "),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(1);
    f.render_widget(chart_widget, chart);

    let mut sums: BTreeMap<(String, &str), u64> = BTreeMap::new();
    for v in m.state.vouchers.values() {
        for inv in &v.invoices {
            let kind = match inv.payment.as_ref().map(|p| p.outcome) {
                Some(crate::domain::records::Outcome::Paid) => "paid",
                Some(crate::domain::records::Outcome::Denied) => "denied",
                None => "requested",
            };
            *sums.entry((inv.currency.clone(), kind)).or_default() += inv.amount;
        }
    }
    let lines: Vec<String> = sums
        .iter()
        .map(|((cur, kind), amount)| format!("{kind:<10} {} {cur}", money(*amount)))
        .collect();
    let text = if lines.is_empty() {
        "No payment requests yet.".to_string()
    } else {
        lines.join("\n")
    };
    f.render_widget(
        Paragraph::new(text).block(Block::default().borders(Borders::ALL).title(" Money ")),
        money_area,
    );

    let mut deadlines = Vec::new();
    for v in m.state.vouchers.values() {
        let left = (v.expires_on() - today).num_days();
        if matches!(
            v.status(today),
            Status::Assigned | Status::Reserved | Status::Delivered
        ) && left <= 30
        {
            deadlines.push((
                left,
                format!(
                    "{} expires in {left} days ({}) – {}",
                    v.voucher_id,
                    v.expires_on(),
                    v.status(today).as_str()
                ),
            ));
        }
        if let Some(r) = &v.redemption
            && matches!(v.status(today), Status::Redeemed | Status::Denied)
        {
            let left = (r.invoice_deadline - today).num_days();
            if (0..=14).contains(&left) {
                deadlines.push((
                    left,
                    format!(
                        "{} payment window closes in {left} days ({})",
                        v.voucher_id, r.invoice_deadline
                    ),
                ));
            }
        }
    }
    for e in m.state.org.enrollments.values() {
        let left = (e.expires_on - today).num_days();
        if left <= 90 {
            deadlines.push((
                left,
                format!(
                    "enrollment in {} ends in {left} days ({})",
                    e.offering, e.expires_on
                ),
            ));
        }
    }
    for c in m.state.org.competencies.values() {
        let left = (c.expires - today).num_days();
        if left <= 90 {
            deadlines.push((
                left,
                format!("competency {} ends in {left} days ({})", c.competency, c.expires),
            ));
        }
    }
    deadlines.sort();
    let text = if deadlines.is_empty() {
        "No deadline in sight.".to_string()
    } else {
        deadlines
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Deadlines that cost money ");
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        bottom,
    );
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let file = format!(
        "{}-{}.sapsbak",
        m.db_label.trim_end_matches('/'),
        m.now.format("%Y%m%d-%H%M%S")
    );
    vec![PaneAction::new('b', "Back up the database", crate::ui::update::BACKUP).fill("file", file)]
}
