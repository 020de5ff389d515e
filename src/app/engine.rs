//! Carrying out the model's effects: a command goes through the domain and
//! is committed to the store (flushed) before the screen says it is saved.

use crate::cli::Fatal;
use crate::deliverable::attach_deliverable;
use crate::domain::{self, Command, Ctx, Recorded};
use crate::store::{Store, backup};
use crate::ui::{Effect, Failure, Model, Msg, update};
use std::sync::Arc;

pub struct Engine {
    store: Arc<Store>,
}

impl Engine {
    pub fn new(store: Arc<Store>) -> Engine {
        Engine { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Decides, applies and commits `cmd` as the model's acting user.
    pub fn run(&mut self, m: &mut Model, cmd: &Command) -> Result<Vec<Recorded>, Failure> {
        let ctx = Ctx {
            now: m.now,
            actor: m.actor.as_deref(),
            catalog: &m.catalog,
        };
        // Decided on what the command reads, loaded from the store.
        let mut ws = m
            .working_set(cmd)
            .map_err(|e| Failure::Storage(format!("not saved: {e}")))?;
        // A draft naming a deliverable file gets the file copied in, as in `saps exec`.
        let cmd = match attach_deliverable(self.store.path(), &ws, cmd, &ctx) {
            Ok(Ok(cmd)) => cmd,
            Ok(Err(rejection)) => return Err(Failure::Rejected(rejection)),
            Err(Fatal(message)) => return Err(Failure::Storage(message)),
        };
        let recorded = domain::execute(&mut ws, &cmd, &ctx).map_err(Failure::Rejected)?;
        if let Err(e) = self.store.commit(&ws, &recorded) {
            return Err(Failure::Storage(format!("not saved: {e}")));
        }
        m.absorb(ws);
        Ok(recorded)
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
                let outcome = backup::write_open(&engine.store, &file)
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
                let outcome = super::field_jobs::run(&engine.store, m, &job);
                dispatch(m, engine, Msg::Field(outcome));
            }
        }
    }
}
