//! Confirmation, user picker, error and tour boxes.

use super::centered;
use crate::ui::model::{Confirm, Model};
use crate::ui::theme;
use crate::ui::tour::{STOPS, Tour};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn boxed(f: &mut Frame, rect: Rect, title: String, bottom: &'static str, lines: Vec<Line>) {
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_bottom(bottom);
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}

pub fn confirm(f: &mut Frame, area: Rect, m: &Model, c: &Confirm) {
    let mut lines = vec![Line::from("This cannot be undone. It will:"), Line::from("")];
    lines.extend(
        c.lines
            .iter()
            .map(|l| Line::styled(format!("• {l}"), theme::warn(m))),
    );
    let rect = centered(area, 80, lines.len() as u16 + 4);
    boxed(
        f,
        rect,
        format!(" {}? ", c.title),
        " y/Enter: do it · n/Esc: go back ",
        lines,
    );
}

pub fn picker(f: &mut Frame, area: Rect, m: &Model, cursor: usize) {
    let mut lines = vec![Line::from("Who is working? ↑/↓ and Enter."), Line::from("")];
    for (i, u) in m.state.org.users.values().enumerate() {
        let text = format!(
            "{} {:<36} {:<14} {}",
            if i == cursor { "›" } else { " " },
            u.email,
            u.role.as_str(),
            u.name
        );
        lines.push(Line::styled(text, theme::row(m, i == cursor, false)));
    }
    let rect = centered(area, 84, lines.len() as u16 + 2);
    boxed(
        f,
        rect,
        " Choose the acting user ".into(),
        " Enter choose · q quit ",
        lines,
    );
}

pub fn error(f: &mut Frame, area: Rect, m: &Model, text: &str) {
    let lines = vec![Line::styled(format!("✗ {text}"), theme::bad(m))];
    let rect = centered(area, 80, 7);
    boxed(f, rect, " Not saved ".into(), " Esc closes ", lines);
}

pub fn tour(f: &mut Frame, area: Rect, m: &Model, t: &Tour) {
    let stop = t.current();
    let lines = vec![Line::styled(stop.text, theme::header(m))];
    let h = 6.min(area.height);
    let rect = Rect::new(area.x, area.bottom().saturating_sub(h), area.width, h);
    let title = format!(" Tour {}/{}: {} ", t.stop + 1, STOPS.len(), stop.title);
    boxed(f, rect, title, " n next · p previous · Esc ends the tour ", lines);
}
