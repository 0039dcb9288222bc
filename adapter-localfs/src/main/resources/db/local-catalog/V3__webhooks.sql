-- Webhooks: the endpoints registered to receive an organization's events, how far each got in each area's change
-- log, and each endpoint's log of delivery attempts.
--
-- No table refers to `areas`: an endpoint's progress names its area by organization and project, so an area's row is
-- never needed (nor created) to deliver its events, and removing an endpoint removes its progress and its log
-- (ON DELETE CASCADE). Instants are epoch seconds and nanos, to the nanosecond, as in the other tables.

CREATE TABLE webhooks (
    id            TEXT    PRIMARY KEY,
    organization  TEXT    NOT NULL,
    project       TEXT,                                -- null: every project of the organization
    url           TEXT    NOT NULL,
    types         TEXT    NOT NULL,                    -- Change.Kind names, comma-separated, sorted; empty: all
    names         TEXT    NOT NULL,                    -- a NameGlob's pattern
    secrets       TEXT    NOT NULL,                    -- newest first, each as its length, ':' and itself
    created       INTEGER NOT NULL,
    created_nanos INTEGER NOT NULL,
    disabled      TEXT,                                -- why deliveries stopped; null while they go on
    last_attempt  INTEGER NOT NULL DEFAULT 0           -- the number of the endpoint's latest attempt
);
-- an organization's endpoints, oldest first
CREATE INDEX webhooks_organization ON webhooks (organization, created, created_nanos, id);

CREATE TABLE webhook_progress (
    webhook_id          TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    organization        TEXT    NOT NULL,
    project             TEXT    NOT NULL,
    delivered           INTEGER NOT NULL DEFAULT 0 CHECK (delivered >= 0),
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    failing_since       INTEGER,
    failing_since_nanos INTEGER,
    not_before          INTEGER,
    not_before_nanos    INTEGER,
    -- the fencing token of the latest grant (or rewind), from webhook_lease_tokens: compared, never lease_until,
    -- when a deliverer records
    lease_token         INTEGER NOT NULL DEFAULT 0,
    -- epoch milliseconds on this process's clock; null when released. Kept here, not in memory, so that every
    -- instance of the store agrees; the catalog clears them all when it is opened (the process that held them is gone)
    lease_until         INTEGER,
    PRIMARY KEY (webhook_id, organization, project)
) WITHOUT ROWID;

-- one counter for every grant, so that a token is never given twice (not even to an endpoint removed and added again)
CREATE TABLE webhook_lease_tokens (
    last INTEGER NOT NULL
);
INSERT INTO webhook_lease_tokens (last) VALUES (0);

CREATE TABLE webhook_attempts (
    webhook_id         TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    number             INTEGER NOT NULL,               -- from webhooks.last_attempt: the order they were recorded in
    organization       TEXT    NOT NULL,
    project            TEXT    NOT NULL,
    sequence           INTEGER NOT NULL,
    event_id           TEXT    NOT NULL,
    at                 INTEGER NOT NULL,
    at_nanos           INTEGER NOT NULL,
    outcome            TEXT    NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED', 'GIVEN_UP')),
    status             INTEGER NOT NULL,
    error              BLOB,                           -- UTF-8: what an endpoint said may hold any character
    next_attempt       INTEGER,
    next_attempt_nanos INTEGER,
    PRIMARY KEY (webhook_id, number)
) WITHOUT ROWID;
