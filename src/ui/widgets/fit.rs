//! Text in a width: the one place the desk shortens text. What fits is left
//! whole; what does not ends in "…", cut after the last whole word that
//! fits when that keeps most of the room, so no word is cut silently.

use ratatui::text::Span;

/// How many columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` in at most `room` columns: whole, or shortened and ending in "…".
pub fn fit(text: &str, room: usize) -> String {
    if width(text) <= room {
        return text.to_string();
    }
    if room == 0 {
        return String::new();
    }
    // The longest start that leaves a column for the ellipsis.
    let mut end = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > room - 1 {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let head = &text[..end];
    // Back to a word's end when that keeps at least two thirds of the room.
    let cut = match head.rfind(' ') {
        Some(at) if !text[end..].starts_with(' ') && width(&head[..at]) * 3 >= room * 2 => &head[..at],
        _ => head,
    };
    format!("{}…", cut.trim_end())
}

/// How many lines `lines` take wrapped in `room` columns (at least one
/// each; a word-wrapped line may take one more than this counts).
pub fn wrapped_lines(lines: &[ratatui::text::Line], room: u16) -> usize {
    let room = usize::from(room.max(1));
    lines.iter().map(|l| l.width().div_ceil(room).max(1)).sum()
}

/// `block` with a note at its foot when `lines`, wrapped, are longer than
/// the box `area` it draws around them: the box never hides rows silently.
pub fn overflow_hint<'a>(
    block: ratatui::widgets::Block<'a>,
    lines: &[ratatui::text::Line],
    area: ratatui::layout::Rect,
) -> ratatui::widgets::Block<'a> {
    let room = area.height.saturating_sub(2) as usize;
    let need = wrapped_lines(lines, area.width.saturating_sub(2));
    if need <= room {
        return block;
    }
    let more = need - room;
    let hint = format!(" +{more} line{} not shown ", if more == 1 { "" } else { "s" });
    block.title_bottom(
        ratatui::text::Line::from(fit(&hint, area.width.saturating_sub(2) as usize)).right_aligned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fits_is_whole_and_what_does_not_ends_in_an_ellipsis() {
        assert_eq!(fit("Private Cloud", 13), "Private Cloud");
        assert_eq!(fit("Private Cloud", 12), "Private Clo…");
        assert_eq!(fit("Modern IT Enterprise Security", 22), "Modern IT Enterprise…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
        for room in 0..30 {
            let t = fit("until 2026-07-01 · renew from 2026-04-02", room);
            assert!(width(&t) <= room, "{t:?} in {room}");
            assert!(t.ends_with('…') || room == 0, "{t:?}");
        }
    }
}
