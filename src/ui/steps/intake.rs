//! Step 4, vouchers in: every voucher with its status and days left, and the
//! customers' pools.

use super::PaneAction;
use super::detail::{render_voucher, voucher_table};
use crate::domain::command::CommandKind;
use crate::ui::layout::list_and_detail;
use crate::ui::model::Model;
use crate::ui::tab::Tab;
use crate::ui::widgets::fit::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, m: &Model) {
    let (list, detail) = list_and_detail(area);
    voucher_table(f, list, m, Tab::Intake, "Vouchers");
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(detail);
    render_voucher(f, left, m, m.list(Tab::Intake).current()); // Only the customers that fit are formatted: a large partner has thousands.
    let room = right.height.saturating_sub(2) as usize;
    let wide = right.width.saturating_sub(2) as usize;
    let lines: Vec<String> = m
        .customers
        .iter()
        .flatten()
        .take(room)
        .map(|(c, ledger)| {
            let held = ledger.held(c, m.today());
            let left = (c.planning_days as u64).saturating_sub(held);
            let line = format!(
                "{} {} · {left} of {} days left",
                c.licensing_id, c.name, c.planning_days
            );
            fit(&line, wide)
        })
        .collect();
    let text = if lines.is_empty() {
        "No customers yet: press c.".to_string()
    } else {
        lines.join("\n")
    };
    let block = Block::default().borders(Borders::ALL).title(" Customers ");
    f.render_widget(Paragraph::new(text).block(block), right);
}

pub fn actions(m: &Model) -> Vec<PaneAction> {
    let first = m.customers.iter().flatten().next();
    let first = first.map(|(c, _)| c.licensing_id.clone());
    let customer = m
        .list(Tab::Intake)
        .current()
        .and_then(|k| m.voucher(k))
        .map(|v| v.customer.clone())
        .or_else(|| first.clone())
        .unwrap_or_default();
    vec![
        PaneAction::new('r', "Record a voucher", CommandKind::ReceiveVoucher)
            .fill("customer", customer)
            .fill("created_on", m.today().to_string())
            .only_if(first.is_some(), "add the customer first (c)"),
        PaneAction::new('c', "Add a customer", CommandKind::AddCustomer),
        crate::ui::sheets::import_action(m),
    ]
}
