-- user.db v2: what favourites need beyond v1. Nothing here is ever cleared by a content reset.

-- The last state of a favourited entity this device has seen (JSON: title/name, and for a
-- session its times, place and status). Keeps a removed favourite visible as it was, and is the
-- baseline change alerts compare against. NULL until the entity has been seen.
ALTER TABLE favourite ADD COLUMN known TEXT;

-- A change to a favourited session the attendee has not (or has) acknowledged. At most one
-- unseen alert per session: later changes fold into it (oldest `old`, latest `new`).
CREATE TABLE alert (
    id         INTEGER PRIMARY KEY,
    event_id   TEXT NOT NULL,
    session_id TEXT NOT NULL,
    old        TEXT NOT NULL,       -- JSON of the session as last seen before the change
    new        TEXT NOT NULL,       -- JSON after the latest change (`removed` set when removed)
    created_at INTEGER NOT NULL,    -- unix seconds
    updated_at INTEGER NOT NULL,
    seen_at    INTEGER
);
CREATE UNIQUE INDEX alert_unseen ON alert (event_id, session_id) WHERE seen_at IS NULL;
CREATE INDEX alert_by_event ON alert (event_id, updated_at);

-- Calendar export: the SEQUENCE last written for a session and a fingerprint of what was
-- written, so a re-export of a changed session carries a higher SEQUENCE (calendars update).
CREATE TABLE calendar_sequence (
    event_id    TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    PRIMARY KEY (event_id, session_id)
) WITHOUT ROWID;
