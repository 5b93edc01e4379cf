package coordination_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// Work plans: activities with responsible institutions that must exist, the plan's
// institutions kept as their union for the institution filter, the approving session one of the
// plan's body.
func TestCoordinationWorkPlanLifecycle(t *testing.T) {
	t.Parallel()
	e := crdNew(t)
	body := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-PLENO", "kind": "plenary", "name": crdName("Pleno", "Plenary")})["id"].(string)
	other := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-OTRO", "kind": "plenary", "name": crdName("Otro", "Other")})["id"].(string)
	session := e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 1, "held_on": "2015-02-15"})["id"].(string)
	foreign := e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": other, "kind": "ordinary", "number": 1, "held_on": "2015-02-15"})["id"].(string)
	a, b, c := e.institution(t, "T-A"), e.institution(t, "T-B"), e.institution(t, "T-C")
	plan := e.create(t, "/v1/work-plans", map[string]any{"code": "T-PT-2015", "body_id": body,
		"title":        crdName("Plan de trabajo de gestión migratoria", "Migration management work plan"),
		"period_start": "2015-01-01", "period_end": "2015-12-31", "status": "approved", "approved_on": "2015-02-15",
		"approved_in_session_id": session, "objectives": []any{crdName("Coordinar", "Coordinate")},
		"activities": []any{
			map[string]any{"title": crdName("Capacitación", "Training"), "responsible_institution_ids": []string{a, b},
				"start_date": "2015-01-15", "end_date": "2015-06-30"},
			map[string]any{"title": crdName("Feria", "Fair"), "responsible_institution_ids": []string{b}, "status": "done"},
		}})
	acts := plan["activities"].([]any)
	if acts[0].(map[string]any)["status"] != "planned" || plan["status"] != "approved" {
		t.Errorf("created: %v", plan)
	}
	e.create(t, "/v1/work-plans", map[string]any{"code": "T-PT-2016", "body_id": other, "title": crdName("Otro plan", "Other plan"),
		"period_start": "2016-01-01", "period_end": "2016-12-31",
		"activities": []any{map[string]any{"title": crdName("X", "X"), "responsible_institution_ids": []string{c}}}})
	if n := e.Count(t, "work_plans", "code = 'T-PT-2015' AND institution_ids = ARRAY[?, ?]::uuid[]", a, b); n != 1 {
		t.Error("institution_ids is not the union of the activities' institutions")
	}
	for _, q := range []struct {
		query string
		want  []string
	}{
		{"", []string{"T-PT-2015", "T-PT-2016"}},
		{"institution_id=" + b, []string{"T-PT-2015"}},
		{"institution_id=" + c, []string{"T-PT-2016"}},
		{"body_id=" + other, []string{"T-PT-2016"}},
		{"status=draft", []string{"T-PT-2016"}},
		{"q=" + url.QueryEscape("gestion"), []string{"T-PT-2015"}},
		{"order_by=-period_start", []string{"T-PT-2016", "T-PT-2015"}},
		{"code=T-PT-2016", []string{"T-PT-2016"}},
	} {
		if got := e.field(t, "/v1/work-plans?"+q.query, "code"); !slices.Equal(got, q.want) {
			t.Errorf("?%s: %v, want %v", q.query, got, q.want)
		}
	}

	id := plan["id"].(string)
	res := e.do(t, http.MethodPatch, "/v1/work-plans/"+id, map[string]any{"activities": []any{
		map[string]any{"title": crdName("Solo C", "Only C"), "responsible_institution_ids": []string{c}}}}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if got := e.field(t, "/v1/work-plans?institution_id="+b, "code"); len(got) != 0 {
		t.Errorf("B still responsible: %v", got)
	}
	p := e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, map[string]any{"activities": []any{
		map[string]any{"title": crdName("X", "X"), "responsible_institution_ids": []string{c, uuid.NewString()}}}}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "activities.0.responsible_institution_ids.1")
	p = e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, map[string]any{"approved_in_session_id": foreign}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "approved_in_session_id")
	p = e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, `{"period_end":"2014-12-31"}`, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "period_end")
	p = e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, map[string]any{"activities": []any{
		map[string]any{"title": crdName("X", "X"), "responsible_institution_ids": []string{c}, "start_date": "2015-05-01", "end_date": "2015-04-01"}}},
		nil, http.StatusUnprocessableEntity)
	wantField(t, p, "activities.0.end_date")
	e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, map[string]any{"activities": []any{
		map[string]any{"title": crdName("X", "X"), "responsible_institution_ids": []string{}}}}, nil, http.StatusBadRequest)
	p = e.refused(t, http.MethodPost, "/v1/work-plans", map[string]any{"code": "T-PT-2015", "body_id": body, "title": crdName("D", "D"),
		"period_start": "2015-01-01", "period_end": "2015-12-31"}, nil, http.StatusConflict)
	wantField(t, p, "code")
	e.refused(t, http.MethodPatch, "/v1/work-plans/"+id, `{"status":"closed"}`, map[string]string{"If-Match": `"1"`}, http.StatusPreconditionFailed)
	if res := e.do(t, http.MethodDelete, "/v1/work-plans/"+id, nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	if got := e.field(t, "/v1/work-plans?include_archived=true&institution_id="+c, "code"); len(got) != 2 {
		t.Errorf("archived on request: %v", got)
	}
}
