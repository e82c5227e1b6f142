-- The organiser console (docs/adr/0016-organiser-console.md), owned by store::console: one-time
-- sign-in links, browser sessions, and imports previewed but not yet confirmed. Secrets are
-- kept only as SHA-256 hashes.
CREATE TABLE console_link (
    hash       BLOB PRIMARY KEY NOT NULL,
    event_id   TEXT NOT NULL REFERENCES event(id),
    subject    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE console_session (
    hash       BLOB PRIMARY KEY NOT NULL,
    event_id   TEXT NOT NULL REFERENCES event(id),
    subject    TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) WITHOUT ROWID;

CREATE TABLE console_pending (
    id           TEXT PRIMARY KEY NOT NULL,
    session_hash BLOB NOT NULL REFERENCES console_session(hash) ON DELETE CASCADE,
    event_id     TEXT NOT NULL,
    source       TEXT NOT NULL,
    bundle       TEXT NOT NULL,   -- the imported bundle's JSON, as previewed
    head_seq     INTEGER NOT NULL, -- the event's head when previewed: confirm refuses if it moved
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
