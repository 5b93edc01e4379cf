-- +goose Up
-- The statistics store scripted loads fill: expect millions of rows. An observation is unique on
-- its dimensions (an upsert key), and every list filter leads an index.
CREATE TABLE observations (
    id           uuid PRIMARY KEY,
    indicator_id uuid NOT NULL REFERENCES indicators (id),
    source_id    uuid NOT NULL REFERENCES data_sources (id),
    period       text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    place_kind   text NOT NULL CHECK (place_kind IN ('country', 'region')),
    place_code   text NOT NULL,
    sex          text NOT NULL DEFAULT 'total' CHECK (sex IN ('female', 'male', 'total')),
    age_group    text NOT NULL DEFAULT 'total',
    value        double precision NOT NULL,
    status       text NOT NULL DEFAULT 'estimate' CHECK (status IN ('estimate', 'provisional', 'final')),
    flags        text[] NOT NULL DEFAULT '{}',
    note         text,
    demo         boolean NOT NULL DEFAULT false,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz,
    CONSTRAINT observations_period_order CHECK (period_end >= period_start),
    CONSTRAINT observations_dimensions_key UNIQUE (indicator_id, source_id, period_start, period_end, place_kind, place_code, sex, age_group)
);
CREATE INDEX observations_period_idx ON observations (period_start, id);
CREATE INDEX observations_indicator_period_idx ON observations (indicator_id, period_start, id);
CREATE INDEX observations_place_idx ON observations (place_kind, place_code, period_start);
CREATE INDEX observations_source_idx ON observations (source_id, period_start);
CREATE INDEX observations_created_idx ON observations (created_at, id);

CREATE TABLE data_gaps (
    id             uuid PRIMARY KEY,
    code           text NOT NULL CONSTRAINT data_gaps_code_key UNIQUE,
    description_es text,
    description_en text,
    indicator_ids  uuid[] NOT NULL DEFAULT '{}',
    source_ids     uuid[] NOT NULL DEFAULT '{}',
    countries      text[] NOT NULL DEFAULT '{}',
    groups         text,
    recommendation_es text,
    recommendation_en text,
    priority       text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'being_addressed', 'closed')),
    demo           boolean NOT NULL DEFAULT false,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    CONSTRAINT data_gaps_description_present CHECK (description_es IS NOT NULL OR description_en IS NOT NULL)
);
ALTER TABLE data_gaps ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code)))
    || to_tsvector('spanish', puente_unaccent(coalesce(description_es, '') || ' ' || coalesce(recommendation_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(description_en, '') || ' ' || coalesce(recommendation_en, '')))
) STORED;
CREATE INDEX data_gaps_search_idx ON data_gaps USING gin (search);
CREATE INDEX data_gaps_indicators_idx ON data_gaps USING gin (indicator_ids);
CREATE INDEX data_gaps_sources_idx ON data_gaps USING gin (source_ids);
CREATE INDEX data_gaps_countries_idx ON data_gaps USING gin (countries);
CREATE INDEX data_gaps_priority_idx ON data_gaps (priority, code);
CREATE INDEX data_gaps_status_idx ON data_gaps (status, code);
CREATE INDEX data_gaps_created_idx ON data_gaps (created_at, id);
CREATE INDEX data_gaps_updated_idx ON data_gaps (updated_at, id);

-- +goose Down
DROP TABLE data_gaps;
DROP TABLE observations;
