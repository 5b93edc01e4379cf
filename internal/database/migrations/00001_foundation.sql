-- +goose Up
-- Accent-insensitive search needs unaccent (a trusted extension: a database owner may create it)
-- wrapped in an IMMUTABLE function so generated columns and indexes can use it.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- +goose StatementBegin
CREATE FUNCTION puente_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- +goose StatementEnd

-- The audit trail is append-only: the application role cannot change or remove past events.
CREATE TABLE audit_events (
    id            uuid PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_kind    text NOT NULL,
    actor_id      text,
    actor_label   text,
    action        text NOT NULL,
    resource_type text NOT NULL,
    resource_id   text,
    before        jsonb,
    after         jsonb,
    request_id    text,
    client_ip     text
);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC, id DESC);
CREATE INDEX audit_events_resource_idx ON audit_events (resource_type, resource_id, occurred_at DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at DESC);

-- +goose StatementBegin
CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();

CREATE TABLE institutions (
    id             uuid PRIMARY KEY,
    code           text NOT NULL,
    name_es        text,
    name_en        text,
    acronym        text,
    kind           text NOT NULL,
    parent_id      uuid REFERENCES institutions (id),
    country        char(2),
    tier           text NOT NULL,
    status         text NOT NULL DEFAULT 'active',
    established_on date,
    dissolved_on   date,
    description_es text,
    description_en text,
    website        text,
    demo           boolean NOT NULL DEFAULT false,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    CONSTRAINT institutions_code_key UNIQUE (code),
    CONSTRAINT institutions_name_present CHECK (name_es IS NOT NULL OR name_en IS NOT NULL),
    CONSTRAINT institutions_not_own_parent CHECK (parent_id <> id),
    CONSTRAINT institutions_kind_check CHECK (kind IN ('ministry', 'directorate_general', 'directorate',
        'sub_directorate', 'department', 'agency', 'commission', 'working_group', 'regional_round_table',
        'consular_mission', 'international_organization', 'other')),
    CONSTRAINT institutions_tier_check CHECK (tier IN ('national', 'regional', 'local', 'international')),
    CONSTRAINT institutions_status_check CHECK (status IN ('active', 'proposed', 'dissolved')),
    CONSTRAINT institutions_dates_check CHECK (dissolved_on IS NULL OR established_on IS NULL OR dissolved_on >= established_on)
);
ALTER TABLE institutions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(
        code || ' ' || coalesce(acronym, '') || ' ' || coalesce(name_es, '') || ' ' || coalesce(name_en, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(name_es, '') || ' ' || coalesce(description_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(name_en, '') || ' ' || coalesce(description_en, '')))
) STORED;
CREATE INDEX institutions_search_idx ON institutions USING gin (search);
CREATE INDEX institutions_parent_idx ON institutions (parent_id);
CREATE INDEX institutions_kind_idx ON institutions (kind, code);
CREATE INDEX institutions_country_idx ON institutions (country, code);
CREATE INDEX institutions_tier_idx ON institutions (tier, code);
CREATE INDEX institutions_status_idx ON institutions (status, code);
CREATE INDEX institutions_created_idx ON institutions (created_at, id);
CREATE INDEX institutions_updated_idx ON institutions (updated_at, id);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL,
    institution_id uuid REFERENCES institutions (id),
    roles          text[] NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_clients (
    id             uuid PRIMARY KEY,
    client_id      text NOT NULL UNIQUE,
    name           text NOT NULL,
    secret_hash    bytea NOT NULL,
    roles          text[] NOT NULL,
    scopes         text[],
    institution_id uuid REFERENCES institutions (id),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are stored as SHA-256 hashes; a family is one login's chain of rotations.
CREATE TABLE refresh_tokens (
    id         uuid PRIMARY KEY,
    family_id  uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id),
    token_hash bytea NOT NULL UNIQUE,
    scope      text NOT NULL,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Signing keys live in the database so every replica signs and verifies with the same set.
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    algorithm   text NOT NULL,
    private_key bytea NOT NULL,
    public_key  bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);

-- Failed logins are counted per submitted email, whether or not the account exists, so the
-- answer never tells an attacker which emails are registered.
CREATE TABLE login_throttle (
    email_key         text PRIMARY KEY,
    failures          integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    locked_until      timestamptz
);

CREATE TABLE idempotency_keys (
    owner        text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    headers      jsonb NOT NULL,
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE login_throttle;
DROP TABLE signing_keys;
DROP TABLE refresh_tokens;
DROP TABLE api_clients;
DROP TABLE users;
DROP TABLE institutions;
DROP TABLE audit_events;
DROP FUNCTION audit_events_immutable();
DROP FUNCTION puente_unaccent(text);
