//! Paged voucher lists (`ui::paging`): with `page_above` at 0 every voucher
//! list of the demo desk is read a page at a time from the store's index.
//! Walking it by keys gives exactly the rows the whole list has; Home, End
//! and pages land where they should; a filter finds vouchers by id; a
//! commit shows at once.

mod ui_common;

use ratatui::crossterm::event::KeyCode;
use saps::ui::Msg;
use saps::ui::tab::Tab;
use ui_common::*;

const VOUCHER_TABS: [(char, Tab); 5] = [
    ('4', Tab::Intake),
    ('5', Tab::Reserve),
    ('6', Tab::Deliver),
    ('7', Tab::Redeem),
    ('8', Tab::Payment),
];

/// The whole list of `tab`, built at once (what a short list is).
fn whole(d: &mut Desk, tab: Tab) -> Vec<String> {
    let was = d.m.tab;
    d.m.page_above = usize::MAX;
    d.m.tab = tab;
    d.send(Msg::Refresh);
    let list = d.m.list(tab);
    assert!(list.paged.is_none());
    let keys = (0..list.len())
        .filter_map(|i| list.key(i).map(str::to_string))
        .collect();
    d.m.page_above = 0;
    d.m.tab = was;
    d.send(Msg::Refresh);
    keys
}

fn paged_desk() -> Desk {
    let mut d = Desk::demo();
    d.m.page_above = 0;
    d.send(Msg::Refresh);
    d
}

/// The keys under the cursor from the first row down to the last.
fn walk_down(d: &mut Desk) -> Vec<String> {
    d.press(KeyCode::Home);
    let mut seen = vec![current(d).expect("a first row")];
    for _ in 1..d.m.list(d.m.tab).len() {
        d.press(KeyCode::Down);
        seen.push(current(d).expect("a row under the cursor"));
    }
    seen
}

#[test]
fn walking_a_paged_list_gives_the_whole_list_in_order() {
    let mut d = paged_desk();
    for (key, tab) in VOUCHER_TABS {
        let want = whole(&mut d, tab);
        d.key(key);
        assert_eq!(d.m.tab, tab);
        let list = d.m.list(tab);
        assert!(list.paged.is_some(), "{tab:?} is paged");
        assert_eq!(list.len(), want.len(), "{tab:?}: the counters give the length");
        if want.is_empty() {
            continue;
        }
        assert_eq!(walk_down(&mut d), want, "{tab:?} down");
        // Back up from the end, a row at a time.
        d.press(KeyCode::End);
        let mut up = vec![current(&d).unwrap()];
        for _ in 1..want.len() {
            d.press(KeyCode::Up);
            up.push(current(&d).unwrap());
        }
        up.reverse();
        assert_eq!(up, want, "{tab:?} up");
        // A page down from the top lands a page further.
        d.press(KeyCode::Home);
        d.press(KeyCode::PageDown);
        let cursor = d.m.list(tab).cursor;
        assert!(cursor > 0 || want.len() == 1, "{tab:?}: page down moved");
        assert_eq!(
            current(&d).as_deref(),
            Some(want[cursor].as_str()),
            "{tab:?} page"
        );
    }
}

#[test]
fn the_page_in_view_is_all_that_is_read_and_it_is_drawn() {
    let mut d = paged_desk();
    d.key('4');
    let total = d.m.list(Tab::Intake).len();
    let paged = d.m.list(Tab::Intake).paged.clone().expect("paged");
    assert!(paged.rows.len() < total, "one page of {total}, not all");
    let screen = d.show();
    assert!(screen.contains(&format!("Vouchers ({total})")), "{screen}");
    let first = &paged.rows[0].voucher_id;
    assert!(screen.contains(first.as_str()), "{screen}");
    d.press(KeyCode::End);
    let last = current(&d).unwrap();
    assert!(d.show().contains(&last), "the last page is drawn");
    assert!(!d.show().contains(first.as_str()), "the first page is not");
}

#[test]
fn a_filter_on_a_paged_list_finds_vouchers_by_the_start_of_their_id() {
    let mut d = paged_desk();
    let every = whole(&mut d, Tab::Intake);
    d.key('4');
    let total = d.m.list(Tab::Intake).len();
    // Typed a key at a time: the first finds, the next ones narrow.
    d.filter("demo-001");
    let list = d.m.list(Tab::Intake);
    let found: Vec<&str> = (0..list.len()).filter_map(|i| list.key(i)).collect();
    let mut want: Vec<&str> = every
        .iter()
        .map(String::as_str)
        .filter(|k| k.starts_with("DEMO-001"))
        .collect();
    want.sort();
    assert!(want.len() > 1);
    assert_eq!(found, want);
    assert_eq!(list.total(), total, "shown as N of the whole list");
    // A tab lists only its own vouchers, filtered or not.
    d.press(KeyCode::Esc);
    d.key('7');
    let redeemable: Vec<String> = whole(&mut d, Tab::Redeem);
    d.key('7');
    d.filter("demo-00");
    let list = d.m.list(Tab::Redeem);
    let found: Vec<String> = (0..list.len())
        .filter_map(|i| list.key(i).map(str::to_string))
        .collect();
    let mut want: Vec<String> = redeemable
        .into_iter()
        .filter(|k| k.starts_with("DEMO-00"))
        .collect();
    want.sort();
    assert_eq!(found, want);
    // Clearing the filter gives the paged list back.
    d.press(KeyCode::Esc);
    assert!(d.m.list(Tab::Redeem).pages().is_some());
}

#[test]
fn a_redeem_on_a_paged_list_moves_the_voucher_at_once() {
    let mut d = paged_desk();
    d.key('7');
    let before = d.m.list(Tab::Redeem).len();
    assert!(before > 0);
    let id = current(&d).unwrap();
    d.key(' ');
    d.key('r');
    d.press(KeyCode::Enter); // the form
    d.press(KeyCode::Enter); // the confirmation
    assert_eq!(d.m.list(Tab::Redeem).len(), before - 1, "{}", d.show());
    assert!(
        d.m.list(Tab::Redeem).selected.is_empty(),
        "the redeemed voucher is no longer selected"
    );
    let list = d.m.list(Tab::Redeem);
    let left: Vec<&str> = (0..list.len()).filter_map(|i| list.key(i)).collect();
    assert!(!left.contains(&id.as_str()));
    d.key('8');
    d.filter(&id);
    assert_eq!(current(&d).as_deref(), Some(id.as_str()), "now on step 8");
}

#[test]
fn any_window_read_from_any_other_is_that_part_of_the_list() {
    let mut d = paged_desk();
    let want = whole(&mut d, Tab::Intake);
    d.key('4');
    let mut paged = d.m.list(Tab::Intake).paged.clone().expect("paged");
    let n = want.len();
    assert!(n > 12);
    // Every window, reached from every other: ends, neighbours, far jumps.
    let windows: Vec<std::ops::Range<usize>> = (0..n)
        .flat_map(|s| [1, 3, 7].into_iter().map(move |len| s..(s + len).min(n)))
        .collect();
    for from in windows.iter().step_by(5) {
        for to in &windows {
            let store = &**d.engine.as_ref().unwrap().backend();
            saps::app::pages::load(store, &mut paged, from.clone()).unwrap();
            saps::app::pages::load(store, &mut paged, to.clone()).unwrap();
            let got: Vec<String> = to
                .clone()
                .filter_map(|i| paged.key(i).map(str::to_string))
                .collect();
            assert_eq!(got, want[to.clone()].to_vec(), "{from:?} then {to:?}");
        }
    }
}
