//! Step 5, validate and reserve: assigned and reserved vouchers.

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
    voucher_table(f, list, m, Tab::Reserve, "Assigned and reserved vouchers");
    render_voucher(f, detail, m, m.list(Tab::Reserve).current());
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let v = current_voucher(m, Tab::Reserve);
    let v = v.as_ref();
    let id = v.map(|v| v.voucher_id.clone()).unwrap_or_default();
    let assigned = v.is_some_and(|v| v.stage == Stage::Assigned);
    let reserved = v.is_some_and(|v| v.stage == Stage::Reserved);
    // The voucher administrator's email as recorded at intake (from the customer's email).
    let admin = v.map(|v| v.admin_email.clone()).unwrap_or_default();
    // Only an unambiguous location is filled in: a guess could invoice from the wrong country.
    let location = match m.state.org.locations.len() {
        1 => m.state.org.locations.values().next(),
        _ => None,
    };
    let engagement = v
        .and_then(|v| m.catalog.engagements_of(&v.offering).next())
        .map(|e| e.slug.clone())
        .unwrap_or_default();
    let (start, end) = v
        .and_then(|v| v.reservation.as_ref())
        .map(|r| (r.start.to_string(), r.end.to_string()))
        .unwrap_or_default();
    vec![
        PaneAction::new('r', "Reserve", CommandKind::ReserveVoucher)
            .fill("voucher_id", id.clone())
            .fill("admin_email", admin.clone())
            .fill("engagement", engagement)
            .fill(
                "location_id",
                location.map(|l| l.location_id.clone()).unwrap_or_default(),
            )
            .fill("country", location.map(|l| l.country.clone()).unwrap_or_default())
            .only_if(assigned, "select an assigned voucher"),
        // Validation checks the email the customer forwarded: it is typed, not filled in.
        PaneAction::new('v', "Validate", CommandKind::ValidateVoucher)
            .fill("voucher_id", id.clone())
            .only_if(assigned, "select an assigned voucher"),
        PaneAction::new('s', "Reschedule", CommandKind::Reschedule)
            .fill("voucher_id", id.clone())
            .fill("start", start)
            .fill("end", end)
            .only_if(reserved, "select a reserved voucher"),
        PaneAction::new('x', "Cancel", CommandKind::CancelReservation)
            .fill("voucher_id", id)
            .only_if(reserved, "select a reserved voucher"),
        crate::ui::field::packet_action(v, m),
    ]
}
