-- Events: a file's upload method and expiry; the change log also records expiries (of files and of open uploads),
-- which is what the change feed and the webhooks deliver.

ALTER TABLE files ADD COLUMN uploaded_via TEXT;            -- 'multipart', 'resumable'; null before it was kept
ALTER TABLE files ADD COLUMN expires_at INTEGER;           -- null: kept until deleted
ALTER TABLE files ADD COLUMN expires_at_nanos INTEGER;
-- the expiry sweep reads the files due, never an area
CREATE INDEX files_expiry ON files (expires_at, expires_at_nanos) WHERE expires_at IS NOT NULL;

-- An upload's entry has no version and no digest: the table is made anew with them nullable (SQLite cannot drop a
-- NOT NULL), and with the upload's columns.
CREATE TABLE changes_v2 (
    area_id            INTEGER NOT NULL REFERENCES areas (id),
    sequence           INTEGER NOT NULL CHECK (sequence >= 1),
    kind               TEXT    NOT NULL CHECK (kind IN ('COMMITTED', 'DELETED', 'EXPIRED', 'UPLOAD_EXPIRED')),
    at                 INTEGER NOT NULL,
    at_nanos           INTEGER NOT NULL,
    name               TEXT    NOT NULL,
    version            TEXT,                                -- null for an upload
    size_bytes         INTEGER NOT NULL,                    -- an upload: the bytes it had received
    data_format        TEXT,
    compression_format TEXT,
    digest_algo        TEXT,                                -- null for an upload
    digest_hash        TEXT,
    uploaded_by        TEXT    NOT NULL,
    uploaded_on        INTEGER NOT NULL,                    -- an upload: when it was created
    uploaded_on_nanos  INTEGER NOT NULL,
    uploaded_via       TEXT,
    expires_at         INTEGER,
    expires_at_nanos   INTEGER,
    upload_id          TEXT,                                -- an upload's id, and its declared length (-1: deferred)
    upload_length      INTEGER,
    PRIMARY KEY (area_id, sequence)
) WITHOUT ROWID;
INSERT INTO changes_v2 (area_id, sequence, kind, at, at_nanos, name, version, size_bytes, data_format,
                        compression_format, digest_algo, digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos)
    SELECT area_id, sequence, kind, at, at_nanos, name, version, size_bytes, data_format, compression_format,
           digest_algo, digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos FROM changes;
DROP TABLE changes;
ALTER TABLE changes_v2 RENAME TO changes;
-- retention trims the oldest entries first
CREATE INDEX changes_at ON changes (at, at_nanos);
