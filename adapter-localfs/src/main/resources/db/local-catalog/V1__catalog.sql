-- The local catalog: names, files, uploads, per-area usage and change logs, in one SQLite database in the data
-- directory, used by one process at a time (the data directory's lock).
--
-- The same tables as the PostgreSQL catalog's, in SQLite's types: every changing step is one IMMEDIATE transaction,
-- and the process runs one at a time, so a step's name check, limit check, counters and change-log number are
-- decided together. The unique indexes are the safety net under that: a bug cannot give a name two files or two open
-- uploads.
--
-- Names are kept twice: as text (to read) and as `name_key`, their UTF-16BE bytes, compared by SQLite as BLOBs
-- (memcmp), which is Java's String.compareTo order. Instants are epoch seconds and nanos, to the nanosecond.

CREATE TABLE areas (
    id            INTEGER PRIMARY KEY,
    organization  TEXT    NOT NULL,
    project       TEXT    NOT NULL,
    used_bytes    INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    files         INTEGER NOT NULL DEFAULT 0 CHECK (files >= 0),
    held_bytes    INTEGER NOT NULL DEFAULT 0 CHECK (held_bytes >= 0),
    open_uploads  INTEGER NOT NULL DEFAULT 0 CHECK (open_uploads >= 0),
    last_sequence INTEGER NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    UNIQUE (organization, project)
);

CREATE TABLE files (
    area_id            INTEGER NOT NULL REFERENCES areas (id),
    name_key           BLOB    NOT NULL,
    name               TEXT    NOT NULL,
    version            TEXT    NOT NULL,
    size_bytes         INTEGER NOT NULL CHECK (size_bytes >= 0),
    data_format        TEXT,
    compression_format TEXT,
    digest_algo        TEXT    NOT NULL,
    digest_hash        TEXT    NOT NULL,
    uploaded_by        TEXT    NOT NULL,
    uploaded_on        INTEGER NOT NULL,
    uploaded_on_nanos  INTEGER NOT NULL,
    blob_id            TEXT    NOT NULL UNIQUE,
    PRIMARY KEY (area_id, name_key)
) WITHOUT ROWID;

CREATE TABLE uploads (
    id                TEXT    PRIMARY KEY,
    area_id           INTEGER NOT NULL REFERENCES areas (id),
    name_key          BLOB    NOT NULL,
    name              TEXT    NOT NULL,
    length            INTEGER NOT NULL CHECK (length >= -1), -- -1: deferred
    metadata          BLOB    NOT NULL,                      -- key and value pairs, each length-prefixed UTF-8
    uploaded_by       TEXT    NOT NULL,
    created           INTEGER NOT NULL,
    created_nanos     INTEGER NOT NULL,
    expires           INTEGER NOT NULL,
    expires_nanos     INTEGER NOT NULL,
    blob_id           TEXT    NOT NULL,
    checkpoint_offset INTEGER NOT NULL CHECK (checkpoint_offset >= 0),
    checkpoint_state  BLOB    NOT NULL,                      -- UTF-8
    -- (leases are in the process's memory: one process uses the catalog)
    -- 'staged': committed, remembered until its expiry so a late client learns where its file is
    state             TEXT    NOT NULL CHECK (state IN ('open', 'staged'))
);
CREATE UNIQUE INDEX uploads_open_name ON uploads (area_id, name_key) WHERE state = 'open';
CREATE INDEX uploads_expiry ON uploads (state, expires, expires_nanos);
CREATE INDEX uploads_blob ON uploads (blob_id);

CREATE TABLE changes (
    area_id            INTEGER NOT NULL REFERENCES areas (id),
    sequence           INTEGER NOT NULL CHECK (sequence >= 1),
    kind               TEXT    NOT NULL CHECK (kind IN ('COMMITTED', 'DELETED')),
    at                 INTEGER NOT NULL,
    at_nanos           INTEGER NOT NULL,
    name               TEXT    NOT NULL,
    version            TEXT    NOT NULL,
    size_bytes         INTEGER NOT NULL,
    data_format        TEXT,
    compression_format TEXT,
    digest_algo        TEXT    NOT NULL,
    digest_hash        TEXT    NOT NULL,
    uploaded_by        TEXT    NOT NULL,
    uploaded_on        INTEGER NOT NULL,
    uploaded_on_nanos  INTEGER NOT NULL,
    PRIMARY KEY (area_id, sequence)
) WITHOUT ROWID;
