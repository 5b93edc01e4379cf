package mgi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// q on assessments (code, title, notes) and answers (note), in the lists and their exports:
// accents optional, words as prefixes, with the other filters, and an empty page when nothing
// matches.
func TestMGISearch(t *testing.T) {
	t.Parallel()
	f := mgiSetup(t)
	env, admin := f.env, f.admin

	for id, patch := range map[string]map[string]any{
		f.pe2019: {"title": map[string]any{"es": "Indicadores de Gobernanza de la Migración: Perú", "en": "MGI Peru 2019"}},
		f.pe2023: {"notes": map[string]any{"es": "Protección consular", "en": "Detention as a last resort"}},
		f.cl:     {"notes": map[string]any{"es": "Protección de la niñez"}},
	} {
		if res := env.Send(t, http.MethodPatch, admin, "/v1/mgi-assessments/"+id, patch, nil); res.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
	}
	assessments := func(query string) []string {
		t.Helper()
		out := []string{}
		for _, it := range mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?"+query).Items {
			out = append(out, it.Code)
		}
		return out
	}
	for query, want := range map[string][]string{
		"q=migracion":                 {"PE-2019"},
		"q=MIGRACI%C3%93N":            {"PE-2019"},
		"q=gobern%20peru":             {"PE-2019"},
		"q=detention":                 {"PE-2023"},
		"q=proteccion":                {"CL-2018", "PE-2023"},
		"q=proteccion&country=PE":     {"PE-2023"},
		"q=proteccion&year=2018":      {"CL-2018"},
		"q=proteccion&order_by=-year": {"PE-2023", "CL-2018"},
		// A code's letters are words; its "-2018" is one signed number to PostgreSQL's parser.
		"q=cl":                               {"CL-2018"},
		"q=proteccion%20nin":                 {"CL-2018"},
		"q=migracion&country=CL":             {},
		"q=inexistente":                      {},
		"q=%21%21%21":                        {"CL-2018", "PE-2019", "PE-2023"}, // no words: no condition
		"q=proteccion&page_size=1":           {"CL-2018"},
		"q=proteccion&code=PE-2023":          {"PE-2023"},
		"q=proteccion&code=PE-2019":          {},
		"q=proteccion&include_archived=true": {"CL-2018", "PE-2023"},
	} {
		if got := assessments(query); !slices.Equal(got, want) {
			t.Errorf("assessments ?%s: %v, want %v", query, got, want)
		}
	}
	if items, ok := env.Send(t, http.MethodGet, admin, "/v1/mgi-assessments?q=inexistente", nil, nil).JSON(t)["items"].([]any); !ok || len(items) != 0 {
		t.Errorf("no match: items %v", items)
	}
	// Paging through the matches keeps to them.
	p1 := mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?q=proteccion&page_size=1")
	p2 := mgiGet[apitest.Page[mgiAssessment]](t, env, admin, "/v1/mgi-assessments?q=proteccion&page_size=1&page_token="+p1.NextPageToken)
	if len(p1.Items) != 1 || len(p2.Items) != 1 || p2.Items[0].Code != "PE-2023" || p2.NextPageToken != "" {
		t.Errorf("paging the matches: %+v then %+v", p1, p2)
	}

	ids := map[string]string{}
	for _, a := range []struct{ name, assessment, indicator, value, lang, note string }{
		{"2019-health", f.pe2019, "MR.HEALTH", "complete", "es", "Decreto Legislativo 1350, artículo 9"},
		{"2019-work", f.pe2019, "MR.WORK", "partial", "en", "Work permits for foreigners"},
		{"2023-health", f.pe2023, "MR.HEALTH", "complete", "es", "Decreto Supremo 007-2017"},
		{"2023-work", f.pe2023, "MR.WORK", "complete", "es", "Migración laboral regulada"},
		{"2023-private", f.pe2023, "PA.PRIVATE-SECTOR", "absent", "", ""},
	} {
		body := map[string]any{"assessment_id": a.assessment, "indicator_id": f.ind[a.indicator], "answer": a.value}
		if a.note != "" {
			body["note"] = map[string]any{a.lang: a.note}
		}
		ids[apitest.Create[mgiAnswer](t, env, admin, "/v1/mgi-answers", body).ID] = a.name
	}
	names := func(got []string) []string {
		out := []string{}
		for _, id := range got {
			out = append(out, ids[id])
		}
		slices.Sort(out)
		return out
	}
	answers := func(query string) []string {
		t.Helper()
		var got []string
		for _, it := range mgiGet[apitest.Page[mgiAnswer]](t, env, admin, "/v1/mgi-answers?"+query).Items {
			got = append(got, it.ID)
		}
		return names(got)
	}
	for query, want := range map[string][]string{
		"q=migracion":                                {"2023-work"},
		"q=articulo":                                 {"2019-health"},
		"q=decreto":                                  {"2019-health", "2023-health"},
		"q=decreto&assessment_id=" + f.pe2023:        {"2023-health"},
		"q=decreto&domain=partnerships":              {},
		"q=decreto&answer=complete":                  {"2019-health", "2023-health"},
		"q=decreto&indicator_id=" + f.ind["MR.WORK"]: {},
		"q=permit":                                   {"2019-work"},
		"q=foreigner":                                {"2019-work"},
		"q=laboral%20regul":                          {"2023-work"},
		"q=inexistente":                              {},
	} {
		if got := answers(query); !slices.Equal(got, want) {
			t.Errorf("answers ?%s: %v, want %v", query, got, want)
		}
	}

	// The exports take q as the lists do.
	if got := apitest.Codes(t, env.Export(t, admin, "mgi-assessments", "q=migracion")); !slices.Equal(got, []string{"PE-2019"}) {
		t.Errorf("assessments export ?q=migracion: %v", got)
	}
	if got := apitest.Codes(t, env.Export(t, admin, "mgi-assessments", "q=proteccion&country=CL")); !slices.Equal(got, []string{"CL-2018"}) {
		t.Errorf("assessments export ?q=proteccion&country=CL: %v", got)
	}
	if got := apitest.Codes(t, env.Export(t, admin, "mgi-assessments", "q=inexistente")); len(got) != 0 {
		t.Errorf("assessments export ?q=inexistente: %v", got)
	}
	if _, rows := apitest.CSVRecords(t, env.Export(t, admin, "mgi-assessments", "format=csv&q=detention")); len(rows) != 1 || rows[0]["code"] != "PE-2023" {
		t.Errorf("assessments CSV export ?q=detention: %v", rows)
	}
	export := func(query string) []string {
		t.Helper()
		return names(apitest.Strings(t, apitest.NDJSONRecords(t, env.Export(t, admin, "mgi-answers", query)), "id"))
	}
	for query, want := range map[string][]string{
		"q=decreto":                           {"2019-health", "2023-health"},
		"q=decreto&assessment_id=" + f.pe2019: {"2019-health"},
		"q=migracion":                         {"2023-work"},
		"q=inexistente":                       {},
	} {
		if got := export(query); !slices.Equal(got, want) {
			t.Errorf("answers export ?%s: %v, want %v", query, got, want)
		}
	}
}
