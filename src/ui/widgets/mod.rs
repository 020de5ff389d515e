pub mod choices;
pub mod fit;
pub mod list;
pub mod pager;
