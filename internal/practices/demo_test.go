package practices_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap loads the demo practices through the service: all demo, each
// moved through the workflow to its status (history and audit included), every assessment saying
// it is the demo's, and the MTIGM with the facts its "successful experience" sheet states.
func TestPracticeDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	var out bytes.Buffer
	if err := env.App.Bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if n := env.Count(t, "practices", "demo AND archived_at IS NULL"); n != int64(len(demo.Practices)) || env.Count(t, "practices", "true") != n {
		t.Errorf("%d demo practices, want %d, all demo", n, len(demo.Practices))
	}
	statuses := map[string]int{}
	for _, d := range demo.Practices {
		statuses[d.Status]++
		steps := slices.Index([]string{"draft", "submitted", "validated", "published"}, d.Status)
		if n := env.Count(t, "practice_transitions", "practice_id = (SELECT id FROM practices WHERE code = ?) AND actor_label = 'puente'", d.Code); n != int64(steps) {
			t.Errorf("%s: %d transitions to reach %s", d.Code, n, d.Status)
		}
		if n := env.Count(t, "practices", `code = ? AND status = ? AND transferability_rationale_en LIKE ? AND transferability_rationale_es LIKE ?
			AND jsonb_array_length(sources) > 0 AND title_es <> '' AND title_en <> ''`,
			d.Code, d.Status, demo.DemoAssessmentNote+" %", demo.DemoAssessmentNoteES+" %"); n != 1 {
			t.Errorf("%s is not stored as listed (status %s, demo assessment, sources, both titles)", d.Code, d.Status)
		}
	}
	if statuses["published"] < 3 || statuses["draft"] < 1 {
		t.Errorf("statuses %v: want published ones and a draft", statuses)
	}
	moves := env.Count(t, "practice_transitions", "true")
	if n := env.Count(t, "audit_events", "resource_type = 'practice' AND actor_kind = 'system'"); n != int64(len(demo.Practices))+moves {
		t.Errorf("%d audit events for %d demo practices and %d transitions", n, len(demo.Practices), moves)
	}
	// The MTIGM: six coordination bodies, its sessions, trainings and the Perú Contigo fair.
	if n := env.Count(t, "practices", `code = ? AND status = 'published' AND type = 'institutional_framework' AND country = 'PE'
		AND institution_id = (SELECT id FROM institutions WHERE code = 'PE-MRE')
		AND description_es LIKE '%6 instancias de coordinación%' AND description_en LIKE '%6 coordination bodies%'
		AND outcomes_es LIKE '%veintisiete (27) sesiones ordinarias%' AND outcomes_en LIKE '%143 people%'
		AND outcomes_es LIKE '%«Perú Contigo»%' AND outcomes_en LIKE '%Three thousand people%'`, demo.PracticeMTIGM); n != 1 {
		t.Errorf("the MTIGM does not say what its sheet states")
	}
	// The events demo data links its workshop to these codes.
	for _, code := range []string{demo.PracticeMTIGM, demo.PracticeBIM, demo.PracticeReturnLaw} {
		if n := env.Count(t, "practices", "code = ? AND status = 'published'", code); n != 1 {
			t.Errorf("no published demo practice %s", code)
		}
	}
	// A viewer finds them by searching without accents, and sees only the published ones.
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	page := prcList(t, env, viewer, prcQuery("q", "reinsercion migrante", "facets", "country,type,gcm_objective,theme"))
	if len(page.Items) != 1 || page.Items[0].Code != demo.PracticeReturnLaw || !strings.Contains(prcDeref(page.Items[0].Highlights.Title), "<mark>Reinserción</mark>") {
		t.Errorf("search for the return law: %+v", page.Items)
	}
	all := prcCodes(t, env, viewer, nil)
	if len(all) != statuses["published"] || slices.Contains(all, demo.PracticeFair) {
		t.Errorf("viewer lists %v", all)
	}
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?page_size=500&facets=country,scope,type,theme,migof,gcm_objective,transferability,status", Token: env.AdminToken(t)})
	if res.Status != http.StatusOK {
		t.Errorf("admin list: %d", res.Status)
	}
}
