//! Step 3, the business profile: the draft beside what customers see.

use super::PaneAction;
use crate::domain::command::CommandKind;
use crate::domain::records::Profile;
use crate::ui::model::Model;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn rows(_m: &Model) -> Vec<Row> {
    Vec::new()
}

fn text(p: &Profile) -> String {
    format!(
        "Description ({} of 2,500 characters):\n{}\n\nWebsite: {}\nLinkedIn: {}\nIndustries: {}\nProducts: {}\nServices: {}\nTarget size: {}\nLocations: {}",
        p.description.chars().count(),
        p.description,
        p.website,
        p.linkedin,
        p.industries.join(", "),
        p.products.join(", "),
        p.services.join(", "),
        p.target_size,
        p.locations.join(", ")
    )
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let profile = &m.state.org.profile;
    let draft = Block::default().borders(Borders::ALL).title(" Draft ");
    f.render_widget(
        Paragraph::new(text(&profile.draft))
            .block(draft)
            .wrap(Wrap { trim: false }),
        left,
    );
    let (title, body) = match (&profile.published, profile.visible_by) {
        (Some(p), Some(by)) => {
            let when = if m.now >= by {
                "customers see this".to_string()
            } else {
                format!("customers see this by {}", by.format("%Y-%m-%d %H:%M UTC"))
            };
            (format!(" Published · {when} "), text(p))
        }
        _ => (" Published ".to_string(), "Not published yet.".to_string()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    f.render_widget(
        Paragraph::new(body).block(block).wrap(Wrap { trim: false }),
        right,
    );
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let d = &m.state.org.profile.draft;
    vec![
        PaneAction::new('e', "Edit the profile", CommandKind::UpdateProfile)
            .fill("description", d.description.clone())
            .fill("website", d.website.clone())
            .fill("linkedin", d.linkedin.clone())
            .fill("industries", d.industries.join(", "))
            .fill("products", d.products.join(", "))
            .fill("services", d.services.join(", "))
            .fill("target_size", d.target_size.clone())
            .fill("locations", d.locations.join(", ")),
        PaneAction::new('u', "Publish", CommandKind::PublishProfile),
    ]
}
