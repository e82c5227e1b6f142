-- content.db v10 (issue 23, docs/adr/0010-performance.md part 12): fewer bytes of session rows
-- and list indexes.
--
-- A session row names its location and track by a small number (`id_ref`), not by their ids:
-- at 36C3 both are 36-character GUIDs, held in the row and in three indexes, for 90 locations
-- and 30 tracks. Lists map the numbers back with the event's few refs, read once per list.
CREATE TABLE id_ref (
    ref      INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    id       TEXT NOT NULL,
    UNIQUE (event_id, id)
);
INSERT OR IGNORE INTO id_ref (event_id, id)
    SELECT DISTINCT event_id, location_id FROM session WHERE location_id IS NOT NULL;
INSERT OR IGNORE INTO id_ref (event_id, id)
    SELECT DISTINCT event_id, track_id FROM session WHERE track_id IS NOT NULL;

-- A day's list reads its sessions as a range of `session_by_start` (the day's bounds, then the
-- rows of the day kept in Rust), which covers the same columns in the same order: the day index
-- held every list column a second time (315 KB of 36C3's 5.4 MB folder). The other two serve a
-- station's or track's session count and the ids of its sessions when it is renamed (a few
-- dozen rows, looked up in the table); lists filtered by either walk the covering start index.
DROP INDEX IF EXISTS session_by_day;
DROP INDEX IF EXISTS session_by_start;
DROP INDEX IF EXISTS session_by_location;
DROP INDEX IF EXISTS session_by_track;
DELETE FROM deferred_index WHERE name LIKE 'session\_by\_%' ESCAPE '\';

ALTER TABLE session ADD COLUMN location_ref INTEGER;
ALTER TABLE session ADD COLUMN track_ref INTEGER;
UPDATE session SET
    location_ref = (SELECT ref FROM id_ref r
                     WHERE r.event_id = session.event_id AND r.id = session.location_id),
    track_ref = (SELECT ref FROM id_ref r
                  WHERE r.event_id = session.event_id AND r.id = session.track_id);
ALTER TABLE session DROP COLUMN location_id;
ALTER TABLE session DROP COLUMN track_id;

CREATE INDEX session_by_start ON session
    (event_id, start_ts, end_ts, title, location_ref, track_ref, status, kind, subtitle,
     languages, speaker_names, id);
CREATE INDEX session_by_location ON session (event_id, location_ref, start_ts);
CREATE INDEX session_by_track ON session (event_id, track_ref, start_ts);
