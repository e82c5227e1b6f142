-- content.db v11 (issue 23, docs/adr/0010-performance.md part 12): one zstd dictionary per
-- event for its bodies (core/src/store/dictionary.rs). Trained from the first page of the
-- event's first snapshot and written in that page's transaction; a body's frame names it by
-- `dict_id` (the id zstd writes into the dictionary and into each frame made with it). It is
-- kept as long as the event: bodies written before it, and bodies of events without one, are
-- frames without a dictionary or text, read as before.
CREATE TABLE body_dictionary (
    event_id TEXT PRIMARY KEY NOT NULL,
    dict_id  INTEGER NOT NULL,
    bytes    BLOB NOT NULL
);
