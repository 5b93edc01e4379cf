-- +goose Up
-- A world-level place: figures such as "3.3 million Peruvians abroad" are totals over every
-- country of residence, not a country's. Its place code is empty, so the dimensions key still
-- makes it unique.
ALTER TABLE observations DROP CONSTRAINT observations_place_kind_check;
ALTER TABLE observations ADD CONSTRAINT observations_place_kind_check CHECK (place_kind IN ('country', 'region', 'world'));
ALTER TABLE observations ADD CONSTRAINT observations_place_code_shape CHECK (
    (place_kind = 'world' AND place_code = '')
    OR (place_kind = 'country' AND place_code ~ '^[A-Z]{2}$')
    OR (place_kind = 'region' AND place_code ~ '^[0-9]{2}$'));

-- The coverage matrix reads (indicator, place, year, source) of every active observation of an
-- indicator: an index-only scan of this index, without visiting the table.
CREATE INDEX observations_coverage_idx ON observations (indicator_id, place_kind, place_code, period_start)
    INCLUDE (source_id) WHERE archived_at IS NULL;

-- +goose Down
DROP INDEX observations_coverage_idx;
DELETE FROM observations WHERE place_kind = 'world';
ALTER TABLE observations DROP CONSTRAINT observations_place_code_shape;
ALTER TABLE observations DROP CONSTRAINT observations_place_kind_check;
ALTER TABLE observations ADD CONSTRAINT observations_place_kind_check CHECK (place_kind IN ('country', 'region'));
