-- +goose Up
-- A list filtered on period_from asks for periods ending on or after a date, but lists are
-- ordered and indexed on where periods start. Knowing the longest period stored (one backward
-- probe of this index) turns the filter into a range on period_start as well: a period ending
-- on or after D started on or after D minus the longest period.
CREATE INDEX observations_period_length_idx ON observations ((period_end - period_start));

-- The coverage matrix and the report ask, per indicator, place and year, which sources have
-- data. Computed from the observations that is a pass over a quarter of a million rows per
-- indicator at a million observations; this rollup holds the answer: how many active
-- (unarchived) observations, and how many of them demo, each (indicator, place, year of the
-- period's start, source) has. Statement-level triggers keep it exact with one set-based upsert
-- per statement, so a bulk load pays one GROUP BY per batch rather than a write per row. Rows
-- whose count falls to zero stay (readers filter on observations > 0).
CREATE TABLE observation_coverage (
    indicator_id      uuid NOT NULL,
    place_kind        text NOT NULL,
    place_code        text NOT NULL,
    year              integer NOT NULL,
    source_id         uuid NOT NULL,
    observations      bigint NOT NULL,
    demo_observations bigint NOT NULL,
    PRIMARY KEY (indicator_id, place_kind, place_code, year, source_id)
);

-- +goose StatementBegin
CREATE FUNCTION observation_coverage_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each branch computes a delta per key: +1 for every row that became active, -1 for every
    -- row that stopped being active (archived, deleted, or moved to other dimensions).
    IF TG_OP = 'INSERT' THEN
        INSERT INTO observation_coverage AS c
        SELECT indicator_id, place_kind, place_code, extract(year FROM period_start)::int, source_id,
            count(*), count(*) FILTER (WHERE demo)
        FROM new_rows WHERE archived_at IS NULL
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (indicator_id, place_kind, place_code, year, source_id) DO UPDATE SET
            observations = c.observations + EXCLUDED.observations,
            demo_observations = c.demo_observations + EXCLUDED.demo_observations;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO observation_coverage AS c
        SELECT indicator_id, place_kind, place_code, extract(year FROM period_start)::int, source_id,
            -count(*), -count(*) FILTER (WHERE demo)
        FROM old_rows WHERE archived_at IS NULL
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (indicator_id, place_kind, place_code, year, source_id) DO UPDATE SET
            observations = c.observations + EXCLUDED.observations,
            demo_observations = c.demo_observations + EXCLUDED.demo_observations;
    ELSE
        INSERT INTO observation_coverage AS c
        SELECT indicator_id, place_kind, place_code, year, source_id, sum(n), coalesce(sum(n) FILTER (WHERE demo), 0)
        FROM (SELECT n.indicator_id, n.place_kind, n.place_code, extract(year FROM n.period_start)::int AS year,
                  n.source_id, n.demo, 1 AS n
              FROM new_rows n JOIN old_rows o USING (id)
              WHERE n.archived_at IS NULL AND (o.archived_at IS NOT NULL OR o.indicator_id <> n.indicator_id
                  OR o.source_id <> n.source_id OR o.place_kind <> n.place_kind OR o.place_code <> n.place_code
                  OR o.period_start <> n.period_start OR o.demo <> n.demo)
              UNION ALL
              SELECT o.indicator_id, o.place_kind, o.place_code, extract(year FROM o.period_start)::int,
                  o.source_id, o.demo, -1
              FROM old_rows o JOIN new_rows n USING (id)
              WHERE o.archived_at IS NULL AND (n.archived_at IS NOT NULL OR o.indicator_id <> n.indicator_id
                  OR o.source_id <> n.source_id OR o.place_kind <> n.place_kind OR o.place_code <> n.place_code
                  OR o.period_start <> n.period_start OR o.demo <> n.demo)) d
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(n) <> 0 OR coalesce(sum(n) FILTER (WHERE demo), 0) <> 0
        ON CONFLICT (indicator_id, place_kind, place_code, year, source_id) DO UPDATE SET
            observations = c.observations + EXCLUDED.observations,
            demo_observations = c.demo_observations + EXCLUDED.demo_observations;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER observation_coverage_insert AFTER INSERT ON observations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_apply();
CREATE TRIGGER observation_coverage_update AFTER UPDATE ON observations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_apply();
CREATE TRIGGER observation_coverage_delete AFTER DELETE ON observations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_apply();

INSERT INTO observation_coverage
SELECT indicator_id, place_kind, place_code, extract(year FROM period_start)::int, source_id,
    count(*), count(*) FILTER (WHERE demo)
FROM observations WHERE archived_at IS NULL GROUP BY 1, 2, 3, 4, 5;

-- +goose Down
DROP TRIGGER observation_coverage_delete ON observations;
DROP TRIGGER observation_coverage_update ON observations;
DROP TRIGGER observation_coverage_insert ON observations;
DROP FUNCTION observation_coverage_apply();
DROP TABLE observation_coverage;
DROP INDEX observations_period_length_idx;
