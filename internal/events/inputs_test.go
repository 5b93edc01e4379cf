package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
)

// evtInput is a consultation input as the API renders it.
type evtInput struct {
	ID            string   `json:"id"`
	EventID       string   `json:"event_id"`
	ExternalID    *string  `json:"external_id"`
	Countries     []string `json:"countries"`
	Theme         *string  `json:"theme"`
	Statement     evtText  `json:"statement"`
	TimesRaised   int      `json:"times_raised"`
	Priority      string   `json:"priority"`
	Support       int64    `json:"support"`
	SupportedByMe bool     `json:"supported_by_me"`
	ServiceIDs    []string `json:"service_ids"`
	Demo          bool     `json:"demo"`
	Version       int64    `json:"version"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
	ArchivedAt    *string  `json:"archived_at"`
}

func evtInputBody(event, statement string) map[string]any {
	return map[string]any{"event_id": event, "statement": map[string]any{"es": statement}}
}

func evtCreateInput(t *testing.T, env *apitest.Env, token string, body map[string]any) evtInput {
	t.Helper()
	return evtCreateAt[evtInput](t, env, token, "/v1/consultation-inputs", body)
}

func evtGetInput(t *testing.T, env *apitest.Env, token, id string) (evtInput, apitest.Response) {
	t.Helper()
	return evtGetAt[evtInput](t, env, token, "/v1/consultation-inputs/"+id)
}

// evtSupport sends PUT (support) or DELETE (withdraw) on the input's support.
func evtSupport(t *testing.T, env *apitest.Env, token, method, id string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: method, Path: "/v1/consultation-inputs/" + id + "/support", Token: token})
}

// evtListInputs returns the inputs of one page of path.
func evtListInputs(t *testing.T, env *apitest.Env, token, path string) []evtInput {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("list %s: %d %s", path, res.Status, res.Body)
	}
	var page struct {
		Items []evtInput `json:"items"`
		Next  string     `json:"next_page_token"`
	}
	res.Decode(t, &page)
	if page.Next != "" {
		t.Fatalf("list %s has more than one page", path)
	}
	return page.Items
}

// evtService inserts a service row answering inputs directly: the services area is written by
// others, and the inputs only read the table.
func evtService(t *testing.T, env *apitest.Env, code string, archived bool, inputs ...string) string {
	t.Helper()
	id := uuid.NewString()
	if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO services (id, code, name_es, status, input_ids, archived_at)
		VALUES (?, ?, ?, 'existing', ?::uuid[], CASE WHEN ? THEN now() END)`,
		id, code, "Servicio "+code, "{"+strings.Join(inputs, ",")+"}", archived).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// evtClientToken is a token of an API client (client credentials), which is no person.
func evtClientToken(t *testing.T, env *apitest.Env) string {
	t.Helper()
	roles := []actor.Role{actor.Viewer}
	tok, _, err := env.App.Tokens.Issue(context.Background(), actor.Actor{Kind: actor.Client, ID: uuid.NewString(),
		Label: "partner-system", Roles: roles, Scopes: auth.ScopesFor(roles)})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// evtInputAudits are the audit events of input id with the given action.
func evtInputAudits(t *testing.T, env *apitest.Env, id, action string) []evtAudit {
	t.Helper()
	var out []evtAudit
	for _, a := range evtAudits(t, env, id) {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

func TestInputLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	other := evtCreate(t, env, admin, evtBody("PE-CONSULTA-2", "2023-04-15"))

	res := evtPost(t, env, admin, "/v1/consultation-inputs", map[string]any{
		"event_id": ev.ID, "countries": []string{"ES", "IT"}, "theme": "documents",
		"statement":    map[string]any{"es": "Renovar el pasaporte sin viajar", "en": "Renew passports without travelling"},
		"times_raised": 7, "priority": "high",
	}, map[string]string{"Idempotency-Key": "evt-input-1"})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got evtInput
	res.Decode(t, &got)
	if res.Header.Get("Location") != "/v1/consultation-inputs/"+got.ID || res.Header.Get("ETag") != `"1"` {
		t.Errorf("headers: %v", res.Header)
	}
	if got.EventID != ev.ID || !slices.Equal(got.Countries, []string{"ES", "IT"}) || evtDeref(got.Theme) != "documents" ||
		evtDeref(got.Statement.Es) != "Renovar el pasaporte sin viajar" || evtDeref(got.Statement.En) != "Renew passports without travelling" ||
		got.TimesRaised != 7 || got.Priority != "high" || got.Support != 0 || got.SupportedByMe || got.ServiceIDs == nil ||
		len(got.ServiceIDs) != 0 || got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: %+v", got)
	}
	if n := env.Count(t, "consultation_inputs", `id = ? AND event_id = ? AND countries = ARRAY['ES','IT'] AND theme = 'documents'
		AND times_raised = 7 AND priority = 'high' AND support = 0 AND NOT demo AND version = 1`, got.ID, ev.ID); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := evtGetInput(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v", g)
	}
	if evs := evtInputAudits(t, env, got.ID, "consultation_input.create"); len(evs) != 1 || evs[0].Before != nil {
		t.Errorf("audit after create: %+v", evs)
	}

	// Defaults: raised once, medium priority, no countries, no theme.
	plain := evtCreateInput(t, env, admin, evtInputBody(ev.ID, "Más información"))
	if plain.TimesRaised != 1 || plain.Priority != "medium" || plain.Countries == nil || len(plain.Countries) != 0 || plain.Theme != nil {
		t.Errorf("defaults: %+v", plain)
	}

	// Countries replaced whole, null clears the theme, statement merged, the event stays.
	path := "/v1/consultation-inputs/" + got.ID
	res = evtPatch(t, env, admin, path, map[string]any{"countries": []string{"FR"}, "theme": nil,
		"statement": map[string]any{"en": nil}, "times_raised": 9, "priority": "low"}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd evtInput
	res.Decode(t, &upd)
	if !slices.Equal(upd.Countries, []string{"FR"}) || upd.Theme != nil || upd.Statement.En != nil ||
		evtDeref(upd.Statement.Es) != "Renovar el pasaporte sin viajar" || upd.TimesRaised != 9 || upd.Priority != "low" ||
		upd.EventID != ev.ID || upd.Version != 2 {
		t.Errorf("patched: %+v", upd)
	}
	evs := evtInputAudits(t, env, got.ID, "consultation_input.update")
	var b, a evtInput
	if len(evs) == 1 {
		_ = json.Unmarshal(evs[0].Before, &b)
		_ = json.Unmarshal(evs[0].After, &a)
	}
	if !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update audit: %+v", evs)
	}

	// The event of an input does not change; stale ETags, bad shapes and broken rules write nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"event_id": other.ID}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"support": 100}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"times_raised": 0}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"times_raised": nil}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"priority": "urgent"}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"theme": "Not A Tag"}, nil), http.StatusBadRequest)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"priority": "low"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	p := apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"countries": []string{"PE", "XX"}}, nil), http.StatusUnprocessableEntity)
	evtWantField(t, p, "countries.1")
	p = apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"statement": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	evtWantField(t, p, "statement")
	env.Unchanged(t, before)

	// Archive: listed only on request, not editable, twice is a no-op; unknown ids are 404.
	if res := evtDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := evtGetInput(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 3 || ares.Header.Get("ETag") != `"3"` {
		t.Errorf("archived: %+v", arch)
	}
	if evs := evtInputAudits(t, env, got.ID, "consultation_input.archive"); len(evs) != 1 {
		t.Errorf("archive audit: %+v", evs)
	}
	before = env.Fingerprint(t)
	if res := evtDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"priority": "low"}, nil), http.StatusConflict)
	if items := evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500"); len(items) != 1 || items[0].ID != plain.ID {
		t.Errorf("list shows archived: %+v", items)
	}
	if items := evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500&include_archived=true"); len(items) != 2 {
		t.Errorf("list with archived: %+v", items)
	}
	evtMissing(t, env, admin, "/v1/consultation-inputs/", map[string]any{"priority": "low"})
	env.Unchanged(t, before)
}

// An input keeps the id it has in the system it came from: stored, returned, patched and
// cleared, unique among inputs (409 on a duplicate, nothing written), absent on as many as like.
func TestInputExternalID(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))

	body := evtInputBody(ev.ID, "Voto electrónico")
	body["external_id"] = "kobo:2023/0042"
	in := evtCreateInput(t, env, admin, body)
	if evtDeref(in.ExternalID) != "kobo:2023/0042" {
		t.Errorf("create: external_id %s", evtDeref(in.ExternalID))
	}
	if n := env.Count(t, "consultation_inputs", "id = ? AND external_id = 'kobo:2023/0042'", in.ID); n != 1 {
		t.Errorf("external_id not stored")
	}
	if g, _ := evtGetInput(t, env, admin, in.ID); evtDeref(g.ExternalID) != "kobo:2023/0042" {
		t.Errorf("GET: external_id %s", evtDeref(g.ExternalID))
	}
	if items := evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500"); len(items) != 1 || evtDeref(items[0].ExternalID) != "kobo:2023/0042" {
		t.Errorf("list: %+v", items)
	}

	// Inputs without one do not collide.
	plain := evtCreateInput(t, env, admin, evtInputBody(ev.ID, "Sin id"))
	other := evtCreateInput(t, env, admin, evtInputBody(ev.ID, "Tampoco"))
	if plain.ExternalID != nil || other.ExternalID != nil {
		t.Errorf("no external_id: %+v %+v", plain, other)
	}

	// A taken external id is a conflict, on create and on patch; a malformed one a bad request.
	before := env.Fingerprint(t)
	dup := evtInputBody(ev.ID, "Otra")
	dup["external_id"] = "kobo:2023/0042"
	p := apitest.Problem(t, evtPost(t, env, admin, "/v1/consultation-inputs", dup, nil), http.StatusConflict)
	evtWantField(t, p, "external_id")
	p = apitest.Problem(t, evtPatch(t, env, admin, "/v1/consultation-inputs/"+plain.ID,
		map[string]any{"external_id": "kobo:2023/0042"}, nil), http.StatusConflict)
	evtWantField(t, p, "external_id")
	for _, bad := range []any{"", "with space", strings.Repeat("x", 201), 42} {
		dup["external_id"] = bad
		apitest.Problem(t, evtPost(t, env, admin, "/v1/consultation-inputs", dup, nil), http.StatusBadRequest)
		apitest.Problem(t, evtPatch(t, env, admin, "/v1/consultation-inputs/"+plain.ID, map[string]any{"external_id": bad}, nil),
			http.StatusBadRequest)
	}
	env.Unchanged(t, before)

	// Patched, kept by a patch of something else, cleared by null (and then free again).
	path := "/v1/consultation-inputs/" + in.ID
	res := evtPatch(t, env, admin, path, map[string]any{"external_id": "kobo:2023/0043"}, map[string]string{"If-Match": `"1"`})
	var upd evtInput
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	res.Decode(t, &upd)
	if evtDeref(upd.ExternalID) != "kobo:2023/0043" || upd.Version != 2 {
		t.Errorf("patched: %+v", upd)
	}
	res = evtPatch(t, env, admin, path, map[string]any{"priority": "high"}, nil)
	res.Decode(t, &upd)
	if res.Status != http.StatusOK || evtDeref(upd.ExternalID) != "kobo:2023/0043" {
		t.Errorf("patch of the priority: %d %+v", res.Status, upd)
	}
	evs := evtInputAudits(t, env, in.ID, "consultation_input.update")
	var b, a evtInput
	if len(evs) == 2 {
		_ = json.Unmarshal(evs[0].Before, &b)
		_ = json.Unmarshal(evs[0].After, &a)
	}
	if evtDeref(b.ExternalID) != "kobo:2023/0042" || evtDeref(a.ExternalID) != "kobo:2023/0043" {
		t.Errorf("audit of the external_id change: %+v", evs)
	}
	res = evtPatch(t, env, admin, path, map[string]any{"external_id": nil}, nil)
	var cleared evtInput
	res.Decode(t, &cleared)
	if res.Status != http.StatusOK || cleared.ExternalID != nil {
		t.Errorf("cleared: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "consultation_inputs", "id = ? AND external_id IS NULL", in.ID); n != 1 {
		t.Errorf("external_id not cleared in the database")
	}
	res = evtPatch(t, env, admin, "/v1/consultation-inputs/"+plain.ID, map[string]any{"external_id": "kobo:2023/0043"}, nil)
	res.Decode(t, &upd)
	if res.Status != http.StatusOK || evtDeref(upd.ExternalID) != "kobo:2023/0043" {
		t.Errorf("a freed external id: %d %s", res.Status, res.Body)
	}
}

func TestInputRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	gone := evtCreate(t, env, admin, evtBody("PE-CONSULTA-OLD", "2022-03-18"))
	if res := evtDelete(t, env, admin, "/v1/events/"+gone.ID, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	practice := evtPractice(t, env, "PE-MTIGM")

	before := env.Fingerprint(t)
	for _, c := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"unknown event", evtInputBody(uuid.NewString(), "x"), []string{"event_id"}},
		{"archived event", evtInputBody(gone.ID, "x"), []string{"event_id"}},
		{"a practice is no event", evtInputBody(practice, "x"), []string{"event_id"}},
		{"countries not ISO", map[string]any{"event_id": ev.ID, "statement": map[string]any{"es": "x"},
			"countries": []string{"ES", "XX", "QQ"}}, []string{"countries.1", "countries.2"}},
	} {
		p := apitest.Problem(t, evtPost(t, env, admin, "/v1/consultation-inputs", c.body, nil), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			evtWantField(t, p, f)
		}
		if errs, _ := p["errors"].([]any); len(errs) != len(c.fields) {
			t.Errorf("%s: errors %v, want %v", c.name, errs, c.fields)
		}
	}
	for _, c := range []struct {
		key   string
		value any
	}{
		{"times_raised", 0}, {"times_raised", -3}, {"priority", "urgent"}, {"theme", "Documentos"}, {"statement", map[string]any{}},
		{"countries", []string{"ES", "ES"}}, {"countries", []string{"es"}}, {"support", 5}, {"supported_by_me", true},
		{"event_id", "PE-CONSULTA-1"},
	} {
		body := evtInputBody(ev.ID, "x")
		body[c.key] = c.value
		apitest.Problem(t, evtPost(t, env, admin, "/v1/consultation-inputs", body, nil), http.StatusBadRequest)
	}
	apitest.Problem(t, evtPost(t, env, admin, "/v1/consultation-inputs", map[string]any{"event_id": ev.ID}, nil), http.StatusBadRequest)
	env.Unchanged(t, before)
}

// Editors and partners write only inputs of events their institution's subtree organises.
func TestInputScopedWriters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := evtInstitution(t, env, "ASN", nil)
	other := evtInstitution(t, env, "OTHER", nil)
	mineBody := evtBody("PE-MINE", "2023-01-01")
	mineBody["organiser_id"] = asn.String()
	mine := evtCreate(t, env, admin, mineBody)
	theirsBody := evtBody("PE-THEIRS", "2023-01-01")
	theirsBody["organiser_id"] = other.String()
	theirs := evtCreate(t, env, admin, theirsBody)
	unorganised := evtCreate(t, env, admin, evtBody("PE-NOBODY", "2023-01-01"))
	foreign := evtCreateInput(t, env, admin, evtInputBody(theirs.ID, "de otros"))

	for _, role := range []actor.Role{actor.Editor, actor.Partner} {
		token := env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: &asn})
		own := evtCreateInput(t, env, token, evtInputBody(mine.ID, "propio "+string(role)))
		if res := evtPatch(t, env, token, "/v1/consultation-inputs/"+own.ID, map[string]any{"priority": "high"}, nil); res.Status != http.StatusOK {
			t.Errorf("%s editing its input: %d %s", role, res.Status, res.Body)
		}
		before := env.Fingerprint(t)
		apitest.Problem(t, evtPost(t, env, token, "/v1/consultation-inputs", evtInputBody(theirs.ID, "x"), nil), http.StatusForbidden)
		apitest.Problem(t, evtPost(t, env, token, "/v1/consultation-inputs", evtInputBody(unorganised.ID, "x"), nil), http.StatusForbidden)
		apitest.Problem(t, evtPatch(t, env, token, "/v1/consultation-inputs/"+foreign.ID, map[string]any{"priority": "high"}, nil), http.StatusForbidden)
		apitest.Problem(t, evtDelete(t, env, token, "/v1/consultation-inputs/"+foreign.ID, nil), http.StatusForbidden)
		env.Unchanged(t, before)
		if res := evtDelete(t, env, token, "/v1/consultation-inputs/"+own.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archiving its input: %d", role, res.Status)
		}
	}
}

func TestInputFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	madrid := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	online := evtCreate(t, env, admin, evtBody("PE-CONSULTA-2", "2023-04-15"))
	mk := func(event string, countries []string, theme, es, en, priority string, raised int) evtInput {
		b := map[string]any{"event_id": event, "countries": countries, "theme": theme, "priority": priority,
			"times_raised": raised, "statement": map[string]any{"es": es, "en": en}}
		return evtCreateInput(t, env, admin, b)
	}
	passport := mk(madrid.ID, []string{"ES", "IT"}, "documents", "Renovar el pasaporte sin viajar al consulado",
		"Renew passports without travelling", "high", 7)
	remit := mk(madrid.ID, []string{"ES"}, "remittances", "Remesas más baratas", "Cheaper remittances", "medium", 5)
	phone := mk(online.ID, []string{"US", "CL"}, "consular-assistance", "Atención de emergencia por teléfono",
		"Emergency assistance by phone", "high", 6)
	vote := mk(online.ID, []string{"US"}, "voting", "Cómo votar desde el extranjero", "How to vote from abroad", "low", 2)

	// Services answer the passport input (twice, one of them archived) and the phone input only through
	// an archived service: phone stays unanswered.
	active := evtService(t, env, "SRV-PASSPORT", false, passport.ID, remit.ID)
	evtService(t, env, "SRV-OLD", true, passport.ID, phone.ID)
	second := evtService(t, env, "SRV-PASSPORT-2", false, passport.ID)

	ids := func(items []evtInput) string {
		var out []string
		for _, it := range items {
			for name, id := range map[string]string{"passport": passport.ID, "remit": remit.ID, "phone": phone.ID, "vote": vote.ID} {
				if it.ID == id {
					out = append(out, name)
				}
			}
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"", "passport,remit,phone,vote"}, // oldest first by default
		{"event_id=" + madrid.ID, "passport,remit"},
		{"event_id=" + uuid.NewString(), ""},
		{"country=US", "phone,vote"},
		{"country=IT&country=CL", "passport,phone"},
		{"theme=documents&theme=voting", "passport,vote"},
		{"priority=high", "passport,phone"},
		{"priority=low&priority=medium", "remit,vote"},
		{"q=pasaporte", "passport"},
		{"q=telefono", "phone"},    // accents optional
		{"q=remittances", "remit"}, // English statement
		{"q=voting", "vote"},       // the theme
		{"answered=false", "phone,vote"},
		{"answered=true", "passport,remit"},
		{"answered=false&priority=high", "phone"},
		{"order_by=-times_raised", "passport,phone,remit,vote"},
		{"order_by=times_raised", "vote,remit,phone,passport"},
		{"order_by=-created_at", "vote,phone,remit,passport"},
	} {
		items := evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500&"+c.query)
		if got := ids(items); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
	// service_ids are the active services answering each input, in one statement per page.
	byID := map[string]evtInput{}
	for _, it := range evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500") {
		byID[it.ID] = it
	}
	wantServices := []string{active, second}
	if got := byID[passport.ID].ServiceIDs; !slices.Equal(got, wantServices) {
		t.Errorf("passport services %v, want %v", got, wantServices)
	}
	if got := byID[phone.ID].ServiceIDs; len(got) != 0 {
		t.Errorf("phone services %v, want none (its service is archived)", got)
	}
	if g, _ := evtGetInput(t, env, admin, remit.ID); !slices.Equal(g.ServiceIDs, []string{active}) {
		t.Errorf("GET remit services %v", g.ServiceIDs)
	}
	// Archiving the last active service answering an input makes it a blind spot again.
	evtArchiveRow(t, env, "services", active)
	if got := ids(evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500&answered=false")); got != "remit,phone,vote" {
		t.Errorf("answered=false after archiving a service: %s", got)
	}
}

func TestInputSupport(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	in := evtCreateInput(t, env, admin, evtInputBody(ev.ID, "Renovar el pasaporte"))
	ana := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	luis := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}})

	res := evtSupport(t, env, ana, http.MethodPut, in.ID)
	if res.Status != http.StatusCreated {
		t.Fatalf("support: %d %s", res.Status, res.Body)
	}
	var supported evtInput
	res.Decode(t, &supported)
	if supported.Support != 1 || !supported.SupportedByMe || supported.Version != 1 {
		t.Errorf("after support: %+v", supported)
	}
	// Support is no edit: the version and ETag stay.
	if g, gres := evtGetInput(t, env, ana, in.ID); g.Support != 1 || !g.SupportedByMe || gres.Header.Get("ETag") != `"1"` || g.UpdatedAt != in.UpdatedAt {
		t.Errorf("GET by the supporter: %+v ETag %s", g, gres.Header.Get("ETag"))
	}
	if g, _ := evtGetInput(t, env, luis, in.ID); g.Support != 1 || g.SupportedByMe {
		t.Errorf("GET by someone else: %+v", g)
	}
	if n := env.Count(t, "consultation_inputs", "id = ? AND support = 1 AND version = 1", in.ID); n != 1 {
		t.Errorf("support not counted in the row")
	}
	var anaID string
	if evs := evtInputAudits(t, env, in.ID, "consultation_input.support"); len(evs) != 1 || evs[0].ActorKind != "user" || evs[0].ActorID == nil {
		t.Fatalf("support audit: %+v", evs)
	} else {
		anaID = *evs[0].ActorID
		var b, a evtInput
		_ = json.Unmarshal(evs[0].Before, &b)
		_ = json.Unmarshal(evs[0].After, &a)
		if b.Support != 0 || b.SupportedByMe || a.Support != 1 || !a.SupportedByMe {
			t.Errorf("support audit before %s after %s", evs[0].Before, evs[0].After)
		}
	}
	if env.Count(t, "consultation_input_supports", "input_id = ? AND user_id = ?", in.ID, anaID) != 1 {
		t.Errorf("no support row for the supporter")
	}

	// Supporting twice is a 409 and changes nothing.
	before := env.Fingerprint(t)
	p := apitest.Problem(t, evtSupport(t, env, ana, http.MethodPut, in.ID), http.StatusConflict)
	if !strings.Contains(p["detail"].(string), "already support") {
		t.Errorf("409 detail: %v", p["detail"])
	}
	// API clients and the anonymous cannot support; unknown inputs are 404.
	client := evtClientToken(t, env)
	apitest.Problem(t, evtSupport(t, env, client, http.MethodPut, in.ID), http.StatusForbidden)
	apitest.Problem(t, evtSupport(t, env, client, http.MethodDelete, in.ID), http.StatusForbidden)
	apitest.Problem(t, evtSupport(t, env, "", http.MethodPut, in.ID), http.StatusUnauthorized)
	apitest.Problem(t, evtSupport(t, env, ana, http.MethodPut, uuid.NewString()), http.StatusNotFound)
	apitest.Problem(t, evtSupport(t, env, ana, http.MethodDelete, uuid.NewString()), http.StatusNotFound)
	apitest.Problem(t, evtSupport(t, env, ana, http.MethodPut, "not-a-uuid"), http.StatusBadRequest)
	// Withdrawing a support one never gave is a 204 that writes nothing.
	if res := evtSupport(t, env, luis, http.MethodDelete, in.ID); res.Status != http.StatusNoContent {
		t.Errorf("withdrawing nothing: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	// A client still reads the input, supported by nobody it could be.
	if g, _ := evtGetInput(t, env, client, in.ID); g.Support != 1 || g.SupportedByMe {
		t.Errorf("GET by a client: %+v", g)
	}

	// Withdrawing counts down, once.
	if res := evtSupport(t, env, ana, http.MethodDelete, in.ID); res.Status != http.StatusNoContent {
		t.Fatalf("withdraw: %d %s", res.Status, res.Body)
	}
	if g, _ := evtGetInput(t, env, ana, in.ID); g.Support != 0 || g.SupportedByMe || g.Version != 1 {
		t.Errorf("after withdrawal: %+v", g)
	}
	before = env.Fingerprint(t)
	if res := evtSupport(t, env, ana, http.MethodDelete, in.ID); res.Status != http.StatusNoContent {
		t.Errorf("second withdrawal: %d", res.Status)
	}
	env.Unchanged(t, before)
	if evs := evtInputAudits(t, env, in.ID, "consultation_input.withdraw_support"); len(evs) != 1 || evtDeref(evs[0].ActorID) != anaID {
		t.Errorf("withdraw audit: %+v", evs)
	}
	// One can support again after withdrawing.
	if res := evtSupport(t, env, ana, http.MethodPut, in.ID); res.Status != http.StatusCreated {
		t.Errorf("supporting again: %d %s", res.Status, res.Body)
	}

	// An archived input can be neither supported nor withdrawn from: 404, nothing written.
	if res := evtDelete(t, env, admin, "/v1/consultation-inputs/"+in.ID, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	before = env.Fingerprint(t)
	apitest.Problem(t, evtSupport(t, env, luis, http.MethodPut, in.ID), http.StatusNotFound)
	apitest.Problem(t, evtSupport(t, env, ana, http.MethodDelete, in.ID), http.StatusNotFound)
	env.Unchanged(t, before)
}

// Lists rank by support across pages, and each caller sees which inputs it supports, computed
// for the whole page at once.
func TestInputRankingBySupport(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	supporters := make([]string, 5)
	for i := range supporters {
		supporters[i] = env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	}
	// Input i gets wanted[i] supporters: the first ones in the list.
	wanted := []int{2, 5, 0, 3, 3, 1}
	inputs := make([]evtInput, len(wanted))
	for i, n := range wanted {
		inputs[i] = evtCreateInput(t, env, admin, evtInputBody(ev.ID, fmt.Sprintf("Necesidad %d", i)))
		for _, tok := range supporters[:n] {
			if res := evtSupport(t, env, tok, http.MethodPut, inputs[i].ID); res.Status != http.StatusCreated {
				t.Fatalf("support: %d %s", res.Status, res.Body)
			}
		}
	}
	// Ties break by id (time-ordered): input 3 before input 4 ascending, after it descending.
	for _, c := range []struct {
		order string
		want  []int
	}{
		{"-support", []int{1, 4, 3, 0, 5, 2}},
		{"support", []int{2, 5, 0, 3, 4, 1}},
	} {
		pages := evtPages(t, env, admin, "/v1/consultation-inputs?page_size=4&order_by="+c.order, "id")
		var got []string
		for _, p := range pages {
			got = append(got, p...)
		}
		var want []string
		for _, i := range c.want {
			want = append(want, inputs[i].ID)
		}
		if len(pages) != 2 || !slices.Equal(got, want) {
			t.Errorf("%s: %d pages %v, want %v", c.order, len(pages), got, want)
		}
	}
	// Each input shows how many support it; the third supporter supports inputs 1, 3 and 4 only.
	listed := evtListInputs(t, env, supporters[2], "/v1/consultation-inputs?page_size=500&order_by=-support")
	for i, in := range inputs {
		at := slices.IndexFunc(listed, func(x evtInput) bool { return x.ID == in.ID })
		if at < 0 {
			t.Fatalf("input %d not listed", i)
		}
		if got := listed[at]; got.Support != int64(wanted[i]) || got.SupportedByMe != (wanted[i] >= 3) {
			t.Errorf("input %d: support %d, supported_by_me %v; want %d, %v", i, got.Support, got.SupportedByMe, wanted[i], wanted[i] >= 3)
		}
	}
	for _, it := range evtListInputs(t, env, admin, "/v1/consultation-inputs?page_size=500") {
		if it.SupportedByMe {
			t.Errorf("admin supports %s", it.ID)
		}
	}
	// The page costs the same number of statements whatever its size (no query per input).
	queries := func(size int) int64 {
		before := env.DB.Queries()
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Token: supporters[0],
			Path: fmt.Sprintf("/v1/consultation-inputs?page_size=%d&order_by=-support", size)})
		if res.Status != http.StatusOK {
			t.Fatalf("list: %d %s", res.Status, res.Body)
		}
		return env.DB.Queries() - before
	}
	queries(1)
	if one, all := queries(1), queries(500); one != all {
		t.Errorf("a page of 1 input costs %d statements, a page of %d costs %d", one, len(inputs), all)
	}
}

// Two people supporting at once both count; one person supporting twice at once counts once.
func TestInputConcurrentSupports(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	in := evtCreateInput(t, env, admin, evtInputBody(ev.ID, "Renovar el pasaporte"))
	const people = 16
	tokens := make([]string, people)
	for i := range tokens {
		tokens[i] = env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	}
	statuses := make([]int, people+4)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The last four requests repeat the first two people's, twice each.
			tok := tokens[i%people]
			if i >= people {
				tok = tokens[(i-people)%2]
			}
			statuses[i] = evtSupport(t, env, tok, http.MethodPut, in.ID).Status
		}()
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != people || conflicts != 4 {
		t.Errorf("%d created, %d conflicts; want %d and 4", created, conflicts, people)
	}
	if g, _ := evtGetInput(t, env, admin, in.ID); g.Support != people {
		t.Errorf("support %d, want %d", g.Support, people)
	}
	if n := env.Count(t, "consultation_input_supports", "input_id = ?", in.ID); n != people {
		t.Errorf("%d support rows, want %d", n, people)
	}

	// Withdrawing at once counts down exactly.
	var wg2 sync.WaitGroup
	for _, tok := range tokens[:people/2] {
		wg2.Add(2)
		for range 2 {
			go func() {
				defer wg2.Done()
				if s := evtSupport(t, env, tok, http.MethodDelete, in.ID).Status; s != http.StatusNoContent {
					t.Errorf("withdraw: %d", s)
				}
			}()
		}
	}
	wg2.Wait()
	if n := env.Count(t, "consultation_inputs", "id = ? AND support = ?", in.ID, people/2); n != 1 {
		t.Errorf("support after concurrent withdrawals is not %d", people/2)
	}
	if n := env.Count(t, "audit_events", "resource_id = ? AND action = 'consultation_input.withdraw_support'", in.ID); n != people/2 {
		t.Errorf("%d withdrawal audits, want %d", n, people/2)
	}
}
