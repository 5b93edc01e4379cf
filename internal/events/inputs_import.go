package events

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

// storedInput is the consultation input a staged row s updates, as a lateral join: matched on
// its id (key "id") or else its external id (key "external_id": a staged row's own id is new).
const storedInput = `LEFT JOIN LATERAL (SELECT t.id, t.event_id FROM consultation_inputs t
	WHERE t.id = s.id OR t.external_id = s.external_id ORDER BY t.id = s.id DESC LIMIT 1) t ON true`

// InputImport describes consultation inputs to the importer: matched on their external id (or
// id), checked with InputFields.Validate, their event checked set-based as Create and Update
// check it, owned by their event's organiser. Support is never imported: it counts the people
// who support an input, one by one.
func InputImport() *imports.Resource {
	return &imports.Resource{
		Name: "consultation-inputs", Create: "ConsultationInputCreate", Represent: "ConsultationInput",
		WriteScope: auth.ScopePracticesWrite, Table: "consultation_inputs",
		Keys:       map[string][]string{"external_id": {"external_id"}, "id": {"id"}},
		DefaultKey: "external_id",
		Columns: []imports.Column{
			// The event an input came from never changes (see the checks).
			{Name: "id", Type: "uuid", Keep: true}, {Name: "event_id", Type: "uuid", Keep: true},
			{Name: "external_id", Type: "text"}, {Name: "countries", Type: "text[]"}, {Name: "theme", Type: "text"},
			{Name: "statement_es", Type: "text"}, {Name: "statement_en", Type: "text"},
			{Name: "times_raised", Type: "integer"}, {Name: "priority", Type: "text"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepareInput,
		Checks: []imports.Check{
			// A new input needs a live event; an update keeps its event, archived or not.
			{Field: "event_id", SQL: `
SELECT s.line, CASE WHEN e.id IS NULL THEN 'no such event'
	WHEN t.id IS NULL THEN 'is archived'
	ELSE 'differs from the event the consultation input came from, which never changes' END
FROM %[1]s s LEFT JOIN events e ON e.id = s.event_id ` + storedInput + `
WHERE e.id IS NULL OR (t.id IS NULL AND e.archived_at IS NOT NULL) OR t.event_id <> s.event_id`},
		},
		Owner: `(SELECT organiser_id FROM events WHERE id = %[1]s.event_id)`,
		Translate: func(err error) (string, string, bool) {
			if c, ok := database.CheckViolation(err); ok && c == "consultation_inputs_statement_present" {
				return "statement", "needs a Spanish or an English statement", true
			}
			return importField(translateInput(err, InputFields{ExternalID: new("")}))
		},
	}
}

// prepareInput decodes one row as CreateConsultationInput decodes its body, checks it with
// Validate and returns its columns as Create stores them (raised once and of medium priority
// unless the row says otherwise).
func prepareInput(_ context.Context, doc []byte) ([]any, error) {
	var in api.ConsultationInputCreate
	if err := json.Unmarshal(doc, &in); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	f := inputFromAPI(in)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var r inputRow
	r.set(f)
	return []any{uuid.Must(uuid.NewV7()), f.EventID, r.ExternalID, []string(r.Countries), r.Theme, r.StatementES,
		r.StatementEN, int32(r.TimesRaised), r.Priority, f.Demo}, nil
}
