package mandates_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// scenText is a localized text as the API renders it.
type scenText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// scenScenario is a scenario as the API renders it.
type scenScenario struct {
	ID           string    `json:"id"`
	Code         string    `json:"code"`
	Name         scenText  `json:"name"`
	Description  *scenText `json:"description"`
	Kind         string    `json:"kind"`
	Status       string    `json:"status"`
	CopiedFromID *string   `json:"copied_from_id"`
	AdoptedAt    *string   `json:"adopted_at"`
	AdoptedBy    *string   `json:"adopted_by"`
	Demo         bool      `json:"demo"`
	Version      int64     `json:"version"`
	CreatedAt    string    `json:"created_at"`
	UpdatedAt    string    `json:"updated_at"`
	ArchivedAt   *string   `json:"archived_at"`
}

type scenScenarioPage struct {
	Items []scenScenario `json:"items"`
	Next  string         `json:"next_page_token"`
}

// scenAssignment is an assignment as the API renders it.
type scenAssignment struct {
	ID            string  `json:"id"`
	ScenarioID    string  `json:"scenario_id"`
	FunctionID    string  `json:"function_id"`
	InstitutionID string  `json:"institution_id"`
	Role          string  `json:"role"`
	Basis         string  `json:"basis"`
	InstrumentID  *string `json:"instrument_id"`
	Article       *string `json:"article"`
	Evidence      *string `json:"evidence"`
	Notes         *string `json:"notes"`
	Version       int64   `json:"version"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
	ArchivedAt    *string `json:"archived_at"`
}

type scenAssignmentPage struct {
	Items []scenAssignment `json:"items"`
	Next  string           `json:"next_page_token"`
}

// scenFixture is a small world: a ministry with a directorate under it, an unrelated agency,
// functions and a legal instrument, inserted directly so these tests depend on no other
// mandates code.
type scenFixture struct {
	env        *apitest.Env
	admin      string
	root       uuid.UUID // MRE
	child      uuid.UUID // a directorate under MRE
	other      uuid.UUID // an agency outside MRE
	functions  []uuid.UUID
	instrument uuid.UUID
}

func scenSetup(t *testing.T) *scenFixture {
	t.Helper()
	env := apitest.New(t)
	fx := &scenFixture{env: env, admin: env.AdminToken(t)}
	fx.root = scenInstitution(t, env, "MRE", nil)
	fx.child = scenInstitution(t, env, "MRE-DGC", &fx.root)
	fx.other = scenInstitution(t, env, "MIGRACIONES", nil)
	for _, code := range []string{"F-POLICY", "F-ASSIST", "F-ENGAGE"} {
		fx.functions = append(fx.functions, scenCreateFunction(t, env, code))
	}
	fx.instrument = scenCreateInstrument(t, env, "DL-1350")
	return fx
}

func scenInstitution(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	in, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "directorate", Tier: "national", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return in.ID
}

func scenCreateFunction(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if err := env.DB.Conn(context.Background()).Exec(
		`INSERT INTO functions (id, code, title_es, category) VALUES (?, ?, ?, 'policy')`, id, code, "Función "+code).Error; err != nil {
		t.Fatalf("function %s: %v", code, err)
	}
	return id
}

func scenCreateInstrument(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if err := env.DB.Conn(context.Background()).Exec(
		`INSERT INTO legal_instruments (id, code, type, number, title_es) VALUES (?, ?, 'legislative_decree', ?, ?)`,
		id, code, code, "Decreto "+code).Error; err != nil {
		t.Fatalf("instrument %s: %v", code, err)
	}
	return id
}

func scenExec(t *testing.T, env *apitest.Env, sql string, args ...any) {
	t.Helper()
	if err := env.DB.Conn(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func scenToken(t *testing.T, env *apitest.Env, role actor.Role, inst *uuid.UUID) string {
	t.Helper()
	return env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: inst})
}

func scenBody(code, kind string) map[string]any {
	return map[string]any{"code": code, "name": map[string]any{"es": "Escenario " + code}, "kind": kind}
}

func scenCreateScenario(t *testing.T, fx *scenFixture, body map[string]any) scenScenario {
	t.Helper()
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: fx.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create scenario %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out scenScenario
	res.Decode(t, &out)
	return out
}

func scenGetScenario(t *testing.T, fx *scenFixture, id string) (scenScenario, apitest.Response) {
	t.Helper()
	res := fx.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + id, Token: fx.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("get scenario %s: %d %s", id, res.Status, res.Body)
	}
	var out scenScenario
	res.Decode(t, &out)
	return out, res
}

// scenFields returns the errors[].field of a problem document.
func scenFields(p map[string]any) []string {
	var out []string
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			f, _ := m["field"].(string)
			out = append(out, f)
		}
	}
	return out
}

func scenWantField(t *testing.T, res apitest.Response, status int, field string) map[string]any {
	t.Helper()
	p := apitest.Problem(t, res, status)
	if !slices.Contains(scenFields(p), field) {
		t.Fatalf("problem names fields %v, want %q: %s", scenFields(p), field, res.Body)
	}
	return p
}

// scenAudit returns the audit events of a resource, oldest first.
type scenEvent struct {
	Action     string
	ActorLabel *string
	Before     json.RawMessage
	After      json.RawMessage
}

func scenAuditOf(t *testing.T, env *apitest.Env, resourceType, id string) []scenEvent {
	t.Helper()
	var out []scenEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, actor_label, before, after FROM audit_events WHERE resource_type = ? AND resource_id = ? ORDER BY occurred_at, id`,
		resourceType, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func scenActions(evs []scenEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Action
	}
	return out
}

func scenObject(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("audit state %s: %v", raw, err)
	}
	return m
}

func TestScenarioCRUD(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env

	body := scenBody("ASN-ASIS-2023", "as_is")
	body["description"] = map[string]any{"en": "How functions are distributed today"}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: fx.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var s scenScenario
	res.Decode(t, &s)
	if res.Header.Get("Location") != "/v1/mandate-scenarios/"+s.ID || res.Header.Get("ETag") != `"1"` {
		t.Errorf("headers: Location %q ETag %q", res.Header.Get("Location"), res.Header.Get("ETag"))
	}
	if s.Code != "ASN-ASIS-2023" || s.Kind != "as_is" || s.Status != "draft" || s.Version != 1 || s.Demo ||
		s.AdoptedAt != nil || s.AdoptedBy != nil || s.CopiedFromID != nil || s.ArchivedAt != nil ||
		s.Description == nil || *s.Description.En != "How functions are distributed today" || *s.Name.Es != "Escenario ASN-ASIS-2023" {
		t.Errorf("created: %+v", s)
	}
	if n := env.Count(t, "mandate_scenarios", "id = ? AND code = ? AND status = 'draft' AND kind = 'as_is' AND version = 1", s.ID, s.Code); n != 1 {
		t.Errorf("stored rows: %d", n)
	}
	if evs := scenAuditOf(t, env, "mandate_scenario", s.ID); !slices.Equal(scenActions(evs), []string{"mandate_scenario.create"}) ||
		evs[0].Before != nil || scenObject(t, evs[0].After)["code"] != "ASN-ASIS-2023" {
		t.Errorf("audit after create: %+v", evs)
	}

	got, getRes := scenGetScenario(t, fx, s.ID)
	if got.ID != s.ID || getRes.Header.Get("ETag") != `"1"` {
		t.Errorf("get: %+v %q", got, getRes.Header.Get("ETag"))
	}

	t.Run("duplicate code is a 409 that writes nothing", func(t *testing.T) {
		before := env.Fingerprint(t)
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: fx.admin, Body: scenBody("ASN-ASIS-2023", "proposed")})
		scenWantField(t, res, http.StatusConflict, "code")
		env.Unchanged(t, before)
	})

	t.Run("patch", func(t *testing.T) {
		path := "/v1/mandate-scenarios/" + s.ID
		before := env.Fingerprint(t)
		res := env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: fx.admin, ContentType: "application/merge-patch+json",
			Body: `{"name":{"en":"Proposal B"}}`, Header: map[string]string{"If-Match": `"7"`}})
		apitest.Problem(t, res, http.StatusPreconditionFailed)
		env.Unchanged(t, before)

		res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: fx.admin, ContentType: "application/merge-patch+json",
			Body: `{"name":{"es":null}}`})
		scenWantField(t, res, http.StatusUnprocessableEntity, "name")
		env.Unchanged(t, before)

		res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: fx.admin, ContentType: "application/merge-patch+json",
			Body: `{"name":{"en":"Proposal B"},"description":null,"kind":"proposed"}`, Header: map[string]string{"If-Match": `"1"`}})
		if res.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		var p scenScenario
		res.Decode(t, &p)
		if p.Version != 2 || res.Header.Get("ETag") != `"2"` || *p.Name.En != "Proposal B" || *p.Name.Es != "Escenario ASN-ASIS-2023" ||
			p.Description != nil || p.Kind != "proposed" || p.Code != s.Code {
			t.Errorf("patched: %+v", p)
		}
		if n := env.Count(t, "mandate_scenarios", "id = ? AND name_en = 'Proposal B' AND description_en IS NULL AND kind = 'proposed' AND version = 2", s.ID); n != 1 {
			t.Errorf("stored patch: %d", n)
		}
		evs := scenAuditOf(t, env, "mandate_scenario", s.ID)
		if !slices.Equal(scenActions(evs), []string{"mandate_scenario.create", "mandate_scenario.update"}) ||
			scenObject(t, evs[1].Before)["kind"] != "as_is" || scenObject(t, evs[1].After)["kind"] != "proposed" {
			t.Errorf("audit after patch: %v", scenActions(evs))
		}

		other := scenCreateScenario(t, fx, scenBody("ASN-OTHER", "proposed"))
		before = env.Fingerprint(t)
		res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/mandate-scenarios/" + other.ID, Token: fx.admin,
			ContentType: "application/merge-patch+json", Body: `{"code":"ASN-ASIS-2023"}`})
		scenWantField(t, res, http.StatusConflict, "code")
		env.Unchanged(t, before)
	})

	t.Run("unknown is 404", func(t *testing.T) {
		unknown := uuid.NewString()
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + unknown, Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/mandate-scenarios/" + unknown, Token: fx.admin,
			ContentType: "application/merge-patch+json", Body: `{"kind":"proposed"}`}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + unknown, Token: fx.admin}), http.StatusNotFound)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios/" + unknown + "/adoption", Token: fx.admin}), http.StatusNotFound)
	})

	t.Run("archive", func(t *testing.T) {
		path := "/v1/mandate-scenarios/" + s.ID
		before := env.Fingerprint(t)
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin,
			Header: map[string]string{"If-Match": `"1"`}}), http.StatusPreconditionFailed)
		env.Unchanged(t, before)

		res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin, Header: map[string]string{"If-Match": `"2"`}})
		if res.Status != http.StatusNoContent {
			t.Fatalf("archive: %d %s", res.Status, res.Body)
		}
		got, _ := scenGetScenario(t, fx, s.ID)
		if got.ArchivedAt == nil || got.Version != 3 {
			t.Errorf("archived: %+v", got)
		}
		if evs := scenAuditOf(t, env, "mandate_scenario", s.ID); evs[len(evs)-1].Action != "mandate_scenario.archive" ||
			scenObject(t, evs[len(evs)-1].Before)["archived_at"] != nil || scenObject(t, evs[len(evs)-1].After)["archived_at"] == nil {
			t.Errorf("audit after archive: %v", scenActions(evs))
		}
		// Archiving again changes nothing.
		before = env.Fingerprint(t)
		if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin}); res.Status != http.StatusNoContent {
			t.Fatalf("archive again: %d %s", res.Status, res.Body)
		}
		env.Unchanged(t, before)
		// An archived scenario is not edited.
		res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: fx.admin, ContentType: "application/merge-patch+json", Body: `{"kind":"as_is"}`})
		apitest.Problem(t, res, http.StatusConflict)
		res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: fx.admin})
		apitest.Problem(t, res, http.StatusConflict)
		env.Unchanged(t, before)
	})
}

func TestScenarioWriters(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-DRAFT", "proposed"))
	path := "/v1/mandate-scenarios/" + s.ID
	editor := scenToken(t, env, actor.Editor, &fx.root)

	before := env.Fingerprint(t)
	for _, c := range []struct {
		name  string
		token string
	}{
		{"editor", editor},
		{"partner", scenToken(t, env, actor.Partner, &fx.root)},
		{"viewer", scenToken(t, env, actor.Viewer, nil)},
	} {
		t.Run(c.name, func(t *testing.T) {
			apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: c.token,
				Body: scenBody("ASN-"+strings.ToUpper(c.name), "proposed")}), http.StatusForbidden)
			apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: c.token,
				ContentType: "application/merge-patch+json", Body: `{"kind":"as_is"}`}), http.StatusForbidden)
			apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: c.token}), http.StatusForbidden)
			apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: c.token}), http.StatusForbidden)
			// Everyone reads.
			if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: c.token}); res.Status != http.StatusOK {
				t.Errorf("read: %d %s", res.Status, res.Body)
			}
		})
	}
	env.Unchanged(t, before)

	importer := scenToken(t, env, actor.Importer, nil)
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: importer, Body: scenBody("ASN-IMPORTED", "as_is")})
	if res.Status != http.StatusCreated {
		t.Fatalf("importer create: %d %s", res.Status, res.Body)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: importer, ContentType: "application/merge-patch+json", Body: `{"kind":"as_is"}`})
	if res.Status != http.StatusOK {
		t.Fatalf("importer patch: %d %s", res.Status, res.Body)
	}
}

func TestScenarioCopy(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	src := scenCreateScenario(t, fx, scenBody("ASN-ASIS", "as_is"))
	instrument := fx.instrument.String()
	a1 := scenCreateAssignment(t, fx, src.ID, map[string]any{"function_id": fx.functions[0], "institution_id": fx.root,
		"role": "accountable", "basis": "de_jure", "instrument_id": instrument, "article": "Art. 5", "notes": "Lead"})
	a2 := scenCreateAssignment(t, fx, src.ID, map[string]any{"function_id": fx.functions[0], "institution_id": fx.child,
		"role": "responsible", "basis": "de_facto", "evidence": "Interviews, 2023"})
	gone := scenCreateAssignment(t, fx, src.ID, map[string]any{"function_id": fx.functions[1], "institution_id": fx.other,
		"role": "informed", "basis": "de_facto", "evidence": "Minutes"})
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + src.ID + "/assignments/" + gone.ID, Token: fx.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	const sourceRows = `SELECT string_agg(t::text, ',' ORDER BY id) FROM mandate_assignments t WHERE scenario_id = ?`
	var sourceBefore string
	if err := env.DB.Conn(context.Background()).Raw(sourceRows, src.ID).Scan(&sourceBefore).Error; err != nil {
		t.Fatal(err)
	}

	t.Run("unknown or archived source is a 422 that writes nothing", func(t *testing.T) {
		before := env.Fingerprint(t)
		b := scenBody("ASN-COPY", "proposed")
		b["copy_from_id"] = uuid.NewString()
		scenWantField(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: fx.admin, Body: b}),
			http.StatusUnprocessableEntity, "copy_from_id")
		env.Unchanged(t, before)

		archived := scenCreateScenario(t, fx, scenBody("ASN-OLD", "proposed"))
		env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + archived.ID, Token: fx.admin})
		before = env.Fingerprint(t)
		b["copy_from_id"] = archived.ID
		scenWantField(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios", Token: fx.admin, Body: b}),
			http.StatusUnprocessableEntity, "copy_from_id")
		env.Unchanged(t, before)
	})

	b := scenBody("ASN-PROPOSED", "proposed")
	b["copy_from_id"] = src.ID
	cp := scenCreateScenario(t, fx, b)
	if cp.CopiedFromID == nil || *cp.CopiedFromID != src.ID || cp.Status != "draft" || cp.Kind != "proposed" {
		t.Errorf("copy: %+v", cp)
	}
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + cp.ID + "/assignments?include_archived=true", Token: fx.admin})
	var copied scenAssignmentPage
	res.Decode(t, &copied)
	if len(copied.Items) != 2 {
		t.Fatalf("copied %d assignments, want the 2 active ones: %s", len(copied.Items), res.Body)
	}
	for _, want := range []scenAssignment{a1, a2} {
		i := slices.IndexFunc(copied.Items, func(c scenAssignment) bool { return c.InstitutionID == want.InstitutionID })
		if i < 0 {
			t.Fatalf("no copy of %+v", want)
		}
		c := copied.Items[i]
		if c.ID == want.ID || c.ScenarioID != cp.ID || c.FunctionID != want.FunctionID || c.Role != want.Role || c.Basis != want.Basis ||
			!scenSame(c.InstrumentID, want.InstrumentID) || !scenSame(c.Article, want.Article) || !scenSame(c.Evidence, want.Evidence) ||
			!scenSame(c.Notes, want.Notes) || c.Version != 1 || c.ArchivedAt != nil {
			t.Errorf("copy %+v of %+v", c, want)
		}
		if _, err := uuid.Parse(c.ID); err != nil || uuid.MustParse(c.ID).Version() != 7 {
			t.Errorf("copied id %s is not a UUIDv7", c.ID)
		}
	}
	var sourceAfter string
	if err := env.DB.Conn(context.Background()).Raw(sourceRows, src.ID).Scan(&sourceAfter).Error; err != nil {
		t.Fatal(err)
	}
	if sourceAfter != sourceBefore {
		t.Errorf("the source's assignments changed:\n%s\n%s", sourceBefore, sourceAfter)
	}
	evs := scenAuditOf(t, env, "mandate_scenario", cp.ID)
	if !slices.Equal(scenActions(evs), []string{"mandate_scenario.create"}) || scenObject(t, evs[0].After)["copied_assignments"] != float64(2) {
		t.Errorf("audit of the copy: %+v", evs)
	}
	// The copies are independent: editing one leaves the source alone.
	res = env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/mandate-scenarios/" + cp.ID + "/assignments/" + copied.Items[0].ID,
		Token: fx.admin, ContentType: "application/merge-patch+json", Body: `{"notes":"changed in the copy"}`})
	if res.Status != http.StatusOK {
		t.Fatalf("patch copy: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "mandate_assignments", "scenario_id = ? AND notes = 'changed in the copy'", src.ID); n != 0 {
		t.Errorf("source changed with the copy")
	}
}

func scenSame(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func TestScenarioAdoption(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	s := scenCreateScenario(t, fx, scenBody("ASN-FINAL", "proposed"))
	path := "/v1/mandate-scenarios/" + s.ID
	a := scenCreateAssignment(t, fx, s.ID, map[string]any{"function_id": fx.functions[0], "institution_id": fx.child,
		"role": "responsible", "basis": "de_facto", "evidence": "Practice"})

	before := env.Fingerprint(t)
	for _, role := range []actor.Role{actor.Editor, actor.Importer, actor.Partner, actor.Viewer} {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: scenToken(t, env, role, &fx.root)})
		apitest.Problem(t, res, http.StatusForbidden)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: fx.admin,
		Header: map[string]string{"If-Match": `"5"`}}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	coordinator := scenToken(t, env, actor.Coordinator, nil)
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: coordinator, Header: map[string]string{"If-Match": `"1"`}})
	if res.Status != http.StatusOK {
		t.Fatalf("adopt: %d %s", res.Status, res.Body)
	}
	var got scenScenario
	res.Decode(t, &got)
	if got.Status != "adopted" || got.AdoptedAt == nil || got.AdoptedBy == nil || !strings.HasPrefix(*got.AdoptedBy, "tester-") ||
		got.Version != 2 || res.Header.Get("ETag") != `"2"` {
		t.Errorf("adopted: %+v", got)
	}
	evs := scenAuditOf(t, env, "mandate_scenario", s.ID)
	last := evs[len(evs)-1]
	if last.Action != "mandate_scenario.adopt" || last.ActorLabel == nil || *last.ActorLabel != *got.AdoptedBy ||
		scenObject(t, last.Before)["status"] != "draft" || scenObject(t, last.After)["status"] != "adopted" {
		t.Errorf("audit of adoption: %+v", last)
	}
	if n := env.Count(t, "mandate_scenarios", "id = ? AND status = 'adopted' AND adopted_at IS NOT NULL AND adopted_by = ?", s.ID, *got.AdoptedBy); n != 1 {
		t.Errorf("stored adoption: %d", n)
	}

	// Adopted is read-only: the scenario and its assignments.
	before = env.Fingerprint(t)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/adoption", Token: coordinator}), http.StatusConflict)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: fx.admin,
		ContentType: "application/merge-patch+json", Body: `{"kind":"as_is"}`}), http.StatusConflict)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin}), http.StatusConflict)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path + "/assignments", Token: fx.admin,
		Body: map[string]any{"function_id": fx.functions[1], "institution_id": fx.child, "role": "informed", "basis": "de_facto", "evidence": "x"}}), http.StatusConflict)
	p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path + "/assignments/" + a.ID, Token: fx.admin,
		ContentType: "application/merge-patch+json", Body: `{"notes":"late"}`}), http.StatusConflict)
	if detail, _ := p["detail"].(string); !strings.Contains(detail, "read-only") {
		t.Errorf("detail %q does not say read-only", detail)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path + "/assignments/" + a.ID, Token: fx.admin}), http.StatusConflict)
	env.Unchanged(t, before)

	// Still readable, and copyable into a new draft.
	if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + "/assignments/" + a.ID, Token: fx.admin}); res.Status != http.StatusOK {
		t.Errorf("read adopted assignment: %d", res.Status)
	}
	b := scenBody("ASN-NEXT", "proposed")
	b["copy_from_id"] = s.ID
	if cp := scenCreateScenario(t, fx, b); cp.Status != "draft" {
		t.Errorf("copy of adopted: %+v", cp)
	}
}

func TestScenarioList(t *testing.T) {
	t.Parallel()
	fx := scenSetup(t)
	env := fx.env
	codes := []string{"ASN-E", "ASN-A", "ASN-D", "ASN-B", "ASN-C"}
	ids := map[string]string{}
	for i, c := range codes {
		kind := "proposed"
		if i%2 == 0 {
			kind = "as_is"
		}
		ids[c] = scenCreateScenario(t, fx, scenBody(c, kind)).ID
	}
	env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/mandate-scenarios/" + ids["ASN-B"] + "/adoption", Token: fx.admin})
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + ids["ASN-D"], Token: fx.admin})

	list := func(query string) []string {
		t.Helper()
		var out []string
		token := ""
		for pages := 0; ; pages++ {
			q := "page_size=2"
			if query != "" {
				q += "&" + query
			}
			if token != "" {
				q += "&page_token=" + token
			}
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios?" + q, Token: fx.admin})
			if res.Status != http.StatusOK {
				t.Fatalf("list %s: %d %s", q, res.Status, res.Body)
			}
			var p scenScenarioPage
			res.Decode(t, &p)
			if len(p.Items) > 2 || pages > 5 {
				t.Fatalf("page too large or too many pages")
			}
			for _, it := range p.Items {
				out = append(out, it.Code)
			}
			if token = p.Next; token == "" {
				return out
			}
		}
	}
	for q, want := range map[string][]string{
		"":                      {"ASN-A", "ASN-B", "ASN-C", "ASN-E"},
		"include_archived=true": {"ASN-A", "ASN-B", "ASN-C", "ASN-D", "ASN-E"},
		"kind=as_is":            {"ASN-C", "ASN-E"},
		"kind=proposed":         {"ASN-A", "ASN-B"},
		"status=adopted":        {"ASN-B"},
		"status=draft":          {"ASN-A", "ASN-C", "ASN-E"},
	} {
		if got := list(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios?page_token=bogus", Token: fx.admin}), http.StatusBadRequest)
}
