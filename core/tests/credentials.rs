//! Organiser tokens live in a credential store, not in user.db: a token an older version left
//! in user.db moves to the credential store on open and is cleared there; login and logout go
//! through it; a credential store that refuses gives a named error and loses nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use marktplatz_core::Error;
use marktplatz_core::store::credentials::{CREDENTIALS_FILE, organiser_key};
use marktplatz_core::store::{CredentialError, CredentialStore, Store};
use marktplatz_core::sync;

const EVENT: &str = "mp-nordwest";
const SERVER: &str = "https://marktplatz.example";
const TOKEN: &str = "tok1.s3cr3t-part";

/// The token column of user.db as stored.
fn user_db_token(dir: &Path) -> String {
    let db = rusqlite::Connection::open(dir.join("user.db")).unwrap();
    db.query_row(
        "SELECT token FROM organiser WHERE event_id = ?1",
        [EVENT],
        |r| r.get(0),
    )
    .unwrap()
}

/// A user.db as the previous version left it: the real schema, a token in plain text.
fn user_db_with_a_plain_token(dir: &Path) {
    drop(Store::open_with_credentials(dir, Arc::new(Memory::default())).unwrap());
    let db = rusqlite::Connection::open(dir.join("user.db")).unwrap();
    db.execute(
        "INSERT INTO organiser (event_id, server_url, token, created_at) VALUES (?1, ?2, ?3, 0)",
        [EVENT, SERVER, TOKEN],
    )
    .unwrap();
}

#[derive(Default)]
struct Memory(Mutex<HashMap<String, String>>);

impl CredentialStore for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError> {
        Ok(self.0.lock().unwrap().get(key).cloned())
    }
    fn set(&self, key: &str, secret: &str) -> Result<(), CredentialError> {
        self.0.lock().unwrap().insert(key.into(), secret.into());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), CredentialError> {
        self.0.lock().unwrap().remove(key);
        Ok(())
    }
}

/// A keystore that is locked: reads what it has, refuses every change.
struct Refusing(Memory);

impl CredentialStore for Refusing {
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError> {
        self.0.get(key)
    }
    fn set(&self, key: &str, _: &str) -> Result<(), CredentialError> {
        Err(CredentialError::new("store", key, "the keystore is locked"))
    }
    fn delete(&self, key: &str) -> Result<(), CredentialError> {
        Err(CredentialError::new(
            "delete",
            key,
            "the keystore is locked",
        ))
    }
}

#[cfg(unix)]
#[test]
fn a_token_in_user_db_moves_to_the_credentials_file_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    user_db_with_a_plain_token(dir.path());

    let store = Store::open(dir.path()).unwrap();

    assert_eq!(user_db_token(dir.path()), "", "the user.db copy is cleared");
    let file = dir.path().join(CREDENTIALS_FILE);
    let secrets: HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        secrets.get(&organiser_key(EVENT)).map(String::as_str),
        Some(TOKEN)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only its owner reads the credentials file");
    let info = sync::organiser(&store, EVENT).unwrap().unwrap();
    assert_eq!(
        (info.server_url.as_str(), info.token_id.as_str()),
        (SERVER, "tok1")
    );
    for file in ["user.db", "user.db-wal"] {
        let raw = std::fs::read(dir.path().join(file)).unwrap_or_default();
        assert!(
            !raw.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
            "the token is gone from {file}, not only from its row"
        );
    }
}

#[test]
fn login_and_logout_go_through_the_credential_store() {
    let dir = tempfile::tempdir().unwrap();
    let credentials = Arc::new(Memory::default());
    let store = Store::open_with_credentials(dir.path(), credentials.clone()).unwrap();

    sync::set_organiser(&store, EVENT, SERVER, TOKEN).unwrap();
    assert_eq!(
        credentials.get(&organiser_key(EVENT)).unwrap().as_deref(),
        Some(TOKEN)
    );
    assert_eq!(user_db_token(dir.path()), "");
    assert_eq!(
        sync::organiser(&store, EVENT).unwrap().unwrap().token_id,
        "tok1"
    );

    sync::forget_organiser(&store, EVENT).unwrap();
    assert_eq!(credentials.get(&organiser_key(EVENT)).unwrap(), None);
    assert_eq!(sync::organiser(&store, EVENT).unwrap(), None);
}

#[test]
fn a_refusing_credential_store_gives_a_named_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    user_db_with_a_plain_token(dir.path());

    // Opening: the token cannot move, so it stays in user.db, still works, and a notice says so.
    let store =
        Store::open_with_credentials(dir.path(), Arc::new(Refusing(Memory::default()))).unwrap();
    assert_eq!(user_db_token(dir.path()), TOKEN);
    assert!(
        store
            .notices()
            .iter()
            .any(|n| n.contains("the keystore is locked")),
        "{:?}",
        store.notices()
    );
    assert_eq!(
        sync::organiser(&store, EVENT).unwrap().unwrap().token_id,
        "tok1"
    );

    // Logging in again: refused with the key named; the earlier credential is untouched.
    let error = sync::set_organiser(&store, EVENT, "https://other.example", "tok2.x").unwrap_err();
    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&organiser_key(EVENT)) && message.contains("locked"),
        "{message}"
    );
    assert!(
        !message.contains("tok2.x"),
        "the secret is never in an error"
    );
    let info = sync::organiser(&store, EVENT).unwrap().unwrap();
    assert_eq!(
        (info.server_url.as_str(), info.token_id.as_str()),
        (SERVER, "tok1")
    );

    // Logging out: refused too, and the device stays in organiser mode.
    assert!(matches!(
        sync::forget_organiser(&store, EVENT),
        Err(Error::Credentials(_))
    ));
    assert!(sync::organiser(&store, EVENT).unwrap().is_some());
    assert_eq!(user_db_token(dir.path()), TOKEN);
}

#[test]
fn a_token_missing_from_the_credential_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let credentials = Arc::new(Memory::default());
    let store = Store::open_with_credentials(dir.path(), credentials.clone()).unwrap();
    sync::set_organiser(&store, EVENT, SERVER, TOKEN).unwrap();
    credentials.delete(&organiser_key(EVENT)).unwrap();

    let message = sync::organiser(&store, EVENT).unwrap_err().to_string();
    assert!(
        message.contains("missing from the credential store"),
        "{message}"
    );
}
