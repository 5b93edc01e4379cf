package coordination

import (
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
)

// Match conditions between a stored record t and a staged row s: the record the row would
// update, whether the import matches on the natural key or on the id. References such a record
// holds already are not checked again, as the stores' checks do for an update.
const (
	bodyMatch       = `(t.id = s.id OR t.code = s.code)`
	membershipMatch = `(t.id = s.id OR (t.body_id = s.body_id AND t.institution_id = s.institution_id AND t.role = s.role AND t.from_date = s.from_date))`
	sessionMatch    = `(t.id = s.id OR (t.body_id = s.body_id AND t.kind = s.kind AND t.number = s.number))`
	workPlanMatch   = `(t.id = s.id OR t.code = s.code)`
)

// BodyImport describes coordination bodies: matched on their code (the default) or id,
// checked with the body store's rules, their parent and legal basis checked set-based, and no
// body made its own ancestor.
func BodyImport() *imports.Resource {
	s := NewBodyService(nil).Store
	return &imports.Resource{
		Name: "coordination-bodies", Create: "CoordinationBodyCreate", Represent: "CoordinationBody",
		WriteScope: auth.ScopeCoordinationWrite, Table: "coordination_bodies",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
			{Name: "name_es", Type: "text"}, {Name: "name_en", Type: "text"}, {Name: "kind", Type: "text"},
			{Name: "parent_id", Type: "uuid"}, {Name: "legal_basis_id", Type: "uuid"},
			{Name: "mandate_es", Type: "text"}, {Name: "mandate_en", Type: "text"}, {Name: "status", Type: "text"},
			{Name: "region", Type: "text"}, {Name: "established_on", Type: "date"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: records.ImportPrepare(s, bodyFromAPI, func(r bodyRow) []any {
			return []any{r.Base.ID, r.Code, r.NameES, r.NameEN, r.Kind, r.ParentID, r.LegalBasisID, r.MandateES, r.MandateEN,
				r.Status, r.Region, r.EstablishedOn, r.Base.Demo}
		}),
		Checks: []imports.Check{
			parentCheck,
			imports.KeptRefCheck("legal_basis_id", "legal_instruments", "no such legal instrument", "coordination_bodies", bodyMatch),
			bodyCycleCheck,
		},
		Translate: records.ImportTranslate(s),
	}
}

// parentCheck refuses rows whose parent is neither a live stored body (or one the record the
// row updates has already) nor a row of the same batch: importing with key=id, a tree exported
// whole loads into an empty database, parents and children together.
var parentCheck = imports.Check{Field: "parent_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such coordination body' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN coordination_bodies r ON r.id = s.parent_id
WHERE s.parent_id IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM coordination_bodies t WHERE ` + bodyMatch + ` AND t.parent_id = s.parent_id)
  AND NOT EXISTS (SELECT 1 FROM %[1]s p WHERE p.id = s.parent_id)`}

// bodyCycleCheck refuses rows that would make a body its own ancestor: it walks up from each
// row's parent through the tree as the batch would leave it (the staged rows' parents in place
// of the stored ones they update).
var bodyCycleCheck = imports.Check{Field: "parent_id", SQL: `
WITH RECURSIVE staged AS (
	SELECT s.line, coalesce(t.id, s.id) AS id, s.parent_id
	FROM %[1]s s LEFT JOIN coordination_bodies t ON ` + bodyMatch + `
), edges AS (
	SELECT id, parent_id FROM staged
	UNION ALL
	SELECT b.id, b.parent_id FROM coordination_bodies b WHERE NOT EXISTS (SELECT 1 FROM staged x WHERE x.id = b.id)
), up AS (
	SELECT line, id AS start, parent_id AS next, 0 AS depth FROM staged WHERE parent_id IS NOT NULL
	UNION ALL
	SELECT up.line, up.start, e.parent_id, up.depth + 1
	FROM up JOIN edges e ON e.id = up.next
	WHERE up.next <> up.start AND e.parent_id IS NOT NULL AND up.depth < 1000
)
SELECT DISTINCT line, 'would make the body its own ancestor' FROM up WHERE next = start`}

// MembershipImport describes memberships: matched on their body, institution, role and from
// date (key "code", the default) or id, checked with the membership store's rules, their body
// and institution checked set-based.
func MembershipImport() *imports.Resource {
	s := NewMembershipService(nil).Store
	return &imports.Resource{
		Name: "coordination-memberships", Create: "CoordinationMembershipCreate", Represent: "CoordinationMembership",
		WriteScope: auth.ScopeCoordinationWrite, Table: "coordination_memberships",
		Keys:       map[string][]string{"code": {"body_id", "institution_id", "role", "from_date"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "body_id", Type: "uuid"}, {Name: "institution_id", Type: "uuid"},
			{Name: "role", Type: "text"}, {Name: "from_date", Type: "date"}, {Name: "to_date", Type: "date"},
			{Name: "notes", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: records.ImportPrepare(s, membershipFromAPI, func(r membershipRow) []any {
			return []any{r.Base.ID, r.BodyID, r.InstitutionID, r.Role, r.FromDate, r.ToDate, r.Notes, r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("body_id", "coordination_bodies", "no such coordination body", "coordination_memberships", membershipMatch),
			imports.KeptRefCheck("institution_id", "institutions", "no such institution", "coordination_memberships", membershipMatch),
		},
		Translate: records.ImportTranslate(s),
	}
}

// SessionImport describes sessions: matched on their body, kind and number (key "code", the
// default) or id, checked with the session store's rules, their body and the institutions of
// their attendance checked set-based. Their minutes are uploaded on their own, never imported.
func SessionImport() *imports.Resource {
	s := NewSessionService(nil).Store
	return &imports.Resource{
		Name: "coordination-sessions", Create: "CoordinationSessionCreate", Represent: "CoordinationSession",
		WriteScope: auth.ScopeCoordinationWrite, Table: "coordination_sessions",
		Keys:       map[string][]string{"code": {"body_id", "kind", "number"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "body_id", Type: "uuid"}, {Name: "kind", Type: "text"},
			{Name: "number", Type: "integer"}, {Name: "held_on", Type: "date"}, {Name: "place", Type: "text"},
			{Name: "agenda", Type: "jsonb"}, {Name: "attendance", Type: "jsonb"},
			{Name: "notes_es", Type: "text"}, {Name: "notes_en", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: records.ImportPrepare(s, sessionFromAPI, func(r sessionRow) []any {
			return []any{r.Base.ID, r.BodyID, r.Kind, int32(r.Number), r.HeldOn, r.Place, r.Agenda, r.Attendance,
				r.NotesES, r.NotesEN, r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("body_id", "coordination_bodies", "no such coordination body", "coordination_sessions", sessionMatch),
			{Field: "attendance", SQL: `
SELECT s.line, 'no such institution: ' || (e->>'institution_id')
FROM %[1]s s CROSS JOIN LATERAL jsonb_array_elements(s.attendance) AS e
LEFT JOIN institutions r ON r.id = (e->>'institution_id')::uuid AND r.archived_at IS NULL
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM coordination_sessions t WHERE ` + sessionMatch + `
	AND t.attendance @> jsonb_build_array(jsonb_build_object('institution_id', e->>'institution_id')))`},
		},
		Translate: records.ImportTranslate(s),
	}
}

// WorkPlanImport describes work plans: matched on their code (the default) or id, checked with
// the work plan store's rules (which also fill institution_ids from the activities), their body,
// approving session and responsible institutions checked set-based.
func WorkPlanImport() *imports.Resource {
	s := NewWorkPlanService(nil).Store
	return &imports.Resource{
		Name: "work-plans", Create: "WorkPlanCreate", Represent: "WorkPlan",
		WriteScope: auth.ScopeCoordinationWrite, Table: "work_plans",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "body_id", Type: "uuid"},
			{Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "period_start", Type: "date"}, {Name: "period_end", Type: "date"}, {Name: "status", Type: "text"},
			{Name: "approved_on", Type: "date"}, {Name: "approved_in_session_id", Type: "uuid"},
			{Name: "objectives", Type: "jsonb"}, {Name: "activities", Type: "jsonb"}, {Name: "institution_ids", Type: "uuid[]"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: records.ImportPrepare(s, workPlanFromAPI, func(r workPlanRow) []any {
			return []any{r.Base.ID, r.Code, r.BodyID, r.TitleES, r.TitleEN, r.PeriodStart, r.PeriodEnd, r.Status, r.ApprovedOn,
				r.ApprovedInSessionID, r.Objectives, r.Activities, refs.Parse(r.InstitutionIDs), r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("body_id", "coordination_bodies", "no such coordination body", "work_plans", workPlanMatch),
			imports.KeptRefCheck("approved_in_session_id", "coordination_sessions", "no such session", "work_plans", workPlanMatch),
			{Field: "approved_in_session_id", SQL: `
SELECT s.line, 'is a session of another body'
FROM %[1]s s JOIN coordination_sessions r ON r.id = s.approved_in_session_id
WHERE r.body_id <> s.body_id`},
			imports.KeptLiveRefsCheck("activities", "institution_ids", "institutions", "no such institution", "work_plans", workPlanMatch),
		},
		Translate: records.ImportTranslate(s),
	}
}
