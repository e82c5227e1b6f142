//! Full-text search over an event's content (FTS5, German-aware).
pub(crate) mod index;
