use super::{Command, Ctx, Decision, Recorded, State};
pub fn decide(_state: &State, _cmd: &Command, _ctx: &Ctx) -> Decision<Vec<Recorded>> { todo!() }
