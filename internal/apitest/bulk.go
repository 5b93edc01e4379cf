package apitest

// Helpers for the bulk endpoints: exports (/v1/exports/{resource}) and imports (/v1/imports).

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// The content types of the bulk formats.
const (
	NDJSONType = "application/x-ndjson"
	CSVType    = "text/csv"
)

// Export exports resource with query (the list's filters, format=csv for CSV) as token, fails t
// unless it answers 200 with the format's content type, and returns the body.
func (e *Env) Export(t *testing.T, token, resource, query string) []byte {
	t.Helper()
	res := e.Do(t, Request{Method: http.MethodGet, Path: "/v1/exports/" + resource + "?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("export %s?%s: %d %s", resource, query, res.Status, res.Body)
	}
	want := NDJSONType
	if strings.Contains(query, "format=csv") {
		want = CSVType
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Fatalf("export %s?%s: Content-Type %q, want %s", resource, query, ct, want)
	}
	return res.Body
}

// NDJSONRecords decodes an NDJSON body, one object a line.
func NDJSONRecords(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("NDJSON line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("NDJSON: %v", err)
	}
	return out
}

// NDJSON encodes records as an NDJSON body.
func NDJSON(t *testing.T, records ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range records {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// CSVRecords decodes a CSV body into its header and its rows by column.
func CSVRecords(t *testing.T, body []byte) (header []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// WantColumns fails t unless header has each of cols.
func WantColumns(t *testing.T, header []string, cols ...string) {
	t.Helper()
	for _, c := range cols {
		if !slices.Contains(header, c) {
			t.Errorf("CSV header lacks %s: %v", c, header)
		}
	}
}

// WantSameAsList fails t unless records (an NDJSON export) are, one by one, the items the list
// at path shows token.
func (e *Env) WantSameAsList(t *testing.T, token, path string, records []map[string]any) {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	e.Do(t, Request{Method: http.MethodGet, Path: path, Token: token}).Decode(t, &page)
	if len(page.Items) != len(records) {
		t.Fatalf("export has %d lines, the list %d items", len(records), len(page.Items))
	}
	for i := range records {
		a, err := json.Marshal(records[i])
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(page.Items[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("export line %d differs from the list:\n%s\n%s", i+1, a, b)
		}
	}
}

// Strings is member key of each record, in order; each must have it, as a string.
func Strings(t *testing.T, records []map[string]any, key string) []string {
	t.Helper()
	out := []string{}
	for _, r := range records {
		s, ok := r[key].(string)
		if !ok {
			t.Fatalf("a record whose %s is not a string: %v", key, r)
		}
		out = append(out, s)
	}
	return out
}

// Codes are the codes of an NDJSON body's records, in order.
func Codes(t *testing.T, body []byte) []string {
	t.Helper()
	return Strings(t, NDJSONRecords(t, body), "code")
}

// ByCode indexes records by their code, which each must have.
func ByCode(t *testing.T, records []map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, r := range records {
		code, ok := r["code"].(string)
		if !ok {
			t.Fatalf("a record without a code: %v", r)
		}
		out[code] = r
	}
	return out
}

// ImportJob is an import job as the contract's ImportJob renders it.
type ImportJob struct {
	ID         string         `json:"id"`
	Resource   string         `json:"resource"`
	Status     string         `json:"status"`
	Mode       string         `json:"mode"`
	Strategy   string         `json:"strategy"`
	Atomic     string         `json:"atomic"`
	Key        string         `json:"key"`
	Format     string         `json:"format"`
	MaxErrors  int            `json:"max_errors"`
	RowsRead   int64          `json:"rows_read"`
	BytesRead  int64          `json:"bytes_read"`
	BodyBytes  int64          `json:"body_bytes"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	StartedAt  *time.Time     `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at"`
	Report     ImportReport   `json:"report"`
	Failure    *ImportFailure `json:"failure"`
}

// ImportReport is what an import did, or would do in validate mode.
type ImportReport struct {
	Created         int64            `json:"created"`
	Updated         int64            `json:"updated"`
	Unchanged       int64            `json:"unchanged"`
	Failed          int64            `json:"failed"`
	Committed       bool             `json:"committed"`
	Errors          []ImportRowError `json:"errors"`
	ErrorsTruncated bool             `json:"errors_truncated"`
}

// ImportRowError is a refused row.
type ImportRowError struct {
	Line    int64  `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportFailure is why a job failed or was cancelled.
type ImportFailure struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// Counts is the report's counts, for messages.
func (r ImportReport) Counts() string {
	return fmt.Sprintf("created %d updated %d unchanged %d failed %d committed %v",
		r.Created, r.Updated, r.Unchanged, r.Failed, r.Committed)
}

// PostImport posts body as an import into resource with query (further options, such as
// "atomic=all&key=id"; may be empty), asking to wait for the job, and returns the response as
// is. An empty contentType is NDJSON unless body does not start with "{", then CSV.
func (e *Env) PostImport(t *testing.T, token, resource, query, contentType string, body []byte) Response {
	t.Helper()
	path := "/v1/imports?resource=" + resource
	if query != "" {
		path += "&" + query
	}
	if contentType == "" {
		contentType = NDJSONType
		if !bytes.HasPrefix(body, []byte("{")) {
			contentType = CSVType
		}
	}
	return e.Do(t, Request{Method: http.MethodPost, Path: path, Token: token, Body: body, ContentType: contentType,
		Header: map[string]string{"Prefer": "wait=30"}})
}

// Import is PostImport for an import that must finish within the wait: it fails t unless the
// answer is 201, and returns the finished job.
func (e *Env) Import(t *testing.T, token, resource, query, contentType string, body []byte) ImportJob {
	t.Helper()
	res := e.PostImport(t, token, resource, query, contentType, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("import %s?%s: %d %s", resource, query, res.Status, res.Body)
	}
	var j ImportJob
	res.Decode(t, &j)
	return j
}

// WantCounts fails t unless the job's report counts are created, updated, unchanged and failed.
func (j ImportJob) WantCounts(t *testing.T, what string, created, updated, unchanged, failed int64) {
	t.Helper()
	r := j.Report
	if r.Created != created || r.Updated != updated || r.Unchanged != unchanged || r.Failed != failed {
		t.Errorf("%s: created %d updated %d unchanged %d failed %d, want %d %d %d %d (status %s, errors %+v, failure %+v)", what,
			r.Created, r.Updated, r.Unchanged, r.Failed, created, updated, unchanged, failed, j.Status, r.Errors, j.Failure)
	}
}

// FirstError is the report's first refused row; there must be one.
func (j ImportJob) FirstError(t *testing.T) (line int64, field, message string) {
	t.Helper()
	if len(j.Report.Errors) == 0 {
		t.Fatalf("no row errors in %+v", j.Report)
	}
	e := j.Report.Errors[0]
	return e.Line, e.Field, e.Message
}

// WantError fails t unless the report refused line on field (empty: the row as a whole) with
// a message containing message.
func (j ImportJob) WantError(t *testing.T, line int64, field, message string) {
	t.Helper()
	if !slices.ContainsFunc(j.Report.Errors, func(e ImportRowError) bool { return e.matches(line, field, message) }) {
		t.Errorf("no error on line %d, field %q, mentioning %q: %+v", line, field, message, j.Report.Errors)
	}
}

// WantOnlyError is WantError for a report that must refuse that row and nothing else.
func (j ImportJob) WantOnlyError(t *testing.T, line int64, field, message string) {
	t.Helper()
	if errs := j.Report.Errors; len(errs) != 1 || !errs[0].matches(line, field, message) {
		t.Errorf("errors %+v, want only line %d, field %q, mentioning %q", errs, line, field, message)
	}
}

func (e ImportRowError) matches(line int64, field, message string) bool {
	return e.Line == line && e.Field == field && strings.Contains(e.Message, message)
}

// UnchangedTables fails t if any of tables changed since before (a Fingerprint).
func (e *Env) UnchangedTables(t *testing.T, before map[string]string, tables ...string) {
	t.Helper()
	after := e.Fingerprint(t)
	for _, tbl := range tables {
		if after[tbl] != before[tbl] {
			t.Errorf("table %s changed", tbl)
		}
	}
}

// UnchangedExcept fails t if a table other than those named changed since before (a
// Fingerprint). Every import records its job, and most an audit event, whatever they write.
func (e *Env) UnchangedExcept(t *testing.T, before map[string]string, tables ...string) {
	t.Helper()
	after := e.Fingerprint(t)
	for tbl, sum := range before {
		if !slices.Contains(tables, tbl) && after[tbl] != sum {
			t.Errorf("table %s changed", tbl)
		}
	}
}

// RoundTrip exports resource (filtered by query) as NDJSON and as CSV, checks that each has n
// rows, imports each back (the NDJSON once more with each of also, such as "key=id") and
// fails t unless every import reports its n rows unchanged and table is as it was.
func (e *Env) RoundTrip(t *testing.T, token, resource, query, table string, n int64, also ...string) {
	t.Helper()
	before := e.Fingerprint(t)[table]
	nd := e.Export(t, token, resource, query)
	if got := len(NDJSONRecords(t, nd)); int64(got) != n {
		t.Fatalf("%s: NDJSON export has %d rows, want %d", resource, got, n)
	}
	e.Import(t, token, resource, "", NDJSONType, nd).WantCounts(t, resource+" NDJSON back", 0, 0, n, 0)
	c := e.Export(t, token, resource, query+"&format=csv")
	if _, rows := CSVRecords(t, c); int64(len(rows)) != n {
		t.Fatalf("%s: CSV export has %d rows, want %d", resource, len(rows), n)
	}
	e.Import(t, token, resource, "", CSVType, c).WantCounts(t, resource+" CSV back", 0, 0, n, 0)
	for _, q := range also {
		e.Import(t, token, resource, q, NDJSONType, nd).WantCounts(t, resource+" NDJSON back with "+q, 0, 0, n, 0)
	}
	if e.Fingerprint(t)[table] != before {
		t.Errorf("%s: importing its export changed the table", resource)
	}
}
