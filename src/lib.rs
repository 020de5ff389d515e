//! saps: a terminal desk for Software Assurance Planning Services partners.

pub mod domain;
pub mod store;
