package actionplan_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// What seed 000 (the action sheet) says, quoted here rather than taken from the demo data so the
// test proves the demo data quotes it.
const (
	aplSeedTitle   = "Strengthening regulatory foundations for diaspora institutional performance and coordination in Peru"
	aplSeedGeneral = "Strengthen the regulatory foundations for improved institutional performance and coordination in the field of diaspora engagement in Peru."
)

var (
	aplSeedSpecific = []string{
		"Facilitate peer learning in diaspora institutional development",
		"Ensure the participation of diaspora in the institutional development process",
		"Flesh out effective internal rules and regulations",
	}
	aplSeedResults = []string{
		"ASN enhance its institutional capacities through a clear definition and repartition of roles which will allow government institutions to better engage and serve their diaspora",
		"ASN is provided with better knowledge and experience at a regional level on relevant practices in terms of frameworks for diaspora governmental institutions and lessons learned of peers in other diaspora institutions",
		"Government-diaspora relationship and trust is developed by including a participatory element to policymaking through diaspora consultations",
		"ASN staff improves their individual capacities in co-drafting internal rules and regulations for future needs",
	}
	// The activities of the action plan, in the seed's order, with the events each held.
	aplSeedActivities = []struct {
		typ, description string
		events           []string
	}{
		{"needs_assessment", "Needs assessment of the current organisational capacity of diaspora affairs within the DGPCA", nil},
		{"data_compilation", "Data compilation of existing information on the Peruvian diaspora", nil},
		{"practice_review", "Review of relevant diaspora engagement practices of similar institutions", nil},
		{"peer_learning_workshop", "Peer learning workshop with government representatives from the region with relevant institutional structures",
			[]string{"PE-TALLER-PARES-2023"}},
		{"diaspora_consultation", "Diaspora consultations to receive first-hand input from diaspora and understand their needs",
			[]string{"PE-CONSULTA-2023-01", "PE-CONSULTA-2023-02"}},
		{"co_drafting", "Co-drafting sessions of the blueprint for ASN's regulation of organisation and functions related to diaspora engagement", nil},
		{"presentation", "Presentation of the blueprint among staff members from the DGPCA and other relevant government institutions", nil},
	}
)

// On an empty database Bootstrap loads the action of seed 000 with its objectives verbatim, its
// four expected results with demo indicators and the seven activities of its plan, all marked
// demo, through the services (so audited), linked to the demo events and to the deliverables that
// exist.
func TestActionPlanDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	var out bytes.Buffer
	if err := env.App.Bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	admin := env.AdminToken(t)

	// The action: 10 months from October 2022, for ASN, its objectives as the seed words them.
	var actions struct {
		Items []aplAction `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/actions?code="+demo.PlanActionCode, nil, nil).Decode(t, &actions)
	if len(actions.Items) != 1 {
		t.Fatalf("%d demo actions %s", len(actions.Items), demo.PlanActionCode)
	}
	a := actions.Items[0]
	if n := env.Count(t, "actions", "id = ? AND beneficiary_id = (SELECT id FROM institutions WHERE code = 'PE-MRE-DGPCA-ASN')", a.ID); n != 1 || !a.Demo {
		t.Errorf("the demo action is not ASN's, or not demo: %+v", a)
	}
	start, _ := time.Parse(time.DateOnly, a.StartDate)
	end, _ := time.Parse(time.DateOnly, a.EndDate)
	if a.StartDate != "2022-10-01" || !start.AddDate(0, 10, 0).Equal(end.AddDate(0, 0, 1)) {
		t.Errorf("the action runs %s to %s, not 10 months from October 2022", a.StartDate, a.EndDate)
	}
	if aplDeref(a.Title.En) != aplSeedTitle || a.GeneralObjective == nil || aplDeref(a.GeneralObjective.En) != aplSeedGeneral {
		t.Errorf("title or general objective not the seed's: %+v", a)
	}
	var specific []string
	for _, o := range a.SpecificObjectives {
		specific = append(specific, aplDeref(o.En))
	}
	if !slices.Equal(specific, aplSeedSpecific) {
		t.Errorf("specific objectives %q", specific)
	}
	// Every Spanish text translating the seed says it is a demo translation.
	es := []*string{a.Title.Es, a.GeneralObjective.Es}
	for _, o := range a.SpecificObjectives {
		es = append(es, o.Es)
	}

	// The four expected results, verbatim, each with one or two demo indicators.
	var results struct {
		Items []aplResult `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/results?action_id="+a.ID, nil, nil).Decode(t, &results)
	var statements []string
	unmeasured := 0
	for _, r := range results.Items {
		statements = append(statements, aplDeref(r.Statement.En))
		es = append(es, r.Statement.Es)
		if !r.Demo || len(r.Indicators) < 1 || len(r.Indicators) > 2 || r.Progress == nil {
			t.Errorf("result %s: demo %v, %d indicators, progress %v", r.Code, r.Demo, len(r.Indicators), r.Progress)
		}
		for _, i := range r.Indicators {
			if i.Baseline == nil || i.Target == nil || i.Name.En == nil || i.Name.Es == nil {
				t.Errorf("indicator %s lacks a figure or a name", i.Code)
			}
			if i.Actual == nil {
				unmeasured++
			}
			if (i.Actual == nil) != (i.Progress == nil) {
				t.Errorf("indicator %s: actual %v, progress %v", i.Code, i.Actual, i.Progress)
			}
		}
	}
	if !slices.Equal(statements, aplSeedResults) {
		t.Errorf("expected results %q", statements)
	}
	if unmeasured != 1 {
		t.Errorf("%d unmeasured indicators, want 1", unmeasured)
	}

	// The seven activities of the plan, in the seed's order by code, within the action's dates,
	// linked to the demo events and to each deliverable the deliverables demo data has.
	var activities struct {
		Items []aplActivity `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/activities?order_by=code&action_id="+a.ID, nil, nil).Decode(t, &activities)
	if len(activities.Items) != len(aplSeedActivities) {
		t.Fatalf("%d demo activities, want %d", len(activities.Items), len(aplSeedActivities))
	}
	done := 0
	for i, act := range activities.Items {
		want := aplSeedActivities[i]
		if act.Description == nil {
			t.Errorf("activity %s has no description", act.Code)
			continue
		}
		es = append(es, act.Description.Es)
		if act.Type != want.typ || !act.Demo ||
			aplDeref(act.Description.En) != want.description+". "+demo.ActivityDemoNoteEN ||
			!strings.HasSuffix(aplDeref(act.Description.Es), demo.ActivityDemoNoteES) {
			t.Errorf("activity %s: %+v", act.Code, act)
		}
		if act.StartDate < a.StartDate || act.EndDate > a.EndDate {
			t.Errorf("activity %s runs %s to %s, outside the action", act.Code, act.StartDate, act.EndDate)
		}
		if act.Status == "done" {
			done++
		}
		if n := env.Count(t, "events", "id = ANY (?::uuid[]) AND code IN ?", "{"+strings.Join(act.EventIDs, ",")+"}",
			append(want.events, "")); n != int64(len(want.events)) || len(act.EventIDs) != len(want.events) {
			t.Errorf("activity %s links events %v, want %v", act.Code, act.EventIDs, want.events)
		}
	}
	if done < len(activities.Items)-1 {
		t.Errorf("%d activities done, want all but one", done)
	}
	for _, d := range demo.PlanActivities {
		for _, code := range d.Deliverables {
			want := env.Count(t, "deliverables", "code = ?", code)
			if n := env.Count(t, "activities", `code = ? AND action_id = ? AND deliverable_ids @> ARRAY[(SELECT id FROM deliverables WHERE code = ?)]`,
				d.Code, a.ID, code); n != want {
				t.Errorf("activity %s links deliverable %s %d times; the deliverable exists %d times", d.Code, code, n, want)
			}
		}
	}
	for _, s := range es {
		if !strings.Contains(aplDeref(s), demo.PlanTranslationMarkES) {
			t.Errorf("a Spanish translation is not marked: %q", aplDeref(s))
		}
	}

	// Loaded through the services, by the system.
	for action, n := range map[string]int64{"action.create": 1, "result.create": 4, "activity.create": 7} {
		if got := env.Count(t, "audit_events", "action = ? AND actor_kind = 'system'", action); got != n {
			t.Errorf("%d %s audit events, want %d", got, action, n)
		}
	}
	// Today is long after the action: its timeline flags what was never finished.
	var tl struct {
		Items []aplTimelineItem `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/actions/"+a.ID+"/timeline", nil, nil).Decode(t, &tl)
	if len(tl.Items) < len(aplSeedActivities) || !slices.IsSortedFunc(tl.Items, func(x, y aplTimelineItem) int {
		return strings.Compare(x.Date, y.Date)
	}) {
		t.Errorf("timeline %+v", tl.Items)
	}
	for _, it := range tl.Items {
		if it.Kind == "activity" && it.Overdue != (it.Status != "done" && it.Status != "cancelled") {
			t.Errorf("timeline item %s (%s) overdue %v", it.Code, it.Status, it.Overdue)
		}
	}
}
