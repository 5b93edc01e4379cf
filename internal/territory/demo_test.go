package territory_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap loads the demo service points through their service (audited,
// by the system), every one marked demo and saying so, of demo menu services, provided by MRE
// regional offices and regional governments that exist (created, marked demo, when the demo data
// had none); the regions view and the services' region filter show them.
func TestTerritoryDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	if err := env.App.Bootstrap(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	admin := env.AdminToken(t)
	n := int64(len(demo.TerritoryPoints))
	if got := env.Count(t, "service_points", "true"); got != n || n < 8 {
		t.Fatalf("%d service points, want %d", got, n)
	}
	if got := env.Count(t, "service_points", "NOT demo OR notes IS DISTINCT FROM ?", demo.TerritoryDemoNote); got != 0 {
		t.Errorf("%d service points are not demo or do not say so", got)
	}
	if got := env.Count(t, "audit_events", "action = 'service_point.create' AND actor_kind = 'system'"); got != n {
		t.Errorf("%d service_point.create audit events by the system, want %d", got, n)
	}
	perRegion := map[string]int{}
	for _, p := range demo.TerritoryPoints {
		perRegion[p.Region]++
		if got := env.Count(t, "service_points", `region = ? AND channel = ?
			AND service_id = (SELECT id FROM services WHERE code = ? AND demo)
			AND provider_id = (SELECT id FROM institutions WHERE code = ?)`, p.Region, p.Channel, p.Service, p.Provider); got != 1 {
			t.Errorf("point %+v stored %d times", p, got)
		}
	}
	if len(perRegion) < 5 {
		t.Errorf("points in %d regions, want several", len(perRegion))
	}
	// The providers exist, regional, and those not in the demo institutions are demo and say so.
	for _, d := range demo.TerritoryInstitutions {
		listed := slices.ContainsFunc(demo.Institutions, func(i demo.Institution) bool { return i.Code == d.Code })
		if got := env.Count(t, "institutions", `code = ? AND (? OR (demo AND tier = 'regional' AND description_en LIKE 'Demo:%'))`, d.Code, listed); got != 1 {
			t.Errorf("provider %s: %d", d.Code, got)
		}
		if d.Parent != "" && env.Count(t, "institutions", "code = ? AND parent_id = (SELECT id FROM institutions WHERE code = ?)", d.Code, d.Parent) != 1 {
			t.Errorf("provider %s is not below %s", d.Code, d.Parent)
		}
	}

	// The regions view counts them; the menu finds services by region.
	var regions struct {
		Items []terrRegion `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/regions", nil, nil).Decode(t, &regions)
	for _, r := range regions.Items {
		if r.ServicePoints != perRegion[r.Code] {
			t.Errorf("region %s shows %d service points, want %d", r.Code, r.ServicePoints, perRegion[r.Code])
		}
		// Whatever round tables the coordination demo data holds.
		if want := env.Count(t, "coordination_bodies", `region = ? AND kind = 'regional_round_table' AND status = 'active'
			AND archived_at IS NULL`, r.Code); int64(r.RoundTables) != want {
			t.Errorf("region %s shows %d round tables, want %d", r.Code, r.RoundTables, want)
		}
	}
	var services struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/services?region=08", nil, nil).Decode(t, &services)
	var codes []string
	for _, s := range services.Items {
		codes = append(codes, s.Code)
	}
	var want []string
	for _, p := range demo.TerritoryPoints {
		if p.Region == "08" && !slices.Contains(want, p.Service) {
			want = append(want, p.Service)
		}
	}
	slices.Sort(want)
	if !slices.Equal(codes, want) || len(want) == 0 {
		t.Errorf("services in Cusco: %v, want %v", codes, want)
	}
}
