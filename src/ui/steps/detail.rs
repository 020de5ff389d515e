//! The facts of one voucher, shown under the lists of steps 4 to 8.

use crate::describe::money;
use crate::domain::records::Voucher;
use crate::domain::state::Status;
use crate::ui::model::Model;
use crate::ui::stats::{days, urgency};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// "12 days left", "1 day left", "expired 3 days ago", or "" once redeemed.
pub fn days_left(v: &Voucher, m: &Model) -> String {
    let left = (v.expires_on() - m.today()).num_days();
    match v.status(m.today()) {
        Status::Expired => format!("expired {} ago", days(-left)),
        Status::Assigned | Status::Reserved | Status::Delivered => format!("{} left", days(left)),
        _ => String::new(),
    }
}

/// The list's last column: days left before expiry, or for a redeemed or
/// denied voucher the day payment must be requested by, marked "soon" under
/// `SOON_DAYS` and "passed" after it, in the warning (or bad) colour too.
pub fn expiry_cell(v: &Voucher, m: &Model) -> (String, Style) {
    let pay_by = v.redemption.as_ref().map(|r| r.invoice_deadline);
    match (v.status(m.today()), pay_by) {
        (Status::Redeemed | Status::Denied, Some(day)) => {
            let u = urgency((day - m.today()).num_days());
            let text = match u.mark() {
                "" => format!("by {day}"),
                mark => format!("by {day} {mark}"),
            };
            (text, theme::urgency(m, u))
        }
        _ => (days_left(v, m), Style::new()),
    }
}

pub fn voucher_lines(v: &Voucher, m: &Model) -> Vec<Line<'static>> {
    let status = v.status(m.today());
    let customer = m.customer_name(&v.customer).unwrap_or("?");
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", v.voucher_id), theme::header(m)),
            Span::raw(format!(
                "{} · {} days · {} · {}",
                status.as_str(),
                v.days,
                v.offering,
                customer
            )),
        ]),
        Line::from(format!(
            "created {} · expires {}{} · administrator {}",
            v.created_on,
            v.expires_on(),
            match days_left(v, m) {
                left if left.is_empty() => String::new(),
                left => format!(" ({left})"),
            },
            v.admin_email
        )),
    ];
    match v.validated_at {
        Some(t) => lines.push(Line::styled(
            format!("✓ validated {}", t.format("%Y-%m-%d")),
            theme::good(m),
        )),
        // Only step 5 offers v.
        None if status == Status::Assigned => {
            lines.push(Line::from(if m.tab == crate::ui::tab::Tab::Reserve {
                "not validated yet: v validates it with the administrator's email"
            } else {
                "not validated yet: v on step 5 (Reserve) validates it with the administrator's email"
            }))
        }
        None => {}
    }
    if let Some(r) = &v.reservation {
        lines.push(Line::from(format!(
            "reserved: {} · {} – {} · {} in {} · {}",
            r.engagement,
            r.start,
            r.end,
            r.location_id,
            r.country,
            r.consultants.join(", ")
        )));
    }
    if let Some(rep) = &v.report {
        let state = match rep.submitted_at {
            Some(t) => format!("report submitted {}", t.format("%Y-%m-%d")),
            None => "report draft".to_string(),
        };
        let f = &rep.fields;
        lines.push(Line::from(format!(
            "{state} · on site {} · off site {} · {}",
            f.onsite_days.map_or("–".into(), |d| d.to_string()),
            f.offsite_days.map_or("–".into(), |d| d.to_string()),
            f.deliverable_kind
                .clone()
                .unwrap_or_else(|| "no deliverable kind".into())
        )));
    }
    if let Some(r) = &v.redemption {
        lines.push(Line::from(format!(
            "redeemed {} · request payment by {}",
            r.redeemed_at.format("%Y-%m-%d"),
            r.invoice_deadline
        )));
    }
    for inv in &v.invoices {
        let answer = match &inv.payment {
            Some(p) => format!("{} ({})", format!("{:?}", p.outcome).to_lowercase(), p.reference),
            None => "awaiting Microsoft".to_string(),
        };
        lines.push(Line::from(format!(
            "invoice {}: {} {} from {} · {answer}",
            inv.invoice_number,
            money(inv.amount),
            inv.currency,
            inv.location_id
        )));
    }
    lines
}

/// The detail box for the voucher `key`, or a hint when nothing is selected.
pub fn render_voucher(f: &mut Frame, area: Rect, m: &Model, key: Option<&str>) {
    let lines = match (key.and_then(|k| m.voucher(k)), key.and_then(|k| m.unreadable(k))) {
        (Some(v), _) => voucher_lines(v, m),
        (None, Some(why)) => vec![Line::styled(why.to_string(), theme::bad(m))],
        (None, None) => vec![Line::from("Select a voucher to see its details.")],
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Details ")
        .border_style(theme::border(m));
    let block = crate::ui::widgets::fit::overflow_hint(block, &lines, area);
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}

const COLUMNS: [super::Column; 7] = [
    super::Column::new("Voucher", ratatui::layout::Constraint::Length(12)),
    super::Column::new("Status", ratatui::layout::Constraint::Length(9)),
    super::Column::new("Days", ratatui::layout::Constraint::Length(4)),
    super::Column::new("Customer", ratatui::layout::Constraint::Fill(1)),
    super::Column::new("Offering", ratatui::layout::Constraint::Length(8)),
    super::Column::new("Created", ratatui::layout::Constraint::Length(10)),
    super::Column::new("Expiry / pay by", ratatui::layout::Constraint::Min(18)),
];

/// The standard voucher list of a step's pane.
pub fn voucher_table(f: &mut Frame, area: Rect, m: &Model, tab: crate::ui::tab::Tab, title: &str) {
    super::render_styled(f, area, m, tab, title, &COLUMNS, |k| {
        let plain = |s: String| (s, Style::new());
        let Some(v) = m.voucher(k) else {
            // Not read (yet), or unreadable: the id at least.
            let why = m.unreadable(k).map_or("", |_| "damaged");
            return vec![plain(k.to_string()), plain(why.to_string())];
        };
        vec![
            plain(v.voucher_id.clone()),
            plain(v.status(m.today()).as_str().to_string()),
            plain(v.days.to_string()),
            plain(v.customer.clone()),
            plain(v.offering.clone()),
            plain(v.created_on.to_string()),
            expiry_cell(v, m),
        ]
    });
}

/// A voucher list's row: keyed by the voucher id, found by its id and status.
pub fn voucher_row(id: String, status: Status) -> crate::ui::widgets::list::Row {
    let text = format!("{id} {}", status.as_str());
    crate::ui::widgets::list::Row::new(id, text)
}

/// The voucher under the cursor of `tab`'s list, as read.
pub fn current_voucher(m: &Model, tab: crate::ui::tab::Tab) -> Option<Voucher> {
    m.list(tab).current().and_then(|k| m.voucher(k)).cloned()
}
