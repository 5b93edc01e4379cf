package actionplan_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/apitest"
)

// aplTimelineItem is an item of a timeline as the API renders it.
type aplTimelineItem struct {
	Kind     string  `json:"kind"`
	ID       string  `json:"id"`
	Code     string  `json:"code"`
	Title    aplText `json:"title"`
	Date     string  `json:"date"`
	EndDate  *string `json:"end_date"`
	Status   string  `json:"status"`
	Progress *int    `json:"progress"`
	Overdue  bool    `json:"overdue"`
}

// The timeline merges the action's activities (by start date) and deliverables (by due date), and
// flags what is past its end or due date and not finished. Dates are relative to today, so the
// flags are tested as they are computed: against the real date.
func TestTimelineOrderAndOverdue(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	today := time.Now().UTC()
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	action := aplNewAction(t, env, admin, "ACT-ONE")
	other := aplNewAction(t, env, admin, "ACT-TWO")

	ids := map[string]string{}
	for _, a := range []struct {
		code       string
		start, end int
		status     string
		progress   int
		action     string
		archived   bool
	}{
		{"X1", -30, -10, "in_progress", 40, action, false},
		{"X2", -20, -5, "done", 0, action, false},
		{"X3", -15, -1, "cancelled", 10, action, false},
		{"X4", -5, 0, "planned", 0, action, false}, // ends today: not yet late
		{"X5", 3, 10, "planned", 0, action, false},
		{"X6", -40, -35, "planned", 0, action, false},
		{"X8", -12, 1, "in_progress", 90, action, false},
		{"X7", -40, -35, "planned", 0, action, true}, // archived
		{"Y1", -40, -35, "planned", 0, other, false}, // another action's
	} {
		b := aplActivityBody(a.action, a.code, day(a.start), day(a.end))
		b["status"], b["progress"] = a.status, a.progress
		ids[a.code] = apitest.Create[aplActivity](t, env, admin, "/v1/activities", b).ID
		if a.archived {
			if res := env.Send(t, http.MethodDelete, admin, "/v1/activities/"+ids[a.code], nil, nil); res.Status != http.StatusNoContent {
				t.Fatal(res.Status)
			}
		}
	}
	for _, d := range []struct {
		code   string
		due    *int
		status string
		action *string
	}{
		{"D1", new(-12), "in_review", &action},
		{"D2", new(-12), "approved", &action},
		{"D3", new(-25), "published", &action},
		{"D4", new(5), "planned", &action},
		{"D5", new(0), "in_progress", &action},
		{"D6", nil, "planned", &action},            // no due date: not on the timeline
		{"D8", new(-50), "planned", &other},        // another action's
		{"D9", new(-50), "changes_requested", nil}, // nobody's
	} {
		due := ""
		if d.due != nil {
			due = day(*d.due)
		}
		ids[d.code] = aplDeliverable(t, env, d.action, d.code, due, d.status)
	}
	d7 := aplDeliverable(t, env, &action, "D7", day(-50), "planned")
	if err := env.DB.Conn(context.Background()).Exec(`UPDATE deliverables SET archived_at = now() WHERE id = ?`, d7).Error; err != nil {
		t.Fatal(err)
	}

	res := env.Send(t, http.MethodGet, admin, "/v1/actions/"+action+"/timeline", nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("timeline: %d %s", res.Status, res.Body)
	}
	var got struct {
		ActionID string            `json:"action_id"`
		Today    string            `json:"today"`
		Items    []aplTimelineItem `json:"items"`
	}
	res.Decode(t, &got)
	if got.Today != day(0) {
		t.Skipf("the day changed during the test (%s, %s)", got.Today, day(0))
	}
	ptr := func(n int) *int { return &n }
	want := []aplTimelineItem{
		{Kind: "activity", Code: "X6", Date: day(-40), EndDate: new(day(-35)), Status: "planned", Progress: ptr(0), Overdue: true},
		{Kind: "activity", Code: "X1", Date: day(-30), EndDate: new(day(-10)), Status: "in_progress", Progress: ptr(40), Overdue: true},
		{Kind: "deliverable", Code: "D3", Date: day(-25), Status: "published"},
		{Kind: "activity", Code: "X2", Date: day(-20), EndDate: new(day(-5)), Status: "done", Progress: ptr(100)},
		{Kind: "activity", Code: "X3", Date: day(-15), EndDate: new(day(-1)), Status: "cancelled", Progress: ptr(10)},
		// On one date, the activities first, then the deliverables by code.
		{Kind: "activity", Code: "X8", Date: day(-12), EndDate: new(day(1)), Status: "in_progress", Progress: ptr(90)},
		{Kind: "deliverable", Code: "D1", Date: day(-12), Status: "in_review", Overdue: true},
		{Kind: "deliverable", Code: "D2", Date: day(-12), Status: "approved"},
		{Kind: "activity", Code: "X4", Date: day(-5), EndDate: new(day(0)), Status: "planned", Progress: ptr(0)},
		{Kind: "deliverable", Code: "D5", Date: day(0), Status: "in_progress"}, // due today: not yet late
		{Kind: "activity", Code: "X5", Date: day(3), EndDate: new(day(10)), Status: "planned", Progress: ptr(0)},
		{Kind: "deliverable", Code: "D4", Date: day(5), Status: "planned"},
	}
	for i := range want {
		want[i].ID = ids[want[i].Code]
		if want[i].Kind == "activity" {
			want[i].Title = aplText{En: new("Activity " + want[i].Code)}
		} else {
			want[i].Title = aplText{En: new("Deliverable " + want[i].Code)}
		}
	}
	if got.ActionID != action || !reflect.DeepEqual(got.Items, want) {
		t.Errorf("timeline of %s:\n got %+v\nwant %+v", got.ActionID, got.Items, want)
	}

	// The timeline costs two statements, whatever its length: one finds the action, one reads it.
	svc := actionplan.NewActionService(env.DB)
	start := env.DB.Queries()
	tl, err := svc.Timeline(context.Background(), uuid.MustParse(action), today)
	if n := env.DB.Queries() - start; err != nil || n != 2 || len(tl.Items) != len(want) {
		t.Errorf("timeline: %d items, %d statements, %v", len(tl.Items), n, err)
	}
	// Seen from a later day, more is late; from an earlier one, nothing is.
	late, _ := svc.Timeline(context.Background(), uuid.MustParse(action), today.AddDate(0, 0, 11))
	early, _ := svc.Timeline(context.Background(), uuid.MustParse(action), today.AddDate(0, -3, 0))
	var overdue []string
	for _, it := range late.Items {
		if it.Overdue {
			overdue = append(overdue, it.Code)
		}
	}
	if !reflect.DeepEqual(overdue, []string{"X6", "X1", "X8", "D1", "X4", "D5", "X5", "D4"}) {
		t.Errorf("overdue 11 days later: %v", overdue)
	}
	for _, it := range early.Items {
		if it.Overdue {
			t.Errorf("%s overdue three months ago", it.Code)
		}
	}
}

func TestTimelineRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/actions/"+uuid.NewString()+"/timeline", nil, nil), http.StatusNotFound)
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/actions/nope/timeline", nil, nil), http.StatusBadRequest)
	apitest.Problem(t, env.Send(t, http.MethodGet, "", "/v1/actions/"+action+"/timeline", nil, nil), http.StatusUnauthorized)
	// An action without activities or deliverables has an empty timeline; every role reads it.
	for name, tok := range aplTokens(t, env, aplUnit(t, env, "PE-UNIT")) {
		res := env.Send(t, http.MethodGet, tok, "/v1/actions/"+action+"/timeline", nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", name, res.Status, res.Body)
		}
		if items, ok := res.JSON(t)["items"].([]any); !ok || len(items) != 0 {
			t.Errorf("%s: items %v", name, res.JSON(t)["items"])
		}
	}
}
