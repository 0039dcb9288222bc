-- Webhooks: the endpoints registered to receive an organization's events, how far each got in each area's change
-- log (with the delivery lease on it), and each endpoint's log of delivery attempts.
--
-- No table refers to `areas`: an endpoint's progress names its area by organization and project, so an area's row is
-- never needed (nor locked) to deliver its events, and the tables can be emptied without touching the catalog's.
-- Removing an endpoint removes its progress and its log (ON DELETE CASCADE).
--
-- Locks, in one order: a record locks its endpoint's row (FOR NO KEY UPDATE, which serialises the numbering of its
-- log) before its progress row; a rewind takes the endpoint's row FOR KEY SHARE (so that it is not removed under it)
-- before its progress row; a claim is one statement on its progress row. Instants keep their nanoseconds in a column
-- of their own, as in the catalog's tables: timestamptz holds microseconds.
--
-- Text columns cannot hold U+0000; what an endpoint said (an attempt's error) may, so it is kept as UTF-8 bytes.

CREATE TABLE webhooks (
    id            text   PRIMARY KEY,
    organization  text   NOT NULL,
    project       text,                                 -- null: every project of the organization
    url           text   NOT NULL,
    types         text[] NOT NULL,                      -- Change.Kind names, sorted; empty: all
    names         text   NOT NULL,                      -- a NameGlob's pattern
    secrets       text[] NOT NULL,                      -- newest first
    created       timestamptz NOT NULL,
    created_nanos integer NOT NULL,
    disabled      text,                                 -- why deliveries stopped; null while they go on
    last_attempt  bigint NOT NULL DEFAULT 0             -- the number of the endpoint's latest attempt
);
-- an organization's endpoints, oldest first (ids as Java compares them)
CREATE INDEX webhooks_organization ON webhooks (organization, created, created_nanos, id COLLATE "C");

-- the fencing tokens of every grant and rewind: never one twice, not even to an endpoint removed and added again
CREATE SEQUENCE webhook_lease_tokens;

CREATE TABLE webhook_progress (
    webhook_id          text    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    organization        text    NOT NULL,
    project             text    NOT NULL,
    delivered           bigint  NOT NULL DEFAULT 0 CHECK (delivered >= 0),
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    failing_since       timestamptz,
    failing_since_nanos integer,
    not_before          timestamptz,
    not_before_nanos    integer,
    -- the token of the latest grant or rewind: compared, never lease_until, when a deliverer records
    lease_token         bigint  NOT NULL DEFAULT 0,
    -- on the database's clock; null when released
    lease_until         timestamptz,
    PRIMARY KEY (webhook_id, organization, project)
);

CREATE TABLE webhook_attempts (
    webhook_id         text    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    number             bigint  NOT NULL,                -- from webhooks.last_attempt: the order they were recorded in
    organization       text    NOT NULL,
    project            text    NOT NULL,
    sequence           bigint  NOT NULL,
    event_id           text    NOT NULL,
    at                 timestamptz NOT NULL,
    at_nanos           integer NOT NULL,
    outcome            text    NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED', 'GIVEN_UP')),
    status             integer NOT NULL,
    error              bytea,                           -- UTF-8
    next_attempt       timestamptz,
    next_attempt_nanos integer,
    PRIMARY KEY (webhook_id, number)
);
