package coordination_test

import (
	"bytes"
	"context"
	"net/url"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap loads the MTIGM as the seeds describe it: a commission created
// by the 2011 decree with its six coordination instances (and demo working groups), 22 members
// and 3 observers with the MRE presiding, the 27 ordinary, 2 extraordinary and 2 extended
// sessions of seed 004 (demo dates), a demo work plan, and round tables in 12 regions.
func TestCoordinationDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	if err := env.App.Bootstrap(context.Background(), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	e := crdEnv{Env: env, admin: env.AdminToken(t)}

	bodies, _ := e.items(t, "/v1/coordination-bodies?page_size=100&code="+demo.MTIGMCode)
	if len(bodies) != 1 {
		t.Fatalf("%d bodies %s", len(bodies), demo.MTIGMCode)
	}
	mtigm := bodies[0]
	if mtigm["kind"] != "commission" || mtigm["demo"] != false || mtigm["legal_basis_id"] == nil || mtigm["parent_id"] != nil {
		t.Errorf("the MTIGM: %v", mtigm)
	}
	if n := e.Count(t, "legal_instruments", "id = ? AND code = 'PE-DS-MTIGM-2011'", mtigm["legal_basis_id"]); n != 1 {
		t.Error("the MTIGM's legal basis is not its 2011 decree")
	}
	if mtigm["members"] != float64(demo.MTIGMMemberCount+demo.MTIGMObserverCount) {
		t.Errorf("the MTIGM counts %v current memberships", mtigm["members"])
	}
	children := e.field(t, "/v1/coordination-bodies?page_size=100&parent_id="+mtigm["id"].(string), "code")
	for _, code := range []string{demo.MTIGMPlenaryCode, demo.MTIGMPresidencyCode, demo.MTIGMSecretariatCode, "PE-MTIGM-GT-1",
		demo.MTIGMExtendedCode, "PE-MTIGM-CA-INST", "PE-MTIGM-CA-SC"} {
		if !contains(children, code) {
			t.Errorf("no %s below the MTIGM: %v", code, children)
		}
	}
	if mtigm["children"] != float64(len(children)) {
		t.Errorf("children %v, listed %d", mtigm["children"], len(children))
	}
	if subs := e.field(t, "/v1/coordination-bodies?kind=sub_group", "code"); len(subs) == 0 {
		t.Error("no sub-groups")
	}

	id := mtigm["id"].(string)
	members, _ := e.items(t, "/v1/coordination-memberships?page_size=100&role=member&body_id="+id)
	observers, _ := e.items(t, "/v1/coordination-memberships?page_size=100&role=observer&body_id="+id)
	if len(members) != demo.MTIGMMemberCount || len(observers) != demo.MTIGMObserverCount {
		t.Errorf("%d members and %d observers", len(members), len(observers))
	}
	seedBacked := 0
	for _, m := range append(members, observers...) {
		if m["demo"] == false {
			seedBacked++
		}
	}
	if seedBacked != 1 { // the seeds name only the MRE
		t.Errorf("%d memberships not marked demo", seedBacked)
	}
	if n := count(t, e, `SELECT count(*) FROM coordination_memberships m JOIN coordination_bodies b ON b.id = m.body_id
		JOIN institutions i ON i.id = m.institution_id
		WHERE b.code = ? AND i.code = 'PE-MRE' AND m.role = 'president' AND NOT m.demo`, demo.MTIGMPresidencyCode); n != 1 {
		t.Error("the MRE does not preside")
	}

	plenary := e.field(t, "/v1/coordination-bodies?code="+demo.MTIGMPlenaryCode, "id")[0]
	extended := e.field(t, "/v1/coordination-bodies?code="+demo.MTIGMExtendedCode, "id")[0]
	for _, c := range []struct {
		body, kind string
		n          int
	}{{plenary, "ordinary", 27}, {plenary, "extraordinary", 2}, {extended, "extended", 2}} {
		sessions, _ := e.items(t, "/v1/coordination-sessions?page_size=100&body_id="+c.body+"&kind="+c.kind)
		if len(sessions) != c.n {
			t.Errorf("%d %s sessions, want %d", len(sessions), c.kind, c.n)
		}
		for i, s := range sessions {
			if s["number"] != float64(i+1) || s["demo"] != true || s["present"].(float64) == 0 {
				t.Errorf("%s session %d: %v", c.kind, i+1, s)
				break
			}
		}
	}
	if n := e.Count(t, "coordination_sessions", "held_on > '2015-07-31'"); n != 0 {
		t.Errorf("%d sessions after mid-2015", n)
	}

	plans, _ := e.items(t, "/v1/work-plans?code="+demo.MTIGMWorkPlanCode)
	if len(plans) != 1 || plans[0]["demo"] != true || plans[0]["approved_in_session_id"] == nil {
		t.Errorf("the demo work plan: %v", plans)
	}
	var mre string
	if err := e.DB.Conn(context.Background()).Raw(`SELECT id::text FROM institutions WHERE code = 'PE-MRE'`).Scan(&mre).Error; err != nil {
		t.Fatal(err)
	}
	if got := e.field(t, "/v1/work-plans?institution_id="+mre, "code"); len(got) != 1 {
		t.Errorf("work plans the MRE is responsible in: %v", got)
	}

	tables, _ := e.items(t, "/v1/coordination-bodies?page_size=100&kind=regional_round_table")
	regions := map[string]bool{}
	for _, rt := range tables {
		regions[rt["region"].(string)] = true
		if rt["code"] != demo.RoundTableCodePrefix+rt["region"].(string) || rt["demo"] != true {
			t.Errorf("round table %v", rt)
		}
	}
	if len(tables) != 12 || len(regions) != 12 {
		t.Errorf("%d round tables in %d regions", len(tables), len(regions))
	}
	if got := e.field(t, "/v1/coordination-bodies?q="+url.QueryEscape("intersectorial gestion migratoria")+"&root=true&kind=commission", "code"); len(got) != 1 || got[0] != demo.MTIGMCode {
		t.Errorf("searching the MTIGM: %v", got)
	}
	if n := e.Count(t, "audit_events", "resource_type = 'coordination_session'"); n != 31 {
		t.Errorf("%d audit events of sessions, want 31", n)
	}

	// The demo data exports and imports back unchanged.
	for _, r := range [][2]string{{"coordination-bodies", "coordination_bodies"}, {"coordination-memberships", "coordination_memberships"},
		{"coordination-sessions", "coordination_sessions"}, {"work-plans", "work_plans"}} {
		e.RoundTrip(t, e.admin, r[0], "", r[1], e.Count(t, r[1], "true"))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
