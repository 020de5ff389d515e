//! The tab bar: drawing it and finding which tab a click hit, from the same
//! spans.

use super::model::Model;
use super::tab::Tab;
use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SEP: &str = "│";

/// Each tab's label with its x range, laid out from `area.x`.
fn spans(area: Rect) -> Vec<(Tab, String, u16)> {
    let mut x = area.x;
    Tab::ALL
        .iter()
        .map(|t| {
            let text = label(*t, area.width);
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
    for (t, text, _) in spans(area) {
        line.push(Span::styled(text, theme::tab(m, t == m.tab)));
        line.push(Span::styled(SEP, theme::dim(m)));
    }
    f.render_widget(Line::from(line), area);
}

pub fn tab_at(area: Rect, x: u16) -> Option<Tab> {
    spans(area)
        .into_iter()
        .find(|(_, text, start)| x >= *start && x < start + text.chars().count() as u16)
        .map(|(t, ..)| t)
}
