-- content.db: the asset cache index and the state of a re-bootstrap.

-- Files in <device dir>/assets/<sha256> (complete) or assets/partial/<sha256> (resumable).
CREATE TABLE asset_cache (
    sha256     TEXT PRIMARY KEY NOT NULL,
    media_type TEXT NOT NULL,
    bytes      INTEGER NOT NULL,            -- the full size
    complete   INTEGER NOT NULL DEFAULT 0,  -- 1 once the hash was verified
    validator  TEXT,                        -- the server's ETag, sent as If-Range when resuming
    last_used  INTEGER NOT NULL             -- unix milliseconds, for LRU eviction
) WITHOUT ROWID;
CREATE INDEX asset_cache_lru ON asset_cache (complete, last_used);

-- Pinned assets are never evicted. Each owner pins and unpins its own ('event:<id>' for maps
-- and logos, 'favourites' for speakers of favourite sessions, ...).
CREATE TABLE asset_pin (
    sha256 TEXT NOT NULL,
    owner  TEXT NOT NULL,
    PRIMARY KEY (sha256, owner)
) WITHOUT ROWID;

-- During a re-bootstrap: the entities held before it that the new snapshot has not confirmed
-- yet. The old content stays visible until the snapshot is complete; then these are removed.
CREATE TABLE sync_stale (
    event_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    PRIMARY KEY (event_id, kind, id)
) WITHOUT ROWID;

-- A snapshot (a pull that started from since=0) in progress: the head it was taken at. Its
-- later pages are asked for with snapshot=<head>; the row goes when the snapshot completes.
CREATE TABLE sync_snapshot (
    event_id TEXT PRIMARY KEY NOT NULL,
    head     INTEGER NOT NULL
) WITHOUT ROWID;
