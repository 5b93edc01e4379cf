package audit_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func createInstitution(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: "POST", Path: "/v1/institutions", Token: token,
		Body: map[string]any{"code": code, "name": map[string]string{"es": "Unidad " + code}, "kind": "agency", "tier": "national"}})
	if res.Status != 201 {
		t.Fatalf("create %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// The application's database role cannot change or remove past events.
func TestTrailIsAppendOnly(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	createInstitution(t, env, env.AdminToken(t), "PE-AUDIT")
	ctx := context.Background()
	for _, stmt := range []string{
		`UPDATE audit_events SET action = 'forged'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		if err := env.DB.Conn(ctx).Exec(stmt).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: want an append-only error, got %v", stmt, err)
		}
	}
	if n := env.Count(t, "audit_events", "action = 'institution.create'"); n != 1 {
		t.Fatalf("the create event should survive, found %d", n)
	}
}

func TestListAuditEvents(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	start := time.Now().Add(-time.Second).UTC()
	var ids []string
	for i := range 5 {
		ids = append(ids, createInstitution(t, env, editor, fmt.Sprintf("PE-A%02d", i)))
	}
	patch := env.Do(t, apitest.Request{Method: "PATCH", Path: "/v1/institutions/" + ids[0], Token: editor,
		Body: `{"acronym":"AA"}`, ContentType: "application/merge-patch+json"})
	if patch.Status != 200 {
		t.Fatalf("patch: %d %s", patch.Status, patch.Body)
	}

	// Newest first, paged without repeats, every event attributed.
	var seen []map[string]any
	token := ""
	for page := 0; page < 10; page++ {
		q := url.Values{"page_size": {"2"}, "resource_type": {"institution"}, "occurred_from": {start.Format(time.RFC3339)}}
		if token != "" {
			q.Set("page_token", token)
		}
		res := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events?" + q.Encode(), Token: admin})
		if res.Status != 200 {
			t.Fatalf("list: %d %s", res.Status, res.Body)
		}
		body := res.JSON(t)
		for _, it := range body["items"].([]any) {
			seen = append(seen, it.(map[string]any))
		}
		if token = body["next_page_token"].(string); token == "" {
			break
		}
	}
	if len(seen) != 6 {
		t.Fatalf("want 6 events (5 creates, 1 update), got %d", len(seen))
	}
	if seen[0]["action"] != "institution.update" {
		t.Errorf("newest first: got %v", seen[0]["action"])
	}
	upd := seen[0]
	if upd["before"].(map[string]any)["version"] != float64(1) || upd["after"].(map[string]any)["acronym"] != "AA" {
		t.Errorf("update event lacks before/after: %v", upd)
	}
	for _, ev := range seen {
		a := ev["actor"].(map[string]any)
		if a["kind"] != "user" || a["id"] == "" || ev["request_id"] == "" || ev["client_ip"] != "127.0.0.1" {
			t.Errorf("event not attributed: %v", ev)
		}
	}

	// Filters narrow.
	one := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events?resource_id=" + ids[3], Token: admin}).JSON(t)
	if items := one["items"].([]any); len(items) != 1 || items[0].(map[string]any)["resource_id"] != ids[3] {
		t.Errorf("resource_id filter: %v", items)
	}
	upds := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events?action=institution.update", Token: admin}).JSON(t)
	if len(upds["items"].([]any)) != 1 {
		t.Errorf("action filter: %v", upds)
	}
	future := url.Values{"occurred_from": {time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}}
	if items := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events?" + future.Encode(), Token: admin}).JSON(t)["items"].([]any); len(items) != 0 {
		t.Errorf("occurred_from in the future should match nothing, got %d", len(items))
	}

	// Only those with audit:read may look.
	if res := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events", Token: env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}})}); res.Status != 403 {
		t.Errorf("editor reading the audit trail: %d", res.Status)
	}
	if res := env.Do(t, apitest.Request{Method: "GET", Path: "/v1/audit-events?page_token=bogus", Token: admin}); res.Status != 400 {
		t.Errorf("bogus page token: %d", res.Status)
	}
}
