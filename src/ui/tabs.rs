//! The tab bar: drawing it and finding which tab a click hit, from the same
//! spans.

use super::model::Model;
use super::tab::Tab;
use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SEP: &str = "│";

/// Each of `tabs`' labels with its x range, laid out from `area.x`.
fn spans(area: Rect, tabs: &[Tab]) -> Vec<(Tab, String, u16)> {
    let mut x = area.x;
    tabs.iter()
        .map(|t| {
            // A field copy's one tab has room for its whole name.
            let text = match tabs {
                [_] => format!(" {} ", t.label()),
                _ => label(*t, area.width),
            };
            let start = x;
            x = x.saturating_add(text.chars().count() as u16 + 1);
            (*t, text, start)
        })
        .collect()
}

/// The full labels from 150 columns, shorter ones from 110, tiny below:
/// every tab stays visible at 80 columns (the minimum width).
fn label(t: Tab, width: u16) -> String {
    let (short, tiny) = t.short_labels();
    match width {
        150.. => format!(" {} ", t.label()),
        110.. => format!(" {short} "),
        _ => format!(" {tiny}"),
    }
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let mut line = Vec::new();
    for (t, text, _) in spans(area, m.tabs()) {
        line.push(Span::styled(text, theme::tab(m, t == m.tab)));
        line.push(Span::styled(SEP, theme::dim(m)));
    }
    f.render_widget(Line::from(line), area);
}

/// The tab of `tabs` (those the desk shows) at column `x`.
pub fn tab_at(area: Rect, x: u16, tabs: &[Tab]) -> Option<Tab> {
    spans(area, tabs)
        .into_iter()
        .find(|(_, text, start)| x >= *start && x < start + text.chars().count() as u16)
        .map(|(t, ..)| t)
}
