package practices_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/etag"
)

// impLibrary is a small practice library: one practice with every member, implemented by inst
// with an archived partner; a regional one; and a published one.
type impLibrary struct {
	env                  *apitest.Env
	admin                string
	inst, other          uuid.UUID
	full, regional, publ prcPractice
}

func impSetup(t *testing.T) impLibrary {
	t.Helper()
	env := apitest.New(t)
	l := impLibrary{env: env, admin: env.AdminToken(t)}
	l.inst = prcInstitution(t, env, "IMP-MRE", nil)
	l.other = prcInstitution(t, env, "IMP-OTHER", nil)
	gone := prcInstitution(t, env, "IMP-GONE", nil)
	l.full = prcCreate(t, env, l.admin, map[string]any{
		"code": "IMP-FULL", "title": map[string]any{"es": "Ventanilla única, \"consular\"", "en": "One-stop shop; consular"},
		"summary":     map[string]any{"es": "Resumen"},
		"description": map[string]any{"es": "Descripción\nen dos líneas", "en": "Description"},
		"scope":       "national", "country": "CL", "institution_id": l.inst.String(),
		"partner_ids": []string{gone.String(), l.other.String()}, "type": "service_offer",
		"themes": []string{"documents", "remittances"}, "migof": []string{"migrant_rights", "partnerships"},
		"gcm_objectives": []int{19, 4}, "sdg_targets": []string{"10.7", "17.b"},
		"period_start": "2019-01-01", "period_end": "2023-06-30",
		"target_population": map[string]any{"es": "Chilenos en el exterior"}, "outcomes": map[string]any{"en": "More visits"},
		"lessons_learned": map[string]any{"es": "Lecciones"}, "recommendations": map[string]any{"en": "Do it"},
		"transferability": map[string]any{"level": "high", "rationale": map[string]any{"es": "Similar", "en": "Alike"}},
		"sources":         []map[string]any{{"citation": "Informe 2023", "url": "https://example.org/informe"}, {"citation": "Entrevista"}},
	})
	if err := env.App.Institutions.Archive(prcSystem(), gone, etag.Precondition{}); err != nil {
		t.Fatalf("archive institution: %v", err)
	}
	regional := prcBody("IMP-REGIONAL")
	regional["scope"], regional["type"] = "regional", "data_system"
	delete(regional, "country")
	l.regional = prcCreate(t, env, l.admin, regional)
	published := prcBody("IMP-PUBLISHED")
	published["institution_id"] = l.inst.String()
	l.publ = prcCreate(t, env, l.admin, published)
	prcPublish(t, env, l.admin, l.publ.ID)
	return l
}

func TestExportPractices(t *testing.T) {
	t.Parallel()
	l := impSetup(t)
	env := l.env

	// NDJSON: one line per practice, each the list's rendering of it.
	lines := apitest.NDJSONRecords(t, env.Export(t, l.admin, "practices", "order_by=code"))
	if got := apitest.Strings(t, lines, "code"); !slices.Equal(got, []string{"IMP-FULL", "IMP-PUBLISHED", "IMP-REGIONAL"}) {
		t.Fatalf("NDJSON export codes: %v", got)
	}
	env.WantSameAsList(t, l.admin, "/v1/practices?order_by=code", lines)
	if lines[0]["status"] != "draft" || lines[1]["status"] != "published" {
		t.Errorf("statuses: %v %v", lines[0]["status"], lines[1]["status"])
	}

	// Filters are the list's.
	if got := apitest.Codes(t, env.Export(t, l.admin, "practices", "type=data_system&type=service_offer&order_by=code")); !slices.Equal(got, []string{"IMP-FULL", "IMP-REGIONAL"}) {
		t.Errorf("type filter: %v", got)
	}
	if got := apitest.Codes(t, env.Export(t, l.admin, "practices", "status=published")); !slices.Equal(got, []string{"IMP-PUBLISHED"}) {
		t.Errorf("status filter: %v", got)
	}
	if got := apitest.Codes(t, env.Export(t, l.admin, "practices", "code=IMP-REGIONAL&code=IMP-FULL&order_by=code")); !slices.Equal(got, []string{"IMP-FULL", "IMP-REGIONAL"}) {
		t.Errorf("code filter: %v", got)
	}
	if got := apitest.NDJSONRecords(t, env.Export(t, l.admin, "practices", "q=ventanilla")); len(got) != 1 || got[0]["code"] != "IMP-FULL" {
		t.Errorf("q: %v", apitest.Strings(t, got, "code"))
	}
	if body := env.Export(t, l.admin, "practices", "country=AR"); len(body) != 0 {
		t.Errorf("an empty export has a body: %q", body)
	}
	// Visibility too: a viewer exports the published practices only.
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	if got := apitest.Codes(t, env.Export(t, viewer, "practices", "")); !slices.Equal(got, []string{"IMP-PUBLISHED"}) {
		t.Errorf("viewer's export: %v", got)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/practices?type=nonsense", Token: l.admin}),
		http.StatusBadRequest)

	// CSV: a header of the representation's members, texts spread by language.
	header, rows := apitest.CSVRecords(t, env.Export(t, l.admin, "practices", "format=csv&order_by=code"))
	apitest.WantColumns(t, header, "id", "code", "title.es", "title.en", "summary.es", "partner_ids", "gcm_objectives",
		"transferability.level", "transferability.rationale", "sources", "status", "version")
	if len(rows) != 3 {
		t.Fatalf("CSV rows: %d", len(rows))
	}
	full := rows[0]
	if full["code"] != "IMP-FULL" || full["title.es"] != `Ventanilla única, "consular"` || full["title.en"] != "One-stop shop; consular" ||
		full["description.es"] != "Descripción\nen dos líneas" || full["gcm_objectives"] != "[19,4]" ||
		full["themes"] != `["documents","remittances"]` || full["transferability.level"] != "high" ||
		full["period_start"] != "2019-01-01" || full["institution_id"] != l.inst.String() || full["country"] != "CL" {
		t.Errorf("CSV row: %v", full)
	}
	if rows[2]["country"] != "" || rows[2]["summary.es"] != "" || rows[2]["themes"] != "[]" {
		t.Errorf("CSV row of the regional practice: %v", rows[2])
	}
}

func TestImportPractices(t *testing.T) {
	t.Parallel()
	l := impSetup(t)
	env := l.env

	// What is exported imports back unchanged, as NDJSON and as CSV, on either key.
	ndjson := env.Export(t, l.admin, "practices", "order_by=code")
	before := env.Fingerprint(t)
	env.Import(t, l.admin, "practices", "", "", ndjson).WantCounts(t, "NDJSON round trip", 0, 0, 3, 0)
	env.Import(t, l.admin, "practices", "key=id", "", ndjson).WantCounts(t, "NDJSON round trip by id", 0, 0, 3, 0)
	csvBody := env.Export(t, l.admin, "practices", "format=csv&order_by=code")
	env.Import(t, l.admin, "practices", "", "", csvBody).WantCounts(t, "CSV round trip", 0, 0, 3, 0)
	env.Import(t, l.admin, "practices", "mode=validate", "", ndjson).WantCounts(t, "validate", 0, 0, 3, 0)
	if n := env.Count(t, "practices", "version <> 1 AND code <> 'IMP-PUBLISHED'"); n != 0 {
		t.Errorf("%d practices were rewritten", n)
	}
	env.UnchangedTables(t, before, "practices", "practice_transitions")

	// A changed row updates its practice, keeping its status; a new one is created as a draft,
	// whatever status it says it has.
	lines := apitest.NDJSONRecords(t, ndjson)
	lines[0]["title"] = map[string]any{"es": "Ventanilla única renovada"}
	lines[0]["themes"] = []string{"documents"}
	fresh := prcBody("IMP-NEW")
	fresh["status"], fresh["version"], fresh["id"] = "published", 7, uuid.NewString()
	j := env.Import(t, l.admin, "practices", "", "", apitest.NDJSON(t, lines[0], lines[1], fresh))
	j.WantCounts(t, "change and create", 1, 1, 1, 0)
	if !j.Report.Committed || j.Status != "succeeded" {
		t.Errorf("job: %+v", j)
	}
	got, _ := prcGet(t, env, l.admin, l.full.ID)
	if prcDeref(got.Title.Es) != "Ventanilla única renovada" || got.Title.En != nil || !slices.Equal(got.Themes, []string{"documents"}) ||
		got.Version != 2 || got.Status != "draft" || len(got.PartnerIDs) != 2 {
		t.Errorf("updated practice: %+v", got)
	}
	var created prcPractice
	for _, p := range prcList(t, env, l.admin, prcQuery("code", "IMP-NEW")).Items {
		created = p
	}
	if created.Status != "draft" || created.Version != 1 || created.ID == fresh["id"] || created.Themes == nil {
		t.Errorf("created practice: %+v", created)
	}

	// A row naming an institution that does not exist fails on its line and field; with
	// atomic=all nothing is written at all.
	bad := prcBody("IMP-BAD")
	bad["institution_id"] = uuid.NewString()
	partners := prcBody("IMP-BAD-PARTNER")
	partners["partner_ids"] = []string{l.inst.String(), uuid.NewString()}
	newer := prcBody("IMP-NEWER")
	before = env.Fingerprint(t)
	j = env.Import(t, l.admin, "practices", "atomic=all", "", apitest.NDJSON(t, newer, bad, partners))
	j.WantCounts(t, "bad references, atomic=all", 1, 0, 0, 2)
	if j.Report.Committed || j.Status != "failed" || len(j.Report.Errors) != 2 ||
		j.Report.Errors[0].Line != 2 || j.Report.Errors[0].Field != "institution_id" || j.Report.Errors[0].Message != "no such institution" ||
		j.Report.Errors[1].Line != 3 || j.Report.Errors[1].Field != "partner_ids" {
		t.Errorf("report: %+v", j)
	}
	env.UnchangedTables(t, before, "practices", "practice_transitions")
	j = env.Import(t, l.admin, "practices", "", "", apitest.NDJSON(t, newer, bad))
	j.WantCounts(t, "bad reference, atomic=none", 1, 0, 0, 1)
	if env.Count(t, "practices", "code = 'IMP-NEWER'") != 1 || env.Count(t, "practices", "code = 'IMP-BAD'") != 0 {
		t.Errorf("atomic=none wrote the wrong rows")
	}

	// Validate's rules are the create's: a national practice needs its country; a code taken by
	// another practice (key=id) is the database's refusal, on its field.
	nocountry := prcBody("IMP-NOCOUNTRY")
	delete(nocountry, "country")
	renamed := apitest.NDJSONRecords(t, env.Export(t, l.admin, "practices", "code=IMP-REGIONAL"))[0]
	renamed["code"] = "IMP-FULL"
	j = env.Import(t, l.admin, "practices", "key=id", "", apitest.NDJSON(t, renamed))
	j.WantCounts(t, "code taken", 0, 0, 0, 1)
	if len(j.Report.Errors) != 1 || j.Report.Errors[0].Field != "code" || j.Report.Errors[0].Message != "already in use" {
		t.Errorf("code taken: %+v", j.Report.Errors)
	}
	j = env.Import(t, l.admin, "practices", "", "", apitest.NDJSON(t, nocountry))
	j.WantCounts(t, "no country", 0, 0, 0, 1)
	if len(j.Report.Errors) != 1 || j.Report.Errors[0].Field != "country" {
		t.Errorf("no country: %+v", j.Report.Errors)
	}
}

// Writers who cannot review change drafts only, by import too; an unchanged row of a practice
// under review passes, and a reviewer's change keeps its status.
func TestImportPracticesUnderReview(t *testing.T) {
	t.Parallel()
	l := impSetup(t)
	env := l.env
	importer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	lines := apitest.NDJSONRecords(t, env.Export(t, l.admin, "practices", "order_by=code"))
	env.Import(t, importer, "practices", "", "", apitest.NDJSON(t, lines...)).WantCounts(t, "importer, unchanged", 0, 0, 3, 0)

	lines[0]["summary"] = map[string]any{"es": "Otro resumen"} // IMP-FULL, a draft
	lines[1]["summary"] = map[string]any{"es": "Otro resumen"} // IMP-PUBLISHED
	body := apitest.NDJSON(t, lines...)
	j := env.Import(t, importer, "practices", "", "", body)
	j.WantCounts(t, "importer, published changed", 0, 1, 1, 1)
	j.WantOnlyError(t, 2, "status", "published")
	if env.Count(t, "practices", "code = 'IMP-PUBLISHED' AND version = 4 AND summary_es IS NULL") != 1 {
		t.Errorf("the published practice changed")
	}
	if env.Count(t, "practices", "code = 'IMP-FULL' AND summary_es = 'Otro resumen'") != 1 {
		t.Errorf("the draft did not change")
	}

	coordinator := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	env.Import(t, coordinator, "practices", "", "", body).WantCounts(t, "coordinator", 0, 1, 2, 0)
	got, _ := prcGet(t, env, l.admin, l.publ.ID)
	if got.Status != "published" || prcDeref(got.Summary.Es) != "Otro resumen" {
		t.Errorf("corrected published practice: %+v", got)
	}
}

// Editors and partners import only practices their institution implements, before and after.
func TestImportPracticesScoped(t *testing.T) {
	t.Parallel()
	l := impSetup(t)
	env := l.env
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &l.inst})
	mine := prcBody("IMP-MINE")
	mine["institution_id"] = l.inst.String()
	theirs := prcBody("IMP-THEIRS")
	theirs["institution_id"] = l.other.String()
	nobody := prcBody("IMP-NOBODY")
	full := apitest.NDJSONRecords(t, env.Export(t, l.admin, "practices", "code=IMP-FULL"))[0]
	full["institution_id"], full["partner_ids"] = l.other.String(), []string{}
	j := env.Import(t, editor, "practices", "", "", apitest.NDJSON(t, mine, theirs, nobody, full))
	j.WantCounts(t, "editor", 1, 0, 0, 3)
	var lines []int64
	for _, e := range j.Report.Errors {
		lines = append(lines, e.Line)
		if e.Field != "" || !strings.Contains(e.Message, "own institution") {
			t.Errorf("refusal: %+v", e)
		}
	}
	if slices.Sort(lines); !slices.Equal(lines, []int64{2, 3, 4}) {
		t.Errorf("refused lines %v", lines)
	}
	if env.Count(t, "practices", "code = 'IMP-MINE' AND institution_id = ?", l.inst) != 1 {
		t.Errorf("the editor's own practice was not created")
	}
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	apitest.Problem(t, env.PostImport(t, viewer, "practices", "", apitest.NDJSONType, apitest.NDJSON(t, mine)), http.StatusForbidden)
}
