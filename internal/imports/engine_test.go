package imports_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
)

// fixture is an indicator and a source observations can refer to.
type fixture struct {
	env               *apitest.Env
	admin             string
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

func TestImportObservationsCommitThenUnchanged(t *testing.T) {
	f := newFixture(t)
	body := f.obsLines(120, func(i int) string { return fmt.Sprint(i * 10) })
	j := f.env.Import(t, f.admin, "observations", "", ndjsonType, []byte(body))
	if j.Status != "succeeded" {
		t.Fatalf("first import: %+v", j)
	}
	if r := j.Report; r.Created != 120 || r.Failed != 0 || !r.Committed {
		t.Fatalf("report %+v", r)
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
	j = f.env.Import(t, f.admin, "observations", "", ndjsonType, []byte(body))
	if r := j.Report; r.Created != 0 || r.Updated != 1 || r.Unchanged != 119 {
		t.Fatalf("second report %+v", r)
	}
	if n := f.env.Count(t, "observations", "value = 99999 AND version = 2"); n != 1 {
		t.Fatalf("updated rows = %d", n)
	}
	if n := f.env.Count(t, "audit_events", "action = 'import.commit'"); n != 2 {
		t.Fatalf("audit events = %d", n)
	}
}

// Helpers for badinput_test.go and jobs_test.go.

// fixtureOn creates the indicator and source of a fixture in env (for environments started
// with apitest.NewWith).
func fixtureOn(t *testing.T, env *apitest.Env) fixture {
	t.Helper()
	f := fixture{env: env, admin: env.AdminToken(t)}
	f.indicator = f.create(t, "/v1/indicators", map[string]any{
		"code": "IMP-IND", "name": map[string]any{"es": "Indicador"}, "unit": "personas", "measure": "stock"})
	f.source = f.create(t, "/v1/data-sources", map[string]any{
		"code": "IMP-SRC", "title": map[string]any{"es": "Fuente"}, "type": "study", "access": "public"})
	return f
}

// create posts body to path as the admin and returns the new record's id.
func (f fixture) create(t *testing.T, path string, body map[string]any) string {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: f.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// obsRow is observation i as an NDJSON line (without its newline): one month each, so that any
// number of rows have distinct dimensions.
func (f fixture) obsRow(i int, value string) string {
	return fmt.Sprintf(`{"indicator_id":%q,"source_id":%q,"period":"%04d-%02d","country":"ES","value":%s}`,
		f.indicator, f.source, 1900+i/12, i%12+1, value)
}

// ndjson is n observation rows; value(i) is row i's value as JSON.
func (f fixture) ndjson(n int, value func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f.obsRow(i, value(i)))
		b.WriteByte('\n')
	}
	return b.String()
}

const obsHeader = "indicator_id,source_id,period,country,value"

// csvRow is observation i as a CSV record of obsHeader (without its newline).
func (f fixture) csvRow(i int, value string) string {
	return fmt.Sprintf("%s,%s,%04d-%02d,ES,%s", f.indicator, f.source, 1900+i/12, i%12+1, value)
}

// csv is obsHeader and n observation records; value(i) is record i's value cell.
func (f fixture) csv(n int, value func(i int) string) string {
	var b strings.Builder
	b.WriteString(obsHeader + "\n")
	for i := range n {
		b.WriteString(f.csvRow(i, value(i)))
		b.WriteByte('\n')
	}
	return b.String()
}

func num(i int) string { return fmt.Sprint(i) }

const (
	ndjsonType = "application/x-ndjson"
	csvType    = "text/csv"
	jsonType   = "application/json"
)

// upload is an import request.
type upload struct {
	Query       string // after "resource=observations&" unless it names a resource itself
	ContentType string
	Body        any    // string or []byte
	Token       string // default: the fixture's admin
	Header      map[string]string
	NoWait      bool // no Prefer: wait
}

// send posts an import and returns the response as is.
func (f fixture) send(t *testing.T, u upload) apitest.Response {
	t.Helper()
	q := u.Query
	if !strings.Contains(q, "resource=") {
		q = strings.TrimSuffix("resource=observations&"+q, "&")
	}
	h := map[string]string{}
	if !u.NoWait {
		h["Prefer"] = "wait=30"
	}
	for k, v := range u.Header {
		h[k] = v
	}
	tok := u.Token
	if tok == "" {
		tok = f.admin
	}
	return f.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?" + q, Token: tok,
		Body: u.Body, ContentType: u.ContentType, Header: h})
}

// run posts an import that must finish within the wait: 201 and a final job.
func (f fixture) run(t *testing.T, u upload) apitest.ImportJob {
	t.Helper()
	res := f.send(t, u)
	if res.Status != http.StatusCreated {
		t.Fatalf("import %s: status %d, want 201 (finished): %s", u.Query, res.Status, res.Body)
	}
	var j apitest.ImportJob
	res.Decode(t, &j)
	if want := "/v1/imports/" + j.ID; res.Header.Get("Location") != want {
		t.Fatalf("Location %q, want %q", res.Header.Get("Location"), want)
	}
	return j
}

// rowErr is a refused row, as the report has it.
type rowErr struct {
	Line    int64  `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// wantSucceeded fails t unless j succeeded with exactly the counts given (committed as said).
func wantSucceeded(t *testing.T, j apitest.ImportJob, created, updated, unchanged int64, committed bool) {
	t.Helper()
	r := j.Report
	if j.Status != "succeeded" || j.Failure != nil || r.Created != created || r.Updated != updated ||
		r.Unchanged != unchanged || r.Failed != 0 || r.Committed != committed || len(r.Errors) != 0 {
		t.Fatalf("job %s %+v: %s, errors %v; want succeeded, created %d updated %d unchanged %d failed 0 committed %v",
			j.Status, j.Failure, j.Report.Counts(), r.Errors, created, updated, unchanged, committed)
	}
}

// wantFailed fails t unless j ended failed for reason, with a message containing msg.
func wantFailed(t *testing.T, j apitest.ImportJob, reason, msg string) {
	t.Helper()
	if j.Status != "failed" || j.Failure == nil || j.Failure.Reason != reason || !strings.Contains(j.Failure.Message, msg) {
		t.Fatalf("job %s, failure %+v (%s); want failed, reason %s, message containing %q", j.Status, j.Failure, j.Report.Counts(), reason, msg)
	}
	if j.FinishedAt == nil {
		t.Fatalf("failed job has no finished_at")
	}
}

// wantErrors fails t unless the report's errors are exactly want (messages: substrings).
func wantErrors(t *testing.T, j apitest.ImportJob, want ...rowErr) {
	t.Helper()
	got := j.Report.Errors
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].Line == want[i].Line && got[i].Field == want[i].Field && strings.Contains(got[i].Message, want[i].Message)
	}
	if !ok {
		t.Fatalf("report errors\n got %+v\nwant %+v", got, want)
	}
}

// observations counts the stored observations.
func (f fixture) observations(t *testing.T) int64 {
	t.Helper()
	return f.env.Count(t, "observations", "true")
}

// getJob fetches job id as token.
func (f fixture) getJob(t *testing.T, token, id string) (int, apitest.ImportJob) {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/imports/" + id, Token: token})
	var j apitest.ImportJob
	if res.Status == http.StatusOK {
		res.Decode(t, &j)
	}
	return res.Status, j
}

// waitFinal polls job id until it has finished.
func (f fixture) waitFinal(t *testing.T, token, id string) apitest.ImportJob {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, j := f.getJob(t, token, id)
		if status != http.StatusOK {
			t.Fatalf("GET import %s: %d", id, status)
		}
		if j.Status == "succeeded" || j.Status == "failed" || j.Status == "cancelled" {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s still %s after 30 s", id, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
