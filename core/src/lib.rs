//! Marktplatz core: everything the phone apps and the organiser tools share.
//!
//! `model` and `bundle` describe an event's content; `store` keeps it on the device;
//! `time` derives local days; `text` folds text for sorting and search; `import` (feature
//! `import`) reads frab, c3voc, iCalendar and CSV schedules into bundles.

pub mod bundle;
#[cfg(feature = "demo")]
pub mod demo;
pub mod device;
pub mod error;
pub mod failpoint;
pub mod favourites;
#[cfg(feature = "import")]
pub mod import;
pub mod listeners;
#[cfg(feature = "media")]
pub mod media;
pub mod model;
pub mod ops;
pub mod search;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod wire;
pub mod zone;

pub use error::{Error, Result};
