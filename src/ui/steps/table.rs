//! The one table every list pane draws: only the visible page of rows is
//! built, whatever the list's length.

use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::theme;
use crate::ui::widgets::fit::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TRow, Table};

pub struct Column {
    pub title: &'static str,
    pub width: Constraint,
}

impl Column {
    pub const fn new(title: &'static str, width: Constraint) -> Column {
        Column { title, width }
    }
}

/// Draws `tab`'s list in `area` with a border titled `title`. `cells` makes
/// one row's cells from its key; it is called only for visible rows.
pub fn render_table(
    f: &mut Frame,
    area: Rect,
    m: &Model,
    tab: Tab,
    title: &str,
    columns: &[Column],
    cells: impl Fn(&str) -> Vec<String>,
) {
    render_styled(f, area, m, tab, title, columns, |k| {
        cells(k).into_iter().map(|c| (c, Style::new())).collect()
    })
}

/// `render_table` whose cells carry a style of their own (a deadline in
/// the warning colour), over the row's.
pub fn render_styled(
    f: &mut Frame,
    area: Rect,
    m: &Model,
    tab: Tab,
    title: &str,
    columns: &[Column],
    cells: impl Fn(&str) -> Vec<(String, Style)>,
) {
    let list = m.list(tab);
    let mut heading = format!(" {title} ({}", list.len());
    if matches!(&list.matched, Some((_, false))) && list.pages().is_none() {
        // A paged list's filter stopped looking: there may be more.
        heading.push('+');
    }
    if list.len() != list.total() {
        heading.push_str(&format!(" of {}", list.total()));
    }
    heading.push(')');
    if !list.filter.is_empty() || list.filtering {
        heading.push_str(&format!(
            " filter: {}{}",
            list.filter,
            if list.filtering { "▏" } else { "" }
        ));
    }
    if !list.selected.is_empty() {
        heading.push_str(&format!(" · {} selected", list.selected.len()));
    }
    heading.push(' ');
    let block = Block::default()
        .borders(Borders::ALL)
        .title(heading)
        .border_style(theme::border(m));
    if list.is_empty() {
        let text = if list.total() == 0 {
            "Nothing here yet."
        } else {
            "No row matches the filter."
        };
        f.render_widget(Paragraph::new(Line::from(text)).block(block), area);
        return;
    }
    // Border (2) and header (1) take three lines.
    let height = area.height.saturating_sub(3) as usize;
    let window = list.window(height);
    // The columns as wide as the constraints make them in this area (one
    // column apart, as the table draws them): each cell is fitted to its
    // column, ending in "…" when it is longer.
    let inner = Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), 1);
    let widths: Vec<usize> = Layout::horizontal(columns.iter().map(|c| c.width))
        .flex(Flex::Start)
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| r.width as usize)
        .collect();
    let block = if list.len() > height {
        // Longer than its box: say where the window is.
        let end = window.end.min(list.len());
        let hint = format!(" {}–{end} of {} · ↑↓ PgUp PgDn ", window.start + 1, list.len());
        block.title_bottom(Line::from(hint).right_aligned())
    } else {
        block
    };
    let highlight = m.tour.as_ref().and_then(|t| t.voucher());
    let rows: Vec<TRow> = window
        .clone()
        .filter_map(|i| list.key(i).map(|k| (i, k)))
        .map(|(i, key)| {
            let mark = if list.selected.contains(key) { "[x] " } else { "" };
            let mut cells = cells(key);
            if let Some((first, _)) = cells.first_mut() {
                *first = format!("{mark}{first}");
            }
            for ((cell, _), room) in cells.iter_mut().zip(&widths) {
                *cell = fit(cell, *room);
            }
            let style = theme::row(m, i == list.cursor, highlight == Some(key));
            TRow::new(cells.into_iter().map(|(c, s)| Cell::from(c).style(s))).style(style)
        })
        .collect();
    let titles = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| Cell::from(fit(c.title, *w)));
    let header = TRow::new(titles).style(theme::header(m));
    let table = Table::new(rows, columns.iter().map(|c| c.width))
        .flex(Flex::Start)
        .column_spacing(1)
        .header(header)
        .block(block);
    f.render_widget(table, area);
}
