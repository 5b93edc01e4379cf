package mandates

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports"
)

// InstrumentImport describes legal instruments to the importer: matched on their code (or id),
// checked with InstrumentFields.Validate and their issuer checked set-based. Like
// InstrumentService, it lets only unscoped callers write them (no Owner).
func InstrumentImport() *imports.Resource {
	return &imports.Resource{
		Name: "legal-instruments", Create: "LegalInstrumentCreate", Represent: "LegalInstrument",
		WriteScope: auth.ScopeMandatesWrite, Table: "legal_instruments",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "type", Type: "text"},
			{Name: "number", Type: "text"}, {Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "issuer_id", Type: "uuid"}, {Name: "issued_on", Type: "date"}, {Name: "status", Type: "text"},
			{Name: "url", Type: "text"}, {Name: "notes", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.LegalInstrumentCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := instrumentFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			return []any{uuid.Must(uuid.NewV7()), f.Code, f.Type, f.Number, f.TitleES, f.TitleEN, f.IssuerID, f.IssuedOn,
				f.Status, f.URL, f.Notes, false}, nil
		},
		Checks: []imports.Check{
			refCheck("issuer_id", "issuer_id", "institutions", "institution", storedByCode("legal_instruments")),
		},
		Translate: translateInstrumentImport,
	}
}

// translateInstrumentImport names the field a refused write trips on, as InstrumentService.translate does.
func translateInstrumentImport(err error) (string, string, bool) {
	if c, ok := database.UniqueViolation(err); ok && c == "legal_instruments_code_key" {
		return "code", "already in use", true
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return "issuer_id", "no such institution", true
	}
	if c, ok := database.CheckViolation(err); ok && c == "legal_instruments_title_present" {
		return "title", "needs a Spanish or an English title", true
	}
	return "", "", false
}
