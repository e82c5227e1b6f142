-- marktplatz-server on PostgreSQL (ADR 0021): the schema SQLite reached after its migrations
-- 0001 to 0008, in one step (no PostgreSQL database predates it). Integers are BIGINT (the
-- store binds and reads i64), blobs BYTEA. Later migrations add one file here and one in sql/.

-- One row per event: where its change log stands. Writers lock this row (change_log::lock_head).
CREATE TABLE event (
    id               TEXT PRIMARY KEY NOT NULL,
    epoch            TEXT NOT NULL,
    head_seq         BIGINT NOT NULL DEFAULT 0,
    min_retained_seq BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- The change log, compacted (see sql/0001_initial.sql).
CREATE TABLE entity (
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    body       TEXT,
    changed_at BIGINT NOT NULL,
    prev_seq   BIGINT,
    prev_body  TEXT,
    PRIMARY KEY (event_id, kind, id)
);
CREATE UNIQUE INDEX entity_by_seq ON entity (event_id, seq);

-- Bearer tokens: only their SHA-256 is stored.
CREATE TABLE token (
    id         TEXT PRIMARY KEY NOT NULL,
    hash       BYTEA NOT NULL,
    role       TEXT NOT NULL,
    event_id   TEXT,
    subject    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX token_by_hash ON token (hash);
CREATE INDEX token_by_event ON token (event_id);

-- Content-addressed files: their description here, their bytes in asset_content (the data
-- directory's assets/ is a cache of it on each instance).
CREATE TABLE asset (
    sha256     TEXT PRIMARY KEY NOT NULL,
    media_type TEXT NOT NULL,
    bytes      BIGINT NOT NULL,
    width      BIGINT,
    height     BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE asset_content (
    sha256  TEXT PRIMARY KEY NOT NULL,
    content BYTEA NOT NULL
);

CREATE TABLE thumbnail (
    source   TEXT NOT NULL,
    max_edge BIGINT NOT NULL,
    thumb    TEXT NOT NULL,
    PRIMARY KEY (source, max_edge)
);

CREATE TABLE op_result (
    event_id   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    BYTEA NOT NULL,
    outcome    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, subject, key)
);
CREATE INDEX op_result_by_age ON op_result (created_at);

CREATE TABLE event_access (
    event_id TEXT PRIMARY KEY NOT NULL REFERENCES event (id),
    salt     BYTEA NOT NULL,
    hash     BYTEA NOT NULL
);

CREATE TABLE source_entity (
    event_id TEXT NOT NULL REFERENCES event (id),
    source   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, source, kind, id)
);
CREATE INDEX source_entity_by_entity ON source_entity (event_id, kind, id);

CREATE TABLE release (
    event_id     TEXT NOT NULL REFERENCES event (id),
    number       BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    subject      TEXT NOT NULL,
    source       TEXT NOT NULL,
    note         TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    added        BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    removed      BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    PRIMARY KEY (event_id, number)
);

CREATE TABLE release_entity (
    event_id TEXT NOT NULL,
    number   BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, number, kind, id),
    FOREIGN KEY (event_id, number) REFERENCES release (event_id, number)
);

CREATE TABLE op_effect (
    event_id      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    key           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    id            TEXT NOT NULL,
    fields        TEXT NOT NULL,
    overridden_by BIGINT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (event_id, subject, key)
);
CREATE INDEX op_effect_by_entity ON op_effect (event_id, kind, id);

CREATE TABLE console_link (
    hash       BYTEA PRIMARY KEY NOT NULL,
    event_id   TEXT NOT NULL REFERENCES event (id),
    subject    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE console_session (
    hash       BYTEA PRIMARY KEY NOT NULL,
    event_id   TEXT NOT NULL REFERENCES event (id),
    subject    TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE console_pending (
    id           TEXT PRIMARY KEY NOT NULL,
    session_hash BYTEA NOT NULL REFERENCES console_session (hash) ON DELETE CASCADE,
    event_id     TEXT NOT NULL,
    source       TEXT NOT NULL,
    bundle       TEXT NOT NULL,
    head_seq     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
