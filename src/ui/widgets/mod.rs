pub mod choices;
pub mod list;
pub mod pager;
