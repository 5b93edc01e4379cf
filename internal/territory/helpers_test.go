package territory_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// terrPoint is a service point as the API renders it.
type terrPoint struct {
	ID         string  `json:"id"`
	ServiceID  string  `json:"service_id"`
	Region     string  `json:"region"`
	ProviderID string  `json:"provider_id"`
	Channel    string  `json:"channel"`
	Address    *string `json:"address"`
	Notes      *string `json:"notes"`
	Demo       bool    `json:"demo"`
	Version    int64   `json:"version"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
	ArchivedAt *string `json:"archived_at"`
}

// terrAudit is an audit event as stored.
type terrAudit struct {
	Action    string
	ActorKind string
	Before    json.RawMessage
	After     json.RawMessage
}

func terrSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

func terrDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// terrFixture is a database with services and institutions to point at.
type terrFixture struct {
	env   *apitest.Env
	admin string
	// services by code: SRV-RETURN, SRV-SAFE, SRV-FAIR
	svc map[string]string
	// institutions: mre (a root) with ode (its regional office) below it; gore (another root)
	mre, ode, gore uuid.UUID
}

func terrSetup(t *testing.T) terrFixture {
	t.Helper()
	env := apitest.New(t)
	f := terrFixture{env: env, admin: env.AdminToken(t), svc: map[string]string{}}
	f.mre = terrUnit(t, env, "PE-MRE", nil)
	f.ode = terrUnit(t, env, "PE-MRE-ODE-CUSCO", &f.mre)
	f.gore = terrUnit(t, env, "PE-GORE-JUNIN", nil)
	for _, code := range []string{"SRV-RETURN", "SRV-SAFE", "SRV-FAIR"} {
		f.svc[code] = terrCreate[struct {
			ID string `json:"id"`
		}](t, env, f.admin, "/v1/services", map[string]any{"code": code, "name": map[string]any{"es": "Servicio " + code},
			"status": "existing"}).ID
	}
	return f
}

// terrUnit creates an institution (below parent when given) and returns its id.
func terrUnit(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(terrSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		Kind: "other", Tier: "regional", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return inst.ID
}

// terrBody is a valid service point body.
func terrBody(service string, region string, provider uuid.UUID, channel string) map[string]any {
	return map[string]any{"service_id": service, "region": region, "provider_id": provider.String(), "channel": channel}
}

// terrDo sends a request; a PATCH is a JSON merge patch.
func terrDo(t *testing.T, env *apitest.Env, method, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	r := apitest.Request{Method: method, Path: path, Token: token, Body: body, Header: header}
	if method == http.MethodPatch {
		r.ContentType = "application/merge-patch+json"
	}
	return env.Do(t, r)
}

// terrCreate posts body to path, expects 201 with the record's Location and first ETag, and
// decodes the record.
func terrCreate[T any](t *testing.T, env *apitest.Env, token, path string, body map[string]any) T {
	t.Helper()
	res := terrDo(t, env, http.MethodPost, token, path, body, nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s %v: %d %s", path, body, res.Status, res.Body)
	}
	if loc := res.Header.Get("Location"); loc != path+"/"+res.JSON(t)["id"].(string) || res.Header.Get("ETag") != `"1"` {
		t.Errorf("POST %s: Location %q, ETag %q", path, loc, res.Header.Get("ETag"))
	}
	var out T
	res.Decode(t, &out)
	return out
}

// terrGet reads a record, expecting 200.
func terrGet[T any](t *testing.T, env *apitest.Env, token, path string) (T, apitest.Response) {
	t.Helper()
	res := terrDo(t, env, http.MethodGet, token, path, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	var out T
	res.Decode(t, &out)
	return out, res
}

func terrEvents(t *testing.T, env *apitest.Env, id string) []terrAudit {
	t.Helper()
	var out []terrAudit
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, actor_kind, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// terrWantFields asserts that a problem names exactly fields, in any order.
func terrWantFields(t *testing.T, problem map[string]any, fields ...string) {
	t.Helper()
	var got []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			got = append(got, m["field"].(string))
		}
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problem names fields %v, want %v: %v", got, want, problem)
	}
}

// terrPages walks every page of path (a list URL with its query) and returns each page's ids.
func terrPages(t *testing.T, env *apitest.Env, token, path string) [][]string {
	t.Helper()
	var pages [][]string
	next := ""
	for range 100 {
		p := path
		if next != "" {
			p += "&page_token=" + next
		}
		res := terrDo(t, env, http.MethodGet, token, p, nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", p, res.Status, res.Body)
		}
		var page struct {
			Items []terrPoint `json:"items"`
			Next  string      `json:"next_page_token"`
		}
		res.Decode(t, &page)
		ids := []string{}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		pages = append(pages, ids)
		if page.Next == "" {
			return pages
		}
		next = page.Next
	}
	t.Fatalf("list %s does not end", path)
	return nil
}

// terrIDs lists path in one page and returns the ids.
func terrIDs(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := terrPages(t, env, token, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}
