use super::{Recorded, State};
pub fn apply(_state: &mut State, _r: &Recorded) { todo!() }
