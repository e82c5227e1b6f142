//! The Marktplatz device: everything the phone apps run (through `marktplatz-ffi`), on top of
//! the contract in `marktplatz-model`. No importers, no image codecs, no demo: those are
//! organiser tooling (`marktplatz-import`, `marktplatz-media`). Layers, bottom up
//! (`docs/ARCHITECTURE.md`):
//!
//! - [`error`]: the core's error type (storage, network, protocol, cancelled).
//! - [`failpoint`]: named crash points the crash harness drives (test builds only).
//! - [`listeners`]: callback registries the shells subscribe to.
//! - [`store`]: `content.db` and `user.db`: connections, schema, the content tables and their
//!   search index, the organiser's queued operations, and the reads the screens show.
//! - [`search`]: German-aware full-text search over the store's index.
//! - [`favourites`]: favourites, the personal agenda, change alerts, reminders, calendar export,
//!   share codes (user.db).
//! - [`announcements`]: which urgent announcements to post as notifications (user.db).
//! - [`sync`]: pulling an event's pages, assets and access codes from its server; pushing the
//!   organiser's queued operations.
//! - [`device`]: what one phone app holds, composing sync with alerts and the outbox.

pub mod announcements;
pub mod device;
pub mod error;
pub mod failpoint;
pub mod favourites;
pub mod listeners;
pub mod search;
pub mod store;
pub mod sync;

pub use error::{Error, Result};
