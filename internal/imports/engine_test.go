package imports_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// fixture is an indicator and a source observations can refer to.
type fixture struct {
	env              *apitest.Env
	admin            string
	indicator, source string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	f := fixture{env: env, admin: admin}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: admin, Body: map[string]any{
		"code": "IMP-IND", "name": map[string]any{"es": "Indicador"}, "unit": "personas", "measure": "stock"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("indicator: %d %s", res.Status, res.Body)
	}
	f.indicator = res.JSON(t)["id"].(string)
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: admin, Body: map[string]any{
		"code": "IMP-SRC", "title": map[string]any{"es": "Fuente"}, "type": "study", "access": "public"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("source: %d %s", res.Status, res.Body)
	}
	f.source = res.JSON(t)["id"].(string)
	return f
}

// obsLines returns n NDJSON observation rows, one country-year each.
func (f fixture) obsLines(n int, value func(i int) string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"indicator_id":%q,"source_id":%q,"period":"%d","country":"ES","value":%s}`+"\n",
			f.indicator, f.source, 1900+i, value(i))
	}
	return b.String()
}

func (f fixture) importBody(t *testing.T, query, contentType, body string) (int, map[string]any) {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?" + query, Token: f.admin,
		Body: body, ContentType: contentType, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated && res.Status != http.StatusAccepted {
		return res.Status, res.JSON(t)
	}
	return res.Status, res.JSON(t)
}

func report(t *testing.T, job map[string]any) map[string]any {
	t.Helper()
	r, ok := job["report"].(map[string]any)
	if !ok {
		t.Fatalf("no report: %v", job)
	}
	return r
}

func TestImportObservationsCommitThenUnchanged(t *testing.T) {
	f := newFixture(t)
	body := f.obsLines(120, func(i int) string { return fmt.Sprint(i * 10) })
	status, job := f.importBody(t, "resource=observations", "application/x-ndjson", body)
	if status != http.StatusCreated || job["status"] != "succeeded" {
		t.Fatalf("first import: %d %v", status, job)
	}
	r := report(t, job)
	if r["created"] != 120.0 || r["failed"] != 0.0 || r["committed"] != true {
		t.Fatalf("report %v", r)
	}
	if n := f.env.Count(t, "observations", "true"); n != 120 {
		t.Fatalf("observations = %d", n)
	}
	// Again, with one value changed: one update, the rest unchanged.
	body = f.obsLines(120, func(i int) string {
		if i == 7 {
			return "99999"
		}
		return fmt.Sprint(i * 10)
	})
	_, job = f.importBody(t, "resource=observations", "application/x-ndjson", body)
	r = report(t, job)
	if r["created"] != 0.0 || r["updated"] != 1.0 || r["unchanged"] != 119.0 {
		t.Fatalf("second report %v", r)
	}
	if n := f.env.Count(t, "observations", "value = 99999 AND version = 2"); n != 1 {
		t.Fatalf("updated rows = %d", n)
	}
	if n := f.env.Count(t, "audit_events", "action = 'import.commit'"); n != 2 {
		t.Fatalf("audit events = %d", n)
	}
}
