package servicemenu

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
)

// ServiceImport describes services to the importer: matched on their code (or id), checked
// with Fields.Validate, what they refer to checked set-based as checkReferences checks it, owned
// by their provider. Their links to consultation inputs, functions and legal instruments are
// arrays of the services table itself, so the generic write writes them.
func ServiceImport() *imports.Resource {
	return &imports.Resource{
		Name: "services", Create: "ServiceCreate", Represent: "Service",
		WriteScope: auth.ScopePracticesWrite, Table: "services",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
			{Name: "name_es", Type: "text"}, {Name: "name_en", Type: "text"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "target_groups", Type: "text[]"}, {Name: "provider_id", Type: "uuid"}, {Name: "channels", Type: "text[]"},
			{Name: "instrument_ids", Type: "uuid[]"}, {Name: "legal_basis_es", Type: "text"}, {Name: "legal_basis_en", Type: "text"},
			{Name: "status", Type: "text"}, {Name: "fees_es", Type: "text"}, {Name: "fees_en", Type: "text"},
			{Name: "languages", Type: "text[]"}, {Name: "input_ids", Type: "uuid[]"}, {Name: "function_ids", Type: "uuid[]"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepareService,
		Checks: []imports.Check{
			// A provider archived or dissolved since the service was written does not block
			// the rest of a row; only choosing one now does (a new service, or a new provider).
			{Field: "provider_id", SQL: `
SELECT s.line, CASE WHEN p.id IS NULL THEN 'no such institution'
	WHEN p.archived_at IS NOT NULL THEN 'is archived' ELSE 'is dissolved' END
FROM %[1]s s LEFT JOIN institutions p ON p.id = s.provider_id
LEFT JOIN LATERAL (SELECT t.provider_id FROM services t WHERE t.id = s.id OR t.code = s.code
	ORDER BY t.id = s.id DESC LIMIT 1) t ON true
WHERE s.provider_id IS NOT NULL AND (p.id IS NULL
	OR ((p.archived_at IS NOT NULL OR p.status = 'dissolved') AND t.provider_id IS DISTINCT FROM s.provider_id))`},
			// Archived instruments, inputs and functions are still referable.
			existing("instrument_ids", "legal_instruments", "legal instrument"),
			existing("input_ids", "consultation_inputs", "consultation input"),
			existing("function_ids", "functions", "function"),
		},
		Owner: `%[1]s.provider_id`,
		Translate: func(err error) (string, string, bool) {
			return importField(translate(err, Fields{}))
		},
	}
}

// existing refuses rows whose uuid[] column names a row table does not have, archived or not.
func existing(column, table, what string) imports.Check {
	return imports.Check{Field: column, SQL: `
SELECT s.line, 'no such ` + what + `: ' || u.ref
FROM %[1]s s CROSS JOIN LATERAL unnest(s.` + column + `) AS u(ref) LEFT JOIN ` + table + ` r ON r.id = u.ref
WHERE r.id IS NULL`}
}

// prepareService decodes one row as CreateService decodes its body, checks it with Validate and
// returns its columns as Create stores them.
func prepareService(_ context.Context, doc []byte) ([]any, error) {
	var in api.ServiceCreate
	if err := json.Unmarshal(doc, &in); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	f := fromAPI(in)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var r serviceRow
	r.set(f)
	ids := func(in []uuid.UUID) []uuid.UUID { return append([]uuid.UUID{}, in...) }
	return []any{uuid.Must(uuid.NewV7()), r.Code, r.NameES, r.NameEN, r.DescriptionES, r.DescriptionEN,
		[]string(r.TargetGroups), r.ProviderID, []string(r.Channels), ids(f.InstrumentIDs), r.LegalBasisES, r.LegalBasisEN,
		r.Status, r.FeesES, r.FeesEN, []string(r.Languages), ids(f.InputIDs), ids(f.FunctionIDs), f.Demo}, nil
}

// importField is the first field error of err, the service's translation of a database error,
// as the importer reports it on a row; ok is false when the translation names no field.
func importField(err error) (field, message string, ok bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return "", "", false
	}
	return e.Fields[0].Field, e.Fields[0].Message, true
}
