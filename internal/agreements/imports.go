package agreements

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
)

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource { return []*imports.Resource{AgreementImport()} }

// match pairs a stored agreement t with a staged row s: the record the row would update,
// whether the import matches on the code or on the id.
const match = `(t.id = s.id OR t.code = s.code)`

// AgreementImport describes agreements: matched on their code (the default) or id, checked with
// the service's own Validate, their body, session and responsible institutions checked
// set-based (what the stored record refers to already is not checked again, as in Update).
//
// The workflow keeps its history: an import creates agreements in any stored state (pending
// unless the row says otherwise; done ones are done today, as a create), but never moves an
// existing one. Status and done_on are written on create only, and a row whose status differs
// from its stored agreement's is refused on field status — the move belongs to
// POST /v1/agreements/{id}/transitions, which records it. An export (whose status is the
// stored one) therefore imports back unchanged.
//
// Only unscoped callers record agreements, so there is no Owner: editors and partners cannot
// import them (they move the ones they owe through transitions).
func AgreementImport() *imports.Resource {
	s := NewService(nil, nil).Store
	return &imports.Resource{
		Name: "agreements", Create: "AgreementCreate", Represent: "Agreement",
		WriteScope: auth.ScopeCoordinationWrite, Table: "agreements",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "body_id", Type: "uuid"},
			{Name: "session_id", Type: "uuid"}, {Name: "text_es", Type: "text"}, {Name: "text_en", Type: "text"},
			{Name: "responsible_institution_ids", Type: "uuid[]"}, {Name: "due_on", Type: "date"},
			{Name: "status", Type: "text", Keep: true}, {Name: "done_on", Type: "date", Keep: true},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.AgreementCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := fromAPI(in)
			if err := s.Validate(&f); err != nil {
				return nil, err
			}
			r, err := s.Build(f, records.Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
			if err != nil {
				return nil, err
			}
			return []any{r.Base.ID, r.Code, r.BodyID, r.SessionID, r.TextES, r.TextEN, refs.Parse(r.ResponsibleInstitutionIDs),
				r.DueOn, r.Status, r.DoneOn, r.Base.Demo}, nil
		},
		Checks: []imports.Check{
			{Field: "body_id", SQL: `
SELECT s.line, CASE WHEN b.id IS NULL THEN 'no such coordination body' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN coordination_bodies b ON b.id = s.body_id
WHERE (b.id IS NULL OR b.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM agreements t WHERE ` + match + ` AND t.body_id = s.body_id)`},
			{Field: "session_id", SQL: `
SELECT s.line, CASE WHEN cs.id IS NULL THEN 'no such session' WHEN cs.body_id <> s.body_id THEN 'is a session of another body'
                    ELSE 'is archived' END
FROM %[1]s s LEFT JOIN coordination_sessions cs ON cs.id = s.session_id
WHERE s.session_id IS NOT NULL AND (cs.id IS NULL OR cs.body_id <> s.body_id OR
      (cs.archived_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agreements t WHERE ` + match + ` AND t.session_id = s.session_id)))`},
			{Field: "responsible_institution_ids", SQL: `
SELECT s.line, CASE WHEN i.id IS NULL THEN 'no such institution: ' ELSE 'is archived: ' END || u.ref
FROM %[1]s s CROSS JOIN LATERAL unnest(s.responsible_institution_ids) AS u(ref) LEFT JOIN institutions i ON i.id = u.ref
WHERE (i.id IS NULL OR i.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM agreements t WHERE ` + match + ` AND u.ref = ANY(t.responsible_institution_ids))`},
			{Field: "status", SQL: `
SELECT s.line, 'the agreement is ' || t.status || ': an import does not move it; POST /v1/agreements/' || t.id ||
       '/transitions does, and records the move'
FROM %[1]s s JOIN agreements t ON ` + match + `
WHERE t.status <> s.status`},
		},
		Translate: func(err error) (string, string, bool) {
			var e *apperr.Error
			if errors.As(s.Translate(err, Fields{}), &e) && len(e.Fields) > 0 {
				return e.Fields[0].Field, e.Fields[0].Message, true
			}
			return "", "", false
		},
	}
}
