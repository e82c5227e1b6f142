-- content.db v2: the search index (see core/src/search and docs/adr/0004-search.md).
-- search_doc holds one row per searchable entity with its short fields as shown; search_fts
-- indexes the normalised text of all four fields (contentless: the text lives in the content
-- tables); search_vocab exposes the indexed words for prefix, compound and typo expansion.

CREATE TABLE search_doc (
    doc_id    INTEGER PRIMARY KEY,
    event_id  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    title     TEXT NOT NULL,
    people    TEXT NOT NULL,
    place     TEXT NOT NULL,
    digest    INTEGER NOT NULL,  -- hash of the indexed text: unchanged entities are not rewritten
    UNIQUE (event_id, kind, entity_id)
);

-- Words are normalised in Rust (fold + German transliteration) and stored space-separated, so the
-- plain ascii tokenizer only splits at spaces and never disagrees with the Rust side.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, people, place, body,
    content = '', contentless_delete = 1, tokenize = 'ascii', detail = full
);

CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search_fts, 'row');

-- 'built' = 1 once the index covers the content; a database migrated from v1 holds content but
-- no index, and the store rebuilds it when opened.
CREATE TABLE search_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO search_state (key, value)
    SELECT 'built', CASE WHEN EXISTS (SELECT 1 FROM event) THEN 0 ELSE 1 END;
