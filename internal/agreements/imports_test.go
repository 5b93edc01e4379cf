package agreements_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// agrImportSetup records three agreements of a plenary: one overdue in progress (reached in a
// session), one done, one pending with no due date of a working group.
func agrImportSetup(t *testing.T) (env *apitest.Env, admin string, plenary, group, mig, mre uuid.UUID) {
	t.Helper()
	env = apitest.New(t)
	admin = env.AdminToken(t)
	mig, mre = agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-MRE", nil)
	plenary = agrBody(t, env, "PE-MTIGM-PLENO", nil)
	group = agrBody(t, env, "PE-MTIGM-GT1", &plenary)
	s := agrSession(t, env, plenary, 4, "2013-09-12")
	late := agrCreate(t, env, admin, agrWith(agrBodyOf("IM-LATE", plenary, mig, mre), map[string]any{"session_id": s,
		"due_on": agrDay(-7), "text": map[string]any{"es": "Publicar la guía", "en": "Publish the guide"}}))
	agrMove(t, env, admin, late.ID, "in_progress", nil, nil, http.StatusCreated)
	agrCreate(t, env, admin, agrWith(agrBodyOf("IM-DONE", plenary, mre), map[string]any{"status": "done", "due_on": "2014-01-31"}))
	agrCreate(t, env, admin, agrBodyOf("IM-OPEN", group, mig))
	return env, admin, plenary, group, mig, mre
}

func TestExportAgreements(t *testing.T) {
	t.Parallel()
	env, admin, plenary, _, mig, _ := agrImportSetup(t)

	// NDJSON: the list's records in its order (by due date), but with the stored status (overdue flagged apart).
	recs := apitest.NDJSONRecords(t, env.Export(t, admin, "agreements", ""))
	if codes := apitest.Strings(t, recs, "code"); !slices.Equal(codes, []string{"IM-DONE", "IM-LATE", "IM-OPEN"}) {
		t.Fatalf("export codes %v", codes)
	}
	late := apitest.ByCode(t, recs)["IM-LATE"]
	if late["status"] != "in_progress" || late["overdue"] != true || late["overdue_days"] != float64(7) || late["since"] != "2013-09-12" {
		t.Errorf("exported overdue agreement: %v", late)
	}
	// The list's filters apply.
	for q, want := range map[string][]string{
		"status=overdue":                 {"IM-LATE"},
		"status=done":                    {"IM-DONE"},
		"body_id=" + plenary.String():    {"IM-DONE", "IM-LATE"},
		"institution_id=" + mig.String(): {"IM-LATE", "IM-OPEN"},
		"order_by=-code&q=guia":          {"IM-LATE"},
		"order_by=-code":                 {"IM-OPEN", "IM-LATE", "IM-DONE"},
	} {
		if got := apitest.Codes(t, env.Export(t, admin, "agreements", q)); !slices.Equal(got, want) {
			t.Errorf("export %s: %v, want %v", q, got, want)
		}
	}
	// CSV: the localized text spread over columns, the institutions as one cell.
	header, rows := apitest.CSVRecords(t, env.Export(t, admin, "agreements", "format=csv&code=IM-LATE"))
	apitest.WantColumns(t, header, "id", "code", "body_id", "session_id", "text.es", "text.en", "responsible_institution_ids",
		"due_on", "status", "overdue", "done_on", "since")
	if len(rows) != 1 || rows[0]["text.en"] != "Publish the guide" || rows[0]["status"] != "in_progress" ||
		!strings.Contains(rows[0]["responsible_institution_ids"], mig.String()) {
		t.Errorf("CSV rows %v", rows)
	}
	// Readers export; nobody else.
	env.Export(t, agrToken(t, env, actor.Viewer, nil), "agreements", "")
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/agreements"}), http.StatusUnauthorized)
}

func TestImportAgreementsRoundTrip(t *testing.T) {
	t.Parallel()
	env, admin, _, _, _, _ := agrImportSetup(t)
	env.RoundTrip(t, admin, "agreements", "", "agreements", 3, "key=id")
	if n := env.Count(t, "agreement_transitions", "TRUE"); n != 1 {
		t.Errorf("%d transitions after the round trip, want the 1 recorded before", n)
	}
}

func TestImportAgreementsChanges(t *testing.T) {
	t.Parallel()
	env, admin, plenary, group, mig, mre := agrImportSetup(t)
	recs := apitest.NDJSONRecords(t, env.Export(t, admin, "agreements", "order_by=code"))
	by := apitest.ByCode(t, recs)
	other := agrBody(t, env, "PE-OTRA", nil)
	foreign := agrSession(t, env, other, 1, "2015-01-01")

	// A changed text and due date → updated; the status stays.
	changed := by["IM-LATE"]
	changed["text"] = map[string]any{"es": "Publicar la guía actualizada", "en": "Publish the guide"}
	changed["due_on"] = "2030-01-31"
	env.Import(t, admin, "agreements", "", "", apitest.NDJSON(t, changed)).WantCounts(t, "changed", 0, 1, 0, 0)
	if n := env.Count(t, "agreements", `code = 'IM-LATE' AND text_es = 'Publicar la guía actualizada' AND due_on = '2030-01-31'
		AND status = 'in_progress' AND version = 3`); n != 1 {
		t.Errorf("the update is not stored")
	}

	// A new row → created, in the state it says (a past agreement, done: done today), without a
	// move in its history.
	env.Import(t, admin, "agreements", "", "", apitest.NDJSON(t, map[string]any{"code": "IM-NEW", "body_id": group,
		"text": map[string]any{"es": "Acuerdo importado"}, "responsible_institution_ids": []any{mre}, "status": "done",
		"due_on": "2015-03-01"})).WantCounts(t, "new", 1, 0, 0, 0)
	if n := env.Count(t, "agreements", "code = 'IM-NEW' AND status = 'done' AND done_on = ?", time.Now().UTC().Format(time.DateOnly)); n != 1 ||
		env.Count(t, "agreement_transitions", "agreement_id = (SELECT id FROM agreements WHERE code = 'IM-NEW')") != 0 {
		t.Errorf("the created agreement is not stored as done today")
	}

	// Refused rows, each on its line and field; with atomic=all nothing is written.
	good := map[string]any{"code": "IM-GOOD", "body_id": plenary, "text": map[string]any{"es": "Bien"},
		"responsible_institution_ids": []any{mig}}
	for _, c := range []struct {
		name, field, message string
		row                  map[string]any
	}{
		{"unknown institution", "responsible_institution_ids", "no such institution",
			agrWith(good, map[string]any{"code": "IM-BAD", "responsible_institution_ids": []any{mig, uuid.New()}})},
		{"unknown body", "body_id", "no such coordination body", agrWith(good, map[string]any{"code": "IM-BAD", "body_id": uuid.New()})},
		{"session of another body", "session_id", "another body", agrWith(good, map[string]any{"code": "IM-BAD", "session_id": foreign})},
		{"unknown session", "session_id", "no such session", agrWith(good, map[string]any{"code": "IM-BAD", "session_id": uuid.New()})},
		{"no text", "text", "at least 1", agrWith(good, map[string]any{"code": "IM-BAD", "text": map[string]any{}})},
		// The workflow keeps its history: an import does not move an agreement.
		{"status change", "status", "transitions", agrWith(by["IM-OPEN"], map[string]any{"status": "done"})},
		{"status change by id", "status", "transitions", agrWith(by["IM-DONE"], map[string]any{"status": "pending"})},
	} {
		before := env.Fingerprint(t)
		job := env.Import(t, admin, "agreements", "atomic=all", "", apitest.NDJSON(t, good, c.row))
		job.WantCounts(t, c.name, 1, 0, 0, 1) // what it would have done: the good row, not committed
		if job.Report.Committed {
			t.Errorf("%s: committed", c.name)
		}
		job.WantOnlyError(t, 2, c.field, c.message)
		env.UnchangedExcept(t, before, "import_jobs", "audit_events")
		if env.Count(t, "agreements", "code = 'IM-GOOD'") != 0 {
			t.Errorf("%s: atomic=all wrote the good row", c.name)
		}
	}
	// Matching on the id, a status change is refused too.
	row := agrWith(by["IM-DONE"], map[string]any{"status": "in_progress"})
	env.Import(t, admin, "agreements", "key=id", "", apitest.NDJSON(t, row)).WantOnlyError(t, 1, "status", "transitions")

	// CSV: a changed cell updates.
	c := env.Export(t, admin, "agreements", "format=csv&code=IM-OPEN")
	c = bytes.Replace(c, []byte("Acuerdo IM-OPEN"), []byte("Acuerdo IM-OPEN revisado"), 1)
	env.Import(t, admin, "agreements", "", apitest.CSVType, c).WantCounts(t, "CSV change", 0, 1, 0, 0)
	if env.Count(t, "agreements", "code = 'IM-OPEN' AND text_es = 'Acuerdo IM-OPEN revisado'") != 1 {
		t.Errorf("the CSV update is not stored")
	}

	// Editors and partners record no agreements, so they import none.
	before := env.Fingerprint(t)
	for _, role := range []actor.Role{actor.Editor, actor.Partner} {
		res := env.PostImport(t, agrToken(t, env, role, &mig), "agreements", "", "", apitest.NDJSON(t, good))
		apitest.Problem(t, res, http.StatusForbidden)
	}
	env.Unchanged(t, before)
}
