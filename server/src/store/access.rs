//! Who may read an event: its read policy (table `event_access`). Events are public by
//! default; an admin may give one an access code (printed on the badge, told at the door), and
//! from then on it is read only with the code or a token for the event (`http::access` asks).
//!
//! Like tokens, the code is stored only as a hash: SHA-256 over a random per-event salt and the
//! code, compared in constant time. Decisions: `docs/adr/0006-organiser-ops.md`.

use super::changes;
use super::engine::{Tx, args};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{Result, StoreError};

/// Shortest and longest code an admin may set (it is typed on a phone). Eight characters:
/// guessing is held to 86,400 tries a day per event (`Config::wrong_codes_per_event`), and even
/// eight lower-case letters and digits are 2.8 * 10^12 codes; shorter ones were a matter of
/// weeks for a patient guesser behind many addresses.
pub const MIN_CODE_CHARS: usize = 8;
pub const MAX_CODE_CHARS: usize = marktplatz_model::wire::MAX_ACCESS_CODE_CHARS;

/// An event's read policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    Code { salt: Vec<u8>, hash: Vec<u8> },
}

impl Access {
    /// Whether `given` is this policy's code (spaces around it, as typed on a phone, do not
    /// count). A public event has no code.
    pub fn admits(&self, given: &str) -> bool {
        match self {
            Access::Public => false,
            Access::Code { salt, hash } => bool::from(code_hash(salt, given).ct_eq(hash)),
        }
    }
}

fn code_hash(salt: &[u8], code: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(code.trim().as_bytes());
    hasher.finalize().to_vec()
}

/// Checks a code an admin wants to set: printable, 8 to 64 characters, not only spaces.
fn check_code(code: &str) -> Result<()> {
    let chars = code.trim().chars().count();
    if !(MIN_CODE_CHARS..=MAX_CODE_CHARS).contains(&chars) || code.chars().any(char::is_control) {
        return Err(StoreError::BadInput(format!(
            "an access code is {MIN_CODE_CHARS} to {MAX_CODE_CHARS} printable characters"
        )));
    }
    Ok(())
}

/// The event's policy; `None` for an unknown event.
pub fn read(tx: &Tx<'_>, event_id: &str) -> Result<Option<Access>> {
    tx.query_opt(
        "SELECT a.salt, a.hash FROM event e LEFT JOIN event_access a ON a.event_id = e.id
             WHERE e.id = $1",
        args![event_id],
        |r| {
            let salt: Option<Vec<u8>> = r.get(0)?;
            let hash: Option<Vec<u8>> = r.get(1)?;
            Ok(match (salt, hash) {
                (Some(salt), Some(hash)) => Access::Code { salt, hash },
                _ => Access::Public,
            })
        },
    )
}

/// Whether any event on this server has an access code.
pub fn any_protected(tx: &Tx<'_>) -> Result<bool> {
    tx.query_one("SELECT EXISTS (SELECT 1 FROM event_access)", args![], |r| {
        r.get(0)
    })
}

/// Gives the event an access code (`Some`, replacing any earlier one) or makes it public
/// (`None`). The event must exist. Returns whether it had a code before.
pub fn set(tx: &Tx<'_>, event_id: &str, code: Option<&str>) -> Result<bool> {
    let had_code = match read(tx, event_id)? {
        None => return Err(StoreError::EventNotFound(event_id.to_string())),
        Some(access) => access != Access::Public,
    };
    match code {
        Some(code) => {
            check_code(code)?;
            let salt: [u8; 16] = rand::random();
            tx.execute(
                "INSERT INTO event_access (event_id, salt, hash) VALUES ($1, $2, $3)
             ON CONFLICT (event_id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash",
                args![event_id, salt.to_vec(), code_hash(&salt, code)],
            )?;
        }
        None => {
            tx.execute(
                "DELETE FROM event_access WHERE event_id = $1",
                args![event_id],
            )?;
        }
    }
    changes::announce_policy(tx, event_id)?;
    Ok(had_code)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::change_log::ensure_event;

    #[test]
    fn a_code_is_stored_salted_and_hashed_and_can_be_removed() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| ensure_event(tx, "e")).unwrap();
            assert_eq!(
                db.read_blocking(|tx| read(tx, "e")).unwrap(),
                Some(Access::Public)
            );
            assert!(
                !db.write_blocking(|tx| set(tx, "e", Some("Markt 2027")))
                    .unwrap()
            );
            let Some(Access::Code { salt, hash }) = db.read_blocking(|tx| read(tx, "e")).unwrap()
            else {
                panic!("no code stored");
            };
            assert_eq!(salt.len(), 16);
            assert_eq!(hash, code_hash(&salt, "Markt 2027"));
            assert_eq!(hash, code_hash(&salt, " Markt 2027 "), "typed with spaces");
            assert_ne!(hash, code_hash(&salt, "markt 2027"));
            // The code itself is nowhere in the file.
            let bytes = std::fs::read(t.dir.path().join("marktplatz.db")).unwrap_or_default();
            assert!(!bytes.windows(10).any(|w| w == b"Markt 2027"));
            let db = t.reopen();
            // The same code set again gets a new salt.
            db.write_blocking(|tx| set(tx, "e", Some("Markt 2027")))
                .unwrap();
            let Some(Access::Code { salt: again, .. }) =
                db.read_blocking(|tx| read(tx, "e")).unwrap()
            else {
                panic!("no code stored");
            };
            assert_ne!(salt, again);
            assert!(db.write_blocking(|tx| set(tx, "e", None)).unwrap());
            assert_eq!(
                db.read_blocking(|tx| read(tx, "e")).unwrap(),
                Some(Access::Public)
            );
        }
    }

    #[test]
    fn codes_must_be_typeable_and_events_must_exist() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| ensure_event(tx, "e")).unwrap();
            for bad in ["abc", "Markt27", "   ", "tab\there", &"x".repeat(65)] {
                let error = db.write_blocking(|tx| set(tx, "e", Some(bad))).unwrap_err();
                assert!(matches!(error, StoreError::BadInput(_)), "{bad:?}");
            }
            let error = db
                .write_blocking(|tx| set(tx, "nope", Some("Markt 2027")))
                .unwrap_err();
            assert!(matches!(error, StoreError::EventNotFound(_)));
        }
    }
}
