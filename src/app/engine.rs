//! Carrying out the model's effects: a command goes through the session
//! (decided by the domain, committed durably) before the screen says it is
//! saved.

use crate::domain::{Command, Recorded};
use crate::session::{Halt, Request, Session};
use crate::store::Backend;
use crate::ui::{Effect, Failure, Model, Msg, update};
use std::sync::Arc;

pub struct Engine {
    session: Session,
}

impl Engine {
    pub fn new(session: Session) -> Engine {
        Engine { session }
    }

    pub fn backend(&self) -> &Arc<dyn Backend> {
        self.session.backend()
    }

    pub fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Decides, applies and commits `cmd` as the model's acting user.
    pub fn run(&mut self, m: &mut Model, cmd: &Command) -> Result<Vec<Recorded>, Failure> {
        let request = Request {
            command: cmd.clone(),
            actor: m.actor.clone(),
            now: m.now,
        };
        match self.session.run(request) {
            Ok(Ok(recorded)) => {
                m.absorb(self.session.organisation());
                Ok(recorded)
            }
            Ok(Err(rejection)) => Err(Failure::Rejected(rejection)),
            Err(Halt::Store(e)) => Err(Failure::Storage(format!("not saved: {e}"))),
            Err(Halt::File(message)) => Err(Failure::Storage(message)),
        }
    }
}

/// Feeds `msg` to `update` and carries out the effects it asks for, feeding
/// their outcomes back. The screens and the key-sequence tests both use it.
pub fn dispatch(m: &mut Model, engine: &mut Engine, msg: Msg) {
    for effect in update(m, msg) {
        match effect {
            Effect::Run(cmd) => {
                let outcome = engine.run(m, &cmd);
                dispatch(m, engine, Msg::Done(outcome));
            }
            Effect::Backup(file) => {
                let outcome = engine
                    .backend()
                    .backup(&file)
                    .map(|s| {
                        format!(
                            "Backup written to {} ({} keys, {} deliverable files)",
                            file.display(),
                            s.entries,
                            s.files
                        )
                    })
                    .map_err(|e| e.to_string());
                dispatch(m, engine, Msg::BackedUp(outcome));
            }
            Effect::Field(job) => {
                let outcome = super::field_jobs::run(engine.session(), m, &job);
                dispatch(m, engine, Msg::Field(outcome));
            }
        }
    }
}
