//! [`PgStore`] behind the seam the session and the desk use.

use super::PgStore;
use crate::domain::records::{Attachment, Customer, Voucher};
use crate::domain::state::Ledger;
use crate::domain::{Names, Recorded, State};
use crate::store::backup::{BackupError, Summary};
use crate::store::files::FileError;
use crate::store::index::Counter;
use crate::store::pages::{Entry, Span};
use crate::store::{Backend, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

impl Backend for PgStore {
    fn member(&self) -> Result<Option<String>, StoreError> {
        Ok(match self.identity()? {
            super::Identity::Member { email } => Some(email),
            super::Identity::Owner { .. } | super::Identity::Other { .. } => None,
        })
    }

    fn label(&self) -> String {
        self.at().to_owned()
    }

    fn dir(&self) -> Option<&Path> {
        None
    }

    /// A shared server keeps no demo clock (its demo follows `--now` or the
    /// real clock, and the desk's clock keys say they need a local demo
    /// database): recording one is a no-op, so `saps demo` still seeds it.
    fn demo_clock(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(None)
    }

    fn set_demo_clock(&self, _at: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }

    fn working_state(&self) -> Result<State, StoreError> {
        PgStore::working_state(self)
    }

    fn hydrate(&self, state: &mut State, names: &Names) -> Result<(), StoreError> {
        PgStore::hydrate(self, state, names)
    }

    fn commit(&self, state: &State, recorded: &[Recorded]) -> Result<(), StoreError> {
        PgStore::commit(self, state, recorded)
    }

    fn voucher(&self, id: &str) -> Result<Option<Voucher>, StoreError> {
        PgStore::voucher(self, id)
    }

    fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        PgStore::customer(self, id)
    }

    fn customers_page(&self, n: usize) -> Result<Vec<(Customer, Ledger)>, StoreError> {
        PgStore::customers_page(self, n)
    }

    fn reserved_by(&self, consultant: &str) -> Result<Vec<Voucher>, StoreError> {
        PgStore::reserved_by(self, consultant)
    }

    fn entries_after(
        &self,
        spans: &[Span],
        after: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        PgStore::entries_after(self, spans, after, n)
    }

    fn entries_before(
        &self,
        spans: &[Span],
        before: Option<&[u8]>,
        n: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        PgStore::entries_before(self, spans, before, n)
    }

    fn vouchers_with_prefix(&self, prefix: &str, most: usize) -> Result<Vec<Voucher>, StoreError> {
        PgStore::vouchers_with_prefix(self, prefix, most)
    }

    fn counters(&self, from: NaiveDate) -> Result<Vec<(Counter, u64)>, StoreError> {
        PgStore::counters(self, from)
    }

    fn recent_events(&self, n: usize) -> Result<Vec<Recorded>, StoreError> {
        PgStore::recent_events(self, n)
    }

    fn load(&self) -> Result<State, StoreError> {
        PgStore::load(self)
    }

    fn events_after(&self, after: u64, n: usize) -> Result<Vec<Recorded>, StoreError> {
        PgStore::events_after(self, after, n)
    }

    fn subscribe(&self) -> Result<Option<Box<dyn crate::store::Subscription>>, StoreError> {
        Ok(Some(Box::new(self.listen()?)))
    }

    fn for_each_event(&self, each: &mut dyn FnMut(Recorded)) -> Result<(), StoreError> {
        // Read whole for now: the log of a team's database is read a page at
        // a time once the streaming exports need it.
        PgStore::events(self)?.into_iter().for_each(each);
        Ok(())
    }

    fn keep_file(&self, path: &Path) -> Result<Option<Attachment>, FileError> {
        self.attach(path)
    }

    fn keep_bytes(&self, bytes: &[u8]) -> Result<(String, u64), FileError> {
        self.copy_in(bytes)
    }

    fn read_file(&self, a: &Attachment) -> Result<Vec<u8>, FileError> {
        self.read_verified(a)
    }

    fn backup(&self, file: &Path) -> Result<Summary, BackupError> {
        // Damaged or missing deliverable copies refuse it, as the sled
        // store's does.
        PgStore::backup(self, file, false)
    }
}
