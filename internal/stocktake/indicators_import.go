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

// IndicatorImport describes indicators to the importer: matched on their code or id, checked
// with IndicatorFields.Validate. Indicators are a shared vocabulary that only unscoped callers
// write (the service requires it), so they have no owner and editors and partners cannot import
// them.
func IndicatorImport() *imports.Resource {
	return &imports.Resource{
		Name: "indicators", Create: "IndicatorCreate", Represent: "Indicator",
		WriteScope: auth.ScopeStocktakeWrite, Table: "indicators",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "name_es", Type: "text"},
			{Name: "name_en", Type: "text"}, {Name: "unit", Type: "text"}, {Name: "definition_es", Type: "text"},
			{Name: "definition_en", Type: "text"}, {Name: "measure", Type: "text"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.IndicatorCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := indicatorFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			var r indicatorRow
			r.set(f)
			return []any{uuid.Must(uuid.NewV7()), r.Code, r.NameES, r.NameEN, r.Unit, r.DefinitionES, r.DefinitionEN,
				r.Measure, f.Demo}, nil
		},
		Translate: func(err error) (string, string, bool) {
			return importField((&IndicatorService{}).translate(err, IndicatorFields{}))
		},
	}
}
