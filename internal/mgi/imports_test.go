package mgi_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/mgi"
)

// Every resource of the area exports as NDJSON and CSV and imports back unchanged (on its
// natural key and on id); a changed row updates, a new one creates, a bad reference is refused
// on its line and field, and atomic=all then writes nothing.
func TestImportMGIRoundTrips(t *testing.T) {
	t.Parallel()
	f := mgiSetup(t)
	env, admin := f.env, f.admin
	law := mgiRow(t, env, "legal_instruments", "PE-DLEG-1350")
	fn := mgiRow(t, env, "functions", "F-ASN-19")
	art := mgiRow(t, env, "blueprint_articles", "10")
	unit := mgiUnit(t, env, "PE-MRE")
	src := mgiRow(t, env, "data_sources", "MGI-PROFILE")
	env.Send(t, http.MethodPatch, admin, "/v1/mgi-assessments/"+f.pe2019, map[string]any{"source_id": src, "published_on": "2019-11-30",
		"notes": map[string]any{"es": "Perfil; con \"comillas\", y comas", "en": "Profile"},
		"conventions": []any{map[string]any{"name": "ILO No. 97", "ratified": false},
			map[string]any{"name": "CRC, 1989", "ratified": true, "year": 1990}}}, nil)
	apitest.Create[mgiAnswer](t, env, admin, "/v1/mgi-answers", map[string]any{"assessment_id": f.pe2019, "indicator_id": f.ind["MR.HEALTH"],
		"answer": "complete", "note": map[string]any{"en": "Finding 1.2.1"}, "instrument_ids": []string{law.String()},
		"institution_ids": []string{unit.String()}})
	f.answer(t, f.pe2019, "MR.WORK", "partial")
	f.answer(t, f.pe2023, "MR.WORK", "complete")
	apitest.Create[mgiFinding](t, env, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "2.1.3",
		"domain": "whole_of_government", "kind": "well_developed", "text": map[string]any{"en": "The MTIGM.", "es": "La MTIGM."},
		"indicator_ids": []string{f.ind["MR.WORK"]}, "function_ids": []string{fn.String()}, "article_ids": []string{art.String()}})
	apitest.Create[mgiFinding](t, env, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "3.2.1",
		"domain": "partnerships", "kind": "area_for_development", "text": map[string]any{"en": "Private sector."}})
	// An archived indicator and an archived function a stored record keeps still import back.
	mgiExec(t, env, `UPDATE functions SET archived_at = now() WHERE id = ?`, fn)

	env.RoundTrip(t, admin, "mgi-indicators", "", "mgi_indicators", 6, "key=id")
	env.RoundTrip(t, admin, "mgi-assessments", "", "mgi_assessments", 3, "key=id")
	env.RoundTrip(t, admin, "mgi-answers", "", "mgi_answers", 3, "key=id")
	env.RoundTrip(t, admin, "mgi-findings", "", "mgi_findings", 2, "key=id")

	// Exports honour the lists' filters.
	if got := apitest.Codes(t, env.Export(t, admin, "mgi-indicators", "domain=migrant_rights")); !slices.Equal(got, []string{"MR.FAMILY", "MR.HEALTH", "MR.WORK"}) {
		t.Errorf("indicators by domain: %v", got)
	}
	if got := apitest.Codes(t, env.Export(t, admin, "mgi-findings", "answered=false")); !slices.Equal(got, []string{"3.2.1"}) {
		t.Errorf("findings not answered: %v", got)
	}
	if got := apitest.Strings(t, apitest.NDJSONRecords(t, env.Export(t, admin, "mgi-answers", "assessment_id="+f.pe2023)), "indicator_code"); !slices.Equal(got, []string{"MR.WORK"}) {
		t.Errorf("answers of 2023: %v", got)
	}
	header, rows := apitest.CSVRecords(t, env.Export(t, admin, "mgi-assessments", "format=csv&code=PE-2019"))
	if !slices.Contains(header, "conventions") || !slices.Contains(header, "title.en") || len(rows) != 1 ||
		!strings.Contains(rows[0]["conventions"], `"year":1990`) {
		t.Errorf("assessment CSV: %v %v", header, rows)
	}

	// A changed row updates; a new one creates.
	job := env.Import(t, admin, "mgi-findings", "", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"assessment_id": f.pe2019, "code": "3.2.1", "domain": "partnerships", "kind": "area_for_development",
			"text": map[string]any{"en": "Peru could enhance the engagement of the private sector."}},
		map[string]any{"assessment_id": f.pe2023, "code": "3.2.1", "domain": "partnerships", "kind": "well_developed",
			"text": map[string]any{"en": "Partnerships with the private sector."}, "indicator_ids": []string{f.ind["PA.PRIVATE-SECTOR"]}}))
	job.WantCounts(t, "findings changed and new", 1, 1, 0, 0)
	if n := env.Count(t, "mgi_findings", "assessment_id = ? AND code = '3.2.1' AND text_en LIKE 'Peru could%' AND version = 2", f.pe2019); n != 1 {
		t.Errorf("the update is not stored")
	}
	job = env.Import(t, admin, "mgi-answers", "", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"assessment_id": f.pe2019, "indicator_id": f.ind["MR.WORK"], "answer": "absent"}))
	job.WantCounts(t, "answer changed on its natural key", 0, 1, 0, 0)

	// A bad reference is refused on its line and field; with atomic=all nothing is written.
	before := env.Fingerprint(t)
	missing := "0190aaaa-0000-7000-8000-000000000000"
	job = env.Import(t, admin, "mgi-answers", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"assessment_id": f.pe2023, "indicator_id": f.ind["MR.HEALTH"], "answer": "absent"},
		map[string]any{"assessment_id": f.pe2023, "indicator_id": f.ind["SO.DETENTION"], "answer": "absent", "institution_ids": []string{missing}},
		map[string]any{"assessment_id": f.pe2023, "indicator_id": missing, "answer": "absent"}))
	job.WantError(t, 2, "institution_ids", "no such institution: "+missing)
	job.WantError(t, 3, "indicator_id", "no such MGI indicator")
	if job.Report.Committed || job.Report.Failed != 2 {
		t.Errorf("atomic=all: %s", job.Report.Counts())
	}
	env.UnchangedTables(t, before, "mgi_answers", "mgi_findings", "mgi_assessments", "mgi_indicators")
	job = env.Import(t, admin, "mgi-findings", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"assessment_id": f.pe2019, "code": "9.1", "domain": "partnerships", "kind": "well_developed",
			"text": map[string]any{"en": "x"}, "function_ids": []string{fn.String()}}))
	job.WantError(t, 1, "function_ids", "no such function: "+fn.String())
	job = env.Import(t, admin, "mgi-assessments", "", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"code": "XX-1", "country": "XX", "year": 2020, "title": map[string]any{"en": "x"}}))
	job.WantError(t, 1, "country", "not an ISO 3166-1 country")
}

// The framework Puente ships is in the import row format of mgi-indicators: it imports as is,
// and a second time changes nothing.
func TestImportMGIFramework(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	file := mgi.FrameworkFile()
	lines := int64(bytes.Count(file, []byte("\n")))
	env.Import(t, admin, "mgi-indicators", "", apitest.NDJSONType, file).WantCounts(t, "framework", lines, 0, 0, 0)
	env.Import(t, admin, "mgi-indicators", "", apitest.NDJSONType, file).WantCounts(t, "framework again", 0, 0, lines, 0)
	for _, d := range mgi.Domains {
		if env.Count(t, "mgi_indicators", "domain = ?", d) == 0 {
			t.Errorf("no indicator in domain %s", d)
		}
	}
	if n := env.Count(t, "mgi_indicators", "text_en NOT LIKE '%not IOM''s indicator wording)' OR text_es NOT LIKE '%no es la redacción del indicador de la OIM)'"); n != 0 {
		t.Errorf("%d indicators do not say their text is not IOM's wording", n)
	}
	if !strings.Contains(string(file), `"code":`) || lines < 40 {
		t.Errorf("the framework file has %d lines", lines)
	}
}
