//! Direct work on a data directory (or a PostgreSQL database), without HTTP: what `marktplatz
//! token`, the demo and the tests need. Safe to use while a server runs on the same directory
//! (SQLite WAL, busy wait) or database (PostgreSQL: row locks, ADR 0021).

use std::path::{Path, PathBuf};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::{Head, PublishOutcome, is_valid_event_id};

use crate::ServerError;
use crate::store::auth::{self, IssuedToken, Role, TokenInfo, TokenSpec};
use crate::store::releases::Publisher;
use crate::store::{Db, StoreError, access, blobs, change_log, console, ops, publish};

/// What went wrong, with the stable code the HTTP API would answer (`wire::code`).
#[derive(Debug, thiserror::Error)]
#[error("{message} ({code})")]
pub struct AdminError {
    pub code: &'static str,
    pub message: String,
}

impl From<StoreError> for AdminError {
    fn from(error: StoreError) -> AdminError {
        AdminError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

pub type AdminResult<T> = Result<T, AdminError>;

pub struct Admin {
    db: Db,
    data_dir: PathBuf,
}

impl Admin {
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Admin, ServerError> {
        Admin::open_with(data_dir, None)
    }

    /// [`Admin::open`] on the PostgreSQL `database` when one is given (`data_dir` then holds
    /// the asset cache).
    pub fn open_with(
        data_dir: impl AsRef<Path>,
        database: Option<&str>,
    ) -> Result<Admin, ServerError> {
        let data_dir = data_dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&data_dir).map_err(|source| ServerError::DataDir {
            path: data_dir.clone(),
            source,
        })?;
        Ok(Admin {
            db: Db::at(&data_dir, database)?,
            data_dir,
        })
    }

    /// Creates the event if it is new and returns a fresh token for it (no expiry).
    pub fn create_token(&self, event_id: &str, role: &str) -> AdminResult<String> {
        let spec = TokenSpec {
            role: Role::parse(role)?,
            event_id: Some(event_id.to_string()),
            subject: None,
            expires_in: None,
        };
        Ok(self.issue_token(&spec)?.token)
    }

    /// Issues a token; an organiser's or attendee's event is created if new.
    pub fn issue_token(&self, spec: &TokenSpec) -> AdminResult<IssuedToken> {
        if let Some(event_id) = &spec.event_id
            && !is_valid_event_id(event_id)
        {
            return Err(StoreError::BadInput(format!(
                "'{event_id}' is not an event id (letters, digits, '-', '_' and '.', at most 100)"
            ))
            .into());
        }
        Ok(self.db.write_blocking(|tx| {
            if let (Some(event_id), Role::Organiser | Role::Attendee) = (&spec.event_id, spec.role)
            {
                change_log::ensure_event(tx, event_id)?;
            }
            auth::issue(tx, spec)
        })?)
    }

    /// A one-time link secret that signs an organiser of `event_id` into the console
    /// (`/organiser/sign-in?link=SECRET`, valid `store::console::LINK_SECS`); the event is
    /// created if new.
    pub fn issue_console_link(&self, event_id: &str, subject: &str) -> AdminResult<String> {
        if !is_valid_event_id(event_id) {
            return Err(StoreError::BadInput(format!(
                "'{event_id}' is not an event id (letters, digits, '-', '_' and '.', at most 100)"
            ))
            .into());
        }
        Ok(self
            .db
            .write_blocking(|tx| console::issue_link(tx, event_id, subject))?)
    }

    /// Revokes a token named by its id (or given whole). `Ok(false)`: it was revoked already.
    pub fn revoke_token(&self, id_or_token: &str) -> AdminResult<bool> {
        Ok(self.db.write_blocking(|tx| auth::revoke(tx, id_or_token))?)
    }

    /// Gives the event an access code for reading it (`None`: public again). Returns whether it
    /// had one before. The event must exist.
    pub fn set_access_code(&self, event_id: &str, code: Option<&str>) -> AdminResult<bool> {
        Ok(self
            .db
            .write_blocking(|tx| access::set(tx, event_id, code))?)
    }

    /// Tokens (never their secrets), of one event or all.
    pub fn tokens(&self, event_id: Option<&str>) -> AdminResult<Vec<TokenInfo>> {
        Ok(self.db.read_blocking(|tx| auth::list(tx, event_id))?)
    }

    /// How many organiser operations were applied to the event (one stored result each).
    pub fn applied_ops(&self, event_id: &str) -> AdminResult<u64> {
        Ok(self
            .db
            .read_blocking(|tx| ops::applied_count(tx, event_id))?)
    }

    /// Stores an asset and returns its reference.
    pub fn put_asset(&self, bytes: &[u8], media_type: &str) -> AdminResult<AssetRef> {
        let sha256 = marktplatz_model::assets::sha256_hex(bytes);
        let size = blobs::image_size(bytes, media_type);
        blobs::put(&self.db, &self.data_dir, &sha256, media_type, bytes, size)?;
        Ok(self
            .db
            .read_blocking(|tx| blobs::meta(tx, &sha256))?
            .map(|m| m.asset_ref())
            .ok_or_else(|| StoreError::internal("storing an asset", "it vanished"))?)
    }

    /// Stores the given assets (each checked against its reference: hash and size), then
    /// publishes the bundle: what the demo and tests need in one call.
    pub fn publish_with_assets<'a>(
        &self,
        bundle: Bundle,
        assets: impl IntoIterator<Item = (&'a AssetRef, &'a [u8])>,
    ) -> AdminResult<PublishOutcome> {
        for (asset, bytes) in assets {
            let stored = self.put_asset(bytes, &asset.media_type)?;
            if stored.sha256 != asset.sha256 || stored.bytes != asset.bytes {
                return Err(StoreError::refused(
                    marktplatz_model::wire::code::HASH_MISMATCH,
                    format!(
                        "asset {} does not match its bytes ({} bytes hashing to {})",
                        asset.sha256, stored.bytes, stored.sha256
                    ),
                )
                .into());
            }
        }
        self.publish(bundle)
    }

    /// Publishes a bundle as the default source (its assets must be stored first), creating
    /// the event if new.
    pub fn publish(&self, bundle: Bundle) -> AdminResult<PublishOutcome> {
        self.publish_as(marktplatz_model::source::DEFAULT_SOURCE, bundle)
    }

    /// Publishes a bundle as `source`: replaces only what that source published before.
    pub fn publish_as(&self, source: &str, bundle: Bundle) -> AdminResult<PublishOutcome> {
        let event_id = bundle.event.id.clone();
        self.db
            .write_blocking(|tx| change_log::ensure_event(tx, &event_id))?;
        Ok(publish::publish_bundle(
            &self.db,
            &self.data_dir,
            &event_id,
            &Publisher {
                source: source.to_string(),
                subject: "admin".into(),
                note: String::new(),
                // The server's own administrator, on the data directory: no guard asks.
                confirmed: true,
            },
            bundle,
            None,
        )?)
    }

    pub fn head(&self, event_id: &str) -> AdminResult<Head> {
        Ok(self
            .db
            .read_blocking(|tx| change_log::require_head(tx, event_id))?)
    }

    /// Starts a new epoch: every device re-bootstraps (after a restore or a history reset).
    pub fn rotate_epoch(&self, event_id: &str) -> AdminResult<String> {
        Ok(self
            .db
            .write_blocking(|tx| change_log::rotate_epoch(tx, event_id))?)
    }

    /// Starts a new epoch for every event, in one transaction (after restoring a backup:
    /// seqs would otherwise count up again from the backup's head). `(event, new epoch)`.
    pub fn rotate_all_epochs(&self) -> AdminResult<Vec<(String, String)>> {
        Ok(self.db.write_blocking(|tx| {
            let mut rotated = Vec::new();
            for event in change_log::event_ids(tx)? {
                let epoch = change_log::rotate_epoch(tx, &event)?;
                rotated.push((event, epoch));
            }
            Ok(rotated)
        })?)
    }

    /// Purges tombstones older than `older_than_secs` (0: all), moving the retention horizon.
    pub fn purge_tombstones(&self, event_id: &str, older_than_secs: i64) -> AdminResult<usize> {
        Ok(self
            .db
            .write_blocking(|tx| change_log::purge_tombstones(tx, event_id, older_than_secs))?)
    }
}
