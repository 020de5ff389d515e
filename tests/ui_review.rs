//! What a review of issue 13 found missing: deadlines under 14 days in the
//! warning colour and in words, Esc after a refusal, the reserve form's
//! administrator email, the MPN id refused in the desk.

mod ui_common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use saps::ui::view;
use ui_common::*;

/// The desk drawn at `w`x`h`, as a buffer (colours included).
fn drawn(d: &mut Desk, w: u16, h: u16) -> Buffer {
    d.resize(w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| view(&d.m, f)).expect("draws");
    terminal.backend().buffer().clone()
}

/// The foreground colour of the first cell of `needle` on the screen.
fn colour_of(b: &Buffer, needle: &str) -> Option<Color> {
    let text = buffer_text(b);
    let (y, line) = text.lines().enumerate().find(|(_, l)| l.contains(needle))?;
    let x = line[..line.find(needle)?].chars().count() as u16;
    Some(b[(x, y as u16)].fg)
}

#[test]
fn a_dashboard_deadline_under_14_days_is_marked_soon_in_the_warning_colour() {
    let mut d = Desk::demo();
    let near = d.m.stats.deadlines.iter().find(|x| (0..14).contains(&x.left)).cloned();
    let far = d.m.stats.deadlines.iter().find(|x| x.left >= 14).cloned();
    let near = near.expect("the demo has a deadline under 14 days");
    let b = drawn(&mut d, 200, 50);
    let screen = buffer_text(&b);
    assert!(screen.contains(&format!("{} · soon", near.text)), "{screen}");
    assert_eq!(colour_of(&b, &near.text), Some(Color::Yellow), "{screen}");
    if let Some(far) = far {
        assert!(!screen.contains(&format!("{} · soon", far.text)), "{screen}");
        assert_ne!(colour_of(&b, &far.text), Some(Color::Yellow));
    }
    // Without colour the word stays.
    d.m.color = false;
    let screen = buffer_text(&drawn(&mut d, 80, 24));
    assert!(screen.contains("· soon"), "{screen}");
    assert!(!screen.contains(" 1 days"), "{screen}");
}

#[test]
fn step_8_pay_by_under_14_days_is_in_the_warning_colour() {
    let mut d = Desk::demo();
    d.key('8');
    let b = drawn(&mut d, 200, 50);
    let screen = buffer_text(&b);
    // DEMO-0014 was redeemed with 2026-06-19 as its deadline: 4 days left.
    assert!(screen.contains("by 2026-06-19 soon"), "{screen}");
    assert_eq!(colour_of(&b, "by 2026-06-19 soon"), Some(Color::Yellow));
}

#[test]
fn days_read_one_day_not_1_days() {
    use saps::ui::stats::{days, in_days};
    assert_eq!(days(1), "1 day");
    assert_eq!(days(-1), "-1 day");
    assert_eq!(days(3), "3 days");
    assert_eq!(in_days(-2), "2 days ago");
    let mut d = Desk::demo();
    for tab in ['0', '4', '5', '6', '7', '8'] {
        d.key(tab);
        for (w, h) in [(80, 24), (200, 50)] {
            let screen = d.screen(w, h);
            assert!(!screen.contains(" 1 days"), "{screen}");
            assert!(!screen.contains(" 1 d "), "{screen}");
        }
    }
}
