//! A batch in flight: committed on another thread while the session
//! decides the next one ([`Session::send`], [`Session::land`]), so that a
//! long `saps exec` on a server keeps both the server and this machine
//! busy instead of taking turns.
//!
//! The next batch is decided on the working state with the flying one
//! applied, as if it had landed. When it lands as decided (no other
//! writer's events before it), that holds, and the next batch's commit
//! checks what came after it as usual. When other writers' events came
//! first, the flying batch landed after them and the next one was decided
//! without their changes: it is decided again on a fresh read. When the
//! flying batch lost a race, both are decided again and committed together
//! (the flight's outcomes first). Nothing is ever committed on a state its
//! commit does not check.

use super::{Halt, KEEP_VOUCHERS, Outcome, Request, Session};
use crate::store::StoreError;
use crate::store::streams::{Basis, Committed};
use std::thread::JoinHandle;

/// Vouchers the working state may hold while a batch is sent (it forgets
/// records only when nothing is in flight; the state grows by a batch's).
const FLYING_VOUCHERS: usize = 4 * KEEP_VOUCHERS;

/// A batch sent and not yet landed.
pub(super) struct Flight {
    answer: JoinHandle<Result<Committed, StoreError>>,
    pub staged: Vec<Request>,
    pub outcomes: Vec<Outcome>,
    replayed: Vec<bool>,
    /// The seq its first event was decided with (`None`: no events).
    first: Option<u64>,
}

/// How a flying batch landed.
pub enum Landed {
    /// Its outcomes, with whether each request was found applied before;
    /// the batch staged meanwhile (if any) is still staged.
    Alone(Vec<(Outcome, bool)>),
    /// It lost a race: it and the batch staged meanwhile were decided again
    /// and committed together. Its outcomes, then those of that batch.
    WithStaged(Vec<(Outcome, bool)>),
}

impl Session {
    /// Whether the staged batch may be sent ([`Session::send`]): the store
    /// commits on another thread, nothing is in flight, and the working
    /// state is small enough to keep until the next batch lands (records
    /// are forgotten only when nothing is in flight).
    pub fn may_send(&self) -> bool {
        self.backend.pipelines()
            && self.flight.is_none()
            && (!self.stale || self.undecided)
            && !self.staged.is_empty()
            && self.state.vouchers.len() <= FLYING_VOUCHERS
    }

    /// Sends the staged batch to be committed on another thread; the next
    /// batch may be staged at once. [`Session::land`] gives its outcomes.
    pub fn send(&mut self) -> Result<(), Halt> {
        if self.flight.is_some() {
            return Err(Halt::Store(StoreError::Server {
                at: self.backend.label(),
                detail: "a batch is still in flight: it lands before another is sent".to_owned(),
            }));
        }
        self.decide_again_if_undecided()?;
        let prepared = match self
            .backend
            .prepare_commit(&self.state, &self.recorded, &self.basis)
        {
            Ok(prepared) => prepared,
            Err(e) => {
                self.discard();
                return Err(Halt::Store(e));
            }
        };
        let backend = self.backend.clone();
        let answer = std::thread::spawn(move || backend.send_prepared(prepared));
        self.flight = Some(Flight {
            answer,
            staged: std::mem::take(&mut self.staged),
            outcomes: std::mem::take(&mut self.outcomes),
            replayed: std::mem::take(&mut self.replayed),
            first: self.recorded.first().map(|r| r.seq),
        });
        self.recorded.clear();
        self.basis = Basis::streams();
        self.absent = Default::default();
        Ok(())
    }

    /// Waits for the batch in flight (none: nothing to say) and settles it
    /// (see the module's doc).
    pub fn land(&mut self) -> Result<Landed, Halt> {
        let Some(flight) = self.flight.take() else {
            return Ok(Landed::Alone(Vec::new()));
        };
        let answer = flight.answer.join().unwrap_or_else(|_| {
            Err(StoreError::Server {
                at: self.backend.label(),
                detail: "the thread sending a commit stopped".to_owned(),
            })
        });
        let mut outcomes = flight.outcomes;
        match answer {
            Ok(done) => {
                let shift = flight.first.map_or(0, |first| done.first.saturating_sub(first));
                let clean = shift == 0 && done.between.as_ref().is_some_and(|b| b.is_empty());
                if !clean {
                    super::records::shift_outcomes(&mut outcomes, &flight.replayed, shift);
                    // Decided without the others' changes: again, on them,
                    // before they are sent or committed (so that a read
                    // failing then does not take this batch's answers).
                    self.stale = true;
                    self.undecided = !self.staged.is_empty();
                }
                Ok(Landed::Alone(outcomes.into_iter().zip(flight.replayed).collect()))
            }
            Err(StoreError::Conflict { .. }) => {
                let mut staged = flight.staged;
                staged.append(&mut self.staged);
                self.staged = staged;
                // Decided again (all of it) as the commit starts.
                self.undecided = true;
                Ok(Landed::WithStaged(self.commit_marked()?))
            }
            Err(e) => {
                self.discard();
                Err(Halt::Store(e))
            }
        }
    }

    /// Decides the staged commands again if a landing said so (see
    /// [`Session::land`]); nothing of them is kept if that fails.
    pub(super) fn decide_again_if_undecided(&mut self) -> Result<(), Halt> {
        if !std::mem::take(&mut self.undecided) {
            return Ok(());
        }
        self.redecide().inspect_err(|_| self.discard())
    }

    /// The outcomes of the batch in flight (what a request id staged now
    /// is recognised against, besides the log and the staged batch).
    pub(super) fn flying_outcomes(&self) -> &[Outcome] {
        self.flight.as_ref().map_or(&[], |f| &f.outcomes)
    }
}
