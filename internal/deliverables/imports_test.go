package deliverables_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// impWorld is dlvWorld with three deliverables: IMP-D1 with every member and a document, IMP-D2
// with only what is required, IMP-D3 in review, owned elsewhere.
type impWorld struct {
	*dlvWorld
	full, bare, review string
}

func impSetup(t *testing.T) impWorld {
	t.Helper()
	w := impWorld{dlvWorld: dlvNewWorld(t)}
	w.full = w.deliverable(t, map[string]any{"code": "IMP-D1", "type": "stocktaking_report", "action_id": w.action,
		"title": map[string]any{"es": "Informe, \"uno\"", "en": "Report one"}, "description": map[string]any{"en": "All of it"},
		"owner_unit_id": w.pim, "due_date": "2023-03-31", "function_ids": []string{w.function},
		"practice_ids": []string{w.practice}, "event_ids": []string{w.event}, "gap_ids": []string{w.gap2, w.gap}}).ID
	w.uploadOK(t, w.full, "informe.pdf", dlvPDF(2000))
	w.bare = w.deliverable(t, map[string]any{"code": "IMP-D2", "type": "other", "title": map[string]any{"en": "Bare"}}).ID
	w.review = w.inStatus(t, "IMP-D3", w.con, "in_review").ID
	return w
}

func (w impWorld) export(t *testing.T, query string) []byte {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/deliverables?" + query, Token: w.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("export deliverables?%s: %d %s", query, res.Status, res.Body)
	}
	want := "application/x-ndjson"
	if strings.Contains(query, "format=csv") {
		want = "text/csv"
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Fatalf("export deliverables?%s: Content-Type %q", query, ct)
	}
	return res.Body
}

// impImport imports body with query (options besides the resource) as token and returns the
// finished job.
func (w impWorld) impImport(t *testing.T, token, query, contentType string, body []byte) map[string]any {
	t.Helper()
	path := "/v1/imports?resource=deliverables"
	if query != "" {
		path += "&" + query
	}
	res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: token, Body: body,
		ContentType: contentType, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("import %s: %d %s", path, res.Status, res.Body)
	}
	return res.JSON(t)
}

func impLines(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func impNDJSON(t *testing.T, rows ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	return b.Bytes()
}

func impCodes(t *testing.T, body []byte) []string {
	t.Helper()
	out := []string{}
	for _, m := range impLines(t, body) {
		out = append(out, m["code"].(string))
	}
	return out
}

func impCSV(t *testing.T, body []byte) ([]string, []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV export: %v\n%s", err, body)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

func impReport(t *testing.T, what string, job map[string]any, created, updated, unchanged, failed int) map[string]any {
	t.Helper()
	r, ok := job["report"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no report: %v", what, job)
	}
	if r["created"] != float64(created) || r["updated"] != float64(updated) || r["unchanged"] != float64(unchanged) ||
		r["failed"] != float64(failed) {
		t.Errorf("%s: report %v, want created %d updated %d unchanged %d failed %d", what, r, created, updated, unchanged, failed)
	}
	return r
}

func impFirstError(t *testing.T, r map[string]any) (line float64, field, message string) {
	t.Helper()
	errs, _ := r["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no row errors in %v", r)
	}
	e := errs[0].(map[string]any)
	return e["line"].(float64), e["field"].(string), e["message"].(string)
}

func (w impWorld) table(t *testing.T) string {
	t.Helper()
	return w.env.Fingerprint(t)["deliverables"]
}

func TestExportDeliverables(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	for query, want := range map[string][]string{
		"":                       {"IMP-D1", "IMP-D3", "IMP-D2"}, // by due date, none last
		"order_by=code":          {"IMP-D1", "IMP-D2", "IMP-D3"},
		"code=IMP-D2":            {"IMP-D2"},
		"status=in_review":       {"IMP-D3"},
		"owner_unit_id=" + w.asn: {"IMP-D1"},
		"action_id=" + w.action:  {"IMP-D1"},
		"overdue=true":           {"IMP-D1"},
		"type=other&type=stocktaking_report&order_by=-code": {"IMP-D3", "IMP-D2", "IMP-D1"},
	} {
		if got := impCodes(t, w.export(t, query)); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", query, got, want)
		}
	}
	full := impLines(t, w.export(t, "code=IMP-D1"))[0]
	if lv, _ := full["latest_version"].(map[string]any); lv == nil || lv["filename"] != "informe.pdf" || full["status"] != "planned" {
		t.Errorf("NDJSON row %v", full)
	}
	header, rows := impCSV(t, w.export(t, "format=csv&order_by=code"))
	for _, col := range []string{"code", "title.es", "title.en", "description.en", "gap_ids", "status", "overdue", "latest_version.filename"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header %v lacks %s", header, col)
		}
	}
	if len(rows) != 3 || rows[0]["title.es"] != `Informe, "uno"` || rows[0]["gap_ids"] != `["`+w.gap2+`","`+w.gap+`"]` ||
		rows[0]["due_date"] != "2023-03-31" || rows[1]["owner_unit_id"] != "" || rows[1]["function_ids"] != "[]" ||
		rows[2]["status"] != "in_review" {
		t.Errorf("CSV rows %v", rows)
	}
}

func TestImportDeliverables(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	before := w.table(t)
	nd := w.export(t, "")
	impReport(t, "NDJSON back", w.impImport(t, w.admin, "", "application/x-ndjson", nd), 0, 0, 3, 0)
	impReport(t, "CSV back", w.impImport(t, w.admin, "", "text/csv", w.export(t, "format=csv")), 0, 0, 3, 0)
	if w.table(t) != before {
		t.Errorf("importing the export changed deliverables")
	}

	// A changed row updates its record but never its status (transitions do); a new one is
	// planned whatever its row says.
	rows := impLines(t, w.export(t, "order_by=code"))
	review := rows[2]
	review["title"] = map[string]any{"en": "Renamed in review"}
	review["status"] = "published"
	fresh := map[string]any{"code": "IMP-D4", "type": "event_report", "title": map[string]any{"es": "Nuevo"},
		"status": "approved", "event_ids": []string{w.event}}
	job := w.impImport(t, w.admin, "", "application/x-ndjson", impNDJSON(t, review, fresh))
	impReport(t, "changed and new", job, 1, 1, 0, 0)
	if n := w.env.Count(t, "deliverables", "id = ? AND title_en = 'Renamed in review' AND title_es IS NULL AND status = 'in_review' AND version = ?",
		w.review, int64(review["version"].(float64))+1); n != 1 {
		t.Errorf("the changed deliverable is not stored (status and version kept apart)")
	}
	if n := w.env.Count(t, "deliverables", "code = 'IMP-D4' AND status = 'planned' AND function_ids = '{}' AND cardinality(event_ids) = 1"); n != 1 {
		t.Errorf("the new deliverable is not stored planned")
	}

	// Unknown references fail their row, naming the field; atomic=all writes nothing.
	before = w.table(t)
	ghost := uuid.NewString()
	bad := map[string]any{"code": "IMP-D5", "type": "other", "title": map[string]any{"en": "Bad"}, "function_ids": []string{w.function, ghost}}
	fine := map[string]any{"code": "IMP-D6", "type": "other", "title": map[string]any{"en": "Fine"}}
	job = w.impImport(t, w.admin, "atomic=all", "application/x-ndjson", impNDJSON(t, fine, bad))
	r := impReport(t, "unknown function", job, 1, 0, 0, 1)
	if line, field, msg := impFirstError(t, r); line != 2 || field != "function_ids" || msg != "no such function: "+ghost {
		t.Errorf("unknown function: line %v field %q message %q", line, field, msg)
	}
	if job["status"] != "failed" || r["committed"] != false || w.table(t) != before {
		t.Errorf("atomic=all with a failed row wrote something: %v", job)
	}
	for field, value := range map[string]any{"action_id": ghost, "owner_unit_id": ghost, "practice_ids": []string{ghost},
		"event_ids": []string{ghost}, "gap_ids": []string{ghost}} {
		row := map[string]any{"code": "IMP-D7", "type": "other", "title": map[string]any{"en": "Bad"}, field: value}
		job = w.impImport(t, w.admin, "", "application/x-ndjson", impNDJSON(t, row))
		if _, got, _ := impFirstError(t, impReport(t, field, job, 0, 0, 0, 1)); got != field {
			t.Errorf("unknown %s: field %q", field, got)
		}
	}

	// An archived action the deliverable keeps passes; a new one naming it fails.
	if err := w.env.DB.Conn(context.Background()).Exec(`UPDATE actions SET archived_at = now() WHERE id = ?`, w.action).Error; err != nil {
		t.Fatal(err)
	}
	impReport(t, "kept archived action", w.impImport(t, w.admin, "", "application/x-ndjson", w.export(t, "code=IMP-D1")), 0, 0, 1, 0)
	fine["code"], fine["action_id"] = "IMP-D8", w.action
	job = w.impImport(t, w.admin, "", "application/x-ndjson", impNDJSON(t, fine))
	if _, field, msg := impFirstError(t, impReport(t, "archived action", job, 0, 0, 0, 1)); field != "action_id" || msg != "is archived" {
		t.Errorf("archived action: %q %q", field, msg)
	}
}

func TestImportDeliverablesEditor(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	editor := w.token(t, actor.Editor, &w.asn)
	rows := impLines(t, w.export(t, "order_by=code")) // D1 (PIM, below ASN), D2 (no owner), D3 (CON)
	rows[0]["title"] = map[string]any{"en": "Edited by ASN"}
	mine := w.body("IMP-ASN-1", w.ssn)
	theirs := w.body("IMP-CON-1", w.con)
	moved := impLines(t, w.export(t, "code=IMP-D1"))[0]
	moved["owner_unit_id"] = w.con
	job := w.impImport(t, editor, "", "application/x-ndjson", impNDJSON(t, rows[0], rows[1], rows[2], mine, theirs))
	r := impReport(t, "editor", job, 1, 1, 0, 3)
	var lines []float64
	for _, e := range r["errors"].([]any) {
		lines = append(lines, e.(map[string]any)["line"].(float64))
	}
	if !slices.Equal(lines, []float64{2, 3, 5}) {
		t.Errorf("editor's refused lines %v, want 2 3 5: %v", lines, r["errors"])
	}
	job = w.impImport(t, editor, "", "application/x-ndjson", impNDJSON(t, moved))
	impReport(t, "editor gives a deliverable away", job, 0, 0, 0, 1)
	if n := w.env.Count(t, "deliverables", "id = ? AND owner_unit_id = ?", w.full, w.pim); n != 1 {
		t.Errorf("the deliverable changed hands")
	}
	noScope := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=deliverables", Token: noScope,
		Body: impNDJSON(t, mine), ContentType: "application/x-ndjson"})
	if res.Status != http.StatusForbidden {
		t.Errorf("a viewer imports: %d %s", res.Status, res.Body)
	}
}
