//! saps: a terminal desk for Software Assurance Planning Services partners.

pub mod cli;
pub mod clock;
pub mod domain;
pub mod exec;
pub mod export;
pub mod input;
pub mod store;
