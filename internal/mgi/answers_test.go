package mgi_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// mgiFixture is a small framework, two Peru assessments and one of Chile.
type mgiFixture struct {
	env                *apitest.Env
	admin              string
	ind                map[string]string // indicator ids by code
	pe2019, pe2023, cl string
}

func mgiSetup(t *testing.T) mgiFixture {
	t.Helper()
	env := apitest.New(t)
	f := mgiFixture{env: env, admin: env.AdminToken(t), ind: map[string]string{}}
	for _, c := range []struct{ code, domain, en string }{
		{"MR.HEALTH", "migrant_rights", "Migrants' access to health care"},
		{"MR.WORK", "migrant_rights", "Migrants' access to work"},
		{"PA.PRIVATE-SECTOR", "partnerships", "Engagement of the private sector"},
		{"CR.COMMUNICATION", "mobility_dimensions_of_crises", "Communication systems"},
		{"SO.DETENTION", "safe_orderly_regular_migration", "Detention as a last resort"},
		{"MR.FAMILY", "migrant_rights", "Family reunification"},
	} {
		f.ind[c.code] = apitest.Create[mgiIndicator](t, env, f.admin, "/v1/mgi-indicators", mgiIndicatorBody(c.code, c.domain, c.en)).ID
	}
	f.pe2019 = apitest.Create[mgiAssessment](t, env, f.admin, "/v1/mgi-assessments", mgiAssessmentBody("PE-2019", "PE", 2019)).ID
	f.pe2023 = apitest.Create[mgiAssessment](t, env, f.admin, "/v1/mgi-assessments", mgiAssessmentBody("PE-2023", "PE", 2023)).ID
	f.cl = apitest.Create[mgiAssessment](t, env, f.admin, "/v1/mgi-assessments", mgiAssessmentBody("CL-2018", "CL", 2018)).ID
	return f
}

func (f mgiFixture) answer(t *testing.T, assessment, indicator, value string) mgiAnswer {
	t.Helper()
	return apitest.Create[mgiAnswer](t, f.env, f.admin, "/v1/mgi-answers", map[string]any{"assessment_id": assessment,
		"indicator_id": f.ind[indicator], "answer": value})
}

// Answers: evidence that must exist, one answer per indicator and assessment, the indicator's
// code and domain in every representation, the lists' filters in one statement per page, and
// the assessment's counts.
func TestMGIAnswers(t *testing.T) {
	t.Parallel()
	f := mgiSetup(t)
	env, admin := f.env, f.admin
	law := mgiRow(t, env, "legal_instruments", "PE-DLEG-1350")
	mre := mgiUnit(t, env, "PE-MRE")

	a := apitest.Create[mgiAnswer](t, env, admin, "/v1/mgi-answers", map[string]any{"assessment_id": f.pe2019, "indicator_id": f.ind["MR.HEALTH"],
		"answer": "complete", "note": map[string]any{"en": "Finding 1.2.1"}, "instrument_ids": []string{law.String()},
		"institution_ids": []string{mre.String()}})
	if a.IndicatorCode != "MR.HEALTH" || a.Domain != "migrant_rights" || a.Answer != "complete" ||
		!slices.Equal(a.InstrumentIDs, []string{law.String()}) || !slices.Equal(a.InstitutionIDs, []string{mre.String()}) ||
		a.Note == nil || a.Note.En == nil {
		t.Errorf("create: %+v", a)
	}
	if got := mgiGet[mgiAnswer](t, env, admin, "/v1/mgi-answers/"+a.ID); got.IndicatorCode != "MR.HEALTH" || got.Domain != "migrant_rights" {
		t.Errorf("get: %+v", got)
	}
	res := env.Send(t, http.MethodPatch, admin, "/v1/mgi-answers/"+a.ID, map[string]any{"answer": "partial", "instrument_ids": nil},
		map[string]string{"If-Match": `"1"`})
	var upd mgiAnswer
	res.Decode(t, &upd)
	if res.Status != http.StatusOK || upd.Answer != "partial" || len(upd.InstrumentIDs) != 0 || len(upd.InstitutionIDs) != 1 ||
		upd.IndicatorCode != "MR.HEALTH" {
		t.Errorf("patch: %d %s", res.Status, res.Body)
	}
	mgiRefused(t, env, http.MethodPatch, admin, "/v1/mgi-answers/"+a.ID, map[string]any{"answer": "absent"}, map[string]string{"If-Match": `"1"`},
		http.StatusPreconditionFailed)

	// One answer per indicator and assessment; references that must exist, named by position.
	if fe := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-answers", map[string]any{"assessment_id": f.pe2019,
		"indicator_id": f.ind["MR.HEALTH"], "answer": "absent"}, nil, http.StatusConflict); fe["indicator_id"] == "" {
		t.Errorf("answered twice: %v", fe)
	}
	missing := "0190aaaa-0000-7000-8000-000000000000"
	fe := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-answers", map[string]any{"assessment_id": missing,
		"indicator_id": missing, "answer": "absent", "instrument_ids": []string{law.String(), missing},
		"institution_ids": []string{missing}}, nil, http.StatusUnprocessableEntity)
	for _, field := range []string{"assessment_id", "indicator_id", "instrument_ids.1", "institution_ids.0"} {
		if fe[field] == "" {
			t.Errorf("no error on %s: %v", field, fe)
		}
	}
	mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-answers", map[string]any{"assessment_id": f.pe2019,
		"indicator_id": f.ind["MR.WORK"], "answer": "maybe"}, nil, http.StatusBadRequest)
	// An archived indicator takes no new answers; the answers it has keep it.
	mgiExec(t, env, `UPDATE mgi_indicators SET archived_at = now() WHERE code = 'MR.FAMILY'`)
	if fe := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-answers", map[string]any{"assessment_id": f.pe2019,
		"indicator_id": f.ind["MR.FAMILY"], "answer": "absent"}, nil, http.StatusUnprocessableEntity); fe["indicator_id"] != "is archived" {
		t.Errorf("archived indicator: %v", fe)
	}

	// Lists: filters, and one statement per page whatever its size.
	for i, code := range []string{"MR.WORK", "PA.PRIVATE-SECTOR", "CR.COMMUNICATION", "SO.DETENTION"} {
		f.answer(t, f.pe2019, code, []string{"absent", "partial", "complete", "absent"}[i])
	}
	f.answer(t, f.pe2023, "MR.WORK", "complete")
	codes := func(query string) []string {
		t.Helper()
		var out []string
		for _, it := range mgiGet[apitest.Page[mgiAnswer]](t, env, admin, "/v1/mgi-answers?"+query).Items {
			out = append(out, it.IndicatorCode)
		}
		slices.Sort(out)
		return out
	}
	if got := codes("assessment_id=" + f.pe2019 + "&domain=migrant_rights"); !slices.Equal(got, []string{"MR.HEALTH", "MR.WORK"}) {
		t.Errorf("by domain: %v", got)
	}
	if got := codes("assessment_id=" + f.pe2019 + "&answer=absent"); !slices.Equal(got, []string{"MR.WORK", "SO.DETENTION"}) {
		t.Errorf("by answer: %v", got)
	}
	if got := codes("indicator_id=" + f.ind["MR.WORK"]); !slices.Equal(got, []string{"MR.WORK", "MR.WORK"}) {
		t.Errorf("by indicator: %v", got)
	}
	queries := func(size int) int64 {
		before := env.DB.Queries()
		p := mgiGet[apitest.Page[mgiAnswer]](t, env, admin, fmt.Sprintf("/v1/mgi-answers?page_size=%d", size))
		for _, it := range p.Items {
			if it.IndicatorCode == "" || it.Domain == "" {
				t.Errorf("an answer without its indicator: %+v", it)
			}
		}
		return env.DB.Queries() - before
	}
	if one, all := queries(1), queries(50); one != all {
		t.Errorf("a page of 1 answer took %d statements, a page of 6 took %d", one, all)
	}
	var page1 apitest.Page[mgiAnswer]
	page1 = mgiGet[apitest.Page[mgiAnswer]](t, env, admin, "/v1/mgi-answers?page_size=4&order_by=-created_at")
	page2 := mgiGet[apitest.Page[mgiAnswer]](t, env, admin, "/v1/mgi-answers?page_size=4&order_by=-created_at&page_token="+page1.NextPageToken)
	if len(page1.Items) != 4 || len(page2.Items) != 2 || page2.NextPageToken != "" || page1.Items[0].IndicatorCode != "MR.WORK" {
		t.Errorf("paging: %d then %d", len(page1.Items), len(page2.Items))
	}

	// The assessment counts its live answers.
	if got := mgiGet[mgiAssessment](t, env, admin, "/v1/mgi-assessments/"+f.pe2019); got.Answers != 5 || got.Findings != 0 {
		t.Errorf("counts: %d answers, %d findings", got.Answers, got.Findings)
	}
	if res := env.Send(t, http.MethodDelete, admin, "/v1/mgi-answers/"+a.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	for _, it := range mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?code=PE-2019").Items {
		if it.Answers != 4 {
			t.Errorf("after archiving one: %d answers", it.Answers)
		}
	}
}

// Findings: a code of their own within their assessment, links that must exist, the computed
// answered, and the function, article, answered, kind, domain and q filters.
func TestMGIFindings(t *testing.T) {
	t.Parallel()
	f := mgiSetup(t)
	env, admin := f.env, f.admin
	fn := mgiRow(t, env, "functions", "F-ASN-19")
	art := mgiRow(t, env, "blueprint_articles", "10")

	linked := apitest.Create[mgiFinding](t, env, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "2.1.3",
		"domain": "whole_of_government", "kind": "well_developed",
		"text":          map[string]any{"en": "The MRE presides over the MTIGM.", "es": "El MRE preside la Mesa de Trabajo Intersectorial para la Gestión Migratoria."},
		"indicator_ids": []string{f.ind["MR.WORK"]}, "function_ids": []string{fn.String()}, "article_ids": []string{art.String()}})
	if !linked.Answered || linked.Kind != "well_developed" || !slices.Equal(linked.FunctionIDs, []string{fn.String()}) {
		t.Errorf("create: %+v", linked)
	}
	open := apitest.Create[mgiFinding](t, env, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "3.2.1",
		"domain": "partnerships", "kind": "area_for_development", "text": map[string]any{"en": "Peru could enhance the engagement of the private sector."}})
	if open.Answered || len(open.FunctionIDs) != 0 || len(open.ArticleIDs) != 0 || len(open.IndicatorIDs) != 0 {
		t.Errorf("create: %+v", open)
	}
	// The same code in another assessment is another finding; in the same one, a conflict.
	apitest.Create[mgiFinding](t, env, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2023, "code": "3.2.1",
		"domain": "partnerships", "kind": "well_developed", "text": map[string]any{"en": "Private sector partnerships."}})
	if fe := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "3.2.1",
		"domain": "partnerships", "kind": "well_developed", "text": map[string]any{"en": "x"}}, nil, http.StatusConflict); fe["code"] == "" {
		t.Errorf("taken code: %v", fe)
	}
	missing := "0190aaaa-0000-7000-8000-000000000000"
	fe := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-findings", map[string]any{"assessment_id": f.pe2019, "code": "9.9",
		"domain": "partnerships", "kind": "well_developed", "text": map[string]any{"en": "x"}, "indicator_ids": []string{missing},
		"function_ids": []string{fn.String(), missing}, "article_ids": []string{missing}}, nil, http.StatusUnprocessableEntity)
	for _, field := range []string{"indicator_ids.0", "function_ids.1", "article_ids.0"} {
		if fe[field] == "" {
			t.Errorf("no error on %s: %v", field, fe)
		}
	}

	codes := func(query string) []string {
		t.Helper()
		var out []string
		for _, it := range mgiGet[apitest.Page[mgiFinding]](t, env, admin, "/v1/mgi-findings?assessment_id="+f.pe2019+"&"+query).Items {
			out = append(out, it.Code)
		}
		return out
	}
	for query, want := range map[string][]string{
		"":                                   {"2.1.3", "3.2.1"},
		"order_by=-code":                     {"3.2.1", "2.1.3"},
		"function_id=" + fn.String():         {"2.1.3"},
		"article_id=" + art.String():         {"2.1.3"},
		"function_id=" + missing:             nil,
		"answered=true":                      {"2.1.3"},
		"answered=false":                     {"3.2.1"},
		"kind=area_for_development":          {"3.2.1"},
		"domain=whole_of_government":         {"2.1.3"},
		"q=gestion%20migratoria":             {"2.1.3"},
		"q=private":                          {"3.2.1"},
		"kind=well_developed&answered=false": nil,
	} {
		if got := codes(query); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", query, got, want)
		}
	}

	// Linking an open finding to a function answers it; archiving the function keeps the link.
	res := env.Send(t, http.MethodPatch, admin, "/v1/mgi-findings/"+open.ID, map[string]any{"function_ids": []string{fn.String()}}, nil)
	var upd mgiFinding
	res.Decode(t, &upd)
	if res.Status != http.StatusOK || !upd.Answered {
		t.Errorf("link: %d %s", res.Status, res.Body)
	}
	mgiExec(t, env, `UPDATE functions SET archived_at = now() WHERE id = ?`, fn)
	if res := env.Send(t, http.MethodPatch, admin, "/v1/mgi-findings/"+open.ID, map[string]any{"kind": "well_developed"}, nil); res.Status != http.StatusOK {
		t.Errorf("an archived function the finding keeps: %d %s", res.Status, res.Body)
	}
	if fe := mgiRefused(t, env, http.MethodPatch, admin, "/v1/mgi-findings/"+linked.ID, map[string]any{"function_ids": nil,
		"article_ids": []string{art.String(), fn.String()}}, nil, http.StatusUnprocessableEntity); fe["article_ids.1"] == "" {
		t.Errorf("a function as an article: %v", fe)
	}
	if got := mgiGet[mgiAssessment](t, env, admin, "/v1/mgi-assessments/"+f.pe2019); got.Findings != 2 {
		t.Errorf("%d findings counted", got.Findings)
	}
}

// The comparison: every indicator either assessment answers, by code, how it moved on the scale
// absent < partial < complete, the summary of all of them, changed_only, and the refusals.
func TestMGIComparison(t *testing.T) {
	t.Parallel()
	f := mgiSetup(t)
	env, admin := f.env, f.admin
	for code, v := range map[string]string{"MR.HEALTH": "complete", "MR.WORK": "partial", "PA.PRIVATE-SECTOR": "absent",
		"CR.COMMUNICATION": "complete", "SO.DETENTION": "absent"} {
		f.answer(t, f.pe2019, code, v)
	}
	for code, v := range map[string]string{"MR.HEALTH": "complete", "MR.WORK": "partial", "PA.PRIVATE-SECTOR": "partial",
		"CR.COMMUNICATION": "partial", "MR.FAMILY": "complete"} {
		f.answer(t, f.pe2023, code, v)
	}
	// An archived answer counts as not answered.
	gone := f.answer(t, f.pe2023, "SO.DETENTION", "complete")
	if res := env.Send(t, http.MethodDelete, admin, "/v1/mgi-answers/"+gone.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}

	type item struct {
		Code, Domain, Change string
		From, To             *string
		IndicatorID          string `json:"indicator_id"`
	}
	var cmp struct {
		From, To mgiAssessment
		Summary  map[string]int
		Items    []item
	}
	env.Send(t, http.MethodGet, admin, "/v1/mgi-assessments/comparison?from="+f.pe2019+"&to="+f.pe2023, nil, nil).Decode(t, &cmp)
	want := []string{"CR.COMMUNICATION regressed", "MR.FAMILY added", "MR.HEALTH unchanged", "MR.WORK unchanged",
		"PA.PRIVATE-SECTOR improved", "SO.DETENTION removed"}
	var got []string
	for _, it := range cmp.Items {
		got = append(got, it.Code+" "+it.Change)
	}
	if !slices.Equal(got, want) {
		t.Errorf("items %v, want %v", got, want)
	}
	if s := cmp.Summary; s["improved"] != 1 || s["regressed"] != 1 || s["unchanged"] != 2 || s["added"] != 1 || s["removed"] != 1 {
		t.Errorf("summary %v", s)
	}
	if cmp.From.Code != "PE-2019" || cmp.To.Code != "PE-2023" || cmp.From.Answers != 5 || cmp.To.Answers != 5 {
		t.Errorf("from %+v to %+v", cmp.From, cmp.To)
	}
	if it := cmp.Items[1]; it.From != nil || it.To == nil || *it.To != "complete" || it.Domain != "migrant_rights" || it.IndicatorID != f.ind["MR.FAMILY"] {
		t.Errorf("added item: %+v", it)
	}
	env.Send(t, http.MethodGet, admin, "/v1/mgi-assessments/comparison?changed_only=true&from="+f.pe2019+"&to="+f.pe2023, nil, nil).Decode(t, &cmp)
	if len(cmp.Items) != 4 || cmp.Summary["unchanged"] != 2 {
		t.Errorf("changed only: %d items, summary %v", len(cmp.Items), cmp.Summary)
	}
	// Backwards, every move turns around.
	env.Send(t, http.MethodGet, admin, "/v1/mgi-assessments/comparison?from="+f.pe2023+"&to="+f.pe2019, nil, nil).Decode(t, &cmp)
	if s := cmp.Summary; s["improved"] != 1 || s["regressed"] != 1 || s["added"] != 1 || s["removed"] != 1 {
		t.Errorf("backwards: %v", s)
	}

	if fe := mgiRefused(t, env, http.MethodGet, admin, "/v1/mgi-assessments/comparison?from="+f.pe2019+"&to="+f.cl, nil, nil,
		http.StatusUnprocessableEntity); fe["query.to"] == "" {
		t.Errorf("two countries: %v", fe)
	}
	mgiRefused(t, env, http.MethodGet, admin, "/v1/mgi-assessments/comparison?from="+f.pe2019+"&to=0190aaaa-0000-7000-8000-000000000000", nil, nil,
		http.StatusNotFound)
	mgiRefused(t, env, http.MethodGet, admin, "/v1/mgi-assessments/comparison?from="+f.pe2019, nil, nil, http.StatusBadRequest)
}
