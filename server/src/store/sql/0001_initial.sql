-- marktplatz-server v1: everything the server keeps, in one SQLite file in the data directory.

-- One row per event: where its change log stands.
CREATE TABLE event (
    id               TEXT PRIMARY KEY NOT NULL,
    epoch            TEXT NOT NULL,          -- replaced when the history is reset or restored
    head_seq         INTEGER NOT NULL DEFAULT 0,
    min_retained_seq INTEGER NOT NULL DEFAULT 0,  -- tombstones up to here were purged
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;

-- The change log, compacted: the latest state of every entity with the seq of its last change.
-- A NULL body is a tombstone (a deleted entity), kept until the retention horizon passes it.
-- The version before the latest is kept too, so a device holding it gets a small patch.
CREATE TABLE entity (
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    body       TEXT,
    changed_at INTEGER NOT NULL,
    prev_seq   INTEGER,            -- seq of the previous live version, if any
    prev_body  TEXT,
    PRIMARY KEY (event_id, kind, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX entity_by_seq ON entity (event_id, seq);

-- Bearer tokens: only their SHA-256 is stored.
CREATE TABLE token (
    hash       BLOB PRIMARY KEY NOT NULL,
    event_id   TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Content-addressed files (the bytes live in <data>/assets/<sha256>).
CREATE TABLE asset (
    sha256     TEXT PRIMARY KEY NOT NULL,
    media_type TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    width      INTEGER,
    height     INTEGER,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Thumbnails the server made, so republishing reuses them (and the entity stays unchanged).
CREATE TABLE thumbnail (
    source   TEXT NOT NULL,
    max_edge INTEGER NOT NULL,
    thumb    TEXT NOT NULL,
    PRIMARY KEY (source, max_edge)
) WITHOUT ROWID;
