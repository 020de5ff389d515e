//! Step 2, enroll: each offering with its enrollment, renewal window and
//! whether the partner may enroll; the MPN membership.

use super::{Column, PaneAction, render_table};
use crate::domain::command::CommandKind;
use crate::domain::rules::eligibility::holds_competency;
use crate::domain::rules::enrollment::{active, renewal_opens};
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::theme::check;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn rows(m: &Model) -> Vec<Row> {
    m.catalog
        .offerings
        .iter()
        .map(|o| Row::new(o.code.clone(), format!("{} {}", o.code, o.name)))
        .collect()
}

/// The enrollment column is as wide as its longest text (it says when to
/// renew); the name takes the rest, ending in "…" when it is longer.
fn columns(m: &Model) -> [Column; 4] {
    let longest = m
        .catalog
        .offerings
        .iter()
        .map(|o| enrollment_text(m, &o.code).chars().count())
        .max()
        .unwrap_or(0);
    [
        Column::new("Offering", Constraint::Length(8)),
        Column::new("Name", Constraint::Fill(1)),
        Column::new("Eligible", Constraint::Length(8)),
        Column::new("Enrollment", Constraint::Length(longest.clamp(10, 44) as u16)),
    ]
}

fn enrollment_text(m: &Model, code: &str) -> String {
    match m.state.org.enrollments.get(code) {
        Some(e) if active(e, m.today()) && m.today() >= renewal_opens(e) => {
            format!("until {} · renewal open", e.expires_on)
        }
        Some(e) if active(e, m.today()) => {
            format!("until {} · renew from {}", e.expires_on, renewal_opens(e))
        }
        Some(e) => format!("ended {}", e.expires_on),
        None => "not enrolled".to_string(),
    }
}

fn eligible(m: &Model, code: &str) -> bool {
    m.catalog
        .engagements_of(code)
        .any(|e| holds_competency(&m.state, e, m.today()))
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    render_table(f, list, m, Tab::Enroll, "Offerings", &columns(m), |k| {
        let Some(o) = m.catalog.offering(k) else {
            return Vec::new();
        };
        vec![
            o.code.clone(),
            o.name.clone(),
            check(eligible(m, k)).to_string(),
            enrollment_text(m, k),
        ]
    });
    let text = match &m.state.org.partner {
        Some(p) => {
            let ok = m.today() < p.mpn_expires;
            format!(
                "{} · MPN {} · membership {} until {}",
                p.name,
                p.mpn_id,
                if ok { "✓ active" } else { "✗ expired" },
                p.mpn_expires
            )
        }
        None => "No partner yet.".to_string(),
    };
    f.render_widget(
        Paragraph::new(text)
            .block(Block::default().borders(Borders::ALL).title(" MPN "))
            .wrap(ratatui::widgets::Wrap { trim: true }),
        detail,
    );
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let code = m.list(Tab::Enroll).current().unwrap_or_default().to_string();
    vec![PaneAction::new('e', "Enroll or renew", CommandKind::Enroll).fill("offering", code)]
}
