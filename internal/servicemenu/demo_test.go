package servicemenu_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap loads the demo menu of services through the menu, all marked
// demo and saying so, linked to the demo mandate functions, legal instruments and providers by
// code, and to the demo consultation inputs the events demo data holds; the coverage view shows
// exactly the two services no active function delivers.
func TestServiceDemoMenu(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	ctx := context.Background()
	if err := env.App.Bootstrap(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	conn := env.DB.Conn(ctx)

	if n := env.Count(t, "services", "true"); n != int64(len(demo.MenuServices)) {
		t.Fatalf("%d services, want %d", n, len(demo.MenuServices))
	}
	if n := env.Count(t, "services", `NOT demo OR description_en NOT LIKE '%' || ? OR description_es NOT LIKE '%' || ?`,
		demo.ServiceDemoNoteEN, demo.ServiceDemoNoteES); n != 0 {
		t.Errorf("%d services are not demo or do not say so", n)
	}
	if n := env.Count(t, "audit_events", "action = 'service.create'"); n != int64(len(demo.MenuServices)) {
		t.Errorf("%d service.create audit events, want %d", n, len(demo.MenuServices))
	}

	inputs := 0
	for _, d := range demo.MenuServices {
		var got struct {
			Provider    *string
			Functions   pq.StringArray `gorm:"type:text[]"`
			Instruments pq.StringArray `gorm:"type:text[]"`
			Inputs      pq.StringArray `gorm:"type:text[]"`
			Status      string
		}
		if err := conn.Raw(`SELECT (SELECT code FROM institutions WHERE id = s.provider_id) AS provider,
				ARRAY(SELECT f.code FROM unnest(s.function_ids) WITH ORDINALITY u(id, n) JOIN functions f ON f.id = u.id ORDER BY n) AS functions,
				ARRAY(SELECT i.code FROM unnest(s.instrument_ids) WITH ORDINALITY u(id, n) JOIN legal_instruments i ON i.id = u.id ORDER BY n) AS instruments,
				s.input_ids::text[] AS inputs, s.status
			FROM services s WHERE s.code = ?`, d.Code).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if (got.Provider == nil) != (d.Provider == "") || (got.Provider != nil && *got.Provider != d.Provider) ||
			!slices.Equal(got.Functions, d.Functions) || !slices.Equal(got.Instruments, d.Instruments) || got.Status != d.Status {
			t.Errorf("%s: stored %+v, want provider %q functions %v instruments %v status %s", d.Code, got, d.Provider, d.Functions, d.Instruments, d.Status)
		}
		// Linked to every input of the answered (event, theme) the events demo data holds, and no other.
		var want []string
		for _, a := range d.Answers {
			var ids []string
			if err := conn.Raw(`SELECT ci.id::text FROM consultation_inputs ci JOIN events e ON e.id = ci.event_id
				WHERE e.code = ? AND ci.theme = ? ORDER BY ci.created_at, ci.id`, a.Event, a.Theme).Scan(&ids).Error; err != nil {
				t.Fatal(err)
			}
			want = append(want, ids...)
		}
		if !slices.Equal([]string(got.Inputs), want) {
			t.Errorf("%s: inputs %v, want %v", d.Code, got.Inputs, want)
		}
		inputs += len(got.Inputs)
	}
	if n := env.Count(t, "consultation_inputs", "demo"); n > 0 && inputs == 0 {
		t.Errorf("the events demo data has %d inputs, but no service answers any", n)
	}

	// The coverage view: services no active mandate function delivers.
	admin := env.AdminToken(t)
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services?has_function=false", Token: admin})
	if res.Status != http.StatusOK {
		t.Fatalf("coverage view: %d %s", res.Status, res.Body)
	}
	var page struct {
		Items []svcService `json:"items"`
	}
	res.Decode(t, &page)
	var uncovered []string
	for _, s := range page.Items {
		uncovered = append(uncovered, s.Code)
		if s.Description == nil || !strings.Contains(svcDeref(s.Description.En), "function") {
			t.Errorf("%s has no function and its description does not say why", s.Code)
		}
	}
	if !slices.Equal(uncovered, []string{"SRV-BIM-WALLET", "SRV-REMITTANCE-ADVICE"}) {
		t.Errorf("coverage view %v", uncovered)
	}
}
