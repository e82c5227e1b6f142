-- content.db v8 (issue 23, docs/adr/0010-performance.md part 6): an exhibitor's topics by its key.
-- `exhibitor_topic` is keyed (event, topic, exhibitor) for the topic filter; rewriting or
-- removing an exhibitor deletes its topics by (event, exhibitor), which without this index read
-- all of the event's topics (a first sync of 20,000 entities: seconds for its exhibitors).
CREATE INDEX exhibitor_topic_by_exhibitor ON exhibitor_topic (event_id, exhibitor_id);
