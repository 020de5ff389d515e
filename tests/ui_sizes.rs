//! Any terminal size, down to 1x1: every pane and every kind of overlay
//! draws without a panic, and below the minimum the screen says so.

mod ui_common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use saps::ui::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use saps::ui::model::{Confirm, Overlay};
use saps::ui::tab::Tab;
use saps::ui::{Model, Msg, view};
use std::sync::OnceLock;
use ui_common::*;

/// A named state of the desk to draw.
struct Case {
    name: &'static str,
    m: Model,
    /// Draw it on every tab, not just one.
    every_tab: bool,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let d = Desk::demo();
    out.push(Case {
        name: "panes",
        m: d.m.clone(),
        every_tab: true,
    });

    let mut d = Desk::demo();
    d.key('?');
    out.push(Case {
        name: "help",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.reserve_form_starting_in_the_past();
    d.press(KeyCode::Enter);
    assert!(d.field_error("start").is_some());
    out.push(Case {
        name: "form with an error",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.key('3');
    d.key('u');
    assert!(d.form().is_some(), "publish has a form without fields");
    out.push(Case {
        name: "empty form",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.key('3');
    d.key('e');
    d.fill(
        "description",
        &"A very long description that scrolls. ".repeat(30),
    );
    out.push(Case {
        name: "long field",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.key('8');
    d.filter("DEMO-0013");
    d.key('i');
    d.keys("INV-SIZES-1");
    d.press(KeyCode::Enter);
    assert!(matches!(d.m.top(), Some(Overlay::Confirm(_))));
    out.push(Case {
        name: "confirmation",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut m = d.m.clone();
    m.stack.push(Overlay::Confirm(Box::new(Confirm {
        title: "Redeem vouchers".into(),
        lines: (0..40)
            .map(|i| format!("voucher DEMO-{i:04} redeemed; request payment by 2026-08-14"))
            .collect(),
        then: match m.top() {
            Some(Overlay::Confirm(c)) => c.then.clone(),
            _ => unreachable!(),
        },
    })));
    out.push(Case {
        name: "tall confirmation",
        m,
        every_tab: false,
    });

    let d = Desk::start(Start {
        seed: true,
        actor: None,
        tour: false,
    });
    out.push(Case {
        name: "picker",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut m = Desk::demo().m;
    m.stack.push(Overlay::Error(
        "not saved: the disk is full; free some space and try again. ".repeat(5),
    ));
    out.push(Case {
        name: "error",
        m,
        every_tab: false,
    });

    let mut d = Desk::start(Start {
        seed: true,
        actor: Some(AVA.into()),
        tour: true,
    });
    d.key('n');
    d.key('n');
    out.push(Case {
        name: "tour",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.key('8');
    d.key('/');
    d.keys("zzz-no-match");
    out.push(Case {
        name: "filter without a match",
        m: d.m.clone(),
        every_tab: false,
    });

    let mut d = Desk::demo();
    d.key('4');
    d.press(KeyCode::End);
    out.push(Case {
        name: "cursor at the end",
        m: d.m.clone(),
        every_tab: false,
    });

    let d = Desk::empty();
    out.push(Case {
        name: "first run",
        m: d.m.clone(),
        every_tab: false,
    });
    out
}

/// Small and edge sizes in full (they are cheap), then a few large ones.
fn grid() -> Vec<(u16, u16)> {
    let widths = [1, 2, 5, 17, MIN_WIDTH - 1, MIN_WIDTH, MIN_WIDTH + 1, 80, 111, 150];
    let heights = [1, 2, 4, 12, MIN_HEIGHT - 1, MIN_HEIGHT, MIN_HEIGHT + 1, 24, 35];
    let mut out = Vec::new();
    for w in widths {
        for h in heights {
            out.push((w, h));
        }
    }
    out.extend([
        (200, 50),
        (300, 100),
        (300, 1),
        (1, 100),
        (300, MIN_HEIGHT),
        (MIN_WIDTH, 100),
        (149, 60),
    ]);
    out
}

fn random_sizes(n: usize, seed: u64) -> Vec<(u16, u16)> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| (rng.range(1, 300) as u16, rng.range(1, 100) as u16))
        .collect()
}

/// Draws every case at every size in `sizes`: the plain panes on every tab,
/// each overlay on one tab (a different one from size to size).
fn draw_all(sizes: &[(u16, u16)]) -> usize {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    let mut cases: Vec<Case> = CASES
        .get_or_init(cases)
        .iter()
        .map(|c| Case {
            name: c.name,
            m: c.m.clone(),
            every_tab: c.every_tab,
        })
        .collect();
    let mut draws = 0usize;
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        for (j, case) in cases.iter_mut().enumerate() {
            let tabs: Vec<Tab> = if case.every_tab {
                Tab::ALL.to_vec()
            } else {
                vec![Tab::ALL[(i + j) % Tab::ALL.len()]]
            };
            case.m.size = (w, h);
            for tab in tabs {
                case.m.tab = tab;
                let m = &case.m;
                let frame = terminal
                    .draw(|f| view(m, f))
                    .unwrap_or_else(|e| panic!("{} at {w}x{h}: {e}", case.name));
                draws += 1;
                if case.name == "panes" && tab == Tab::Dashboard {
                    let text = squash(&buffer_text(frame.buffer));
                    if too_small((w, h)) {
                        // Wrapped word by word, the sentence needs a little room to show.
                        if w >= 12 && h >= 2 {
                            assert!(text.contains("terminal too small"), "{w}x{h}: {text:?}");
                        }
                    } else {
                        assert!(!text.contains("terminal too small"), "{w}x{h}");
                        assert!(text.contains("1 Elig"), "the tab bar at {w}x{h}: {text:?}");
                    }
                }
            }
        }
    }
    draws
}

#[test]
fn every_tab_and_overlay_draws_on_a_grid_of_sizes() {
    let draws = draw_all(&grid());
    assert!(draws > 1500, "{draws} draws");
}

#[test]
fn every_tab_and_overlay_draws_at_random_sizes() {
    let draws = draw_all(&random_sizes(20, 0x5A95_2026));
    assert!(draws > 300, "{draws} draws");
}

#[test]
fn the_minimum_is_exactly_where_the_screen_says_too_small() {
    let d = Desk::demo();
    for (w, h, small) in [
        (MIN_WIDTH, MIN_HEIGHT, false),
        (MIN_WIDTH - 1, MIN_HEIGHT, true),
        (MIN_WIDTH, MIN_HEIGHT - 1, true),
        (20, 3, true),
    ] {
        let text = render(&d.m, w, h);
        assert_eq!(
            squash(&text).contains("terminal too small"),
            small,
            "{w}x{h}:\n{text}"
        );
    }
    let text = squash(&render(&d.m, 40, 10));
    assert!(
        text.contains(&format!("needs {MIN_WIDTH}×{MIN_HEIGHT}")),
        "{text}"
    );
}

/// Random keys, clicks and resizes (down to 1x1) against the real store: no
/// panic, and the screen draws after each.
#[test]
fn random_keys_clicks_and_resizes_never_panic() {
    let keys: Vec<KeyEvent> = {
        let mut k: Vec<KeyEvent> = "0123456789jkgGnpqrsdavxecl/? yN"
            .chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .collect();
        for code in [
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
            KeyCode::F(1),
        ] {
            k.push(KeyEvent::new(code, KeyModifiers::NONE));
        }
        k
    };
    for seed in 1..=3u64 {
        let mut d = Desk::start(Start {
            seed: true,
            actor: if seed == 3 { None } else { Some(AVA.into()) },
            tour: seed == 2,
        });
        let mut rng = Rng::new(seed * 7919);
        let (mut w, mut h) = (80u16, 24u16);
        for step in 0..250 {
            let roll = rng.range(0, 99);
            let msg = if roll < 8 {
                w = rng.range(1, 300) as u16;
                h = rng.range(1, 100) as u16;
                Msg::Resize(w, h)
            } else if roll < 20 {
                Msg::Mouse(MouseEvent {
                    kind: MouseEventKind::Down(MouseButton::Left),
                    column: rng.range(0, w as u64 + 2) as u16,
                    row: rng.range(0, h as u64 + 2) as u16,
                    modifiers: KeyModifiers::NONE,
                })
            } else {
                let k = keys[rng.range(0, keys.len() as u64 - 1) as usize];
                if k.code == KeyCode::Char('q') && rng.range(0, 3) > 0 {
                    continue;
                }
                Msg::Key(k)
            };
            d.send(msg.clone());
            if d.m.quit {
                d.m.quit = false;
            }
            if step % 4 == 0 {
                let _ = render(&d.m, w, h);
            }
        }
    }
}
