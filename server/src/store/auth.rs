//! Bearer tokens and roles.
//!
//! A token is `<id>.<secret>`: the id (9 random bytes, base64url) names it in lists, logs and
//! revocations; the secret is 32 random bytes. The server stores only the SHA-256 of the whole
//! token, finds the row by id and compares the hashes in constant time, so neither the lookup
//! nor the comparison tells an attacker how much of a guess was right. Tokens expire
//! (`expires_at`) and can be revoked; both answer 401. A valid token without the right to do
//! something answers 403.
//!
//! Roles: `admin` (every event; issues and revokes tokens), `organiser` (writes to one event),
//! `attendee` (reads one event; attendees of a public event need no token at all).
//!
//! Tokens made before ids existed (plain 43-character secrets) still work: they are found by
//! their hash and got an id `v1-<hex>` when the database was migrated.

use super::engine::{Row as SqlRow, Tx, args};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::db::now;
use super::error::{Result, StoreError};

pub const ROLE_ADMIN: &str = "admin";
pub const ROLE_ORGANISER: &str = "organiser";
pub const ROLE_ATTENDEE: &str = "attendee";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organiser,
    Attendee,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => ROLE_ADMIN,
            Role::Organiser => ROLE_ORGANISER,
            Role::Attendee => ROLE_ATTENDEE,
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        match text {
            ROLE_ADMIN => Ok(Role::Admin),
            ROLE_ORGANISER => Ok(Role::Organiser),
            ROLE_ATTENDEE => Ok(Role::Attendee),
            other => Err(StoreError::BadInput(format!(
                "unknown role '{other}' (known: admin, organiser, attendee)"
            ))),
        }
    }
}

/// Who sent a request, once their token checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub token_id: String,
    /// Whom the token was issued to: idempotency keys are scoped to it, so a replacement token
    /// for the same person still recognises their earlier operations.
    pub subject: String,
    pub role: Role,
    /// `None` for admins.
    pub event_id: Option<String>,
}

/// What to issue.
#[derive(Clone, Debug)]
pub struct TokenSpec {
    pub role: Role,
    /// Required for organisers and attendees; ignored for admins.
    pub event_id: Option<String>,
    /// Defaults to the token's id.
    pub subject: Option<String>,
    /// Seconds from now; `None` never expires.
    pub expires_in: Option<i64>,
}

/// A freshly issued token: the only time its secret exists outside the requester's hands.
#[derive(Clone, Serialize, Deserialize)]
pub struct IssuedToken {
    pub id: String,
    pub token: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("id", &self.id)
            .field("token", &"<secret>")
            .field("role", &self.role)
            .field("event", &self.event)
            .finish()
    }
}

/// A token as listed (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: String,
    pub role: String,
    pub event: Option<String>,
    pub subject: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Subjects are shown in lists and scope idempotency keys: short printable text.
fn check_subject(subject: &str) -> Result<()> {
    if subject.trim().is_empty() || subject.len() > 100 || subject.chars().any(char::is_control) {
        return Err(StoreError::BadInput(
            "a token's subject is 1 to 100 printable characters".into(),
        ));
    }
    Ok(())
}

/// Issues a token (the event must exist for organiser and attendee tokens).
pub fn issue(tx: &Tx<'_>, spec: &TokenSpec) -> Result<IssuedToken> {
    let event_id = match spec.role {
        Role::Admin => None,
        Role::Organiser | Role::Attendee => Some(spec.event_id.clone().ok_or_else(|| {
            StoreError::BadInput(format!("a {} token needs an event", spec.role.as_str()))
        })?),
    };
    if let Some(subject) = &spec.subject {
        check_subject(subject)?;
    }
    if let Some(seconds) = spec.expires_in
        && seconds <= 0
    {
        return Err(StoreError::BadInput(
            "a token's lifetime must be positive".into(),
        ));
    }
    // A token must never start with '-': command lines would take it for an option
    // (`--token -x...`). base64url starts with '-' for one id in 64; draw again then.
    let id = loop {
        let id = b64(&rand::random::<[u8; 9]>());
        if !id.starts_with('-') {
            break id;
        }
    };
    let secret: [u8; 32] = rand::random();
    let token = format!("{id}.{}", b64(&secret));
    let subject = spec.subject.clone().unwrap_or_else(|| id.clone());
    let created = now();
    let expires_at = spec.expires_in.map(|s| created.saturating_add(s));
    tx.execute(
        "INSERT INTO token (id, hash, role, event_id, subject, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![
            &id,
            hash(&token),
            spec.role.as_str(),
            &event_id,
            &subject,
            created,
            expires_at
        ],
    )?;
    Ok(IssuedToken {
        id,
        token,
        role: spec.role,
        event: event_id,
        subject,
        expires_at,
    })
}

struct Row {
    id: String,
    hash: Vec<u8>,
    role: String,
    event_id: Option<String>,
    subject: String,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
}

fn find(tx: &Tx<'_>, token: &str, token_hash: &[u8]) -> Result<Option<Row>> {
    let map = |r: &SqlRow<'_>| {
        Ok(Row {
            id: r.get(0)?,
            hash: r.get(1)?,
            role: r.get(2)?,
            event_id: r.get(3)?,
            subject: r.get(4)?,
            expires_at: r.get(5)?,
            revoked_at: r.get(6)?,
        })
    };
    let row = match token.split_once('.') {
        Some((id, _)) => tx.query_opt(
            "SELECT id, hash, role, event_id, subject, expires_at, revoked_at FROM token WHERE id = $1",
            args![id],
            map,
        )?,
        // A token from before ids: found by its hash (compared again below all the same).
        None => tx.query_opt(
            "SELECT id, hash, role, event_id, subject, expires_at, revoked_at FROM token WHERE hash = $1",
            args![token_hash],
            map,
        )?,
    };
    Ok(row)
}

/// The principal behind a bearer token: `Unauthenticated` when it is unknown, revoked or
/// expired.
pub fn authenticate(tx: &Tx<'_>, token: &str) -> Result<Principal> {
    let token_hash = hash(token);
    let row = find(tx, token, &token_hash)?;
    let Some(row) = row.filter(|row| bool::from(row.hash.ct_eq(&token_hash))) else {
        return Err(StoreError::Unauthenticated(
            "the token is not valid on this server".into(),
        ));
    };
    if row.revoked_at.is_some() {
        return Err(StoreError::Unauthenticated(format!(
            "token {} was revoked; ask for a new one",
            row.id
        )));
    }
    if let Some(expires) = row.expires_at
        && expires <= now()
    {
        return Err(StoreError::Unauthenticated(format!(
            "token {} has expired; ask for a new one",
            row.id
        )));
    }
    let role = Role::parse(&row.role)
        .map_err(|_| StoreError::internal("checking a token", format!("role {}", row.role)))?;
    Ok(Principal {
        token_id: row.id,
        subject: row.subject,
        role,
        event_id: row.event_id,
    })
}

impl Principal {
    /// May write to `event_id`: its organiser, or an admin.
    pub fn may_write(&self, event_id: &str) -> Result<()> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Organiser if self.event_id.as_deref() == Some(event_id) => Ok(()),
            Role::Organiser => Err(StoreError::Forbidden(format!(
                "this organiser token is for another event, not '{event_id}'"
            ))),
            Role::Attendee => Err(StoreError::Forbidden(
                "an attendee token cannot change anything".into(),
            )),
        }
    }

    /// May upload assets: any organiser or admin.
    pub fn may_upload(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Organiser => Ok(()),
            Role::Attendee => Err(StoreError::Forbidden(
                "an attendee token cannot upload anything".into(),
            )),
        }
    }

    /// May administer tokens and access codes: admins only.
    pub fn may_administer(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(StoreError::Forbidden("this needs an admin token".into()))
        }
    }

    /// May read `event_id` when it is protected: any token of the event, or an admin's.
    pub fn may_read(&self, event_id: &str) -> Result<()> {
        match self.role {
            Role::Admin => Ok(()),
            _ if self.event_id.as_deref() == Some(event_id) => Ok(()),
            _ => Err(StoreError::Forbidden(format!(
                "this token is for another event, not '{event_id}'"
            ))),
        }
    }
}

/// Revokes a token, named by its id or given whole. Returns whether it was active until now;
/// an unknown one is `NotFound`.
pub fn revoke(tx: &Tx<'_>, id_or_token: &str) -> Result<bool> {
    let id = match id_or_token.split_once('.') {
        Some((id, _)) => id.to_string(),
        None if id_or_token.len() == 43 => {
            // A whole token from before ids.
            let found: Option<String> = tx.query_opt(
                "SELECT id FROM token WHERE hash = $1",
                args![hash(id_or_token)],
                |r| r.get(0),
            )?;
            found.unwrap_or_else(|| id_or_token.to_string())
        }
        None => id_or_token.to_string(),
    };
    let changed = tx.execute(
        "UPDATE token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        args![&id, now()],
    )?;
    if changed > 0 {
        return Ok(true);
    }
    let exists = tx
        .query_opt("SELECT 1 FROM token WHERE id = $1", args![&id], |_| Ok(()))?
        .is_some();
    if exists {
        Ok(false)
    } else {
        Err(StoreError::NotFound(format!("there is no token '{id}'")))
    }
}

/// Tokens, newest first; only those of `event_id` when given.
pub fn list(tx: &Tx<'_>, event_id: Option<&str>) -> Result<Vec<TokenInfo>> {
    tx.query_all(
        "SELECT id, role, event_id, subject, created_at, expires_at, revoked_at FROM token
         WHERE CAST($1 AS TEXT) IS NULL OR event_id = $1 ORDER BY created_at DESC, id",
        args![event_id],
        |r| {
            Ok(TokenInfo {
                id: r.get(0)?,
                role: r.get(1)?,
                event: r.get(2)?,
                subject: r.get(3)?,
                created_at: r.get(4)?,
                expires_at: r.get(5)?,
                revoked_at: r.get(6)?,
            })
        },
    )
}

/// Whether any token exists for the event (used by tests and the CLI).
pub fn has_tokens(tx: &Tx<'_>, event_id: &str) -> Result<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM token WHERE event_id = $1 LIMIT 1",
            args![event_id],
            |_| Ok(()),
        )?
        .is_some())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Db;

    fn spec(role: Role, event: Option<&str>, expires_in: Option<i64>) -> TokenSpec {
        TokenSpec {
            role,
            event_id: event.map(str::to_string),
            subject: None,
            expires_in,
        }
    }

    fn organiser_of(tx: &Tx<'_>, token: &str, event: &str) -> Result<Principal> {
        let principal = authenticate(tx, token)?;
        principal.may_write(event)?;
        Ok(principal)
    }

    #[test]
    fn tokens_are_checked_by_id_and_hash_and_can_be_revoked() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            let issued = db
                .write_blocking(|tx| issue(tx, &spec(Role::Organiser, Some("e"), None)))
                .unwrap();
            assert!(issued.token.starts_with(&format!("{}.", issued.id)));
            db.write_blocking(|tx| {
                let p = organiser_of(tx, &issued.token, "e")?;
                assert_eq!(
                    (p.role, p.subject.as_str()),
                    (Role::Organiser, issued.id.as_str())
                );
                // The right id with a wrong secret is refused.
                let forged = format!("{}.{}", issued.id, "A".repeat(43));
                assert!(matches!(
                    authenticate(tx, &forged),
                    Err(StoreError::Unauthenticated(_))
                ));
                assert!(matches!(
                    organiser_of(tx, &issued.token, "other"),
                    Err(StoreError::Forbidden(_))
                ));
                assert!(revoke(tx, &issued.id)?);
                assert!(!revoke(tx, &issued.token)?);
                let Err(StoreError::Unauthenticated(message)) = authenticate(tx, &issued.token)
                else {
                    panic!("a revoked token was accepted");
                };
                assert!(message.contains("revoked"), "{message}");
                assert!(matches!(revoke(tx, "nope"), Err(StoreError::NotFound(_))));
                Ok(())
            })
            .unwrap();
        }
    }

    #[test]
    fn no_token_starts_with_a_hyphen() {
        // One id in 64 started with '-' before; 3,000 tokens all passing would then happen
        // with a probability of about 1e-21.
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| {
                for _ in 0..3000 {
                    let issued = issue(tx, &spec(Role::Admin, None, None))?;
                    assert!(!issued.token.starts_with('-'), "{}", issued.id);
                }
                Ok(())
            })
            .unwrap();
        }
    }

    #[test]
    fn expired_and_attendee_tokens_cannot_write() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| {
                let old = issue(tx, &spec(Role::Organiser, Some("e"), Some(60)))?;
                tx.execute(
                    "UPDATE token SET expires_at = 1 WHERE id = $1",
                    args![&old.id],
                )?;
                let Err(StoreError::Unauthenticated(message)) = organiser_of(tx, &old.token, "e")
                else {
                    panic!("an expired token was accepted");
                };
                assert!(message.contains("expired"), "{message}");
                let attendee = issue(tx, &spec(Role::Attendee, Some("e"), None))?;
                assert!(matches!(
                    organiser_of(tx, &attendee.token, "e"),
                    Err(StoreError::Forbidden(_))
                ));
                let admin = issue(tx, &spec(Role::Admin, None, None))?;
                assert!(organiser_of(tx, &admin.token, "any").is_ok());
                assert!(authenticate(tx, &admin.token)?.may_administer().is_ok());
                assert!(issue(tx, &spec(Role::Organiser, None, None)).is_err());
                Ok(())
            })
            .unwrap();
        }
    }

    #[test]
    fn tokens_from_before_ids_survive_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = "A".repeat(43);
        {
            let conn = rusqlite::Connection::open(dir.path().join(crate::store::DB_FILE)).unwrap();
            conn.execute_batch(include_str!("sql/0001_initial.sql"))
                .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO token (hash, event_id, role, created_at) VALUES (?1, 'e', 'organiser', 0)",
                [hash(&legacy)],
            )
            .unwrap();
        }
        let db = Db::open(dir.path()).unwrap();
        db.write_blocking(|tx| {
            let p = organiser_of(tx, &legacy, "e")?;
            assert!(p.token_id.starts_with("v1-"), "{}", p.token_id);
            assert!(revoke(tx, &legacy)?);
            assert!(matches!(
                authenticate(tx, &legacy),
                Err(StoreError::Unauthenticated(_))
            ));
            Ok(())
        })
        .unwrap();
    }
}
