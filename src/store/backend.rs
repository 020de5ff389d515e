//! The seam between saps and its storage: what the session and the desk
//! need from a database, whichever engine holds it. The sled [`Store`] is
//! the embedded implementation; a shared server is the other. Nothing
//! outside `src/store/` needs to know which one it has.

use super::backup::{BackupError, Summary};
use super::files::FileError;
use super::index::Counter;
use super::pages::{Entry, Span};
use super::{Basis, Committed, Store, StoreError};
use crate::domain::records::{Attachment, Customer, Stage, Voucher};
use crate::domain::state::Ledger;
use crate::domain::{Names, Recorded, State};
use chrono::{DateTime, NaiveDate, Utc};
use std::any::Any;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// A commit made ready to send ([`Backend::prepare_commit`]), whatever the
/// store: its own prepared call, or the answer of a commit already made.
pub struct Prepared(Box<dyn Any + Send>);

impl Prepared {
    /// A store's own prepared commit.
    pub fn new<T: Any + Send>(inner: T) -> Prepared {
        Prepared(Box::new(inner))
    }

    /// The answer of a commit already made.
    pub fn done(answer: Result<Committed, StoreError>) -> Prepared {
        Prepared(Box::new(answer))
    }

    /// The store's own prepared commit, if it is a `T`.
    pub fn take<T: Any>(self) -> Result<T, Prepared> {
        self.0.downcast::<T>().map(|b| *b).map_err(Prepared)
    }

    /// The answer of a commit already made; an error if this is not one.
    pub fn answer(self) -> Result<Committed, StoreError> {
        match self.take::<Result<Committed, StoreError>>() {
            Ok(answer) => answer,
            Err(_) => Err(StoreError::Server {
                at: "this database".to_owned(),
                detail: "a commit prepared for another kind of store".to_owned(),
            }),
        }
    }
}

/// Events read at a time while [`Backend::applied`] gathers a request's.
const APPLIED_READ: usize = 64;

/// Hears of the commits to a database, whichever process made them (its
/// own connection: [`Backend::subscribe`]).
pub trait Subscription: Send {
    /// Waits at most `timeout` for commits: the newest last seq heard (all
    /// those pending are taken), or `None` when none came. An error: the
    /// connection is lost, subscribe again.
    fn wait(&mut self, timeout: Duration) -> Result<Option<u64>, StoreError>;
}

/// A saps database. Reads never change it; [`Backend::commit`] is the only
/// write of records and events, and it is atomic and durable on return.
pub trait Backend: Send + Sync {
    /// How a person names this database (a path, or a server without its password).
    fn label(&self) -> String;

    /// The directory the database lives in, when it is on this machine.
    fn dir(&self) -> Option<&Path>;

    /// The saps user this connection may act as only (a team member's own
    /// login on a server); `None` when it may act as anyone (the owner of
    /// the database or of the file).
    fn member(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    /// The state every command starts from: the organisation, the last
    /// sequence number and the offerings already redeemed.
    fn working_state(&self) -> Result<State, StoreError>;

    /// Adds to `state` the records `names` lists that it does not hold yet.
    fn hydrate(&self, state: &mut State, names: &Names) -> Result<(), StoreError>;

    /// Writes `recorded` and every record they touch, as found in `state`,
    /// atomically and durably. Refuses ([`StoreError::Conflict`]) when the
    /// database moved on from the state the events were decided on.
    fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError>;

    /// Whether [`Backend::commit_on`] reads its `basis` (a store several
    /// writers share). The default, a store with one writer, ignores it, so
    /// the session does not gather it.
    fn reads_basis(&self) -> bool {
        false
    }

    /// [`Backend::commit`] of a batch decided on `basis`: refused
    /// ([`StoreError::Conflict`]) only when another commit since touched a
    /// stream the batch depends on (`streams.rs`); otherwise its events may
    /// be numbered after the others' (the seq it gives the first is in the
    /// answer). The default is `commit`: the events keep their seqs.
    fn commit_on(
        &self,
        state: &State,
        recorded: &[Recorded],
        basis: &Basis,
    ) -> Result<Committed, StoreError> {
        let _ = basis;
        self.commit(state, recorded)?;
        Ok(Committed {
            first: recorded.first().map_or(state.last_seq + 1, |r| r.seq),
            between: Some(Default::default()),
        })
    }

    /// Gives back what a commit that lost left held for its retry, when
    /// the retry is not coming (the session gave up: a store whose writers
    /// take turns lets the others go on). The default holds nothing.
    fn give_back(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether [`Backend::send_prepared`] may run on another thread while
    /// this one decides the next batch (a store on a server: its commit is
    /// mostly the server's time). The default commits when prepared.
    fn pipelines(&self) -> bool {
        false
    }

    /// Makes a [`Backend::commit_on`] ready to send: everything that reads
    /// `state` is done here, so the state may change before
    /// [`Backend::send_prepared`]. The default commits right here (and
    /// `send_prepared` gives what that commit answered).
    fn prepare_commit(
        &self,
        state: &State,
        recorded: &[Recorded],
        basis: &Basis,
    ) -> Result<Prepared, StoreError> {
        Ok(Prepared::done(self.commit_on(state, recorded, basis)))
    }

    /// Sends a commit made ready by [`Backend::prepare_commit`].
    fn send_prepared(&self, prepared: Prepared) -> Result<Committed, StoreError> {
        prepared.answer()
    }

    fn voucher(&self, id: &str) -> Result<Option<Voucher>, StoreError>;

    fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError>;

    /// The first `n` customers (by licensing id) with their ledgers.
    fn customers_page(&self, n: usize) -> Result<Vec<(Customer, Ledger)>, StoreError>;

    /// The vouchers whose reservation names `consultant`, by id.
    fn reserved_by(&self, consultant: &str) -> Result<Vec<Voucher>, StoreError>;

    /// Up to `n` list entries of `spans` after the key `after`.
    fn entries_after(&self, spans: &[Span], after: Option<&[u8]>, n: usize)
    -> Result<Vec<Entry>, StoreError>;

    /// Up to `n` list entries of `spans` before the key `before`, in list order.
    fn entries_before(
        &self,
        spans: &[Span],
        before: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError>;

    /// Vouchers whose id starts with `prefix`, looking at no more than `most`.
    fn vouchers_with_prefix(&self, prefix: &str, most: usize) -> Result<Vec<Voucher>, StoreError>;

    /// The index's counters (of the per-day ones, those from `from` on).
    fn counters(&self, from: NaiveDate) -> Result<Vec<(Counter, u64)>, StoreError>;

    /// The last `n` events, oldest first.
    fn recent_events(&self, n: usize) -> Result<Vec<Recorded>, StoreError>;

    /// Up to `n` events after seq `after`, in seq order (what another
    /// process committed since), read from where `after + 1` is stored.
    fn events_after(&self, after: u64, n: usize) -> Result<Vec<Recorded>, StoreError>;

    /// The seq of the event whose id is `id`, when the log holds it.
    fn seq_of(&self, id: Uuid) -> Result<Option<u64>, StoreError>;

    /// The events the request `request` recorded, when the log holds them
    /// (a retried command, a line run again): its first event has the
    /// request's id, the ones after it the ids `domain::ids::nth` derives.
    fn applied(&self, request: Uuid) -> Result<Option<Vec<Recorded>>, StoreError> {
        let Some(seq) = self.seq_of(request)? else {
            return Ok(None);
        };
        let mut out: Vec<Recorded> = Vec::new();
        loop {
            let after = seq - 1 + out.len() as u64;
            let more = self.events_after(after, APPLIED_READ)?;
            let n = more.len();
            for r in more {
                if r.id != crate::domain::ids::nth(request, out.len()) {
                    return Ok(Some(out));
                }
                out.push(r);
            }
            if n < APPLIED_READ {
                return Ok(Some(out));
            }
        }
    }

    /// Tells of every commit from now on, on a connection of its own;
    /// `None` when no other process can commit here (sled: one process
    /// holds the file), so there is never anything to hear.
    fn subscribe(&self) -> Result<Option<Box<dyn Subscription>>, StoreError> {
        Ok(None)
    }

    /// The whole state, every record decoded (what `saps check` compares).
    fn load(&self) -> Result<State, StoreError>;

    /// Keeps a copy of the file at `path` as a deliverable; `Ok(None)` when
    /// `path` names no readable file.
    fn keep_file(&self, path: &Path) -> Result<Option<Attachment>, FileError>;

    /// Keeps `bytes` as a deliverable copy; its hash and size.
    fn keep_bytes(&self, bytes: &[u8]) -> Result<(String, u64), FileError>;

    /// A deliverable's stored bytes, checked against its hash.
    fn read_file(&self, a: &Attachment) -> Result<Vec<u8>, FileError>;

    /// Writes a backup of the whole database to `file` (never overwritten).
    fn backup(&self, file: &Path) -> Result<Summary, BackupError>;

    /// Every customer with its planning-day ledger, one at a time (the
    /// streaming exports). The default reads the whole state first.
    fn for_each_customer(&self, each: &mut dyn FnMut(Customer, Ledger)) -> Result<(), StoreError> {
        let state = self.load()?;
        for (id, c) in state.customers {
            each(c, state.ledgers.get(&id).cloned().unwrap_or_default());
        }
        Ok(())
    }

    /// Every voucher, one at a time. The default reads the whole state first.
    fn for_each_voucher(&self, each: &mut dyn FnMut(Voucher)) -> Result<(), StoreError> {
        self.load()?.vouchers.into_values().for_each(each);
        Ok(())
    }

    /// Every event in seq order, one at a time.
    fn for_each_event(&self, each: &mut dyn FnMut(Recorded)) -> Result<(), StoreError>;

    /// A demo database's clock (`saps demo` sets it, the demo desk moves
    /// it); `None` on any other database. A setting of the store, not a
    /// record: no event, no rule of the program.
    fn demo_clock(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Moves the demo clock to `at`, durably on return.
    fn set_demo_clock(&self, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// The vouchers at `stage`, by day, in `[from, until)`, at most `limit`.
    fn filed(
        &self,
        stage: Stage,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.entries_after(&[Span::of(stage, from, until)], None, limit)
    }
}

impl Backend for Store {
    fn label(&self) -> String {
        self.path().display().to_string()
    }

    fn dir(&self) -> Option<&Path> {
        Some(self.path())
    }

    super::forward::same_named!(Store);

    fn keep_file(&self, path: &Path) -> Result<Option<Attachment>, FileError> {
        super::files::attach(self.path(), path)
    }

    fn keep_bytes(&self, bytes: &[u8]) -> Result<(String, u64), FileError> {
        super::files::copy_in(self.path(), bytes)
    }

    fn read_file(&self, a: &Attachment) -> Result<Vec<u8>, FileError> {
        super::files::read_verified(self.path(), a)
    }

    fn demo_clock(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let value = self.raw_get(super::keys::META.as_bytes(), super::keys::DEMO_CLOCK_KEY)?;
        // One that does not read as a time is reported by `saps check`.
        Ok(value.as_deref().and_then(super::keys::parse_demo_clock))
    }

    fn set_demo_clock(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        let text = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.raw_set(
            super::keys::META.as_bytes(),
            super::keys::DEMO_CLOCK_KEY,
            Some(text.as_bytes()),
        )
    }

    fn backup(&self, file: &Path) -> Result<Summary, BackupError> {
        // Damaged or missing deliverable copies refuse it, as `saps backup`
        // does without --allow-missing-files (the message names that way).
        super::backup::write_open(self, file, false)
    }

    fn for_each_customer(&self, each: &mut dyn FnMut(Customer, Ledger)) -> Result<(), StoreError> {
        Store::for_each_customer(self, each)
    }

    fn for_each_voucher(&self, each: &mut dyn FnMut(Voucher)) -> Result<(), StoreError> {
        Store::for_each_voucher(self, each)
    }

    fn for_each_event(&self, each: &mut dyn FnMut(Recorded)) -> Result<(), StoreError> {
        Store::for_each_event(self, each)
    }
}
