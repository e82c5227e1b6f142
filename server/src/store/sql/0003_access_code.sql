-- marktplatz-server v3: optional access codes. An event with a code is read only with it (or a
-- token for the event); NULL keeps it public. Only a salted SHA-256 of the code is stored.
ALTER TABLE event ADD COLUMN access_salt BLOB;
ALTER TABLE event ADD COLUMN access_hash BLOB;
