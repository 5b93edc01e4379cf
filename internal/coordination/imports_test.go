package coordination_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// impData is a small coordination set with every member filled somewhere: a tree of bodies
// with a legal basis, memberships, sessions with agenda and attendance, a work plan.
type impData struct {
	crdEnv
	root, plenary, a, b, session string
}

func impSetup(t *testing.T) impData {
	t.Helper()
	e := crdNew(t)
	d := impData{crdEnv: e}
	basis := e.create(t, "/v1/legal-instruments", map[string]any{"code": "T-DS-2011", "type": "supreme_decree",
		"number": "001-2011", "title": map[string]any{"es": "Decreto de creación"}})["id"].(string)
	d.root = e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA", "kind": "commission", "name": crdName("Mesa, \"intersectorial\"", "Table"),
		"legal_basis_id": basis, "mandate": map[string]string{"es": "Coordinar; evaluar"}, "established_on": "2011-05-01"})["id"].(string)
	d.plenary = e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA-PLENO", "kind": "plenary", "name": map[string]string{"es": "Pleno"},
		"parent_id": d.root, "status": "inactive"})["id"].(string)
	e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MR-15", "kind": "regional_round_table", "name": map[string]string{"en": "Lima"}, "region": "15"})
	d.a, d.b = e.institution(t, "T-A"), e.institution(t, "T-B")
	e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": d.root, "institution_id": d.a, "role": "president", "from_date": "2011-01-01",
		"notes": "Preside, desde 2011"})
	e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": d.root, "institution_id": d.b, "role": "member", "from_date": "2012-01-01",
		"to_date": "2014-12-31"})
	d.session = e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": d.plenary, "kind": "ordinary", "number": 1, "held_on": "2011-03-15",
		"place": "Lima", "agenda": []any{crdName("Acta", "Minutes"), map[string]string{"es": "Varios, \"otros\""}},
		"attendance": []any{map[string]any{"institution_id": d.a, "present": true, "delegates": 2}, map[string]any{"institution_id": d.b, "present": false}},
		"notes":      map[string]string{"en": "Demo"}})["id"].(string)
	e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": d.plenary, "kind": "extended", "number": 1, "held_on": "2013-11-27"})
	e.create(t, "/v1/work-plans", map[string]any{"code": "T-PT", "body_id": d.plenary, "title": crdName("Plan", "Plan"),
		"period_start": "2015-01-01", "period_end": "2015-12-31", "status": "approved", "approved_on": "2015-02-15",
		"approved_in_session_id": d.session, "objectives": []any{crdName("Uno", "One")},
		"activities": []any{map[string]any{"title": crdName("A", "A"), "responsible_institution_ids": []string{d.b, d.a},
			"start_date": "2015-01-15", "end_date": "2015-06-30", "status": "done"},
			map[string]any{"title": map[string]string{"es": "B"}, "responsible_institution_ids": []string{d.a}}}})
	e.create(t, "/v1/work-plans", map[string]any{"code": "T-PT-2", "body_id": d.root, "title": map[string]string{"en": "Bare"},
		"period_start": "2016-01-01", "period_end": "2016-01-01"})
	return d
}

// Every resource's export (NDJSON and CSV) imports back with every row unchanged, by its
// natural key and by id.
func TestImportCoordinationRoundTrip(t *testing.T) {
	t.Parallel()
	d := impSetup(t)
	d.RoundTrip(t, d.admin, "coordination-bodies", "", "coordination_bodies", 3, "key=id")
	d.RoundTrip(t, d.admin, "coordination-memberships", "", "coordination_memberships", 2, "key=id")
	d.RoundTrip(t, d.admin, "coordination-sessions", "", "coordination_sessions", 2, "key=id")
	d.RoundTrip(t, d.admin, "work-plans", "", "work_plans", 2, "key=id")

	// Exports honour the lists' filters.
	if got := apitest.Codes(t, d.Export(t, d.admin, "coordination-bodies", "root=true")); len(got) != 2 {
		t.Errorf("root bodies exported: %v", got)
	}
	if got := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-sessions", "kind=extended")); len(got) != 1 {
		t.Errorf("extended sessions exported: %d", len(got))
	}
	// q included: the exports pass it to the lists.
	if got := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-sessions", "q=varios")); len(got) != 1 || got[0]["id"] != d.session {
		t.Errorf("sessions exported for q=varios: %v", got)
	}
	if got := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-sessions", "q=varios&kind=extended")); len(got) != 0 {
		t.Errorf("sessions exported for q=varios&kind=extended: %v", got)
	}
	if got := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-memberships", "q=preside")); len(got) != 1 || got[0]["role"] != "president" {
		t.Errorf("memberships exported for q=preside: %v", got)
	}
	if _, rows := apitest.CSVRecords(t, d.Export(t, d.admin, "coordination-memberships", "format=csv&q=inexistente")); len(rows) != 0 {
		t.Errorf("memberships exported for a q that matches nothing: %v", rows)
	}
	header, rows := apitest.CSVRecords(t, d.Export(t, d.admin, "work-plans", "format=csv&institution_id="+d.b))
	apitest.WantColumns(t, header, "code", "activities", "body_id")
	if len(rows) != 1 || rows[0]["code"] != "T-PT" {
		t.Errorf("work plans of B exported: %v", rows)
	}
}

// A changed row updates its record, a new one creates one, a row with a bad reference fails on
// its field and line; with atomic=all a failure writes nothing.
func TestImportCoordinationChanges(t *testing.T) {
	t.Parallel()
	d := impSetup(t)
	recs := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-sessions", "kind=ordinary"))
	recs[0]["place"] = "Cusco"
	fresh := map[string]any{"body_id": d.plenary, "kind": "ordinary", "number": 2, "held_on": "2011-05-15",
		"attendance": []any{map[string]any{"institution_id": d.a, "present": true}}}
	bad := map[string]any{"body_id": d.plenary, "kind": "ordinary", "number": 3, "held_on": "2011-07-15",
		"attendance": []any{map[string]any{"institution_id": uuid.NewString(), "present": true}}}
	before := d.Fingerprint(t)
	job := d.Import(t, d.admin, "coordination-sessions", "atomic=all", "", apitest.NDJSON(t, recs[0], fresh, bad))
	job.WantOnlyError(t, 3, "attendance", "no such institution")
	d.UnchangedTables(t, before, "coordination_sessions")
	job = d.Import(t, d.admin, "coordination-sessions", "", "", apitest.NDJSON(t, recs[0], fresh, bad))
	job.WantCounts(t, "sessions", 1, 1, 0, 1)
	if n := d.Count(t, "coordination_sessions", "place = 'Cusco' AND number = 1"); n != 1 {
		t.Error("the changed session was not updated")
	}

	bodies := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-bodies", "code=T-MESA"))
	job = d.Import(t, d.admin, "coordination-bodies", "", "", apitest.NDJSON(t,
		map[string]any{"code": "T-MESA-GT", "kind": "working_group", "name": map[string]string{"es": "Grupo"}, "parent_id": d.root},
		map[string]any{"code": "T-X", "kind": "plenary", "name": map[string]string{"es": "X"}, "parent_id": uuid.NewString()},
		map[string]any{"code": "T-RT", "kind": "regional_round_table", "name": map[string]string{"es": "Mesa"}}))
	job.WantCounts(t, "bodies", 1, 0, 0, 2)
	job.WantError(t, 2, "parent_id", "no such coordination body")
	job.WantError(t, 3, "region", "required")
	// A body made its own ancestor by an import fails on its row.
	bodies[0]["parent_id"] = d.plenary
	job = d.Import(t, d.admin, "coordination-bodies", "", "", apitest.NDJSON(t, bodies[0]))
	job.WantCounts(t, "a cycle", 0, 0, 0, 1)
	if n := d.Count(t, "coordination_bodies", "code = 'T-MESA' AND parent_id IS NULL"); n != 1 {
		t.Error("the cycle was written")
	}

	plans := apitest.NDJSONRecords(t, d.Export(t, d.admin, "work-plans", "code=T-PT"))
	acts := plans[0]["activities"].([]any)
	acts[1].(map[string]any)["responsible_institution_ids"] = []string{uuid.NewString()}
	job = d.Import(t, d.admin, "work-plans", "", "", apitest.NDJSON(t, plans[0]))
	job.WantOnlyError(t, 1, "activities", "no such institution")
	plans[0]["approved_in_session_id"] = uuid.NewString()
	plans[0]["activities"] = []any{map[string]any{"title": map[string]string{"es": "Solo"}, "responsible_institution_ids": []string{d.b}}}
	job = d.Import(t, d.admin, "work-plans", "", "", apitest.NDJSON(t, plans[0]))
	job.WantOnlyError(t, 1, "approved_in_session_id", "no such session")
	delete(plans[0], "approved_in_session_id")
	job = d.Import(t, d.admin, "work-plans", "", "", apitest.NDJSON(t, plans[0]))
	job.WantCounts(t, "plan", 0, 1, 0, 0)
	if n := d.Count(t, "work_plans", "code = 'T-PT' AND institution_ids = ARRAY[?]::uuid[]", d.b); n != 1 {
		t.Error("institution_ids not kept by the import")
	}

	memberships := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-memberships", "role=member"))
	memberships[0]["to_date"] = "2010-01-01"
	job = d.Import(t, d.admin, "coordination-memberships", "", "", apitest.NDJSON(t, memberships[0],
		map[string]any{"body_id": d.root, "institution_id": uuid.NewString(), "role": "observer", "from_date": "2012-01-01"}))
	job.WantError(t, 1, "to_date", "before")
	job.WantError(t, 2, "institution_id", "no such institution")

	// A whole tree loads into an empty database by id, parents and children in one file.
	tree := apitest.NDJSONRecords(t, d.Export(t, d.admin, "coordination-bodies", ""))
	for _, r := range tree {
		delete(r, "legal_basis_id") // another database's instrument
	}
	empty := crdNew(t)
	empty.Import(t, empty.admin, "coordination-bodies", "key=id", "", apitest.NDJSON(t, tree...)).WantCounts(t, "a tree by id", int64(len(tree)), 0, 0, 0)

	// Editors import none of it.
	tok := d.editorToken(t, d.a)
	before = d.Fingerprint(t)
	apitest.Problem(t, d.PostImport(t, tok, "coordination-bodies", "", "", apitest.NDJSON(t, bodies[0])), http.StatusForbidden)
	d.Unchanged(t, before)
}
