package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/pkg/client"
)

// result is one run of puentectl.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// puentectl runs the command as main would, with ctx standing for the process's signals.
func puentectl(ctx context.Context, args ...string) result {
	var out, errOut bytes.Buffer
	err := run(ctx, args, &out, &errOut)
	code := exitStatus(err, &errOut)
	return result{out.String(), errOut.String(), code}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// noDatabase makes sure import and export never look for one.
func noDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
}

// live starts Puente with an importer API client and points PUENTE_URL and the client
// credentials at them, as a script's environment would.
func live(t *testing.T) (*apitest.Env, string) {
	t.Helper()
	env := apitest.New(t)
	_, secret, err := env.App.Accounts.CreateClient(context.Background(), auth.NewClient{ClientID: "cli-loader", Name: "CLI loader", Roles: []string{"importer"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PUENTE_URL", env.Server.URL+"/")
	t.Setenv("PUENTE_CLIENT_ID", "cli-loader")
	t.Setenv("PUENTE_CLIENT_SECRET", secret)
	noDatabase(t)
	return env, env.AdminToken(t)
}

func TestImportFlags(t *testing.T) {
	noDatabase(t)
	t.Setenv("PUENTE_CLIENT_ID", "")
	t.Setenv("PUENTE_CLIENT_SECRET", "")
	ctx := context.Background()
	csvFile := writeFile(t, "inst.csv", "code\nX\n")

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "missing FILE"},
		{[]string{"import", csvFile}, 2, "--resource is required"},
		{[]string{"import", csvFile, "--resource", "planets"}, 2, `unknown resource "planets"`},
		{[]string{"import", csvFile, csvFile, "--resource", "institutions"}, 2, "one FILE at a time"},
		{[]string{"import", csvFile, "--resource", "institutions", "--strategy", "merge"}, 2, "--strategy must be"},
		{[]string{"import", csvFile, "--resource", "institutions", "--atomic", "some"}, 2, "--atomic must be"},
		{[]string{"import", csvFile, "--resource", "institutions", "--key", "name"}, 2, "--key must be"},
		{[]string{"import", csvFile, "--resource", "institutions", "--max-errors", "0x"}, 2, "invalid value"},
		{[]string{"import", csvFile, "--resource", "institutions", "--max-errors", "100001"}, 2, "--max-errors must be"},
		{[]string{"import", csvFile, "--resource", "institutions", "--format", "xml"}, 2, "--format must be"},
		{[]string{"import", "data.txt", "--resource", "institutions"}, 2, "cannot tell the format of data.txt"},
		{[]string{"import", filepath.Join(t.TempDir(), "absent.csv"), "--resource", "institutions"}, 2, "no such file"},
		{[]string{"import", csvFile, "--resource", "institutions", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"import", "-h"}, 0, "usage: puentectl import FILE"},
		{[]string{"import", csvFile, "--resource", "institutions"}, 2, "set PUENTE_CLIENT_ID and PUENTE_CLIENT_SECRET"},
		{[]string{"export"}, 2, "missing RESOURCE"},
		{[]string{"export", "planets"}, 2, `unknown resource "planets"`},
		{[]string{"export", "observations", "--format", "json"}, 2, "--format must be ndjson or csv"},
		{[]string{"export", "observations", "--filter", "country"}, 2, `--filter "country" is not name=value`},
		{[]string{"export", "observations", "--filter", "format=csv"}, 2, "use --format"},
		{[]string{"export", "-h"}, 0, "usage: puentectl export RESOURCE"},
		{[]string{"export", "observations"}, 2, "set PUENTE_CLIENT_ID"},
	} {
		r := puentectl(ctx, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%v: want exit %d and %q on stderr, got %s", c.args, c.code, c.want, r)
		}
	}

	t.Setenv("PUENTE_CLIENT_ID", "x")
	t.Setenv("PUENTE_CLIENT_SECRET", "y")
	t.Setenv("PUENTE_URL", "localhost:8080")
	if r := puentectl(ctx, "export", "observations"); r.code != 2 || !strings.Contains(r.stderr, "not an http(s) URL") {
		t.Errorf("a PUENTE_URL without scheme: %s", r)
	}
}

// The format comes from the extension (a .gz one meaning a gzip body) unless --format says;
// flags may come before or after FILE.
func TestImportFormatDetection(t *testing.T) {
	for _, c := range []struct {
		args   []string
		format string
		gzip   bool
	}{
		{[]string{"a.ndjson"}, "ndjson", false},
		{[]string{"A.JSONL"}, "ndjson", false},
		{[]string{"dir.v2/b.csv"}, "csv", false},
		{[]string{"b.csv.gz"}, "csv", true},
		{[]string{"c.json"}, "json", false},
		{[]string{"c.JSON.GZ"}, "json", true},
		{[]string{"d.txt", "--format", "csv"}, "csv", false},
		{[]string{"--format", "ndjson", "e.gz"}, "ndjson", true},
		{[]string{"f.csv", "--format", "ndjson"}, "ndjson", false},
	} {
		o, err := parseImport(append(c.args, "--resource", "observations"), io.Discard)
		if err != nil || o.format != c.format || o.gzip != c.gzip {
			t.Errorf("%v: format %q gzip %v (%v), want %q %v", c.args, o.format, o.gzip, err, c.format, c.gzip)
		}
	}
	o, err := parseImport([]string{"--validate", "--resource", "institutions", "x.csv", "--strategy", "create",
		"--atomic", "all", "--key", "external_id", "--max-errors", "5", "--idempotency-key", "k-1", "--no-wait"}, io.Discard)
	want := importOptions{file: "x.csv", resource: "institutions", validate: true, strategy: "create", atomic: "all",
		key: "external_id", maxErrors: 5, format: "csv", idempotencyKey: "k-1", noWait: true}
	if err != nil || o != want {
		t.Fatalf("interleaved flags: %+v (%v)", o, err)
	}
	if o, err := parseImport([]string{"--resource", "institutions", "--", "-odd-name.csv"}, io.Discard); err != nil || o.file != "-odd-name.csv" {
		t.Fatalf("a FILE after --: %+v %v", o, err)
	}
}

// fakeClock advances only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// Progress when stderr is not a terminal: plain lines, never two within 2 s; on a terminal: a
// bar redrawn in place and cleared at the end.
func TestImportProgress(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var plain bytes.Buffer
	m := newMeter(&plain, false, clock.now, "uploading obs.ndjson")
	for _, step := range []time.Duration{0, 500 * time.Millisecond, 1400 * time.Millisecond, 100 * time.Millisecond,
		900 * time.Millisecond, 1200 * time.Millisecond, 10 * time.Millisecond} {
		clock.advance(step) // at 0, 0.5, 1.9, 2.0, 2.9, 4.1, 4.11 s
		m.update(0.5, "1.0 kB of 2.0 kB", false)
	}
	m.end("uploading obs.ndjson: sent 2.0 kB in 4.1s")
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	if len(lines) != 3 || lines[0] != "uploading obs.ndjson: 1.0 kB of 2.0 kB (50%)" || lines[1] != lines[0] ||
		!strings.HasSuffix(lines[2], "sent 2.0 kB in 4.1s") || strings.Contains(plain.String(), "\r") {
		t.Fatalf("plain progress:\n%q", plain.String())
	}

	var tty bytes.Buffer
	m = newMeter(&tty, true, clock.now, "uploading")
	clock.advance(time.Second)
	m.update(0.25, "250 B of 1.0 kB", false)
	m.update(0.30, "300 B of 1.0 kB", false) // too soon to redraw
	clock.advance(200 * time.Millisecond)
	m.update(1, "1.0 kB of 1.0 kB", false)
	m.end("")
	want := "\r\x1b[Kuploading [======>                       ]  25%  250 B of 1.0 kB" +
		"\r\x1b[Kuploading [==============================] 100%  1.0 kB of 1.0 kB" + "\r\x1b[K"
	if tty.String() != want {
		t.Fatalf("terminal progress:\n%q\nwant\n%q", tty.String(), want)
	}

	// The upload reader reports what the transport reads and ends with a summary.
	var out bytes.Buffer
	data := strings.Repeat("x", 100_000)
	u := &uploadReader{r: strings.NewReader(data), total: int64(len(data)), start: clock.now(),
		m: newMeter(&out, false, clock.now, "uploading big.csv")}
	buf := make([]byte, 10_000)
	for {
		clock.advance(300 * time.Millisecond)
		if _, err := u.Read(buf); err != nil {
			break
		}
	}
	u.stop()
	lines = strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || lines[0] != "uploading big.csv: 70.0 kB of 100.0 kB (70%)" || lines[1] != "uploading big.csv: sent 100.0 kB in 3.0s" {
		t.Fatalf("upload progress:\n%s", out.String())
	}
	if humanBytes(999) != "999 B" || humanBytes(1_500_000) != "1.5 MB" || thousands(1234567) != "1,234,567" || thousands(12) != "12" {
		t.Fatal("number formatting")
	}
}

// stub is a scripted stand-in for the server, for what a real one cannot be made to do on cue:
// a job that runs until cancelled, a report with many errors.
type stub struct {
	*httptest.Server
	mu       sync.Mutex
	req      *http.Request // the last upload
	body     []byte        // and its body
	polls    int
	deletes  int
	onUpload func() (int, string)      // answers POST /v1/imports
	onPoll   func(n int) (int, string) // answers the n-th GET /v1/imports/{id}, from 1
}

func newStub(t *testing.T) *stub {
	s := &stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		answer := func(status int, body string) {
			ct := "application/json"
			if status >= 400 {
				ct = "application/problem+json"
			}
			w.Header().Set("Content-Type", ct)
			if r.URL.Path == "/v1/imports" {
				w.Header().Set("Location", "/v1/imports/"+stubID)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
		switch {
		case r.URL.Path == "/v1/auth/token":
			answer(200, `{"access_token":"tok","token_type":"Bearer","expires_in":900,"scope":""}`)
		case r.Header.Get("Authorization") != "Bearer tok":
			answer(401, `{"type":"/problems/unauthenticated","title":"Unauthenticated","status":401}`)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/imports":
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("reading the upload: %v", err)
			}
			s.req, s.body = r, body
			answer(s.onUpload())
		case r.Method == http.MethodGet && r.URL.Path == "/v1/imports/"+stubID && s.deletes > 0:
			answer(200, job("cancelled", 50, `"report":{"created":50,"updated":0,"unchanged":0,"failed":0,"committed":true,"errors":[],"errors_truncated":false}`,
				`"failure":{"reason":"cancelled","message":"cancelled at the caller's request"}`))
		case r.Method == http.MethodGet && r.URL.Path == "/v1/imports/"+stubID:
			s.polls++
			answer(s.onPoll(s.polls))
		case r.Method == http.MethodDelete && r.URL.Path == "/v1/imports/"+stubID:
			s.deletes++ // a running job stops at its next batch: later polls see it cancelled
			answer(200, job("running", 40))
		case r.Method == http.MethodGet && r.URL.Path == "/v1/exports/observations":
			s.req = r
			w.Header().Set("Content-Type", "text/csv")
			io.WriteString(w, "country,value\nPE,1\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the stream breaks off
		default:
			answer(404, `{"type":"/problems/not-found","title":"Not found","status":404}`)
		}
	}))
	t.Cleanup(s.Close)
	t.Setenv("PUENTE_URL", s.URL)
	t.Setenv("PUENTE_CLIENT_ID", "stub")
	t.Setenv("PUENTE_CLIENT_SECRET", "secret")
	noDatabase(t)
	return s
}

func (s *stub) counts() (polls, deletes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls, s.deletes
}

const stubID = "0193f0c8-0000-7000-8000-000000000001"

// job is an ImportJob's JSON with status, rows read and members replaced by extra ("name":value).
func job(status string, rows int, extra ...string) string {
	m := map[string]any{"id": stubID, "resource": "observations", "status": status,
		"mode": "commit", "strategy": "upsert", "atomic": "none", "key": "code", "format": "ndjson", "max_errors": 1000,
		"rows_read": rows, "bytes_read": rows * 10, "body_bytes": 1000, "created_by": "stub", "created_at": "2025-01-01T00:00:00Z",
		"started_at": nil, "finished_at": nil, "failure": nil,
		"report": map[string]any{"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "committed": false, "errors": []any{}, "errors_truncated": false}}
	for _, e := range extra {
		var one map[string]any
		if err := json.Unmarshal([]byte("{"+e+"}"), &one); err != nil {
			panic(err)
		}
		for k, v := range one {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// The upload is streamed with a declared length and the options as the contract names them,
// the job is followed until it ends, and the report lists 20 row errors and counts the rest.
func TestImportFollowsTheJob(t *testing.T) {
	s := newStub(t)
	s.onUpload = func() (int, string) { return 202, job("queued", 0) }
	var errs []string
	for i := range 25 {
		errs = append(errs, fmt.Sprintf(`{"line":%d,"field":"value","message":"must be a number"}`, i+2))
	}
	errs[3] = `{"line":5,"field":"","message":"the row is not a JSON object"}`
	s.onPoll = func(n int) (int, string) {
		if n < 3 {
			return 200, job("running", 10*n)
		}
		return 200, job("succeeded", 40, `"report":{"created":12,"updated":3,"unchanged":0,"failed":25,"committed":true,"errors":[`+
			strings.Join(errs, ",")+`],"errors_truncated":false}`)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat(`{"value":1}`+"\n", 500)))
	zw.Close()
	file := writeFile(t, "obs.ndjson.gz", gz.String())

	start := time.Now()
	r := puentectl(context.Background(), "import", file, "--resource", "observations", "--strategy", "create", "--atomic", "none",
		"--key", "code", "--max-errors", "50", "--idempotency-key", "load-1")
	if r.code != 1 {
		t.Fatalf("25 failed rows must exit 1: %s", r)
	}
	if took := time.Since(start); took < time.Second || s.polls != 3 {
		t.Fatalf("want 3 polls 500 ms apart, got %d in %v", s.polls, took)
	}
	up := s.req
	if q := up.URL.RawQuery; q != "resource=observations&strategy=create&atomic=none&key=code&max_errors=50" {
		t.Errorf("query %s", q)
	}
	for h, want := range map[string]string{"Content-Type": "application/x-ndjson", "Content-Encoding": "gzip", "Prefer": "wait=2",
		"Idempotency-Key": "load-1", "Authorization": "Bearer tok"} {
		if up.Header.Get(h) != want {
			t.Errorf("%s: %q, want %q", h, up.Header.Get(h), want)
		}
	}
	if up.ContentLength != int64(gz.Len()) || len(up.TransferEncoding) != 0 || !bytes.Equal(s.body, gz.Bytes()) {
		t.Errorf("body: length %d %v, %d bytes received, want %d declared", up.ContentLength, up.TransferEncoding, len(s.body), gz.Len())
	}
	if !strings.HasPrefix(r.stdout, "import "+stubID+" (observations, commit): succeeded\ncreated 12, updated 3, unchanged 0, failed 25\n") ||
		!strings.Contains(r.stdout, "\nline 2: value: must be a number\n") || !strings.Contains(r.stdout, "\nline 5: the row is not a JSON object\n") ||
		!strings.Contains(r.stdout, "\nline 21: value: must be a number\n") || strings.Contains(r.stdout, "line 22:") ||
		!strings.HasSuffix(r.stdout, "… and 5 more\n") {
		t.Errorf("report: %s", r)
	}
	if !strings.Contains(r.stderr, "uploading obs.ndjson.gz: sent ") || !strings.Contains(r.stderr, "importing: 40 rows read") || strings.Contains(r.stderr, "\r") {
		t.Errorf("progress: %s", r)
	}

	// --no-wait: the job as accepted, where to follow it, and exit 0.
	s.polls = 0
	r = puentectl(context.Background(), "import", file, "--resource", "observations", "--no-wait")
	if r.code != 0 || s.polls != 0 || r.stdout != "import "+stubID+": queued\n"+s.URL+"/v1/imports/"+stubID+"\n" {
		t.Errorf("--no-wait: %s", r)
	}

	// A job that finished within the wait budget is not polled; its failure says why.
	s.onUpload = func() (int, string) {
		return 201, job("failed", 3, `"mode":"validate"`, `"failure":{"reason":"malformed","message":"line 3: unexpected end of JSON input"}`)
	}
	r = puentectl(context.Background(), "import", file, "--resource", "observations", "--validate")
	if r.code != 1 || s.polls != 0 || s.req.URL.Query().Get("mode") != "validate" ||
		!strings.HasPrefix(r.stdout, "import "+stubID+" (observations, validate): failed\n") ||
		!strings.Contains(r.stdout, "nothing written: validate mode") ||
		!strings.HasSuffix(r.stdout, "failure: malformed: line 3: unexpected end of JSON input\n") {
		t.Errorf("failed job: %s", r)
	}

	// A refusal is the problem's title, detail and field errors.
	s.onUpload = func() (int, string) {
		return 422, `{"type":"/problems/invalid","title":"Invalid request","status":422,"detail":"the import's options are invalid",` +
			`"errors":[{"field":"key","message":"observations have no external_id"}]}`
	}
	r = puentectl(context.Background(), "import", file, "--resource", "observations", "--key", "external_id")
	if r.code != 1 || r.stdout != "" ||
		!strings.HasSuffix(r.stderr, "\npuentectl: Invalid request: the import's options are invalid\n  key: observations have no external_id\n") {
		t.Errorf("problem: %s", r)
	}
}

// Ctrl-C while waiting cancels the job on the server, waits for it to stop, prints what it did
// and exits 130.
func TestImportInterruptCancelsTheJob(t *testing.T) {
	s := newStub(t)
	s.onUpload = func() (int, string) { return 202, job("running", 0) }
	s.onPoll = func(n int) (int, string) { return 200, job("running", 10*n) }
	file := writeFile(t, "obs.csv", "indicator_id,value\nx,1\n")
	ctx, interrupt := context.WithCancel(context.Background())
	defer interrupt()
	go func() {
		for {
			if polls, _ := s.counts(); polls > 0 {
				interrupt()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	r := puentectl(ctx, "import", file, "--resource", "observations")
	if _, deletes := s.counts(); r.code != 130 || deletes != 1 ||
		r.stdout != "import "+stubID+" (observations, commit): cancelled\ncreated 50, updated 0, unchanged 0, failed 0\n"+
			"failure: cancelled: cancelled at the caller's request\n" ||
		!strings.HasSuffix(r.stderr, "interrupted: cancelling import "+stubID+"\n") {
		t.Fatalf("interrupt: deletes %d, %s", deletes, r)
	}
	if s.req.Header.Get("Content-Type") != "text/csv" || s.req.Header.Get("Content-Encoding") != "" {
		t.Fatalf("CSV upload headers %v", s.req.Header)
	}
}

// A report whose error list the server cut short says how many more there are at least.
func TestImportReportTruncated(t *testing.T) {
	var j client.ImportJob
	var errs []string
	for i := range 30 {
		errs = append(errs, fmt.Sprintf(`{"line":%d,"field":"country","message":"not an ISO 3166-1 country"}`, i+1))
	}
	if err := json.Unmarshal([]byte(job("failed", 1000, `"mode":"validate"`,
		`"report":{"created":0,"updated":0,"unchanged":0,"failed":1000,"committed":false,"errors":[`+strings.Join(errs, ",")+`],"errors_truncated":true}`,
		`"failure":{"reason":"too_many_errors","message":"stopped after 1000 refused rows"}`)), &j); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printReport(&out, j)
	want := "import " + stubID + " (observations, validate): failed\ncreated 0, updated 0, unchanged 0, failed 1,000\n" +
		"nothing written: validate mode (the counts are what a commit would do)\n"
	for i := range 20 {
		want += fmt.Sprintf("line %d: country: not an ISO 3166-1 country\n", i+1)
	}
	want += "… and at least 980 more\nfailure: too_many_errors: stopped after 1000 refused rows\n"
	if out.String() != want {
		t.Fatalf("report:\n%s\nwant:\n%s", out.String(), want)
	}
}

// An export whose stream breaks off exits 1 and leaves no file that looks complete.
func TestExportBrokenStream(t *testing.T) {
	s := newStub(t)
	out := filepath.Join(t.TempDir(), "obs.csv")
	r := puentectl(context.Background(), "export", "observations", "--output", out, "--filter", "country=PE", "--filter", "period_from=2020-01-01")
	if r.code != 1 || !strings.Contains(r.stderr, "puentectl: export of observations broke off after ") {
		t.Fatalf("broken export: %s", r)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Fatalf("files left: %v", entries)
	}
	if q := s.req.URL.Query(); q.Get("format") != "csv" || q.Get("country") != "PE" || q.Get("period_from") != "2020-01-01" {
		t.Fatalf("query %s", s.req.URL.RawQuery)
	}
	r = puentectl(context.Background(), "export", "observations")
	if r.code != 1 || r.stdout != "country,value\nPE,1\n" || !strings.Contains(r.stderr, "broke off") {
		t.Fatalf("broken export to stdout: %s", r)
	}
}
