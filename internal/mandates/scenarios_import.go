package mandates

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports"
)

// ScenarioImport describes mandate scenarios to the importer: matched on their code (or id),
// checked with ScenarioFields.Validate, created as drafts — as copies of copy_from_id's
// assignments when a row names one, as ScenarioService.Create makes them — and refused when
// they would change an adopted scenario. Like ScenarioService, it lets only unscoped callers
// write them (no Owner).
func ScenarioImport() *imports.Resource {
	return &imports.Resource{
		Name: "mandate-scenarios", Create: "MandateScenarioCreate", Represent: "MandateScenario",
		WriteScope: auth.ScopeMandatesWrite, Table: "mandate_scenarios",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "name_es", Type: "text"},
			{Name: "name_en", Type: "text"}, {Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "kind", Type: "text"}, {Name: "copied_from_id", Type: "uuid", Keep: true},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.MandateScenarioCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := scenarioFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			return []any{uuid.Must(uuid.NewV7()), f.Code, f.NameES, f.NameEN, f.DescriptionES, f.DescriptionEN, f.Kind,
				in.CopyFromId, false}, nil
		},
		Checks: []imports.Check{
			// Only rows that create a scenario copy one; the others leave copied_from_id as it is.
			{Field: "copy_from_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such scenario' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN mandate_scenarios r ON r.id = s.copied_from_id
WHERE s.copied_from_id IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM ` + storedByCode("mandate_scenarios") + `)`},
			{Field: "", SQL: `
SELECT s.line, 'the scenario is adopted and therefore read-only'
FROM %[1]s s JOIN mandate_scenarios k ON k.id = s.id OR k.code = s.code
WHERE k.status = 'adopted' AND ROW(k.code, k.name_es, k.name_en, k.description_es, k.description_en, k.kind)
    IS DISTINCT FROM ROW(s.code, s.name_es, s.name_en, s.description_es, s.description_en, s.kind)`},
		},
		Write:     writeScenarios,
		Translate: translateScenarioImport,
	}
}

// writeScenarios writes the scenarios, then copies into each one it created from another
// scenario that scenario's active assignments (new ids, same cells, roles, bases and notes).
func writeScenarios(ctx context.Context, tx pgx.Tx, b *imports.Batch) (imports.Counts, error) {
	var created, sources []uuid.UUID
	if b.Strategy != "update" {
		rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT s.id, s.copied_from_id FROM %[1]s s
WHERE s.line BETWEEN $1 AND $2 AND s.copied_from_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM mandate_scenarios t WHERE %[2]s)
ORDER BY s.line`, b.Stage, keyMatch(b.Key)), b.Lo, b.Hi)
		if err != nil {
			return imports.Counts{}, fmt.Errorf("find scenarios to copy: %w", err)
		}
		for rows.Next() {
			var id, src uuid.UUID
			if err := rows.Scan(&id, &src); err != nil {
				rows.Close()
				return imports.Counts{}, err
			}
			created, sources = append(created, id), append(sources, src)
		}
		if err := rows.Err(); err != nil {
			return imports.Counts{}, fmt.Errorf("find scenarios to copy: %w", err)
		}
	}
	if len(sources) > 0 {
		// Shared, as ScenarioService.Create holds them: a source cannot be adopted or edited meanwhile.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM mandate_scenarios WHERE id = ANY($1) FOR SHARE`, sources); err != nil {
			return imports.Counts{}, fmt.Errorf("lock scenarios to copy: %w", err)
		}
	}
	c, err := imports.Write(ctx, tx, b)
	if err != nil || len(created) == 0 {
		return c, err
	}
	if _, err := tx.Exec(ctx, `
INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis, instrument_id, article, evidence, notes)
SELECT uuid_v7(), c.id, a.function_id, a.institution_id, a.role, a.basis, a.instrument_id, a.article, a.evidence, a.notes
FROM unnest($1::uuid[], $2::uuid[]) AS c(id, src) JOIN mandate_assignments a ON a.scenario_id = c.src AND a.archived_at IS NULL
ORDER BY c.id, a.created_at, a.id`, created, sources); err != nil {
		return imports.Counts{}, fmt.Errorf("copy assignments into new scenarios: %w", err)
	}
	return c, nil
}

// translateScenarioImport names the field a refused write trips on, as ScenarioService.translate does.
func translateScenarioImport(err error) (string, string, bool) {
	if c, ok := database.UniqueViolation(err); ok && c == "mandate_scenarios_code_key" {
		return "code", "already in use", true
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return "copy_from_id", "no such scenario", true
	}
	if c, ok := database.CheckViolation(err); ok && c == "mandate_scenarios_name_present" {
		return "name", "needs a Spanish or an English name", true
	}
	return "", "", false
}
