-- +goose Up
CREATE TABLE data_sources (
    id                    uuid PRIMARY KEY,
    code                  text NOT NULL CONSTRAINT data_sources_code_key UNIQUE,
    title_es              text,
    title_en              text,
    description_es        text,
    description_en        text,
    publisher_id          uuid REFERENCES institutions (id),
    type                  text NOT NULL CHECK (type IN ('census', 'household_survey', 'administrative_register',
                              'consular_register', 'international_estimate', 'study')),
    coverage_start        date,
    coverage_end          date,
    spatial_coverage      text[] NOT NULL DEFAULT '{}',
    periodicity           text CHECK (periodicity IN ('one_off', 'continuous', 'monthly', 'quarterly', 'annual', 'biennial', 'irregular')),
    disaggregations       text[] NOT NULL DEFAULT '{}',
    access                text NOT NULL CHECK (access IN ('public', 'on_request', 'restricted')),
    licence               text,
    format                text,
    landing_url           text,
    last_updated          date,
    contact_name          text,
    contact_email         text,
    timeliness_score      smallint CHECK (timeliness_score BETWEEN 1 AND 5),
    timeliness_note       text,
    completeness_score    smallint CHECK (completeness_score BETWEEN 1 AND 5),
    completeness_note     text,
    comparability_score   smallint CHECK (comparability_score BETWEEN 1 AND 5),
    comparability_note    text,
    assessed_by           text,
    assessed_on           date,
    caveats               text[] NOT NULL DEFAULT '{}',
    demo                  boolean NOT NULL DEFAULT false,
    version               bigint NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    archived_at           timestamptz,
    CONSTRAINT data_sources_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT data_sources_coverage_order CHECK (coverage_end IS NULL OR coverage_start IS NULL OR coverage_end >= coverage_start),
    -- A quality assessment is all three scores or none.
    CONSTRAINT data_sources_quality_whole CHECK ((timeliness_score IS NULL) = (completeness_score IS NULL)
        AND (completeness_score IS NULL) = (comparability_score IS NULL))
);
ALTER TABLE data_sources ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code || ' ' || coalesce(title_es, '') || ' ' || coalesce(title_en, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '') || ' ' || coalesce(description_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '') || ' ' || coalesce(description_en, '')))
) STORED;
CREATE INDEX data_sources_search_idx ON data_sources USING gin (search);
CREATE INDEX data_sources_coverage_idx ON data_sources USING gin (spatial_coverage);
CREATE INDEX data_sources_disaggregations_idx ON data_sources USING gin (disaggregations);
CREATE INDEX data_sources_caveats_idx ON data_sources USING gin (caveats);
CREATE INDEX data_sources_type_idx ON data_sources (type, code);
CREATE INDEX data_sources_access_idx ON data_sources (access, code);
CREATE INDEX data_sources_publisher_idx ON data_sources (publisher_id);
CREATE INDEX data_sources_created_idx ON data_sources (created_at, id);
CREATE INDEX data_sources_updated_idx ON data_sources (updated_at, id);

CREATE TABLE indicators (
    id            uuid PRIMARY KEY,
    code          text NOT NULL CONSTRAINT indicators_code_key UNIQUE,
    name_es       text,
    name_en       text,
    unit          text NOT NULL,
    definition_es text,
    definition_en text,
    measure       text NOT NULL CHECK (measure IN ('stock', 'flow', 'money', 'count')),
    demo          boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT indicators_name_present CHECK (name_es IS NOT NULL OR name_en IS NOT NULL)
);
ALTER TABLE indicators ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code || ' ' || coalesce(name_es, '') || ' ' || coalesce(name_en, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(name_es, '') || ' ' || coalesce(definition_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(name_en, '') || ' ' || coalesce(definition_en, '')))
) STORED;
CREATE INDEX indicators_search_idx ON indicators USING gin (search);
CREATE INDEX indicators_measure_idx ON indicators (measure, code);
CREATE INDEX indicators_created_idx ON indicators (created_at, id);

-- +goose Down
DROP TABLE indicators;
DROP TABLE data_sources;
