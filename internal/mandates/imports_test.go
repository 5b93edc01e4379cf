package mandates_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/mandates"
)

// impWorld is a small catalogue to export and import. Institutions: MRE with DGC under it, MIG,
// and OLD (archived). Instruments: DL (issued by MRE, every member set), LEY (issued by OLD) and
// DS (archived after LEGACY cited it). Functions: POLICY (owned by DGC, citing DL and LEY,
// tagged), ASSIST (owned by MIG) and LEGACY (citing DS). Scenarios: AS-IS with three
// assignments, and ADOPTED, an adopted copy of it.
type impWorld struct {
	env                    *apitest.Env
	admin                  string
	mre, dgc, mig, old     string
	dl, ley, ds            string
	policy, assist, legacy string
	asis, adopted          string
	accountable            string // the assignment making DGC accountable for POLICY in AS-IS
}

func impSetup(t *testing.T) impWorld {
	t.Helper()
	env := apitest.New(t)
	w := impWorld{env: env, admin: env.AdminToken(t)}
	inst := func(code, parent string) string {
		b := map[string]any{"code": code, "name": map[string]any{"es": "Unidad " + code}, "kind": "directorate", "tier": "national"}
		if parent != "" {
			b["parent_id"] = parent
		}
		return impCreate(t, w, "/v1/institutions", b)
	}
	w.mre = inst("IMP-MRE", "")
	w.dgc = inst("IMP-MRE-DGC", w.mre)
	w.mig = inst("IMP-MIG", "")
	w.old = inst("IMP-OLD", "")
	w.dl = impCreate(t, w, "/v1/legal-instruments", map[string]any{"code": "IMP-DL-1350", "type": "legislative_decree",
		"number": "1350", "title": map[string]any{"es": "Decreto Legislativo de Migraciones", "en": "Migration Act"},
		"issuer_id": w.mre, "issued_on": "2017-01-07", "status": "in_force", "url": "https://www.gob.pe/dl-1350",
		"notes": "Reglamentado; ver \"DS 007-2017\", art. 3"})
	w.ley = impCreate(t, w, "/v1/legal-instruments", map[string]any{"code": "IMP-LEY-30525", "type": "law", "number": "30525",
		"title": map[string]any{"es": "Ley de retorno"}, "issuer_id": w.old, "status": "repealed"})
	w.ds = impCreate(t, w, "/v1/legal-instruments", map[string]any{"code": "IMP-DS-OLD", "type": "supreme_decree", "number": "1",
		"title": map[string]any{"en": "Old decree"}})
	w.policy = impCreate(t, w, "/v1/functions", map[string]any{"code": "IMP-F-POLICY",
		"title": map[string]any{"es": "Política migratoria", "en": "Migration policy"}, "description": map[string]any{"es": "Formula, con \"comillas\""},
		"category": "policy", "status": "current", "tags": []string{"migration", "policy"}, "owner_institution_id": w.dgc,
		"legal_bases": []map[string]any{{"instrument_id": w.dl, "article": "Art. 5"}, {"instrument_id": w.ley}}})
	w.assist = impCreate(t, w, "/v1/functions", map[string]any{"code": "IMP-F-ASSIST", "title": map[string]any{"en": "Assistance"},
		"category": "assistance", "owner_institution_id": w.mig})
	w.legacy = impCreate(t, w, "/v1/functions", map[string]any{"code": "IMP-F-LEGACY", "title": map[string]any{"es": "Antigua"},
		"category": "services", "status": "retired", "legal_bases": []map[string]any{{"instrument_id": w.ds, "article": "Art. 1"}}})
	w.asis = impCreate(t, w, "/v1/mandate-scenarios", map[string]any{"code": "IMP-AS-IS", "kind": "as_is",
		"name": map[string]any{"es": "Situación actual", "en": "As is"}, "description": map[string]any{"en": "Today"}})
	w.accountable = impCreate(t, w, "/v1/mandate-scenarios/"+w.asis+"/assignments", map[string]any{"function_id": w.policy,
		"institution_id": w.dgc, "role": "accountable", "basis": "de_jure", "instrument_id": w.dl, "article": "Art. 3"})
	impCreate(t, w, "/v1/mandate-scenarios/"+w.asis+"/assignments", map[string]any{"function_id": w.policy,
		"institution_id": w.mig, "role": "consulted", "basis": "de_facto", "evidence": "Actas, 2023", "notes": "a; b, \"c\""})
	impCreate(t, w, "/v1/mandate-scenarios/"+w.asis+"/assignments", map[string]any{"function_id": w.assist,
		"institution_id": w.mig, "role": "responsible", "basis": "de_facto", "evidence": "Práctica"})
	w.adopted = impCreate(t, w, "/v1/mandate-scenarios", map[string]any{"code": "IMP-ADOPTED", "kind": "proposed",
		"name": map[string]any{"es": "Adoptado"}, "copy_from_id": w.asis})
	for _, r := range []apitest.Request{
		{Method: http.MethodPost, Path: "/v1/mandate-scenarios/" + w.adopted + "/adoption"},
		{Method: http.MethodDelete, Path: "/v1/legal-instruments/" + w.ds},
		{Method: http.MethodDelete, Path: "/v1/institutions/" + w.old},
	} {
		r.Token = w.admin
		if res := env.Do(t, r); res.Status >= 300 {
			t.Fatalf("%s %s: %d %s", r.Method, r.Path, res.Status, res.Body)
		}
	}
	return w
}

func impCreate(t *testing.T, w impWorld, path string, body map[string]any) string {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: w.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s %v: %d %s", path, body, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// impRoundTrip imports resource's NDJSON and CSV exports (with query) back, on its default key
// and on ids, and fails t unless every row of each is unchanged and no record changed.
func impRoundTrip(t *testing.T, w impWorld, resource, query string, rows int64) {
	t.Helper()
	before := w.env.Fingerprint(t)
	for _, c := range []struct{ key, format, contentType string }{
		{"", "", apitest.NDJSONType}, {"", "format=csv", apitest.CSVType}, {"key=id", "", apitest.NDJSONType}, {"key=id", "format=csv", apitest.CSVType},
	} {
		j := w.env.Import(t, w.admin, resource, c.key, c.contentType, w.env.Export(t, w.admin, resource, query+"&"+c.format))
		j.WantCounts(t, resource+" export "+c.key+" "+c.format+" imported back", 0, 0, rows, 0)
		if j.Status != "succeeded" {
			t.Errorf("%s round trip: %+v", resource, j)
		}
	}
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")
}

func impEditor(t *testing.T, w impWorld, institution string) string {
	t.Helper()
	id := uuid.MustParse(institution)
	return w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &id})
}

func TestExportLegalInstruments(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	all := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "legal-instruments", ""))
	if len(all) != 2 {
		t.Fatalf("export: %v", all)
	}
	dl := apitest.ByCode(t, all)["IMP-DL-1350"]
	for k, v := range map[string]any{"id": w.dl, "type": "legislative_decree", "number": "1350", "issuer_id": w.mre,
		"issued_on": "2017-01-07", "status": "in_force", "url": "https://www.gob.pe/dl-1350", "demo": false, "version": float64(1)} {
		if dl[k] != v {
			t.Errorf("DL's %s is %v, want %v", k, dl[k], v)
		}
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "legal-instruments", "issuer_id="+w.mre)); !slices.Equal(got, []string{"IMP-DL-1350"}) {
		t.Errorf("issuer filter: %v", got)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "legal-instruments", "type=law&type=supreme_decree&include_archived=true&order_by=-code")); !slices.Equal(got, []string{"IMP-LEY-30525", "IMP-DS-OLD"}) {
		t.Errorf("type filter with archived: %v", got)
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "legal-instruments", "format=csv&status=in_force"))
	apitest.WantColumns(t, header, "id", "code", "type", "number", "title.es", "title.en", "issuer_id", "issued_on", "url", "notes", "version")
	if len(rows) != 1 || rows[0]["title.en"] != "Migration Act" || rows[0]["notes"] != "Reglamentado; ver \"DS 007-2017\", art. 3" {
		t.Errorf("CSV rows: %v", rows)
	}
}

func TestImportLegalInstruments(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	// LEY's issuer is archived: it stays cited, as an update that keeps it may.
	impRoundTrip(t, w, "legal-instruments", "", 2)

	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "legal-instruments", ""))
	byCode := apitest.ByCode(t, rows)
	byCode["IMP-DL-1350"]["number"] = "1350-2017"
	delete(byCode["IMP-DL-1350"], "notes")
	file := apitest.NDJSON(t, append(rows,
		map[string]any{"code": "IMP-RM-1", "type": "ministerial_resolution", "number": "1", "title": map[string]any{"es": "Resolución"}, "issuer_id": w.dgc},
		map[string]any{"code": "IMP-RM-2", "type": "ministerial_resolution", "number": "2", "title": map[string]any{"es": "Otra"}, "issuer_id": w.old},
		map[string]any{"code": "IMP-RM-3", "type": "ministerial_resolution", "number": "3", "title": map[string]any{"es": "Otra"}, "issuer_id": uuid.NewString()},
		map[string]any{"code": "IMP-RM-4", "type": "ministerial_resolution", "number": "4", "title": map[string]any{"es": "Otra"}, "url": "ftp://x.pe/a"},
	)...)
	before := w.env.Fingerprint(t)
	j := w.env.Import(t, w.admin, "legal-instruments", "atomic=all", apitest.NDJSONType, file)
	if j.Status != "failed" || j.Report.Committed {
		t.Errorf("atomic=all with bad rows: %+v", j)
	}
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	j = w.env.Import(t, w.admin, "legal-instruments", "", apitest.NDJSONType, file)
	j.WantCounts(t, "commit", 1, 1, 1, 3)
	j.WantError(t, 4, "issuer_id", "archived")
	j.WantError(t, 5, "issuer_id", "no such institution")
	j.WantError(t, 6, "url", "http or https")
	if n := w.env.Count(t, "legal_instruments", "id = ? AND number = '1350-2017' AND notes IS NULL AND version = 2", w.dl); n != 1 {
		t.Error("DL was not updated")
	}
	if n := w.env.Count(t, "legal_instruments", "code = 'IMP-RM-1' AND issuer_id = ? AND status = 'in_force' AND NOT demo", w.dgc); n != 1 {
		t.Error("RM-1 was not created")
	}

	// Instruments belong to the whole action: editors may not import them.
	res := w.env.PostImport(t, impEditor(t, w, w.mre), "legal-instruments", "", apitest.NDJSONType, file)
	apitest.Problem(t, res, http.StatusForbidden)
}

func TestExportFunctions(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	all := apitest.ByCode(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "functions", "")))
	if len(all) != 3 {
		t.Fatalf("export: %v", all)
	}
	bases, _ := json.Marshal(all["IMP-F-POLICY"]["legal_bases"])
	if want := fmt.Sprintf(`[{"article":"Art. 5","instrument_id":"%s"},{"instrument_id":"%s"}]`, w.dl, w.ley); string(bases) != want {
		t.Errorf("POLICY's legal bases: %s, want %s", bases, want)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "functions", "instrument_id="+w.ds)); !slices.Equal(got, []string{"IMP-F-LEGACY"}) {
		t.Errorf("instrument filter: %v", got)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "functions", "tag=migration&owner_institution_id="+w.dgc)); !slices.Equal(got, []string{"IMP-F-POLICY"}) {
		t.Errorf("tag and owner filter: %v", got)
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "functions", "format=csv&category=policy"))
	apitest.WantColumns(t, header, "code", "title.es", "title.en", "description.es", "legal_bases", "tags", "owner_institution_id")
	if len(rows) != 1 || rows[0]["tags"] != `["migration","policy"]` || !strings.Contains(rows[0]["legal_bases"], w.ley) {
		t.Errorf("CSV rows: %v", rows)
	}
}

func TestImportFunctions(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	// LEGACY cites DS, archived since: it stays cited.
	impRoundTrip(t, w, "functions", "", 3)

	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "functions", ""))
	byCode := apitest.ByCode(t, rows)
	// POLICY: only its legal bases change (DL dropped); ASSIST: its title.
	byCode["IMP-F-POLICY"]["legal_bases"] = []map[string]any{{"instrument_id": w.ley}}
	byCode["IMP-F-ASSIST"]["title"] = map[string]any{"en": "Consular assistance"}
	file := apitest.NDJSON(t, append(rows,
		map[string]any{"code": "IMP-F-NEW", "title": map[string]any{"es": "Nueva"}, "category": "engagement", "owner_institution_id": w.mre,
			"tags": []string{"new"}, "legal_bases": []map[string]any{{"instrument_id": w.dl, "article": "Art. 9"}, {"instrument_id": w.dl}}},
		map[string]any{"code": "IMP-F-ARCH", "title": map[string]any{"es": "X"}, "category": "policy",
			"legal_bases": []map[string]any{{"instrument_id": w.dl}, {"instrument_id": w.ds}}},
		map[string]any{"code": "IMP-F-UNKNOWN", "title": map[string]any{"es": "X"}, "category": "policy",
			"legal_bases": []map[string]any{{"instrument_id": uuid.NewString()}}},
		map[string]any{"code": "IMP-F-OWNER", "title": map[string]any{"es": "X"}, "category": "policy", "owner_institution_id": uuid.NewString()},
		map[string]any{"code": "IMP-F-TWICE", "title": map[string]any{"es": "X"}, "category": "policy",
			"legal_bases": []map[string]any{{"instrument_id": w.dl}, {"instrument_id": w.dl}}},
	)...)
	before := w.env.Fingerprint(t)
	j := w.env.Import(t, w.admin, "functions", "mode=validate", apitest.NDJSONType, file)
	j.WantCounts(t, "validate", 1, 2, 1, 4) // the dry run runs the custom write too, so it sees the legal bases change
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	j = w.env.Import(t, w.admin, "functions", "", apitest.NDJSONType, file)
	j.WantCounts(t, "commit", 1, 2, 1, 4)
	j.WantError(t, 5, "legal_bases", "archived")
	j.WantError(t, 6, "legal_bases", "no such legal instrument")
	j.WantError(t, 7, "owner_institution_id", "no such institution")
	j.WantError(t, 8, "legal_bases.1", "repeats")

	var bases []struct {
		Code         string
		Position     int
		InstrumentID string
		Article      *string
	}
	if err := w.env.DB.Conn(context.Background()).Raw(`SELECT f.code, b.position, b.instrument_id::text AS instrument_id, b.article
		FROM function_legal_bases b JOIN functions f ON f.id = b.function_id WHERE f.code IN ('IMP-F-POLICY', 'IMP-F-NEW')
		ORDER BY f.code, b.position`).Scan(&bases).Error; err != nil {
		t.Fatal(err)
	}
	if len(bases) != 3 || bases[0].Code != "IMP-F-NEW" || bases[0].InstrumentID != w.dl || bases[0].Article == nil || *bases[0].Article != "Art. 9" ||
		bases[1].Position != 1 || bases[1].Article != nil || bases[2].Code != "IMP-F-POLICY" || bases[2].InstrumentID != w.ley || bases[2].Position != 0 {
		t.Errorf("legal bases after import: %+v", bases)
	}
	if n := w.env.Count(t, "functions", "id = ? AND version = 2", w.policy); n != 1 {
		t.Error("POLICY's version did not move on with its legal bases")
	}
	if n := w.env.Count(t, "functions", "id = ? AND title_en = 'Consular assistance' AND version = 2", w.assist); n != 1 {
		t.Error("ASSIST was not updated")
	}
	if n := w.env.Count(t, "functions", "code = 'IMP-F-NEW' AND tags = '{new}' AND status = 'current' AND owner_institution_id = ?", w.mre); n != 1 {
		t.Error("NEW was not created")
	}
	// Importing the same file again changes nothing more.
	j = w.env.Import(t, w.admin, "functions", "", apitest.NDJSONType, file)
	j.WantCounts(t, "the same file again", 0, 0, 4, 4)
}

func TestImportFunctionsScoped(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	editor := impEditor(t, w, w.mre)
	byCode := apitest.ByCode(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "functions", "")))
	byCode["IMP-F-POLICY"]["status"] = "proposed"
	j := w.env.Import(t, editor, "functions", "", apitest.NDJSONType, apitest.NDJSON(t, byCode["IMP-F-POLICY"],
		map[string]any{"code": "IMP-F-MINE", "title": map[string]any{"es": "Mía"}, "category": "policy", "owner_institution_id": w.dgc}))
	j.WantCounts(t, "an editor of MRE, for DGC", 1, 1, 0, 0)

	byCode["IMP-F-ASSIST"]["status"] = "proposed"
	byCode["IMP-F-POLICY"]["owner_institution_id"] = w.mig
	before := w.env.Fingerprint(t)
	j = w.env.Import(t, editor, "functions", "", apitest.NDJSONType, apitest.NDJSON(t, byCode["IMP-F-ASSIST"], byCode["IMP-F-POLICY"],
		map[string]any{"code": "IMP-F-NOBODY", "title": map[string]any{"es": "De nadie"}, "category": "policy"}))
	j.WantCounts(t, "an editor of MRE, elsewhere", 0, 0, 0, 3)
	j.WantError(t, 2, "", "your own institution")
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")
}

func TestExportMandateScenarios(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	all := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-scenarios", ""))
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "mandate-scenarios", "")); !slices.Equal(got, []string{"IMP-ADOPTED", "IMP-AS-IS"}) {
		t.Fatalf("export: %v", all)
	}
	if a := all[0]; a["status"] != "adopted" || a["copied_from_id"] != w.asis || a["adopted_at"] == nil {
		t.Errorf("ADOPTED: %v", a)
	}
	if got := apitest.Codes(t, w.env.Export(t, w.admin, "mandate-scenarios", "kind=as_is")); !slices.Equal(got, []string{"IMP-AS-IS"}) {
		t.Errorf("kind filter: %v", got)
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "mandate-scenarios", "format=csv&status=draft"))
	apitest.WantColumns(t, header, "code", "name.es", "name.en", "description.es", "description.en", "kind", "status", "copied_from_id")
	if len(rows) != 1 || rows[0]["name.en"] != "As is" || rows[0]["description.en"] != "Today" {
		t.Errorf("CSV rows: %v", rows)
	}
}

func TestImportMandateScenarios(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	// ADOPTED is read-only, but imported back unchanged.
	impRoundTrip(t, w, "mandate-scenarios", "", 2)

	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-scenarios", ""))
	byCode := apitest.ByCode(t, rows)
	byCode["IMP-AS-IS"]["name"] = map[string]any{"es": "Hoy"}
	byCode["IMP-ADOPTED"]["kind"] = "as_is"
	file := apitest.NDJSON(t, append(rows,
		map[string]any{"code": "IMP-PROPOSAL", "name": map[string]any{"en": "Proposal"}, "kind": "proposed", "copy_from_id": w.asis},
		map[string]any{"code": "IMP-EMPTY", "name": map[string]any{"en": "Empty"}, "kind": "proposed"},
		map[string]any{"code": "IMP-COPY-LOST", "name": map[string]any{"en": "Lost"}, "kind": "proposed", "copy_from_id": uuid.NewString()},
	)...)
	j := w.env.Import(t, w.admin, "mandate-scenarios", "", apitest.NDJSONType, file)
	j.WantCounts(t, "commit", 2, 1, 0, 2)
	j.WantError(t, 1, "", "adopted")
	j.WantError(t, 5, "copy_from_id", "no such scenario")
	if n := w.env.Count(t, "mandate_scenarios", "id = ? AND name_es = 'Hoy' AND name_en IS NULL AND description_en = 'Today' AND version = 2", w.asis); n != 1 {
		t.Error("AS-IS was not updated")
	}
	if n := w.env.Count(t, "mandate_scenarios", "id = ? AND kind = 'proposed'", w.adopted); n != 1 {
		t.Error("ADOPTED changed")
	}
	var proposal string
	if err := w.env.DB.Conn(context.Background()).Raw(`SELECT id::text FROM mandate_scenarios WHERE code = 'IMP-PROPOSAL'
		AND status = 'draft' AND copied_from_id = ? AND NOT demo`, w.asis).Scan(&proposal).Error; err != nil || proposal == "" {
		t.Fatalf("PROPOSAL was not created as a copy of AS-IS: %v", err)
	}
	if n := w.env.Count(t, "mandate_assignments", "scenario_id = ?", proposal); n != 3 {
		t.Errorf("PROPOSAL has %d assignments, want AS-IS's 3", n)
	}
	if n := w.env.Count(t, "mandate_assignments", `scenario_id = ? AND function_id = ? AND institution_id = ? AND role = 'accountable'
		AND basis = 'de_jure' AND instrument_id = ? AND article = 'Art. 3'`, proposal, w.policy, w.dgc, w.dl); n != 1 {
		t.Error("PROPOSAL's copied accountable assignment differs from AS-IS's")
	}
	// Again: PROPOSAL exists, so nothing is copied twice.
	j = w.env.Import(t, w.admin, "mandate-scenarios", "", apitest.NDJSONType, file)
	j.WantCounts(t, "the same file again", 0, 0, 3, 2)
	if n := w.env.Count(t, "mandate_assignments", "scenario_id = ?", proposal); n != 3 {
		t.Errorf("PROPOSAL has %d assignments after a second import, want 3", n)
	}

	res := w.env.PostImport(t, impEditor(t, w, w.mre), "mandate-scenarios", "", apitest.NDJSONType, file)
	apitest.Problem(t, res, http.StatusForbidden)
}

func TestExportMandateAssignments(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	all := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.asis))
	if len(all) != 3 || all[0]["id"] != w.accountable || all[0]["scenario_id"] != w.asis || all[0]["role"] != "accountable" ||
		all[0]["instrument_id"] != w.dl || all[0]["article"] != "Art. 3" {
		t.Fatalf("export: %v", all)
	}
	if got := apitest.Strings(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.asis+"&institution_id="+w.mig+"&role=consulted&role=responsible")), "role"); !slices.Equal(got, []string{"consulted", "responsible"}) {
		t.Errorf("institution and role filters: %v", got)
	}
	if got := apitest.Strings(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.adopted+"&basis=de_jure&function_id="+w.policy)), "institution_id"); !slices.Equal(got, []string{w.dgc}) {
		t.Errorf("another scenario, basis and function filters: %v", got)
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "format=csv&scenario_id="+w.asis))
	apitest.WantColumns(t, header, "id", "scenario_id", "function_id", "institution_id", "role", "basis", "instrument_id", "article", "evidence", "notes")
	if len(rows) != 3 || rows[1]["notes"] != `a; b, "c"` || rows[1]["instrument_id"] != "" || rows[2]["evidence"] != "Práctica" {
		t.Errorf("CSV rows: %v", rows)
	}
	// The scenario is required: assignments are listed by scenario.
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/mandate-assignments", Token: w.admin})
	apitest.Problem(t, res, http.StatusBadRequest)
}

// impAssignmentsReachable skips t while the contract's row schema for assignments has no
// scenario_id: the importer drops what the create body has not, so rows could not say their
// scenario (the nested create endpoint takes it from its path).
func impAssignmentsReachable(t *testing.T) {
	t.Helper()
	doc, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	if s := doc.Components.Schemas[mandates.AssignmentImport().Create]; s == nil || s.Value.Properties["scenario_id"] == nil {
		t.Skip("the contract's " + mandates.AssignmentImport().Create + " has no scenario_id, so import rows cannot name their scenario")
	}
}

func TestImportMandateAssignments(t *testing.T) {
	t.Parallel()
	impAssignmentsReachable(t)
	w := impSetup(t)
	impRoundTrip(t, w, "mandate-assignments", "scenario_id="+w.asis, 3)
	impRoundTrip(t, w, "mandate-assignments", "scenario_id="+w.adopted, 3)

	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.asis))
	rows[1]["notes"] = "Changed"
	file := apitest.NDJSON(t, append(rows,
		map[string]any{"scenario_id": w.asis, "function_id": w.legacy, "institution_id": w.mre, "role": "informed", "basis": "de_facto", "evidence": "x"},
		map[string]any{"scenario_id": w.asis, "function_id": w.assist, "institution_id": w.dgc, "role": "informed", "basis": "de_jure", "instrument_id": uuid.NewString()},
		map[string]any{"scenario_id": w.adopted, "function_id": w.assist, "institution_id": w.dgc, "role": "informed", "basis": "de_facto", "evidence": "x"},
	)...)
	before := w.env.Fingerprint(t)
	j := w.env.Import(t, w.admin, "mandate-assignments", "atomic=all", apitest.NDJSONType, file)
	if j.Status != "failed" || j.Report.Committed {
		t.Errorf("atomic=all with bad rows: %+v", j)
	}
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	j = w.env.Import(t, w.admin, "mandate-assignments", "", apitest.NDJSONType, file)
	j.WantCounts(t, "commit", 1, 1, 2, 2)
	j.WantError(t, 5, "instrument_id", "no such legal instrument")
	j.WantError(t, 6, "scenario_id", "adopted")
	if n := w.env.Count(t, "mandate_assignments", "scenario_id = ? AND notes = 'Changed' AND version = 2", w.asis); n != 1 {
		t.Error("the changed assignment was not updated")
	}
	if n := w.env.Count(t, "mandate_assignments", "scenario_id = ? AND function_id = ? AND institution_id = ?", w.asis, w.legacy, w.mre); n != 1 {
		t.Error("the new assignment was not created")
	}
}

// impDrive runs res's own parts as the importer runs them on one batch — Prepare each row,
// stage, Checks, Write — in one transaction it commits, and returns the counts and each refused
// line's "field: message"s. It reaches what the HTTP path cannot yet (see
// impAssignmentsReachable), and proves the resource's SQL against the real schema.
func impDrive(t *testing.T, env *apitest.Env, res *imports.Resource, key, strategy string, docs ...map[string]any) (imports.Counts, map[int64][]string) {
	t.Helper()
	ctx := context.Background()
	tx, err := env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	const stage = "imp_test_stage"
	cols := []string{"line"}
	ddl := "CREATE TEMP TABLE " + stage + " (line bigint NOT NULL"
	for _, c := range res.Columns {
		cols = append(cols, c.Name)
		ddl += ", " + c.Name + " " + c.Type
	}
	if _, err := tx.Exec(ctx, ddl+") ON COMMIT DROP"); err != nil {
		t.Fatal(err)
	}
	refused := map[int64][]string{}
	var staged [][]any
	for i, d := range docs {
		line := int64(i + 1)
		raw, _ := json.Marshal(d)
		vals, err := res.Prepare(ctx, raw)
		if err != nil {
			refused[line] = append(refused[line], err.Error())
			continue
		}
		if key == "id" {
			vals[0] = uuid.MustParse(d["id"].(string))
		}
		staged = append(staged, append([]any{line}, vals...))
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, pgx.CopyFromRows(staged)); err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Checks {
		rows, err := tx.Query(ctx, fmt.Sprintf(c.SQL, stage))
		if err != nil {
			t.Fatalf("check %s: %v\n%s", c.Field, err, c.SQL)
		}
		for rows.Next() {
			var line int64
			var msg string
			if err := rows.Scan(&line, &msg); err != nil {
				t.Fatal(err)
			}
			refused[line] = append(refused[line], c.Field+": "+msg)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("check %s: %v", c.Field, err)
		}
	}
	var lines []int64
	for _, r := range staged {
		if l := r[0].(int64); refused[l] == nil {
			lines = append(lines, l)
		}
	}
	var c imports.Counts
	if len(lines) > 0 {
		if _, err := tx.Exec(ctx, "DELETE FROM "+stage+" WHERE NOT line = ANY($1)", lines); err != nil {
			t.Fatal(err)
		}
		if c, err = res.Write(ctx, tx, &imports.Batch{Stage: stage, Key: res.Keys[key], Strategy: strategy,
			Lo: lines[0], Hi: lines[len(lines)-1], Resource: res}); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return c, refused
}

func impWantRefused(t *testing.T, refused map[int64][]string, line int64, words string) {
	t.Helper()
	for _, m := range refused[line] {
		if strings.Contains(m, words) {
			return
		}
	}
	t.Errorf("line %d is not refused with %q: %v", line, words, refused)
}

// TestImportMandateAssignmentsResource drives the assignments' importer description directly:
// Prepare, the set-based checks and the write on the cell key, whose unique index covers active
// assignments only.
func TestImportMandateAssignmentsResource(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	res := mandates.AssignmentImport()
	asis := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.asis))
	adopted := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "mandate-assignments", "scenario_id="+w.adopted))

	before := w.env.Fingerprint(t)
	for _, key := range []string{"code", "id"} {
		c, refused := impDrive(t, w.env, res, key, "upsert", append(asis, adopted...)...)
		if c != (imports.Counts{}) || len(refused) > 0 {
			t.Errorf("exports imported back on %s: %+v, refused %v", key, c, refused)
		}
	}
	w.env.UnchangedExcept(t, before, "import_jobs", "audit_events")

	// Archive MIG's consulted assignment: its cell may then be taken again, as a new assignment.
	if r := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/mandate-scenarios/" + w.asis + "/assignments/" + asis[1]["id"].(string), Token: w.admin}); r.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", r.Status, r.Body)
	}
	changed := asis[2]
	changed["notes"] = "Cambiado"
	retaken := map[string]any{"scenario_id": w.asis, "function_id": w.policy, "institution_id": w.mig, "role": "informed", "basis": "de_facto", "evidence": "Otra vez"}
	docs := []map[string]any{
		asis[0], changed, retaken,
		{"scenario_id": w.asis, "function_id": w.policy, "institution_id": w.mre, "role": "accountable", "basis": "de_facto", "evidence": "x"},        // 4: a second accountable
		{"scenario_id": w.adopted, "function_id": w.assist, "institution_id": w.dgc, "role": "informed", "basis": "de_facto", "evidence": "x"},        // 5: adopted
		{"scenario_id": w.asis, "function_id": w.assist, "institution_id": w.old, "role": "informed", "basis": "de_facto", "evidence": "x"},           // 6: archived unit
		{"scenario_id": w.asis, "function_id": w.legacy, "institution_id": w.dgc, "role": "informed", "basis": "de_jure", "instrument_id": w.ds},      // 7: archived instrument
		{"scenario_id": uuid.NewString(), "function_id": w.assist, "institution_id": w.dgc, "role": "informed", "basis": "de_facto", "evidence": "x"}, // 8
		{"function_id": w.assist, "institution_id": w.dgc, "role": "informed", "basis": "de_jure"},                                                    // 9: no scenario, no instrument
	}
	c, refused := impDrive(t, w.env, res, "code", "upsert", docs...)
	if c != (imports.Counts{Created: 1, Updated: 1}) {
		t.Errorf("counts: %+v (refused %v)", c, refused)
	}
	impWantRefused(t, refused, 4, "role: the function already has an accountable unit in this scenario: IMP-MRE-DGC")
	impWantRefused(t, refused, 5, "scenario_id: the scenario is adopted")
	impWantRefused(t, refused, 6, "institution_id: the institution is archived")
	impWantRefused(t, refused, 7, "instrument_id: the legal instrument is archived")
	impWantRefused(t, refused, 8, "scenario_id: no such mandate scenario")
	impWantRefused(t, refused, 9, "the assignment is not valid")
	if len(refused) != 6 {
		t.Errorf("refused: %v", refused)
	}
	if n := w.env.Count(t, "mandate_assignments", "scenario_id = ? AND function_id = ? AND institution_id = ?", w.asis, w.policy, w.mig); n != 2 {
		t.Errorf("MIG's cell for POLICY has %d assignments, want the archived one and a new one", n)
	}
	if n := w.env.Count(t, "mandate_assignments", "id = ? AND notes = 'Cambiado' AND version = 2", changed["id"]); n != 1 {
		t.Error("the changed assignment was not updated")
	}

	// The accountable unit changes hands when the file demotes the old one first; and by id, an
	// assignment moves to another unit but keeps its function.
	demote := asis[0]
	demote["role"] = "responsible"
	promote := map[string]any{"scenario_id": w.asis, "function_id": w.policy, "institution_id": w.mre, "role": "accountable", "basis": "de_facto", "evidence": "x"}
	c, refused = impDrive(t, w.env, res, "code", "upsert", promote, demote)
	impWantRefused(t, refused, 1, "already has an accountable unit")
	if c != (imports.Counts{Updated: 1}) || len(refused) != 1 {
		t.Errorf("promote then demote: %+v, refused %v", c, refused)
	}
	demote["role"] = "accountable"
	if c, refused = impDrive(t, w.env, res, "code", "upsert", demote); c != (imports.Counts{Updated: 1}) {
		t.Errorf("DGC accountable again: %+v, refused %v", c, refused)
	}
	demote["role"] = "responsible"
	c, refused = impDrive(t, w.env, res, "code", "upsert", demote, promote)
	if c != (imports.Counts{Created: 1, Updated: 1}) || len(refused) > 0 {
		t.Errorf("demote then promote: %+v, refused %v", c, refused)
	}
	moved := asis[2]
	moved["institution_id"] = w.dgc
	other := map[string]any{"id": w.accountable, "scenario_id": w.asis, "function_id": w.assist, "institution_id": w.dgc,
		"role": "responsible", "basis": "de_jure", "instrument_id": w.dl}
	c, refused = impDrive(t, w.env, res, "id", "upsert", moved, other)
	if c != (imports.Counts{Updated: 1}) {
		t.Errorf("by id: %+v (refused %v)", c, refused)
	}
	impWantRefused(t, refused, 2, "function_id: cannot change")

	// Strategies on the cell key: update refuses nothing here and writes the change; create
	// writes a cell that is free.
	moved["notes"] = "Otra nota"
	c, refused = impDrive(t, w.env, res, "code", "update", moved)
	if c != (imports.Counts{Updated: 1}) || len(refused) > 0 {
		t.Errorf("update: %+v, refused %v", c, refused)
	}
	c, refused = impDrive(t, w.env, res, "code", "create",
		map[string]any{"scenario_id": w.asis, "function_id": w.legacy, "institution_id": w.mig, "role": "informed", "basis": "de_facto", "evidence": "x"})
	if c != (imports.Counts{Created: 1}) || len(refused) > 0 {
		t.Errorf("create: %+v, refused %v", c, refused)
	}
}
