//! One road for every command. The desk, `saps exec`, the field imports, the
//! demo and the scale generator all run commands here, and nothing else
//! calls `domain::execute`:
//!
//! ```text
//! request ─► backend.hydrate(names) ─► deliverable kept ─► domain::execute ─► backend.commit
//! ```
//!
//! A session holds a working state: the organisation, and the records the
//! commands it ran have named. Commands are *staged* (decided and applied to
//! the working state) and then *committed* together, in one atomic durable
//! write; [`Session::run`] does both for one command. When the backend says
//! another writer committed first ([`StoreError::Conflict`]), the session
//! reads the state again and decides every staged command anew, a bounded
//! number of times: nothing is ever applied on stale data.
//!
//! Every request has an id ([`Request`]); its events take it (the first)
//! and ids derived from it ([`stamp`]). A request whose given id the log
//! holds is not applied again: its outcome is the events it recorded then
//! (`replay.rs`), on a retry after a lost race too.

mod flight;
mod replay;
mod request;

pub use flight::Landed;

pub use request::{Request, fresh_id, stamp, with_fresh_ids};

use crate::deliverable::attach_deliverable;
use crate::domain::{self, Catalog, Code, Ctx, Decision, Names, Recorded, Rejection, State};
use crate::store::streams::Basis;
use crate::store::{Backend, StoreError};
use std::fmt;
use std::sync::Arc;

mod records;
use records::Absent;

/// A command's outcome: its recorded events, or the rule that refused it.
pub type Outcome = Decision<Vec<Recorded>>;

/// Why a session could not go on: nothing staged since the last commit was
/// saved.
#[derive(Debug)]
pub enum Halt {
    /// The database could not be read or written.
    Store(StoreError),
    /// A deliverable's copy could not be kept.
    File(String),
}

impl fmt::Display for Halt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::Store(e) => write!(f, "{e}"),
            Halt::File(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Halt {}

impl From<StoreError> for Halt {
    fn from(e: StoreError) -> Halt {
        Halt::Store(e)
    }
}

/// How often a commit that lost a race is decided again before giving up.
pub const RETRIES: usize = 8;
/// Events [`Session::catch_up`] follows one by one, at most.
const CATCH_UP_MOST: usize = 500;
/// Vouchers the working state may hold between commits.
const KEEP_VOUCHERS: usize = 4096;

pub struct Session {
    backend: Arc<dyn Backend>,
    catalog: Catalog,
    state: State,
    /// Requests staged since the last commit, with their outcomes.
    staged: Vec<Request>,
    outcomes: Vec<Outcome>,
    /// Which of `outcomes` are of requests found applied before (their
    /// events are the ones recorded then; nothing new is written).
    replayed: Vec<bool>,
    /// The accepted events of `staged`, in order.
    recorded: Vec<Recorded>,
    /// The working state may be ahead of the database (a failed commit):
    /// it is read again before the next command.
    stale: bool,
    /// Keep every record read or written (the scale generator counts them).
    keep_all: bool,
    /// The only user this connection may act as (a team member's login).
    member: Option<String>,
    /// What the staged commands were decided on (their streams, the
    /// vouchers before them): what the commit checks.
    basis: Basis,
    /// Whether the store reads the basis ([`Backend::reads_basis`]); when
    /// it does not, none is gathered.
    gathers_basis: bool,
    /// Records looked up and not found for the batch being staged (not
    /// looked up again until it is committed; see [`Session::hydrate`]).
    absent: Absent,
    /// A batch committed on another thread meanwhile (`flight.rs`).
    flight: Option<flight::Flight>,
    /// The staged commands were decided before the batch in flight landed
    /// after others' events: they are decided again before they are sent
    /// or committed (`flight.rs`).
    undecided: bool,
}

impl Session {
    /// A session on `backend`, starting from its organisation.
    pub fn open(backend: Arc<dyn Backend>, catalog: Catalog) -> Result<Session, StoreError> {
        let state = backend.working_state()?;
        let member = backend.member()?;
        let gathers_basis = backend.reads_basis();
        Ok(Session {
            member,
            backend,
            catalog,
            state,
            staged: Vec::new(),
            outcomes: Vec::new(),
            replayed: Vec::new(),
            recorded: Vec::new(),
            stale: false,
            keep_all: false,
            basis: Basis::streams(),
            gathers_basis,
            absent: Absent::default(),
            flight: None,
            undecided: false,
        })
    }

    /// Never forget the records read (for a run that needs them all after).
    pub fn keep_all(mut self) -> Session {
        self.keep_all = true;
        self
    }

    /// The only user this connection may act as, when it is a team
    /// member's own login; `None` when it may act as anyone.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The working state: the organisation and the records read so far,
    /// with the staged commands applied.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The organisation as committed or staged: what every command may read
    /// (records left out).
    pub fn organisation(&self) -> State {
        State {
            org: self.state.org.clone(),
            last_seq: self.state.last_seq,
            redeemed_offerings: self.state.redeemed_offerings.clone(),
            ..State::default()
        }
    }

    /// How many commands wait for [`Session::commit`].
    pub fn staged(&self) -> usize {
        self.staged.len()
    }

    /// Decides and durably commits one command.
    pub fn run(&mut self, req: Request) -> Result<Outcome, Halt> {
        self.stage(req)?;
        let mut outcomes = self.commit()?;
        Ok(outcomes.pop().unwrap_or_else(|| Ok(Vec::new())))
    }

    /// Decides `req` on the working state and applies it there; its events
    /// wait for [`Session::commit`]. The outcome returned is the one that
    /// holds unless a commit must decide again (then `commit` says).
    pub fn stage(&mut self, req: Request) -> Result<&Outcome, Halt> {
        if self.stale {
            self.reread()?;
        }
        let (outcome, replayed) = match self.settle(&req) {
            Ok(settled) => settled,
            Err(halt) => {
                self.discard();
                return Err(halt);
            }
        };
        if let (Ok(events), false) = (&outcome, replayed) {
            self.recorded.extend(events.iter().cloned());
        }
        self.staged.push(req);
        self.outcomes.push(outcome);
        self.replayed.push(replayed);
        Ok(self.outcomes.last().unwrap_or(&EMPTY))
    }

    /// Makes every staged command's events durable in one atomic write and
    /// returns their outcomes, in order. After a lost race the commands are
    /// decided again on the new state, so an outcome may differ from what
    /// `stage` said; the ones returned are the ones saved.
    pub fn commit(&mut self) -> Result<Vec<Outcome>, Halt> {
        Ok(self.commit_marked()?.into_iter().map(|(o, _)| o).collect())
    }

    /// [`Session::commit`], each outcome with whether its request was found
    /// applied before (its events are the ones recorded then).
    pub fn commit_marked(&mut self) -> Result<Vec<(Outcome, bool)>, Halt> {
        self.decide_again_if_undecided()?;
        let mut attempt = 0;
        loop {
            match self.backend.commit_on(&self.state, &self.recorded, &self.basis) {
                Ok(done) => {
                    self.settle_commit(done);
                    break;
                }
                Err(StoreError::Conflict { .. }) if attempt < RETRIES => {
                    attempt += 1;
                    if let Err(halt) = self.redecide() {
                        self.discard();
                        return Err(halt);
                    }
                }
                Err(e) => {
                    self.discard();
                    return Err(Halt::Store(e));
                }
            }
        }
        self.staged.clear();
        self.recorded.clear();
        self.basis = Basis::streams();
        // Not found then, perhaps there now: the next batch looks again.
        self.absent = Absent::default();
        if !self.keep_all && self.state.vouchers.len() > KEEP_VOUCHERS {
            self.state.forget_records();
        }
        let outcomes = std::mem::take(&mut self.outcomes);
        let replayed = std::mem::take(&mut self.replayed);
        Ok(outcomes.into_iter().zip(replayed).collect())
    }

    /// Brings the working state up to what other processes committed since
    /// its last seq, from their events (not a reread of the database): the
    /// organisation as they changed it; the records it held are dropped, to
    /// be read afresh by the next command that names them. Returns those
    /// events; nothing while commands are staged (their commit decides
    /// them again on the new state anyway).
    pub fn catch_up(&mut self) -> Result<Vec<Recorded>, StoreError> {
        if !self.staged.is_empty() || self.flight.is_some() {
            return Ok(Vec::new());
        }
        let new = self.backend.events_after(self.state.last_seq, CATCH_UP_MOST)?;
        if new.is_empty() {
            return Ok(new);
        }
        if self.stale || new.len() == CATCH_UP_MOST {
            // Too far behind to follow event by event.
            self.reread()?;
            return Ok(new);
        }
        for r in &new {
            if let domain::Event::VoucherRedeemed { voucher_id, .. } = &r.event
                && !self.state.vouchers.contains_key(voucher_id)
                && let Some(v) = self.backend.voucher(voucher_id)?
            {
                // Its offering is redeemed: what the payment rules read.
                self.state.redeemed_offerings.insert(v.offering);
            }
            domain::apply(&mut self.state, r);
        }
        self.state.forget_records();
        Ok(new)
    }

    /// Drops every staged command: nothing of them is saved, and the
    /// working state is read again before the next command.
    pub fn discard(&mut self) {
        // A lost race's turns are not kept for a retry that is not coming
        // (if that fails, the connection is gone, and the turns with it).
        let _ = self.backend.give_back();
        self.staged.clear();
        self.outcomes.clear();
        self.replayed.clear();
        self.recorded.clear();
        self.basis = Basis::streams();
        self.absent = Absent::default();
        self.stale = true;
        self.undecided = false;
    }

    /// The one place a command is decided and applied.
    fn decide(&mut self, req: &Request) -> Result<Outcome, Halt> {
        let member = self.member.clone();
        let actor = match acting_as(member.as_deref(), req) {
            Ok(actor) => actor,
            Err(rejection) => return Ok(Err(rejection)),
        };
        let names = req.command.names();
        self.hydrate(&names)?;
        if self.gathers_basis {
            self.basis.depend(&self.state, &names);
        }
        let ctx = Ctx {
            now: req.now,
            actor,
            catalog: &self.catalog,
        };
        let attached = match attach_deliverable(&*self.backend, &self.state, &req.command, &ctx)? {
            Ok(attached) => attached,
            Err(rejection) => return Ok(Err(rejection)),
        };
        let cmd = attached.as_ref().unwrap_or(&req.command);
        let mut outcome = domain::execute(&mut self.state, cmd, &ctx);
        if let Ok(events) = &mut outcome {
            stamp(events, req.id, req.id_given);
        }
        Ok(outcome)
    }

    /// Reads the state again and decides every staged command anew.
    fn redecide(&mut self) -> Result<(), Halt> {
        self.reread()?;
        self.recorded.clear();
        self.outcomes.clear();
        self.basis = Basis::streams();
        self.replayed.clear();
        let staged = std::mem::take(&mut self.staged);
        let names: Vec<Names> = staged.iter().map(|r| r.command.names()).collect();
        self.prefetch(&names)?;
        for req in &staged {
            // Another process may have applied a request with a given id
            // meanwhile (its commit is what this one lost to).
            let (outcome, replayed) = match self.settle(req) {
                Ok(settled) => settled,
                Err(halt) => {
                    self.staged = staged;
                    return Err(halt);
                }
            };
            if let (Ok(events), false) = (&outcome, replayed) {
                self.recorded.extend(events.iter().cloned());
            }
            self.outcomes.push(outcome);
            self.replayed.push(replayed);
        }
        self.staged = staged;
        Ok(())
    }

    fn reread(&mut self) -> Result<(), StoreError> {
        self.state = self.backend.working_state()?;
        self.absent = Absent::default();
        self.stale = false;
        Ok(())
    }
}

/// Who `req` acts as: as asked, except on a team member's connection,
/// which acts as that member only (the database refuses anything else
/// too; this says so in words before it gets there).
fn acting_as<'r>(member: Option<&'r str>, req: &'r Request) -> Result<Option<&'r str>, Rejection> {
    let Some(member) = member else {
        return Ok(req.actor.as_deref());
    };
    match req.actor.as_deref() {
        Some(a) if !a.trim().eq_ignore_ascii_case(member) => Err(Rejection::rule(
            Code::Unauthorized,
            format!(
                "this connection is {member}'s own login, so it acts as {member} only, not as {}",
                crate::domain::rejection::shorten(a.trim())
            ),
        )),
        _ => Ok(Some(member)),
    }
}

static EMPTY: Outcome = Ok(Vec::new());
