package actionplan_test

import (
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/apitest"
)

func aplFloat(v float64) *float64 { return &v }

// aplNear reports whether a progress is want (nil meaning none).
func aplNear(got, want *float64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return math.Abs(*got-*want) < 1e-12
}

func TestResultProgress(t *testing.T) {
	t.Parallel()
	f := aplFloat
	for _, c := range []struct {
		name                     string
		baseline, target, actual *float64
		want                     *float64
	}{
		{"no figures", nil, nil, nil, nil},
		{"no baseline", nil, f(100), f(60), nil},
		{"no target", f(40), nil, f(60), nil},
		{"not measured", f(40), f(100), nil, nil},
		{"target is the baseline", f(5), f(5), f(7), nil},
		{"a third of the way", f(40), f(100), f(60), f(1.0 / 3)},
		{"at the baseline", f(40), f(100), f(40), f(0)},
		{"at the target", f(40), f(100), f(100), f(1)},
		{"overshoot is capped at 1", f(0), f(8), f(9), f(1)},
		{"going backwards is 0", f(40), f(100), f(30), f(0)},
		{"a target to reduce", f(12), f(0), f(3), f(0.75)},
		{"a reduction overshot", f(12), f(0), f(-1), f(1)},
		{"a reduction gone wrong", f(12), f(0), f(20), f(0)},
		{"negative figures", f(-10), f(-2), f(-4), f(0.75)},
		{"fractions", f(0.5), f(1.5), f(0.75), f(0.25)},
		{"differences beyond float64", f(-1e308), f(1e308), f(0), f(0)},
		{"infinite over infinite", f(-1e308), f(1e308), f(1e308), nil},
	} {
		got := actionplan.Indicator{Baseline: c.baseline, Target: c.target, Actual: c.actual}.Progress()
		if !aplNear(got, c.want) {
			t.Errorf("%s: progress %v, want %v", c.name, got, c.want)
		}
	}

	// A result's progress is the mean of its indicators that have one.
	ind := func(b, t, a *float64) actionplan.Indicator {
		return actionplan.Indicator{Baseline: b, Target: t, Actual: a}
	}
	for _, c := range []struct {
		name string
		inds []actionplan.Indicator
		want *float64
	}{
		{"no indicators", nil, nil},
		{"none measured", []actionplan.Indicator{ind(f(0), f(1), nil), ind(nil, nil, nil)}, nil},
		{"one measured", []actionplan.Indicator{ind(f(0), f(4), f(1)), ind(f(0), f(1), nil)}, f(0.25)},
		{"mean of two", []actionplan.Indicator{ind(f(40), f(100), f(60)), ind(f(0), f(2), f(2)), ind(f(1), f(1), f(1))}, f(2.0 / 3)},
		{"capped before the mean", []actionplan.Indicator{ind(f(0), f(1), f(3)), ind(f(0), f(1), f(-3))}, f(0.5)},
	} {
		r := actionplan.Result{ResultFields: actionplan.ResultFields{Indicators: c.inds}}
		if got := r.Progress(); !aplNear(got, c.want) {
			t.Errorf("%s: result progress %v, want %v", c.name, got, c.want)
		}
	}
}

func TestResultLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")

	got := apitest.Create[aplResult](t, env, admin, "/v1/results", map[string]any{
		"action_id": action, "code": "R1",
		"statement": map[string]any{"en": "ASN enhances its institutional capacities", "es": "La ASN mejora"},
		"indicators": []any{
			map[string]any{"code": "R1.1", "name": map[string]any{"en": "Functions with one responsible unit"}, "unit": "%",
				"baseline": 40, "target": 100, "actual": 60, "measured_on": "2023-03-31"},
			map[string]any{"code": "R1.2", "name": map[string]any{"es": "Funciones duplicadas"}, "baseline": 12, "target": 0},
		},
	})
	if got.ActionID != action || got.Code != "R1" || aplDeref(got.Statement.Es) != "La ASN mejora" || len(got.Indicators) != 2 ||
		aplDeref(got.Indicators[0].Unit) != "%" || aplDeref(got.Indicators[0].MeasuredOn) != "2023-03-31" ||
		!aplNear(got.Indicators[0].Progress, aplFloat(1.0/3)) || got.Indicators[1].Actual != nil ||
		got.Indicators[1].Progress != nil || got.Indicators[1].Unit != nil || *got.Indicators[1].Target != 0 ||
		!aplNear(got.Progress, aplFloat(1.0/3)) || got.Demo || got.Version != 1 {
		t.Errorf("create: %+v", got)
	}
	if n := env.Count(t, "results", `id = ? AND action_id = ? AND code = 'R1' AND statement_en = 'ASN enhances its institutional capacities'
		AND jsonb_array_length(indicators) = 2 AND indicators->0->>'measured_on' = '2023-03-31'
		AND (indicators->0->>'baseline')::float = 40 AND indicators->1->'actual' IS NULL AND indicators->0->'progress' IS NULL`, got.ID, action); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	aplAudited(t, env, admin, "/v1/results", got.ID, "result.create", 1, nil, got)

	// Indicators are replaced whole and the progress follows.
	path := "/v1/results/" + got.ID
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"indicators": []any{
		map[string]any{"code": "R1.2", "name": map[string]any{"es": "Funciones duplicadas"}, "baseline": 12, "target": 0, "actual": 3},
	}}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd aplResult
	res.Decode(t, &upd)
	if len(upd.Indicators) != 1 || !aplNear(upd.Indicators[0].Progress, aplFloat(0.75)) || !aplNear(upd.Progress, aplFloat(0.75)) ||
		!reflect.DeepEqual(upd.Statement, got.Statement) || upd.Version != 2 {
		t.Errorf("patched: %+v", upd)
	}
	aplAudited(t, env, admin, "/v1/results", got.ID, "result.update", 2, &got, upd)
	res = env.Send(t, http.MethodPatch, admin, path, map[string]any{"indicators": nil, "code": "R1-bis"}, nil)
	var cleared aplResult
	res.Decode(t, &cleared)
	if res.Status != http.StatusOK || cleared.Indicators == nil || len(cleared.Indicators) != 0 || cleared.Progress != nil ||
		cleared.Code != "R1-bis" {
		t.Errorf("clearing patch: %d %s", res.Status, res.Body)
	}

	aplArchiveSteps(t, env, admin, "/v1/results", got.ID, 3, "result", map[string]any{"code": "R9"})
}

func TestResultRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	action := aplNewAction(t, env, admin, "ACT-ONE")
	other := aplNewAction(t, env, admin, "ACT-TWO")
	archived := aplNewAction(t, env, admin, "ACT-OLD")
	if res := env.Send(t, http.MethodDelete, admin, "/v1/actions/"+archived, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	body := func(action, code string) map[string]any {
		return map[string]any{"action_id": action, "code": code, "statement": map[string]any{"en": "Result " + code}}
	}
	first := apitest.Create[aplResult](t, env, admin, "/v1/results", body(action, "R1"))
	path := "/v1/results/" + first.ID
	ind := func(code string) map[string]any {
		return map[string]any{"code": code, "name": map[string]any{"en": code}}
	}

	before := env.Fingerprint(t)
	aplRefusals(t, env, admin, http.MethodPost, "/v1/results", nil, []aplCase{
		{"unknown action", body(uuid.NewString(), "R2"), 422, []string{"action_id"}},
		{"archived action", body(archived, "R2"), 422, []string{"action_id"}},
		{"code taken in the action", body(action, "R1"), 409, []string{"code"}},
		{"indicator listed twice", map[string]any{"action_id": action, "code": "R2", "statement": map[string]any{"en": "x"},
			"indicators": []any{ind("I1"), ind("I2"), ind("I1")}}, 422, []string{"indicators.2.code"}},
		{"indicator without a name", map[string]any{"action_id": action, "code": "R2", "statement": map[string]any{"en": "x"},
			"indicators": []any{map[string]any{"code": "I1", "name": map[string]any{}}}}, 400, nil},
		{"indicator with a text figure", map[string]any{"action_id": action, "code": "R2", "statement": map[string]any{"en": "x"},
			"indicators": []any{map[string]any{"code": "I1", "name": map[string]any{"en": "x"}, "target": "100"}}}, 400, nil},
		{"bad code", body(action, "R 2"), 400, nil},
		{"no statement", map[string]any{"action_id": action, "code": "R2"}, 400, nil},
		{"bad action id", body("nope", "R2"), 400, nil},
	})
	aplRefusals(t, env, admin, http.MethodPatch, path, nil, []aplCase{
		{"last statement removed", map[string]any{"statement": map[string]any{"en": nil}}, 422, []string{"statement"}},
		{"indicator listed twice", map[string]any{"indicators": []any{ind("A"), ind("A")}}, 422, []string{"indicators.1.code"}},
		{"moved to another action", map[string]any{"action_id": other}, 400, nil}, // a result stays under its action
	})
	env.Unchanged(t, before)

	// Codes are unique per action: another action may use R1; a second R2 may not become R1.
	apitest.Create[aplResult](t, env, admin, "/v1/results", body(other, "R1"))
	second := apitest.Create[aplResult](t, env, admin, "/v1/results", body(action, "R2"))
	before = env.Fingerprint(t)
	apitest.WantProblemFields(t, apitest.Problem(t, env.Send(t, http.MethodPatch, admin, "/v1/results/"+second.ID,
		map[string]any{"code": "R1"}, nil), http.StatusConflict), "code")
	env.Unchanged(t, before)

	// Archiving the action keeps its results editable.
	if res := env.Send(t, http.MethodDelete, admin, "/v1/actions/"+action, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	if res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"indicators": []any{ind("I1")}}, nil); res.Status != http.StatusOK {
		t.Errorf("patch under an archived action: %d %s", res.Status, res.Body)
	}

	// The service applies the same rules.
	svc := actionplan.NewResultService(env.DB)
	before = env.Fingerprint(t)
	_, err := svc.Create(aplSys(), actionplan.ResultFields{Code: "-x", Indicators: []actionplan.Indicator{{Code: ""},
		{Code: "I", Name: actionplan.Text{EN: new("x")}, Unit: new(strings.Repeat("u", 51))}}})
	if fields := aplFieldsOf(t, err); !slices.Equal(fields, []string{"action_id", "code", "statement", "indicators.0.code",
		"indicators.0.name", "indicators.1.unit"}) {
		t.Errorf("service refusal fields %v", fields)
	}
	env.Unchanged(t, before)

	aplWriters(t, env, aplUnit(t, env, "PE-UNIT"), "/v1/results", "/v1/results/"+second.ID, body(other, "R7"),
		map[string]any{"statement": map[string]any{"en": "Patched"}}, "results", "statement_en = 'Patched'")
}

func TestResultList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	one, two := aplNewAction(t, env, admin, "ACT-ONE"), aplNewAction(t, env, admin, "ACT-TWO")
	for _, r := range []struct{ action, code string }{{one, "R3"}, {one, "R1"}, {two, "R1"}, {one, "R2"}, {two, "R10"}} {
		apitest.Create[aplResult](t, env, admin, "/v1/results", map[string]any{"action_id": r.action, "code": r.code,
			"statement": map[string]any{"es": "Resultado " + r.code}})
	}
	old := apitest.Create[aplResult](t, env, admin, "/v1/results", map[string]any{"action_id": one, "code": "R0",
		"statement": map[string]any{"es": "Antiguo"}})
	if res := env.Send(t, http.MethodDelete, admin, "/v1/results/"+old.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	base := "/v1/results?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"R1", "R1", "R10", "R2", "R3"}},
		{"action_id=" + one, []string{"R1", "R2", "R3"}},
		{"action_id=" + two + "&order_by=-code", []string{"R10", "R1"}},
		{"action_id=" + one + "&order_by=created_at", []string{"R3", "R1", "R2"}},
		{"action_id=" + uuid.NewString(), []string{}},
		{"code=R1", []string{"R1", "R1"}},
		{"code=R1&code=R3&action_id=" + one, []string{"R1", "R3"}},
		{"include_archived=true&action_id=" + one, []string{"R0", "R1", "R2", "R3"}},
	} {
		if got := env.OnePage(t, admin, "code", base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	aplPaging(t, env, admin, base, 5, "code", "-code", "created_at", "-created_at")
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, base+"action_id=nope", nil, nil), http.StatusBadRequest)
}
