package apitest

// Helpers the areas' tests share: sending and decoding requests, walking lists page by page,
// checking problems' field errors, and reading a record's audit trail.

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/etag"
)

// Send sends method path as token with body and header (both may be nil); a PATCH is sent as a
// JSON merge patch.
func (e *Env) Send(t *testing.T, method, token, path string, body any, header map[string]string) Response {
	t.Helper()
	r := Request{Method: method, Path: path, Token: token, Body: body, Header: header}
	if method == http.MethodPatch {
		r.ContentType = "application/merge-patch+json"
	}
	return e.Do(t, r)
}

// Create posts body to path (a collection) as token, fails t unless the answer is 201 with the
// record's Location (path/<id>) and first ETag, and decodes the record.
func Create[T any](t *testing.T, e *Env, token, path string, body any) T {
	t.Helper()
	res := e.Send(t, http.MethodPost, token, path, body, nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s %v: %d %s", path, body, res.Status, res.Body)
	}
	id, _ := res.JSON(t)["id"].(string)
	if loc := res.Header.Get("Location"); id == "" || loc != path+"/"+id || res.Header.Get("ETag") != etag.Of(1) {
		t.Errorf("POST %s: id %q, Location %q, ETag %q", path, id, loc, res.Header.Get("ETag"))
	}
	var out T
	res.Decode(t, &out)
	return out
}

// Get reads path as token, fails t unless the answer is 200, and decodes it.
func Get[T any](t *testing.T, e *Env, token, path string) (T, Response) {
	t.Helper()
	res := e.Send(t, http.MethodGet, token, path, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	var out T
	res.Decode(t, &out)
	return out, res
}

// Page is one page of a list.
type Page[T any] struct {
	Items         []T    `json:"items"`
	NextPageToken string `json:"next_page_token"`
}

// Pages walks every page of path (a list URL with its query, which may set page_size) as token
// and returns member (such as "code" or "id", a string each item must have) of each page's
// items, page by page. It fails t on an answer other than 200, or after 100 pages.
func (e *Env) Pages(t *testing.T, token, member, path string) [][]string {
	t.Helper()
	var pages [][]string
	next := ""
	for range 100 {
		p := path
		if next != "" {
			p += "&page_token=" + next
		}
		res := e.Send(t, http.MethodGet, token, p, nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", p, res.Status, res.Body)
		}
		var page Page[map[string]any]
		res.Decode(t, &page)
		pages = append(pages, Strings(t, page.Items, member))
		if page.NextPageToken == "" {
			return pages
		}
		next = page.NextPageToken
	}
	t.Fatalf("list %s does not end", path)
	return nil
}

// OnePage is Pages for a list that must fit in one page of 500 (path has a query already): the
// member of its items.
func (e *Env) OnePage(t *testing.T, token, member, path string) []string {
	t.Helper()
	pages := e.Pages(t, token, member, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

// WantProblemFields fails t unless problem (a Problem's body) names exactly fields among its
// errors, in any order, as often as given.
func WantProblemFields(t *testing.T, problem map[string]any, fields ...string) {
	t.Helper()
	var got []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			got = append(got, m["field"].(string))
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(fields))
	if !slices.Equal(got, want) {
		t.Errorf("problem names fields %v, want %v: %v", got, want, problem)
	}
}

// AuditEvent is an audit event as stored.
type AuditEvent struct {
	Action    string
	ActorKind string
	Before    json.RawMessage // nil for a create
	After     json.RawMessage
}

// AuditEvents are the audit events of the record resourceID, oldest first.
func (e *Env) AuditEvents(t *testing.T, resourceID string) []AuditEvent {
	t.Helper()
	var out []AuditEvent
	if err := e.DB.Conn(context.Background()).Raw(
		`SELECT action, actor_kind, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`,
		resourceID).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// Actions are the actions of events, in order.
func Actions(events []AuditEvent) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Action
	}
	return out
}
