//! Running the scale demo's commands: through the domain, committed in
//! batches, with the two things a real partner does when the rules ask
//! (register the offering in SAVB, justify a repeat 15-day engagement).

use super::BATCH_EVENTS;
use crate::cli::Fatal;
use crate::demo::ADMIN;
use crate::domain::{self, Catalog, Code, Command, Ctx, Recorded, Rejection, State};
use crate::store::Store;
use chrono::{DateTime, Utc};

/// Why a command did not go through.
pub(super) enum Failure {
    Rejected(Rejection),
    Store(Fatal),
}

/// Runs commands through the domain and commits their events in batches.
pub(super) struct Runner<'a> {
    pub(super) store: &'a Store,
    pub(super) catalog: &'a Catalog,
    pub(super) state: &'a mut State,
    pub(super) pending: Vec<Recorded>,
    pub(super) commands: usize,
    pub(super) events: u64,
    pub(super) commits: usize,
}

impl Runner<'_> {
    pub(super) fn run(&mut self, at: DateTime<Utc>, actor: &str, cmd: Command) -> Result<(), Fatal> {
        // The first payment request of an offering needs its SAVB
        // registration, which needs a redeemed voucher: the admin registers it then.
        if let Command::RequestPayment { voucher_id, .. } = &cmd {
            let offering = self.state.vouchers.get(voucher_id).map(|v| v.offering.clone());
            if let Some(offering) = offering.filter(|o| !self.state.org.savb.contains_key(o)) {
                let register = Command::RegisterSavb { offering };
                self.execute(at, ADMIN, &register)
                    .map_err(|f| fatal(at, &register, f))?;
            }
        }
        match self.execute(at, actor, &cmd) {
            Ok(()) => Ok(()),
            // A customer's second 15-day engagement of a kind: the partner
            // writes the justification and reserves again.
            Err(Failure::Rejected(r)) if r.code == Code::Repeat15Day => {
                let Command::ReserveVoucher(mut reserve) = cmd else {
                    return Err(fatal(at, &cmd, Failure::Rejected(r)));
                };
                reserve.distinct_scope = Some("A different division, with its own products".into());
                let cmd = Command::ReserveVoucher(reserve);
                self.execute(at, actor, &cmd).map_err(|f| fatal(at, &cmd, f))
            }
            Err(f) => Err(fatal(at, &cmd, f)),
        }
    }

    fn execute(&mut self, at: DateTime<Utc>, actor: &str, cmd: &Command) -> Result<(), Failure> {
        let ctx = Ctx {
            now: at,
            actor: Some(actor),
            catalog: self.catalog,
        };
        let recorded = domain::execute(self.state, cmd, &ctx).map_err(Failure::Rejected)?;
        self.commands += 1;
        self.events += recorded.len() as u64;
        self.pending.extend(recorded);
        if self.pending.len() >= BATCH_EVENTS {
            self.flush().map_err(Failure::Store)?;
        }
        Ok(())
    }

    /// Commits the pending events and the records they touched.
    pub(super) fn flush(&mut self) -> Result<(), Fatal> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.store.commit(self.state, &self.pending)?;
        self.pending.clear();
        self.commits += 1;
        Ok(())
    }
}

fn fatal(at: DateTime<Utc>, cmd: &Command, f: Failure) -> Fatal {
    match f {
        Failure::Store(e) => e,
        Failure::Rejected(r) => Fatal(format!(
            "the scale demo's {} at {at} was refused: {r}",
            cmd.name()
        )),
    }
}
