package actionplan

import (
	"github.com/puente-mre/puente/internal/records"

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
		Prepare: records.ImportPrepare(s, actionFromAPI, func(r actionRow) []any {
			return []any{r.Base.ID, r.Code, r.TitleES, r.TitleEN, r.BeneficiaryID, r.StartDate, r.EndDate,
				r.GeneralObjectiveES, r.GeneralObjectiveEN, r.SpecificObjectives, r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("beneficiary_id", "institutions", "no such institution", "actions", actionMatch),
		},
		Translate: records.ImportTranslate(s),
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
		Prepare: records.ImportPrepare(s, resultFromAPI, func(r resultRow) []any {
			return []any{r.Base.ID, r.ActionID, r.Code, r.StatementES, r.StatementEN, r.Indicators, r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("action_id", "actions", "no such action", "results", inActionMatch),
		},
		Translate: records.ImportTranslate(s),
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
		Prepare: records.ImportPrepare(s, activityFromAPI, func(r activityRow) []any {
			return []any{r.Base.ID, r.ActionID, r.Code, r.Type, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN,
				r.StartDate, r.EndDate, r.Status, int16(r.Progress), refs.Parse(r.EventIDs), refs.Parse(r.DeliverableIDs),
				r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("action_id", "actions", "no such action", "activities", inActionMatch),
			imports.KeptLiveRefsCheck("event_ids", "event_ids", "events", "no such event", "activities", inActionMatch),
			imports.KeptLiveRefsCheck("deliverable_ids", "deliverable_ids", "deliverables", "no such deliverable", "activities", inActionMatch),
		},
		Translate: records.ImportTranslate(s),
	}
}
