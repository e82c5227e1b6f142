-- content.db v7 (issue 23, docs/adr/0010-performance.md, part 5): a first sync into a content.db
-- that holds no other event's sessions drops the session list indexes before its first page and
-- creates them once after its last (a sorted build instead of a random insert per row). The
-- definition of each dropped index is kept here, in the transaction that drops it, so that an
-- interrupted sync, the store's next open (before any migration) or any other write creates it
-- again exactly as it was.
CREATE TABLE deferred_index (
    name TEXT PRIMARY KEY NOT NULL,
    sql  TEXT NOT NULL
) WITHOUT ROWID;
