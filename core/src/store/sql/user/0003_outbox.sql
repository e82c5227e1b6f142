-- user.db v3: organiser mode. Nothing here is cleared by a content reset.

-- The organiser credential for an event: where to push and the bearer token (a secret: never
-- logged, never shown back in full).
CREATE TABLE organiser (
    event_id   TEXT PRIMARY KEY NOT NULL,
    server_url TEXT NOT NULL,
    token      TEXT NOT NULL,
    created_at INTEGER NOT NULL         -- unix seconds
) WITHOUT ROWID;

-- The outbox: operations made on this device, in the order they were made (id).
--   pending   waiting to be sent (again): new, or the last try failed on the network
--   in_flight being sent; if the app dies here it is sent again with the same key
--   accepted  the server applied it (seq); shown over the content until the pull has it
--   rejected  the server refused it (code, message, its current version): kept for the organiser
--   done      the pulled content includes it
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL,
    key            TEXT NOT NULL UNIQUE,   -- idempotency key, fixed when the op is made
    kind           TEXT NOT NULL,          -- the entity the op changes
    entity_id      TEXT NOT NULL,
    op             TEXT NOT NULL,          -- JSON (wire: ops::Op)
    base_seq       INTEGER,                -- the version the organiser saw (0: a new entity) ...
    base_op        INTEGER,                -- ... or the result of this earlier op of theirs
    state          TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt   INTEGER NOT NULL DEFAULT 0,  -- unix ms: not before (backoff)
    last_error     TEXT,                   -- why the last try did not reach the server
    seq            INTEGER,                -- accepted: the entity's version after the op
    epoch          TEXT,
    reject_code    TEXT,
    reject_message TEXT,
    current_seq    INTEGER,                -- rejected: the server's version of the entity
    current_body   TEXT,                   -- rejected: the server's entity (JSON), if any
    created_at     INTEGER NOT NULL,       -- unix ms
    updated_at     INTEGER NOT NULL
);
CREATE INDEX outbox_by_event_state ON outbox (event_id, state, id);
CREATE INDEX outbox_by_entity ON outbox (event_id, kind, entity_id, id);
