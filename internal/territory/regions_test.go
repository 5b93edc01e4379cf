package territory_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/territory"
)

type terrRegion struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	RoundTables   int    `json:"round_tables"`
	ServicePoints int    `json:"service_points"`
}

// GET /v1/regions: Peru's 25 regions by code with their official names, each with its active
// regional round tables and active service points, counted in one statement; any caller reads it.
func TestTerritoryRegions(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env := f.env
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	regions := func() []terrRegion {
		t.Helper()
		res := env.Send(t, http.MethodGet, viewer, "/v1/regions", nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("regions: %d %s", res.Status, res.Body)
		}
		var out struct {
			Items []terrRegion `json:"items"`
		}
		res.Decode(t, &out)
		return out.Items
	}
	got := regions()
	if len(got) != 25 {
		t.Fatalf("%d regions", len(got))
	}
	for i, r := range got {
		if r.Code != fmt.Sprintf("%02d", i+1) || r.Name == "" || r.RoundTables != 0 || r.ServicePoints != 0 {
			t.Errorf("region %d: %+v", i+1, r)
		}
	}
	for code, name := range map[string]string{"01": "Amazonas", "02": "Áncash", "07": "Callao", "08": "Cusco", "10": "Huánuco",
		"13": "La Libertad", "15": "Lima", "17": "Madre de Dios", "22": "San Martín", "25": "Ucayali"} {
		n, _ := strconv.Atoi(code)
		if got[n-1].Name != name {
			t.Errorf("region %s is %q, want %q", code, got[n-1].Name, name)
		}
	}

	// Round tables (coordination bodies, another area's records, stored straight in their table)
	// and service points: only active ones count.
	conn := env.DB.Conn(context.Background())
	for _, b := range []struct {
		code, kind, status string
		region             *string
		archived           bool
	}{
		{"MR-CUSCO", "regional_round_table", "active", new("08"), false},
		{"MR-CUSCO-OLD", "regional_round_table", "dissolved", new("08"), false},
		{"MR-CUSCO-PAUSED", "regional_round_table", "inactive", new("08"), false},
		{"MR-AREQUIPA", "regional_round_table", "active", new("04"), true},
		{"MR-PUNO", "regional_round_table", "active", new("21"), false},
		{"MR-TACNA", "regional_round_table", "active", new("23"), false},
		{"MR-TACNA-2", "regional_round_table", "active", new("23"), false},
		{"WG-CUSCO", "working_group", "active", new("08"), false}, // tied to a region, but not a round table
		{"MTIGM", "commission", "active", nil, false},
	} {
		if err := conn.Exec(`INSERT INTO coordination_bodies (id, code, name_es, kind, status, region, archived_at)
			VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)`, uuid.New(), b.code, "Mesa "+b.code, b.kind, b.status, b.region, b.archived).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []struct{ service, region, channel string }{
		{"SRV-RETURN", "08", "in_person_peru"}, {"SRV-SAFE", "08", "in_person_peru"}, {"SRV-FAIR", "08", "online"},
		{"SRV-RETURN", "12", "in_person_peru"}, {"SRV-FAIR", "04", "phone"},
	} {
		apitest.Create[terrPoint](t, env, f.admin, "/v1/service-points", terrBody(f.svc[p.service], p.region, f.ode, p.channel))
	}
	gone := apitest.Create[terrPoint](t, env, f.admin, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "12", f.ode, "phone"))
	if res := env.Send(t, http.MethodDelete, f.admin, "/v1/service-points/"+gone.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	want := map[string][2]int{"08": {1, 3}, "04": {0, 1}, "12": {0, 1}, "21": {1, 0}, "23": {2, 0}}
	for _, r := range regions() {
		if w := want[r.Code]; r.RoundTables != w[0] || r.ServicePoints != w[1] {
			t.Errorf("region %s: %d round tables, %d service points; want %v", r.Code, r.RoundTables, r.ServicePoints, w)
		}
	}

	// One statement, whatever the data.
	h := territory.NewHandlers(env.DB, env.App.Institutions)
	q := env.DB.Queries()
	counts, err := h.CountRegions(context.Background())
	if err != nil || len(counts) != 25 {
		t.Fatalf("count regions: %v %v", counts, err)
	}
	if n := env.DB.Queries() - q; n != 1 {
		t.Errorf("counting regions took %d statements", n)
	}
	apitest.Problem(t, env.Send(t, http.MethodGet, "", "/v1/regions", nil, nil), http.StatusUnauthorized)
}
