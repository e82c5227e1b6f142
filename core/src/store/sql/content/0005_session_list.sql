-- content.db v5: what an agenda row shows is kept beside the body (speaker names included, kept
-- current by every write of a session or a speaker), and the day and start indexes cover it, so
-- that a day's list and "what runs now" are read from one index each, without a lookup per
-- session and without bodies (a big event's first screen lists thousands of sessions;
-- docs/adr/0010-performance.md).
ALTER TABLE session ADD COLUMN kind TEXT NOT NULL DEFAULT 'talk';
ALTER TABLE session ADD COLUMN subtitle TEXT;
ALTER TABLE session ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
-- Names in speaker order, separated by U+001F; NULL when no listed speaker is stored.
ALTER TABLE session ADD COLUMN speaker_names TEXT;
UPDATE session SET
    kind = coalesce(json_extract(body, '$.kind'), 'talk'),
    subtitle = json_extract(body, '$.subtitle'),
    languages = coalesce(json_extract(body, '$.languages'), '[]'),
    speaker_names = (
        SELECT group_concat(sp.name, char(31) ORDER BY ss.position)
          FROM session_speaker ss
          JOIN speaker sp ON sp.event_id = ss.event_id AND sp.id = ss.speaker_id
         WHERE ss.event_id = session.event_id AND ss.session_id = session.id);
DROP INDEX session_by_day;
CREATE INDEX session_by_day ON session
    (event_id, day, start_ts, end_ts, title, location_id, track_id, status, kind, subtitle,
     languages, speaker_names);
DROP INDEX session_by_start;
CREATE INDEX session_by_start ON session
    (event_id, start_ts, end_ts, title, location_id, track_id, status, kind, subtitle,
     languages, speaker_names);
