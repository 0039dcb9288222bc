-- Events: a file's upload method and expiry; the change log also records expiries (of files and of open uploads),
-- which is what the change feed and the webhooks deliver.

ALTER TABLE files ADD COLUMN uploaded_via     text;     -- 'MULTIPART', 'RESUMABLE'; null before it was kept
ALTER TABLE files ADD COLUMN expires_at       timestamptz; -- null: kept until deleted
ALTER TABLE files ADD COLUMN expires_at_nanos integer;
-- the expiry sweep reads the files due, never an area
CREATE INDEX files_expiry ON files (expires_at, expires_at_nanos) WHERE expires_at IS NOT NULL;

-- an upload's entry has no version and no digest, and has the upload's id and declared length (-1: deferred);
-- for it, size_bytes is what it had received and uploaded_on when it was created
ALTER TABLE changes ALTER COLUMN version DROP NOT NULL;
ALTER TABLE changes ALTER COLUMN digest_algo DROP NOT NULL;
ALTER TABLE changes ALTER COLUMN digest_hash DROP NOT NULL;
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('COMMITTED', 'DELETED', 'EXPIRED', 'UPLOAD_EXPIRED'));
ALTER TABLE changes ADD COLUMN uploaded_via     text;
ALTER TABLE changes ADD COLUMN expires_at       timestamptz;
ALTER TABLE changes ADD COLUMN expires_at_nanos integer;
ALTER TABLE changes ADD COLUMN upload_id        text;
ALTER TABLE changes ADD COLUMN upload_length    bigint;
-- retention trims the oldest entries first
CREATE INDEX changes_at ON changes (at);
