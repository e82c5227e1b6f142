-- content.db: the version (change-log seq) of every entity pulled from a server. An organiser's
-- operation names the version it was based on, so the server can refuse it if someone else
-- changed the entity in between.
CREATE TABLE entity_version (
    event_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (event_id, kind, id)
) WITHOUT ROWID;

-- Content pulled before this table existed has no versions: re-bootstrap those events (the
-- old content stays visible until the new snapshot is complete; see pull.rs).
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'event', event_id FROM event
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'location', id FROM location
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'track', id FROM track
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'session', id FROM session
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'speaker', id FROM speaker
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'exhibitor', id FROM exhibitor
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'announcement', id FROM announcement
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'gallery_item', id FROM gallery_item
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
    SELECT event_id, 'info_page', id FROM info_page
    WHERE event_id IN (SELECT event_id FROM sync_state WHERE cursor > 0);
DELETE FROM sync_snapshot;
UPDATE sync_state SET epoch = NULL, cursor = 0, head_etag = NULL WHERE cursor > 0;
