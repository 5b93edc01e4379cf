-- +goose Up
-- order_by=issued_on sorts undated instruments first via coalesce; index that expression so the
-- keyset paging it drives stays an index scan.
CREATE INDEX legal_instruments_issued_order_idx ON legal_instruments ((coalesce(issued_on, DATE '0001-01-01')), id);
DROP INDEX legal_instruments_issued_idx;
CREATE INDEX legal_instruments_issued_idx ON legal_instruments (issued_on);

-- +goose Down
DROP INDEX legal_instruments_issued_order_idx;
DROP INDEX legal_instruments_issued_idx;
CREATE INDEX legal_instruments_issued_idx ON legal_instruments (issued_on, id);
