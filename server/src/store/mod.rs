//! The bottom layer: the server's database (SQLite, or PostgreSQL for several instances: ADR
//! 0021) and asset files. Each table has one module
//! that writes it (`docs/ARCHITECTURE.md, "The server"`); every function takes the [`Db`] or a
//! transaction and returns [`StoreError`], never an HTTP answer.
//!
//! - [`db`]: connections, transactions, migrations (`sql/`), the write generation;
//! - [`engine`]: the portable transaction interface ([`Tx`]) over SQLite and PostgreSQL;
//! - [`change_log`]: events and their compacted change logs (`event`, `entity`);
//! - [`auth`]: bearer tokens and roles (`token`);
//! - [`access`]: read policies, access codes (`event_access`);
//! - [`listing`]: the events offered to anyone (reads only);
//! - [`blobs`]: content-addressed files (`asset`, `<data>/assets/`);
//! - [`thumbnails`]: gallery thumbnails (`thumbnail`);
//! - [`photos`]: photos straight from a camera, stripped, stored and given a thumbnail;
//! - [`publish`]: a whole bundle into the change log (one plan: preview and publish);
//! - [`publish_keys`]: a publish's outcome under its Idempotency-Key (`publish_result`);
//! - [`merge`]: a republished entity merged field by field with the edits made since;
//! - [`ops`]: one organiser operation into the change log (`op_result`);
//! - [`idempotent`]: a stored outcome answered again to its key (operations, keyed publishes);
//! - [`steps`]: the entities and changes a publish is made of (no table);
//! - [`sources`]: what each publishing source published last (`source_entity`);
//! - [`releases`]: every publish, numbered, and what it published (`release`, `release_entity`);
//! - [`overrides`]: each operation's effect and the release that undid it (`op_effect`);
//! - [`console`]: the organiser console's sign-in links, sessions and pending imports
//!   (`console_link`, `console_session`, `console_pending`).

pub mod access;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod change_log;
pub mod changes;
pub mod console;
pub mod db;
pub mod engine;
pub mod error;
pub mod idempotent;
pub mod listing;
pub mod merge;
pub mod migrations;
pub mod ops;
pub mod overrides;
pub mod photos;
pub mod pool;
pub mod publish;
pub mod publish_keys;
pub mod releases;
pub mod scratch;
pub mod sources;
pub mod steps;
#[cfg(test)]
pub mod testing;
pub mod thumbnails;
#[cfg(test)]
mod two_instances;

pub use db::{DB_FILE, Db, blocking, now};
pub use engine::{Param, Row, Tx};
pub use error::{Result, StoreError};
