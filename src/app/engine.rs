//! Carrying out the model's effects: a command goes through the session
//! (decided by the domain, committed durably) before the screen says it is
//! saved; what the desk shows is read by the loader. Each outcome goes back
//! to `update` as a message: nothing here writes into the model.

use crate::domain::{self, Command, Ctx, Recorded};
use crate::session::{Halt, Request, Session};
use crate::store::Backend;
use crate::ui::model::Committed;
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

    /// What `cmd` would record as the model's acting user, decided on the
    /// stored state without committing anything (a confirmation's text).
    pub fn preview(&self, m: &Model, cmd: &Command) -> Result<Vec<Recorded>, Failure> {
        let ctx = Ctx {
            now: m.now,
            actor: m.actor.as_deref(),
            catalog: &m.catalog,
        };
        let backend = self.backend();
        let read = |e| Failure::Storage(format!("cannot read the database: {e}"));
        let mut ws = backend.working_state().map_err(read)?;
        backend.hydrate(&mut ws, &cmd.names()).map_err(read)?;
        domain::decide(&ws, cmd, &ctx).map_err(Failure::Rejected)
    }

    /// What other processes committed since the session's last seq, and
    /// the organisation after it (the session's working state catches up).
    pub fn catch_up(&mut self) -> Result<Committed, String> {
        let recorded = self
            .session
            .catch_up()
            .map_err(|e| format!("cannot read what others changed: {e}"))?;
        Ok(Committed {
            recorded,
            state: Box::new(self.session.organisation()),
        })
    }

    /// Decides, applies and commits `cmd` as the model's acting user: the
    /// events recorded and the organisation as committed.
    pub fn run(&mut self, m: &Model, cmd: &Command) -> Result<Committed, Failure> {
        let request = Request::new(cmd.clone(), m.actor.clone(), m.now);
        match self.session.run(request) {
            Ok(Ok(recorded)) => Ok(Committed {
                recorded,
                state: Box::new(self.session.organisation()),
            }),
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
            Effect::Preview(cmd) => {
                let outcome = engine.preview(m, &cmd);
                dispatch(m, engine, Msg::Previewed(cmd, outcome));
            }
            Effect::Load(query) => {
                let outcome = super::loader::load(&**engine.backend(), query);
                dispatch(m, engine, Msg::Loaded(outcome));
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
            Effect::Sheet(job) => {
                let outcome = super::sheet_jobs::run(engine.session(), m, &job);
                dispatch(m, engine, Msg::Sheet(outcome));
            }
            Effect::ExportList { ids, file } => {
                let outcome =
                    super::list_export::write(&**engine.backend(), &m.catalog, &ids, m.today(), &file);
                dispatch(m, engine, Msg::ListWritten(outcome));
            }
            Effect::MoveClock(at) => {
                let outcome = engine
                    .backend()
                    .set_demo_clock(at)
                    .map(|()| at)
                    .map_err(|e| format!("the demo clock did not move: {e}"));
                dispatch(m, engine, Msg::ClockMoved(outcome));
            }
            Effect::Field(job) => {
                let outcome = super::field_jobs::run(engine.session(), m, &job);
                dispatch(m, engine, Msg::Field(outcome));
            }
            Effect::CatchUp => {
                let outcome = engine.catch_up();
                dispatch(m, engine, Msg::CaughtUp(outcome));
            }
            Effect::Complete(typed) => {
                let found = super::complete::paths(&typed);
                dispatch(m, engine, Msg::Completed(typed, found));
            }
        }
    }
}
