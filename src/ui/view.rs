//! `view(&Model, &mut Frame)`: draws from the model and changes nothing.

use super::layout::{self, too_small};
use super::model::{Model, Overlay};
use super::{overlays, statusbar, steps, tabs, theme};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn view(m: &Model, f: &mut Frame) {
    let area = f.area();
    let size = (area.width, area.height);
    if too_small(size) {
        let text = format!(
            "terminal too small: {}×{}, saps needs {}×{}",
            size.0,
            size.1,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            area,
        );
        return;
    }
    let a = layout::areas(size);
    tabs::render(f, a.tabs, m);
    steps::render(m.tab, f, a.body, m);
    actions_line(f, a.actions, m);
    statusbar::render(f, a.status, m);
    if let Some(t) = &m.tour {
        overlays::tour(f, a.body, m, t);
    }
    for o in &m.stack {
        match o {
            Overlay::Form(form) => overlays::form(f, a.body, m, form),
            Overlay::Confirm(c) => overlays::confirm(f, a.body, m, c),
            Overlay::Help(scroll) => overlays::help(f, a.body, m, *scroll),
            Overlay::Picker(i) => overlays::picker(f, a.body, m, *i),
            Overlay::Error(e) => overlays::error(f, a.body, m, e),
        }
    }
}

/// The pane's actions: "[r] Record a voucher", dimmed with the reason when
/// unavailable (the reason itself shows when the key is pressed).
fn actions_line(f: &mut Frame, area: Rect, m: &Model) {
    // The last message, until the next key, takes the line.
    if let Some((text, is_error)) = &m.flash {
        let style = if *is_error { theme::bad(m) } else { theme::good(m) };
        let mark = if *is_error { "✗" } else { "✓" };
        // Longer than the line: it ends in "…" rather than a cut word.
        let text = crate::ui::widgets::fit::fit(&format!("{mark} {text}"), area.width as usize);
        f.render_widget(Line::styled(text, style), area);
        return;
    }
    let actions = steps::actions(m.tab, m);
    // Full labels when they fit, else their first word, else the keys alone
    // (unavailable ones marked ✗), so "[?] help" shows on a narrow terminal.
    // Enter opens the dashboard's deadline, else the pane's first action.
    let dashboard = m.tab == crate::ui::tab::Tab::Dashboard && m.state.org.partner.is_some();
    let line = |label: &dyn Fn(&str) -> String, na: &str| {
        let mut spans = Vec::new();
        if dashboard && !m.stats.deadlines.is_empty() {
            spans.push(Span::styled("[Enter]", theme::key(m)));
            spans.push(Span::raw(format!(" {} ", label("open the deadline"))));
        }
        for a in &actions {
            let key = if spans.is_empty() && !dashboard {
                format!("[Enter/{}]", a.key)
            } else {
                format!("[{}]", a.key)
            };
            let label = label(a.label);
            let text = |mark: &str| match label.as_str() {
                "" => format!("{mark} "),
                l => format!(" {l}{mark} "),
            };
            match &a.available {
                Ok(()) => {
                    spans.push(Span::styled(key, theme::key(m)));
                    spans.push(Span::raw(text("")));
                }
                Err(_) => spans.push(Span::styled(format!("{key}{}", text(na)), theme::dim(m))),
            }
        }
        spans.push(Span::styled("[?] help", theme::dim(m)));
        Line::from(spans)
    };
    let first_word = |l: &str| l.split_whitespace().next().unwrap_or("").to_string();
    let spans = [
        // Unavailable is "✗" at every width.
        line(&|l: &str| l.to_string(), " ✗"),
        line(&first_word, " ✗"),
        line(&|_: &str| String::new(), "✗"),
    ]
    .into_iter()
    .find(|l| l.width() <= area.width as usize)
    .unwrap_or_else(|| line(&|_: &str| String::new(), "✗"));
    f.render_widget(spans, area);
}
