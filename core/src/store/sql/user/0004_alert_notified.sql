-- user.db v4: when the device last showed a change alert as a notification (NULL: not yet, or
-- the alert changed since), so each net change is announced once and a later change again.
ALTER TABLE alert ADD COLUMN notified_at INTEGER;
