-- +goose Up
-- Scripted loads run as jobs whose state lives here, so any replica can answer for a job and a
-- job whose runner died is found (its heartbeat stops) and marked failed.
CREATE TABLE import_jobs (
    id               uuid PRIMARY KEY,
    resource         text NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    mode             text NOT NULL CHECK (mode IN ('validate', 'commit')),
    strategy         text NOT NULL CHECK (strategy IN ('create', 'update', 'upsert')),
    atomic           text NOT NULL CHECK (atomic IN ('all', 'none')),
    key              text NOT NULL CHECK (key IN ('code', 'external_id', 'id')),
    format           text NOT NULL CHECK (format IN ('ndjson', 'csv', 'json')),
    gzip             boolean NOT NULL DEFAULT false,
    max_errors       integer NOT NULL CHECK (max_errors >= 1),
    rows_read        bigint NOT NULL DEFAULT 0,
    bytes_read       bigint NOT NULL DEFAULT 0,
    body_bytes       bigint NOT NULL DEFAULT 0,
    -- who started it: the actor's kind and id (jobs are visible to their owner), and its label
    owner            text NOT NULL,
    created_by       text NOT NULL,
    idempotency_key  text,
    body_sha256      bytea,
    report           jsonb NOT NULL DEFAULT '{}',
    failure          jsonb,
    cancel_requested boolean NOT NULL DEFAULT false,
    runner           text,
    heartbeat_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE UNIQUE INDEX import_jobs_idempotency_key ON import_jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX import_jobs_owner_idx ON import_jobs (owner, created_at DESC, id DESC);
CREATE INDEX import_jobs_created_idx ON import_jobs (created_at DESC, id DESC);
CREATE INDEX import_jobs_live_idx ON import_jobs (heartbeat_at) WHERE status IN ('queued', 'running');

-- Consultation inputs come from survey tools and spreadsheets that have their own ids; imports
-- match on them.
ALTER TABLE consultation_inputs ADD COLUMN external_id text CONSTRAINT consultation_inputs_external_id_key UNIQUE;

-- +goose Down
ALTER TABLE consultation_inputs DROP COLUMN external_id;
DROP TABLE import_jobs;
