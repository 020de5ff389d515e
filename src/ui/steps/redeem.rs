//! Step 7, redeem: delivered vouchers; Space selects several, r redeems them
//! all at once (or the one under the cursor).

use super::PaneAction;
use super::detail::{render_voucher, voucher_table};
use crate::domain::command::CommandKind;
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    voucher_table(
        f,
        list,
        m,
        Tab::Redeem,
        "Delivered, ready to redeem (Space selects)",
    );
    render_voucher(f, detail, m, m.list(Tab::Redeem).current());
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let list = m.list(Tab::Redeem);
    let ids: Vec<String> = if list.selected.is_empty() {
        list.current().map(str::to_string).into_iter().collect()
    } else {
        list.selected.iter().cloned().collect()
    };
    vec![
        PaneAction::new('r', "Redeem", CommandKind::Redeem)
            .fill("voucher_ids", ids.join(", "))
            .only_if(!ids.is_empty(), "no delivered voucher to redeem"),
    ]
}
