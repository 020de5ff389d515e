//! A form: each field with its label, value, and its error right beside it
//! (with the field's hint kept); the focused field's choices under it; the
//! report form's checklist of unmet rules; hints when fields are cut off.

use super::centered;
use super::form_notes::{checklist, note};
use crate::ui::forms::{Form, Kind, choices};
use crate::ui::model::Model;
use crate::ui::theme;
use crate::ui::widgets::choices as picker;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Choices shown at once under a field.
const CHOICE_ROWS: usize = 5;

/// From this width on the report form's checklist sits beside the form.
pub const BESIDE_FROM: u16 = 120;

pub fn form(f: &mut Frame, area: Rect, m: &Model, form: &Form) {
    let checks = checklist(m, form);
    let beside = area.width >= BESIDE_FROM && !checks.is_empty();
    let width = match beside {
        // The form and the checklist side by side, the form two thirds.
        true => (area.width.saturating_sub(4) * 2 / 3).min(96),
        false => area.width.saturating_sub(4).min(96),
    };
    let lines_per_field = 2u16;
    let list = choices::shown(m, form, form.focus);
    let armed = choices::armed(form, &list);
    let list_rows = list.len().min(CHOICE_ROWS) + usize::from(list.len() > CHOICE_ROWS);
    // Below the form the checklist takes at most a quarter of the screen.
    let check_rows = match beside {
        true => 0,
        false => checks.len().min((area.height as usize / 4).max(2)),
    };
    let extra = (list_rows + check_rows) as u16;
    let wanted = form.fields.len() as u16 * lines_per_field + 6 + extra;
    let rect = match beside {
        true => {
            let pair = centered(area, area.width.saturating_sub(4), wanted.min(area.height));
            let rect = Rect { width, ..pair };
            let side = Rect {
                x: rect.right(),
                width: pair.right().saturating_sub(rect.right()).min(64),
                ..pair
            };
            side_checklist(f, side, m, &checks);
            rect
        }
        false => centered(area, width, wanted.min(area.height)),
    };
    f.render_widget(Clear, rect);
    let hint = if form.autosave {
        " Tab next field (saves it) · Enter submit · Esc close "
    } else if form.spec.confirm {
        " Enter review · Esc cancel "
    } else {
        " Enter submit · Tab next field · Esc cancel "
    };
    let inner = Block::default().borders(Borders::ALL).inner(rect);

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
    let room = inner.height.saturating_sub(2 + extra) / lines_per_field;
    let room = room.max(1) as usize;
    let first = form.focus.saturating_sub(room.saturating_sub(1));
    let shown_fields = form.fields.len().saturating_sub(first).min(room);
    for (i, field) in form.fields.iter().enumerate().skip(first).take(room) {
        let focused = i == form.focus;
        let mark = if field.spec.required { "*" } else { " " };
        let label = format!("{mark}{:<w$}", field.spec.label, w = label_w as usize - 1);
        let label = picker::fit(&label, label_w as usize);
        // A field left shows its text from the start.
        let scroll = match focused {
            true => field.input.visual_scroll(value_w as usize),
            false => 0,
        };
        let value = shown_value(field.spec.kind, field.input.value(), value_w as usize, scroll);
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
            let x = inner.x + label_w + 1 + (field.input.visual_cursor().saturating_sub(scroll)) as u16;
            let y = inner.y + lines.len() as u16 - 1;
            cursor = Some(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
        let hint = match choices::source(form.spec.cmd, field.spec.name) {
            Some(_) if !focused && choices::multi(form, i) => "a list of several; typing filters",
            Some(_) if !focused => "a list: typing filters it",
            _ => hint_for(field.spec.kind),
        };
        let below = match (&field.error, note(m, form, i)) {
            // The field's hint stays beside its message.
            (Some(e), _) => {
                let hint = match hint {
                    "" => String::new(),
                    h => format!(" · {h}"),
                };
                let len = e.chars().count() + hint.chars().count();
                // A long message starts at the left edge rather than wrapping under the labels.
                let fits = label_w as usize + 3 + len <= inner.width as usize;
                let indent = if fits { label_w as usize + 1 } else { 2 };
                Line::from(vec![
                    Span::styled(format!("{:indent$}✗ {e}", ""), theme::bad(m)),
                    Span::styled(hint, theme::dim(m)),
                ])
            }
            (None, Some((text, good))) => {
                let fits = label_w as usize + 1 + text.chars().count() <= inner.width as usize;
                let indent = if fits { label_w as usize + 1 } else { 2 };
                Line::styled(
                    format!("{:indent$}{text}", ""),
                    if good { theme::good(m) } else { theme::bad(m) },
                )
            }
            (None, None) => Line::styled(
                format!("{:w$}{hint}", "", w = label_w as usize + 1),
                theme::dim(m),
            ),
        };
        lines.push(below);
        if focused {
            let indent = label_w as usize + 1;
            lines.extend(picker::lines(
                m,
                &list,
                armed,
                indent,
                inner.width as usize,
                CHOICE_ROWS,
            ));
        }
    }
    if form.fields.is_empty() {
        lines.push(Line::from("Press Enter to go ahead, Esc to cancel."));
    }
    if let Some(msg) = &form.message {
        lines.push(Line::styled(format!("✗ {msg}"), theme::bad(m)));
    }
    let cut = checks.len().saturating_sub(check_rows);
    for (n, c) in checks.into_iter().take(check_rows).enumerate() {
        let more = if n + 1 == check_rows && cut > 0 {
            format!(" ↓ {cut} more (beside the form from {BESIDE_FROM} columns; all on step 6)")
        } else {
            String::new()
        };
        lines.push(Line::from(vec![c, Span::styled(more, theme::dim(m))]));
    }
    // Fields cut off above or below are said on the border.
    let above = first;
    let below = form.fields.len() - first - shown_fields;
    let scroll_hint = match (above, below) {
        (0, 0) => String::new(),
        (a, 0) => format!(" ↑ {a} more above "),
        (0, b) => format!(" ↓ {b} more below "),
        (a, b) => format!(" ↑ {a} more above · ↓ {b} more below "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.spec.title))
        .title(Line::from(scroll_hint).right_aligned())
        .title_bottom(hint)
        .border_style(theme::focus(m));
    f.render_widget(block, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(p) = cursor {
        f.set_cursor_position(p);
    }
}

/// The checklist in its own box beside the form; a line count at its foot
/// when it is longer than the box.
fn side_checklist(f: &mut Frame, area: Rect, m: &Model, checks: &[Span<'static>]) {
    if area.width < 10 {
        return;
    }
    let lines: Vec<Line> = checks.iter().cloned().map(Line::from).collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Checklist ")
        .border_style(theme::border(m));
    let block = crate::ui::widgets::fit::overflow_hint(block, &lines, area);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        area,
    );
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
