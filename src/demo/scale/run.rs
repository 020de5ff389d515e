//! Running the scale demo's commands: through the domain, committed in
//! batches, with the two things a real partner does when the rules ask
//! (register the offering in SAVB, justify a repeat 15-day engagement).

use crate::demo::ADMIN;
use crate::domain::command::{RegisterSavb, RequestPayment};
use crate::domain::{Code, Command, Rejection};
use crate::fatal::Fatal;
use crate::session::{Request, Session};
use chrono::{DateTime, Utc};

/// Why a command did not go through.
pub(super) enum Failure {
    Rejected(Rejection),
    Store(Fatal),
}

/// Runs commands through the session and commits their events in batches.
pub(super) struct Runner {
    pub(super) session: Session,
    /// Events per commit.
    pub(super) batch: usize,
    pub(super) commands: usize,
    /// Events staged since the last commit.
    pub(super) pending: usize,
    pub(super) events: u64,
    pub(super) commits: usize,
}

impl Runner {
    pub(super) fn run(&mut self, at: DateTime<Utc>, actor: &str, cmd: Command) -> Result<(), Fatal> {
        // The first payment request of an offering needs its SAVB
        // registration, which needs a redeemed voucher: the admin registers it then.
        if let Command::RequestPayment(RequestPayment { voucher_id, .. }) = &cmd {
            let state = self.session.state();
            let offering = state.vouchers.get(voucher_id).map(|v| v.offering.clone());
            if let Some(offering) = offering.filter(|o| !state.org.savb.contains_key(o)) {
                let register = Command::RegisterSavb(RegisterSavb { offering });
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
        let mut request = Request::new(cmd.clone(), Some(actor.to_owned()), at);
        // The same data has the same ids wherever it is made: numbered by
        // the seq its first event will take (a refused request takes none).
        request.id = crate::domain::ids::generated("scale", self.session.state().last_seq, at);
        let outcome = self
            .session
            .stage(request)
            .map_err(|h| Failure::Store(Fatal(h.to_string())))?;
        let recorded = outcome.as_ref().map_err(|r| Failure::Rejected(r.clone()))?;
        self.commands += 1;
        self.events += recorded.len() as u64;
        self.pending += recorded.len();
        if self.pending >= self.batch {
            self.flush().map_err(Failure::Store)?;
        }
        Ok(())
    }

    /// Commits the staged commands' events and the records they touched.
    pub(super) fn flush(&mut self) -> Result<(), Fatal> {
        if self.session.staged() == 0 {
            return Ok(());
        }
        self.session.commit().map_err(|h| Fatal(h.to_string()))?;
        self.pending = 0;
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
