-- user.db v6: an operation a later publish undid (docs/adr/0013-safe-publishing.md).
--   overridden  the server applied it, but a later publish set one of its fields otherwise or
--               removed its entity (overridden_by: that release's number); never "done"
ALTER TABLE outbox ADD COLUMN overridden_by INTEGER;
