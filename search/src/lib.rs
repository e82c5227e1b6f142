//! The German-aware search engine, free of any storage: the device's core and the server run the
//! same code, so a query finds the same hits in the same order on the phone and on the web
//! (`docs/adr/0020-shared-search-engine.md`).
//!
//! - the text rules: what a word is ([`normalize`]), what the typed text asks for ([`parse`]),
//!   which words are one typo apart ([`fuzzy`]);
//! - what of an entity is searched ([`document`]);
//! - the engine: [`vocab`] word → indexed words (prefix, compound part, typo); [`plan`] the
//!   long-text queries; [`matcher`] which words a query word matches; [`rank`] the order;
//!   [`highlight`] underlines and context lines; [`snapshot`] the in-memory short fields,
//!   [`stored`] as bytes for a file;
//!   [`engine`] one search from typed text to hits over any long-text index ([`engine::LongText`]);
//!   [`query`] what is asked and answered;
//! - [`memory::MemoryIndex`]: one event's whole index in memory (the server's).
//!
//! The device's index (`marktplatz_core::store::search_index`) is SQLite FTS5 and implements
//! [`engine::LongText`] in `marktplatz_core::search`.

pub mod document;
pub mod engine;
pub mod fuzzy;
pub mod highlight;
pub mod matcher;
pub mod memory;
pub mod normalize;
pub mod parse;
pub mod plan;
pub mod query;
pub mod rank;
pub mod snapshot;
pub mod stored;
pub mod vocab;

pub use highlight::Highlight;
pub use memory::MemoryIndex;
pub use query::{MAX_LIMIT, SearchHit, SearchQuery, WhenAndWhere};
