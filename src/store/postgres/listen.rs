//! Waiting for other saps' commits: each commit notifies `saps_events`
//! with the new last seq; [`Changes`] listens on a connection of its own.

use super::PgStore;
use super::commit::CHANNEL;
use crate::store::{StoreError, Subscription};
use postgres::fallible_iterator::FallibleIterator;
use std::time::Duration;

/// A connection listening for commits to the database.
pub struct Changes {
    client: postgres::Client,
    at: String,
}

impl std::fmt::Debug for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Changes")
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Starts listening: every commit from now on (this process's too) is
    /// reported by [`Changes::wait`].
    pub fn listen(&self) -> Result<Changes, StoreError> {
        // Named, so a DBA sees which connections are desks listening.
        let mut config = self.config.clone();
        config.application_name("saps listen");
        let mut client = super::connect(&config, &self.at, self.roots.as_deref())?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| super::error(&self.at, e))?;
        Ok(Changes {
            client,
            at: self.at.clone(),
        })
    }
}

impl Changes {
    /// Waits at most `timeout` for commits; the last seq of the newest one
    /// seen (all those pending are taken), or `None` when none came.
    pub fn wait(&mut self, timeout: Duration) -> Result<Option<u64>, StoreError> {
        let at = self.at.clone();
        let mut notifications = self.client.notifications();
        let first = notifications.timeout_iter(timeout).next();
        let Some(first) = first.map_err(|e| super::error(&at, e))? else {
            return Ok(None);
        };
        let mut newest = seq(&first);
        let mut pending = notifications.iter();
        while let Some(n) = pending.next().map_err(|e| super::error(&at, e))? {
            newest = newest.max(seq(&n));
        }
        Ok(Some(newest))
    }
}

impl Subscription for Changes {
    fn wait(&mut self, timeout: Duration) -> Result<Option<u64>, StoreError> {
        Changes::wait(self, timeout)
    }
}

fn seq(n: &postgres::Notification) -> u64 {
    n.payload().parse().unwrap_or(0)
}
