//! Step 1, eligibility: each engagement's requirements with ✓/✗ and its
//! status, and the partner's competencies, exams and locations.

use super::{Column, PaneAction, render_table};
use crate::domain::command::CommandKind;
use crate::domain::rules::eligibility::{checks, status};
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::theme::check;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn rows(m: &Model) -> Vec<Row> {
    m.catalog
        .engagements
        .iter()
        .map(|e| Row::new(e.slug.clone(), format!("{} {} {}", e.offering, e.slug, e.name)))
        .collect()
}

const COLUMNS: [Column; 5] = [
    Column::new("Offering", Constraint::Length(8)),
    // The engagement's name takes what the terminal has to spare.
    Column::new("Engagement", Constraint::Fill(1)),
    Column::new("Competency", Constraint::Length(10)),
    Column::new("Exam", Constraint::Length(5)),
    Column::new("Status", Constraint::Length(11)),
];

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    let today = m.today();
    render_table(f, list, m, Tab::Eligibility, "Engagements", &COLUMNS, |k| {
        let Some(e) = m.catalog.engagement(k) else {
            return Vec::new();
        };
        let c = checks(&m.state, e, today);
        vec![
            e.offering.clone(),
            e.name.clone(),
            check(c.iter().any(|c| c.competency_ok)).to_string(),
            check(c.iter().any(|c| c.competency_ok && c.exam_ok)).to_string(),
            status(&c).label().to_string(),
        ]
    });
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(detail);
    let mut lines = Vec::new();
    if let Some(e) = m
        .list(Tab::Eligibility)
        .current()
        .and_then(|k| m.catalog.engagement(k))
    {
        lines.push(Line::from(format!("{} ({})", e.name, e.offering)));
        for c in checks(&m.state, e, today) {
            let held = match c.held {
                Some(h) => format!("held {} until {}", h.level.as_str(), h.expires),
                None => "not held".to_string(),
            };
            lines.push(Line::from(format!(
                "{} {} {}+ ({held}) · exam passed: {}",
                if c.competency_ok { "✓" } else { "✗" },
                c.qualifier.competency,
                c.qualifier.level.as_str(),
                check(c.exam_ok)
            )));
        }
    }
    let block = Block::default().borders(Borders::ALL).title(" Requirements ");
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), left);
    // Locations first, on one line: they are what the other steps ask for.
    let locations: Vec<String> = m
        .state
        .org
        .locations
        .values()
        .map(|l| format!("{} ({})", l.location_id, l.country))
        .collect();
    let mut held = vec![format!("locations: {}", locations.join(", "))];
    held.extend(
        m.state
            .org
            .competencies
            .values()
            .map(|c| format!("{} {} until {}", c.competency, c.level.as_str(), c.expires)),
    );
    held.extend(
        m.state
            .org
            .exams
            .iter()
            .map(|e| format!("exam {} ({}) by {}", e.exam, e.competency, e.consultant)),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Locations, competencies, exams ");
    f.render_widget(
        Paragraph::new(held.join("\n"))
            .block(block)
            .wrap(Wrap { trim: true }),
        right,
    );
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let competency = m
        .list(Tab::Eligibility)
        .current()
        .and_then(|k| m.catalog.engagement(k))
        .and_then(|e| e.qualifying.first())
        .map(|q| q.competency.clone())
        .unwrap_or_default();
    let me = m.actor.clone().unwrap_or_default();
    vec![
        PaneAction::new('a', "Competency", CommandKind::AddCompetency).fill("competency", competency.clone()),
        PaneAction::new('e', "Exam", CommandKind::RecordExam)
            .fill("consultant", me)
            .fill("competency", competency),
        PaneAction::new('l', "Location", CommandKind::AddLocation),
        PaneAction::new('u', "User", CommandKind::AddUser),
        PaneAction::new('m', "Renew MPN", CommandKind::RenewMpn),
    ]
}
