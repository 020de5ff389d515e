//! Help, built from the keymap table and the pane's own actions.

use super::centered;
use crate::ui::keymap::{Action, BINDINGS, Binding, Scope, label};
use crate::ui::model::Model;
use crate::ui::{steps, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn help_lines(m: &Model) -> Vec<Line<'static>> {
    // The pane's own actions first: they are what the user is looking for.
    let mut lines = vec![Line::styled(format!("On {}", m.tab.label()), theme::header(m))];
    for a in steps::actions(m.tab, m) {
        let note = match &a.available {
            Ok(()) => String::new(),
            Err(why) => format!("  (unavailable: {why})"),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<14}", a.key), theme::key(m)),
            Span::raw(format!("{}{note}", a.label)),
        ]));
    }
    for scope in Scope::ALL {
        lines.push(Line::styled(scope.title().to_string(), theme::header(m)));
        // Number keys only for the tabs this desk shows (a field copy has one).
        let shown = |b: &&Binding| match b.action {
            Action::GoTab(t) => m.tabs().contains(&t),
            _ => true,
        };
        for b in BINDINGS.iter().filter(|b| b.scope == scope).filter(shown) {
            let keys: Vec<String> = b.keys.iter().map(label).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys.join(" ")), theme::key(m)),
                Span::raw(b.help),
            ]));
        }
    }
    lines
}

pub fn help(f: &mut Frame, area: Rect, m: &Model, scroll: u16) {
    let rect = centered(area, 90, area.height);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Help ")
        .title_bottom(" ↑/↓ PgUp/PgDn scroll · Esc closes ");
    let text = Paragraph::new(help_lines(m))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    f.render_widget(text, rect);
}
