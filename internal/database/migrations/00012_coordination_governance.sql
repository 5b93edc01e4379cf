-- +goose Up
-- Coordination: bodies of coordination mechanisms (the MTIGM and bodies like it, regional round
-- tables) in a tree, who sits in them, their sessions, work plans and agreements.
CREATE TABLE coordination_bodies (
    id              uuid PRIMARY KEY,
    code            text NOT NULL CONSTRAINT coordination_bodies_code_key UNIQUE,
    name_es         text,
    name_en         text,
    kind            text NOT NULL CHECK (kind IN ('commission', 'plenary', 'presidency', 'technical_secretariat', 'working_group',
                        'sub_group', 'extended_plenary', 'support_commission', 'regional_round_table')),
    parent_id       uuid REFERENCES coordination_bodies (id),
    legal_basis_id  uuid REFERENCES legal_instruments (id),
    mandate_es      text,
    mandate_en      text,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'dissolved')),
    region          text CHECK (region ~ '^(0[1-9]|1[0-9]|2[0-5])$'),
    established_on  date,
    demo            boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CONSTRAINT coordination_bodies_name_present CHECK (name_es IS NOT NULL OR name_en IS NOT NULL),
    CONSTRAINT coordination_bodies_round_table_region CHECK (kind <> 'regional_round_table' OR region IS NOT NULL),
    CONSTRAINT coordination_bodies_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
);
ALTER TABLE coordination_bodies ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(name_es, ''))), 'A')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(name_en, ''))), 'A')
    || to_tsvector('spanish', puente_unaccent(coalesce(mandate_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(mandate_en, '')))
) STORED;
CREATE INDEX coordination_bodies_search_idx ON coordination_bodies USING gin (search);
CREATE INDEX coordination_bodies_parent_idx ON coordination_bodies (parent_id);
CREATE INDEX coordination_bodies_region_idx ON coordination_bodies (region) WHERE region IS NOT NULL;
CREATE INDEX coordination_bodies_code_idx ON coordination_bodies (code, id);
CREATE INDEX coordination_bodies_created_idx ON coordination_bodies (created_at, id);

CREATE TABLE coordination_memberships (
    id              uuid PRIMARY KEY,
    body_id         uuid NOT NULL REFERENCES coordination_bodies (id),
    institution_id  uuid NOT NULL REFERENCES institutions (id),
    role            text NOT NULL CHECK (role IN ('member', 'observer', 'president', 'technical_secretariat', 'support_commission')),
    from_date       date NOT NULL,
    to_date         date,
    notes           text,
    demo            boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CONSTRAINT coordination_memberships_key UNIQUE (body_id, institution_id, role, from_date),
    CONSTRAINT coordination_memberships_dates CHECK (to_date IS NULL OR to_date >= from_date)
);
ALTER TABLE coordination_memberships ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('spanish', puente_unaccent(coalesce(notes, '')))
    || to_tsvector('english', puente_unaccent(coalesce(notes, '')))
) STORED;
CREATE INDEX coordination_memberships_search_idx ON coordination_memberships USING gin (search);
CREATE INDEX coordination_memberships_institution_idx ON coordination_memberships (institution_id);
CREATE INDEX coordination_memberships_from_idx ON coordination_memberships (from_date, id);
CREATE INDEX coordination_memberships_created_idx ON coordination_memberships (created_at, id);

CREATE TABLE coordination_sessions (
    id                   uuid PRIMARY KEY,
    body_id              uuid NOT NULL REFERENCES coordination_bodies (id),
    kind                 text NOT NULL CHECK (kind IN ('ordinary', 'extraordinary', 'extended')),
    number               integer NOT NULL CHECK (number >= 1),
    held_on              date NOT NULL,
    place                text,
    agenda               jsonb NOT NULL DEFAULT '[]',
    -- [{institution_id, present, delegates}]: counts per institution, never names
    attendance           jsonb NOT NULL DEFAULT '[]',
    notes_es             text,
    notes_en             text,
    minutes_sha256       text REFERENCES document_blobs (sha256),
    minutes_file_name    text,
    minutes_media_type   text,
    minutes_size         bigint,
    minutes_uploaded_at  timestamptz,
    demo                 boolean NOT NULL DEFAULT false,
    version              bigint NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    archived_at          timestamptz,
    CONSTRAINT coordination_sessions_key UNIQUE (body_id, kind, number)
);
-- the agenda's titles (es and en) are searched through its JSON text
ALTER TABLE coordination_sessions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(coalesce(place, ''))))
    || to_tsvector('spanish', puente_unaccent(coalesce(notes_es, '') || ' ' || agenda::text))
    || to_tsvector('english', puente_unaccent(coalesce(notes_en, '') || ' ' || agenda::text))
) STORED;
CREATE INDEX coordination_sessions_search_idx ON coordination_sessions USING gin (search);
CREATE INDEX coordination_sessions_held_idx ON coordination_sessions (held_on, id);
CREATE INDEX coordination_sessions_body_idx ON coordination_sessions (body_id, held_on);
CREATE INDEX coordination_sessions_attendance_idx ON coordination_sessions USING gin (attendance jsonb_path_ops);
CREATE INDEX coordination_sessions_created_idx ON coordination_sessions (created_at, id);

CREATE TABLE work_plans (
    id                      uuid PRIMARY KEY,
    code                    text NOT NULL CONSTRAINT work_plans_code_key UNIQUE,
    body_id                 uuid NOT NULL REFERENCES coordination_bodies (id),
    title_es                text,
    title_en                text,
    period_start            date NOT NULL,
    period_end              date NOT NULL,
    status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'closed')),
    approved_on             date,
    approved_in_session_id  uuid REFERENCES coordination_sessions (id),
    objectives              jsonb NOT NULL DEFAULT '[]',
    activities              jsonb NOT NULL DEFAULT '[]',
    -- every institution responsible for an activity, kept with activities, for the filter
    institution_ids         uuid[] NOT NULL DEFAULT '{}',
    demo                    boolean NOT NULL DEFAULT false,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    archived_at             timestamptz,
    CONSTRAINT work_plans_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT work_plans_period CHECK (period_end >= period_start)
);
ALTER TABLE work_plans ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(title_es, ''))), 'A')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(title_en, ''))), 'A')
) STORED;
CREATE INDEX work_plans_search_idx ON work_plans USING gin (search);
CREATE INDEX work_plans_body_idx ON work_plans (body_id);
CREATE INDEX work_plans_institutions_idx ON work_plans USING gin (institution_ids);
CREATE INDEX work_plans_period_idx ON work_plans (period_start, id);
CREATE INDEX work_plans_code_idx ON work_plans (code, id);
CREATE INDEX work_plans_created_idx ON work_plans (created_at, id);

CREATE TABLE agreements (
    id                          uuid PRIMARY KEY,
    code                        text NOT NULL CONSTRAINT agreements_code_key UNIQUE,
    body_id                     uuid NOT NULL REFERENCES coordination_bodies (id),
    session_id                  uuid REFERENCES coordination_sessions (id),
    text_es                     text,
    text_en                     text,
    responsible_institution_ids uuid[] NOT NULL CHECK (cardinality(responsible_institution_ids) >= 1),
    due_on                      date,
    -- overdue is computed (not done, due_on < today), never stored
    status                      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done')),
    done_on                     date,
    demo                        boolean NOT NULL DEFAULT false,
    version                     bigint NOT NULL DEFAULT 1,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    archived_at                 timestamptz,
    CONSTRAINT agreements_text_present CHECK (text_es IS NOT NULL OR text_en IS NOT NULL),
    CONSTRAINT agreements_done_on CHECK ((status = 'done') = (done_on IS NOT NULL))
);
ALTER TABLE agreements ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || to_tsvector('spanish', puente_unaccent(coalesce(text_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(text_en, '')))
) STORED;
CREATE INDEX agreements_search_idx ON agreements USING gin (search);
CREATE INDEX agreements_responsible_idx ON agreements USING gin (responsible_institution_ids);
CREATE INDEX agreements_body_idx ON agreements (body_id, status);
CREATE INDEX agreements_session_idx ON agreements (session_id);
CREATE INDEX agreements_open_due_idx ON agreements (due_on, id) WHERE status <> 'done' AND archived_at IS NULL;
CREATE INDEX agreements_due_idx ON agreements (due_on, id);
CREATE INDEX agreements_code_idx ON agreements (code, id);
CREATE INDEX agreements_created_idx ON agreements (created_at, id);

CREATE TABLE agreement_transitions (
    id            uuid PRIMARY KEY,
    agreement_id  uuid NOT NULL REFERENCES agreements (id),
    from_status   text NOT NULL,
    to_status     text NOT NULL,
    note          text,
    actor_label   text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreement_transitions_agreement_idx ON agreement_transitions (agreement_id, at);

-- Migration Governance Indicators: the framework (data, loaded by import), assessments of a
-- country and year, their answers and findings.
CREATE TABLE mgi_indicators (
    id           uuid PRIMARY KEY,
    code         text NOT NULL CONSTRAINT mgi_indicators_code_key UNIQUE,
    domain       text NOT NULL CHECK (domain IN ('migrant_rights', 'whole_of_government', 'partnerships', 'well_being',
                     'mobility_dimensions_of_crises', 'safe_orderly_regular_migration')),
    text_es      text,
    text_en      text,
    position     integer NOT NULL DEFAULT 0,
    demo         boolean NOT NULL DEFAULT false,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz,
    CONSTRAINT mgi_indicators_text_present CHECK (text_es IS NOT NULL OR text_en IS NOT NULL)
);
ALTER TABLE mgi_indicators ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || to_tsvector('spanish', puente_unaccent(coalesce(text_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(text_en, '')))
) STORED;
CREATE INDEX mgi_indicators_search_idx ON mgi_indicators USING gin (search);
CREATE INDEX mgi_indicators_domain_idx ON mgi_indicators (domain, position);
CREATE INDEX mgi_indicators_code_idx ON mgi_indicators (code, id);
CREATE INDEX mgi_indicators_created_idx ON mgi_indicators (created_at, id);

CREATE TABLE mgi_assessments (
    id            uuid PRIMARY KEY,
    code          text NOT NULL CONSTRAINT mgi_assessments_code_key UNIQUE,
    country       text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title_es      text,
    title_en      text,
    published_on  date,
    source_id     uuid REFERENCES data_sources (id),
    conventions   jsonb NOT NULL DEFAULT '[]',
    notes_es      text,
    notes_en      text,
    demo          boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT mgi_assessments_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL)
);
ALTER TABLE mgi_assessments ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || setweight(to_tsvector('spanish', puente_unaccent(coalesce(title_es, ''))), 'A')
    || setweight(to_tsvector('english', puente_unaccent(coalesce(title_en, ''))), 'A')
    || to_tsvector('spanish', puente_unaccent(coalesce(notes_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(notes_en, '')))
) STORED;
CREATE INDEX mgi_assessments_search_idx ON mgi_assessments USING gin (search);
CREATE INDEX mgi_assessments_country_idx ON mgi_assessments (country, year);
CREATE INDEX mgi_assessments_year_idx ON mgi_assessments (year, id);
CREATE INDEX mgi_assessments_code_idx ON mgi_assessments (code, id);
CREATE INDEX mgi_assessments_created_idx ON mgi_assessments (created_at, id);

CREATE TABLE mgi_answers (
    id               uuid PRIMARY KEY,
    assessment_id    uuid NOT NULL REFERENCES mgi_assessments (id),
    indicator_id     uuid NOT NULL REFERENCES mgi_indicators (id),
    answer           text NOT NULL CHECK (answer IN ('absent', 'partial', 'complete')),
    note_es          text,
    note_en          text,
    instrument_ids   uuid[] NOT NULL DEFAULT '{}',
    institution_ids  uuid[] NOT NULL DEFAULT '{}',
    demo             boolean NOT NULL DEFAULT false,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    archived_at      timestamptz,
    CONSTRAINT mgi_answers_key UNIQUE (assessment_id, indicator_id)
);
ALTER TABLE mgi_answers ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('spanish', puente_unaccent(coalesce(note_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(note_en, '')))
) STORED;
CREATE INDEX mgi_answers_search_idx ON mgi_answers USING gin (search);
CREATE INDEX mgi_answers_indicator_idx ON mgi_answers (indicator_id);
CREATE INDEX mgi_answers_created_idx ON mgi_answers (created_at, id);

CREATE TABLE mgi_findings (
    id             uuid PRIMARY KEY,
    assessment_id  uuid NOT NULL REFERENCES mgi_assessments (id),
    code           text NOT NULL,
    domain         text NOT NULL CHECK (domain IN ('migrant_rights', 'whole_of_government', 'partnerships', 'well_being',
                       'mobility_dimensions_of_crises', 'safe_orderly_regular_migration')),
    kind           text NOT NULL CHECK (kind IN ('well_developed', 'area_for_development')),
    text_es        text,
    text_en        text,
    indicator_ids  uuid[] NOT NULL DEFAULT '{}',
    function_ids   uuid[] NOT NULL DEFAULT '{}',
    article_ids    uuid[] NOT NULL DEFAULT '{}',
    demo           boolean NOT NULL DEFAULT false,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    CONSTRAINT mgi_findings_key UNIQUE (assessment_id, code),
    CONSTRAINT mgi_findings_text_present CHECK (text_es IS NOT NULL OR text_en IS NOT NULL)
);
ALTER TABLE mgi_findings ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', puente_unaccent(lower(code))), 'A')
    || to_tsvector('spanish', puente_unaccent(coalesce(text_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(text_en, '')))
) STORED;
CREATE INDEX mgi_findings_search_idx ON mgi_findings USING gin (search);
CREATE INDEX mgi_findings_functions_idx ON mgi_findings USING gin (function_ids);
CREATE INDEX mgi_findings_articles_idx ON mgi_findings USING gin (article_ids);
CREATE INDEX mgi_findings_code_idx ON mgi_findings (code, id);
CREATE INDEX mgi_findings_created_idx ON mgi_findings (created_at, id);

-- Territory: where a service of the menu is delivered locally.
CREATE TABLE service_points (
    id           uuid PRIMARY KEY,
    service_id   uuid NOT NULL REFERENCES services (id),
    region       text NOT NULL CHECK (region ~ '^(0[1-9]|1[0-9]|2[0-5])$'),
    provider_id  uuid NOT NULL REFERENCES institutions (id),
    channel      text NOT NULL CHECK (channel IN ('consulate', 'online', 'in_person_peru', 'phone')),
    address      text,
    notes        text,
    demo         boolean NOT NULL DEFAULT false,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz,
    CONSTRAINT service_points_key UNIQUE (service_id, region, provider_id, channel)
);
ALTER TABLE service_points ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('spanish', puente_unaccent(coalesce(address, '') || ' ' || coalesce(notes, '')))
    || to_tsvector('english', puente_unaccent(coalesce(notes, '')))
) STORED;
CREATE INDEX service_points_search_idx ON service_points USING gin (search);
CREATE INDEX service_points_region_idx ON service_points (region, service_id) WHERE archived_at IS NULL;
CREATE INDEX service_points_provider_idx ON service_points (provider_id);
CREATE INDEX service_points_order_idx ON service_points (region, id);
CREATE INDEX service_points_created_idx ON service_points (created_at, id);

-- +goose Down
DROP TABLE service_points;
DROP TABLE mgi_findings;
DROP TABLE mgi_answers;
DROP TABLE mgi_assessments;
DROP TABLE mgi_indicators;
DROP TABLE agreement_transitions;
DROP TABLE agreements;
DROP TABLE work_plans;
DROP TABLE coordination_sessions;
DROP TABLE coordination_memberships;
DROP TABLE coordination_bodies;
