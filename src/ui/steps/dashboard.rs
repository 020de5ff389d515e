//! The dashboard: vouchers per state, money, and the deadlines that cost
//! money. It draws `Model::stats`, counted when the state changes.

use super::PaneAction;
use crate::domain::state::Status;
use crate::ui::describe::money;
use crate::ui::model::Model;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Wrap};

pub fn rows(_m: &Model) -> Vec<Row> {
    Vec::new()
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let [chart, money_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(top);
    // Eight bars share the inner width: each as wide as fits, one column apart.
    let width = ((chart.width.saturating_sub(2) / 8).saturating_sub(1)).clamp(1, 12);
    let bars: Vec<Bar> = Status::ALL
        .iter()
        .map(|s| {
            let count = m.stats.per_status.get(s).copied().unwrap_or(0);
            Bar::default()
                .value(count)
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

    let lines: Vec<String> = m
        .stats
        .money
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

    let text = if m.stats.deadlines.is_empty() {
        "No deadline in sight.".to_string()
    } else {
        // Only what fits is joined: the list can be long on a large desk.
        let room = bottom.height.saturating_sub(2) as usize;
        m.stats
            .deadlines
            .iter()
            .take(room)
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let title = format!(" Deadlines that cost money ({}) ", m.stats.deadlines.len());
    let block = Block::default().borders(Borders::ALL).title(title);
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        bottom,
    );
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    // Beside the database, whatever the status bar calls it.
    let db = m.db_path.display().to_string();
    let file = format!(
        "{}-{}.sapsbak",
        db.trim_end_matches('/'),
        m.now.format("%Y%m%d-%H%M%S")
    );
    let mut actions =
        vec![PaneAction::new('b', "Back up the database", crate::ui::update::BACKUP).fill("file", file)];
    actions.extend(crate::ui::sheets::export_actions(m));
    actions
}
