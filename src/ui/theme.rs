//! Styles. With NO_COLOR set every style falls back to bold, reverse and
//! underline, and meaning is always carried by words and symbols too.

use super::model::Model;
use ratatui::style::{Color, Modifier, Style};

fn pick(m: &Model, colored: Style, plain: Style) -> Style {
    if m.color { colored } else { plain }
}

pub fn border(m: &Model) -> Style {
    pick(m, Style::new().fg(Color::DarkGray), Style::new())
}

pub fn header(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Style::new().add_modifier(Modifier::BOLD),
    )
}

pub fn row(m: &Model, cursor: bool, highlight: bool) -> Style {
    let mut s = Style::new();
    if highlight {
        s = s.patch(pick(m, Style::new().fg(Color::Yellow), Style::new()).add_modifier(Modifier::UNDERLINED));
    }
    if cursor {
        s = s.add_modifier(Modifier::REVERSED);
    }
    s
}

pub fn tab(m: &Model, active: bool) -> Style {
    if active {
        pick(
            m,
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
        .add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    }
}

pub fn good(m: &Model) -> Style {
    pick(m, Style::new().fg(Color::Green), Style::new())
}

pub fn bad(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::Red),
        Style::new().add_modifier(Modifier::BOLD),
    )
}

pub fn warn(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::Yellow),
        Style::new().add_modifier(Modifier::BOLD),
    )
}

/// A deadline's colour: passed in red, soon in the warning colour.
pub fn urgency(m: &Model, u: crate::ui::stats::Urgency) -> Style {
    use crate::ui::stats::Urgency;
    match u {
        Urgency::Passed => bad(m),
        Urgency::Soon => warn(m),
        Urgency::Later => Style::new(),
    }
}

pub fn dim(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::DarkGray),
        Style::new().add_modifier(Modifier::DIM),
    )
}

pub fn key(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Style::new().add_modifier(Modifier::BOLD),
    )
}

pub fn focus(m: &Model) -> Style {
    pick(
        m,
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Style::new().add_modifier(Modifier::REVERSED),
    )
}

pub fn status(m: &Model) -> Style {
    pick(
        m,
        Style::new().bg(Color::DarkGray).fg(Color::White),
        Style::new().add_modifier(Modifier::REVERSED),
    )
}

/// ✓ / ✗ with a word, so the meaning survives without colour.
pub fn check(ok: bool) -> &'static str {
    if ok { "✓ yes" } else { "✗ no" }
}
