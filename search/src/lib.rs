//! The German-aware search engine's text rules, free of any storage: what a word is
//! ([`normalize`]), what the typed text asks for ([`parse`]), and which words are one typo apart
//! ([`fuzzy`]).
//!
//! The device's index (`marktplatz_core::store`) writes words with these rules and its search
//! (`marktplatz_core::search`) reads the typed text with them, so the two always agree. Nothing
//! here knows SQLite or the device; the rest of the engine (index, ranking, highlighting) moves
//! here when the server gets search too (`docs/adr/0011-components.md`).

pub mod fuzzy;
pub mod normalize;
pub mod parse;
