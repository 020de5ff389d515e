//! A list of choices under a form field: a window of at most `rows` lines
//! around the choice Enter would take (marked `›`), each shown in full when
//! it fits (else ending in an ellipsis), with its note (why it is not a
//! valid choice) after it.

use crate::ui::forms::choices::Choice;
use crate::ui::model::Model;
use crate::ui::theme;
use ratatui::text::{Line, Span};

/// The lines of the list, indented by `indent`, at most `width` wide.
pub fn lines(
    m: &Model,
    list: &[Choice],
    armed: Option<usize>,
    indent: usize,
    width: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    if list.is_empty() || rows == 0 {
        return Vec::new();
    }
    let at = armed.unwrap_or(0);
    let first = at.saturating_sub(rows.saturating_sub(1));
    // Names in full: the list moves left (down to 2 columns) to fit them.
    let needed = list
        .iter()
        .skip(first)
        .take(rows)
        .map(|c| 2 + c.shown.chars().count() + c.note.map_or(0, |n| n.chars().count() + 3))
        .max()
        .unwrap_or(0);
    let indent = indent.min(width.saturating_sub(needed)).max(2);
    let mut out: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, c)| {
            let mark = if Some(i) == armed { "› " } else { "  " };
            let note = c.note.map(|n| format!(" ! {n}")).unwrap_or_default();
            let room = width.saturating_sub(indent + 2 + note.chars().count());
            let style = if Some(i) == armed {
                theme::focus(m)
            } else if c.ok {
                ratatui::style::Style::new()
            } else {
                theme::dim(m)
            };
            Line::from(vec![
                Span::raw(format!("{:indent$}{mark}", "")),
                Span::styled(fit(&c.shown, room), style),
                Span::styled(note, theme::warn(m)),
            ])
        })
        .collect();
    let left = list.len().saturating_sub(first + rows);
    if left > 0 || first > 0 {
        let text = match (first, left) {
            (0, l) => format!("↓ {l} more (↑/↓, or type to filter)"),
            (f, 0) => format!("↑ {f} more above"),
            (f, l) => format!("↑ {f} more above · ↓ {l} more"),
        };
        out.push(Line::styled(
            format!("{:w$}{text}", "", w = indent + 2),
            theme::dim(m),
        ));
    }
    out
}

/// `s` in at most `room` characters, ending in "…" when cut.
pub fn fit(s: &str, room: usize) -> String {
    if s.chars().count() <= room {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(room.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
