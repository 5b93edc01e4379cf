package institutions_test

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
)

// impJob is an import job as the API renders it.
type impJob struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Report struct {
		Created   int64 `json:"created"`
		Updated   int64 `json:"updated"`
		Unchanged int64 `json:"unchanged"`
		Failed    int64 `json:"failed"`
		Committed bool  `json:"committed"`
		Errors    []struct {
			Line    int64  `json:"line"`
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"report"`
	Failure *struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"failure"`
}

// impWorld is a tree to export and import: MRE (every member set) with DGC under it and ASN
// under DGC, and INEI, another root.
type impWorld struct {
	env                *apitest.Env
	admin              string
	mre, dgc, asn, ine inst
}

func impSetup(t *testing.T) impWorld {
	t.Helper()
	env := apitest.New(t)
	w := impWorld{env: env, admin: env.AdminToken(t)}
	w.mre = create(t, env, w.admin, map[string]any{
		"code": "IMP-MRE", "name": map[string]any{"es": "Ministerio de Relaciones Exteriores", "en": "Ministry of Foreign Affairs"},
		"acronym": "MRE", "kind": "ministry", "country": "PE", "tier": "national", "status": "active",
		"established_on": "1821-08-03", "website": "https://www.gob.pe/rree",
		"description": map[string]any{"es": "Rector de la política exterior; \"con comillas\", y comas", "en": "Foreign policy"},
	})
	w.dgc = create(t, env, w.admin, body("IMP-MRE-DGC", "directorate_general", &w.mre))
	w.asn = create(t, env, w.admin, body("IMP-MRE-DGC-ASN", "directorate", &w.dgc))
	w.ine = create(t, env, w.admin, map[string]any{"code": "IMP-INEI", "name": map[string]any{"en": "Statistics office"},
		"kind": "agency", "tier": "national", "status": "proposed", "established_on": "1975-01-01", "dissolved_on": "2030-12-31"})
	return w
}

func impExport(t *testing.T, w impWorld, query string) []byte {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/institutions?" + query, Token: w.admin})
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

func impLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
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

func impCodes(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for _, m := range impLines(t, b) {
		out = append(out, m["code"].(string))
	}
	return out
}

func impCSV(t *testing.T, b []byte) ([]string, []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV export: %v\n%s", err, b)
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

// impPost imports body into institutions with the extra query and waits for the job.
func impPost(t *testing.T, w impWorld, token, query, contentType string, body []byte) impJob {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=institutions" + query, Token: token,
		Body: body, ContentType: contentType, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("import%s: %d %s", query, res.Status, res.Body)
	}
	var j impJob
	res.Decode(t, &j)
	return j
}

func impWant(t *testing.T, what string, j impJob, created, updated, unchanged, failed int64) {
	t.Helper()
	r := j.Report
	if r.Created != created || r.Updated != updated || r.Unchanged != unchanged || r.Failed != failed {
		t.Errorf("%s: created %d updated %d unchanged %d failed %d, want %d %d %d %d (errors %+v, failure %+v)", what,
			r.Created, r.Updated, r.Unchanged, r.Failed, created, updated, unchanged, failed, r.Errors, j.Failure)
	}
}

// impWantError asserts the job refused line on field with a message that mentions words.
func impWantError(t *testing.T, j impJob, line int64, field, words string) {
	t.Helper()
	for _, e := range j.Report.Errors {
		if e.Line == line && e.Field == field && strings.Contains(e.Message, words) {
			return
		}
	}
	t.Errorf("no error on line %d, field %q, mentioning %q: %+v", line, field, words, j.Report.Errors)
}

func impByCode(rows []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range rows {
		out[r["code"].(string)] = r
	}
	return out
}

// impUnchanged fails t if the records changed since before (an import records its job and
// audit event even when it writes nothing).
func impUnchanged(t *testing.T, env *apitest.Env, before map[string]string) {
	t.Helper()
	after := env.Fingerprint(t)
	for tbl, sum := range before {
		if tbl != "import_jobs" && tbl != "audit_events" && after[tbl] != sum {
			t.Errorf("table %s changed", tbl)
		}
	}
}

func ndjson(t *testing.T, rows ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func TestExportInstitutions(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	archived := create(t, w.env, w.admin, body("IMP-OLD", "agency", nil))
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + archived.ID, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}

	all := impLines(t, impExport(t, w, ""))
	if got := len(all); got != 4 {
		t.Fatalf("export has %d rows, want 4: %v", got, all)
	}
	mre := impByCode(all)["IMP-MRE"]
	want := map[string]any{"id": w.mre.ID, "code": "IMP-MRE", "acronym": "MRE", "kind": "ministry", "country": "PE",
		"tier": "national", "status": "active", "established_on": "1821-08-03", "website": "https://www.gob.pe/rree",
		"demo": false, "version": float64(1)}
	for k, v := range want {
		if mre[k] != v {
			t.Errorf("MRE's %s is %v, want %v", k, mre[k], v)
		}
	}
	if n := mre["name"].(map[string]any); n["es"] != "Ministerio de Relaciones Exteriores" || n["en"] != "Ministry of Foreign Affairs" {
		t.Errorf("MRE's name: %v", n)
	}
	if got := impCodes(t, impExport(t, w, "kind=ministry&kind=agency")); !slices.Equal(got, []string{"IMP-INEI", "IMP-MRE"}) {
		t.Errorf("kind filter: %v", got)
	}
	if got := impCodes(t, impExport(t, w, "parent_id="+w.dgc.ID)); !slices.Equal(got, []string{"IMP-MRE-DGC-ASN"}) {
		t.Errorf("parent filter: %v", got)
	}
	if got := impCodes(t, impExport(t, w, "root=true&order_by=-code")); !slices.Equal(got, []string{"IMP-MRE", "IMP-INEI"}) {
		t.Errorf("roots, by code descending: %v", got)
	}
	if got := impCodes(t, impExport(t, w, "include_archived=true&q=IMP-OLD")); !slices.Equal(got, []string{"IMP-OLD"}) {
		t.Errorf("archived, searched: %v", got)
	}

	header, rows := impCSV(t, impExport(t, w, "format=csv"))
	for _, col := range []string{"id", "code", "name.es", "name.en", "description.es", "description.en", "parent_id", "established_on", "version"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header lacks %s: %v", col, header)
		}
	}
	// By code: INEI, MRE, DGC, ASN.
	if len(rows) != 4 || rows[1]["code"] != "IMP-MRE" || rows[1]["name.es"] != "Ministerio de Relaciones Exteriores" ||
		rows[1]["description.es"] != "Rector de la política exterior; \"con comillas\", y comas" || rows[1]["parent_id"] != "" ||
		rows[2]["parent_id"] != w.mre.ID || rows[0]["dissolved_on"] != "2030-12-31" || rows[0]["name.es"] != "" {
		t.Errorf("CSV rows: %v", rows)
	}
	if _, rows := impCSV(t, impExport(t, w, "format=csv&status=proposed")); len(rows) != 1 || rows[0]["code"] != "IMP-INEI" {
		t.Errorf("CSV status filter: %v", rows)
	}
}

func TestImportInstitutionsRoundTrip(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	before := w.env.Fingerprint(t)
	j := impPost(t, w, w.admin, "", "application/x-ndjson", impExport(t, w, ""))
	impWant(t, "NDJSON export imported back", j, 0, 0, 4, 0)
	if j.Status != "succeeded" || !j.Report.Committed {
		t.Errorf("job: %+v", j)
	}
	j = impPost(t, w, w.admin, "", "text/csv", impExport(t, w, "format=csv"))
	impWant(t, "CSV export imported back", j, 0, 0, 4, 0)
	j = impPost(t, w, w.admin, "&key=id", "text/csv", impExport(t, w, "format=csv"))
	impWant(t, "CSV export imported back on ids", j, 0, 0, 4, 0)
	after := w.env.Fingerprint(t)
	if after["institutions"] != before["institutions"] {
		t.Error("importing the export back changed institutions")
	}
}

func TestImportInstitutionsChanges(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	rows := impLines(t, impExport(t, w, ""))
	// Line 2 changes MRE's Spanish name and drops its website; line 5 is new, under ASN;
	// line 6 names a parent that does not exist; line 7 breaks a rule of Validate.
	if rows[1]["code"] != "IMP-MRE" {
		t.Fatalf("line 2 is %v", rows[1]["code"])
	}
	rows[1]["name"] = map[string]any{"es": "Cancillería", "en": "Ministry of Foreign Affairs"}
	delete(rows[1], "website")
	rows = append(rows,
		map[string]any{"code": "IMP-MRE-DGC-ASN-PIM", "name": map[string]any{"es": "Programa"}, "kind": "department", "tier": "national", "parent_id": w.asn.ID},
		map[string]any{"code": "IMP-LOST", "name": map[string]any{"es": "Huérfana"}, "kind": "department", "tier": "national", "parent_id": uuid.NewString()},
		map[string]any{"code": "IMP-BAD-DATES", "name": map[string]any{"es": "Fechas"}, "kind": "agency", "tier": "local",
			"established_on": "2020-01-01", "dissolved_on": "2019-01-01"})
	file := ndjson(t, rows...)

	before := w.env.Fingerprint(t)
	j := impPost(t, w, w.admin, "&atomic=all", "application/x-ndjson", file)
	if j.Status != "failed" || j.Report.Committed || j.Failure == nil || j.Failure.Reason != "rows_failed" {
		t.Errorf("atomic=all with bad rows: %+v", j)
	}
	impWantError(t, j, 6, "parent_id", "no such institution")
	impUnchanged(t, w.env, before)

	j = impPost(t, w, w.admin, "&mode=validate", "application/x-ndjson", file)
	impWant(t, "validate", j, 1, 1, 3, 2)
	impUnchanged(t, w.env, before)

	j = impPost(t, w, w.admin, "", "application/x-ndjson", file)
	impWant(t, "commit", j, 1, 1, 3, 2)
	impWantError(t, j, 6, "parent_id", "no such institution")
	impWantError(t, j, 7, "dissolved_on", "before established_on")
	if r := stored(t, w.env, w.mre.ID); deref(r.NameES) != "Cancillería" || r.Version != 2 {
		t.Errorf("MRE after import: %+v", r)
	}
	if n := w.env.Count(t, "institutions", "id = ? AND website IS NULL", w.mre.ID); n != 1 {
		t.Error("MRE's website was not cleared")
	}
	if n := w.env.Count(t, "institutions", "code = 'IMP-MRE-DGC-ASN-PIM' AND parent_id = ? AND status = 'active' AND version = 1 AND NOT demo", w.asn.ID); n != 1 {
		t.Error("the new institution is not stored under ASN")
	}
	if n := w.env.Count(t, "institutions", "code IN ('IMP-LOST', 'IMP-BAD-DATES')"); n != 0 {
		t.Error("refused rows were written")
	}
}

func TestImportInstitutionsTree(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	mre := impLines(t, impExport(t, w, "q=IMP-MRE&root=true"))[0]

	// MRE under ASN, its own grandchild, is a cycle; so is MRE under itself.
	mre["parent_id"] = w.asn.ID
	j := impPost(t, w, w.admin, "", "application/x-ndjson", ndjson(t, mre))
	impWant(t, "MRE under ASN", j, 0, 0, 0, 1)
	impWantError(t, j, 1, "parent_id", "itself or one of its descendants")
	mre["parent_id"] = w.mre.ID
	j = impPost(t, w, w.admin, "", "application/x-ndjson", ndjson(t, mre))
	impWantError(t, j, 1, "parent_id", "itself or one of its descendants")

	// Two rows that are each fine alone but together make a cycle: INEI under ASN, MRE under INEI.
	ine := impLines(t, impExport(t, w, "q=IMP-INEI"))[0]
	ine["parent_id"] = w.asn.ID
	mre["parent_id"] = w.ine.ID
	j = impPost(t, w, w.admin, "", "application/x-ndjson", ndjson(t, ine, mre))
	if j.Report.Failed == 0 || j.Report.Created+j.Report.Updated > 1 {
		t.Errorf("a cycle through two rows: %+v", j.Report)
	}
	if n := w.env.Count(t, "institutions", "id = ? AND parent_id IS NULL", w.mre.ID); n != 1 {
		t.Error("MRE was moved")
	}

	// With their ids, a new subtree loads in one file, parents first.
	root, child := uuid.NewString(), uuid.NewString()
	j = impPost(t, w, w.admin, "&key=id", "application/x-ndjson", ndjson(t,
		map[string]any{"id": root, "code": "IMP-NEW", "name": map[string]any{"es": "Nueva"}, "kind": "ministry", "tier": "national"},
		map[string]any{"id": child, "code": "IMP-NEW-1", "name": map[string]any{"es": "Hija"}, "kind": "directorate", "tier": "national", "parent_id": root}))
	impWant(t, "a new subtree by ids", j, 2, 0, 0, 0)
	if n := w.env.Count(t, "institutions", "id = ? AND parent_id = ?", child, root); n != 1 {
		t.Error("the new child is not under the new root")
	}
}

func TestImportInstitutionsScoped(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	dgc := uuid.MustParse(w.dgc.ID)
	editor := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &dgc})
	rows := impLines(t, impExport(t, w, ""))
	byCode := impByCode(rows)

	// An editor of DGC updates DGC itself and ASN below it, and creates under ASN.
	byCode["IMP-MRE-DGC"]["acronym"] = "DGC"
	byCode["IMP-MRE-DGC-ASN"]["acronym"] = "ASN"
	j := impPost(t, w, editor, "", "application/x-ndjson", ndjson(t, byCode["IMP-MRE-DGC"], byCode["IMP-MRE-DGC-ASN"],
		map[string]any{"code": "IMP-MRE-DGC-ASN-X", "name": map[string]any{"es": "X"}, "kind": "department", "tier": "national", "parent_id": w.asn.ID}))
	impWant(t, "editor inside its subtree", j, 1, 2, 0, 0)

	// Not MRE above it, nor a root, nor moving ASN out of its subtree.
	byCode["IMP-MRE"]["acronym"] = "X"
	byCode["IMP-MRE-DGC-ASN"]["parent_id"] = w.mre.ID
	before := w.env.Fingerprint(t)
	j = impPost(t, w, editor, "", "application/x-ndjson", ndjson(t, byCode["IMP-MRE"],
		map[string]any{"code": "IMP-ROOT", "name": map[string]any{"es": "Raíz"}, "kind": "ministry", "tier": "national"},
		byCode["IMP-MRE-DGC-ASN"]))
	impWant(t, "editor outside its subtree", j, 0, 0, 0, 3)
	for line := int64(1); line <= 3; line++ {
		impWantError(t, j, line, "", "your own institution")
	}
	impUnchanged(t, w.env, before)
}
