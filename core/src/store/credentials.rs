//! Secrets kept outside the databases: the organiser's bearer token. `user.db` is plain SQLite
//! and travels in backups, so a secret goes to a [`CredentialStore`] the platform provides
//! (Android Keystore, iOS Keychain, through the bindings' foreign trait) or, for the command
//! line, [`FileCredentials`] (a 0600 JSON file). `user.db` keeps only where to push.
//! See `docs/adr/0018-credentials.md`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rusqlite::{Connection, TransactionBehavior, params};

pub use crate::error::CredentialError;
use crate::error::{Result, SqliteContext};

/// The file [`FileCredentials`] keeps in the store folder.
pub const CREDENTIALS_FILE: &str = "credentials.json";
/// Largest credentials file read back (a few tokens take a few hundred bytes).
const MAX_CREDENTIALS_FILE_BYTES: u64 = 1024 * 1024;

/// Where secrets live: get, set and delete one secret by key. Implementations must be durable
/// when `set`/`delete` return `Ok` and must not log the secret.
pub trait CredentialStore: Send + Sync {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, CredentialError>;
    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), CredentialError>;
    fn delete(&self, key: &str) -> std::result::Result<(), CredentialError>;
}

/// The key of an event's organiser token.
pub fn organiser_key(event_id: &str) -> String {
    format!("organiser-token:{event_id}")
}

/// Secrets in a JSON file readable by its owner only (0600), replaced atomically on every
/// change (temporary file, fsync, rename, fsync of the folder): the command line's store.
pub struct FileCredentials {
    path: PathBuf,
    /// One change at a time within the process (read, change, replace).
    lock: Mutex<()>,
}

impl FileCredentials {
    pub fn new(path: impl Into<PathBuf>) -> FileCredentials {
        FileCredentials {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn load(
        &self,
        action: &'static str,
        key: &str,
    ) -> std::result::Result<BTreeMap<String, String>, CredentialError> {
        let fail = |reason: String| CredentialError::new(action, key, reason);
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(fail(format!("reading {}: {e}", self.path.display()))),
        };
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(file, MAX_CREDENTIALS_FILE_BYTES + 1),
            &mut text,
        )
        .map_err(|e| fail(format!("reading {}: {e}", self.path.display())))?;
        if text.len() as u64 > MAX_CREDENTIALS_FILE_BYTES {
            return Err(fail(format!(
                "{} is larger than {MAX_CREDENTIALS_FILE_BYTES} bytes",
                self.path.display()
            )));
        }
        serde_json::from_str(&text).map_err(|e| {
            fail(format!(
                "{} is not a credentials file: {e}",
                self.path.display()
            ))
        })
    }

    fn save(
        &self,
        action: &'static str,
        key: &str,
        secrets: &BTreeMap<String, String>,
    ) -> std::result::Result<(), CredentialError> {
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            CredentialError::new(action, key, format!("{what} {}: {e}", self.path.display()))
        };
        let text = serde_json::to_vec_pretty(secrets).map_err(|e| fail("encoding", &e))?;
        let temporary = self.path.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&temporary)
            .map_err(|e| fail("creating a temporary file for", &e))?;
        // The mode above applies only to a new file: a stale temporary keeps its own.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fail("restricting", &e))?;
        }
        file.write_all(&text)
            .and_then(|()| file.sync_all())
            .map_err(|e| fail("writing", &e))?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(|e| fail("replacing", &e))?;
        if let Some(folder) = self.path.parent()
            && let Ok(folder) = std::fs::File::open(folder)
        {
            folder
                .sync_all()
                .map_err(|e| fail("syncing the folder of", &e))?;
        }
        Ok(())
    }
}

impl CredentialStore for FileCredentials {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, CredentialError> {
        let _one = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(self.load("read", key)?.remove(key))
    }

    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), CredentialError> {
        let _one = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let mut secrets = self.load("store", key)?;
        secrets.insert(key.to_string(), secret.to_string());
        self.save("store", key, &secrets)
    }

    fn delete(&self, key: &str) -> std::result::Result<(), CredentialError> {
        let _one = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let mut secrets = self.load("delete", key)?;
        if secrets.remove(key).is_some() {
            self.save("delete", key, &secrets)?;
        }
        Ok(())
    }
}

/// Moves organiser tokens an older version left in `user.db` into `credentials`, clearing each
/// copy in the same transaction that reads it. A token is cleared only after the credential
/// store took it; if it refuses, the token stays where it was (still used) and the refusal is
/// returned for the store's notices.
pub(crate) fn move_tokens_out_of_user_db(
    user: &mut Connection,
    credentials: &dyn CredentialStore,
) -> Result<std::result::Result<usize, CredentialError>> {
    // Cleared bytes are overwritten, not left in free space of the file.
    user.pragma_update(None, "secure_delete", true)
        .context("asking SQLite to overwrite deleted content")?;
    let tx = user
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting to move organiser tokens")?;
    let tokens: Vec<(String, String)> = {
        let mut stmt = tx
            .prepare_cached("SELECT event_id, token FROM organiser WHERE token <> ''")
            .context("reading organiser tokens to move")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading organiser tokens to move")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading organiser tokens to move")?
    };
    for (event_id, token) in &tokens {
        if let Err(refused) = credentials.set(&organiser_key(event_id), token) {
            // Dropping the transaction rolls back what was cleared so far: those tokens are in
            // the credential store too, and are cleared on the next open.
            return Ok(Err(refused));
        }
        tx.prepare_cached("UPDATE organiser SET token = '' WHERE event_id = ?1")
            .and_then(|mut s| s.execute(params![event_id]))
            .context("clearing a moved organiser token")?;
    }
    tx.commit()
        .context("committing the moved organiser tokens")?;
    if !tokens.is_empty() {
        // The pages that held them must not linger in the write-ahead log either.
        user.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .context("checkpointing user.db after moving organiser tokens")?;
    }
    Ok(Ok(tokens.len()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = FileCredentials::new(dir.path().join(CREDENTIALS_FILE));
        assert_eq!(file.get("a").ok().flatten(), None);
        assert!(file.set("a", "secret-1").is_ok());
        assert!(file.set("b", "secret-2").is_ok());
        assert_eq!(file.get("a").ok().flatten().as_deref(), Some("secret-1"));
        assert!(file.delete("a").is_ok());
        assert_eq!(file.get("a").ok().flatten(), None);
        assert_eq!(file.get("b").ok().flatten().as_deref(), Some("secret-2"));
        let mode = std::fs::metadata(file.path())
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
        assert!(!dir.path().join("credentials.json.tmp").exists());
    }

    #[test]
    fn a_damaged_file_is_a_named_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(CREDENTIALS_FILE);
        assert!(std::fs::write(&path, "not json").is_ok());
        let Err(error) = FileCredentials::new(&path).set("organiser-token:x", "s") else {
            panic!("a damaged file was overwritten");
        };
        let message = error.to_string();
        assert!(message.contains("organiser-token:x") && message.contains("credentials.json"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("not json")
        );
    }
}
