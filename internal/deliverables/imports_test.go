package deliverables_test

import (
	"context"
	"net/http"
	"slices"
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
		if got := apitest.Codes(t, w.env.Export(t, w.admin, "deliverables", query)); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", query, got, want)
		}
	}
	full := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "deliverables", "code=IMP-D1"))[0]
	if lv, _ := full["latest_version"].(map[string]any); lv == nil || lv["filename"] != "informe.pdf" || full["status"] != "planned" {
		t.Errorf("NDJSON row %v", full)
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "deliverables", "format=csv&order_by=code"))
	apitest.WantColumns(t, header, "code", "title.es", "title.en", "description.en", "gap_ids", "status", "overdue", "latest_version.filename")
	if len(rows) != 3 || rows[0]["title.es"] != `Informe, "uno"` || rows[0]["gap_ids"] != `["`+w.gap2+`","`+w.gap+`"]` ||
		rows[0]["due_date"] != "2023-03-31" || rows[1]["owner_unit_id"] != "" || rows[1]["function_ids"] != "[]" ||
		rows[2]["status"] != "in_review" {
		t.Errorf("CSV rows %v", rows)
	}
}

func TestImportDeliverables(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	w.env.RoundTrip(t, w.admin, "deliverables", "", "deliverables", 3)

	// A changed row updates its record but never its status (transitions do); a new one is
	// planned whatever its row says.
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "deliverables", "order_by=code"))
	review := rows[2]
	review["title"] = map[string]any{"en": "Renamed in review"}
	review["status"] = "published"
	fresh := map[string]any{"code": "IMP-D4", "type": "event_report", "title": map[string]any{"es": "Nuevo"},
		"status": "approved", "event_ids": []string{w.event}}
	job := w.env.Import(t, w.admin, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, review, fresh))
	job.WantCounts(t, "changed and new", 1, 1, 0, 0)
	if n := w.env.Count(t, "deliverables", "id = ? AND title_en = 'Renamed in review' AND title_es IS NULL AND status = 'in_review' AND version = ?",
		w.review, int64(review["version"].(float64))+1); n != 1 {
		t.Errorf("the changed deliverable is not stored (status and version kept apart)")
	}
	if n := w.env.Count(t, "deliverables", "code = 'IMP-D4' AND status = 'planned' AND function_ids = '{}' AND cardinality(event_ids) = 1"); n != 1 {
		t.Errorf("the new deliverable is not stored planned")
	}

	// Unknown references fail their row, naming the field; atomic=all writes nothing.
	before := w.env.Fingerprint(t)["deliverables"]
	ghost := uuid.NewString()
	bad := map[string]any{"code": "IMP-D5", "type": "other", "title": map[string]any{"en": "Bad"}, "function_ids": []string{w.function, ghost}}
	fine := map[string]any{"code": "IMP-D6", "type": "other", "title": map[string]any{"en": "Fine"}}
	job = w.env.Import(t, w.admin, "deliverables", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t, fine, bad))
	job.WantCounts(t, "unknown function", 1, 0, 0, 1)
	if line, field, msg := job.FirstError(t); line != 2 || field != "function_ids" || msg != "no such function: "+ghost {
		t.Errorf("unknown function: line %v field %q message %q", line, field, msg)
	}
	if job.Status != "failed" || job.Report.Committed || w.env.Fingerprint(t)["deliverables"] != before {
		t.Errorf("atomic=all with a failed row wrote something: %v", job)
	}
	for field, value := range map[string]any{"action_id": ghost, "owner_unit_id": ghost, "practice_ids": []string{ghost},
		"event_ids": []string{ghost}, "gap_ids": []string{ghost}} {
		row := map[string]any{"code": "IMP-D7", "type": "other", "title": map[string]any{"en": "Bad"}, field: value}
		job = w.env.Import(t, w.admin, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, row))
		job.WantCounts(t, field, 0, 0, 0, 1)
		if _, got, _ := job.FirstError(t); got != field {
			t.Errorf("unknown %s: field %q", field, got)
		}
	}

	// An archived action the deliverable keeps passes; a new one naming it fails.
	if err := w.env.DB.Conn(context.Background()).Exec(`UPDATE actions SET archived_at = now() WHERE id = ?`, w.action).Error; err != nil {
		t.Fatal(err)
	}
	w.env.Import(t, w.admin, "deliverables", "", apitest.NDJSONType, w.env.Export(t, w.admin, "deliverables", "code=IMP-D1")).WantCounts(t, "kept archived action", 0, 0, 1, 0)
	fine["code"], fine["action_id"] = "IMP-D8", w.action
	job = w.env.Import(t, w.admin, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, fine))
	job.WantCounts(t, "archived action", 0, 0, 0, 1)
	if _, field, msg := job.FirstError(t); field != "action_id" || msg != "is archived" {
		t.Errorf("archived action: %q %q", field, msg)
	}
}

func TestImportDeliverablesEditor(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	editor := w.token(t, actor.Editor, &w.asn)
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "deliverables", "order_by=code")) // D1 (PIM, below ASN), D2 (no owner), D3 (CON)
	rows[0]["title"] = map[string]any{"en": "Edited by ASN"}
	mine := w.body("IMP-ASN-1", w.ssn)
	theirs := w.body("IMP-CON-1", w.con)
	moved := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "deliverables", "code=IMP-D1"))[0]
	moved["owner_unit_id"] = w.con
	job := w.env.Import(t, editor, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, rows[0], rows[1], rows[2], mine, theirs))
	job.WantCounts(t, "editor", 1, 1, 0, 3)
	var lines []int64
	for _, e := range job.Report.Errors {
		lines = append(lines, e.Line)
	}
	if !slices.Equal(lines, []int64{2, 3, 5}) {
		t.Errorf("editor's refused lines %v, want 2 3 5: %+v", lines, job.Report.Errors)
	}
	job = w.env.Import(t, editor, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, moved))
	job.WantCounts(t, "editor gives a deliverable away", 0, 0, 0, 1)
	if n := w.env.Count(t, "deliverables", "id = ? AND owner_unit_id = ?", w.full, w.pim); n != 1 {
		t.Errorf("the deliverable changed hands")
	}
	noScope := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	res := w.env.PostImport(t, noScope, "deliverables", "", apitest.NDJSONType, apitest.NDJSON(t, mine))
	if res.Status != http.StatusForbidden {
		t.Errorf("a viewer imports: %d %s", res.Status, res.Body)
	}
}
