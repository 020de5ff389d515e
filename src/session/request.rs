//! A request: one command with the user and the clock it runs under, and
//! its id (made by the session's caller, outside the domain).

use crate::domain::{self, Command, Recorded};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One command with the user and the clock it runs under, and its id: its
/// first event's id, its other events' derived from it
/// ([`domain::ids::nth`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub command: Command,
    pub actor: Option<String>,
    pub now: DateTime<Utc>,
    pub id: Uuid,
    /// The id came with the request (a line's `"id"`), so the request may
    /// have been applied before: the session looks it up in the log first.
    /// A fresh id cannot be there.
    pub id_given: bool,
}

impl Request {
    /// A request with a fresh id (a UUIDv7 of the real clock and random
    /// bits: made here, outside the domain).
    pub fn new(command: Command, actor: Option<String>, now: DateTime<Utc>) -> Request {
        Request {
            command,
            actor,
            now,
            id: fresh_id(),
            id_given: false,
        }
    }

    /// This request under an id it was given (a line's `"id"`): when the
    /// log holds that id already, the request is not applied again.
    pub fn given_id(mut self, id: Uuid) -> Request {
        self.id = id;
        self.id_given = true;
        self
    }
}

/// Gives the events of the request `request` their ids: the k-th takes
/// [`domain::ids::nth`] of it (an id the rule set, a bundle's, stays).
/// What every commit's events need; the session does it for each request.
/// The ids that may be asked about again are marked `id_given`: the first
/// event's when the request's id was `given`, and every id a rule set.
pub fn stamp(events: &mut [Recorded], request: Uuid, given: bool) {
    for (k, r) in events.iter_mut().enumerate() {
        if r.id.is_nil() {
            r.id = domain::ids::nth(request, k);
            r.id_given = given && k == 0;
        } else {
            r.id_given = true;
        }
    }
}

/// `outcome`'s events with the ids a session gives a request of a fresh
/// id: for a decision made outside a session (tests and benches that call
/// the domain straight).
pub fn with_fresh_ids(outcome: super::Outcome) -> super::Outcome {
    outcome.map(|mut events| {
        stamp(&mut events, fresh_id(), false);
        events
    })
}

/// A new request id: a UUIDv7 of now and random bits.
pub fn fresh_id() -> Uuid {
    Uuid::now_v7()
}
