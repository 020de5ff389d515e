//! [`PgStore`] behind the seam the session and the desk use.

use super::PgStore;
use crate::domain::Recorded;
use crate::domain::records::Attachment;
use crate::store::backup::{BackupError, Summary};
use crate::store::files::FileError;
use crate::store::{Backend, StoreError};
use chrono::{DateTime, Utc};
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

    crate::store::forward::same_named!(PgStore);

    fn reads_basis(&self) -> bool {
        true
    }

    fn commit_on(
        &self,
        state: &crate::domain::State,
        recorded: &[Recorded],
        basis: &crate::store::Basis,
    ) -> Result<crate::store::Committed, StoreError> {
        PgStore::commit_on(self, state, recorded, basis)
    }

    fn give_back(&self) -> Result<(), StoreError> {
        PgStore::give_back(self)
    }

    fn pipelines(&self) -> bool {
        true
    }

    fn prepare_commit(
        &self,
        state: &crate::domain::State,
        recorded: &[Recorded],
        basis: &crate::store::Basis,
    ) -> Result<crate::store::Prepared, StoreError> {
        Ok(crate::store::Prepared::new(PgStore::prepare_commit(
            self, state, recorded, basis,
        )?))
    }

    fn send_prepared(&self, prepared: crate::store::Prepared) -> Result<crate::store::Committed, StoreError> {
        match prepared.take::<super::commit::PgCommit>() {
            Ok(commit) => self.run_commit(commit),
            Err(other) => other.answer(),
        }
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
