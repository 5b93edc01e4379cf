package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/httpapi"
)

// Each class of error is a problem document with the right status, and writes nothing.
func TestErrorsAreProblems(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	valid := `{"code":"PE-X","name":{"es":"X"},"kind":"agency","tier":"national"}`
	cases := []struct {
		name       string
		req        apitest.Request
		status     int
		wantType   string
		wantField  string
		wantHeader string
	}{
		{"unknown route", apitest.Request{Method: "GET", Path: "/v1/nothing-here", Token: admin}, 404, "/problems/not-found", "", ""},
		{"wrong method", apitest.Request{Method: "PUT", Path: "/v1/institutions", Token: admin, Body: valid}, 405, "/problems/method-not-allowed", "", "Allow"},
		{"no token", apitest.Request{Method: "GET", Path: "/v1/institutions"}, 401, "/problems/unauthenticated", "", "WWW-Authenticate"},
		{"bad token", apitest.Request{Method: "GET", Path: "/v1/institutions", Token: "not.a.jwt"}, 401, "/problems/unauthenticated", "", "WWW-Authenticate"},
		{"missing scope", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: viewer, Body: valid}, 403, "/problems/forbidden", "", ""},
		{"bad query", apitest.Request{Method: "GET", Path: "/v1/institutions?page_size=0", Token: admin}, 400, "/problems/invalid", "query.page_size", ""},
		{"bad uuid", apitest.Request{Method: "GET", Path: "/v1/institutions/not-a-uuid", Token: admin}, 400, "/problems/invalid", "path.id", ""},
		{"unknown field", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin,
			Body: `{"code":"PE-X","name":{"es":"X"},"kind":"agency","tier":"national","colour":"red"}`}, 400, "/problems/invalid", "body", ""},
		{"wrong type", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin,
			Body: `{"code":"PE-X","name":{"es":"X"},"kind":7,"tier":"national"}`}, 400, "/problems/invalid", "body.kind", ""},
		{"malformed json", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin, Body: `{"code":`}, 400, "/problems/invalid", "body", ""},
		{"empty body", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin, Body: "", ContentType: "application/json"}, 400, "/problems/invalid", "body", ""},
		{"wrong content type", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin, Body: valid, ContentType: "text/plain"}, 415, "/problems/unsupported-media-type", "", ""},
		{"too large", apitest.Request{Method: "POST", Path: "/v1/institutions", Token: admin,
			Body: `{"code":"PE-X","name":{"es":"` + strings.Repeat("x", 70<<10) + `"},"kind":"agency","tier":"national"}`}, 413, "/problems/payload-too-large", "", ""},
		{"not found", apitest.Request{Method: "GET", Path: "/v1/institutions/01900000-0000-7000-8000-000000000000", Token: admin}, 404, "/problems/not-found", "", ""},
		{"token endpoint validation", apitest.Request{Method: "POST", Path: "/v1/auth/token", Body: `{"grant_type":"magic"}`}, 400, "/problems/invalid", "body.grant_type", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			res := env.Do(t, tc.req)
			p := apitest.Problem(t, res, tc.status)
			if p["type"] != tc.wantType {
				t.Errorf("type %v, want %s", p["type"], tc.wantType)
			}
			if p["request_id"] != res.Header.Get("X-Request-Id") || p["request_id"] == "" {
				t.Errorf("request_id %v does not match header %q", p["request_id"], res.Header.Get("X-Request-Id"))
			}
			if p["instance"] == "" {
				t.Error("no instance")
			}
			if tc.wantField != "" && !hasField(p, tc.wantField) {
				t.Errorf("no error for field %s: %s", tc.wantField, res.Body)
			}
			if tc.wantHeader != "" && res.Header.Get(tc.wantHeader) == "" {
				t.Errorf("no %s header", tc.wantHeader)
			}
			if tc.req.Path == "/v1/auth/token" && p["error"] != "invalid_request" {
				t.Errorf("token endpoint problem lacks the OAuth error code: %s", res.Body)
			}
			for _, leak := range []string{"sql", "gorm", "pgx", "goroutine", ".go:"} {
				if strings.Contains(strings.ToLower(string(res.Body)), leak) {
					t.Errorf("problem leaks %q: %s", leak, res.Body)
				}
			}
			env.Unchanged(t, before)
		})
	}
}

func hasField(p map[string]any, prefix string) bool {
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if f, _ := e.(map[string]any)["field"].(string); strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

// panicking is a server whose every operation panics (the embedded interface is nil).
type panicking struct{ api.StrictServerInterface }

func (panicking) GetHealth(context.Context, api.GetHealthRequestObject) (api.GetHealthResponseObject, error) {
	panic("secret internal detail")
}

func TestPanicIsA500WithOnlyTheRequestID(t *testing.T) {
	t.Parallel()
	e, err := httpapi.New(panicking{}, httpapi.Options{MaxBodyBytes: 1 << 10, Metrics: httpapi.NewMetrics()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "trace-me-123")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 500 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if strings.Contains(string(body), "secret") || !strings.Contains(string(body), "trace-me-123") {
		t.Fatalf("500 body must name the request id and nothing internal: %s", body)
	}
	if res.Header.Get("X-Request-Id") != "trace-me-123" {
		t.Fatalf("request id not echoed: %q", res.Header.Get("X-Request-Id"))
	}
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	res := env.Do(t, apitest.Request{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-Id": "bad id with spaces"}})
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if id := res.Header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Errorf("an unsafe request id must be replaced, got %q", id)
	}
	docs := env.Do(t, apitest.Request{Method: "GET", Path: "/docs"})
	if !strings.Contains(docs.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("docs CSP = %q", docs.Header.Get("Content-Security-Policy"))
	}
	metrics := env.Do(t, apitest.Request{Method: "GET", Path: "/metrics"})
	for _, want := range []string{`puente_http_requests_total{method="GET",route="/healthz",status="200"}`, "puente_db_pool_max_conns"} {
		if !strings.Contains(string(metrics.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestCORSAllowList(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.CORSOrigins = []string{"https://app.puente.test"}
	env := apitest.NewWith(t, cfg)
	for origin, allowed := range map[string]bool{"https://app.puente.test": true, "https://evil.test": false} {
		res := env.Do(t, apitest.Request{Method: "GET", Path: "/healthz", Header: map[string]string{"Origin": origin}})
		got := res.Header.Get("Access-Control-Allow-Origin")
		if allowed != (got == origin) {
			t.Errorf("origin %s: Access-Control-Allow-Origin %q", origin, got)
		}
	}
}

// A body without Content-Length is cut off at the limit too, and still answered with 413.
func TestChunkedOversizedBodyIs413(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	before := env.Fingerprint(t)
	body := `{"code":"PE-X","name":{"es":"` + strings.Repeat("x", 70<<10) + `"},"kind":"agency","tier":"national"}`
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/v1/institutions", io.MultiReader(strings.NewReader(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+env.AdminToken(t))
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	env.Unchanged(t, before)
}
