-- content.db v9 (issue 23, docs/adr/0010-performance.md part 7): FTS5 keeps up to 4 MiB of
-- pending terms in memory (default 1 MiB) before writing them as a segment. A first sync builds
-- the whole index in one transaction: 36C3's filled the default three times, and three segments
-- hold every common term's list three times (1,060 KB against 968 KB as one segment). Merging
-- them later would leave the freed pages in the file. A delta writes a few entities and never
-- comes near either size; the hash only holds what one transaction writes.
INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 4194304);
