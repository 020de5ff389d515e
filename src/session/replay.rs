//! Recognising a request applied before, by its id (a line's `"id"`) or
//! by the id its command carries from elsewhere (a field bundle's): the
//! session asks its backend, so the check is on the one road.

use super::{Halt, Outcome, Request, Session};
use crate::domain::{Command, Recorded};
use uuid::Uuid;

impl Session {
    /// The request's outcome: the events it recorded before, when its
    /// given id is in the log already or among the events staged before it
    /// (`true`: nothing new is written); else decided now.
    pub(super) fn settle(&mut self, req: &Request) -> Result<(Outcome, bool), Halt> {
        if !req.id_given {
            return Ok((self.decide(&self.recognised(req)?)?, false));
        }
        let key = req.id;
        if let Some(outcome) = self.staged_under(key) {
            return Ok((outcome, true));
        }
        if let Some(events) = self.applied(key)? {
            return Ok((Ok(events), true));
        }
        let outcome = self.decide(req)?;
        if outcome.is_err() {
            // Another process may have applied it since the look-up (and
            // the refusal is what its commit left: a customer added, ...).
            if let Some(events) = self.applied(key)? {
                return Ok((Ok(events), true));
            }
        }
        Ok((outcome, false))
    }

    /// The outcome of a request staged before (or in flight) whose events
    /// hold `key`.
    fn staged_under(&self, key: Uuid) -> Option<Outcome> {
        self.flying_outcomes()
            .iter()
            .chain(self.outcomes.iter())
            .rev()
            .find(|o| matches!(o, Ok(events) if events.iter().any(|r| r.id == key)))
            .cloned()
    }

    /// `req`, its command told whether the log (or what is staged) holds
    /// the id it carries from elsewhere (a field bundle's): the rules then
    /// say who may import it where, and that it is imported already.
    fn recognised(&self, req: &Request) -> Result<Request, Halt> {
        let Some(key) = req.command.carried_id() else {
            return Ok(req.clone());
        };
        let seen = self.staged_under(key).is_some() || self.backend.seq_of(key)?.is_some();
        let mut req = req.clone();
        if let Command::ImportBundle(b) = &mut req.command {
            b.recorded = seen;
        }
        Ok(req)
    }

    /// The events the log holds under the request id `key`, when any.
    fn applied(&self, key: Uuid) -> Result<Option<Vec<Recorded>>, Halt> {
        Ok(self.backend.applied(key)?.filter(|events| !events.is_empty()))
    }
}
