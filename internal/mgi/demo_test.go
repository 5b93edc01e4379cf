package mgi_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
	"github.com/puente-mre/puente/internal/mgi"
)

// What seed 002 (IOM's MGI profile of Peru, 2019) states, quoted here rather than taken from the
// demo data so the test proves the demo data quotes it.
var (
	mgiSeedConventions = []mgiConvention{
		{Name: "International Labour Organization (ILO) Migration for Employment Convention (Revised), 1949 (No. 97)"},
		{Name: "United Nations Convention relating to the Status of Refugees (so-called Geneva Convention), 1951", Ratified: true, Year: new(1964)},
		{Name: "United Nations conventions on statelessness, 1954 and 1961", Ratified: true, Year: new(2014)},
		{Name: "ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143)"},
		{Name: "Convention on the Rights of the Child (CRC), 1989", Ratified: true, Year: new(1990)},
		{Name: "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families (ICRMW), 1990", Ratified: true, Year: new(2005)},
	}
	// A sentence of a finding in each domain, with the finding's code and kind.
	mgiSeedFindings = []struct{ code, kind, domain, sentence string }{
		{"1.2.1", "well_developed", "migrant_rights", "The Political Constitution of Peru guarantees access to healthcare to all people in the country."},
		{"1.3.2", "area_for_development", "migrant_rights", "Only certain foreign residents in Peru may vote in local elections."},
		{"2.1.3", "well_developed", "whole_of_government", "The MTIGM includes representatives of 22 public institutions and 3 Observers, and meets periodically (generally on a monthly basis) in ordinary or extraordinary sessions."},
		{"2.1.4", "well_developed", "whole_of_government", "Through the decentralized offices of the MRE, intersectoral round tables have been established in 12 regions of the country."},
		{"3.2.1", "area_for_development", "partnerships", "For example, the National Migration Policy 2017–2025 does not mention formal partnerships with the private sector."},
		{"4.1.5", "well_developed", "well_being", "made up of 64 embassies, 117 consulates and consular sections, and 11 permanent representations"},
		{"4.2.2", "area_for_development", "well_being", "Peru has different types of visas, but these are not structured to attract specific work skills."},
		{"5.2.4", "area_for_development", "mobility_dimensions_of_crises", "CENEPRED does not currently publish a contingency plan to manage large-scale population movements in times of crisis."},
		{"6.1.1", "well_developed", "safe_orderly_regular_migration", "Law No. 30001, the Law on the Economic and Social Reintegration of the Returning Migrant, of 2013, and its Amendment, Law No. 30525"},
		{"6.2.1", "area_for_development", "safe_orderly_regular_migration", "Peruvian law on migration does not explicitly establish that the detention of migrants must be a last resort"},
	}
)

// On an empty database Bootstrap loads the framework from its data file (every indicator demo,
// saying its text is not IOM's wording), Peru's 2019 assessment as seed 002 states it — not demo:
// its conventions table, its 33 well-developed areas and 13 areas for development in the six
// domains, English as the profile words them and Spanish — with demo answers and demo links to
// the demo mandate functions and blueprint articles, and a fictitious demo 2023 assessment whose
// comparison with 2019 shows every kind of move. All of it was written through the services
// (audited) and exports and imports back unchanged.
func TestMGIDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	var out bytes.Buffer
	if err := env.App.Bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	admin := env.AdminToken(t)

	// The framework: the file's indicators, all demo, in every domain.
	lines := int64(bytes.Count(mgi.FrameworkFile(), []byte("\n")))
	if n := env.Count(t, "mgi_indicators", "demo AND text_en LIKE '%not IOM''s indicator wording)'"); n != lines || n < 40 {
		t.Errorf("%d demo indicators, the file has %d", n, lines)
	}
	if n := env.Count(t, "mgi_indicators", "NOT demo"); n != 0 {
		t.Errorf("%d indicators are not demo", n)
	}

	// The 2019 assessment: the seed's, not demo, with the seed's conventions table.
	var pe apitest.Page[mgiAssessment]
	pe = mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?country=PE&order_by=year")
	if len(pe.Items) != 2 || pe.Items[0].Code != demo.MGIAssessment2019 || pe.Items[1].Code != demo.MGIAssessmentDemo {
		t.Fatalf("Peru's assessments: %+v", pe.Items)
	}
	a, d := pe.Items[0], pe.Items[1]
	if a.Demo || a.Year != 2019 || a.Country != "PE" || a.Findings != len(demo.MGIFindings2019) || a.Answers != len(demo.MGIAnswers2019) ||
		a.Notes == nil || a.Notes.En == nil || !strings.Contains(*a.Notes.En, "PUB/2019/115/R") || !strings.Contains(*a.Notes.En, "Demo:") {
		t.Errorf("2019: %+v", a)
	}
	if mgiJSON(t, a.Conventions) != mgiJSON(t, mgiSeedConventions) {
		t.Errorf("conventions %s, want %s", mgiJSON(t, a.Conventions), mgiJSON(t, mgiSeedConventions))
	}
	if !d.Demo || d.Year != 2023 || d.Findings != 0 || d.Notes == nil || !strings.Contains(*d.Notes.En, "fictitious") {
		t.Errorf("2023: %+v", d)
	}

	// Its findings: the profile's, not demo, 33 well developed and 13 for development, worded as
	// the seed words them, in Spanish too.
	if n := env.Count(t, "mgi_findings", "assessment_id = ? AND NOT demo AND text_es <> '' AND text_en <> ''", a.ID); n != 46 {
		t.Errorf("%d findings of 2019 with both texts, not demo", n)
	}
	for kind, want := range map[string]int64{"well_developed": 33, "area_for_development": 13} {
		if n := env.Count(t, "mgi_findings", "kind = ?", kind); n != want {
			t.Errorf("%d %s findings, want %d", n, kind, want)
		}
	}
	for _, s := range mgiSeedFindings {
		if n := env.Count(t, "mgi_findings", "assessment_id = ? AND code = ? AND kind = ? AND domain = ? AND position(? in text_en) > 0 AND cardinality(indicator_ids) > 0",
			a.ID, s.code, s.kind, s.domain, s.sentence); n != 1 {
			t.Errorf("finding %s (%s, %s) does not quote the seed: %q", s.code, s.kind, s.domain, s.sentence)
		}
	}
	for _, dom := range mgi.Domains {
		if dom != "whole_of_government" && env.Count(t, "mgi_findings", "domain = ? AND kind = 'area_for_development'", dom) == 0 {
			t.Errorf("no area for development in %s", dom)
		}
	}

	// The demo links: the MTIGM finding is answered by the demo function that coordinates with
	// the MTIGM and by blueprint article 10; areas for development stay open.
	var fn, art string
	if err := env.DB.Conn(context.Background()).Raw(`SELECT id FROM functions WHERE code = 'F-ASN-19'`).Scan(&fn).Error; err != nil || fn == "" {
		t.Fatalf("function F-ASN-19: %v", err)
	}
	if err := env.DB.Conn(context.Background()).Raw(`SELECT a.id FROM blueprint_articles a JOIN blueprints b ON b.id = a.blueprint_id
		WHERE b.code = ? AND a.number = '10'`, demo.BlueprintDemoCode).Scan(&art).Error; err != nil || art == "" {
		t.Fatalf("article 10: %v", err)
	}
	var codes []string
	for _, f := range mgiGet[apitest.Page[mgiFinding]](t, env, admin, "/v1/mgi-findings?function_id="+fn).Items {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []string{"2.1.3"}) {
		t.Errorf("findings F-ASN-19 answers: %v", codes)
	}
	codes = nil
	for _, f := range mgiGet[apitest.Page[mgiFinding]](t, env, admin, "/v1/mgi-findings?article_id="+art).Items {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []string{"2.1.3", "2.1.4", "3.1.1"}) {
		t.Errorf("findings article 10 answers: %v", codes)
	}
	if n := env.Count(t, "mgi_findings", "kind = 'area_for_development' AND (cardinality(function_ids) > 0 OR cardinality(article_ids) > 0)"); n != 0 {
		t.Errorf("%d areas for development are linked", n)
	}
	if p := mgiGet[apitest.Page[mgiFinding]](t, env, admin, "/v1/mgi-findings?answered=true&page_size=100"); len(p.Items) < 10 {
		t.Errorf("%d answered findings", len(p.Items))
	}

	// Answers: demo, each saying what it reads; the evidence the findings name.
	if n := env.Count(t, "mgi_answers", "NOT demo OR note_en NOT LIKE 'Demo:%' OR note_es NOT LIKE 'Demo:%'"); n != 0 {
		t.Errorf("%d answers are not demo or do not say so", n)
	}
	if n := env.Count(t, "mgi_answers", `assessment_id = ? AND answer = 'complete'
		AND indicator_id = (SELECT id FROM mgi_indicators WHERE code = 'SO.TRAFFICKING')
		AND (SELECT id FROM legal_instruments WHERE code = 'PE-LEY-28950') = ANY (instrument_ids)
		AND (SELECT id FROM institutions WHERE code = 'PE-CMP-TPTIM') = ANY (institution_ids)`, a.ID); n != 1 {
		t.Errorf("the trafficking answer does not cite Law 28950 and the commission")
	}
	if n := env.Count(t, "mgi_answers", "assessment_id = ? AND answer = 'partial' AND indicator_id = (SELECT id FROM mgi_indicators WHERE code = 'MR.CONVENTIONS')", a.ID); n != 1 {
		t.Errorf("the conventions answer is not partial (two of six not ratified)")
	}

	// The comparison shows every kind of move.
	var cmp struct {
		Summary map[string]int
		Items   []struct{ Code, Change string }
	}
	res := env.Send(t, http.MethodGet, admin, "/v1/mgi-assessments/comparison?changed_only=true&from="+a.ID+"&to="+d.ID, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("comparison: %d %s", res.Status, res.Body)
	}
	res.Decode(t, &cmp)
	if s := cmp.Summary; s["improved"] != 3 || s["regressed"] != 1 || s["added"] != 1 || s["removed"] != 1 ||
		s["unchanged"] != len(demo.MGIAnswers2019)-5 || len(cmp.Items) != 6 {
		t.Errorf("comparison: %v, %d items", s, len(cmp.Items))
	}

	// Written through the services: audited as the system.
	if n := env.Count(t, "audit_events", "action = 'mgi_finding.create' AND actor_kind = 'system'"); n != 46 {
		t.Errorf("%d audited finding creates", n)
	}

	// The demo data exports and imports back unchanged.
	env.RoundTrip(t, admin, "mgi-indicators", "", "mgi_indicators", lines)
	env.RoundTrip(t, admin, "mgi-assessments", "", "mgi_assessments", 2)
	env.RoundTrip(t, admin, "mgi-answers", "", "mgi_answers", int64(a.Answers+d.Answers))
	env.RoundTrip(t, admin, "mgi-findings", "", "mgi_findings", 46)
}
