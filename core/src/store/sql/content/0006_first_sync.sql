-- content.db v6 (issue 23, docs/adr/0010-performance.md): the device's first sync.
--
-- A snapshot pulled into an event the device holds nothing of defers what is derived from the
-- content (speaker names of list rows, the search index) to its last page, which builds them
-- once for the whole event in the same transaction; `deferred` marks such a snapshot, so an
-- interrupted one resumes the same way.
ALTER TABLE sync_snapshot ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0;

-- Sessions become a rowid table. In a WITHOUT ROWID table a row keeps at most about a quarter
-- of a 4 KiB page inline and spills the rest to an overflow page of its own: a session's body
-- (1.4 KB on average at 36C3) filled 4.9 MB for 1.8 MB of JSON. A rowid table keeps rows up to
-- a page inline, packed.
CREATE TABLE session_v6 (
    event_id      TEXT NOT NULL,
    id            TEXT NOT NULL,
    start_ts      INTEGER NOT NULL,   -- unix seconds, UTC
    end_ts        INTEGER NOT NULL,
    day           TEXT NOT NULL,      -- conference day (YYYY-MM-DD), derived with the event clock
    location_id   TEXT,
    track_id      TEXT,
    status        TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT 'talk',
    subtitle      TEXT,
    languages     TEXT NOT NULL DEFAULT '[]',
    -- Names in speaker order, separated by U+001F; NULL when no listed speaker is stored.
    speaker_names TEXT,
    PRIMARY KEY (event_id, id)
);
INSERT INTO session_v6
    (event_id, id, start_ts, end_ts, day, location_id, track_id, status, title, body, kind,
     subtitle, languages, speaker_names)
    SELECT event_id, id, start_ts, end_ts, day, location_id, track_id, status, title, body, kind,
           subtitle, languages, speaker_names
    FROM session;
DROP TABLE session;
ALTER TABLE session_v6 RENAME TO session;
-- An index of a rowid table holds the rowid, not the key: `id` is listed, so that the lists
-- these indexes serve stay covered (v5) and never touch the table.
CREATE INDEX session_by_day ON session
    (event_id, day, start_ts, end_ts, title, location_id, track_id, status, kind, subtitle,
     languages, speaker_names, id);
CREATE INDEX session_by_start ON session
    (event_id, start_ts, end_ts, title, location_id, track_id, status, kind, subtitle,
     languages, speaker_names, id);
CREATE INDEX session_by_location ON session (event_id, location_id, start_ts, id);
CREATE INDEX session_by_track ON session (event_id, track_id, start_ts, id);
