//! The organiser console's own tables (`sql/0008_console.sql`,
//! `docs/adr/0016-organiser-console.md`): one-time sign-in links, browser sessions, and imports
//! previewed but not yet confirmed. Secrets leave here once, in the clear; only their SHA-256
//! hashes are stored.

use super::engine::{Tx, args};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::change_log;
use super::db::now;
use super::error::{Result, StoreError};

/// How long a sign-in link can be used.
pub const LINK_SECS: i64 = 15 * 60;
/// How long a console session lasts (a fair day).
pub const SESSION_SECS: i64 = 12 * 3600;
/// Links and sessions are forgotten this long after they ended (a used link stays refused as
/// "used" rather than "unknown" for as long).
const FORGET_AFTER_SECS: i64 = 7 * 24 * 3600;
/// Pending imports older than this are forgotten.
const PENDING_SECS: i64 = 3600;

/// Why a sign-in link does not sign in: each case has its own message in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRefusal {
    Unknown,
    Expired,
    Used,
}

/// A browser's session, as the console's handlers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The hash of the cookie's secret: the row's key.
    pub hash: Vec<u8>,
    pub event_id: String,
    pub subject: String,
    pub csrf: String,
    pub expires_at: i64,
}

/// A session just started: the cookie's secret exists only here.
#[derive(Debug)]
pub struct NewSession {
    pub secret: String,
    pub session: Session,
}

/// An import waiting for its confirmation.
#[derive(Debug)]
pub struct Pending {
    pub source: String,
    pub bundle: String,
    pub head_seq: u64,
}

fn secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Stores a one-time sign-in link for the organisers of `event_id` (created if new); returns
/// its secret.
pub fn issue_link(tx: &Tx<'_>, event_id: &str, subject: &str) -> Result<String> {
    if subject.trim().is_empty() || subject.len() > 100 || subject.chars().any(char::is_control) {
        return Err(StoreError::BadInput(
            "the console user's name is 1 to 100 printable characters".into(),
        ));
    }
    change_log::ensure_event(tx, event_id)?;
    let link = secret();
    let created = now();
    tx.execute(
        "INSERT INTO console_link (hash, event_id, subject, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        args![hash(&link), event_id, subject, created, created + LINK_SECS],
    )?;
    Ok(link)
}

/// Uses up the link and starts a session in the same transaction; a refused link changes
/// nothing.
pub fn redeem_link(
    tx: &Tx<'_>,
    link: &str,
) -> Result<std::result::Result<NewSession, LinkRefusal>> {
    let link_hash = hash(link);
    let row: Option<(String, String, i64, Option<i64>)> = tx.query_opt(
        "SELECT event_id, subject, expires_at, used_at FROM console_link WHERE hash = $1",
        args![&link_hash],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let Some((event_id, subject, expires_at, used_at)) = row else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    let at = now();
    if used_at.is_some() {
        return Ok(Err(LinkRefusal::Used));
    }
    if expires_at <= at {
        return Ok(Err(LinkRefusal::Expired));
    }
    // Only the first of two redeeming at once (two instances, READ COMMITTED) changes the row.
    let won = tx.execute(
        "UPDATE console_link SET used_at = $2 WHERE hash = $1 AND used_at IS NULL",
        args![link_hash, at],
    )?;
    if won == 0 {
        return Ok(Err(LinkRefusal::Used));
    }
    // Links and sessions long over are forgotten here, so neither table only grows (a
    // session's pending imports go with it).
    tx.execute(
        "DELETE FROM console_link WHERE expires_at < $1",
        args![at - FORGET_AFTER_SECS],
    )?;
    tx.execute(
        "DELETE FROM console_session WHERE expires_at < $1",
        args![at - FORGET_AFTER_SECS],
    )?;
    let cookie = secret();
    let session = Session {
        hash: hash(&cookie),
        event_id,
        subject,
        csrf: secret(),
        expires_at: at + SESSION_SECS,
    };
    tx.execute(
        "INSERT INTO console_session (hash, event_id, subject, csrf, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![
            session.hash,
            session.event_id,
            session.subject,
            session.csrf,
            at,
            session.expires_at
        ],
    )?;
    Ok(Ok(NewSession {
        secret: cookie,
        session,
    }))
}

/// The live session behind a cookie's secret (`None`: unknown, expired or signed out).
pub fn session(tx: &Tx<'_>, cookie: &str) -> Result<Option<Session>> {
    let session_hash = hash(cookie);
    let found = tx.query_opt(
        "SELECT event_id, subject, csrf, expires_at FROM console_session
             WHERE hash = $1 AND revoked_at IS NULL",
        args![&session_hash],
        |r| {
            Ok(Session {
                hash: session_hash.clone(),
                event_id: r.get(0)?,
                subject: r.get(1)?,
                csrf: r.get(2)?,
                expires_at: r.get(3)?,
            })
        },
    )?;
    Ok(found.filter(|s| s.expires_at > now()))
}

/// Whether `presented` is the session's CSRF token (compared in constant time).
pub fn csrf_matches(session: &Session, presented: &str) -> bool {
    session.csrf.as_bytes().ct_eq(presented.as_bytes()).into()
}

/// Signs the session out; its pending imports go with it.
pub fn sign_out(tx: &Tx<'_>, session: &Session) -> Result<()> {
    tx.execute(
        "UPDATE console_session SET revoked_at = $2 WHERE hash = $1",
        args![session.hash, now()],
    )?;
    tx.execute(
        "DELETE FROM console_pending WHERE session_hash = $1",
        args![&session.hash],
    )?;
    Ok(())
}

/// Keeps a previewed import until it is confirmed; returns its id.
pub fn keep_pending(
    tx: &Tx<'_>,
    session: &Session,
    source: &str,
    bundle: &str,
    head_seq: u64,
) -> Result<String> {
    let at = now();
    tx.execute(
        "DELETE FROM console_pending WHERE created_at < $1",
        args![at - PENDING_SECS],
    )?;
    let id = secret();
    tx.execute("INSERT INTO console_pending (id, session_hash, event_id, source, bundle, head_seq, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)", args![id,
        session.hash,
        session.event_id,
        source,
        bundle,
        head_seq.min(i64::MAX as u64) as i64,
        at])?;
    Ok(id)
}

/// Takes the session's pending import out of the table (`None`: unknown, of another session,
/// or already confirmed).
pub fn take_pending(tx: &Tx<'_>, session: &Session, id: &str) -> Result<Option<Pending>> {
    // Taken in one statement: of two confirmations at once (two instances) one gets it.
    tx.query_opt(
        "DELETE FROM console_pending WHERE id = $1 AND session_hash = $2 AND event_id = $3
         RETURNING source, bundle, head_seq",
        args![id, session.hash, session.event_id],
        |r| {
            Ok(Pending {
                source: r.get(0)?,
                bundle: r.get(1)?,
                head_seq: r.get_u64(2)?,
            })
        },
    )
}

/// A live session as the access page lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The hex of the session's hash: names it in a revoke form.
    pub id: String,
    pub subject: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The event's live sessions, newest first.
pub fn sessions(tx: &Tx<'_>, event_id: &str) -> Result<Vec<SessionInfo>> {
    tx.query_all(
        "SELECT hash, subject, created_at, expires_at FROM console_session
         WHERE event_id = $1 AND revoked_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC",
        args![event_id, now()],
        |r| {
            Ok(SessionInfo {
                id: hex::encode(r.get::<Vec<u8>>(0)?),
                subject: r.get(1)?,
                created_at: r.get(2)?,
                expires_at: r.get(3)?,
            })
        },
    )
}

/// Ends a session of `event_id` named by [`SessionInfo::id`]; whether one was live.
pub fn revoke_session(tx: &Tx<'_>, event_id: &str, id: &str) -> Result<bool> {
    let Ok(hash) = hex::decode(id) else {
        return Ok(false);
    };
    let changed = tx.execute(
        "UPDATE console_session SET revoked_at = $3
             WHERE hash = $1 AND event_id = $2 AND revoked_at IS NULL",
        args![hash, event_id, now()],
    )?;
    tx.execute(
        "DELETE FROM console_pending WHERE session_hash = $1",
        args![&hash],
    )?;
    Ok(changed > 0)
}
