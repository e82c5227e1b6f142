-- content.db v5: what an agenda row shows is kept beside the body, and the day index covers it,
-- so that a day's list is read from one index without a lookup per session and without its
-- body (a big event's first screen lists thousands of sessions; docs/adr/0010-performance.md).
ALTER TABLE session ADD COLUMN kind TEXT NOT NULL DEFAULT 'talk';
ALTER TABLE session ADD COLUMN subtitle TEXT;
ALTER TABLE session ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
UPDATE session SET
    kind = coalesce(json_extract(body, '$.kind'), 'talk'),
    subtitle = json_extract(body, '$.subtitle'),
    languages = coalesce(json_extract(body, '$.languages'), '[]');
DROP INDEX session_by_day;
CREATE INDEX session_by_day ON session
    (event_id, day, start_ts, end_ts, title, location_id, track_id, status, kind, subtitle, languages);
