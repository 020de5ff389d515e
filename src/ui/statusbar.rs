//! The status bar: who acts in which role, whether the last change is
//! saved, the clock, and the database. Messages go on the line above it.

use super::model::{Live, Model, Saved};
use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let partner = m.state.org.partner.as_ref().map_or("?", |p| p.name.as_str());
    let who = match (m.user(), &m.field_owner) {
        // A field database: whose copy of which partner's engagements.
        (_, Some(owner)) => format!(" field copy of {partner} — {owner} "),
        (Some(u), None) => format!(" {} ({}) ", u.email, u.role.as_str()),
        (None, None) => " no user chosen ".to_string(),
    };
    let saved = match &m.saved {
        Saved::Nothing => " no changes yet ".to_string(),
        // Under a fixed clock every save would show the same time: say only that it is saved.
        Saved::At(_) if m.clock_fixed => " ✓ saved ".to_string(),
        Saved::At(t) => format!(" ✓ saved {} ", t.format("%H:%M:%S")),
        Saved::Failed(_) => " ✗ NOT SAVED ".to_string(),
    };
    let saved_style = match m.saved {
        Saved::Failed(_) => theme::bad(m),
        _ => theme::good(m),
    };
    let clock = format!(
        " {}{} ",
        m.now.format("%Y-%m-%d %H:%M"),
        match (m.demo_clock, m.clock_fixed) {
            (true, _) => " demo",
            (false, true) => " fixed",
            (false, false) => " UTC",
        }
    );
    let mut spans = vec![Span::styled(who, theme::status(m))];
    // A shared database: whether others' changes show as they happen
    // (before the clock: it matters more, and a narrow bar cuts the end).
    match &m.live {
        Live::Off => {}
        Live::On => spans.push(Span::styled(" ● live", theme::good(m))),
        Live::Lost(_) => spans.push(Span::styled(" ✗ not live", theme::bad(m))),
    }
    spans.extend([
        Span::styled(saved, saved_style),
        Span::raw(clock),
        Span::styled(format!("db {}", short_path(&m.db_label)), theme::dim(m)),
    ]);
    f.render_widget(Line::from(spans), area);
}

/// The last two parts of a path: enough to tell databases apart.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches('/').rsplitn(3, '/').collect();
    match parts.as_slice() {
        [last, parent, _] => format!("…/{parent}/{last}"),
        _ => path.to_string(),
    }
}
