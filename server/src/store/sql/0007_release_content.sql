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

-- The effect of each organiser operation (docs/adr/0013-safe-publishing.md): the top-level
-- fields it set, with their values, and the release that undid it (a publish that set one of
-- them to something else, or removed the entity), so the organiser's outbox can say
-- "overridden by release N" instead of "done". Fields a later operation set again are dropped
-- from the earlier one (superseded, not overridden).
CREATE TABLE op_effect (
    event_id      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    key           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    id            TEXT NOT NULL,
    fields        TEXT NOT NULL,
    overridden_by INTEGER,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (event_id, subject, key)
) WITHOUT ROWID;
CREATE INDEX op_effect_by_entity ON op_effect (event_id, kind, id);
