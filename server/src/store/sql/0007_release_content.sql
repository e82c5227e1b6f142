-- marktplatz-server v7: what each release published (docs/adr/0013-safe-publishing.md), so that
-- `marktplatz revert --to N` can publish it again: the entities (kind, id, canonical body) of
-- the release's source snapshot, in the bundle's order (position). Releases from before v7
-- have none and cannot be reverted to.
CREATE TABLE release_entity (
    event_id TEXT NOT NULL,
    number   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (event_id, number, kind, id),
    FOREIGN KEY (event_id, number) REFERENCES release (event_id, number)
) WITHOUT ROWID;
