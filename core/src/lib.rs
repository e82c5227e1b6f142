//! Marktplatz core: everything the phone apps and the organiser tools share.
//!
//! `model` and `bundle` describe an event's content; `store` keeps it on the device;
//! `time` derives local days; `text` folds text for sorting and search.

pub mod bundle;
pub mod error;
pub mod favourites;
pub mod listeners;
pub mod model;
pub mod search;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod wire;

pub use error::{Error, Result};
