//! The audit log: every event, newest first, with who and when.

use super::{Column, PaneAction, render_table};
use crate::describe::describe;
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::widgets::list::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn rows(m: &Model) -> Vec<Row> {
    m.audit
        .iter()
        .flatten()
        .rev()
        .map(|r| Row::new(r.seq.to_string(), format!("{} {}", r.actor, describe(&r.event))))
        .collect()
}

const COLUMNS: [Column; 4] = [
    Column::new("#", Constraint::Length(7)),
    Column::new("When (UTC)", Constraint::Length(17)),
    Column::new("Who", Constraint::Length(28)),
    Column::new("What", Constraint::Fill(1)),
];

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    let event = |k: &str| k.parse::<u64>().ok().and_then(|seq| m.event(seq));
    // The desk holds the most recent events; `saps export` has the whole log.
    let title = match m.state.last_seq {
        total if total as usize > m.audit.as_ref().map_or(0, Vec::len) => {
            format!("Audit log, the latest of {total} events (all: saps export)")
        }
        _ => "Audit log".to_string(),
    };
    render_table(f, list, m, Tab::Audit, &title, &COLUMNS, |k| {
        let Some(r) = event(k) else { return Vec::new() };
        vec![
            r.seq.to_string(),
            r.at.format("%Y-%m-%d %H:%M").to_string(),
            r.actor.clone(),
            describe(&r.event),
        ]
    });
    let text = m
        .list(Tab::Audit)
        .current()
        .and_then(event)
        .and_then(|r| serde_json::to_value(&r.event).ok())
        .and_then(|v| serde_json::to_string_pretty(&without_nulls(v)).ok())
        .unwrap_or_else(|| "Nothing recorded yet.".to_string());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Event as recorded ");
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        detail,
    );
}

/// The event as recorded, less the fields it left empty.
fn without_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

pub fn actions(_m: &Model) -> Vec<PaneAction> {
    Vec::new()
}
