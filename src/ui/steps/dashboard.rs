//! The dashboard: vouchers per state, money, and the deadlines that cost
//! money. It draws `Model::stats`, counted when the state changes.

use super::{Column, PaneAction, render_styled};
use crate::describe::money;
use crate::domain::records::Stage;
use crate::domain::state::Status;
use crate::ui::model::Model;
use crate::ui::stats::{Deadline, Target, Urgency, urgency};
use crate::ui::tab::Tab;
use crate::ui::widgets::fit::fit;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

/// The deadlines, a row each (Enter opens the one under the cursor).
pub fn rows(m: &Model) -> Vec<Row> {
    m.stats
        .deadlines
        .iter()
        .map(|d| Row::new(d.target.key(), d.text.clone()))
        .collect()
}

/// The deadline under the cursor.
pub fn current(m: &Model) -> Option<&Deadline> {
    let key = m.list(Tab::Dashboard).current()?;
    m.stats.deadlines.iter().find(|d| d.target.key() == key)
}

/// Where a deadline is opened: the step whose list holds it, and the row.
pub fn opens(t: &Target) -> (Tab, String) {
    match t {
        Target::Voucher(id, stage) => {
            let tab = match stage {
                Stage::Assigned => Tab::Reserve,
                Stage::Reserved => Tab::Deliver,
                Stage::Delivered => Tab::Redeem,
                _ => Tab::Payment,
            };
            (tab, id.clone())
        }
        Target::Enrollment(offering) => (Tab::Enroll, offering.clone()),
        Target::Competency(c) => (Tab::Eligibility, c.clone()),
    }
}

const COLUMNS: [Column; 1] = [Column::new("Deadline (Enter opens it)", Constraint::Min(20))];

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
            Bar::default().value(count).label(fit(s.as_str(), width as usize))
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

    if m.stats.deadlines.is_empty() {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Deadlines that cost money (0) ");
        f.render_widget(Paragraph::new("No deadline in sight.").block(block), bottom);
        return;
    }
    // Only the rows that fit are drawn: the list can be long on a large desk.
    render_styled(
        f,
        bottom,
        m,
        Tab::Dashboard,
        "Deadlines that cost money",
        &COLUMNS,
        |k| {
            let Some(d) = m.stats.deadlines.iter().find(|d| d.target.key() == k) else {
                return Vec::new();
            };
            vec![deadline_cell(m, d)]
        },
    );
}

/// A deadline as listed: its sentence, marked "soon" under `SOON_DAYS`, in
/// the warning colour (red once passed).
pub fn deadline_cell(m: &Model, d: &Deadline) -> (String, ratatui::style::Style) {
    let u = urgency(d.left);
    let text = match u {
        Urgency::Soon => format!("{} · soon", d.text),
        _ => d.text.clone(),
    };
    (text, crate::ui::theme::urgency(m, u))
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
