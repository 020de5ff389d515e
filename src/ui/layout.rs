//! Where things go on the screen: one pure function of the terminal size,
//! shared by drawing and by mouse hit-testing.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the desk says "terminal too small" instead of drawing.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub body: Rect,
    /// The pane's actions, one line.
    pub actions: Rect,
    pub status: Rect,
}

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

pub fn areas(size: (u16, u16)) -> Areas {
    let full = Rect::new(0, 0, size.0, size.1);
    let [tabs, body, actions, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(full);
    Areas {
        tabs,
        body,
        actions,
        status,
    }
}

/// A list pane: the list above, the selected row's details below.
pub fn list_and_detail(body: Rect) -> (Rect, Rect) {
    let [list, detail] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
    (list, detail)
}

/// How many rows one page of a pane's list shows.
pub fn list_page(size: (u16, u16)) -> usize {
    let (list, _) = list_and_detail(areas(size).body);
    list.height.saturating_sub(3).max(1) as usize
}
