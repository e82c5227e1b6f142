-- marktplatz-server v2: roles, expiring and revocable tokens, idempotent organiser operations.

-- Tokens get a public id (the part before the '.'), a role that may be admin (no event), a
-- subject (whom it was issued to), an expiry and a revocation time. Only hashes are stored.
ALTER TABLE token RENAME TO token_v1;
CREATE TABLE token (
    id         TEXT PRIMARY KEY NOT NULL,
    hash       BLOB NOT NULL,
    role       TEXT NOT NULL,          -- admin | organiser | attendee
    event_id   TEXT,                   -- NULL for admin tokens
    subject    TEXT NOT NULL,          -- whom it was issued to; scopes idempotency keys
    created_at INTEGER NOT NULL,
    expires_at INTEGER,                -- unix seconds; NULL never expires
    revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX token_by_hash ON token (hash);
CREATE INDEX token_by_event ON token (event_id);
INSERT INTO token (id, hash, role, event_id, subject, created_at)
    SELECT 'v1-' || lower(hex(substr(hash, 1, 8))), hash, role, event_id,
           'v1-' || lower(hex(substr(hash, 1, 8))), created_at
    FROM token_v1;
DROP TABLE token_v1;

-- The result of every applied organiser operation, by idempotency key: a retry with the same
-- key and the same request gets this answer again instead of applying the operation twice.
CREATE TABLE op_result (
    event_id   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    BLOB NOT NULL,          -- SHA-256 of the request body
    outcome    TEXT NOT NULL,          -- JSON (wire: OpOutcome)
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, subject, key)
) WITHOUT ROWID;
CREATE INDEX op_result_by_age ON op_result (created_at);
