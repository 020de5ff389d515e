//! The records a command reads, so that a store can load just those (a
//! working set) instead of every record: the domain decides the same on
//! the working set as on the whole state.

use super::command::{
    AddCompetency, AddCustomer, AddLocation, AddUser, CancelReservation, Command, Enroll, InitPartner,
    ReceiveVoucher, RecordExam, RecordPayment, Redeem, RegisterSavb, RequestPayment, Reschedule,
    SaveReportDraft, SubmitReport, ValidateVoucher,
};
use super::state::{invoice_key, voucher_key};

/// What `decide` looks up for one command, beyond the organisation (which
/// every command may read) and the last sequence number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Voucher ids (normalised); each voucher's customer and its ledger too.
    pub vouchers: Vec<String>,
    /// Customer licensing ids (trimmed), with their ledgers.
    pub customers: Vec<String>,
    /// Invoice keys (see `invoice_key`).
    pub invoices: Vec<String>,
    /// The 15-day vouchers of the named vouchers' customers (all that the
    /// 15-day repeat rule looks at).
    pub customer_history: bool,
    /// The offerings with a voucher redeemed (SAVB registration reads them).
    pub redeemed_offerings: bool,
}

impl Command {
    /// The records deciding this command may read.
    pub fn names(&self) -> Names {
        let one = |id: &str| vec![voucher_key(id)];
        let mut n = Names::default();
        match self {
            Command::AddCustomer(AddCustomer { licensing_id, .. }) => {
                n.customers = vec![licensing_id.trim().to_owned()]
            }
            Command::ReceiveVoucher(ReceiveVoucher {
                voucher_id, customer, ..
            }) => {
                n.vouchers = one(voucher_id);
                n.customers = vec![customer.trim().to_owned()];
            }
            Command::ValidateVoucher(ValidateVoucher { voucher_id, .. })
            | Command::Reschedule(Reschedule { voucher_id, .. })
            | Command::CancelReservation(CancelReservation { voucher_id, .. })
            | Command::SaveReportDraft(SaveReportDraft { voucher_id, .. })
            | Command::SubmitReport(SubmitReport { voucher_id, .. })
            | Command::RecordPayment(RecordPayment { voucher_id, .. }) => n.vouchers = one(voucher_id),
            Command::ReserveVoucher(r) => {
                n.vouchers = one(&r.voucher_id);
                n.customer_history = true;
            }
            Command::Redeem(Redeem { voucher_ids, .. }) => {
                n.vouchers = voucher_ids.iter().map(|id| voucher_key(id)).collect();
            }
            Command::RequestPayment(RequestPayment {
                voucher_id,
                invoice_number,
                ..
            }) => {
                n.vouchers = one(voucher_id);
                n.invoices = vec![invoice_key(invoice_number)];
            }
            Command::ImportPacket(p) => {
                n.vouchers = one(&p.voucher.voucher_id);
                n.customers = vec![p.customer.licensing_id.trim().to_owned()];
            }
            Command::ImportBundle(b) => n.vouchers = one(&b.voucher_id),
            Command::InitPartner(InitPartner { .. })
            | Command::AddUser(AddUser { .. })
            | Command::AddLocation(AddLocation { .. })
            | Command::AddCompetency(AddCompetency { .. })
            | Command::RenewMpn(_)
            | Command::RecordExam(RecordExam { .. })
            | Command::Enroll(Enroll { .. })
            | Command::UpdateProfile(_)
            | Command::PublishProfile => {}
            Command::RegisterSavb(RegisterSavb { .. }) => n.redeemed_offerings = true,
        }
        n
    }
}

impl super::State {
    /// The working set of `names`: what a store must load for deciding a
    /// command that names them to come out as on the whole state (the
    /// organisation, the last sequence number and the redeemed offerings
    /// always; the named records with their customers and ledgers; with
    /// `customer_history`, the 15-day vouchers of those customers).
    pub fn restricted(&self, names: &Names) -> super::State {
        let mut ws = super::State {
            org: self.org.clone(),
            last_seq: self.last_seq,
            redeemed_offerings: self.redeemed_offerings.clone(),
            ..super::State::default()
        };
        let mut customers = names.customers.clone();
        for id in &names.vouchers {
            if let Some(v) = self.vouchers.get(id) {
                customers.push(v.customer.clone());
                ws.add_voucher(v);
            }
        }
        for c in &customers {
            if let Some(customer) = self.customers.get(c) {
                ws.customers.insert(c.clone(), customer.clone());
                ws.ledgers
                    .insert(c.clone(), self.ledgers.get(c).cloned().unwrap_or_default());
            }
            if names.customer_history && !names.vouchers.is_empty() {
                for v in self.customer_vouchers(c).filter(|v| in_history(v)) {
                    ws.add_voucher(v);
                }
            }
        }
        for k in &names.invoices {
            if let Some(id) = self.invoices.get(k) {
                ws.invoices.insert(k.clone(), id.clone());
            }
        }
        ws
    }

    /// Holds `v` (a stored voucher) in a working set.
    pub fn add_voucher(&mut self, v: &super::records::Voucher) {
        let ids = self.by_customer.entry(v.customer.clone()).or_default();
        ids.insert(v.voucher_id.clone());
        self.vouchers.insert(v.voucher_id.clone(), v.clone());
    }
}

/// Whether a voucher is one the 15-day repeat rule may look at, so one a
/// store keeps in its customer's history.
pub fn in_history(v: &super::records::Voucher) -> bool {
    v.days == super::program::MAX_ENGAGEMENT_DAYS
}
