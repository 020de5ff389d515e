//! Step 8, payment: redeemed vouchers with their 60-day deadline, requests
//! awaiting Microsoft, paid and denied; SAVB registration.

use super::PaneAction;
use super::detail::{current_voucher, render_voucher, voucher_table};
use crate::domain::command::CommandKind;
use crate::domain::records::Stage;
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    let registered: Vec<&str> = m.state.org.savb.keys().map(String::as_str).collect();
    let title = format!(
        "Redeemed, invoiced, paid, denied · SAVB: {}",
        if registered.is_empty() {
            "nothing registered".to_string()
        } else {
            registered.join(", ")
        }
    );
    voucher_table(f, list, m, Tab::Payment, &title);
    render_voucher(f, detail, m, m.list(Tab::Payment).current());
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let v = current_voucher(m, Tab::Payment);
    let v = v.as_ref();
    let id = v.map(|v| v.voucher_id.clone()).unwrap_or_default();
    let can_request = v.is_some_and(|v| matches!(v.stage, Stage::Redeemed | Stage::Denied));
    let invoiced = v.is_some_and(|v| v.stage == Stage::Invoiced);
    let offering = v.map(|v| v.offering.clone()).unwrap_or_default();
    vec![
        PaneAction::new('i', "Request payment", CommandKind::RequestPayment)
            .fill("voucher_id", id.clone())
            .only_if(can_request, "select a redeemed or denied voucher"),
        PaneAction::new('a', "Record answer", CommandKind::RecordPayment)
            .fill("voucher_id", id)
            .only_if(invoiced, "select a voucher awaiting payment"),
        PaneAction::new('r', "Register in SAVB", CommandKind::RegisterSavb).fill("offering", offering),
    ]
}
