package mandates

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports"
)

// assignmentTable writes assignments: their cell (scenario, function, institution) is unique
// among active assignments only.
var assignmentTable = tableWrite{table: "mandate_assignments", activeKey: true}

// storedAssignment is the stored assignment a staged row s writes, alias k: the one with its id
// (key=id) or the active one in its cell (key=code).
const storedAssignment = `mandate_assignments k WHERE (k.id = s.id OR (k.scenario_id = s.scenario_id
    AND k.function_id = s.function_id AND k.institution_id = s.institution_id AND k.archived_at IS NULL))`

// unchangedAssignment holds for a staged row s that an active stored assignment already says.
const unchangedAssignment = `EXISTS (SELECT 1 FROM ` + storedAssignment + ` AND k.archived_at IS NULL
    AND ROW(k.scenario_id, k.function_id, k.institution_id, k.role, k.basis, k.instrument_id, k.article, k.evidence, k.notes)
    IS NOT DISTINCT FROM ROW(s.scenario_id, s.function_id, s.institution_id, s.role, s.basis, s.instrument_id, s.article, s.evidence, s.notes))`

// AssignmentImport describes mandate assignments to the importer: matched on their cell —
// scenario, function and institution (key "code") — or id, checked with
// AssignmentFields.Validate, their scenario (an active draft, locked against adoption as
// AssignmentService locks it), references and the one accountable unit per function checked
// set-based, and owned by their institution. Rows name their scenario with scenario_id.
//
// An unchanged row of an adopted or archived scenario passes as unchanged, so that its export
// imports back; any other row of one is refused.
func AssignmentImport() *imports.Resource {
	return &imports.Resource{
		Name: "mandate-assignments", Create: "AssignmentImport", Represent: "Assignment",
		WriteScope: auth.ScopeMandatesWrite, Table: "mandate_assignments",
		Keys:       map[string][]string{"code": {"scenario_id", "function_id", "institution_id"}, "id": {"id"}},
		DefaultKey: "code",
		KeyWhere:   "t.archived_at IS NULL", // a cell is unique among active assignments only
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "scenario_id", Type: "uuid", Keep: true},
			{Name: "function_id", Type: "uuid", Keep: true}, {Name: "institution_id", Type: "uuid"},
			{Name: "role", Type: "text"}, {Name: "basis", Type: "text"}, {Name: "instrument_id", Type: "uuid"},
			{Name: "article", Type: "text"}, {Name: "evidence", Type: "text"}, {Name: "notes", Type: "text"},
		},
		Prepare: prepareAssignment,
		Checks: []imports.Check{
			// First, so that no scenario is adopted between the checks and the write: each named
			// scenario is held FOR SHARE to the end of the import's transaction, as
			// AssignmentService holds it (Adopt takes it FOR UPDATE).
			{Field: "scenario_id", SQL: `
WITH locked AS MATERIALIZED (
    SELECT id FROM mandate_scenarios WHERE id IN (SELECT scenario_id FROM %[1]s) ORDER BY id FOR SHARE)
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such mandate scenario'
    WHEN r.archived_at IS NOT NULL THEN 'the scenario is archived'
    ELSE 'the scenario is adopted and therefore read-only' END
FROM %[1]s s LEFT JOIN mandate_scenarios r ON r.id = s.scenario_id
WHERE (SELECT count(*) FROM locked) >= 0
    AND (r.id IS NULL OR ((r.archived_at IS NOT NULL OR r.status = 'adopted') AND NOT ` + unchangedAssignment + `))`},
			{Field: "scenario_id", SQL: `
SELECT s.line, 'an assignment cannot move to another scenario'
FROM %[1]s s JOIN mandate_assignments k ON k.id = s.id WHERE k.scenario_id <> s.scenario_id`},
			{Field: "function_id", SQL: `
SELECT s.line, 'cannot change; archive the assignment and create another'
FROM %[1]s s JOIN mandate_assignments k ON k.id = s.id WHERE k.function_id <> s.function_id`},
			refCheck("function_id", "function_id", "functions", "function", storedAssignment),
			refCheck("institution_id", "institution_id", "institutions", "institution", storedAssignment),
			refCheck("instrument_id", "instrument_id", "legal_instruments", "legal instrument", storedAssignment),
			// One accountable unit per function and scenario, among active assignments: the stored
			// one, unless an earlier row of the file makes it something else, or an earlier row.
			{Field: "role", SQL: `
SELECT s.line, 'the function already has an accountable unit in this scenario: ' || i.code || ' (assignment ' || a.id || ')'
FROM %[1]s s
JOIN mandate_assignments a ON a.scenario_id = s.scenario_id AND a.function_id = s.function_id AND a.role = 'accountable'
    AND a.archived_at IS NULL AND a.id <> s.id AND a.institution_id <> s.institution_id
JOIN institutions i ON i.id = a.institution_id
WHERE s.role = 'accountable' AND NOT EXISTS (
    SELECT 1 FROM %[1]s o WHERE o.line < s.line AND o.role <> 'accountable'
        AND (o.id = a.id OR (o.scenario_id = a.scenario_id AND o.function_id = a.function_id AND o.institution_id = a.institution_id)))
UNION ALL
SELECT s.line, 'line ' || min(o.line) || ' already makes another unit accountable for this function in this scenario'
FROM %[1]s s JOIN %[1]s o ON o.scenario_id = s.scenario_id AND o.function_id = s.function_id AND o.role = 'accountable'
    AND o.line < s.line AND o.institution_id <> s.institution_id
WHERE s.role = 'accountable'
GROUP BY s.line`},
		},
		Owner:     `%[1]s.institution_id`,
		Write:     assignmentTable.write,
		Translate: translateAssignmentImport,
	}
}

// prepareAssignment checks one row as CreateAssignment checks its body, plus the scenario the
// nested endpoint takes from its path.
func prepareAssignment(_ context.Context, doc []byte) ([]any, error) {
	var in api.AssignmentCreate
	var where struct {
		ScenarioID *uuid.UUID `json:"scenario_id"`
	}
	if err := json.Unmarshal(doc, &in); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	if err := json.Unmarshal(doc, &where); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	f := assignmentFromAPI(in)
	err := f.Validate()
	if where.ScenarioID == nil {
		e := apperr.New(apperr.Unprocessable, "the assignment is not valid")
		errors.As(err, &e)
		return nil, e.WithField("scenario_id", "is required: the scenario the assignment belongs to")
	}
	if err != nil {
		return nil, err
	}
	return []any{uuid.Must(uuid.NewV7()), *where.ScenarioID, f.FunctionID, f.InstitutionID, f.Role, f.Basis,
		f.InstrumentID, f.Article, f.Evidence, f.Notes}, nil
}

// translateAssignmentImport names the field a refused write trips on, as AssignmentService.translate does.
func translateAssignmentImport(err error) (string, string, bool) {
	if c, ok := database.UniqueViolation(err); ok {
		switch c {
		case "mandate_assignments_cell_key":
			return "institution_id", "the unit already holds this function in this scenario", true
		case "mandate_assignments_accountable_key":
			return "role", "only one unit may be accountable for a function", true
		}
	}
	if c, ok := database.ForeignKeyViolation(err); ok {
		switch c {
		case "mandate_assignments_scenario_id_fkey":
			return "scenario_id", "no such mandate scenario", true
		case "mandate_assignments_function_id_fkey":
			return "function_id", "no such function", true
		case "mandate_assignments_institution_id_fkey":
			return "institution_id", "no such institution", true
		case "mandate_assignments_instrument_id_fkey":
			return "instrument_id", "no such legal instrument", true
		}
	}
	if c, ok := database.CheckViolation(err); ok && c == "mandate_assignments_de_jure_cites" {
		return "instrument_id", "is required for a de jure assignment", true
	}
	return "", "", false
}
