//! The index tree against the records: every entry the records call for is
//! there with the right value, and nothing else is.

use super::Finding;
use crate::store::index::describe as shown;
use std::collections::BTreeMap;

/// At most this many differences are listed one by one.
const LISTED: usize = 20;

pub fn compare(stored: &BTreeMap<Vec<u8>, Vec<u8>>, expected: &BTreeMap<Vec<u8>, Vec<u8>>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut differences = 0;
    let mut note = |key: &[u8], problem: &str| {
        differences += 1;
        if differences <= LISTED {
            out.push(Finding::new(format!("index {}", shown(key)), problem.to_owned()));
        }
    };
    for (key, want) in expected {
        match stored.get(key) {
            None => note(key, "is missing; the records call for it"),
            Some(have) if have != want => note(key, "does not match the records"),
            Some(_) => {}
        }
    }
    for key in stored.keys().filter(|k| !expected.contains_key(*k)) {
        note(key, "is there, but no record calls for it");
    }
    if differences > LISTED {
        out.push(Finding::new(
            "the index",
            format!("{} more differences from the records", differences - LISTED),
        ));
    }
    out
}
