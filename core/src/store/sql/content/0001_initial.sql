-- content.db v1: a rebuildable cache of the server's content, the sync cursor per event.
-- Every table keeps the entity's JSON body (what the server sent) plus the columns queries use.

CREATE TABLE event (
    event_id        TEXT PRIMARY KEY NOT NULL,
    timezone        TEXT NOT NULL,
    day_change_hour INTEGER NOT NULL,
    body            TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE location (
    event_id   TEXT NOT NULL,
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent_id  TEXT,
    sort_order INTEGER NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

CREATE TABLE track (
    event_id TEXT NOT NULL,
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

CREATE TABLE session (
    event_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    start_ts    INTEGER NOT NULL,   -- unix seconds, UTC
    end_ts      INTEGER NOT NULL,
    day         TEXT NOT NULL,      -- conference day (YYYY-MM-DD), derived with the event clock
    location_id TEXT,
    track_id    TEXT,
    status      TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;
CREATE INDEX session_by_day ON session (event_id, day, start_ts);
CREATE INDEX session_by_start ON session (event_id, start_ts);
CREATE INDEX session_by_location ON session (event_id, location_id, start_ts);
CREATE INDEX session_by_track ON session (event_id, track_id, start_ts);

CREATE TABLE session_speaker (
    event_id   TEXT NOT NULL,
    session_id TEXT NOT NULL,
    speaker_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (event_id, session_id, speaker_id)
) WITHOUT ROWID;
CREATE INDEX session_speaker_by_speaker ON session_speaker (event_id, speaker_id);

CREATE TABLE speaker (
    event_id TEXT NOT NULL,
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

CREATE TABLE exhibitor (
    event_id   TEXT NOT NULL,
    id         TEXT NOT NULL,
    station_id TEXT,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;
CREATE INDEX exhibitor_by_station ON exhibitor (event_id, station_id);

CREATE TABLE exhibitor_topic (
    event_id     TEXT NOT NULL,
    topic_key    TEXT NOT NULL,     -- lower-cased topic, for case-insensitive lookups
    exhibitor_id TEXT NOT NULL,
    PRIMARY KEY (event_id, topic_key, exhibitor_id)
) WITHOUT ROWID;

CREATE TABLE announcement (
    event_id     TEXT NOT NULL,
    id           TEXT NOT NULL,
    published_ts INTEGER NOT NULL,
    expires_ts   INTEGER,
    body         TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

CREATE TABLE gallery_item (
    event_id TEXT NOT NULL,
    id       TEXT NOT NULL,
    taken_ts INTEGER,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

CREATE TABLE info_page (
    event_id   TEXT NOT NULL,
    id         TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (event_id, id)
) WITHOUT ROWID;

-- Where this device stands with each event's server.
CREATE TABLE sync_state (
    event_id        TEXT PRIMARY KEY NOT NULL,
    server_url      TEXT,
    epoch           TEXT,
    cursor          INTEGER NOT NULL DEFAULT 0,
    head_etag       TEXT,
    last_synced_at  INTEGER,       -- unix seconds of the last sync that reached the head
    content_version INTEGER NOT NULL DEFAULT 0  -- bumped by every applied change, for caches
) WITHOUT ROWID;
