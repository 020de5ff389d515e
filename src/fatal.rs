//! `Fatal`: a run that could not start or could not go on (exit 2 with a
//! sentence). Every command-line entry point returns it.

use crate::store::StoreError;
use std::fmt;

/// The run could not start or could not go on: exit 2 with this sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal(pub String);

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<StoreError> for Fatal {
    fn from(e: StoreError) -> Fatal {
        Fatal(e.to_string())
    }
}
