//! saps: a terminal desk for Software Assurance Planning Services partners.

pub mod app;
pub mod backup_cmd;
pub mod check;
pub mod cli;
pub mod clock;
pub mod deliverable;
pub mod demo;
pub mod describe;
pub mod domain;
pub mod exec;
pub mod export;
pub mod fatal;
pub mod field;
pub mod import;
pub mod input;
pub mod scratch;
pub mod session;
pub mod settings;
pub mod store;
pub mod ui;
