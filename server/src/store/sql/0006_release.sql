-- marktplatz-server v6: every publish is a release (docs/adr/0013-safe-publishing.md): its
-- number per event, time, who (the token's subject), source, note and the summary of its diff.
CREATE TABLE release (
    event_id     TEXT NOT NULL REFERENCES event (id),
    number       INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    source       TEXT NOT NULL,
    note         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    PRIMARY KEY (event_id, number)
) WITHOUT ROWID;
