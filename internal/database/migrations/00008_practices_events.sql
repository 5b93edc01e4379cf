-- +goose Up
-- The practice library: what peer institutions did, searchable in Spanish and English with
-- accents ignored, faceted, and moved through an editorial workflow.
CREATE TABLE practices (
    id                      uuid PRIMARY KEY,
    code                    text NOT NULL CONSTRAINT practices_code_key UNIQUE,
    title_es                text,
    title_en                text,
    summary_es              text,
    summary_en              text,
    description_es          text,
    description_en          text,
    scope                   text NOT NULL CHECK (scope IN ('national', 'regional', 'global')),
    country                 text,
    institution_id          uuid REFERENCES institutions (id),
    partner_ids             uuid[] NOT NULL DEFAULT '{}',
    type                    text NOT NULL CHECK (type IN ('institutional_framework', 'consultation_mechanism',
                                'diaspora_mapping', 'service_offer', 'engagement_programme', 'legal_framework', 'data_system',
                                'remittance_investment_channel', 'return_reintegration', 'cultural_promotion')),
    themes                  text[] NOT NULL DEFAULT '{}',
    migof                   text[] NOT NULL DEFAULT '{}',
    gcm_objectives          smallint[] NOT NULL DEFAULT '{}',
    sdg_targets             text[] NOT NULL DEFAULT '{}',
    period_start            date,
    period_end              date,
    target_population_es    text,
    target_population_en    text,
    outcomes_es             text,
    outcomes_en             text,
    lessons_learned_es      text,
    lessons_learned_en      text,
    recommendations_es      text,
    recommendations_en      text,
    transferability         text CHECK (transferability IN ('high', 'medium', 'low')),
    transferability_rationale_es text,
    transferability_rationale_en text,
    sources                 jsonb NOT NULL DEFAULT '[]',
    status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'validated', 'published')),
    review_comment          text,
    demo                    boolean NOT NULL DEFAULT false,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    archived_at             timestamptz,
    CONSTRAINT practices_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT practices_national_country CHECK ((scope = 'national') = (country IS NOT NULL)),
    CONSTRAINT practices_period_order CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start),
    CONSTRAINT practices_gcm_range CHECK (gcm_objectives <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23]::smallint[])
);
-- Weighted: a word in the title counts more than one in the summary, which counts more than one
-- in the description or the lessons.
ALTER TABLE practices ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(title_es, ''))), 'A')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(title_en, ''))), 'A')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(summary_es, ''))), 'B')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(summary_en, ''))), 'B')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(description_es, '') || ' ' || coalesce(lessons_learned_es, ''))), 'C')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(description_en, '') || ' ' || coalesce(lessons_learned_en, ''))), 'C')
) STORED;
CREATE INDEX practices_search_idx ON practices USING gin (search);
-- Keep the search vector inline: a search reads the vector of every match to rank it, and
-- fetching each from TOAST was most of a 9,000-match search's time (37k extra page reads).
ALTER TABLE practices SET (toast_tuple_target = 8160);
CREATE INDEX practices_themes_idx ON practices USING gin (themes);
CREATE INDEX practices_migof_idx ON practices USING gin (migof);
CREATE INDEX practices_gcm_idx ON practices USING gin (gcm_objectives);
CREATE INDEX practices_sdg_idx ON practices USING gin (sdg_targets);
CREATE INDEX practices_partners_idx ON practices USING gin (partner_ids);
CREATE INDEX practices_country_idx ON practices (country, code);
CREATE INDEX practices_type_idx ON practices (type, code);
CREATE INDEX practices_status_idx ON practices (status, code);
CREATE INDEX practices_scope_idx ON practices (scope, code);
CREATE INDEX practices_transferability_idx ON practices (transferability, code);
CREATE INDEX practices_institution_idx ON practices (institution_id);
CREATE INDEX practices_code_idx ON practices (code, id);
CREATE INDEX practices_created_idx ON practices (created_at, id);
CREATE INDEX practices_updated_idx ON practices (updated_at, id);

-- The editorial history of a practice, one row per transition.
CREATE TABLE practice_transitions (
    id           uuid PRIMARY KEY,
    practice_id  uuid NOT NULL REFERENCES practices (id),
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    comment      text,
    actor_label  text NOT NULL,
    occurred_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX practice_transitions_practice_idx ON practice_transitions (practice_id, occurred_at, id);

-- Events where knowledge was exchanged. Participants are aggregate counts (a JSON document the
-- contract bounds), never people.
CREATE TABLE events (
    id            uuid PRIMARY KEY,
    code          text NOT NULL CONSTRAINT events_code_key UNIQUE,
    type          text NOT NULL CHECK (type IN ('peer_learning_workshop', 'diaspora_consultation', 'co_drafting_session',
                      'presentation', 'training', 'coordination_session')),
    title_es      text,
    title_en      text,
    start_date    date NOT NULL,
    end_date      date NOT NULL,
    place         text,
    country       text,
    online        boolean NOT NULL DEFAULT false,
    organiser_id  uuid REFERENCES institutions (id),
    agenda        jsonb NOT NULL DEFAULT '[]',
    participants  jsonb,
    practice_ids  uuid[] NOT NULL DEFAULT '{}',
    outputs_es    text,
    outputs_en    text,
    notes_es      text,
    notes_en      text,
    demo          boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT events_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT events_date_order CHECK (end_date >= start_date)
);
ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code || ' ' || coalesce(place, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '') || ' ' || coalesce(notes_es, '') || ' ' || coalesce(outputs_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '') || ' ' || coalesce(notes_en, '') || ' ' || coalesce(outputs_en, '')))
) STORED;
CREATE INDEX events_search_idx ON events USING gin (search);
CREATE INDEX events_practices_idx ON events USING gin (practice_ids);
CREATE INDEX events_start_idx ON events (start_date, id);
CREATE INDEX events_end_idx ON events (end_date);
CREATE INDEX events_type_idx ON events (type, start_date);
CREATE INDEX events_organiser_idx ON events (organiser_id);
CREATE INDEX events_code_idx ON events (code, id);
CREATE INDEX events_created_idx ON events (created_at, id);

-- What the diaspora asked for at an event. support counts the people who support it (one row
-- each in consultation_input_supports), kept in the same transaction as the support.
CREATE TABLE consultation_inputs (
    id            uuid PRIMARY KEY,
    event_id      uuid NOT NULL REFERENCES events (id),
    countries     text[] NOT NULL DEFAULT '{}',
    theme         text,
    statement_es  text,
    statement_en  text,
    times_raised  integer NOT NULL DEFAULT 1 CHECK (times_raised >= 1),
    priority      text NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    support       bigint NOT NULL DEFAULT 0 CHECK (support >= 0),
    demo          boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT consultation_inputs_statement_present CHECK (statement_es IS NOT NULL OR statement_en IS NOT NULL)
);
ALTER TABLE consultation_inputs ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(coalesce(theme, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(statement_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(statement_en, '')))
) STORED;
CREATE INDEX consultation_inputs_search_idx ON consultation_inputs USING gin (search);
CREATE INDEX consultation_inputs_countries_idx ON consultation_inputs USING gin (countries);
CREATE INDEX consultation_inputs_event_idx ON consultation_inputs (event_id, created_at);
CREATE INDEX consultation_inputs_theme_idx ON consultation_inputs (theme);
CREATE INDEX consultation_inputs_support_idx ON consultation_inputs (support, id);
CREATE INDEX consultation_inputs_raised_idx ON consultation_inputs (times_raised, id);
CREATE INDEX consultation_inputs_created_idx ON consultation_inputs (created_at, id);

CREATE TABLE consultation_input_supports (
    input_id    uuid NOT NULL REFERENCES consultation_inputs (id),
    user_id     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (input_id, user_id)
);
CREATE INDEX consultation_input_supports_user_idx ON consultation_input_supports (user_id);

-- +goose Down
DROP TABLE consultation_input_supports;
DROP TABLE consultation_inputs;
DROP TABLE events;
DROP TABLE practice_transitions;
DROP TABLE practices;
