package institutions_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

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

func TestExportInstitutions(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	archived := create(t, w.env, w.admin, body("IMP-OLD", "agency", nil))
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + archived.ID, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}

	all := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "institutions", ""))
	if got := len(all); got != 4 {
		t.Fatalf("export has %d rows, want 4: %v", got, all)
	}
	mre := apitest.ByCode(t, all)["IMP-MRE"]
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
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "institutions", "kind=ministry&kind=agency")); !slices.Equal(got, []string{"IMP-INEI", "IMP-MRE"}) {
		t.Errorf("kind filter: %v", got)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "institutions", "parent_id="+w.dgc.ID)); !slices.Equal(got, []string{"IMP-MRE-DGC-ASN"}) {
		t.Errorf("parent filter: %v", got)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "institutions", "root=true&order_by=-code")); !slices.Equal(got, []string{"IMP-MRE", "IMP-INEI"}) {
		t.Errorf("roots, by code descending: %v", got)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "institutions", "include_archived=true&q=IMP-OLD")); !slices.Equal(got, []string{"IMP-OLD"}) {
		t.Errorf("archived, searched: %v", got)
	}

	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "institutions", "format=csv"))
	apitest.WantColumns(t, header, "id", "code", "name.es", "name.en", "description.es", "description.en", "parent_id", "established_on", "version")
	// By code: INEI, MRE, DGC, ASN.
	if len(rows) != 4 || rows[1]["code"] != "IMP-MRE" || rows[1]["name.es"] != "Ministerio de Relaciones Exteriores" ||
		rows[1]["description.es"] != "Rector de la política exterior; \"con comillas\", y comas" || rows[1]["parent_id"] != "" ||
		rows[2]["parent_id"] != w.mre.ID || rows[0]["dissolved_on"] != "2030-12-31" || rows[0]["name.es"] != "" {
		t.Errorf("CSV rows: %v", rows)
	}
	if _, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "institutions", "format=csv&status=proposed")); len(rows) != 1 || rows[0]["code"] != "IMP-INEI" {
		t.Errorf("CSV status filter: %v", rows)
	}
}

func TestImportInstitutionsRoundTrip(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	before := w.env.Fingerprint(t)
	j := w.env.Import(t, w.admin, "institutions", "", apitest.NDJSONType, w.env.Export(t, w.admin, "institutions", ""))
	j.WantCounts(t, "NDJSON export imported back", 0, 0, 4, 0)
	if j.Status != "succeeded" || !j.Report.Committed {
		t.Errorf("job: %+v", j)
	}
	j = w.env.Import(t, w.admin, "institutions", "", apitest.CSVType, w.env.Export(t, w.admin, "institutions", "format=csv"))
	j.WantCounts(t, "CSV export imported back", 0, 0, 4, 0)
	j = w.env.Import(t, w.admin, "institutions", "key=id", apitest.CSVType, w.env.Export(t, w.admin, "institutions", "format=csv"))
	j.WantCounts(t, "CSV export imported back on ids", 0, 0, 4, 0)
	after := w.env.Fingerprint(t)
	if after["institutions"] != before["institutions"] {
		t.Error("importing the export back changed institutions")
	}
}

func TestImportInstitutionsChanges(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "institutions", ""))
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
	file := apitest.NDJSON(t, rows...)

	before := w.env.Fingerprint(t)
	j := w.env.Import(t, w.admin, "institutions", "atomic=all", apitest.NDJSONType, file)
	if j.Status != "failed" || j.Report.Committed || j.Failure == nil || j.Failure.Reason != "rows_failed" {
		t.Errorf("atomic=all with bad rows: %+v", j)
	}
	j.WantError(t, 6, "parent_id", "no such institution")
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	j = w.env.Import(t, w.admin, "institutions", "mode=validate", apitest.NDJSONType, file)
	j.WantCounts(t, "validate", 1, 1, 3, 2)
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	j = w.env.Import(t, w.admin, "institutions", "", apitest.NDJSONType, file)
	j.WantCounts(t, "commit", 1, 1, 3, 2)
	j.WantError(t, 6, "parent_id", "no such institution")
	j.WantError(t, 7, "dissolved_on", "before established_on")
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
	mre := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "institutions", "q=IMP-MRE&root=true"))[0]

	// MRE under ASN, its own grandchild, is a cycle; so is MRE under itself.
	mre["parent_id"] = w.asn.ID
	j := w.env.Import(t, w.admin, "institutions", "", apitest.NDJSONType, apitest.NDJSON(t, mre))
	j.WantCounts(t, "MRE under ASN", 0, 0, 0, 1)
	j.WantError(t, 1, "parent_id", "itself or one of its descendants")
	mre["parent_id"] = w.mre.ID
	j = w.env.Import(t, w.admin, "institutions", "", apitest.NDJSONType, apitest.NDJSON(t, mre))
	j.WantError(t, 1, "parent_id", "itself or one of its descendants")

	// Two rows that are each fine alone but together make a cycle: INEI under ASN, MRE under INEI.
	ine := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "institutions", "q=IMP-INEI"))[0]
	ine["parent_id"] = w.asn.ID
	mre["parent_id"] = w.ine.ID
	j = w.env.Import(t, w.admin, "institutions", "", apitest.NDJSONType, apitest.NDJSON(t, ine, mre))
	if j.Report.Failed == 0 || j.Report.Created+j.Report.Updated > 1 {
		t.Errorf("a cycle through two rows: %+v", j.Report)
	}
	if n := w.env.Count(t, "institutions", "id = ? AND parent_id IS NULL", w.mre.ID); n != 1 {
		t.Error("MRE was moved")
	}

	// With their ids, a new subtree loads in one file, parents first.
	root, child := uuid.NewString(), uuid.NewString()
	j = w.env.Import(t, w.admin, "institutions", "key=id", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"id": root, "code": "IMP-NEW", "name": map[string]any{"es": "Nueva"}, "kind": "ministry", "tier": "national"},
		map[string]any{"id": child, "code": "IMP-NEW-1", "name": map[string]any{"es": "Hija"}, "kind": "directorate", "tier": "national", "parent_id": root}))
	j.WantCounts(t, "a new subtree by ids", 2, 0, 0, 0)
	if n := w.env.Count(t, "institutions", "id = ? AND parent_id = ?", child, root); n != 1 {
		t.Error("the new child is not under the new root")
	}
}

func TestImportInstitutionsScoped(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	dgc := uuid.MustParse(w.dgc.ID)
	editor := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &dgc})
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "institutions", ""))
	byCode := apitest.ByCode(t, rows)

	// An editor of DGC updates DGC itself and ASN below it, and creates under ASN.
	byCode["IMP-MRE-DGC"]["acronym"] = "DGC"
	byCode["IMP-MRE-DGC-ASN"]["acronym"] = "ASN"
	j := w.env.Import(t, editor, "institutions", "", apitest.NDJSONType, apitest.NDJSON(t, byCode["IMP-MRE-DGC"], byCode["IMP-MRE-DGC-ASN"],
		map[string]any{"code": "IMP-MRE-DGC-ASN-X", "name": map[string]any{"es": "X"}, "kind": "department", "tier": "national", "parent_id": w.asn.ID}))
	j.WantCounts(t, "editor inside its subtree", 1, 2, 0, 0)

	// Not MRE above it, nor a root, nor moving ASN out of its subtree.
	byCode["IMP-MRE"]["acronym"] = "X"
	byCode["IMP-MRE-DGC-ASN"]["parent_id"] = w.mre.ID
	before := w.env.Fingerprint(t)
	j = w.env.Import(t, editor, "institutions", "", apitest.NDJSONType, apitest.NDJSON(t, byCode["IMP-MRE"],
		map[string]any{"code": "IMP-ROOT", "name": map[string]any{"es": "Raíz"}, "kind": "ministry", "tier": "national"},
		byCode["IMP-MRE-DGC-ASN"]))
	j.WantCounts(t, "editor outside its subtree", 0, 0, 0, 3)
	for line := int64(1); line <= 3; line++ {
		j.WantError(t, line, "", "your own institution")
	}
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")
}
