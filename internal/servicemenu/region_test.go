package servicemenu_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// A service can be found by region: `region` keeps the services with an active (not archived)
// service point in any of the regions given, on the list and its export alike, and combines with
// the other filters.
func TestServiceListByRegion(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ode := svcUnit(t, env, "PE-MRE-ODE-CUSCO", nil)
	ids := map[string]string{}
	for _, code := range []string{"SRV-RETURN", "SRV-SAFE", "SRV-FAIR", "SRV-NOWHERE"} {
		ids[code] = svcCreate(t, env, admin, svcBody(code, "existing")).ID
	}
	// Service points are another area's records; stored straight in their table here.
	for _, p := range []struct {
		service, region, channel string
		archived                 bool
	}{
		{"SRV-RETURN", "08", "in_person_peru", false},
		{"SRV-RETURN", "04", "in_person_peru", false},
		{"SRV-RETURN", "04", "phone", false}, // two points in one region: the service once
		{"SRV-SAFE", "21", "in_person_peru", false},
		{"SRV-FAIR", "08", "in_person_peru", false},
		{"SRV-FAIR", "15", "in_person_peru", true}, // archived: no longer delivered in Lima
	} {
		if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO service_points
			(id, service_id, region, provider_id, channel, archived_at) VALUES (?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)`,
			uuid.New(), ids[p.service], p.region, ode, p.channel, p.archived).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := env.DB.Conn(context.Background()).Exec(`UPDATE services SET status = 'proposed' WHERE code = 'SRV-SAFE'`).Error; err != nil {
		t.Fatal(err)
	}

	for query, want := range map[string][]string{
		"region=08":                           {"SRV-FAIR", "SRV-RETURN"},
		"region=04":                           {"SRV-RETURN"},
		"region=04&region=21":                 {"SRV-RETURN", "SRV-SAFE"},
		"region=15":                           {},
		"region=01":                           {},
		"region=08&region=21&status=existing": {"SRV-FAIR", "SRV-RETURN"},
		"region=08&code=SRV-FAIR":             {"SRV-FAIR"},
		"region=08&order_by=-code":            {"SRV-RETURN", "SRV-FAIR"},
		"":                                    {"SRV-FAIR", "SRV-NOWHERE", "SRV-RETURN", "SRV-SAFE"},
	} {
		if got := env.OnePage(t, admin, "code", "/v1/services?"+query); !slices.Equal(got, want) {
			t.Errorf("?%s: %v, want %v", query, got, want)
		}
		if got := apitest.Codes(t, env.Export(t, admin, "services", query)); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	// Paging through a region's services: two pages of one, no repeats.
	if pages := env.Pages(t, admin, "code", "/v1/services?region=08&page_size=1"); len(pages) != 2 ||
		!slices.Equal(slices.Concat(pages...), []string{"SRV-FAIR", "SRV-RETURN"}) {
		t.Errorf("pages %v", pages)
	}
	// Not a region: refused by the contract, nothing listed.
	for _, bad := range []string{"region=26", "region=00", "region=Cusco", "region=8"} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services?" + bad, Token: admin}), http.StatusBadRequest)
	}
}
