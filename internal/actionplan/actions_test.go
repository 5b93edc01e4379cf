package actionplan_test

import (
	"bytes"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/apperr"
)

func TestActionLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := aplUnit(t, env, "PE-MRE-DGPCA-ASN")

	got := apitest.Create[aplAction](t, env, admin, "/v1/actions", map[string]any{
		"code":              "EUDIF-CDL-PE-2022",
		"title":             map[string]any{"en": "Strengthening regulatory foundations", "es": "Fortalecimiento de las bases normativas"},
		"beneficiary_id":    asn,
		"start_date":        "2022-10-01",
		"end_date":          "2023-07-31",
		"general_objective": map[string]any{"en": "Strengthen the regulatory foundations.", "es": "Fortalecer las bases."},
		"specific_objectives": []any{
			map[string]any{"en": "Facilitate peer learning"},
			map[string]any{"en": "Ensure the participation of diaspora", "es": "Asegurar la participación"},
		},
	})
	if got.Code != "EUDIF-CDL-PE-2022" || aplDeref(got.Title.En) != "Strengthening regulatory foundations" ||
		aplDeref(got.BeneficiaryID) != asn.String() || got.StartDate != "2022-10-01" || got.EndDate != "2023-07-31" ||
		got.GeneralObjective == nil || aplDeref(got.GeneralObjective.Es) != "Fortalecer las bases." ||
		len(got.SpecificObjectives) != 2 || got.SpecificObjectives[0].Es != nil ||
		aplDeref(got.SpecificObjectives[1].Es) != "Asegurar la participación" || got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "actions", `id = ? AND code = 'EUDIF-CDL-PE-2022' AND beneficiary_id = ? AND start_date = '2022-10-01'
		AND end_date = '2023-07-31' AND general_objective_en = 'Strengthen the regulatory foundations.'
		AND jsonb_array_length(specific_objectives) = 2 AND specific_objectives->1->>'es' = 'Asegurar la participación'
		AND NOT demo AND version = 1`, got.ID, asn); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	aplAudited(t, env, admin, "/v1/actions", got.ID, "action.create", 1, nil, got)

	// A merge patch replaces the objectives whole and removes one language; the rest stays.
	path := "/v1/actions/" + got.ID
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"end_date": "2023-08-31",
		"general_objective": map[string]any{"es": nil}, "specific_objectives": []any{map[string]any{"es": "Uno"}}},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd aplAction
	res.Decode(t, &upd)
	if upd.EndDate != "2023-08-31" || upd.StartDate != "2022-10-01" || upd.GeneralObjective.Es != nil ||
		aplDeref(upd.GeneralObjective.En) != "Strengthen the regulatory foundations." || len(upd.SpecificObjectives) != 1 ||
		aplDeref(upd.SpecificObjectives[0].Es) != "Uno" || !reflect.DeepEqual(upd.Title, got.Title) ||
		aplDeref(upd.BeneficiaryID) != asn.String() || upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	aplAudited(t, env, admin, "/v1/actions", got.ID, "action.update", 2, &got, upd)

	// null clears the objectives, the general objective and the beneficiary.
	res = env.Send(t, http.MethodPatch, admin, path, map[string]any{"specific_objectives": nil, "general_objective": nil,
		"beneficiary_id": nil}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("clearing patch: %d %s", res.Status, res.Body)
	}
	var cleared aplAction
	res.Decode(t, &cleared)
	if cleared.SpecificObjectives == nil || len(cleared.SpecificObjectives) != 0 || cleared.GeneralObjective != nil ||
		cleared.BeneficiaryID != nil || cleared.Version != 3 {
		t.Errorf("cleared: %+v", cleared)
	}
	if n := env.Count(t, "actions", `id = ? AND specific_objectives = '[]' AND general_objective_es IS NULL
		AND general_objective_en IS NULL AND beneficiary_id IS NULL AND version = 3`, got.ID); n != 1 {
		t.Errorf("stored row does not show the clearing patch")
	}

	aplArchiveSteps(t, env, admin, "/v1/actions", got.ID, 3, "action", map[string]any{"end_date": "2023-09-30"})
	arch, _ := apitest.Get[aplAction](t, env, admin, path)
	aplAudited(t, env, admin, "/v1/actions", got.ID, "action.archive", 4, &cleared, arch)
	// An archived action is listed on request only, and its timeline is still read.
	if codes := env.OnePage(t, admin, "code", "/v1/actions?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := env.OnePage(t, admin, "code", "/v1/actions?include_archived=true"); !slices.Equal(codes, []string{"EUDIF-CDL-PE-2022"}) {
		t.Errorf("list with archived: %v", codes)
	}
	if res := env.Send(t, http.MethodGet, admin, path+"/timeline", nil, nil); res.Status != http.StatusOK {
		t.Errorf("timeline of an archived action: %d", res.Status)
	}
}

func TestActionRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := aplUnit(t, env, "PE-MRE-DGPCA-ASN")
	old := aplUnit(t, env, "PE-OLD")
	first := apitest.Create[aplAction](t, env, admin, "/v1/actions", map[string]any{"code": "ACT-ONE", "title": map[string]any{"en": "One"},
		"beneficiary_id": old, "start_date": "2022-10-01", "end_date": "2023-07-31"})
	path := "/v1/actions/" + first.ID
	if res := env.Send(t, http.MethodDelete, admin, "/v1/institutions/"+old.String(), nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive institution: %d %s", res.Status, res.Body)
	}

	before := env.Fingerprint(t)
	aplRefusals(t, env, admin, http.MethodPost, "/v1/actions", func() map[string]any {
		return aplActionBody("ACT-TWO", "2022-10-01", "2023-07-31")
	}, []aplCase{
		{"unknown beneficiary", map[string]any{"beneficiary_id": uuid.NewString()}, 422, []string{"beneficiary_id"}},
		{"beneficiary is an action", map[string]any{"beneficiary_id": first.ID}, 422, []string{"beneficiary_id"}},
		{"archived beneficiary", map[string]any{"beneficiary_id": old}, 422, []string{"beneficiary_id"}},
		{"end before start", map[string]any{"end_date": "2022-09-30"}, 422, []string{"end_date"}},
		{"duplicate code", map[string]any{"code": "ACT-ONE"}, 409, []string{"code"}},
		{"empty title", map[string]any{"title": map[string]any{}}, 400, nil},
		{"lower-case code", map[string]any{"code": "act-two"}, 400, nil},
		{"bad date", map[string]any{"start_date": "2022-13-01"}, 400, nil},
		{"empty objective", map[string]any{"specific_objectives": []any{map[string]any{}}}, 400, nil},
		{"demo mark", map[string]any{"demo": true}, 400, nil},
		{"unknown field", map[string]any{"budget": 1000}, 400, nil},
	})
	// The same rules on update; a patch may not remove the last title.
	aplRefusals(t, env, admin, http.MethodPatch, path, nil, []aplCase{
		{"unknown beneficiary", map[string]any{"beneficiary_id": uuid.NewString()}, 422, []string{"beneficiary_id"}},
		{"start after end", map[string]any{"start_date": "2023-08-01"}, 422, []string{"end_date"}},
		{"last title removed", map[string]any{"title": map[string]any{"en": nil}}, 422, []string{"title"}},
		{"start date removed", map[string]any{"start_date": nil}, 400, nil},
		{"demo mark", map[string]any{"demo": true}, 400, nil},
	})
	other := apitest.Create[aplAction](t, env, admin, "/v1/actions", aplActionBody("ACT-THREE", "2022-10-01", "2023-07-31"))
	before = env.Fingerprint(t)
	apitest.WantProblemFields(t, apitest.Problem(t, env.Send(t, http.MethodPatch, admin, "/v1/actions/"+other.ID,
		map[string]any{"code": "ACT-ONE"}, nil), http.StatusConflict), "code")
	env.Unchanged(t, before)

	// A beneficiary archived since it was set is kept: the action stays editable.
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"title": map[string]any{"es": "Uno"}}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("patch keeping an archived beneficiary: %d %s", res.Status, res.Body)
	}
	// A one-day action is fine.
	apitest.Create[aplAction](t, env, admin, "/v1/actions", aplActionBody("ACT-DAY", "2023-01-01", "2023-01-01"))

	// The service, as a loader calls it, applies the same rules and marks demo data.
	svc := actionplan.NewActionService(env.DB)
	before = env.Fingerprint(t)
	_, err := svc.Create(aplSys(), actionplan.ActionFields{Code: "bad code", StartDate: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC),
		EndDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), SpecificObjectives: []actionplan.Text{{EN: new("ok")}, {ES: new("")}}})
	if fields := aplFieldsOf(t, err); !slices.Equal(fields, []string{"code", "title", "end_date", "specific_objectives.1"}) {
		t.Errorf("service refusal fields %v", fields)
	}
	if _, err := svc.Create(aplSys(), actionplan.ActionFields{Code: "NO-DATES", Title: actionplan.Text{EN: new("x")}}); !apperr.Is(err, apperr.Unprocessable) {
		t.Errorf("dateless action: %v", err)
	}
	env.Unchanged(t, before)
	demo, err := svc.Create(aplSys(), actionplan.ActionFields{Code: "DEMO", Title: actionplan.Text{EN: new("Demo")}, BeneficiaryID: &asn,
		StartDate: time.Date(2022, 10, 1, 15, 0, 0, 0, time.UTC), EndDate: time.Date(2023, 7, 31, 0, 0, 0, 0, time.UTC), Demo: true})
	if err != nil || !demo.Demo || len(demo.SpecificObjectives) != 0 {
		t.Fatalf("demo create: %+v %v", demo, err)
	}
	if n := env.Count(t, "actions", "id = ? AND demo AND start_date = '2022-10-01'", demo.ID); n != 1 {
		t.Errorf("demo action not stored")
	}
}

// Only coordinators, admins and importers write actions: an action is not a unit's record, so an
// editor of the beneficiary may not write it either. Everyone reads.
func TestActionWriters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := aplUnit(t, env, "PE-MRE-DGPCA-ASN")
	b := aplActionBody("ACT-ONE", "2022-10-01", "2023-07-31")
	b["beneficiary_id"] = asn
	id := apitest.Create[aplAction](t, env, admin, "/v1/actions", b).ID
	aplWriters(t, env, asn, "/v1/actions", "/v1/actions/"+id, aplActionBody("ACT-NEW", "2022-10-01", "2023-07-31"),
		map[string]any{"end_date": "2023-08-31"}, "actions", "end_date = '2023-08-31'")
	if n := env.Count(t, "actions", "true"); n != 3 {
		t.Errorf("%d actions, want 3", n)
	}

	// A retried POST with the same Idempotency-Key gets the first answer; another body, a 422.
	key := map[string]string{"Idempotency-Key": uuid.NewString()}
	body := aplActionBody("ACT-RETRY", "2023-01-01", "2023-12-31")
	first := env.Send(t, http.MethodPost, admin, "/v1/actions", body, key)
	again := env.Send(t, http.MethodPost, admin, "/v1/actions", body, key)
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || !bytes.Equal(first.Body, again.Body) {
		t.Errorf("retry: %d %s, then %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	body["end_date"] = "2023-11-30"
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, "/v1/actions", body, key), http.StatusUnprocessableEntity)
	if n := env.Count(t, "actions", "code = 'ACT-RETRY' AND end_date = '2023-12-31'"); n != 1 {
		t.Errorf("%d actions ACT-RETRY", n)
	}
}

func TestActionList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn, pim := aplUnit(t, env, "PE-ASN"), aplUnit(t, env, "PE-PIM")
	for _, a := range []struct {
		code, start, end string
		beneficiary      uuid.UUID
		title, goalES    string
	}{
		{"EUDIF-CDL-PE-2022", "2022-10-01", "2023-07-31", asn, "Strengthening regulatory foundations", "Fortalecer la coordinación de la diáspora"},
		{"EUDIF-CDL-PE-2024", "2024-03-01", "2024-12-31", asn, "Consular services for returnees", "Servicios para el retorno"},
		{"PIM-2021", "2021-01-15", "2021-06-30", pim, "Migration policy review", "Revisión de la política migratoria"},
		{"ASN-PLAN-2023", "2023-02-01", "2023-11-30", pim, "Diaspora mapping", "Mapeo de la diáspora peruana"},
	} {
		b := aplActionBody(a.code, a.start, a.end)
		b["beneficiary_id"], b["title"] = a.beneficiary, map[string]any{"en": a.title}
		b["general_objective"] = map[string]any{"es": a.goalES}
		apitest.Create[aplAction](t, env, admin, "/v1/actions", b)
	}
	old := apitest.Create[aplAction](t, env, admin, "/v1/actions", aplActionBody("OLD-2019", "2019-01-01", "2019-12-31"))
	if res := env.Send(t, http.MethodDelete, admin, "/v1/actions/"+old.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	base := "/v1/actions?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"EUDIF-CDL-PE-2024", "ASN-PLAN-2023", "EUDIF-CDL-PE-2022", "PIM-2021"}}, // latest first
		{"order_by=start_date", []string{"PIM-2021", "EUDIF-CDL-PE-2022", "ASN-PLAN-2023", "EUDIF-CDL-PE-2024"}},
		{"order_by=-code", []string{"PIM-2021", "EUDIF-CDL-PE-2024", "EUDIF-CDL-PE-2022", "ASN-PLAN-2023"}},
		{"order_by=created_at", []string{"EUDIF-CDL-PE-2022", "EUDIF-CDL-PE-2024", "PIM-2021", "ASN-PLAN-2023"}},
		{"beneficiary_id=" + asn.String(), []string{"EUDIF-CDL-PE-2024", "EUDIF-CDL-PE-2022"}},
		{"beneficiary_id=" + uuid.NewString(), []string{}},
		{"code=PIM-2021&code=ASN-PLAN-2023&code=NOPE", []string{"ASN-PLAN-2023", "PIM-2021"}},
		{"q=diaspora", []string{"ASN-PLAN-2023", "EUDIF-CDL-PE-2022"}}, // English title, Spanish objective
		{"q=diáspora&beneficiary_id=" + pim.String(), []string{"ASN-PLAN-2023"}},
		{"q=migratoria", []string{"PIM-2021"}},
		{"q=regulat", []string{"EUDIF-CDL-PE-2022"}},
		{"q=eudif-cdl-pe-2024", []string{"EUDIF-CDL-PE-2024"}},
		{"q=inexistente", []string{}},
		{"include_archived=true&order_by=start_date", []string{"OLD-2019", "PIM-2021", "EUDIF-CDL-PE-2022", "ASN-PLAN-2023", "EUDIF-CDL-PE-2024"}},
	} {
		if got := env.OnePage(t, admin, "code", base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	aplPaging(t, env, admin, base, 4, "start_date", "-start_date", "code", "-code", "created_at", "-created_at")
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, base+"beneficiary_id=nope", nil, nil), http.StatusBadRequest)
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, base+"order_by=title", nil, nil), http.StatusBadRequest)
}
