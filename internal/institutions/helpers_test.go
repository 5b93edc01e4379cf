package institutions_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
)

// text is a localized text as the API renders it.
type text struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// inst is an institution as the API renders it; dates stay strings so their format is checked.
type inst struct {
	ID            string  `json:"id"`
	Code          string  `json:"code"`
	Name          text    `json:"name"`
	Acronym       *string `json:"acronym"`
	Kind          string  `json:"kind"`
	ParentID      *string `json:"parent_id"`
	Country       *string `json:"country"`
	Tier          string  `json:"tier"`
	Status        string  `json:"status"`
	EstablishedOn *string `json:"established_on"`
	DissolvedOn   *string `json:"dissolved_on"`
	Description   *text   `json:"description"`
	Website       *string `json:"website"`
	Demo          bool    `json:"demo"`
	Version       int64   `json:"version"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
	ArchivedAt    *string `json:"archived_at"`
}

type page struct {
	Items []inst `json:"items"`
	Next  string `json:"next_page_token"`
}

type tree struct {
	Items []struct {
		Depth       int  `json:"depth"`
		Institution inst `json:"institution"`
	} `json:"items"`
}

// body is a create request for code, with a Spanish name derived from it.
func body(code, kind string, parent *inst) map[string]any {
	b := map[string]any{"code": code, "name": map[string]any{"es": "Unidad " + code}, "kind": kind, "tier": "national"}
	if parent != nil {
		b["parent_id"] = parent.ID
	}
	return b
}

func create(t *testing.T, env *apitest.Env, token string, b map[string]any) inst {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: token, Body: b})
	if res.Status != http.StatusCreated {
		t.Fatalf("create %v: %d %s", b["code"], res.Status, res.Body)
	}
	var out inst
	res.Decode(t, &out)
	return out
}

func get(t *testing.T, env *apitest.Env, token, id string) (inst, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get %s: %d %s", id, res.Status, res.Body)
	}
	var out inst
	res.Decode(t, &out)
	return out, res
}

func list(t *testing.T, env *apitest.Env, token, query string) page {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("list ?%s: %d %s", query, res.Status, res.Body)
	}
	var p page
	res.Decode(t, &p)
	return p
}

// listCodes lists every page of query (page_size 500) and returns the codes.
func listCodes(t *testing.T, env *apitest.Env, token, query string) []string {
	t.Helper()
	p := list(t, env, token, query+"&page_size=500")
	if p.Next != "" {
		t.Fatalf("list ?%s has more than one page", query)
	}
	return codes(p.Items)
}

func codes(items []inst) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

func patch(env *apitest.Env, t *testing.T, token, id string, b any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + id, Token: token,
		Body: b, ContentType: "application/merge-patch+json", Header: header})
}

// fieldsOf returns the errors[].field of a problem document.
func fieldsOf(t *testing.T, p map[string]any) []string {
	t.Helper()
	errs, _ := p["errors"].([]any)
	var out []string
	for _, e := range errs {
		m, ok := e.(map[string]any)
		if !ok {
			t.Fatalf("errors[] item is not an object: %v", e)
		}
		f, _ := m["field"].(string)
		out = append(out, f)
	}
	return out
}

// wantField asserts that the problem names field among its errors.
func wantField(t *testing.T, p map[string]any, field string) {
	t.Helper()
	if fs := fieldsOf(t, p); !slices.Contains(fs, field) {
		t.Errorf("problem errors name %q, want %q among them: %v", fs, field, p)
	}
}

// wantFieldMessage asserts that one of the problem's errors is on field and its message
// contains words.
func wantFieldMessage(t *testing.T, p map[string]any, field, words string) {
	t.Helper()
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		if f, _ := m["field"].(string); f == field {
			if msg, _ := m["message"].(string); strings.Contains(msg, words) {
				return
			}
		}
	}
	t.Errorf("no error on %q whose message mentions %q: %v", field, words, p)
}

// dbRow reads the stored columns of an institution the tests look at.
type dbRow struct {
	Code          string
	NameES        *string
	NameEN        *string
	Acronym       *string
	ParentID      *string
	DescriptionES *string
	DescriptionEN *string
	Version       int64
	Archived      bool
}

func stored(t *testing.T, env *apitest.Env, id string) dbRow {
	t.Helper()
	var r dbRow
	err := env.DB.Conn(context.Background()).Raw(`SELECT code, name_es, name_en, acronym, parent_id::text AS parent_id,
		description_es, description_en, version, archived_at IS NOT NULL AS archived FROM institutions WHERE id = ?`, id).Scan(&r).Error
	if err != nil {
		t.Fatal(err)
	}
	if r.Code == "" {
		t.Fatalf("institution %s is not stored", id)
	}
	return r
}

// auditEvent is a stored audit row.
type auditEvent struct {
	Action     string
	ActorID    *string
	ResourceID *string
	Before     json.RawMessage
	After      json.RawMessage
	RequestID  *string
}

func auditEvents(t *testing.T, env *apitest.Env, resourceID, action string) []auditEvent {
	t.Helper()
	var evs []auditEvent
	err := env.DB.Conn(context.Background()).Raw(`SELECT action, actor_id, resource_id, before, after, request_id
		FROM audit_events WHERE resource_type = 'institution' AND resource_id = ? AND action = ? ORDER BY occurred_at, id`,
		resourceID, action).Scan(&evs).Error
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func decodeInst(t *testing.T, raw json.RawMessage) inst {
	t.Helper()
	var out inst
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("audit state is not an institution: %v: %s", err, raw)
	}
	return out
}

func ts(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", s, err)
	}
	return v
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}
