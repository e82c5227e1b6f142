//! What the server keeps in memory in front of the store: each event's head (so the no-change
//! poll costs no I/O) and finished change pages (so the 9:00 crowd costs one read and one
//! compression per page), and each event's search index for the web programme. Depends on the store only; the HTTP layer uses it.

pub mod heads;
pub mod pages;
pub mod per_event;
pub mod search_indexes;

pub use heads::Heads;
pub use pages::PageCache;
pub use per_event::PerEvent;
pub use search_indexes::SearchIndexes;
