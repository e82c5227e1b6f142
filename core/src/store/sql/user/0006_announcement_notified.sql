-- user.db v6: urgent announcements and notifications. Each urgent announcement is posted as a
-- notification once; what an event already held when the device started watching it (the
-- backlog of its first sync) is recorded as passed over, never posted.

-- Per event: since when this device notifies its urgent announcements (the first look after
-- the event's first complete sync).
CREATE TABLE announcement_watch (
    event_id TEXT PRIMARY KEY NOT NULL,
    since    INTEGER NOT NULL          -- unix seconds
) WITHOUT ROWID;

-- Urgent announcements already dealt with: posted (posted = 1) or passed over as backlog (0).
CREATE TABLE announcement_notified (
    event_id        TEXT NOT NULL,
    announcement_id TEXT NOT NULL,
    posted          INTEGER NOT NULL,
    at              INTEGER NOT NULL,   -- unix seconds
    PRIMARY KEY (event_id, announcement_id)
) WITHOUT ROWID;
