-- user.db v1: the attendee's own data. Never deleted automatically; content resets keep it.

CREATE TABLE favourite (
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,      -- session | speaker | exhibitor
    entity_id  TEXT NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL,   -- unix seconds
    PRIMARY KEY (event_id, kind, entity_id)
) WITHOUT ROWID;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
