//! The status bar: who acts in which role, the database, the clock, whether
//! the last change is saved, and the last message.

use super::model::{Model, Saved};
use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let who = match m.user() {
        Some(u) => format!(" {} ({}) ", u.email, u.role.as_str()),
        None => " no user chosen ".to_string(),
    };
    let clock = format!(
        " {} {} ",
        m.now.format("%Y-%m-%d %H:%M UTC"),
        if m.clock_fixed { "(fixed clock)" } else { "" }
    );
    let saved = match &m.saved {
        Saved::Nothing => " no changes yet ".to_string(),
        Saved::At(t) => format!(" ✓ saved {} ", t.format("%H:%M:%S")),
        Saved::Failed(_) => " ✗ NOT SAVED ".to_string(),
    };
    let mut spans = vec![
        Span::styled(who, theme::status(m)),
        Span::raw(" "),
        Span::styled(format!("db {}", m.db_label), theme::dim(m)),
        Span::raw(" "),
        Span::raw(clock),
        Span::styled(
            saved,
            if matches!(m.saved, Saved::Failed(_)) {
                theme::bad(m)
            } else {
                theme::good(m)
            },
        ),
    ];
    if let Some((text, is_error)) = &m.flash {
        let style = if *is_error { theme::bad(m) } else { theme::dim(m) };
        spans.push(Span::styled(format!(" {text}"), style));
    }
    f.render_widget(Line::from(spans), area);
}
