package stocktake

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
)

// ObservationImport describes observations to the importer: matched on their dimensions (key
// "code") or id, checked with ObservationFields.Validate, their indicator and source checked
// set-based, owned by their source's publisher.
func ObservationImport() *imports.Resource {
	return &imports.Resource{
		Name: "observations", Create: "ObservationCreate", Represent: "Observation",
		WriteScope: auth.ScopeStocktakeWrite, Table: "observations",
		Keys: map[string][]string{
			"code": {"indicator_id", "source_id", "period_start", "period_end", "place_kind", "place_code", "sex", "age_group"},
			"id":   {"id"},
		},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "indicator_id", Type: "uuid"}, {Name: "source_id", Type: "uuid"},
			{Name: "period", Type: "text"}, {Name: "period_start", Type: "date"}, {Name: "period_end", Type: "date"},
			{Name: "place_kind", Type: "text"}, {Name: "place_code", Type: "text"}, {Name: "sex", Type: "text"},
			{Name: "age_group", Type: "text"}, {Name: "value", Type: "double precision"}, {Name: "status", Type: "text"},
			{Name: "flags", Type: "text[]"}, {Name: "note", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.ObservationCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := observationFromAPI(in)
			f.defaults()
			start, end, err := f.Validate()
			if err != nil {
				return nil, err
			}
			kind, code := f.place()
			return []any{uuid.Must(uuid.NewV7()), f.IndicatorID, f.SourceID, f.Period, start, end, kind, code, f.Sex,
				f.AgeGroup, f.Value, f.Status, f.Flags, f.Note, f.Demo}, nil
		},
		Checks: []imports.Check{
			imports.RefCheck("indicator_id", "indicator_id", "indicators", "indicator"),
			imports.RefCheck("source_id", "source_id", "data_sources", "data source"),
			{Field: "value", SQL: `
SELECT s.line, 'must not be negative for a ' || i.measure || ' indicator'
FROM %[1]s s JOIN indicators i ON i.id = s.indicator_id
WHERE s.value < 0 AND i.measure IN ('stock', 'count')`},
		},
		Owner: `(SELECT publisher_id FROM data_sources WHERE id = %[1]s.source_id)`,
	}
}
