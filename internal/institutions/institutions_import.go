package institutions

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

// InstitutionImport describes institutions to the importer: matched on their code (or id),
// checked with Fields.Validate, their parent and the tree checked set-based as Service does
// (a parent that exists and is not archived, no institution under itself), owned as Service
// authorizes them.
//
// A parent may be a row earlier in the same file when rows carry their ids (key=id); with
// key=code new institutions get their ids on import, so a new subtree is loaded parents first,
// then children.
func InstitutionImport() *imports.Resource {
	return &imports.Resource{
		Name: "institutions", Create: "InstitutionCreate", Represent: "Institution",
		WriteScope: auth.ScopeInstitutionsWrite, Table: "institutions",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "name_es", Type: "text"},
			{Name: "name_en", Type: "text"}, {Name: "acronym", Type: "text"}, {Name: "kind", Type: "text"},
			{Name: "parent_id", Type: "uuid"}, {Name: "country", Type: "text"}, {Name: "tier", Type: "text"},
			{Name: "status", Type: "text"}, {Name: "established_on", Type: "date"}, {Name: "dissolved_on", Type: "date"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"}, {Name: "website", Type: "text"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.InstitutionCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := fromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			return []any{uuid.Must(uuid.NewV7()), f.Code, f.NameES, f.NameEN, f.Acronym, f.Kind, f.ParentID, f.Country,
				f.Tier, f.Status, f.EstablishedOn, f.DissolvedOn, f.DescriptionES, f.DescriptionEN, f.Website, false}, nil
		},
		Checks: []imports.Check{
			// First, so that the tree cannot change between the checks and the write: the lock
			// Service's tree writes take (lockTree), held to the end of the import's transaction.
			{Field: "parent_id", SQL: institutionCycleCheck},
			{Field: "parent_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such institution' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN institutions r ON r.id = s.parent_id
WHERE s.parent_id IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM %[1]s p WHERE p.id = s.parent_id AND p.line < s.line)`},
		},
		Owner:     institutionOwner,
		Translate: translateInstitutionImport,
	}
}

// institutionTarget is the stored institution a staged row (alias s) writes, if any: the one
// with its id (key=id), else the one with its code (key=code; the row's own id is new then),
// else the row's id, which the institution gets when the row creates it.
const institutionTarget = `coalesce((SELECT x.id FROM institutions x WHERE x.id = s.id),
    (SELECT x.id FROM institutions x WHERE x.code = s.code), s.id)`

// institutionCycleCheck refuses a parent that would put an institution under itself, walking up
// the tree as it will be once the batch is written (staged parents replacing stored ones).
const institutionCycleCheck = `
WITH RECURSIVE locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext('institutions.tree')) IS NULL AS ok),
staged AS MATERIALIZED (
    SELECT s.line, ` + institutionTarget + ` AS node, s.parent_id
    FROM locked, %[1]s s),
tree AS MATERIALIZED (
    SELECT node AS id, parent_id FROM staged WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT i.id, i.parent_id FROM institutions i
    WHERE i.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staged st WHERE st.node = i.id)),
up AS (
    SELECT st.line, st.node, st.parent_id AS at, 1 AS depth FROM staged st WHERE st.parent_id IS NOT NULL
    UNION ALL
    SELECT up.line, up.node, t.parent_id, up.depth + 1 FROM up JOIN tree t ON t.id = up.at
    WHERE up.at <> up.node AND up.depth < 128)
SELECT DISTINCT line, 'is the institution itself or one of its descendants' FROM up WHERE at = node`

// institutionOwner is the institution an editor must hold to write a row, as Service.authorize
// decides: the institution itself when the row keeps its parent (an editor may update its own
// institution), else the parent it is created or moved under (a root is nobody's). For a stored
// institution it is the institution itself.
const institutionOwner = `coalesce((SELECT CASE WHEN x.parent_id IS NOT DISTINCT FROM %[1]s.parent_id THEN x.id ELSE %[1]s.parent_id END
    FROM institutions x WHERE x.id = %[1]s.id OR x.code = %[1]s.code ORDER BY x.id = %[1]s.id DESC LIMIT 1), %[1]s.parent_id)`

// translateInstitutionImport names the field a refused write trips on, as Service.translate does.
func translateInstitutionImport(err error) (string, string, bool) {
	if c, ok := database.UniqueViolation(err); ok && c == "institutions_code_key" {
		return "code", "already in use", true
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return "parent_id", "no such institution", true
	}
	if c, ok := database.CheckViolation(err); ok {
		switch c {
		case "institutions_not_own_parent":
			return "parent_id", "is the institution itself or one of its descendants", true
		case "institutions_dates_check":
			return "dissolved_on", "is before established_on", true
		case "institutions_name_present":
			return "name", "needs a Spanish or an English name", true
		}
	}
	return "", "", false
}
