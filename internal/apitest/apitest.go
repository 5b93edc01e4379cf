// Package apitest runs the whole Puente stack — Echo, validation, auth, services, a real
// PostgreSQL database of its own — behind an httptest server, and checks every response
// against openapi.yaml so that handlers and contract cannot drift apart.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/app"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/config"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// Env is one running Puente with its own database.
type Env struct {
	App    *app.App
	DB     *database.DB
	Server *httptest.Server
	Config config.Config
	router routers.Router
}

// Config returns the configuration tests run with: demo data off, small limits.
func Config() config.Config {
	return config.Config{
		HTTPAddr: "127.0.0.1:0", DBMaxConns: 10, DBStatementTimeout: 30 * time.Second,
		AdminEmail: "admin@puente.local", Issuer: "puente", Audience: "puente-api",
		AccessTokenTTL: 15 * time.Minute, RefreshTokenTTL: 24 * time.Hour,
		MaxBodyBytes: 64 << 10, MaxUploadBytes: 1 << 20, MaxImportBytes: 8 << 20, ImportBatchSize: 50, ShutdownTimeout: time.Second,
	}
}

// New starts Puente on a fresh database with the default test configuration.
func New(t *testing.T) *Env { return NewWith(t, Config()) }

// NewWith starts Puente on a fresh database with cfg.
func NewWith(t *testing.T, cfg config.Config) *Env {
	t.Helper()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	db := testdb.New(t)
	a, err := app.New(context.Background(), cfg, db)
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(a.Close) // after the server closes, before the database goes
	srv := httptest.NewServer(a.Echo)
	t.Cleanup(srv.Close)
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{App: a, DB: db, Server: srv, Config: cfg, router: router}
}

// Caller describes who a test acts as.
type Caller struct {
	Roles         []actor.Role
	InstitutionID *uuid.UUID
	Scopes        []string // defaults to what the roles allow
}

// Token mints an access token for a synthetic user with roles (no user row is needed: tokens
// are self-contained).
func (e *Env) Token(t *testing.T, c Caller) string {
	t.Helper()
	a := actor.Actor{Kind: actor.User, ID: uuid.NewString(), Label: "tester-" + uuid.NewString()[:8] + "@puente.test",
		Roles: c.Roles, Scopes: c.Scopes, InstitutionID: c.InstitutionID}
	if a.Scopes == nil {
		a.Scopes = auth.ScopesFor(c.Roles)
	}
	tok, _, err := e.App.Tokens.Issue(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// AdminToken is a token with every scope.
func (e *Env) AdminToken(t *testing.T) string {
	return e.Token(t, Caller{Roles: []actor.Role{actor.Admin}})
}

// Response is a finished exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r Response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Decode decodes the body into v.
func (r Response) Decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode body: %v\n%s", err, r.Body)
	}
}

// Request is what a test sends.
type Request struct {
	Method, Path string
	Token        string
	Body         any // []byte and string are sent as is; anything else as JSON
	ContentType  string
	Header       map[string]string
}

// Do sends r and checks the response against the contract (status declared, body matching
// its schema) before returning it.
func (e *Env) Do(t *testing.T, r Request) Response {
	t.Helper()
	var body io.Reader
	ct := r.ContentType
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	case url.Values:
		body = strings.NewReader(b.Encode())
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	if body != nil && ct == "" {
		ct = "application/json"
	}
	req, err := http.NewRequest(r.Method, e.Server.URL+r.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := Response{Status: res.StatusCode, Header: res.Header, Body: raw}
	e.checkContract(t, req, out)
	return out
}

// checkContract validates a response against openapi.yaml. Errors must always be problem+json.
func (e *Env) checkContract(t *testing.T, req *http.Request, res Response) {
	t.Helper()
	if res.Status >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") && req.Method != http.MethodHead {
		t.Errorf("%s %s: error %d is %q, not problem+json: %s", req.Method, req.URL.Path, res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Errorf("%s %s: no X-Request-Id", req.Method, req.URL.Path)
	}
	route, params, err := e.router.FindRoute(req)
	if err != nil {
		return // unknown route or method: nothing in the contract to check against
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		// Only JSON bodies have schemas worth checking; the rest (YAML, HTML, scripts) are strings.
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			ExcludeResponseBody: !strings.Contains(res.Header.Get("Content-Type"), "json")},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: response %d does not match the contract: %v\nbody: %.500s", req.Method, req.URL.Path, res.Status, err, res.Body)
	}
}

// Fingerprint summarises the content of every application table, so a test can prove that a
// rejected request changed nothing at all.
func (e *Env) Fingerprint(t *testing.T) map[string]string {
	t.Helper()
	var tables []string
	if err := e.DB.Conn(context.Background()).Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	out := map[string]string{}
	for _, tbl := range tables {
		var sum string
		q := fmt.Sprintf(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM %q t`, tbl)
		if err := e.DB.Conn(context.Background()).Raw(q).Scan(&sum).Error; err != nil {
			t.Fatal(err)
		}
		out[tbl] = sum
	}
	return out
}

// Unchanged fails t if any table differs from before.
func (e *Env) Unchanged(t *testing.T, before map[string]string) {
	t.Helper()
	after := e.Fingerprint(t)
	for tbl, sum := range before {
		if after[tbl] != sum {
			t.Errorf("table %s changed after a rejected request", tbl)
		}
	}
}

// Count returns the number of rows matching where (an SQL condition) in table.
func (e *Env) Count(t *testing.T, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s`, table, where)
	if err := e.DB.Conn(context.Background()).Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Problem asserts that res is a problem with status and returns its body.
func Problem(t *testing.T, res Response, status int) map[string]any {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	p := res.JSON(t)
	if int(p["status"].(float64)) != status || p["type"] == "" || p["title"] == "" {
		t.Fatalf("not a complete problem document: %s", res.Body)
	}
	return p
}
