package territory_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// q on service points (address and notes), in the list and its export: accents optional, words
// as prefixes, Spanish and English, with the other filters, and an empty page when nothing
// matches.
func TestTerritoryServicePointSearch(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env, admin := f.env, f.admin
	ids := map[string]string{}
	for _, p := range []struct {
		name, service, region string
		provider              uuid.UUID
		channel               string
		address, notes        string
	}{
		{"return-cusco", "SRV-RETURN", "08", f.ode, "in_person_peru", "Av. El Sol 123, Cusco", "Atención en la Oficina Desconcentrada, previa cita"},
		{"return-junin", "SRV-RETURN", "12", f.gore, "in_person_peru", "Jr. Ayacucho 456, Huancayo", "Atención sin cita"},
		{"safe-lima", "SRV-SAFE", "15", f.gore, "online", "", "Guidance by video call"},
		{"fair-amazonas", "SRV-FAIR", "01", f.gore, "phone", "", ""},
	} {
		body := terrBody(f.svc[p.service], p.region, p.provider, p.channel)
		if p.address != "" {
			body["address"] = p.address
		}
		if p.notes != "" {
			body["notes"] = p.notes
		}
		ids[apitest.Create[terrPoint](t, env, admin, "/v1/service-points", body).ID] = p.name
	}
	names := func(got []string) []string {
		out := []string{}
		for _, id := range got {
			out = append(out, ids[id])
		}
		slices.Sort(out)
		return out
	}
	for query, want := range map[string][]string{
		"q=atencion":           {"return-cusco", "return-junin"},
		"q=ATENCI%C3%93N":      {"return-cusco", "return-junin"},
		"q=atencion&region=12": {"return-junin"},
		"q=atencion&provider_id=" + f.ode.String():   {"return-cusco"},
		"q=atencion&channel=online":                  {},
		"q=atencion%20cita&region=08":                {"return-cusco"},
		"q=huanc":                                    {"return-junin"},
		"q=cusco":                                    {"return-cusco"},
		"q=desconcentr":                              {"return-cusco"},
		"q=video%20calls":                            {"safe-lima"},
		"q=guidance&service_id=" + f.svc["SRV-SAFE"]: {"safe-lima"},
		"q=guidance&service_id=" + f.svc["SRV-FAIR"]: {},
		"q=inexistente":                              {},
		"q=%21%21%21":                                {"fair-amazonas", "return-cusco", "return-junin", "safe-lima"},
	} {
		if got := names(env.OnePage(t, admin, "id", "/v1/service-points?"+query)); !slices.Equal(got, want) {
			t.Errorf("?%s: %v, want %v", query, got, want)
		}
	}
	if items, ok := env.Send(t, http.MethodGet, admin, "/v1/service-points?q=inexistente", nil, nil).JSON(t)["items"].([]any); !ok || len(items) != 0 {
		t.Errorf("no match: items %v", items)
	}
	// Paging through the matches keeps to them, in each order.
	for _, order := range []string{"region", "-region", "created_at", "-created_at"} {
		pages := env.Pages(t, admin, "id", "/v1/service-points?q=atencion&page_size=1&order_by="+order)
		if len(pages) != 2 || !slices.Equal(names(slices.Concat(pages...)), []string{"return-cusco", "return-junin"}) {
			t.Errorf("order %s: pages %v", order, pages)
		}
	}

	// The export takes q as the list does.
	export := func(query string) []string {
		t.Helper()
		return names(apitest.Strings(t, apitest.NDJSONRecords(t, env.Export(t, admin, "service-points", query)), "id"))
	}
	for query, want := range map[string][]string{
		"q=atencion":           {"return-cusco", "return-junin"},
		"q=atencion&region=08": {"return-cusco"},
		"q=video":              {"safe-lima"},
		"q=inexistente":        {},
	} {
		if got := export(query); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	if _, rows := apitest.CSVRecords(t, env.Export(t, admin, "service-points", "format=csv&q=huancayo")); len(rows) != 1 ||
		rows[0]["address"] != "Jr. Ayacucho 456, Huancayo" {
		t.Errorf("CSV export ?q=huancayo: %v", rows)
	}
}
