package actionplan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/puente-mre/puente/internal/records"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/refs"
)

// ImportResources describes this area's records to the importer: actions, expected results and
// activities. Each row goes through its store's own rules (validate, build, translate), as a
// create request does. The plan belongs to the whole action, so — as the store's Create refuses
// scoped callers — no resource has an Owner: editors and partners cannot import any of it.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{ActionImport(), ResultImport(), ActivityImport()}
}

// Match conditions between a stored record t and a staged row s: the record the row would
// update, whether the import matches on the natural key or on the id. References such a record
// holds already are not checked again, as the store's check does for an update.
const (
	actionMatch   = `(t.id = s.id OR t.code = s.code)`
	inActionMatch = `(t.id = s.id OR (t.action_id = s.action_id AND t.code = s.code))`
)

// ActionImport describes actions: matched on their code (the default) or id, checked with the
// action store's rules, their beneficiary checked set-based.
func ActionImport() *imports.Resource {
	s := NewActionService(nil).Store
	return &imports.Resource{
		Name: "actions", Create: "ActionCreate", Represent: "Action",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "actions",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
			{Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"}, {Name: "beneficiary_id", Type: "uuid"},
			{Name: "start_date", Type: "date"}, {Name: "end_date", Type: "date"},
			{Name: "general_objective_es", Type: "text"}, {Name: "general_objective_en", Type: "text"},
			{Name: "specific_objectives", Type: "jsonb"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, actionFromAPI, func(r actionRow) []any {
			return []any{r.Base.ID, r.Code, r.TitleES, r.TitleEN, r.BeneficiaryID, r.StartDate, r.EndDate,
				r.GeneralObjectiveES, r.GeneralObjectiveEN, r.SpecificObjectives, r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("beneficiary_id", "institutions", "no such institution", "actions", actionMatch),
		},
		Translate: translate(s),
	}
}

// ResultImport describes expected results: matched on their action and code (key "code", the
// default) or id, checked with the result store's rules, their action checked set-based.
func ResultImport() *imports.Resource {
	s := NewResultService(nil).Store
	return &imports.Resource{
		Name: "results", Create: "ResultCreate", Represent: "Result",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "results",
		Keys:       map[string][]string{"code": {"action_id", "code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "action_id", Type: "uuid"}, {Name: "code", Type: "text"},
			{Name: "statement_es", Type: "text"}, {Name: "statement_en", Type: "text"},
			{Name: "indicators", Type: "jsonb"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, resultFromAPI, func(r resultRow) []any {
			return []any{r.Base.ID, r.ActionID, r.Code, r.StatementES, r.StatementEN, r.Indicators, r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("action_id", "actions", "no such action", "results", inActionMatch),
		},
		Translate: translate(s),
	}
}

// ActivityImport describes activities: matched on their action and code (key "code", the
// default) or id, checked (and normalised: planned by default, 100% once done) with the activity
// store's rules, their action, events and deliverables checked set-based.
func ActivityImport() *imports.Resource {
	s := NewActivityService(nil).Store
	return &imports.Resource{
		Name: "activities", Create: "ActivityCreate", Represent: "Activity",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "activities",
		Keys:       map[string][]string{"code": {"action_id", "code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "action_id", Type: "uuid"}, {Name: "code", Type: "text"},
			{Name: "type", Type: "text"}, {Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "start_date", Type: "date"}, {Name: "end_date", Type: "date"}, {Name: "status", Type: "text"},
			{Name: "progress", Type: "smallint"}, {Name: "event_ids", Type: "uuid[]"},
			{Name: "deliverable_ids", Type: "uuid[]"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, activityFromAPI, func(r activityRow) []any {
			return []any{r.Base.ID, r.ActionID, r.Code, r.Type, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN,
				r.StartDate, r.EndDate, r.Status, int16(r.Progress), refs.Parse(r.EventIDs), refs.Parse(r.DeliverableIDs),
				r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("action_id", "actions", "no such action", "activities", inActionMatch),
			liveRefsCheck("event_ids", "events", "no such event", "activities", inActionMatch),
			liveRefsCheck("deliverable_ids", "deliverables", "no such deliverable", "activities", inActionMatch),
		},
		Translate: translate(s),
	}
}

// prepare is the Prepare of a store's records: the row decoded into the create body C,
// converted as the create endpoint converts it, validated (and normalised) by the store's
// validate, and built into the row the store's Create would insert, whose column values values
// lists in the resource's Columns order.
func prepare[C, R, T, F any](s records.Store[R, T, F], from func(C) F, values func(R) []any) func(context.Context, []byte) ([]any, error) {
	return func(_ context.Context, doc []byte) ([]any, error) {
		var in C
		if err := json.Unmarshal(doc, &in); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
		}
		f := from(in)
		if err := s.Validate(&f); err != nil {
			return nil, err
		}
		r, err := s.Build(f, records.Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
		if err != nil {
			return nil, err
		}
		return values(r), nil
	}
}

// translate is the Translate of a store's records: the store's own translation of a refused
// write (a code taken, a broken check constraint), by its first field error.
func translate[R, T, F any](s records.Store[R, T, F]) func(error) (string, string, bool) {
	return func(err error) (string, string, bool) {
		var zero F
		var e *apperr.Error
		if errors.As(s.Translate(err, zero), &e) && len(e.Fields) > 0 {
			return e.Fields[0].Field, e.Fields[0].Message, true
		}
		return "", "", false
	}
}

// refCheck refuses rows whose column names a row of table that does not exist (missing) or is
// archived, as refs.Check does with refs.Archived — except a reference the record the row
// updates (a row of own matched by match) holds already: archiving what a record refers to
// keeps the record writable.
func refCheck(column, table, missing, own, match string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN '%[3]s' ELSE 'is archived' END
FROM %%[1]s s LEFT JOIN %[2]s r ON r.id = s.%[1]s
WHERE s.%[1]s IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND t.%[1]s = s.%[1]s)`, column, table, missing, own, match)}
}

// liveRefsCheck refuses rows whose uuid[] column lists an id with no live row of table (an
// archived one counts as missing, as refs.List.Active says), each named in the message — except
// ids the record the row updates lists already (refs.List.Kept).
func liveRefsCheck(column, table, missing, own, match string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, '%[3]s: ' || u.ref
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[1]s) AS u(ref) LEFT JOIN %[2]s r ON r.id = u.ref AND r.archived_at IS NULL
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND u.ref = ANY(t.%[1]s))`, column, table, missing, own, match)}
}
