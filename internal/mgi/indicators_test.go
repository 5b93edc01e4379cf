package mgi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// Indicators and assessments: create, read with ETag, merge patch under If-Match (412 when
// stale), archive, the lists' filters, accent-insensitive q, keyset paging and orders, and
// refusals that write nothing.
func TestMGIIndicatorsAndAssessments(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)

	ind := apitest.Create[mgiIndicator](t, env, admin, "/v1/mgi-indicators", map[string]any{"code": "MR.HEALTH", "domain": "migrant_rights",
		"text": map[string]any{"es": "Acceso de los migrantes a la atención de salud", "en": "Migrants' access to health care"}, "position": 102})
	if ind.Code != "MR.HEALTH" || ind.Domain != "migrant_rights" || ind.Position != 102 || ind.Demo || ind.Version != 1 {
		t.Errorf("create: %+v", ind)
	}
	apitest.Create[mgiIndicator](t, env, admin, "/v1/mgi-indicators", mgiIndicatorBody("PA.PRIVATE-SECTOR", "partnerships", "Engagement of the private sector"))
	apitest.Create[mgiIndicator](t, env, admin, "/v1/mgi-indicators", mgiIndicatorBody("CR.CONTINGENCY", "mobility_dimensions_of_crises", "Contingency plans"))
	if n := env.Count(t, "audit_events", "action = 'mgi_indicator.create' AND resource_id = ?", ind.ID); n != 1 {
		t.Errorf("%d audit events for the create", n)
	}

	// Filters, q without accents, orders, paging.
	list := func(query string) []string {
		t.Helper()
		var codes []string
		token := ""
		for {
			q := query
			if token != "" {
				q += "&page_token=" + token
			}
			p := mgiGet[apitest.Page[mgiIndicator]](t, env, admin, "/v1/mgi-indicators?page_size=1&"+q)
			for _, it := range p.Items {
				codes = append(codes, it.Code)
			}
			if token = p.NextPageToken; token == "" {
				return codes
			}
		}
	}
	if got := list(""); !slices.Equal(got, []string{"CR.CONTINGENCY", "MR.HEALTH", "PA.PRIVATE-SECTOR"}) {
		t.Errorf("by code: %v", got)
	}
	if got := list("order_by=-code"); !slices.Equal(got, []string{"PA.PRIVATE-SECTOR", "MR.HEALTH", "CR.CONTINGENCY"}) {
		t.Errorf("by -code: %v", got)
	}
	if got := list("domain=partnerships&domain=migrant_rights"); !slices.Equal(got, []string{"MR.HEALTH", "PA.PRIVATE-SECTOR"}) {
		t.Errorf("by domain: %v", got)
	}
	if got := list("q=atencion%20salud"); !slices.Equal(got, []string{"MR.HEALTH"}) {
		t.Errorf("q: %v", got)
	}
	if got := list("code=CR.CONTINGENCY"); !slices.Equal(got, []string{"CR.CONTINGENCY"}) {
		t.Errorf("code: %v", got)
	}

	// Patch under If-Match; a stale one is 412 and writes nothing.
	path := "/v1/mgi-indicators/" + ind.ID
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"position": nil, "text": map[string]any{"en": "Access to health care"}},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd mgiIndicator
	res.Decode(t, &upd)
	if upd.Position != 0 || upd.Text.Es == nil || upd.Text.En == nil || *upd.Text.En != "Access to health care" || upd.Version != 2 {
		t.Errorf("patched: %+v", upd)
	}
	mgiRefused(t, env, http.MethodPatch, admin, path, map[string]any{"position": 5}, map[string]string{"If-Match": `"1"`}, http.StatusPreconditionFailed)
	if f := mgiRefused(t, env, http.MethodPatch, admin, path, map[string]any{"code": "CR.CONTINGENCY"}, nil, http.StatusConflict); f["code"] == "" {
		t.Errorf("a taken code: %v", f)
	}

	// Refusals: a taken code (409), a bad code, domain or position (400/422), an editor (403).
	if f := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-indicators", mgiIndicatorBody("MR.HEALTH", "well_being", "Again"), nil, http.StatusConflict); f["code"] == "" {
		t.Errorf("taken code: %v", f)
	}
	mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-indicators", mgiIndicatorBody("mr.lower", "well_being", "x"), nil, http.StatusBadRequest)
	mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-indicators", mgiIndicatorBody("X", "nowhere", "x"), nil, http.StatusBadRequest)
	mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-indicators", map[string]any{"code": "X", "domain": "well_being", "text": map[string]any{}}, nil, http.StatusBadRequest)
	unit := mgiUnit(t, env, "PE-UNIT")
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	mgiRefused(t, env, http.MethodPost, editor, "/v1/mgi-indicators", mgiIndicatorBody("X", "well_being", "x"), nil, http.StatusForbidden)
	if got := mgiGet[apitest.Page[mgiIndicator]](t, env, editor, "/v1/mgi-indicators"); len(got.Items) != 3 {
		t.Errorf("an editor reads the framework: %d", len(got.Items))
	}

	// Archive: gone from the list, back with include_archived, archiving again changes nothing.
	res = env.Send(t, http.MethodDelete, admin, path, nil, map[string]string{"If-Match": `"2"`})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if got := list(""); slices.Contains(got, "MR.HEALTH") {
		t.Errorf("archived still listed: %v", got)
	}
	if got := list("include_archived=true"); !slices.Contains(got, "MR.HEALTH") {
		t.Errorf("include_archived: %v", got)
	}
	mgiRefused(t, env, http.MethodPatch, admin, path, map[string]any{"position": 1}, nil, http.StatusConflict)

	// Assessments: conventions, order by year, filters, the source reference, counts.
	src := mgiRow(t, env, "data_sources", "MGI-PROFILE")
	pe := apitest.Create[mgiAssessment](t, env, admin, "/v1/mgi-assessments", map[string]any{"code": "PE-MGI-2019", "country": "PE", "year": 2019,
		"title": map[string]any{"en": "Migration Governance Indicators: Peru, Profile 2019"}, "published_on": "2019-12-01", "source_id": src,
		"conventions": []any{
			map[string]any{"name": "ILO Convention No. 97", "ratified": false},
			map[string]any{"name": "Convention on the Rights of the Child (CRC), 1989", "ratified": true, "year": 1990},
		}, "notes": map[string]any{"es": "Notas"}})
	if pe.Country != "PE" || pe.Year != 2019 || len(pe.Conventions) != 2 || pe.Conventions[0].Year != nil || pe.Conventions[1].Year == nil ||
		*pe.Conventions[1].Year != 1990 || pe.SourceID == nil || *pe.SourceID != src.String() || pe.PublishedOn == nil ||
		*pe.PublishedOn != "2019-12-01" || pe.Answers != 0 || pe.Findings != 0 {
		t.Errorf("assessment: %+v", pe)
	}
	apitest.Create[mgiAssessment](t, env, admin, "/v1/mgi-assessments", mgiAssessmentBody("PE-MGI-2023", "PE", 2023))
	// A retried POST with the same Idempotency-Key answers the first result again.
	key := map[string]string{"Idempotency-Key": "cl-mgi-2018"}
	first := env.Send(t, http.MethodPost, admin, "/v1/mgi-assessments", mgiAssessmentBody("CL-MGI-2018", "CL", 2018), key)
	again := env.Send(t, http.MethodPost, admin, "/v1/mgi-assessments", mgiAssessmentBody("CL-MGI-2018", "CL", 2018), key)
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || again.Header.Get("Idempotent-Replayed") != "true" ||
		first.JSON(t)["id"] != again.JSON(t)["id"] || env.Count(t, "mgi_assessments", "code = 'CL-MGI-2018'") != 1 {
		t.Errorf("idempotent retry: %d %d %q", first.Status, again.Status, again.Header.Get("Idempotent-Replayed"))
	}
	codes := func(query string) []string {
		t.Helper()
		var out []string
		token := ""
		for {
			q := query
			if token != "" {
				q += "&page_token=" + token
			}
			p := mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?page_size=2&"+q)
			for _, it := range p.Items {
				out = append(out, it.Code)
			}
			if token = p.NextPageToken; token == "" {
				return out
			}
		}
	}
	if got := codes(""); !slices.Equal(got, []string{"CL-MGI-2018", "PE-MGI-2019", "PE-MGI-2023"}) {
		t.Errorf("by year: %v", got)
	}
	if got := codes("order_by=-year"); !slices.Equal(got, []string{"PE-MGI-2023", "PE-MGI-2019", "CL-MGI-2018"}) {
		t.Errorf("by -year: %v", got)
	}
	if got := codes("country=PE&order_by=-code"); !slices.Equal(got, []string{"PE-MGI-2023", "PE-MGI-2019"}) {
		t.Errorf("by country: %v", got)
	}
	if got := codes("year=2019"); !slices.Equal(got, []string{"PE-MGI-2019"}) {
		t.Errorf("by year: %v", got)
	}

	// A patch replaces the conventions table whole; null clears it.
	apath := "/v1/mgi-assessments/" + pe.ID
	res = env.Send(t, http.MethodPatch, admin, apath, map[string]any{"conventions": nil, "published_on": nil}, map[string]string{"If-Match": `"1"`})
	var pu mgiAssessment
	res.Decode(t, &pu)
	if res.Status != http.StatusOK || len(pu.Conventions) != 0 || pu.PublishedOn != nil || pu.SourceID == nil {
		t.Errorf("patch: %d %s", res.Status, res.Body)
	}

	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown country", mgiAssessmentBody("XX-1", "XX", 2019), "country"},
		{"no such source", map[string]any{"code": "PE-X", "country": "PE", "year": 2019, "title": map[string]any{"en": "x"},
			"source_id": "0190aaaa-0000-7000-8000-000000000000"}, "source_id"},
		{"a year without ratification", map[string]any{"code": "PE-X", "country": "PE", "year": 2019, "title": map[string]any{"en": "x"},
			"conventions": []any{map[string]any{"name": "C", "ratified": false, "year": 1990}}}, "conventions.0.year"},
		{"a convention twice", map[string]any{"code": "PE-X", "country": "PE", "year": 2019, "title": map[string]any{"en": "x"},
			"conventions": []any{map[string]any{"name": "C", "ratified": true}, map[string]any{"name": "C", "ratified": false}}}, "conventions.1.name"},
	} {
		if f := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-assessments", c.body, nil, http.StatusUnprocessableEntity); f[c.field] == "" {
			t.Errorf("%s: %v", c.name, f)
		}
	}
	if f := mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-assessments", mgiAssessmentBody("PE-MGI-2019", "PE", 2019), nil, http.StatusConflict); f["code"] == "" {
		t.Errorf("taken code: %v", f)
	}
	mgiRefused(t, env, http.MethodPost, admin, "/v1/mgi-assessments", mgiAssessmentBody("PE-X", "PE", 1999), nil, http.StatusBadRequest)
	mgiRefused(t, env, http.MethodGet, admin, "/v1/mgi-assessments?page_token=bogus", nil, nil, http.StatusBadRequest)
	mgiRefused(t, env, http.MethodGet, admin, "/v1/mgi-assessments/0190aaaa-0000-7000-8000-000000000000", nil, nil, http.StatusNotFound)
}
