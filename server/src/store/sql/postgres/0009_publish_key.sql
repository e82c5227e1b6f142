-- A publish sent with an Idempotency-Key (issue 22): its outcome, answered again when the same
-- key comes back (a client retrying after its answer was lost, maybe on another instance), so
-- a publish is recorded once however often it is sent. Written in the publish's transaction.
CREATE TABLE publish_result (
    event_id        TEXT NOT NULL REFERENCES event(id),
    subject         TEXT NOT NULL,      -- whose key: another publisher's key is not theirs
    idempotency_key TEXT NOT NULL,
    request         BYTEA NOT NULL,     -- SHA-256 of what was published (source, note, bundle)
    outcome         TEXT NOT NULL,      -- the PublishOutcome as JSON
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (event_id, subject, idempotency_key)
);
CREATE INDEX publish_result_by_age ON publish_result (created_at);
