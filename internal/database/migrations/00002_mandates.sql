-- +goose Up
-- Time-ordered UUIDs (RFC 9562 v7) for rows created in SQL, such as a scenario's copied assignments.
-- +goose StatementBegin
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;
-- +goose StatementEnd

CREATE TABLE legal_instruments (
    id          uuid PRIMARY KEY,
    code        text NOT NULL CONSTRAINT legal_instruments_code_key UNIQUE,
    type        text NOT NULL CHECK (type IN ('law', 'legislative_decree', 'supreme_decree',
                    'ministerial_resolution', 'directive', 'organisational_regulation')),
    number      text NOT NULL,
    title_es    text,
    title_en    text,
    issuer_id   uuid REFERENCES institutions (id),
    issued_on   date,
    status      text NOT NULL DEFAULT 'in_force' CHECK (status IN ('in_force', 'repealed', 'draft')),
    url         text,
    notes       text,
    demo        boolean NOT NULL DEFAULT false,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT legal_instruments_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL)
);
ALTER TABLE legal_instruments ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code || ' ' || number || ' ' || coalesce(title_es, '') || ' ' || coalesce(title_en, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '')))
) STORED;
CREATE INDEX legal_instruments_search_idx ON legal_instruments USING gin (search);
CREATE INDEX legal_instruments_type_idx ON legal_instruments (type, code);
CREATE INDEX legal_instruments_status_idx ON legal_instruments (status, code);
CREATE INDEX legal_instruments_issuer_idx ON legal_instruments (issuer_id);
CREATE INDEX legal_instruments_issued_idx ON legal_instruments (issued_on, id);
CREATE INDEX legal_instruments_created_idx ON legal_instruments (created_at, id);

CREATE TABLE functions (
    id                   uuid PRIMARY KEY,
    code                 text NOT NULL CONSTRAINT functions_code_key UNIQUE,
    title_es             text,
    title_en             text,
    description_es       text,
    description_en       text,
    category             text NOT NULL CHECK (category IN ('policy', 'assistance', 'protection', 'engagement',
                             'data_research', 'coordination', 'services', 'communication_culture')),
    status               text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'proposed', 'retired')),
    tags                 text[] NOT NULL DEFAULT '{}',
    owner_institution_id uuid REFERENCES institutions (id),
    demo                 boolean NOT NULL DEFAULT false,
    version              bigint NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    archived_at          timestamptz,
    CONSTRAINT functions_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL)
);
ALTER TABLE functions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code || ' ' || coalesce(title_es, '') || ' ' || coalesce(title_en, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '') || ' ' || coalesce(description_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '') || ' ' || coalesce(description_en, '')))
) STORED;
CREATE INDEX functions_search_idx ON functions USING gin (search);
CREATE INDEX functions_tags_idx ON functions USING gin (tags);
CREATE INDEX functions_category_idx ON functions (category, code);
CREATE INDEX functions_status_idx ON functions (status, code);
CREATE INDEX functions_owner_idx ON functions (owner_institution_id);
CREATE INDEX functions_created_idx ON functions (created_at, id);
CREATE INDEX functions_updated_idx ON functions (updated_at, id);

-- A function's legal bases, in the order given.
CREATE TABLE function_legal_bases (
    function_id   uuid NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    instrument_id uuid NOT NULL REFERENCES legal_instruments (id),
    article       text,
    PRIMARY KEY (function_id, position)
);
CREATE INDEX function_legal_bases_instrument_idx ON function_legal_bases (instrument_id);

CREATE TABLE mandate_scenarios (
    id             uuid PRIMARY KEY,
    code           text NOT NULL CONSTRAINT mandate_scenarios_code_key UNIQUE,
    name_es        text,
    name_en        text,
    description_es text,
    description_en text,
    kind           text NOT NULL CHECK (kind IN ('as_is', 'proposed')),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'adopted')),
    copied_from_id uuid REFERENCES mandate_scenarios (id),
    adopted_at     timestamptz,
    adopted_by     text,
    demo           boolean NOT NULL DEFAULT false,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    CONSTRAINT mandate_scenarios_name_present CHECK (name_es IS NOT NULL OR name_en IS NOT NULL),
    CONSTRAINT mandate_scenarios_adoption CHECK ((status = 'adopted') = (adopted_at IS NOT NULL))
);
CREATE INDEX mandate_scenarios_kind_idx ON mandate_scenarios (kind, code);
CREATE INDEX mandate_scenarios_status_idx ON mandate_scenarios (status, code);

CREATE TABLE mandate_assignments (
    id             uuid PRIMARY KEY,
    scenario_id    uuid NOT NULL REFERENCES mandate_scenarios (id),
    function_id    uuid NOT NULL REFERENCES functions (id),
    institution_id uuid NOT NULL REFERENCES institutions (id),
    role           text NOT NULL CHECK (role IN ('responsible', 'accountable', 'consulted', 'informed')),
    basis          text NOT NULL CHECK (basis IN ('de_jure', 'de_facto')),
    instrument_id  uuid REFERENCES legal_instruments (id),
    article        text,
    evidence       text,
    notes          text,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    CONSTRAINT mandate_assignments_de_jure_cites CHECK (basis <> 'de_jure' OR instrument_id IS NOT NULL)
);
-- One role per unit and function, and one accountable unit per function, among active rows.
CREATE UNIQUE INDEX mandate_assignments_cell_key ON mandate_assignments (scenario_id, function_id, institution_id)
    WHERE archived_at IS NULL;
CREATE UNIQUE INDEX mandate_assignments_accountable_key ON mandate_assignments (scenario_id, function_id)
    WHERE role = 'accountable' AND archived_at IS NULL;
CREATE INDEX mandate_assignments_unit_idx ON mandate_assignments (scenario_id, institution_id) WHERE archived_at IS NULL;
CREATE INDEX mandate_assignments_list_idx ON mandate_assignments (scenario_id, created_at, id);
CREATE INDEX mandate_assignments_function_idx ON mandate_assignments (function_id);
CREATE INDEX mandate_assignments_instrument_idx ON mandate_assignments (instrument_id);

-- +goose Down
DROP TABLE mandate_assignments;
DROP TABLE mandate_scenarios;
DROP TABLE function_legal_bases;
DROP TABLE functions;
DROP TABLE legal_instruments;
DROP FUNCTION uuid_v7();
