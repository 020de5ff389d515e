//! The program's rules, pure: no UI, storage, clock, filesystem, environment
//! or randomness. Time and the acting user come in through [`Ctx`].
//!
//! `decide(&State, &Command, &Ctx)` either refuses the command with a
//! [`Rejection`] or returns the events it causes; `apply` folds an event into
//! the state. Both the screens and `saps exec` go through [`execute`].

pub mod apply;
pub mod catalog;
pub mod command;
pub mod dates;
pub mod deadlines;
pub mod decide;
pub mod email;
pub mod event;
pub mod ids;
pub mod names;
pub mod nearest;
pub mod permission;
pub mod program;
pub mod records;
pub mod rejection;
pub mod rules;
pub mod serde_time;
pub mod state;

pub use apply::apply;
pub use catalog::Catalog;
pub use command::Command;
pub use decide::decide;
pub use event::{Event, Recorded};
pub use names::Names;
pub use rejection::{Code, Decision, Rejection};
pub use state::{State, Status};

use chrono::{DateTime, NaiveDate, Utc};

/// What a decision needs from outside: the clock, who is acting, the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    /// The acting user's email, as given (`--as` or a line's `"as"`).
    pub actor: Option<&'a str>,
    pub catalog: &'a Catalog,
}

impl Ctx<'_> {
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}

/// Decides `cmd` and, when accepted, applies its events to `state`.
/// Returns the recorded events (to be committed by the caller).
pub fn execute(state: &mut State, cmd: &Command, ctx: &Ctx) -> Decision<Vec<Recorded>> {
    let recorded = decide(state, cmd, ctx)?;
    for r in &recorded {
        apply(state, r);
    }
    Ok(recorded)
}
