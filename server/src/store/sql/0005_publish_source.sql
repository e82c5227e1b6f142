-- marktplatz-server v5: publishing sources (docs/adr/0013-safe-publishing.md). Each publish
-- names a source; this table remembers which entities each source published last and with
-- which body, so that publishing a source removes only what that source had published.
-- Entities no source names (organiser operations, content from before v5) are never removed
-- by a publish.
CREATE TABLE source_entity (
    event_id TEXT NOT NULL REFERENCES event (id),
    source   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, source, kind, id)
) WITHOUT ROWID;
CREATE INDEX source_entity_by_entity ON source_entity (event_id, kind, id);
