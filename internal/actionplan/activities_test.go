package actionplan_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/apitest"
)

func aplActivityBody(action, code, start, end string) map[string]any {
	return map[string]any{"action_id": action, "code": code, "type": "other", "title": map[string]any{"en": "Activity " + code},
		"start_date": start, "end_date": end}
}

func TestActivityLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")
	ev1, ev2 := aplEvent(t, env, admin, "PE-CONSULTA-1", "2023-03-18"), aplEvent(t, env, admin, "PE-CONSULTA-2", "2023-04-15")
	dlv := aplDeliverable(t, env, &action, "DLV-MENU", "2023-07-31", "planned")

	got := apitest.Create[aplActivity](t, env, admin, "/v1/activities", map[string]any{
		"action_id": action, "code": "A5", "type": "diaspora_consultation",
		"title":       map[string]any{"en": "Diaspora consultations", "es": "Consultas con la diáspora"},
		"description": map[string]any{"en": "To receive first-hand input from diaspora"},
		"start_date":  "2023-02-13", "end_date": "2023-04-28", "status": "in_progress", "progress": 40,
		"event_ids": []string{ev2, ev1}, "deliverable_ids": []string{dlv},
	})
	if got.ActionID != action || got.Code != "A5" || got.Type != "diaspora_consultation" || aplDeref(got.Title.Es) != "Consultas con la diáspora" ||
		got.Description == nil || aplDeref(got.Description.En) != "To receive first-hand input from diaspora" ||
		got.StartDate != "2023-02-13" || got.EndDate != "2023-04-28" || got.Status != "in_progress" || got.Progress != 40 ||
		!slices.Equal(got.EventIDs, []string{ev2, ev1}) || !slices.Equal(got.DeliverableIDs, []string{dlv}) || got.Demo || got.Version != 1 {
		t.Errorf("create: %+v", got)
	}
	if n := env.Count(t, "activities", `id = ? AND action_id = ? AND code = 'A5' AND type = 'diaspora_consultation'
		AND start_date = '2023-02-13' AND end_date = '2023-04-28' AND status = 'in_progress' AND progress = 40
		AND event_ids = ARRAY[?, ?]::uuid[] AND deliverable_ids = ARRAY[?]::uuid[] AND description_es IS NULL AND NOT demo`,
		got.ID, action, ev2, ev1, dlv); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	aplAudited(t, env, admin, "/v1/activities", got.ID, "activity.create", 1, nil, got)

	// Lists are replaced whole, null clears them and the description.
	path := "/v1/activities/" + got.ID
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"event_ids": []string{ev1}, "deliverable_ids": nil,
		"description": nil, "end_date": "2023-05-05"}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd aplActivity
	res.Decode(t, &upd)
	if !slices.Equal(upd.EventIDs, []string{ev1}) || upd.DeliverableIDs == nil || len(upd.DeliverableIDs) != 0 ||
		upd.Description != nil || upd.EndDate != "2023-05-05" || upd.Progress != 40 || upd.Status != "in_progress" || upd.Version != 2 {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "activities", `id = ? AND event_ids = ARRAY[?]::uuid[] AND deliverable_ids = '{}'
		AND description_en IS NULL AND end_date = '2023-05-05' AND version = 2`, got.ID, ev1); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	aplAudited(t, env, admin, "/v1/activities", got.ID, "activity.update", 2, &got, upd)

	aplArchiveSteps(t, env, admin, "/v1/activities", got.ID, 2, "activity", map[string]any{"progress": 50})
}

// A done activity is complete: marking it done sets its progress to 100, whatever else the
// request says; reopening it keeps the 100 until someone lowers it.
func TestActivityDoneProgress(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")
	create := func(code string, extra map[string]any) aplActivity {
		b := aplActivityBody(action, code, "2023-01-01", "2023-01-31")
		for k, v := range extra {
			b[k] = v
		}
		return apitest.Create[aplActivity](t, env, admin, "/v1/activities", b)
	}
	if a := create("A1", nil); a.Status != "planned" || a.Progress != 0 {
		t.Errorf("defaults: %s %d", a.Status, a.Progress)
	}
	if a := create("A2", map[string]any{"status": "done", "progress": 30}); a.Status != "done" || a.Progress != 100 {
		t.Errorf("created done at 30: %s %d", a.Status, a.Progress)
	}
	if a := create("A3", map[string]any{"status": "cancelled", "progress": 30}); a.Progress != 30 {
		t.Errorf("cancelled keeps its progress: %d", a.Progress)
	}
	a := create("A4", map[string]any{"status": "in_progress", "progress": 60})
	path := "/v1/activities/" + a.ID
	for _, c := range []struct {
		patch    map[string]any
		status   string
		progress int
	}{
		{map[string]any{"progress": 70}, "in_progress", 70},
		{map[string]any{"status": "done"}, "done", 100},
		{map[string]any{"status": "in_progress"}, "in_progress", 100},
		{map[string]any{"progress": 80}, "in_progress", 80},
		{map[string]any{"status": "done", "progress": 20}, "done", 100},
		{map[string]any{"progress": 10}, "done", 100},
	} {
		res := env.Send(t, http.MethodPatch, admin, path, c.patch, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("patch %v: %d %s", c.patch, res.Status, res.Body)
		}
		var got aplActivity
		res.Decode(t, &got)
		if got.Status != c.status || got.Progress != c.progress {
			t.Errorf("after %v: %s %d, want %s %d", c.patch, got.Status, got.Progress, c.status, c.progress)
		}
	}
	if n := env.Count(t, "activities", "status = 'done' AND progress <> 100"); n != 0 {
		t.Errorf("%d done activities below 100%%", n)
	}
}

func TestActivityRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")
	archivedAction := aplNewAction(t, env, admin, "ACT-OLD")
	ev := aplEvent(t, env, admin, "PE-CONSULTA-1", "2023-03-18")
	oldEv := aplEvent(t, env, admin, "PE-CONSULTA-OLD", "2022-03-18")
	dlv := aplDeliverable(t, env, &action, "DLV-ONE", "2023-07-31", "planned")
	oldDlv := aplDeliverable(t, env, nil, "DLV-OLD", "2023-07-31", "planned")
	first := apitest.Create[aplActivity](t, env, admin, "/v1/activities", func() map[string]any {
		b := aplActivityBody(action, "A1", "2023-01-01", "2023-01-31")
		b["event_ids"], b["deliverable_ids"] = []string{oldEv}, []string{oldDlv}
		return b
	}())
	path := "/v1/activities/" + first.ID
	for _, p := range []string{"/v1/actions/" + archivedAction, "/v1/events/" + oldEv} {
		if res := env.Send(t, http.MethodDelete, admin, p, nil, nil); res.Status != http.StatusNoContent {
			t.Fatalf("archive %s: %d", p, res.Status)
		}
	}
	if err := env.DB.Conn(context.Background()).Exec(`UPDATE deliverables SET archived_at = now() WHERE id = ?`, oldDlv).Error; err != nil {
		t.Fatal(err)
	}

	before := env.Fingerprint(t)
	aplRefusals(t, env, admin, http.MethodPost, "/v1/activities", func() map[string]any {
		return aplActivityBody(action, "A2", "2023-01-01", "2023-01-31")
	}, []aplCase{
		{"unknown action", map[string]any{"action_id": uuid.NewString()}, 422, []string{"action_id"}},
		{"archived action", map[string]any{"action_id": archivedAction}, 422, []string{"action_id"}},
		{"unknown events", map[string]any{"event_ids": []string{ev, uuid.NewString(), dlv}}, 422, []string{"event_ids.1", "event_ids.2"}},
		{"archived event", map[string]any{"event_ids": []string{oldEv}}, 422, []string{"event_ids.0"}},
		{"unknown deliverables", map[string]any{"deliverable_ids": []string{ev, dlv}}, 422, []string{"deliverable_ids.0"}},
		{"archived deliverable", map[string]any{"deliverable_ids": []string{dlv, oldDlv}}, 422, []string{"deliverable_ids.1"}},
		{"all at once", map[string]any{"action_id": uuid.NewString(), "event_ids": []string{uuid.NewString()},
			"deliverable_ids": []string{uuid.NewString()}}, 422, []string{"action_id", "event_ids.0", "deliverable_ids.0"}},
		{"end before start", map[string]any{"end_date": "2022-12-31"}, 422, []string{"end_date"}},
		{"code taken in the action", map[string]any{"code": "A1"}, 409, []string{"code"}},
		{"progress over 100", map[string]any{"progress": 101}, 400, nil},
		{"negative progress", map[string]any{"progress": -1}, 400, nil},
		{"unknown type", map[string]any{"type": "party"}, 400, nil},
		{"unknown status", map[string]any{"status": "late"}, 400, nil},
		{"event listed twice", map[string]any{"event_ids": []string{ev, ev}}, 400, nil},
		{"bad event id", map[string]any{"event_ids": []string{"nope"}}, 400, nil},
		{"no title", map[string]any{"title": nil}, 400, nil},
	})
	aplRefusals(t, env, admin, http.MethodPatch, path, nil, []aplCase{
		{"start after end", map[string]any{"start_date": "2023-02-01"}, 422, []string{"end_date"}},
		{"unknown event", map[string]any{"event_ids": []string{oldEv, uuid.NewString()}}, 422, []string{"event_ids.1"}},
		{"an event as a deliverable", map[string]any{"event_ids": []string{ev, oldEv}, "deliverable_ids": []string{ev}}, 422,
			[]string{"deliverable_ids.0"}},
		{"last title removed", map[string]any{"title": map[string]any{"en": nil}}, 422, []string{"title"}},
		{"moved to another action", map[string]any{"action_id": archivedAction}, 400, nil},
		{"progress over 100", map[string]any{"progress": 200}, 400, nil},
	})
	env.Unchanged(t, before)

	// What the activity already links stays linked, archived or not, while the rest changes.
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"event_ids": []string{ev, oldEv}, "progress": 10}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("patch keeping archived links: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "activities", "id = ? AND event_ids = ARRAY[?, ?]::uuid[] AND deliverable_ids = ARRAY[?]::uuid[]",
		first.ID, ev, oldEv, oldDlv); n != 1 {
		t.Errorf("links not kept")
	}
	second := apitest.Create[aplActivity](t, env, admin, "/v1/activities", aplActivityBody(action, "A2", "2023-01-01", "2023-01-31"))
	before = env.Fingerprint(t)
	apitest.WantProblemFields(t, apitest.Problem(t, env.Send(t, http.MethodPatch, admin, "/v1/activities/"+second.ID,
		map[string]any{"code": "A1"}, nil), http.StatusConflict), "code")

	// The service applies the same rules.
	svc := actionplan.NewActivityService(env.DB)
	evID := uuid.MustParse(ev)
	_, err := svc.Create(aplSys(), actionplan.ActivityFields{Code: "A9", Type: "party", Status: "late", Progress: 150,
		StartDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), EventIDs: []uuid.UUID{evID, evID}})
	if fields := aplFieldsOf(t, err); !slices.Equal(fields, []string{"action_id", "type", "title", "end_date", "status",
		"progress", "event_ids.1"}) {
		t.Errorf("service refusal fields %v", fields)
	}
	env.Unchanged(t, before)
	demo, err := svc.Create(aplSys(), actionplan.ActivityFields{ActionID: uuid.MustParse(action), Code: "demo-1", Type: "coordination",
		Title: actionplan.Text{ES: new("Coordinación")}, StartDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		EndDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Demo: true})
	if err != nil || !demo.Demo || demo.Status != "planned" || demo.EventIDs == nil {
		t.Fatalf("demo create: %+v %v", demo, err)
	}

	aplWriters(t, env, aplUnit(t, env, "PE-UNIT"), "/v1/activities", path, aplActivityBody(action, "A7", "2023-01-01", "2023-01-31"),
		map[string]any{"status": "done"}, "activities", "status = 'done' AND progress = 100")
}

func TestActivityList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	one, two := aplNewAction(t, env, admin, "ACT-ONE"), aplNewAction(t, env, admin, "ACT-TWO")
	for _, a := range []struct{ action, code, typ, start, end, status string }{
		{one, "A1", "needs_assessment", "2022-10-03", "2022-12-16", "done"},
		{one, "A3", "practice_review", "2022-11-14", "2023-02-28", "done"},
		{one, "A5", "diaspora_consultation", "2023-02-13", "2023-04-28", "in_progress"},
		{one, "A7", "presentation", "2023-07-17", "2023-07-28", "planned"},
		{two, "B1", "diaspora_consultation", "2023-03-01", "2023-03-01", "cancelled"},
		{two, "B2", "co_drafting", "2024-01-10", "2024-02-10", "planned"},
	} {
		b := aplActivityBody(a.action, a.code, a.start, a.end)
		b["type"], b["status"] = a.typ, a.status
		apitest.Create[aplActivity](t, env, admin, "/v1/activities", b)
	}
	old := apitest.Create[aplActivity](t, env, admin, "/v1/activities", aplActivityBody(one, "A0", "2022-10-01", "2022-10-02"))
	if res := env.Send(t, http.MethodDelete, admin, "/v1/activities/"+old.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	base := "/v1/activities?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"A1", "A3", "A5", "B1", "A7", "B2"}}, // by start date
		{"order_by=-start_date", []string{"B2", "A7", "B1", "A5", "A3", "A1"}},
		{"order_by=code", []string{"A1", "A3", "A5", "A7", "B1", "B2"}},
		{"order_by=-created_at", []string{"B2", "B1", "A7", "A5", "A3", "A1"}},
		{"action_id=" + two, []string{"B1", "B2"}},
		{"action_id=" + one + "&status=done", []string{"A1", "A3"}},
		{"status=planned&status=cancelled", []string{"B1", "A7", "B2"}},
		{"type=diaspora_consultation", []string{"A5", "B1"}},
		{"type=diaspora_consultation&type=presentation&action_id=" + one, []string{"A5", "A7"}},
		{"code=A5&code=B2", []string{"A5", "B2"}},
		// Overlapping a period: ending on or after date_from, starting on or before date_to.
		{"date_from=2023-03-01&date_to=2023-03-31", []string{"A5", "B1"}},
		{"date_from=2023-02-28&date_to=2023-02-28", []string{"A3", "A5"}},
		{"date_from=2023-05-01", []string{"A7", "B2"}},
		{"date_to=2022-11-14", []string{"A1", "A3"}},
		{"date_from=2025-01-01", []string{}},
		{"include_archived=true&date_to=2022-10-31", []string{"A0", "A1"}},
	} {
		if got := env.OnePage(t, admin, "code", base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	aplPaging(t, env, admin, base, 6, "start_date", "-start_date", "code", "-code", "created_at", "-created_at")
	for _, q := range []string{"type=party", "status=late", "date_from=yesterday", "action_id=nope"} {
		apitest.Problem(t, env.Send(t, http.MethodGet, admin, base+q, nil, nil), http.StatusBadRequest)
	}
}
