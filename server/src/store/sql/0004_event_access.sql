-- marktplatz-server v4: access codes in a table of their own, so that each table has one module
-- that writes it (`event`: the change log; `event_access`: access codes). Same content as the
-- two columns v3 added to `event`: a salted SHA-256 of the code; no row keeps an event public.
CREATE TABLE event_access (
    event_id TEXT PRIMARY KEY NOT NULL REFERENCES event (id),
    salt     BLOB NOT NULL,
    hash     BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO event_access (event_id, salt, hash)
    SELECT id, access_salt, access_hash FROM event
    WHERE access_salt IS NOT NULL AND access_hash IS NOT NULL;
ALTER TABLE event DROP COLUMN access_salt;
ALTER TABLE event DROP COLUMN access_hash;
