package practices_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/practices"
)

func TestPracticeLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mre := prcInstitution(t, env, "PE-MRE", nil)
	iom := prcInstitution(t, env, "INT-IOM", nil)
	sbs := prcInstitution(t, env, "PE-SBS", nil)

	body := map[string]any{
		"code":        "PE-MTIGM",
		"title":       map[string]any{"es": "Mesa de Trabajo Intersectorial para la Gestión Migratoria", "en": "Intersectoral Working Table for Migration Management"},
		"summary":     map[string]any{"en": "A permanent multi-sector commission."},
		"description": map[string]any{"es": "Comisión Multisectorial de carácter permanente."},
		"scope":       "national", "country": "PE", "institution_id": mre.String(),
		"partner_ids": []string{iom.String(), sbs.String()}, "type": "institutional_framework",
		"themes": []string{"coordination", "governance"}, "migof": []string{"whole_of_government", "partnerships"},
		"gcm_objectives": []int{1, 23}, "sdg_targets": []string{"10.7", "17.18"},
		"period_start": "2011-01-01", "period_end": "2015-06-30",
		"target_population": map[string]any{"es": "Personas migrantes"}, "outcomes": map[string]any{"en": "27 ordinary sessions"},
		"lessons_learned": map[string]any{"es": "Coordinar"}, "recommendations": map[string]any{"en": "Keep it"},
		"transferability": map[string]any{"level": "high", "rationale": map[string]any{"en": "It is Peru's own."}},
		"sources":         []map[string]any{{"citation": "MTIGM successful experience sheet", "url": "https://www.perucontigo.gob.pe"}, {"citation": "IOM MGI Peru 2019"}},
	}
	res := prcPost(t, env, admin, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got prcPractice
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/practices/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q", et)
	}
	if got.Code != "PE-MTIGM" || prcDeref(got.Title.Es) != "Mesa de Trabajo Intersectorial para la Gestión Migratoria" ||
		got.Summary == nil || got.Summary.Es != nil || prcDeref(got.Summary.En) != "A permanent multi-sector commission." ||
		got.Scope != "national" || prcDeref(got.Country) != "PE" || prcDeref(got.InstitutionID) != mre.String() ||
		!slices.Equal(got.PartnerIDs, []string{iom.String(), sbs.String()}) || got.Type != "institutional_framework" ||
		!slices.Equal(got.Themes, []string{"coordination", "governance"}) ||
		!slices.Equal(got.Migof, []string{"whole_of_government", "partnerships"}) ||
		!slices.Equal(got.GcmObjectives, []int{1, 23}) || !slices.Equal(got.SdgTargets, []string{"10.7", "17.18"}) ||
		prcDeref(got.PeriodStart) != "2011-01-01" || prcDeref(got.PeriodEnd) != "2015-06-30" ||
		got.Transferability == nil || got.Transferability.Level != "high" || prcDeref(got.Transferability.Rationale.En) != "It is Peru's own." ||
		len(got.Sources) != 2 || prcDeref(got.Sources[0].URL) != "https://www.perucontigo.gob.pe" || got.Sources[1].URL != nil ||
		got.Status != "draft" || got.ReviewComment != nil || got.Demo || got.Version != 1 || got.ArchivedAt != nil ||
		got.Rank != nil || got.Highlights != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "practices", `id = ? AND code = 'PE-MTIGM' AND status = 'draft' AND institution_id = ?
		AND partner_ids = ARRAY[?, ?]::uuid[] AND gcm_objectives = '{1,23}' AND sdg_targets = '{10.7,17.18}'
		AND themes = '{coordination,governance}' AND summary_es IS NULL AND transferability = 'high'
		AND period_start = '2011-01-01' AND jsonb_array_length(sources) = 2 AND NOT demo AND version = 1`,
		got.ID, mre, iom, sbs); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := prcGet(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := prcEvents(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "practice.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	var after prcPractice
	if err := json.Unmarshal(evs[0].After, &after); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s, want %+v", evs[0].After, got)
	}

	// A merge patch replaces lists whole, null clears, nested objects merge, the rest stays.
	res = prcPatch(t, env, admin, got.ID, map[string]any{"partner_ids": []string{sbs.String()}, "themes": nil,
		"gcm_objectives": []int{5}, "summary": nil, "title": map[string]any{"en": nil},
		"transferability": map[string]any{"level": "medium"}, "period_end": nil, "sources": nil},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd prcPractice
	res.Decode(t, &upd)
	if !slices.Equal(upd.PartnerIDs, []string{sbs.String()}) || upd.Themes == nil || len(upd.Themes) != 0 ||
		!slices.Equal(upd.GcmObjectives, []int{5}) || upd.Summary != nil || upd.Title.En != nil ||
		prcDeref(upd.Title.Es) != prcDeref(got.Title.Es) || upd.Transferability.Level != "medium" ||
		prcDeref(upd.Transferability.Rationale.En) != "It is Peru's own." || upd.PeriodEnd != nil ||
		len(upd.Sources) != 0 || upd.Sources == nil || upd.Status != "draft" || upd.Version != 2 ||
		!slices.Equal(upd.Migof, got.Migof) || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "practices", `id = ? AND partner_ids = ARRAY[?]::uuid[] AND themes = '{}' AND gcm_objectives = '{5}'
		AND summary_en IS NULL AND title_en IS NULL AND transferability = 'medium' AND transferability_rationale_en IS NOT NULL
		AND period_end IS NULL AND sources = '[]' AND version = 2`, got.ID, sbs); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	evs = prcEvents(t, env, got.ID)
	var b, a prcPractice
	if len(evs) != 2 || evs[1].Action != "practice.update" || json.Unmarshal(evs[1].Before, &b) != nil ||
		json.Unmarshal(evs[1].After, &a) != nil || !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: %+v", evs)
	}

	// Stale ETags change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, prcPatch(t, env, admin, got.ID, map[string]any{"type": "data_system"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, prcDelete(t, env, admin, got.ID, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, prcMove(t, env, admin, got.ID, "submitted", "", map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second changes nothing; an archived practice is listed only on request
	// and cannot be edited or moved.
	if res := prcDelete(t, env, admin, got.ID, map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := prcGet(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 3 || ares.Header.Get("ETag") != `"3"` {
		t.Errorf("archived: %+v", arch)
	}
	before = env.Fingerprint(t)
	if res := prcDelete(t, env, admin, got.ID, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	apitest.Problem(t, prcPatch(t, env, admin, got.ID, map[string]any{"type": "data_system"}, nil), http.StatusConflict)
	apitest.Problem(t, prcMove(t, env, admin, got.ID, "submitted", "", nil), http.StatusConflict)
	env.Unchanged(t, before)
	if evs := prcEvents(t, env, got.ID); len(evs) != 3 || evs[2].Action != "practice.archive" {
		t.Errorf("audit after archive: %+v", evs)
	}
	if codes := prcCodes(t, env, admin, nil); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := prcCodes(t, env, admin, prcQuery("include_archived", "true")); !slices.Equal(codes, []string{"PE-MTIGM"}) {
		t.Errorf("list with archived: %v", codes)
	}

	// Unknown ids.
	missing := uuid.NewString()
	if _, res := prcGet(t, env, admin, missing); res.Status != http.StatusNotFound {
		t.Errorf("GET unknown: %d", res.Status)
	}
	apitest.Problem(t, prcPatch(t, env, admin, missing, map[string]any{"type": "data_system"}, nil), http.StatusNotFound)
	apitest.Problem(t, prcDelete(t, env, admin, missing, nil), http.StatusNotFound)
	apitest.Problem(t, prcMove(t, env, admin, missing, "submitted", "", nil), http.StatusNotFound)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/" + missing + "/transitions", Token: admin}), http.StatusNotFound)
	env.Unchanged(t, before)

	// The same Idempotency-Key with the same body returns the first result and writes once.
	key := map[string]string{"Idempotency-Key": uuid.NewString()}
	first := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices", Token: admin, Body: prcBody("PE-IDEM"), Header: key})
	again := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices", Token: admin, Body: prcBody("PE-IDEM"), Header: key})
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || first.JSON(t)["id"] != again.JSON(t)["id"] {
		t.Errorf("idempotent create: %d %d", first.Status, again.Status)
	}
	if n := env.Count(t, "practices", "code = 'PE-IDEM'"); n != 1 {
		t.Errorf("%d practices PE-IDEM", n)
	}
}

func TestPracticeRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mre := prcInstitution(t, env, "PE-MRE", nil)
	first := prcCreate(t, env, admin, prcBody("PE-ONE"))

	before := env.Fingerprint(t)
	with := func(changes map[string]any) map[string]any {
		b := prcBody("PE-NEW")
		for k, v := range changes {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	// Domain rules: 422 naming each field, on create and on update.
	for _, c := range []struct {
		name   string
		change map[string]any
		fields []string
	}{
		{"unknown institution", map[string]any{"institution_id": uuid.NewString()}, []string{"institution_id"}},
		{"unknown partners", map[string]any{"institution_id": mre.String(), "partner_ids": []string{uuid.NewString(), uuid.NewString()}},
			[]string{"partner_ids.0", "partner_ids.1"}},
		{"implementer as partner", map[string]any{"institution_id": mre.String(), "partner_ids": []string{mre.String()}},
			[]string{"partner_ids.0"}},
		{"national without country", map[string]any{"country": nil}, []string{"country"}},
		{"regional with country", map[string]any{"scope": "regional"}, []string{"country"}},
		{"not a country", map[string]any{"country": "XX"}, []string{"country"}},
		{"period order", map[string]any{"period_start": "2015-01-01", "period_end": "2014-12-31"}, []string{"period_end"}},
	} {
		p := apitest.Problem(t, prcPost(t, env, admin, with(c.change)), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			prcWantField(t, p, f)
		}
		if errs, _ := p["errors"].([]any); len(errs) != len(c.fields) {
			t.Errorf("%s: errors %v, want %v", c.name, errs, c.fields)
		}
		patch := map[string]any{}
		for k, v := range c.change {
			patch[k] = v // nil clears
		}
		p = apitest.Problem(t, prcPatch(t, env, admin, first.ID, patch, nil), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			prcWantField(t, p, f)
		}
	}
	// A patch may not remove the last title, nor leave a transferability without its level.
	prcWantField(t, apitest.Problem(t, prcPatch(t, env, admin, first.ID, map[string]any{"title": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity), "title")
	prcWantField(t, apitest.Problem(t, prcPatch(t, env, admin, first.ID, map[string]any{"transferability": map[string]any{"rationale": map[string]any{"es": "x"}}}, nil), http.StatusUnprocessableEntity), "transferability.level")

	// The contract refuses bad shapes first: 400.
	for name, b := range map[string]any{
		"objective 24":         with(map[string]any{"gcm_objectives": []int{1, 24}}),
		"objective 0":          with(map[string]any{"gcm_objectives": []int{0}}),
		"unknown field":        with(map[string]any{"participants": []string{"Ana Pérez"}}),
		"status on create":     with(map[string]any{"status": "published"}),
		"demo on create":       with(map[string]any{"demo": true}),
		"bad type":             with(map[string]any{"type": "best_practice"}),
		"bad sdg":              with(map[string]any{"sdg_targets": []string{"18.1"}}),
		"bad tag":              with(map[string]any{"themes": []string{"Bad Tag"}}),
		"repeated objective":   with(map[string]any{"gcm_objectives": []int{3, 3}}),
		"empty title":          with(map[string]any{"title": map[string]any{}}),
		"lower-case code":      with(map[string]any{"code": "pe-x"}),
		"bad institution uuid": with(map[string]any{"institution_id": "nope"}),
		"not JSON":             "{",
	} {
		if res := prcPost(t, env, admin, b); res.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	for name, patch := range map[string]any{
		"objective 24":  map[string]any{"gcm_objectives": []int{24}},
		"status":        map[string]any{"status": "published"},
		"review":        map[string]any{"review_comment": "x"},
		"unknown field": map[string]any{"emails": []string{"a@b.c"}},
		"empty":         map[string]any{},
	} {
		apitest.Problem(t, prcPatch(t, env, admin, first.ID, patch, nil), http.StatusBadRequest)
		_ = name
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices/" + first.ID + "/transitions",
		Token: admin, Body: map[string]any{"to": "archived"}}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices/" + first.ID + "/transitions",
		Token: admin, Body: map[string]any{"to": "submitted", "by": "me"}}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/nope", Token: admin}), http.StatusBadRequest)

	// Duplicate codes, on create and update.
	prcWantField(t, apitest.Problem(t, prcPost(t, env, admin, prcBody("PE-ONE")), http.StatusConflict), "code")
	env.Unchanged(t, before)
	other := prcCreate(t, env, admin, prcBody("PE-TWO"))
	before = env.Fingerprint(t)
	prcWantField(t, apitest.Problem(t, prcPatch(t, env, admin, other.ID, map[string]any{"code": "PE-ONE"}, nil), http.StatusConflict), "code")
	env.Unchanged(t, before)

	// A regional practice leaves the country out; changing scope means clearing it too.
	res := prcPatch(t, env, admin, other.ID, map[string]any{"scope": "regional", "country": nil}, nil)
	if res.Status != http.StatusOK || res.JSON(t)["country"] != nil || res.JSON(t)["scope"] != "regional" {
		t.Errorf("to regional: %d %s", res.Status, res.Body)
	}
}

// The service, as the demo loader and scripts call it, applies the same rules as the API.
func TestPracticeServiceRules(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	svc := practices.NewService(env.DB, env.App.Institutions)
	sys := prcSystem()
	before := env.Fingerprint(t)
	for name, c := range map[string]struct {
		f      practices.Fields
		fields []string
	}{
		"objective 24": {practices.Fields{Code: "X", Title: practices.Text{ES: new("x")}, Scope: "global", Type: "data_system",
			GcmObjectives: []int{1, 24}}, []string{"gcm_objectives.1"}},
		"everything wrong": {practices.Fields{Code: "x", Scope: "planetary", Type: "best", Themes: []string{"ok", "Not OK", "ok"},
			Migof: []string{"vibes"}, SdgTargets: []string{"99.9"}, Transferability: &practices.Transferability{Level: "huge"},
			Sources: []practices.Citation{{Citation: ""}}},
			[]string{"code", "title", "scope", "type", "themes.1", "themes.2", "migof.0", "sdg_targets.0", "transferability.level", "sources.0.citation"}},
		"unknown partner": {practices.Fields{Code: "X", Title: practices.Text{EN: new("x")}, Scope: "regional", Type: "data_system",
			PartnerIDs: []uuid.UUID{uuid.New()}}, []string{"partner_ids.0"}},
	} {
		_, err := svc.Create(sys, c.f)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got []string
		for _, fe := range ae.Fields {
			got = append(got, fe.Field)
		}
		if !slices.Equal(got, c.fields) {
			t.Errorf("%s: fields %v, want %v", name, got, c.fields)
		}
	}
	env.Unchanged(t, before)
	p, err := svc.Create(sys, practices.Fields{Code: "DEMO", Title: practices.Text{ES: new("Demo")}, Scope: "global", Type: "data_system", Demo: true})
	if err != nil || !p.Demo || p.Status != "draft" {
		t.Fatalf("demo create: %+v %v", p, err)
	}
	// A patch keeps the demo mark whatever the fields say.
	admin := env.AdminToken(t)
	if res := prcPatch(t, env, admin, p.ID.String(), map[string]any{"type": "legal_framework"}, nil); res.Status != http.StatusOK || res.JSON(t)["demo"] != true {
		t.Errorf("patch of a demo practice: %d %s", res.Status, res.Body)
	}
}

// A page costs the same number of statements whatever its size: no statement per row.
func TestPracticeListStatements(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	for i := range 30 {
		b := prcBody(fmt.Sprintf("P-%02d", i))
		b["title"] = map[string]any{"es": fmt.Sprintf("Protección %d", i), "en": "Protection"}
		b["themes"] = []string{"protection", fmt.Sprintf("t%d", i)}
		prcCreate(t, env, admin, b)
	}
	cost := func(query string) int64 {
		t.Helper()
		start := env.DB.Queries()
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?" + query, Token: admin})
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", query, res.Status, res.Body)
		}
		return env.DB.Queries() - start
	}
	for _, q := range []string{"", "q=proteccion", "q=proteccion&facets=country,type,gcm_objective,theme", "facets=theme&order_by=-created_at"} {
		if small, big := cost(q+"&page_size=2"), cost(q+"&page_size=30"); small != big || small > 3 {
			t.Errorf("?%s: %d statements for 2 rows, %d for 30", q, small, big)
		}
	}
}
