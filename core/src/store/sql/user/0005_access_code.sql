-- user.db v5: access codes of protected events, entered once by the attendee and sent with
-- every read of the event's content. Nothing here is cleared by a content reset.
CREATE TABLE access_code (
    event_id   TEXT PRIMARY KEY NOT NULL,
    code       TEXT NOT NULL,
    created_at INTEGER NOT NULL         -- unix seconds
) WITHOUT ROWID;
