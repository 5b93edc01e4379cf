package mandates_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func scenAssignmentsPath(scenarioID string) string {
	return "/v1/mandate-scenarios/" + scenarioID + "/assignments"
}

func scenCreateAssignment(t *testing.T, fx *scenFixture, scenarioID string, body map[string]any) scenAssignment {
	t.Helper()
	return scenCreateAssignmentAs(t, fx, fx.admin, scenarioID, body)
}

func scenCreateAssignmentAs(t *testing.T, fx *scenFixture, token, scenarioID string, body map[string]any) scenAssignment {
	t.Helper()
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(scenarioID), Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create assignment %v: %d %s", body, res.Status, res.Body)
	}
	var out scenAssignment
	res.Decode(t, &out)
	return out
}

func scenPatch(fx *scenFixture, t *testing.T, token, path, body string, ifMatch string) apitest.Response {
	t.Helper()
	var hdr map[string]string
	if ifMatch != "" {
		hdr = map[string]string{"If-Match": ifMatch}
	}
	return fx.env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, ContentType: "application/merge-patch+json", Body: body, Header: hdr})
}

func TestAssignmentCRUD(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin, Body: map[string]any{
		"function_id": fx.functions[0], "institution_id": fx.child, "role": "responsible", "basis": "de_facto",
		"evidence": "Needs assessment interview with PIM staff, 2023", "notes": "Shared with SSN"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var a scenAssignment
	res.Decode(t, &a)
	path := scenAssignmentsPath(s.ID) + "/" + a.ID
	if res.Header.Get("Location") != path || res.Header.Get("ETag") != `"1"` {
		t.Errorf("headers: Location %q ETag %q", res.Header.Get("Location"), res.Header.Get("ETag"))
	}
	if a.ScenarioID != s.ID || a.FunctionID != fx.functions[0].String() || a.InstitutionID != fx.child.String() || a.Role != "responsible" ||
		a.Basis != "de_facto" || a.InstrumentID != nil || a.Evidence == nil || *a.Notes != "Shared with SSN" || a.Version != 1 || a.ArchivedAt != nil {
		t.Errorf("created: %+v", a)
	}
	if n := env.Count(t, "mandate_assignments", "id = ? AND scenario_id = ? AND function_id = ? AND institution_id = ? AND role = 'responsible' AND basis = 'de_facto' AND version = 1 AND archived_at IS NULL",
		a.ID, s.ID, fx.functions[0], fx.child); n != 1 {
		t.Errorf("stored: %d", n)
	}

	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: scenToken(t, env, actor.Viewer, nil)})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %d %s", res.Status, res.Body)
	}

	// Becoming de jure needs an instrument; the merge patch is judged as a whole.
	before := env.Fingerprint(t)
	scenWantField(t, scenPatch(fx, t, fx.admin, path, `{"basis":"de_jure"}`, ""), http.StatusUnprocessableEntity, "instrument_id")
	env.Unchanged(t, before)

	res = scenPatch(fx, t, fx.admin, path, fmt.Sprintf(`{"basis":"de_jure","instrument_id":%q,"article":"Art. 12","role":"accountable","notes":null}`, fx.instrument), `"1"`)
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var p scenAssignment
	res.Decode(t, &p)
	if p.Basis != "de_jure" || p.InstrumentID == nil || *p.InstrumentID != fx.instrument.String() || *p.Article != "Art. 12" ||
		p.Role != "accountable" || p.Notes != nil || p.Evidence == nil || p.Version != 2 || res.Header.Get("ETag") != `"2"` || p.FunctionID != a.FunctionID {
		t.Errorf("patched: %+v", p)
	}
	if n := env.Count(t, "mandate_assignments", "id = ? AND basis = 'de_jure' AND instrument_id = ? AND role = 'accountable' AND notes IS NULL AND version = 2", a.ID, fx.instrument); n != 1 {
		t.Errorf("stored patch: %d", n)
	}

	res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin, Header: map[string]string{"If-Match": `"2"`}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "mandate_assignments", "id = ? AND archived_at IS NOT NULL AND version = 3", a.ID); n != 1 {
		t.Errorf("archived: %d", n)
	}
	var archived scenAssignment
	env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: fx.admin}).Decode(t, &archived)
	if archived.ArchivedAt == nil {
		t.Errorf("get archived: %+v", archived)
	}
	before = env.Fingerprint(t)
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin}); res.Status != http.StatusNoContent {
		t.Errorf("delete again: %d", res.Status)
	}
	apitest.Problem(t, scenPatch(fx, t, fx.admin, path, `{"notes":"x"}`, ""), http.StatusConflict)
	env.Unchanged(t, before)

	evs := scenAuditOf(t, env, "mandate_assignment", a.ID)
	if !slices.Equal(scenActions(evs), []string{"mandate_assignment.create", "mandate_assignment.update", "mandate_assignment.archive"}) {
		t.Fatalf("audit: %v", scenActions(evs))
	}
	if evs[0].Before != nil || scenObject(t, evs[0].After)["role"] != "responsible" ||
		scenObject(t, evs[1].Before)["role"] != "responsible" || scenObject(t, evs[1].After)["role"] != "accountable" ||
		scenObject(t, evs[2].Before)["archived_at"] != nil || scenObject(t, evs[2].After)["archived_at"] == nil {
		t.Errorf("audit states: %+v", evs)
	}

	t.Run("history lists the events newest first", func(t *testing.T) {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + "/history", Token: scenToken(t, env, actor.Viewer, nil)})
		if res.Status != http.StatusOK {
			t.Fatalf("history: %d %s", res.Status, res.Body)
		}
		var h struct {
			Items []struct {
				Action       string `json:"action"`
				ResourceType string `json:"resource_type"`
				ResourceID   string `json:"resource_id"`
				Actor        struct{ Kind string }
				Before       *map[string]any `json:"before"`
				After        *map[string]any `json:"after"`
			} `json:"items"`
			Next string `json:"next_page_token"`
		}
		res.Decode(t, &h)
		var actions []string
		for _, it := range h.Items {
			actions = append(actions, it.Action)
			if it.ResourceType != "mandate_assignment" || it.ResourceID != a.ID || it.Actor.Kind != "user" || it.After == nil {
				t.Errorf("event: %+v", it)
			}
		}
		if !slices.Equal(actions, []string{"mandate_assignment.archive", "mandate_assignment.update", "mandate_assignment.create"}) || h.Next != "" {
			t.Fatalf("history: %v", actions)
		}
		if h.Items[2].Before != nil || h.Items[1].Before == nil || (*h.Items[1].Before)["role"] != "responsible" || (*h.Items[1].After)["role"] != "accountable" {
			t.Errorf("before/after: %s", res.Body)
		}
		// Paged.
		res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + "/history?page_size=2", Token: fx.admin})
		res.Decode(t, &h)
		if len(h.Items) != 2 || h.Next == "" {
			t.Fatalf("first page: %s", res.Body)
		}
		res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + "/history?page_size=2&page_token=" + url.QueryEscape(h.Next), Token: fx.admin})
		res.Decode(t, &h)
		if len(h.Items) != 1 || h.Items[0].Action != "mandate_assignment.create" || h.Next != "" {
			t.Fatalf("second page: %s", res.Body)
		}
	})
}

func TestAssignmentBadInput(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	archivedFunction := scenCreateFunction(t, env, "F-OLD")
	scenExec(t, env, `UPDATE functions SET archived_at = now() WHERE id = ?`, archivedFunction)
	archivedUnit := scenInstitution(t, env, "OLD-UNIT", nil)
	scenExec(t, env, `UPDATE institutions SET archived_at = now() WHERE id = ?`, archivedUnit)
	archivedInstrument := scenCreateInstrument(t, env, "LAW-OLD")
	scenExec(t, env, `UPDATE legal_instruments SET archived_at = now() WHERE id = ?`, archivedInstrument)

	valid := func(changes map[string]any) map[string]any {
		b := map[string]any{"function_id": fx.functions[0], "institution_id": fx.child, "role": "responsible", "basis": "de_facto", "evidence": "Seen"}
		for k, v := range changes {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	before := env.Fingerprint(t)
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown function", valid(map[string]any{"function_id": uuid.NewString()}), "function_id"},
		{"archived function", valid(map[string]any{"function_id": archivedFunction}), "function_id"},
		{"unknown institution", valid(map[string]any{"institution_id": uuid.NewString()}), "institution_id"},
		{"archived institution", valid(map[string]any{"institution_id": archivedUnit}), "institution_id"},
		{"unknown instrument", valid(map[string]any{"instrument_id": uuid.NewString()}), "instrument_id"},
		{"archived instrument", valid(map[string]any{"basis": "de_jure", "instrument_id": archivedInstrument}), "instrument_id"},
		{"de jure without instrument", valid(map[string]any{"basis": "de_jure"}), "instrument_id"},
		{"de facto without evidence", valid(map[string]any{"evidence": nil}), "evidence"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin, Body: c.body})
			scenWantField(t, res, http.StatusUnprocessableEntity, c.field)
		})
	}
	// The contract refuses what its schema forbids before any handler runs.
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin, Body: valid(map[string]any{"role": "owner"})})
	apitest.Problem(t, res, http.StatusBadRequest)
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(uuid.NewString()), Token: fx.admin, Body: valid(nil)})
	apitest.Problem(t, res, http.StatusNotFound)
	env.Unchanged(t, before)

	a := scenCreateAssignment(t, fx, s.ID, valid(nil))
	path := scenAssignmentsPath(s.ID) + "/" + a.ID

	t.Run("patches with bad references", func(t *testing.T) {
		before := env.Fingerprint(t)
		scenWantField(t, scenPatch(fx, t, fx.admin, path, fmt.Sprintf(`{"institution_id":%q}`, archivedUnit), ""), http.StatusUnprocessableEntity, "institution_id")
		scenWantField(t, scenPatch(fx, t, fx.admin, path, fmt.Sprintf(`{"institution_id":%q}`, uuid.NewString()), ""), http.StatusUnprocessableEntity, "institution_id")
		scenWantField(t, scenPatch(fx, t, fx.admin, path, fmt.Sprintf(`{"basis":"de_jure","instrument_id":%q}`, archivedInstrument), ""), http.StatusUnprocessableEntity, "instrument_id")
		scenWantField(t, scenPatch(fx, t, fx.admin, path, `{"evidence":null}`, ""), http.StatusUnprocessableEntity, "evidence")
		apitest.Problem(t, scenPatch(fx, t, fx.admin, path, fmt.Sprintf(`{"function_id":%q}`, fx.functions[1]), ""), http.StatusBadRequest)
		env.Unchanged(t, before)
	})

	t.Run("an assignment of another scenario is 404", func(t *testing.T) {
		other := scenCreateScenario(t, fx, scenBody("ASN-OTHER", "proposed"))
		wrong := scenAssignmentsPath(other.ID) + "/" + a.ID
		before := env.Fingerprint(t)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: wrong, Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: wrong + "/history", Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, scenPatch(fx, t, fx.admin, wrong, `{"notes":"x"}`, ""), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: wrong, Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: scenAssignmentsPath(s.ID) + "/" + uuid.NewString(), Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: scenAssignmentsPath(uuid.NewString()), Token: fx.admin}), http.StatusNotFound)
		env.Unchanged(t, before)
	})

	t.Run("an archived scenario is 409", func(t *testing.T) {
		gone := scenCreateScenario(t, fx, scenBody("ASN-GONE", "proposed"))
		ga := scenCreateAssignment(t, fx, gone.ID, valid(nil))
		env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + gone.ID, Token: fx.admin})
		before := env.Fingerprint(t)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(gone.ID), Token: fx.admin,
			Body: valid(map[string]any{"function_id": fx.functions[1]})}), http.StatusConflict)
		apitest.Problem(t, scenPatch(fx, t, fx.admin, scenAssignmentsPath(gone.ID)+"/"+ga.ID, `{"notes":"x"}`, ""), http.StatusConflict)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(gone.ID) + "/" + ga.ID, Token: fx.admin}), http.StatusConflict)
		env.Unchanged(t, before)
	})
}

func TestAssignmentConflicts(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	base := func(fn, unit uuid.UUID, role string) map[string]any {
		return map[string]any{"function_id": fn, "institution_id": unit, "role": role, "basis": "de_facto", "evidence": "Seen"}
	}
	acc := scenCreateAssignment(t, fx, s.ID, base(fx.functions[0], fx.root, "accountable"))
	resp := scenCreateAssignment(t, fx, s.ID, base(fx.functions[0], fx.child, "responsible"))

	before := env.Fingerprint(t)
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin, Body: base(fx.functions[0], fx.child, "consulted")})
	p := apitest.Problem(t, res, http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, resp.ID) {
		t.Errorf("duplicate cell: detail %q does not name %s", d, resp.ID)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin, Body: base(fx.functions[0], fx.other, "accountable")})
	p = apitest.Problem(t, res, http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, acc.ID) || !strings.Contains(d, "MRE") {
		t.Errorf("second accountable: detail %q does not name MRE and %s", d, acc.ID)
	}
	// The same through a patch.
	p = apitest.Problem(t, scenPatch(fx, t, fx.admin, scenAssignmentsPath(s.ID)+"/"+resp.ID, `{"role":"accountable"}`, ""), http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, acc.ID) || !strings.Contains(d, "MRE") {
		t.Errorf("patch to accountable: detail %q", d)
	}
	p = apitest.Problem(t, scenPatch(fx, t, fx.admin, scenAssignmentsPath(s.ID)+"/"+resp.ID, fmt.Sprintf(`{"institution_id":%q}`, fx.root), ""), http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, acc.ID) {
		t.Errorf("patch onto a held cell: detail %q", d)
	}
	// Inside an Idempotency-Key transaction the explanation is looked up all the same.
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: fx.admin,
		Body: base(fx.functions[0], fx.other, "accountable"), Header: map[string]string{"Idempotency-Key": uuid.NewString()}})
	if d, _ := apitest.Problem(t, res, http.StatusConflict)["detail"].(string); !strings.Contains(d, acc.ID) {
		t.Errorf("idempotent second accountable: detail %q", d)
	}
	env.Unchanged(t, before)

	// Other scenarios and archived rows do not count.
	other := scenCreateScenario(t, fx, scenBody("ASN-OTHER", "proposed"))
	scenCreateAssignment(t, fx, other.ID, base(fx.functions[0], fx.other, "accountable"))
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(s.ID) + "/" + acc.ID, Token: fx.admin})
	scenCreateAssignment(t, fx, s.ID, base(fx.functions[0], fx.other, "accountable"))
	scenCreateAssignment(t, fx, s.ID, base(fx.functions[0], fx.root, "informed"))
	if n := env.Count(t, "mandate_assignments", "scenario_id = ? AND function_id = ? AND role = 'accountable' AND archived_at IS NULL", s.ID, fx.functions[0]); n != 1 {
		t.Errorf("active accountable rows: %d", n)
	}
}

func TestAssignmentEditorScope(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	editor := scenToken(t, env, actor.Editor, &fx.root)
	body := func(fn, unit uuid.UUID) map[string]any {
		return map[string]any{"function_id": fn, "institution_id": unit, "role": "responsible", "basis": "de_facto", "evidence": "Seen"}
	}

	inside := scenCreateAssignmentAs(t, fx, editor, s.ID, body(fx.functions[0], fx.child))
	outside := scenCreateAssignment(t, fx, s.ID, body(fx.functions[1], fx.other))
	if evs := scenAuditOf(t, env, "mandate_assignment", inside.ID); len(evs) != 1 || evs[0].ActorLabel == nil || !strings.HasPrefix(*evs[0].ActorLabel, "tester-") {
		t.Errorf("editor's create is not attributed: %+v", evs)
	}

	before := env.Fingerprint(t)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: editor, Body: body(fx.functions[2], fx.other)}), http.StatusForbidden)
	apitest.Problem(t, scenPatch(fx, t, editor, scenAssignmentsPath(s.ID)+"/"+inside.ID, fmt.Sprintf(`{"institution_id":%q}`, fx.other), ""), http.StatusForbidden)
	apitest.Problem(t, scenPatch(fx, t, editor, scenAssignmentsPath(s.ID)+"/"+outside.ID, fmt.Sprintf(`{"institution_id":%q}`, fx.child), ""), http.StatusForbidden)
	apitest.Problem(t, scenPatch(fx, t, editor, scenAssignmentsPath(s.ID)+"/"+outside.ID, `{"notes":"x"}`, ""), http.StatusForbidden)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(s.ID) + "/" + outside.ID, Token: editor}), http.StatusForbidden)
	// An editor of no institution, partners and viewers write nothing.
	noInst := scenToken(t, env, actor.Editor, nil)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: noInst, Body: body(fx.functions[2], fx.child)}), http.StatusForbidden)
	for _, role := range []actor.Role{actor.Partner, actor.Viewer} {
		tok := scenToken(t, env, role, &fx.root)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: scenAssignmentsPath(s.ID), Token: tok, Body: body(fx.functions[2], fx.child)}), http.StatusForbidden)
		apitest.Problem(t, scenPatch(fx, t, tok, scenAssignmentsPath(s.ID)+"/"+inside.ID, `{"notes":"x"}`, ""), http.StatusForbidden)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(s.ID) + "/" + inside.ID, Token: tok}), http.StatusForbidden)
	}
	env.Unchanged(t, before)

	// Inside its subtree the editor does everything.
	res := scenPatch(fx, t, editor, scenAssignmentsPath(s.ID)+"/"+inside.ID, fmt.Sprintf(`{"institution_id":%q,"notes":"moved up"}`, fx.root), `"1"`)
	if res.Status != http.StatusOK {
		t.Fatalf("editor patch: %d %s", res.Status, res.Body)
	}
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(s.ID) + "/" + inside.ID, Token: editor}); res.Status != http.StatusNoContent {
		t.Fatalf("editor delete: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "mandate_assignments", "id = ? AND institution_id = ? AND archived_at IS NOT NULL", inside.ID, fx.root); n != 1 {
		t.Errorf("editor's writes not stored")
	}
}

func TestAssignmentIfMatch(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	a := scenCreateAssignment(t, fx, s.ID, map[string]any{"function_id": fx.functions[0], "institution_id": fx.child,
		"role": "responsible", "basis": "de_facto", "evidence": "Seen"})
	path := scenAssignmentsPath(s.ID) + "/" + a.ID
	if res := scenPatch(fx, t, fx.admin, path, `{"notes":"first"}`, `"1"`); res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	before := env.Fingerprint(t)
	apitest.Problem(t, scenPatch(fx, t, fx.admin, path, `{"notes":"lost update"}`, `"1"`), http.StatusPreconditionFailed)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin, Header: map[string]string{"If-Match": `"1"`}}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)
	if res := scenPatch(fx, t, fx.admin, path, `{"notes":"second"}`, `"0", "2"`); res.Status != http.StatusOK {
		t.Fatalf("patch with current tag: %d %s", res.Status, res.Body)
	}
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin, Header: map[string]string{"If-Match": `"3"`}}); res.Status != http.StatusNoContent {
		t.Fatalf("delete with current tag: %d %s", res.Status, res.Body)
	}
}

func TestAssignmentList(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	other := scenCreateScenario(t, fx, scenBody("ASN-OTHER", "proposed"))
	units := []uuid.UUID{fx.root, fx.child, fx.other}
	roles := []string{"accountable", "responsible", "consulted"}
	var created []scenAssignment
	for i, fn := range fx.functions {
		for j, unit := range units {
			b := map[string]any{"function_id": fn, "institution_id": unit, "role": roles[j], "basis": "de_facto", "evidence": "Seen"}
			if (i+j)%2 == 0 {
				b["basis"], b["instrument_id"] = "de_jure", fx.instrument
			}
			created = append(created, scenCreateAssignment(t, fx, s.ID, b))
		}
	}
	scenCreateAssignment(t, fx, other.ID, map[string]any{"function_id": fx.functions[0], "institution_id": fx.root, "role": "informed", "basis": "de_facto", "evidence": "x"})
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: scenAssignmentsPath(s.ID) + "/" + created[4].ID, Token: fx.admin})

	walk := func(query string, size int) []string {
		t.Helper()
		var out []string
		token := ""
		for pages := 0; pages < 20; pages++ {
			q := url.Values{}
			if query != "" {
				var err error
				if q, err = url.ParseQuery(query); err != nil {
					t.Fatal(err)
				}
			}
			q.Set("page_size", fmt.Sprint(size))
			if token != "" {
				q.Set("page_token", token)
			}
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: scenAssignmentsPath(s.ID) + "?" + q.Encode(), Token: fx.admin})
			if res.Status != http.StatusOK {
				t.Fatalf("list %s: %d %s", q.Encode(), res.Status, res.Body)
			}
			var p scenAssignmentPage
			res.Decode(t, &p)
			if len(p.Items) > size {
				t.Fatalf("page of %d > %d", len(p.Items), size)
			}
			for _, it := range p.Items {
				if it.ScenarioID != s.ID {
					t.Fatalf("item of another scenario: %+v", it)
				}
				out = append(out, it.ID)
			}
			if token = p.Next; token == "" {
				return out
			}
		}
		t.Fatal("too many pages")
		return nil
	}
	ids := func(keep func(i int, a scenAssignment) bool) []string {
		var out []string
		for i, a := range created {
			if keep(i, a) {
				out = append(out, a.ID)
			}
		}
		return out
	}
	active := func(i int, _ scenAssignment) bool { return i != 4 }
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", ids(active)},
		{"include_archived=true", ids(func(int, scenAssignment) bool { return true })},
		{"function_id=" + fx.functions[1].String(), ids(func(i int, a scenAssignment) bool { return active(i, a) && a.FunctionID == fx.functions[1].String() })},
		{"institution_id=" + fx.other.String(), ids(func(i int, a scenAssignment) bool { return a.InstitutionID == fx.other.String() })},
		{"role=accountable&role=consulted", ids(func(i int, a scenAssignment) bool { return active(i, a) && a.Role != "responsible" })},
		{"basis=de_jure", ids(func(i int, a scenAssignment) bool { return active(i, a) && a.Basis == "de_jure" })},
		{"basis=de_facto&role=responsible&include_archived=true", ids(func(i int, a scenAssignment) bool { return a.Basis == "de_facto" && a.Role == "responsible" })},
	} {
		for _, size := range []int{2, 500} {
			if got := walk(c.query, size); !slices.Equal(got, c.want) {
				t.Errorf("%q (page size %d): %v, want %v", c.query, size, got, c.want)
			}
		}
	}

	t.Run("a page costs the same number of statements whatever its size", func(t *testing.T) {
		count := func(size int) int64 {
			before := env.DB.Queries()
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: fmt.Sprintf("%s?page_size=%d", scenAssignmentsPath(s.ID), size), Token: fx.admin})
			if res.Status != http.StatusOK {
				t.Fatalf("list: %d", res.Status)
			}
			return env.DB.Queries() - before
		}
		small, large := count(1), count(8)
		if small != large || large > 3 {
			t.Errorf("statements: %d for 1 item, %d for 8", small, large)
		}
	})

	t.Run("a token from another scenario's list is refused", func(t *testing.T) {
		var p scenAssignmentPage
		env.Do(t, apitest.Request{Method: http.MethodGet, Path: scenAssignmentsPath(s.ID) + "?page_size=1", Token: fx.admin}).Decode(t, &p)
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: scenAssignmentsPath(other.ID) + "?page_token=" + url.QueryEscape(p.Next), Token: fx.admin})
		apitest.Problem(t, res, http.StatusBadRequest)
	})
}
