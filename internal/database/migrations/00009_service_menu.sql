-- +goose Up
-- The menu of services of interest to the diaspora, each linked to the consultation inputs it
-- answers, the mandate functions that deliver it and its legal basis. Links are arrays of ids
-- (GIN-indexed both ways: "services answering input X", "inputs no service answers").
CREATE TABLE services (
    id              uuid PRIMARY KEY,
    code            text NOT NULL CONSTRAINT services_code_key UNIQUE,
    name_es         text,
    name_en         text,
    description_es  text,
    description_en  text,
    target_groups   text[] NOT NULL DEFAULT '{}',
    provider_id     uuid REFERENCES institutions (id),
    channels        text[] NOT NULL DEFAULT '{}',
    instrument_ids  uuid[] NOT NULL DEFAULT '{}',
    legal_basis_es  text,
    legal_basis_en  text,
    status          text NOT NULL CHECK (status IN ('existing', 'proposed')),
    fees_es         text,
    fees_en         text,
    languages       text[] NOT NULL DEFAULT '{}',
    input_ids       uuid[] NOT NULL DEFAULT '{}',
    function_ids    uuid[] NOT NULL DEFAULT '{}',
    demo            boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CONSTRAINT services_name_present CHECK (name_es IS NOT NULL OR name_en IS NOT NULL)
);
ALTER TABLE services ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code)))
    || to_tsvector('spanish', puente_unaccent(coalesce(name_es, '') || ' ' || coalesce(description_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(name_en, '') || ' ' || coalesce(description_en, '')))
) STORED;
CREATE INDEX services_search_idx ON services USING gin (search);
CREATE INDEX services_target_groups_idx ON services USING gin (target_groups);
CREATE INDEX services_channels_idx ON services USING gin (channels);
CREATE INDEX services_inputs_idx ON services USING gin (input_ids);
CREATE INDEX services_functions_idx ON services USING gin (function_ids);
CREATE INDEX services_status_idx ON services (status, code);
CREATE INDEX services_provider_idx ON services (provider_id);
CREATE INDEX services_code_idx ON services (code, id);
CREATE INDEX services_created_idx ON services (created_at, id);
CREATE INDEX services_updated_idx ON services (updated_at, id);

-- +goose Down
DROP TABLE services;
