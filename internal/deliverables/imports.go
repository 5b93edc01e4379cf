package deliverables

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/refs"
)

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{DeliverableImport()}
}

// deliverableMatch is the stored deliverable t a staged row s would update, whether the import
// matches on the code or on the id. What that record refers to already is not checked again, as
// checkReferences does for an update.
const deliverableMatch = `(t.id = s.id OR t.code = s.code)`

// DeliverableImport describes deliverables: matched on their code (the default) or id, checked
// with Fields.Validate, their references checked set-based as checkReferences does, owned by their
// owner unit (editors import only deliverables their institution's units own, before and after).
//
// A new deliverable is planned, as Create makes it: the status is no column here (the table's
// default is 'planned'), so an update never changes it — only transitions do. Its links to
// functions, practices, events and data gaps are uuid[] columns of the table itself.
func DeliverableImport() *imports.Resource {
	return &imports.Resource{
		Name: "deliverables", Create: "DeliverableCreate", Represent: "Deliverable",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "deliverables",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "action_id", Type: "uuid"}, {Name: "code", Type: "text"},
			{Name: "type", Type: "text"}, {Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "owner_unit_id", Type: "uuid"}, {Name: "due_date", Type: "date"},
			{Name: "function_ids", Type: "uuid[]"}, {Name: "practice_ids", Type: "uuid[]"},
			{Name: "event_ids", Type: "uuid[]"}, {Name: "gap_ids", Type: "uuid[]"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.DeliverableCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := fromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			r := row{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo}
			r.set(f)
			return []any{r.ID, r.ActionID, r.Code, r.Type, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN,
				r.OwnerUnitID, r.DueDate, refs.Parse(r.FunctionIDs), refs.Parse(r.PracticeIDs), refs.Parse(r.EventIDs),
				refs.Parse(r.GapIDs), r.Demo}, nil
		},
		Checks: []imports.Check{
			liveRefCheck("action_id", "actions", "no such action"),
			liveRefCheck("owner_unit_id", "institutions", "no such institution"),
			refsCheck("function_ids", "functions", "no such function"),
			refsCheck("practice_ids", "practices", "no such practice"),
			refsCheck("event_ids", "events", "no such event"),
			refsCheck("gap_ids", "data_gaps", "no such data gap"),
		},
		Owner: `%[1]s.owner_unit_id`,
		Translate: func(err error) (string, string, bool) {
			var e *apperr.Error
			if errors.As(translate(err, Fields{}), &e) && len(e.Fields) > 0 {
				return e.Fields[0].Field, e.Fields[0].Message, true
			}
			return "", "", false
		},
	}
}

// liveRefCheck refuses rows whose column names a row of table that does not exist (missing) or
// is archived (refs.Archived) — unless the deliverable the row updates refers to it already.
func liveRefCheck(column, table, missing string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN '%[3]s' ELSE 'is archived' END
FROM %%[1]s s LEFT JOIN %[2]s r ON r.id = s.%[1]s
WHERE s.%[1]s IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM deliverables t WHERE %[4]s AND t.%[1]s = s.%[1]s)`, column, table, missing, deliverableMatch)}
}

// refsCheck refuses rows whose uuid[] column lists an id with no row of table, each named in the
// message; archived rows qualify, as checkReferences lets them. Ids the deliverable the row
// updates lists already are not checked again (refs.List.Kept).
func refsCheck(column, table, missing string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, '%[3]s: ' || u.ref
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[1]s) AS u(ref) LEFT JOIN %[2]s r ON r.id = u.ref
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM deliverables t WHERE %[4]s AND u.ref = ANY(t.%[1]s))`,
		column, table, missing, deliverableMatch)}
}
