package institutions_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

func TestCreateAndGet(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	const requestID = "test-create-0001"

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: admin,
		Header: map[string]string{"X-Request-Id": requestID},
		Body: map[string]any{
			"code": "PE-MRE", "name": map[string]any{"es": "Ministerio de Relaciones Exteriores", "en": "Ministry of Foreign Affairs"},
			"acronym": "MRE", "kind": "ministry", "country": "PE", "tier": "national", "status": "active",
			"established_on": "1821-08-03", "dissolved_on": "2999-12-31",
			"description": map[string]any{"es": "Cancillería del Perú"}, "website": "https://www.gob.pe/rree",
		}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got inst
	res.Decode(t, &got)
	if _, err := uuid.Parse(got.ID); err != nil {
		t.Fatalf("id %q: %v", got.ID, err)
	}
	if loc := res.Header.Get("Location"); loc != "/v1/institutions/"+got.ID {
		t.Errorf("Location %q, want /v1/institutions/%s", loc, got.ID)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want \"1\"", et)
	}
	if rid := res.Header.Get("X-Request-Id"); rid != requestID {
		t.Errorf("X-Request-Id %q, want our own %q echoed", rid, requestID)
	}
	check := func(where string, g inst) {
		t.Helper()
		if g.Code != "PE-MRE" || deref(g.Name.Es) != "Ministerio de Relaciones Exteriores" || deref(g.Name.En) != "Ministry of Foreign Affairs" ||
			deref(g.Acronym) != "MRE" || g.Kind != "ministry" || deref(g.Country) != "PE" || g.Tier != "national" ||
			g.Status != "active" || deref(g.EstablishedOn) != "1821-08-03" || deref(g.DissolvedOn) != "2999-12-31" ||
			g.Description == nil || deref(g.Description.Es) != "Cancillería del Perú" || g.Description.En != nil ||
			deref(g.Website) != "https://www.gob.pe/rree" || g.ParentID != nil || g.Demo || g.Version != 1 ||
			g.ArchivedAt != nil || g.CreatedAt == "" || g.UpdatedAt == "" {
			t.Errorf("%s: fields do not round-trip: %+v", where, g)
		}
	}
	check("create", got)

	// The database holds what was sent, and the audit trail the creation, tied to our request.
	if n := env.Count(t, "institutions", "id = ? AND code = 'PE-MRE' AND established_on = '1821-08-03' AND country = 'PE' AND version = 1", got.ID); n != 1 {
		t.Fatalf("stored rows matching the request: %d", n)
	}
	evs := auditEvents(t, env, got.ID, "institution.create")
	if len(evs) != 1 {
		t.Fatalf("institution.create events: %d, want 1", len(evs))
	}
	if deref(evs[0].RequestID) != requestID {
		t.Errorf("audit request_id %q, want %q", deref(evs[0].RequestID), requestID)
	}
	if evs[0].ActorID == nil || *evs[0].ActorID == "" {
		t.Errorf("audit event has no actor")
	}
	if len(evs[0].Before) != 0 && string(evs[0].Before) != "null" {
		t.Errorf("create event has a before state: %s", evs[0].Before)
	}
	check("audit after", decodeInst(t, evs[0].After))

	g, gres := get(t, env, admin, got.ID)
	check("get", g)
	if et := gres.Header.Get("ETag"); et != `"1"` {
		t.Errorf("GET ETag %q, want \"1\"", et)
	}
	if g.CreatedAt != got.CreatedAt || g.UpdatedAt != got.UpdatedAt {
		t.Errorf("GET timestamps %s/%s differ from create's %s/%s", g.CreatedAt, g.UpdatedAt, got.CreatedAt, got.UpdatedAt)
	}

	// A minimal institution: status defaults to active, optional fields are absent.
	m := create(t, env, admin, map[string]any{"code": "UN", "name": map[string]any{"en": "United Nations"},
		"kind": "international_organization", "tier": "international"})
	if m.Status != "active" || m.Name.Es != nil || deref(m.Name.En) != "United Nations" || m.Country != nil ||
		m.EstablishedOn != nil || m.Description != nil || m.Acronym != nil {
		t.Errorf("minimal institution: %+v", m)
	}
}

// Every rejected create or read changes nothing and says which field is wrong.
func TestBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	parent := create(t, env, admin, body("PE-MRE", "ministry", nil))
	valid := func(edit func(map[string]any)) map[string]any {
		b := body("PE-NEW", "agency", nil)
		edit(b)
		return b
	}

	cases := []struct {
		name        string
		method      string
		path        string
		body        any
		contentType string
		status      int
		field       string // a field errors[] must name; "" when none is expected
		message     string // words the message of the error on field must contain
		anonymous   bool   // send no token
	}{
		// The validator reports an unexpected member on the object that holds it, naming the
		// member in the message.
		{name: "unknown field", body: valid(func(b map[string]any) { b["colour"] = "blue" }), status: 400, field: "body", message: `"colour"`},
		{name: "unknown nested field", body: valid(func(b map[string]any) { b["name"] = map[string]any{"es": "X", "fr": "Y"} }),
			status: 400, field: "body.name", message: `"fr"`},
		{name: "wrong type", body: valid(func(b map[string]any) { b["kind"] = 5 }), status: 400, field: "body.kind"},
		{name: "bad enum", body: valid(func(b map[string]any) { b["kind"] = "empire" }), status: 400, field: "body.kind"},
		{name: "bad tier", body: valid(func(b map[string]any) { b["tier"] = "galactic" }), status: 400, field: "body.tier"},
		{name: "lower-case code", body: valid(func(b map[string]any) { b["code"] = "pe-new" }), status: 400, field: "body.code"},
		{name: "missing name", body: valid(func(b map[string]any) { delete(b, "name") }), status: 400, field: "body.name"},
		{name: "empty name", body: valid(func(b map[string]any) { b["name"] = map[string]any{} }), status: 400, field: "body.name"},
		{name: "bad country", body: valid(func(b map[string]any) { b["country"] = "pe" }), status: 400, field: "body.country"},
		{name: "ftp website", body: valid(func(b map[string]any) { b["website"] = "ftp://example.org" }), status: 422, field: "website"},
		{name: "bad date", body: valid(func(b map[string]any) { b["established_on"] = "03/08/1821" }), status: 400, field: "body.established_on"},
		{name: "bad parent uuid", body: valid(func(b map[string]any) { b["parent_id"] = "not-a-uuid" }), status: 400, field: "body.parent_id"},
		{name: "malformed JSON", body: `{"code": "PE-NEW", "name": {`, status: 400, field: "body"},
		{name: "body over 64 KiB", body: valid(func(b map[string]any) {
			b["description"] = map[string]any{"es": strings.Repeat("x", 70<<10)}
		}), status: 413},
		{name: "text/plain", body: `{"code":"PE-NEW"}`, contentType: "text/plain", status: 415},
		{name: "dissolved before established", body: valid(func(b map[string]any) {
			b["established_on"], b["dissolved_on"] = "2020-01-02", "2020-01-01"
		}), status: 422, field: "dissolved_on"},
		{name: "unknown parent", body: valid(func(b map[string]any) { b["parent_id"] = uuid.NewString() }), status: 422, field: "parent_id"},
		{name: "bad uuid in path", method: http.MethodGet, path: "/v1/institutions/nope", status: 400, field: "path.id"},
		{name: "bad uuid in path (PATCH)", method: http.MethodPatch, path: "/v1/institutions/nope", body: map[string]any{"acronym": "X"},
			contentType: "application/merge-patch+json", status: 400, field: "path.id"},
		{name: "no such institution", method: http.MethodGet, path: "/v1/institutions/" + uuid.NewString(), status: 404},
		{name: "no such institution (PATCH)", method: http.MethodPatch, path: "/v1/institutions/" + uuid.NewString(),
			body: map[string]any{"acronym": "X"}, contentType: "application/merge-patch+json", status: 404},
		{name: "no such institution (DELETE)", method: http.MethodDelete, path: "/v1/institutions/" + uuid.NewString(), status: 404},
		{name: "no such institution (ancestors)", method: http.MethodGet, path: "/v1/institutions/" + uuid.NewString() + "/ancestors", status: 404},
		{name: "no such institution (subtree)", method: http.MethodGet, path: "/v1/institutions/" + uuid.NewString() + "/subtree", status: 404},
		{name: "bad patch of existing", method: http.MethodPatch, path: "/v1/institutions/" + parent.ID,
			body: map[string]any{"kind": "empire"}, contentType: "application/merge-patch+json", status: 400, field: "body.kind"},
		{name: "empty patch", method: http.MethodPatch, path: "/v1/institutions/" + parent.ID,
			body: map[string]any{}, contentType: "application/merge-patch+json", status: 400, field: "body"},
		{name: "patch to invalid dates", method: http.MethodPatch, path: "/v1/institutions/" + parent.ID,
			body: map[string]any{"established_on": "2020-01-02", "dissolved_on": "2020-01-01"}, contentType: "application/merge-patch+json",
			status: 422, field: "dissolved_on"},
		{name: "patch removing both names", method: http.MethodPatch, path: "/v1/institutions/" + parent.ID,
			body: map[string]any{"name": map[string]any{"es": nil}}, contentType: "application/merge-patch+json", status: 422, field: "name"},
		{name: "no token", body: body("PE-NEW", "agency", nil), anonymous: true, status: 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			method, path := c.method, c.path
			if method == "" {
				method, path = http.MethodPost, "/v1/institutions"
			}
			token := admin
			if c.anonymous {
				token = ""
			}
			res := env.Do(t, apitest.Request{Method: method, Path: path, Token: token, Body: c.body, ContentType: c.contentType})
			p := apitest.Problem(t, res, c.status)
			switch {
			case c.message != "":
				wantFieldMessage(t, p, c.field, c.message)
			case c.field != "":
				wantField(t, p, c.field)
			}
			env.Unchanged(t, before)
		})
	}
	if n := env.Count(t, "institutions", "code = 'PE-NEW'"); n != 0 {
		t.Fatalf("a rejected institution was stored")
	}
}

func TestDuplicateCode(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	first := create(t, env, admin, body("PE-MRE", "ministry", nil))
	other := create(t, env, admin, body("PE-OTHER", "agency", nil))

	before := env.Fingerprint(t)
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: admin,
		Body: map[string]any{"code": "PE-MRE", "name": map[string]any{"en": "Another"}, "kind": "agency", "tier": "regional"}})
	p := apitest.Problem(t, res, http.StatusConflict)
	if fs := fieldsOf(t, p); len(fs) == 0 || fs[0] != "code" {
		t.Errorf("errors[0].field: %v, want code", fs)
	}
	env.Unchanged(t, before)

	// Renaming another institution to a taken code is the same conflict.
	res = patch(env, t, admin, other.ID, map[string]any{"code": "PE-MRE"}, nil)
	p = apitest.Problem(t, res, http.StatusConflict)
	if fs := fieldsOf(t, p); len(fs) == 0 || fs[0] != "code" {
		t.Errorf("PATCH errors[0].field: %v, want code", fs)
	}
	env.Unchanged(t, before)
	if n := env.Count(t, "institutions", "code = 'PE-MRE'"); n != 1 {
		t.Fatalf("%d institutions with code PE-MRE", n)
	}
	if r := stored(t, env, first.ID); r.Version != 1 {
		t.Errorf("the original changed: %+v", r)
	}
}
