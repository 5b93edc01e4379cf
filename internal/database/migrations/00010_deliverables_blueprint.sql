-- +goose Up
-- The action plan: the action, its expected results with their indicators, its activities.
CREATE TABLE actions (
    id                    uuid PRIMARY KEY,
    code                  text NOT NULL CONSTRAINT actions_code_key UNIQUE,
    title_es              text,
    title_en              text,
    beneficiary_id        uuid REFERENCES institutions (id),
    start_date            date NOT NULL,
    end_date              date NOT NULL,
    general_objective_es  text,
    general_objective_en  text,
    specific_objectives   jsonb NOT NULL DEFAULT '[]',
    demo                  boolean NOT NULL DEFAULT false,
    version               bigint NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    archived_at           timestamptz,
    CONSTRAINT actions_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT actions_date_order CHECK (end_date >= start_date)
);
ALTER TABLE actions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code)))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '') || ' ' || coalesce(general_objective_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '') || ' ' || coalesce(general_objective_en, '')))
) STORED;
CREATE INDEX actions_search_idx ON actions USING gin (search);
CREATE INDEX actions_start_idx ON actions (start_date, id);
CREATE INDEX actions_code_idx ON actions (code, id);
CREATE INDEX actions_created_idx ON actions (created_at, id);
CREATE INDEX actions_beneficiary_idx ON actions (beneficiary_id);

CREATE TABLE results (
    id            uuid PRIMARY KEY,
    action_id     uuid NOT NULL REFERENCES actions (id),
    code          text NOT NULL,
    statement_es  text,
    statement_en  text,
    indicators    jsonb NOT NULL DEFAULT '[]',
    demo          boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT results_code_key UNIQUE (action_id, code),
    CONSTRAINT results_statement_present CHECK (statement_es IS NOT NULL OR statement_en IS NOT NULL)
);
CREATE INDEX results_code_idx ON results (code, id);
CREATE INDEX results_created_idx ON results (created_at, id);

CREATE TABLE activities (
    id               uuid PRIMARY KEY,
    action_id        uuid NOT NULL REFERENCES actions (id),
    code             text NOT NULL,
    type             text NOT NULL CHECK (type IN ('needs_assessment', 'data_compilation', 'practice_review', 'peer_learning_workshop',
                         'diaspora_consultation', 'co_drafting', 'presentation', 'coordination', 'other')),
    title_es         text,
    title_en         text,
    description_es   text,
    description_en   text,
    start_date       date NOT NULL,
    end_date         date NOT NULL,
    status           text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    progress         smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    event_ids        uuid[] NOT NULL DEFAULT '{}',
    deliverable_ids  uuid[] NOT NULL DEFAULT '{}',
    demo             boolean NOT NULL DEFAULT false,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    archived_at      timestamptz,
    CONSTRAINT activities_code_key UNIQUE (action_id, code),
    CONSTRAINT activities_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL),
    CONSTRAINT activities_date_order CHECK (end_date >= start_date)
);
CREATE INDEX activities_start_idx ON activities (start_date, id);
CREATE INDEX activities_end_idx ON activities (end_date);
CREATE INDEX activities_action_idx ON activities (action_id, start_date);
CREATE INDEX activities_type_idx ON activities (type, start_date);
CREATE INDEX activities_status_idx ON activities (status, start_date);
CREATE INDEX activities_code_idx ON activities (code, id);
CREATE INDEX activities_created_idx ON activities (created_at, id);
CREATE INDEX activities_events_idx ON activities USING gin (event_ids);
CREATE INDEX activities_deliverables_idx ON activities USING gin (deliverable_ids);

-- Deliverables and their workflow, reviews and document versions.
CREATE TABLE deliverables (
    id              uuid PRIMARY KEY,
    action_id       uuid REFERENCES actions (id),
    code            text NOT NULL CONSTRAINT deliverables_code_key UNIQUE,
    type            text NOT NULL CHECK (type IN ('blueprint', 'needs_assessment_report', 'stocktaking_report', 'practices_report',
                        'event_report', 'menu_of_services', 'other')),
    title_es        text,
    title_en        text,
    description_es  text,
    description_en  text,
    owner_unit_id   uuid REFERENCES institutions (id),
    due_date        date,
    status          text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'in_review', 'changes_requested',
                        'approved', 'published')),
    function_ids    uuid[] NOT NULL DEFAULT '{}',
    practice_ids    uuid[] NOT NULL DEFAULT '{}',
    event_ids       uuid[] NOT NULL DEFAULT '{}',
    gap_ids         uuid[] NOT NULL DEFAULT '{}',
    demo            boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CONSTRAINT deliverables_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL)
);
ALTER TABLE deliverables ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(code)))
    || to_tsvector('spanish', puente_unaccent(coalesce(title_es, '') || ' ' || coalesce(description_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(title_en, '') || ' ' || coalesce(description_en, '')))
) STORED;
CREATE INDEX deliverables_search_idx ON deliverables USING gin (search);
CREATE INDEX deliverables_due_idx ON deliverables (due_date, id);
CREATE INDEX deliverables_action_idx ON deliverables (action_id, due_date);
CREATE INDEX deliverables_status_idx ON deliverables (status, due_date);
CREATE INDEX deliverables_type_idx ON deliverables (type, due_date);
CREATE INDEX deliverables_owner_idx ON deliverables (owner_unit_id);
CREATE INDEX deliverables_code_idx ON deliverables (code, id);
CREATE INDEX deliverables_created_idx ON deliverables (created_at, id);
CREATE INDEX deliverables_functions_idx ON deliverables USING gin (function_ids);
CREATE INDEX deliverables_practices_idx ON deliverables USING gin (practice_ids);
CREATE INDEX deliverables_gaps_idx ON deliverables USING gin (gap_ids);

CREATE TABLE deliverable_transitions (
    id              uuid PRIMARY KEY,
    deliverable_id  uuid NOT NULL REFERENCES deliverables (id),
    from_status     text NOT NULL,
    to_status       text NOT NULL,
    comment         text,
    review_id       uuid,
    actor_label     text NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX deliverable_transitions_deliverable_idx ON deliverable_transitions (deliverable_id, occurred_at, id);

-- The bytes of uploaded documents, content-addressed by SHA-256 (the PostgreSQL storage backend;
-- another store keeps the same keys). EXTERNAL storage: uncompressed out-of-line TOAST, so a
-- range read fetches only the chunks it needs.
CREATE TABLE document_blobs (
    sha256   text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size     bigint NOT NULL,
    content  bytea NOT NULL
);
ALTER TABLE document_blobs ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TABLE document_versions (
    id              uuid PRIMARY KEY,
    deliverable_id  uuid NOT NULL REFERENCES deliverables (id),
    number          integer NOT NULL,
    filename        text NOT NULL,
    media_type      text NOT NULL,
    size            bigint NOT NULL,
    sha256          text NOT NULL,
    note            text,
    uploaded_by     text NOT NULL,
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_versions_number_key UNIQUE (deliverable_id, number)
);

CREATE TABLE deliverable_reviews (
    id              uuid PRIMARY KEY,
    deliverable_id  uuid NOT NULL REFERENCES deliverables (id),
    reviewer        text NOT NULL,
    verdict         text NOT NULL CHECK (verdict IN ('approve', 'changes_requested', 'comment')),
    comments        text NOT NULL,
    version_id      uuid REFERENCES document_versions (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliverable_reviews_deliverable_idx ON deliverable_reviews (deliverable_id, created_at);

-- The blueprint: a structured document of chapters and articles with stable ids.
CREATE TABLE blueprints (
    id              uuid PRIMARY KEY,
    code            text NOT NULL CONSTRAINT blueprints_code_key UNIQUE,
    title_es        text,
    title_en        text,
    deliverable_id  uuid REFERENCES deliverables (id),
    demo            boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CONSTRAINT blueprints_title_present CHECK (title_es IS NOT NULL OR title_en IS NOT NULL)
);
CREATE INDEX blueprints_code_idx ON blueprints (code, id);
CREATE INDEX blueprints_created_idx ON blueprints (created_at, id);
CREATE INDEX blueprints_deliverable_idx ON blueprints (deliverable_id);

CREATE TABLE blueprint_chapters (
    id            uuid PRIMARY KEY,
    blueprint_id  uuid NOT NULL REFERENCES blueprints (id),
    number        text NOT NULL,
    heading_es    text,
    heading_en    text,
    position      integer NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT blueprint_chapters_heading_present CHECK (heading_es IS NOT NULL OR heading_en IS NOT NULL)
);
CREATE INDEX blueprint_chapters_order_idx ON blueprint_chapters (blueprint_id, position, id);

CREATE TABLE blueprint_articles (
    id            uuid PRIMARY KEY,
    blueprint_id  uuid NOT NULL REFERENCES blueprints (id),
    chapter_id    uuid NOT NULL REFERENCES blueprint_chapters (id),
    number        text NOT NULL,
    heading_es    text,
    heading_en    text,
    text_es       text,
    text_en       text,
    position      integer NOT NULL,
    function_ids  uuid[] NOT NULL DEFAULT '{}',
    unit_ids      uuid[] NOT NULL DEFAULT '{}',
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz,
    CONSTRAINT blueprint_articles_text_present CHECK (text_es IS NOT NULL OR text_en IS NOT NULL)
);
ALTER TABLE blueprint_articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', puente_unaccent(lower(number)))
    || to_tsvector('spanish', puente_unaccent(coalesce(heading_es, '') || ' ' || coalesce(text_es, '')))
    || to_tsvector('english', puente_unaccent(coalesce(heading_en, '') || ' ' || coalesce(text_en, '')))
) STORED;
CREATE INDEX blueprint_articles_search_idx ON blueprint_articles USING gin (search);
CREATE INDEX blueprint_articles_order_idx ON blueprint_articles (chapter_id, position, id);
CREATE INDEX blueprint_articles_blueprint_idx ON blueprint_articles (blueprint_id);
CREATE INDEX blueprint_articles_functions_idx ON blueprint_articles USING gin (function_ids);
CREATE INDEX blueprint_articles_units_idx ON blueprint_articles USING gin (unit_ids);

CREATE TABLE blueprint_comments (
    id            uuid PRIMARY KEY,
    article_id    uuid NOT NULL REFERENCES blueprint_articles (id),
    parent_id     uuid REFERENCES blueprint_comments (id),
    event_id      uuid REFERENCES events (id),
    author_id     text NOT NULL,
    author        text NOT NULL,
    body          text NOT NULL,
    resolved      boolean NOT NULL DEFAULT false,
    resolved_by   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blueprint_comments_article_idx ON blueprint_comments (article_id, created_at, id);

CREATE TABLE blueprint_suggestions (
    id                uuid PRIMARY KEY,
    article_id        uuid NOT NULL REFERENCES blueprint_articles (id),
    author_id         text NOT NULL,
    author            text NOT NULL,
    heading_es        text,
    heading_en        text,
    text_es           text,
    text_en           text,
    rationale         text,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    base_version      bigint NOT NULL,
    decided_by        text,
    decided_at        timestamptz,
    decision_comment  text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blueprint_suggestions_article_idx ON blueprint_suggestions (article_id, created_at DESC);

-- A frozen version holds the whole text as it was (chapters with their articles, in order), so
-- it never changes whatever happens to the current text.
CREATE TABLE blueprint_versions (
    id            uuid PRIMARY KEY,
    blueprint_id  uuid NOT NULL REFERENCES blueprints (id),
    number        integer NOT NULL,
    name          text NOT NULL,
    note          text,
    frozen_by     text NOT NULL,
    frozen_at     timestamptz NOT NULL DEFAULT now(),
    articles      integer NOT NULL,
    content       jsonb NOT NULL,
    CONSTRAINT blueprint_versions_number_key UNIQUE (blueprint_id, number)
);

-- +goose Down
DROP TABLE blueprint_versions;
DROP TABLE blueprint_suggestions;
DROP TABLE blueprint_comments;
DROP TABLE blueprint_articles;
DROP TABLE blueprint_chapters;
DROP TABLE blueprints;
DROP TABLE deliverable_reviews;
DROP TABLE document_versions;
DROP TABLE document_blobs;
DROP TABLE deliverable_transitions;
DROP TABLE deliverables;
DROP TABLE activities;
DROP TABLE results;
DROP TABLE actions;
