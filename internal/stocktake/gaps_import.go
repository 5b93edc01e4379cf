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

// GapImport describes data gaps to the importer: matched on their code or id, checked with
// GapFields.Validate (a missing status is "open", as on create), their indicators and sources
// checked set-based as gapCheckReferences checks them. Gaps concern the whole stocktake and only
// unscoped callers write them (the service requires it), so they have no owner and editors and
// partners cannot import them.
func GapImport() *imports.Resource {
	return &imports.Resource{
		Name: "data-gaps", Create: "DataGapCreate", Represent: "DataGap",
		WriteScope: auth.ScopeStocktakeWrite, Table: "data_gaps",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "indicator_ids", Type: "uuid[]"}, {Name: "source_ids", Type: "uuid[]"},
			{Name: "countries", Type: "text[]"}, {Name: "groups", Type: "text"},
			{Name: "recommendation_es", Type: "text"}, {Name: "recommendation_en", Type: "text"},
			{Name: "priority", Type: "text"}, {Name: "status", Type: "text"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.DataGapCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := gapFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			var r gapRow
			r.set(f) // the service's own mapping: the status defaults to open, lists are never nil
			return []any{uuid.Must(uuid.NewV7()), r.Code, r.DescriptionES, r.DescriptionEN,
				append([]uuid.UUID{}, f.IndicatorIDs...), append([]uuid.UUID{}, f.SourceIDs...), []string(r.Countries),
				r.Groups, r.RecommendationES, r.RecommendationEN, r.Priority, r.Status, f.Demo}, nil
		},
		// Archived indicators and sources stay referable (archiving keeps what refers to them):
		// only ids with no row are refused.
		Checks: []imports.Check{
			gapRefCheck("indicator_ids", "indicators", "indicator"),
			gapRefCheck("source_ids", "data_sources", "data source"),
		},
		Translate: func(err error) (string, string, bool) {
			return importField((&GapService{}).translate(err, GapFields{}))
		},
	}
}

// gapRefCheck refuses rows whose uuid[] column names an id with no row in table, archived or
// not, as gapCheckReferences does.
func gapRefCheck(column, table, what string) imports.Check {
	return imports.Check{Field: column, SQL: `
SELECT s.line, 'no such ` + what + `: ' || u.ref
FROM %[1]s s CROSS JOIN LATERAL unnest(s.` + column + `) AS u(ref)
WHERE NOT EXISTS (SELECT 1 FROM ` + table + ` r WHERE r.id = u.ref)`}
}
