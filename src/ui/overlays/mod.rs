//! Drawing what is stacked over the panes.

mod form;
mod form_notes;
mod help;
mod small;

pub use form::form;
pub use help::{help, help_lines};
pub use small::{confirm, error, picker, tour};

use ratatui::layout::Rect;

/// A box of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
