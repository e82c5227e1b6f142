//! What the server keeps in memory in front of the store: each event's head (so the no-change
//! poll costs no I/O) and finished change pages (so the 9:00 crowd costs one read and one
//! compression per page), and what the web programme makes from each event's content at its
//! head (`at_head`): the loaded content and the search index. Depends on the store only; the
//! HTTP layer uses it.

pub mod at_head;
pub mod heads;
pub mod pages;
pub mod per_event;
pub mod search_indexes;

pub use at_head::AtHead;
pub use heads::Heads;
pub use pages::PageCache;
pub use per_event::PerEvent;
pub use search_indexes::SearchIndexes;
