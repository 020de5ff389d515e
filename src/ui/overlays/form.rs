//! A form: each field with its label, value, and its error right beside it.

use super::centered;
use crate::ui::forms::{Form, Kind};
use crate::ui::model::Model;
use crate::ui::theme;
use crate::ui::widgets::fit::fit;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn form(f: &mut Frame, area: Rect, m: &Model, form: &Form) {
    let width = area.width.saturating_sub(4).min(96);
    let lines_per_field = 2u16;
    let wanted = form.fields.len() as u16 * lines_per_field + 6;
    let rect = centered(area, width, wanted.min(area.height));
    f.render_widget(Clear, rect);
    let hint = if form.autosave {
        " Tab next field (saves it) · Esc close "
    } else if form.spec.confirm {
        " Enter review · Esc cancel "
    } else {
        " Enter submit · Tab next field · Esc cancel "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.spec.title))
        .title_bottom(hint)
        .border_style(theme::focus(m));
    let inner = block.inner(rect);
    f.render_widget(block, rect);

    // Labels as wide as the longest, but never more than half the box.
    let longest = form
        .fields
        .iter()
        .map(|f| f.spec.label.chars().count() as u16 + 1)
        .max()
        .unwrap_or(10);
    let label_w = longest.clamp(10, (inner.width / 2).max(10));
    let value_w = inner.width.saturating_sub(label_w + 1);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    // Keep the focused field in view when the form is taller than the box.
    let room = inner.height.saturating_sub(2) / lines_per_field;
    let first = (form.focus as u16).saturating_sub(room.saturating_sub(1)) as usize;
    for (i, field) in form
        .fields
        .iter()
        .enumerate()
        .skip(first)
        .take(room.max(1) as usize)
    {
        let focused = i == form.focus;
        let mark = if field.spec.required { "*" } else { " " };
        // A label longer than its column ends in "…" (never cut mid-word silently).
        let label = fit(&format!("{mark}{}", field.spec.label), label_w as usize);
        let label = format!("{label:<w$}", w = label_w as usize);
        let value = shown_value(
            field.spec.kind,
            field.input.value(),
            value_w as usize,
            field.input.visual_scroll(value_w as usize),
        );
        let style = if focused {
            theme::focus(m)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(label, style),
            Span::raw(" "),
            Span::raw(value),
        ]));
        if focused
            && matches!(
                field.spec.kind,
                Kind::Text | Kind::Long | Kind::Date | Kind::Int | Kind::Number | Kind::List
            )
        {
            let scroll = field.input.visual_scroll(value_w as usize);
            let x = inner.x + label_w + 1 + (field.input.visual_cursor().saturating_sub(scroll)) as u16;
            let y = inner.y + lines.len() as u16 - 1;
            cursor = Some(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
        let below = match &field.error {
            // A long message starts at the left edge rather than wrapping under the labels.
            Some(e) => {
                let fits = label_w as usize + 3 + e.chars().count() <= inner.width as usize;
                let indent = if fits { label_w as usize + 1 } else { 2 };
                Line::styled(format!("{:indent$}✗ {e}", ""), theme::bad(m))
            }
            None => Line::styled(
                format!("{:w$}{}", "", hint_for(field.spec.kind), w = label_w as usize + 1),
                theme::dim(m),
            ),
        };
        lines.push(below);
    }
    if form.fields.is_empty() {
        lines.push(Line::from("Press Enter to go ahead, Esc to cancel."));
    }
    if let Some(msg) = &form.message {
        lines.push(Line::styled(format!("✗ {msg}"), theme::bad(m)));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(p) = cursor {
        f.set_cursor_position(p);
    }
}

fn shown_value(kind: Kind, raw: &str, width: usize, scroll: usize) -> String {
    match kind {
        Kind::Bool => format!("[{}] {raw}", if raw == "yes" { "x" } else { " " }),
        Kind::Choice(options) => options
            .iter()
            .map(|o| {
                if *o == raw {
                    format!("‹{o}›")
                } else {
                    o.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => raw.chars().skip(scroll).take(width).collect(),
    }
}

fn hint_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Date => "YYYY-MM-DD",
        Kind::Int => "a whole number",
        Kind::Number => "a number",
        Kind::Bool => "Space toggles",
        Kind::List => "comma-separated",
        Kind::Choice(_) => "Space or ←/→ chooses",
        Kind::Text | Kind::Long => "",
    }
}
