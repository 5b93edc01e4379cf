package practices_test

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/paging"
)

// prcLibrary creates a small library: five published practices, a draft (F6) and an archived one
// (F7). It returns the ids by code and the MRE's id.
func prcLibrary(t *testing.T, env *apitest.Env, admin string) (map[string]string, string) {
	t.Helper()
	mre := prcInstitution(t, env, "PE-MRE", nil).String()
	iom := prcInstitution(t, env, "INT-IOM", nil).String()
	csm := prcInstitution(t, env, "INT-CSM", nil).String()
	ids := prcSeed(t, env, admin, map[string]map[string]any{
		"F1": {"title": es("Mesa migratoria"), "type": "institutional_framework", "themes": []string{"coordination", "governance"},
			"gcm_objectives": []int{1, 23}, "migof": []string{"whole_of_government"}, "sdg_targets": []string{"10.7"},
			"transferability": map[string]any{"level": "high"}, "institution_id": mre, "partner_ids": []string{iom}},
		"F2": {"title": es("Billetera móvil migrante"), "type": "remittance_investment_channel",
			"themes": []string{"remittances", "financial-inclusion"}, "gcm_objectives": []int{20},
			"migof": []string{"wellbeing_of_migrants"}, "sdg_targets": []string{"10.c"}, "transferability": map[string]any{"level": "medium"}},
		"F3": {"title": es("Ley de reinserción del migrante retornado"), "type": "return_reintegration", "themes": []string{"returnees"},
			"gcm_objectives": []int{21}, "transferability": map[string]any{"level": "high"}, "institution_id": mre},
		"F4": {"title": es("Conferencia Suramericana sobre Migraciones"), "scope": "regional", "country": nil,
			"type": "institutional_framework", "themes": []string{"coordination"}, "gcm_objectives": []int{1, 7},
			"migof": []string{"partnerships"}, "institution_id": csm, "partner_ids": []string{mre}},
		"F5": {"title": es("Consejo de chilenos en el exterior"), "country": "CL", "type": "consultation_mechanism",
			"themes": []string{"coordination", "diaspora"}, "gcm_objectives": []int{19}, "transferability": map[string]any{"level": "low"}},
	})
	ids["F6"] = prcCreate(t, env, admin, map[string]any{"code": "F6", "title": es("Mapeo migrante"), "scope": "national", "country": "MX",
		"type": "diaspora_mapping", "themes": []string{"diaspora"}, "gcm_objectives": []int{1, 19}}).ID
	ids["F7"] = prcCreate(t, env, admin, map[string]any{"code": "F7", "title": es("Antigua mesa"), "scope": "national", "country": "PE",
		"type": "institutional_framework", "themes": []string{"coordination"}, "gcm_objectives": []int{1}}).ID
	if res := prcDelete(t, env, admin, ids["F7"], nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive F7: %d", res.Status)
	}
	return ids, mre
}

func prcF(kv ...any) []prcFacet {
	out := []prcFacet{}
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, prcFacet{Value: kv[i].(string), Count: int64(kv[i+1].(int))})
	}
	return out
}

func TestPracticeFacets(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	prcLibrary(t, env, admin)
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})

	for _, c := range []struct {
		name  string
		token string
		query url.Values
		want  map[string][]prcFacet
	}{
		{"everything", admin, prcQuery("facets", "country,type,gcm_objective,theme"), map[string][]prcFacet{
			"country":       prcF("PE", 3, "CL", 1, "MX", 1),
			"type":          prcF("institutional_framework", 2, "consultation_mechanism", 1, "diaspora_mapping", 1, "remittance_investment_channel", 1, "return_reintegration", 1),
			"gcm_objective": prcF("1", 3, "19", 2, "7", 1, "20", 1, "21", 1, "23", 1),
			"theme":         prcF("coordination", 3, "diaspora", 2, "financial-inclusion", 1, "governance", 1, "remittances", 1, "returnees", 1),
		}},
		// Counts follow q and the filters, not the page.
		{"search and country", admin, prcQuery("q", "migra", "country", "PE", "facets", "country,type,gcm_objective", "page_size", "1"), map[string][]prcFacet{
			"country":       prcF("PE", 3),
			"type":          prcF("institutional_framework", 1, "remittance_investment_channel", 1, "return_reintegration", 1),
			"gcm_objective": prcF("1", 1, "20", 1, "21", 1, "23", 1),
		}},
		{"search", admin, prcQuery("q", "migrante", "facets", "country"), map[string][]prcFacet{
			"country": prcF("PE", 2, "MX", 1),
		}},
		// Viewers count only what they see.
		{"viewer", viewer, prcQuery("facets", "country,gcm_objective"), map[string][]prcFacet{
			"country":       prcF("PE", 3, "CL", 1),
			"gcm_objective": prcF("1", 2, "7", 1, "19", 1, "20", 1, "21", 1, "23", 1),
		}},
		{"two filters", admin, prcQuery("theme", "coordination", "gcm_objective", "19", "facets", "type"), map[string][]prcFacet{
			"type": prcF("consultation_mechanism", 1),
		}},
		{"archived included", admin, prcQuery("include_archived", "true", "gcm_objective", "1", "facets", "gcm_objective"), map[string][]prcFacet{
			"gcm_objective": prcF("1", 4, "7", 1, "19", 1, "23", 1),
		}},
		{"the other facets", admin, prcQuery("facets", "scope,migof,transferability,status"), map[string][]prcFacet{
			"scope":           prcF("national", 5, "regional", 1),
			"migof":           prcF("partnerships", 1, "wellbeing_of_migrants", 1, "whole_of_government", 1),
			"transferability": prcF("high", 2, "low", 1, "medium", 1),
			"status":          prcF("published", 5, "draft", 1),
		}},
		{"nothing matches", admin, prcQuery("q", "zzzz", "facets", "country,theme"), map[string][]prcFacet{
			"country": {}, "theme": {},
		}},
	} {
		page := prcList(t, env, c.token, c.query)
		if !reflect.DeepEqual(page.Facets, c.want) {
			t.Errorf("%s: facets %v, want %v", c.name, page.Facets, c.want)
		}
	}
	// No facets asked, none given.
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices", Token: admin})
	if _, ok := res.JSON(t)["facets"]; ok {
		t.Errorf("facets without asking: %s", res.Body)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?facets=colour", Token: admin}), http.StatusBadRequest)
}

func TestPracticeFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ids, mre := prcLibrary(t, env, admin)
	for _, c := range []struct {
		query url.Values
		want  []string
	}{
		{nil, []string{"F1", "F2", "F3", "F4", "F5", "F6"}},
		{prcQuery("country", "PE"), []string{"F1", "F2", "F3"}},
		{prcQuery("country", "PE", "country", "CL"), []string{"F1", "F2", "F3", "F5"}},
		{prcQuery("scope", "regional"), []string{"F4"}},
		{prcQuery("type", "institutional_framework"), []string{"F1", "F4"}},
		{prcQuery("type", "diaspora_mapping", "type", "consultation_mechanism"), []string{"F5", "F6"}},
		{prcQuery("theme", "diaspora"), []string{"F5", "F6"}},
		{prcQuery("theme", "returnees", "theme", "remittances"), []string{"F2", "F3"}},
		{prcQuery("migof", "partnerships"), []string{"F4"}},
		{prcQuery("gcm_objective", "19"), []string{"F5", "F6"}},
		{prcQuery("gcm_objective", "20", "gcm_objective", "21"), []string{"F2", "F3"}},
		{prcQuery("sdg_target", "10.7"), []string{"F1"}},
		{prcQuery("transferability", "high"), []string{"F1", "F3"}},
		{prcQuery("status", "draft"), []string{"F6"}},
		{prcQuery("status", "published", "country", "MX"), []string{}},
		{prcQuery("institution_id", mre), []string{"F1", "F3", "F4"}},
		{prcQuery("code", "F1", "code", "F5"), []string{"F1", "F5"}},
		{prcQuery("include_archived", "true", "country", "PE"), []string{"F1", "F2", "F3", "F7"}},
		{prcQuery("q", "mesa", "include_archived", "true", "order_by", "code"), []string{"F1", "F7"}},
		{prcQuery("order_by", "-code", "country", "PE"), []string{"F3", "F2", "F1"}},
		{prcQuery("order_by", "created_at", "theme", "coordination"), []string{"F1", "F4", "F5"}},
		{prcQuery("order_by", "-created_at", "theme", "coordination"), []string{"F5", "F4", "F1"}},
	} {
		if got := prcCodes(t, env, admin, c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query.Encode(), got, c.want)
		}
	}
	// Every order, walked two by two, gives its one-page order.
	for _, o := range []string{"code", "-code", "created_at", "-created_at", "updated_at", "-updated_at"} {
		one := prcCodes(t, env, admin, prcQuery("order_by", o))
		pages := prcPages(t, env, admin, prcQuery("order_by", o, "page_size", "2"))
		if len(pages) != 3 || !slices.Equal(slices.Concat(pages...), one) || len(one) != 6 {
			t.Errorf("order %s: pages %v, one page %v", o, pages, one)
		}
	}
	// Editing a practice moves it last in updated_at order.
	if res := prcPatch(t, env, admin, ids["F2"], map[string]any{"themes": []string{"remittances"}}, nil); res.Status != http.StatusOK {
		t.Fatalf("patch: %d", res.Status)
	}
	if got := prcCodes(t, env, admin, prcQuery("order_by", "updated_at")); got[len(got)-1] != "F2" {
		t.Errorf("updated_at order after an edit: %v", got)
	}
	// Bad filters and tokens are 400s.
	first := prcList(t, env, admin, prcQuery("order_by", "code", "page_size", "2"))
	// Tokens carry a sort key of the order's type; a forged one is refused, not sent to the database.
	forged := func(kind string, key any) string {
		return url.QueryEscape(paging.Encode(kind, map[string]any{"v": key, "i": uuid.NewString()}))
	}
	for _, q := range []string{"country=pe", "gcm_objective=24", "type=best", "institution_id=nope", "order_by=title",
		"page_token=garbage", "order_by=created_at&page_token=" + first.Next, "q=", "page_size=501",
		"order_by=created_at&page_token=" + forged("practices:created_at", "yesterday"),
		"order_by=code&page_token=" + forged("practices:code", 3.5),
		"order_by=code&page_token=" + forged("practices:code", map[string]any{"x": 1}),
		"q=mesa&page_token=" + forged("practices:relevance", 0.5)} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?" + q, Token: admin}), http.StatusBadRequest)
	}
}
