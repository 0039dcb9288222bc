-- The catalog: names, files, uploads, per-area usage and change logs, and the small records.
--
-- Every step that changes an area locks its row in `areas` first (SELECT ... FOR UPDATE), then any upload row: one
-- lock order, so steps never deadlock; the area lock serialises the name checks, the limit checks and the change-log
-- numbers of the area, which is what makes "one name, one holder", the limits and a gapless log hold across
-- processes. The unique indexes below are the safety net under that: a bug cannot give a name two files or two open
-- uploads.
--
-- Names are kept twice: as text (to read) and as `name_key`, their UTF-16BE bytes, whose byte order is Java's
-- String.compareTo order (UTF-16 code units), which no collation gives (UTF-8 and "C" order supplementary
-- characters after U+E000-U+FFFF, Java before). Instants keep their nanoseconds in a column of their own: timestamptz
-- holds microseconds, and the catalog must give back the instant it was given.

CREATE TABLE areas (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization  text   NOT NULL,
    project       text   NOT NULL,
    used_bytes    bigint NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    files         bigint NOT NULL DEFAULT 0 CHECK (files >= 0),
    held_bytes    bigint NOT NULL DEFAULT 0 CHECK (held_bytes >= 0),
    open_uploads  bigint NOT NULL DEFAULT 0 CHECK (open_uploads >= 0),
    last_sequence bigint NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    UNIQUE (organization, project)
);

CREATE TABLE files (
    area_id            bigint NOT NULL REFERENCES areas (id),
    name_key           bytea  NOT NULL,
    name               text   NOT NULL,
    version            uuid   NOT NULL,
    size_bytes         bigint NOT NULL CHECK (size_bytes >= 0),
    data_format        text,
    compression_format text,
    digest_algo        text   NOT NULL,
    digest_hash        text   NOT NULL,
    uploaded_by        text   NOT NULL,
    uploaded_on        timestamptz NOT NULL,
    uploaded_on_nanos  integer NOT NULL,
    blob_id            text   NOT NULL UNIQUE,
    PRIMARY KEY (area_id, name_key)
);

CREATE TABLE uploads (
    id                text   PRIMARY KEY,
    area_id           bigint NOT NULL REFERENCES areas (id),
    name_key          bytea  NOT NULL,
    name              text   NOT NULL,
    length            bigint NOT NULL CHECK (length >= -1), -- -1: deferred
    -- bytea, not text: text cannot hold U+0000, which a client's metadata and a blob store's state may contain
    metadata          bytea  NOT NULL,                      -- see Columns.pairs
    uploaded_by       text   NOT NULL,
    created           timestamptz NOT NULL,
    created_nanos     integer NOT NULL,
    expires           timestamptz NOT NULL,
    expires_nanos     integer NOT NULL,
    blob_id           text   NOT NULL,
    checkpoint_offset bigint NOT NULL CHECK (checkpoint_offset >= 0),
    checkpoint_state  bytea  NOT NULL,                      -- UTF-8
    -- the fencing token: incremented by every grant; compared, never lease_until, when a writer changes the upload
    lease_token       bigint NOT NULL DEFAULT 0,
    -- on the database's clock; null when released
    lease_until       timestamptz,
    -- 'staged': committed, remembered until its expiry so a late client learns where its file is
    state             text   NOT NULL CHECK (state IN ('open', 'staged'))
);
-- one open upload per name (a committed upload lets its name go to its file)
CREATE UNIQUE INDEX uploads_open_name ON uploads (area_id, name_key) WHERE state = 'open';
CREATE INDEX uploads_expiry ON uploads (state, expires, expires_nanos);
-- the orphan sweep asks which blobs are still some upload's
CREATE INDEX uploads_blob ON uploads (blob_id);

CREATE TABLE changes (
    area_id            bigint NOT NULL REFERENCES areas (id),
    sequence           bigint NOT NULL CHECK (sequence >= 1),
    kind               text   NOT NULL CHECK (kind IN ('COMMITTED', 'DELETED')),
    at                 timestamptz NOT NULL,
    name               text   NOT NULL,
    version            uuid   NOT NULL,
    size_bytes         bigint NOT NULL,
    data_format        text,
    compression_format text,
    digest_algo        text   NOT NULL,
    digest_hash        text   NOT NULL,
    uploaded_by        text   NOT NULL,
    uploaded_on        timestamptz NOT NULL,
    uploaded_on_nanos  integer NOT NULL,
    PRIMARY KEY (area_id, sequence)
);

CREATE TABLE small_records (
    namespace text NOT NULL,
    key       text NOT NULL,
    text      text NOT NULL,
    PRIMARY KEY (namespace, key)
);
