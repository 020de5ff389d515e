//! The desk's screens: `model` (what is shown), `update` (keys and results
//! change the model), `view` (draws it). Business rules stay in the domain.

pub mod field;
pub mod forms;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod overlays;
pub mod paging;
pub mod query;
pub mod sheets;
pub mod stats;
pub mod statusbar;
pub mod steps;
pub mod tab;
pub mod tabs;
pub mod theme;
pub mod tour;
pub mod update;
pub mod view;
pub mod widgets;

pub use model::{Effect, Failure, Model, Msg};
pub use update::update;
pub use view::view;
