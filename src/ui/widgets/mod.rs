pub mod list;
pub mod pager;
