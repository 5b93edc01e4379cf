package events_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap loads a peer-learning workshop and two diaspora consultations
// with their inputs, all marked demo and saying so, through the services (so audited), and links
// the workshop only to practices that exist.
func TestEventDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	var out bytes.Buffer
	if err := env.App.Bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct{ code, typ string }{
		{"PE-TALLER-PARES-2023", "peer_learning_workshop"},
		{"PE-CONSULTA-2023-01", "diaspora_consultation"},
		{"PE-CONSULTA-2023-02", "diaspora_consultation"},
	} {
		if n := env.Count(t, "events", `code = ? AND type = ? AND demo AND version = 1 AND title_es <> '' AND title_en <> ''
			AND notes_en LIKE 'Demo data: %' AND notes_es LIKE 'Datos de demostración: %' AND participants IS NOT NULL
			AND organiser_id = (SELECT id FROM institutions WHERE code = 'PE-MRE-DGPCA-ASN')
			AND (online OR (place IS NOT NULL AND country IS NOT NULL))`, e.code, e.typ); n != 1 {
			t.Errorf("no demo event %s (%s)", e.code, e.typ)
		}
	}
	if n := env.Count(t, "events", "true"); n != int64(len(demo.Events)) {
		t.Errorf("%d events, want %d", n, len(demo.Events))
	}
	// Two consultations with a handful of inputs each, all demo, none supported by anyone.
	for _, code := range []string{"PE-CONSULTA-2023-01", "PE-CONSULTA-2023-02"} {
		if n := env.Count(t, "consultation_inputs", `event_id = (SELECT id FROM events WHERE code = ?) AND demo AND support = 0
			AND statement_es <> '' AND statement_en <> '' AND theme IS NOT NULL AND cardinality(countries) > 0`, code); n < 3 {
			t.Errorf("%s has %d demo inputs", code, n)
		}
	}
	if n := env.Count(t, "consultation_inputs", "NOT demo"); n != 0 || env.Count(t, "consultation_inputs", "true") != int64(len(demo.EventInputs)) {
		t.Errorf("inputs: %d not demo", n)
	}
	// The workshop presents only practices that exist and are active.
	if n := env.Count(t, "events", `cardinality(practice_ids) <> (SELECT count(*) FROM practices p
		WHERE p.id = ANY (events.practice_ids) AND p.archived_at IS NULL)`); n != 0 {
		t.Errorf("%d events link practices that do not exist", n)
	}
	if n := env.Count(t, "audit_events", "action IN ('event.create', 'consultation_input.create') AND actor_kind = 'system'"); n != int64(len(demo.Events)+len(demo.EventInputs)) {
		t.Errorf("%d audit events for the demo events and inputs", n)
	}
	// The API serves them as the contract says (apitest checks every response against it).
	admin := env.AdminToken(t)
	for _, path := range []string{"/v1/events?page_size=500", "/v1/consultation-inputs?page_size=500&order_by=-times_raised",
		"/v1/consultation-inputs?answered=false"} {
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: admin}); res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", path, res.Status, res.Body)
		}
	}
}
