//! Moving around by keys and mouse, without a terminal: step and tab keys,
//! list keys, the filter, help, quitting, clicks on tabs and rows, and what
//! lists and details show.

mod ui_common;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use saps::ui::layout;
use saps::ui::model::Overlay;
use saps::ui::tab::Tab;
use ui_common::*;

#[test]
fn help_is_built_from_the_keymap_and_q_or_ctrl_c_quit() {
    let mut d = Desk::demo();
    d.key('?');
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))));
    let screen = d.screen(200, 50);
    for key in ["PgDn", "Ctrl-C", "Shift-Tab", "F1"] {
        assert!(screen.contains(key), "help lists {key}:\n{screen}");
    }
    d.press(KeyCode::Esc);
    assert!(d.m.stack.is_empty());
    d.press(KeyCode::F(1));
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))), "F1 opens help too");
    d.press(KeyCode::Esc);
    assert!(!d.m.quit);
    d.key('q');
    assert!(d.m.quit, "q quits");

    let mut d = Desk::demo();
    d.key('4');
    d.key('r');
    assert!(d.form().is_some());
    d.key('q');
    assert!(!d.m.quit, "q is typed into a form");
    assert!(d.field("voucher_id").contains('q') || d.form().is_some());
    d.ctrl('c');
    assert!(d.m.quit, "Ctrl-C quits even in a form");
}

#[test]
fn slash_filters_the_list_and_esc_clears_it() {
    let mut d = Desk::demo();
    d.key('8');
    let all = d.m.list(Tab::Payment).len();
    assert!(all > 1, "the demo has several vouchers at step 8");
    d.key('/');
    d.keys("0013");
    assert_eq!(d.m.list(Tab::Payment).len(), 1);
    assert_eq!(current(&d).as_deref(), Some("DEMO-0013"));
    let screen = d.screen(120, 30);
    assert!(screen.contains("filter: 0013"), "{screen}");
    assert!(!screen.contains("DEMO-0012"));
    d.press(KeyCode::Esc);
    assert_eq!(d.m.list(Tab::Payment).len(), all, "Esc clears the filter");
    assert!(!d.m.list(Tab::Payment).filtering);

    // Enter keeps the filter; Esc on the pane clears it afterwards.
    d.filter("0013");
    assert_eq!(d.m.list(Tab::Payment).len(), 1);
    d.key('j');
    assert_eq!(d.m.list(Tab::Payment).len(), 1, "keys act on the list again");
    d.press(KeyCode::Esc);
    assert_eq!(d.m.list(Tab::Payment).len(), all);
}

#[test]
fn number_keys_tab_keys_and_list_keys_move_around() {
    let mut d = Desk::demo();
    for (n, tab) in [
        ('1', Tab::Eligibility),
        ('2', Tab::Enroll),
        ('3', Tab::Profile),
        ('4', Tab::Intake),
        ('5', Tab::Reserve),
        ('6', Tab::Deliver),
        ('7', Tab::Redeem),
        ('8', Tab::Payment),
    ] {
        d.key(n);
        assert_eq!(d.m.tab, tab, "key {n}");
    }
    d.key('1');
    d.press(KeyCode::Tab);
    assert_eq!(d.m.tab, Tab::Enroll);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Eligibility);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Dashboard);
    d.press_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(d.m.tab, Tab::Audit, "Shift-Tab wraps around");
    d.press(KeyCode::Tab);
    assert_eq!(d.m.tab, Tab::Dashboard, "Tab wraps around");
    d.press(KeyCode::Right);
    assert_eq!(d.m.tab, Tab::Eligibility);
    d.press(KeyCode::Left);
    assert_eq!(d.m.tab, Tab::Dashboard);
    let mut seen = Vec::new();
    for _ in 0..10 {
        seen.push(d.m.tab);
        d.press(KeyCode::Tab);
    }
    assert_eq!(seen, Tab::ALL.to_vec(), "Tab visits every tab once");

    d.key('4');
    let len = d.m.list(Tab::Intake).len();
    assert_eq!(len, 22, "the demo's vouchers");
    let cursor = |d: &Desk| d.m.list(Tab::Intake).cursor;
    assert_eq!(cursor(&d), 0);
    d.key('j');
    d.key('j');
    assert_eq!(cursor(&d), 2);
    d.key('k');
    assert_eq!(cursor(&d), 1);
    d.press(KeyCode::Down);
    assert_eq!(cursor(&d), 2);
    d.press(KeyCode::Up);
    d.press(KeyCode::Up);
    d.press(KeyCode::Up);
    assert_eq!(cursor(&d), 0, "Up stops at the top");
    let page = layout::list_page(d.m.size);
    d.press(KeyCode::PageDown);
    assert_eq!(cursor(&d), page);
    d.press(KeyCode::PageUp);
    assert_eq!(cursor(&d), 0);
    d.press(KeyCode::End);
    assert_eq!(cursor(&d), len - 1);
    d.press(KeyCode::PageDown);
    assert_eq!(cursor(&d), len - 1, "PgDn stops at the end");
    d.press(KeyCode::Home);
    assert_eq!(cursor(&d), 0);
    d.key('G');
    assert_eq!(cursor(&d), len - 1, "G goes to the last row");
    d.key('g');
    assert_eq!(cursor(&d), 0);

    // The cursor's row is the one the details show.
    d.press(KeyCode::End);
    let last = current(&d).unwrap();
    let screen = d.screen(120, 30);
    assert!(screen.contains(&last), "{last} shown after End:\n{screen}");
}

#[test]
fn clicks_select_tabs_and_list_rows() {
    let mut d = Desk::demo();
    let screen = d.screen(120, 30);
    let bar = first_line(&screen).to_string();
    // Step labels start with their number, whatever their width-dependent name.
    let column = |n: char| {
        let at = bar
            .find(&format!(" {n} "))
            .unwrap_or_else(|| panic!("step {n} in the tab bar: {bar}"));
        bar[..at].chars().count() as u16 + 1
    };
    d.click(column('4'), 0);
    assert_eq!(d.m.tab, Tab::Intake, "clicked {} on {bar}", column('4'));
    d.click(column('8') + 2, 0);
    assert_eq!(d.m.tab, Tab::Payment);
    d.click(column('1'), 0);
    assert_eq!(d.m.tab, Tab::Eligibility);
    let end = bar.chars().count() as u16;
    d.click(end + 5, 0);
    assert_eq!(
        d.m.tab,
        Tab::Eligibility,
        "a click past the last tab changes nothing"
    );

    d.key('4');
    let a = layout::areas(d.m.size);
    let (list, _) = layout::list_and_detail(a.body);
    let first_row = list.y + 2;
    d.click(list.x + 3, first_row + 3);
    assert_eq!(d.m.list(Tab::Intake).cursor, 3, "the fourth row");
    let id = current(&d).unwrap();
    let screen = d.show();
    let row = screen.lines().nth((first_row + 3) as usize).unwrap();
    assert!(row.contains(&id), "the clicked row is {id}: {row}");
    // A click on the header or the border changes nothing.
    d.click(list.x + 3, list.y + 1);
    assert_eq!(d.m.list(Tab::Intake).cursor, 3);
    // Past the last row on a short list: the cursor stays.
    d.key('7');
    let n = d.m.list(Tab::Redeem).len();
    d.click(list.x + 3, first_row + n as u16 + 1);
    assert!(d.m.list(Tab::Redeem).cursor < n.max(1));
}

#[test]
fn typing_into_the_filter_does_not_trigger_keys() {
    let mut d = Desk::demo();
    d.key('8');
    d.key('/');
    d.keys("q?1p");
    assert!(!d.m.quit, "q is part of the filter");
    assert!(d.m.stack.is_empty());
    assert_eq!(d.m.tab, Tab::Payment);
    assert_eq!(d.m.list(Tab::Payment).filter, "q?1p");
    d.press(KeyCode::Backspace);
    assert_eq!(d.m.list(Tab::Payment).filter, "q?1");
}

#[test]
fn a_fixed_clock_ignores_ticks_and_key_releases_do_nothing() {
    let mut d = Desk::demo();
    let before = d.m.now;
    d.send(saps::ui::Msg::Tick(noon(2030, 1, 1)));
    assert_eq!(d.m.now, before);
    let mut release = ratatui::crossterm::event::KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    d.send(saps::ui::Msg::Key(release));
    assert_eq!(d.m.tab, Tab::Dashboard);
}

#[test]
fn help_at_80x24_can_reach_the_panes_actions() {
    let mut d = Desk::demo();
    d.key('8');
    d.key('?');
    d.resize(80, 24);
    // The pane's own actions come first...
    let screen = d.show();
    assert!(screen.contains("On 8 Payment"), "{screen}");
    assert!(screen.contains("Register in SAVB"), "{screen}");
    assert!(!screen.contains("previous step of the tour"), "{screen}");
    // ...and scrolling reaches the end of the keymap.
    for _ in 0..4 {
        d.press(KeyCode::PageDown);
    }
    let screen = d.show();
    assert!(matches!(d.m.top(), Some(Overlay::Help(_))), "still in help");
    assert!(screen.contains("previous step of the tour"), "{screen}");
}

#[test]
fn details_of_a_redeemed_voucher_have_no_empty_parentheses() {
    let mut d = Desk::demo();
    d.key('8');
    pick(&mut d, "DEMO-0013");
    let screen = d.screen(120, 30);
    assert!(!screen.contains("()"), "{screen}");
}

#[test]
fn customers_can_be_told_apart_in_the_voucher_list_at_80_columns() {
    let mut d = Desk::demo();
    d.key('4');
    let screen = d.screen(80, 24);
    let row = screen.lines().find(|l| l.contains("DEMO-0004")).unwrap();
    assert!(row.contains("LIC-10005"), "{row}");
}

#[test]
fn a_click_on_each_tab_label_selects_that_tab_at_every_width() {
    click_every_tab(&[80, 109, 110, 149, 150, 200]);
}

#[test]
fn every_tab_shows_at_the_minimum_width() {
    click_every_tab(&[layout::MIN_WIDTH, layout::MIN_WIDTH + 1]);
}

fn click_every_tab(widths: &[u16]) {
    let mut d = Desk::demo();
    for &w in widths {
        let screen = d.screen(w, 30);
        let bar = first_line(&screen).to_string();
        let labels: Vec<&str> = bar.split('│').filter(|s| !s.trim().is_empty()).collect();
        assert_eq!(
            labels.len(),
            Tab::ALL.len(),
            "every tab shows at {w} columns: {bar}"
        );
        let mut x = 0u16;
        for (label, tab) in labels.iter().zip(Tab::ALL) {
            let first = label.chars().position(|c| c != ' ').unwrap() as u16;
            d.click(x + first, 0);
            assert_eq!(d.m.tab, tab, "clicked {label:?} at {w} columns");
            x += label.chars().count() as u16 + 1;
        }
    }
}

#[test]
fn a_click_on_a_row_of_a_later_page_selects_that_row() {
    let mut d = Desk::demo();
    d.key('4');
    d.press(KeyCode::End);
    let page = layout::list_page(d.m.size);
    let start = (21 / page) * page;
    let (list, _) = layout::list_and_detail(layout::areas(d.m.size).body);
    d.click(list.x + 2, list.y + 2);
    assert_eq!(
        d.m.list(Tab::Intake).cursor,
        start,
        "the first row shown on the last page"
    );
}

#[test]
fn no_pane_action_key_is_taken_by_the_keymap_or_the_tour() {
    use saps::ui::keymap::{BINDINGS, Scope, lookup};
    use saps::ui::steps;
    // Every key of the table where a pane's action letters are live: on
    // the panes (Always included) and in the guided tour over them.
    let live: Vec<_> = BINDINGS
        .iter()
        .filter(|b| matches!(b.scope, Scope::Always | Scope::Panes | Scope::Tour))
        .flat_map(|b| b.keys.iter().map(move |k| (k, b)))
        .collect();
    assert!(live.len() > 30, "the table's keys");
    for who in [AVA, PAT, CODY, DANA] {
        let d = Desk::demo_as(who);
        for tab in Tab::ALL {
            for a in steps::actions(tab, &d.m) {
                let k = ratatui::crossterm::event::KeyEvent::new(KeyCode::Char(a.key), KeyModifiers::NONE);
                for scope in [Scope::Panes, Scope::Tour] {
                    assert_eq!(
                        lookup(scope, &k),
                        None,
                        "{tab:?}: '{}' ({}) is also a {scope:?} key",
                        a.key,
                        a.label
                    );
                }
                for (key, b) in &live {
                    assert!(
                        key.code != KeyCode::Char(a.key) || key.mods != KeyModifiers::NONE,
                        "{tab:?}: '{}' ({}) is also the {:?} key for {:?}",
                        a.key,
                        a.label,
                        b.scope,
                        b.action
                    );
                }
            }
        }
    }
}

#[test]
fn every_key_the_overlays_and_the_filter_take_is_in_the_table_and_in_help() {
    use saps::ui::keymap::{BINDINGS, Scope, label};
    for scope in [Scope::Filter, Scope::Help, Scope::Picker, Scope::Tour] {
        assert!(
            BINDINGS.iter().any(|b| b.scope == scope),
            "{scope:?} has bindings"
        );
    }
    let mut d = Desk::demo();
    d.key('?');
    let lines: Vec<String> = saps::ui::overlays::help_lines(&d.m)
        .iter()
        .map(|l| l.to_string())
        .collect();
    for b in BINDINGS {
        let keys: Vec<String> = b.keys.iter().map(label).collect();
        let keys = keys.join(" ");
        assert!(
            lines.iter().any(|l| l.contains(&keys) && l.contains(b.help)),
            "help lists {keys} {:?}: {lines:#?}",
            b.help
        );
    }
    for scope in Scope::ALL {
        assert!(lines.iter().any(|l| l == scope.title()), "help has {scope:?}");
    }
    // Help scrolls by its keys from the table, and closes by them.
    d.press(KeyCode::Char('j'));
    assert!(matches!(d.m.top(), Some(saps::ui::model::Overlay::Help(1))));
    d.press(KeyCode::Home);
    assert!(matches!(d.m.top(), Some(saps::ui::model::Overlay::Help(0))));
    d.press(KeyCode::F(1));
    assert!(d.m.top().is_none(), "F1 closes help");
}

#[test]
fn at_80_columns_every_pane_still_shows_its_keys_and_help() {
    for who in [AVA, CODY] {
        let mut d = Desk::demo_as(who);
        for (i, tab) in Tab::ALL.iter().enumerate() {
            d.key(char::from(b'0' + i as u8));
            assert_eq!(d.m.tab, *tab);
            let screen = d.screen(80, 24);
            let actions = screen.lines().nth(22).unwrap_or_default();
            assert!(
                actions.trim_end().ends_with("[?] help"),
                "{who} {tab:?}: {actions:?}"
            );
            for a in saps::ui::steps::actions(*tab, &d.m) {
                assert!(
                    actions.contains(&format!("{}]", a.key)),
                    "{who} {tab:?} '{}': {actions:?}",
                    a.key
                );
            }
        }
    }
}
