//! The first run: on a database without a partner every tab shows this
//! greeting — what saps is, and the program's first three steps with the
//! key that starts each — instead of a bare form.

use crate::ui::model::Model;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The greeting, line by line (the keys in the key style).
pub fn lines(m: &Model) -> Vec<Line<'static>> {
    let key = |k: &'static str| Span::styled(k, theme::key(m));
    let step = |n: &'static str, name: &'static str| Span::styled(format!("{n} {name}"), theme::header(m));
    vec![
        Line::from("saps is your desk for Microsoft Software Assurance Planning Services:"),
        Line::from("it takes each voucher a customer hands you from assigned to paid, through"),
        Line::from("the program's eight steps, and keeps the rules, deadlines and audit log."),
        Line::from(""),
        Line::from("Three things to set up first:"),
        Line::from(vec![
            step("1", "Verify eligibility"),
            Span::raw(": the partner's organisation, its MPN id, competencies"),
        ]),
        Line::from(vec![
            Span::raw("  and consultants' exams. "),
            key("[s]"),
            Span::raw(" or Enter sets up the partner; then on step 1"),
        ]),
        Line::from(vec![
            Span::raw("  "),
            key("[a]"),
            Span::raw(" adds a competency and "),
            key("[e]"),
            Span::raw(" records an exam."),
        ]),
        Line::from(vec![
            step("2", "Enroll"),
            Span::raw(": sign the agreement, enroll in an offering: "),
            key("[2]"),
            Span::raw(" then "),
            key("[e]"),
            Span::raw("."),
        ]),
        Line::from(vec![
            step("3", "Business profile"),
            Span::raw(": what customers see: "),
            key("[3]"),
            Span::raw(" then "),
            key("[e]"),
            Span::raw(" edits it, "),
            key("[u]"),
            Span::raw(" publishes."),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::raw("Then customers' vouchers come in on step 4. "),
            key("[?]"),
            Span::raw(" lists every key; "),
            key("[q]"),
            Span::raw(" quits."),
        ]),
    ]
}

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Welcome to saps ")
        .border_style(theme::border(m));
    let lines = lines(m);
    let block = crate::ui::widgets::fit::overflow_hint(block, &lines, area);
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        area,
    );
}
