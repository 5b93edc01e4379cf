package practices_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/etag"
)

// impJob is an import job as the API renders it.
type impJob struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Failure *struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"failure"`
	Report struct {
		Created, Updated, Unchanged, Failed int64
		Committed                           bool
		Errors                              []struct {
			Line           int64
			Field, Message string
		}
	} `json:"report"`
}

// counts is the report's created, updated, unchanged and failed.
func (j impJob) counts() [4]int64 {
	return [4]int64{j.Report.Created, j.Report.Updated, j.Report.Unchanged, j.Report.Failed}
}

// impRun posts body (NDJSON unless it starts with a CSV header) as an import of practices with
// the extra query, waits for the job and returns it.
func impRun(t *testing.T, env *apitest.Env, token, query string, body []byte) impJob {
	t.Helper()
	ct := "application/x-ndjson"
	if !bytes.HasPrefix(body, []byte("{")) {
		ct = "text/csv"
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=practices" + query, Token: token,
		Body: body, ContentType: ct, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("import%s: %d %s", query, res.Status, res.Body)
	}
	var j impJob
	res.Decode(t, &j)
	return j
}

// impWant fails t unless the job's counts are created, updated, unchanged, failed.
func impWant(t *testing.T, what string, j impJob, counts ...int64) {
	t.Helper()
	if got := j.counts(); !slices.Equal(got[:], counts) {
		t.Errorf("%s: created/updated/unchanged/failed %v, want %v (status %s, errors %+v, failure %+v)",
			what, got, counts, j.Status, j.Report.Errors, j.Failure)
	}
}

// impExport exports practices with query and fails t unless it answers 200 in the format asked.
func impExport(t *testing.T, env *apitest.Env, token, query string) []byte {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/practices?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("export ?%s: %d %s", query, res.Status, res.Body)
	}
	want := "application/x-ndjson"
	if strings.Contains(query, "format=csv") {
		want = "text/csv"
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Fatalf("export ?%s: Content-Type %q, want %s", query, ct, want)
	}
	return res.Body
}

// impLines decodes an NDJSON export.
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

// impNDJSON encodes records as NDJSON.
func impNDJSON(t *testing.T, records ...map[string]any) []byte {
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

// impCSV decodes a CSV export into its header and its rows by column.
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

func impCodes(records []map[string]any) []string {
	var out []string
	for _, r := range records {
		out = append(out, r["code"].(string))
	}
	return out
}

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
	lines := impLines(t, impExport(t, env, l.admin, "order_by=code"))
	if got := impCodes(lines); !slices.Equal(got, []string{"IMP-FULL", "IMP-PUBLISHED", "IMP-REGIONAL"}) {
		t.Fatalf("NDJSON export codes: %v", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?order_by=code", Token: l.admin}).Decode(t, &page)
	for i := range lines {
		if a, b := mustJSON(t, lines[i]), mustJSON(t, page.Items[i]); a != b {
			t.Errorf("export line %d differs from the list:\n%s\n%s", i, a, b)
		}
	}
	if lines[0]["status"] != "draft" || lines[1]["status"] != "published" {
		t.Errorf("statuses: %v %v", lines[0]["status"], lines[1]["status"])
	}

	// Filters are the list's.
	if got := impCodes(impLines(t, impExport(t, env, l.admin, "type=data_system&type=service_offer&order_by=code"))); !slices.Equal(got, []string{"IMP-FULL", "IMP-REGIONAL"}) {
		t.Errorf("type filter: %v", got)
	}
	if got := impCodes(impLines(t, impExport(t, env, l.admin, "status=published"))); !slices.Equal(got, []string{"IMP-PUBLISHED"}) {
		t.Errorf("status filter: %v", got)
	}
	if got := impCodes(impLines(t, impExport(t, env, l.admin, "code=IMP-REGIONAL&code=IMP-FULL&order_by=code"))); !slices.Equal(got, []string{"IMP-FULL", "IMP-REGIONAL"}) {
		t.Errorf("code filter: %v", got)
	}
	if got := impLines(t, impExport(t, env, l.admin, "q=ventanilla")); len(got) != 1 || got[0]["code"] != "IMP-FULL" {
		t.Errorf("q: %v", impCodes(got))
	}
	if body := impExport(t, env, l.admin, "country=AR"); len(body) != 0 {
		t.Errorf("an empty export has a body: %q", body)
	}
	// Visibility too: a viewer exports the published practices only.
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	if got := impCodes(impLines(t, impExport(t, env, viewer, ""))); !slices.Equal(got, []string{"IMP-PUBLISHED"}) {
		t.Errorf("viewer's export: %v", got)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/practices?type=nonsense", Token: l.admin}),
		http.StatusBadRequest)

	// CSV: a header of the representation's members, texts spread by language.
	header, rows := impCSV(t, impExport(t, env, l.admin, "format=csv&order_by=code"))
	for _, col := range []string{"id", "code", "title.es", "title.en", "summary.es", "partner_ids", "gcm_objectives",
		"transferability.level", "transferability.rationale", "sources", "status", "version"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header lacks %s: %v", col, header)
		}
	}
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
	ndjson := impExport(t, env, l.admin, "order_by=code")
	before := env.Fingerprint(t)
	impWant(t, "NDJSON round trip", impRun(t, env, l.admin, "", ndjson), 0, 0, 3, 0)
	impWant(t, "NDJSON round trip by id", impRun(t, env, l.admin, "&key=id", ndjson), 0, 0, 3, 0)
	csvBody := impExport(t, env, l.admin, "format=csv&order_by=code")
	impWant(t, "CSV round trip", impRun(t, env, l.admin, "", csvBody), 0, 0, 3, 0)
	impWant(t, "validate", impRun(t, env, l.admin, "&mode=validate", ndjson), 0, 0, 3, 0)
	if n := env.Count(t, "practices", "version <> 1 AND code <> 'IMP-PUBLISHED'"); n != 0 {
		t.Errorf("%d practices were rewritten", n)
	}
	impUnchanged(t, env, before)

	// A changed row updates its practice, keeping its status; a new one is created as a draft,
	// whatever status it says it has.
	lines := impLines(t, ndjson)
	lines[0]["title"] = map[string]any{"es": "Ventanilla única renovada"}
	lines[0]["themes"] = []string{"documents"}
	fresh := prcBody("IMP-NEW")
	fresh["status"], fresh["version"], fresh["id"] = "published", 7, uuid.NewString()
	j := impRun(t, env, l.admin, "", impNDJSON(t, lines[0], lines[1], fresh))
	impWant(t, "change and create", j, 1, 1, 1, 0)
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
	j = impRun(t, env, l.admin, "&atomic=all", impNDJSON(t, newer, bad, partners))
	impWant(t, "bad references, atomic=all", j, 1, 0, 0, 2)
	if j.Report.Committed || j.Status != "failed" || len(j.Report.Errors) != 2 ||
		j.Report.Errors[0].Line != 2 || j.Report.Errors[0].Field != "institution_id" || j.Report.Errors[0].Message != "no such institution" ||
		j.Report.Errors[1].Line != 3 || j.Report.Errors[1].Field != "partner_ids" {
		t.Errorf("report: %+v", j)
	}
	impUnchanged(t, env, before)
	j = impRun(t, env, l.admin, "", impNDJSON(t, newer, bad))
	impWant(t, "bad reference, atomic=none", j, 1, 0, 0, 1)
	if env.Count(t, "practices", "code = 'IMP-NEWER'") != 1 || env.Count(t, "practices", "code = 'IMP-BAD'") != 0 {
		t.Errorf("atomic=none wrote the wrong rows")
	}

	// Validate's rules are the create's: a national practice needs its country; a code taken by
	// another practice (key=id) is the database's refusal, on its field.
	nocountry := prcBody("IMP-NOCOUNTRY")
	delete(nocountry, "country")
	renamed := impLines(t, impExport(t, env, l.admin, "code=IMP-REGIONAL"))[0]
	renamed["code"] = "IMP-FULL"
	j = impRun(t, env, l.admin, "&key=id", impNDJSON(t, renamed))
	impWant(t, "code taken", j, 0, 0, 0, 1)
	if len(j.Report.Errors) != 1 || j.Report.Errors[0].Field != "code" || j.Report.Errors[0].Message != "already in use" {
		t.Errorf("code taken: %+v", j.Report.Errors)
	}
	j = impRun(t, env, l.admin, "", impNDJSON(t, nocountry))
	impWant(t, "no country", j, 0, 0, 0, 1)
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
	lines := impLines(t, impExport(t, env, l.admin, "order_by=code"))
	impWant(t, "importer, unchanged", impRun(t, env, importer, "", impNDJSON(t, lines...)), 0, 0, 3, 0)

	lines[0]["summary"] = map[string]any{"es": "Otro resumen"} // IMP-FULL, a draft
	lines[1]["summary"] = map[string]any{"es": "Otro resumen"} // IMP-PUBLISHED
	body := impNDJSON(t, lines...)
	j := impRun(t, env, importer, "", body)
	impWant(t, "importer, published changed", j, 0, 1, 1, 1)
	if len(j.Report.Errors) != 1 || j.Report.Errors[0].Line != 2 || j.Report.Errors[0].Field != "status" ||
		!strings.Contains(j.Report.Errors[0].Message, "published") {
		t.Errorf("refusal: %+v", j.Report.Errors)
	}
	if env.Count(t, "practices", "code = 'IMP-PUBLISHED' AND version = 4 AND summary_es IS NULL") != 1 {
		t.Errorf("the published practice changed")
	}
	if env.Count(t, "practices", "code = 'IMP-FULL' AND summary_es = 'Otro resumen'") != 1 {
		t.Errorf("the draft did not change")
	}

	coordinator := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	impWant(t, "coordinator", impRun(t, env, coordinator, "", body), 0, 1, 2, 0)
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
	full := impLines(t, impExport(t, env, l.admin, "code=IMP-FULL"))[0]
	full["institution_id"], full["partner_ids"] = l.other.String(), []string{}
	j := impRun(t, env, editor, "", impNDJSON(t, mine, theirs, nobody, full))
	impWant(t, "editor", j, 1, 0, 0, 3)
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
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=practices", Token: viewer,
		Body: impNDJSON(t, mine), ContentType: "application/x-ndjson"}), http.StatusForbidden)
}

// impUnchanged fails t if the practices or their history changed since before (an import
// records its job and its audit event whatever it writes).
func impUnchanged(t *testing.T, env *apitest.Env, before map[string]string) {
	t.Helper()
	after := env.Fingerprint(t)
	for _, table := range []string{"practices", "practice_transitions"} {
		if after[table] != before[table] {
			t.Errorf("table %s changed", table)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
