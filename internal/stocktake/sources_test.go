package stocktake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// srcEvent is an audit event as stored.
type srcEvent struct {
	Action string
	Before json.RawMessage
	After  json.RawMessage
}

// srcInstitution creates an institution directly through the service, as the system.
func srcInstitution(t *testing.T, env *apitest.Env, code, status string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	i, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "agency", Tier: "national", Status: status, ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return i.ID
}

func srcBody(code string) map[string]any {
	return map[string]any{"code": code, "title": map[string]any{"es": "Fuente " + code}, "type": "study", "access": "public"}
}

func srcCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) map[string]any {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create source %v: %d %s", body["code"], res.Status, res.Body)
	}
	return res.JSON(t)
}

func srcPatch(t *testing.T, env *apitest.Env, token, id string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/data-sources/" + id, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func srcGet(t *testing.T, env *apitest.Env, token, id string) (map[string]any, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-sources/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get source %s: %d %s", id, res.Status, res.Body)
	}
	return res.JSON(t), res
}

// srcList returns the codes a list query answers, and the next page token.
func srcList(t *testing.T, env *apitest.Env, token, query string) ([]string, string) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-sources?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, res.Status, res.Body)
	}
	var page struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
		NextPageToken string `json:"next_page_token"`
	}
	res.Decode(t, &page)
	codes := make([]string, len(page.Items))
	for i, it := range page.Items {
		codes[i] = it.Code
	}
	return codes, page.NextPageToken
}

func srcEvents(t *testing.T, env *apitest.Env, id string) []srcEvent {
	t.Helper()
	var out []srcEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func srcWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Fatalf("no error on field %s: %v", field, problem)
}

// srcNormal turns v into what JSON decoding gives, for comparisons.
func srcNormal(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSrcCreateGetRoundTrip(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	inei := srcInstitution(t, env, "INEI", "", nil)
	body := map[string]any{
		"code":         "INEI-ENAHO",
		"title":        map[string]any{"es": "Encuesta Nacional de Hogares", "en": "National Household Survey"},
		"description":  map[string]any{"es": "Encuesta continua", "en": "Continuous survey"},
		"publisher_id": inei.String(), "type": "household_survey",
		"temporal_coverage": map[string]any{"start": "2004-01-01", "end": "2023-12-31"},
		"spatial_coverage":  []string{"PE", "CL", "AR"},
		"periodicity":       "annual", "disaggregations": []string{"sex", "age", "region_of_origin"},
		"access": "on_request", "licence": "CC-BY-4.0", "format": "CSV", "landing_url": "https://www.inei.gob.pe/enaho",
		"last_updated":  "2024-05-01",
		"contact_point": map[string]any{"name": "Mesa de ayuda", "email": "ayuda@inei.gob.pe"},
		"quality": map[string]any{
			"timeliness":    map[string]any{"score": 4, "note": "a year late"},
			"completeness":  map[string]any{"score": 3},
			"comparability": map[string]any{"score": 5, "note": "stable design"},
			"assessed_by":   "PIM", "assessed_on": "2023-03-15",
		},
		"caveats": []string{"proxy_definition", "reference_year_mismatch"},
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	created := res.JSON(t)
	id := created["id"].(string)
	if got := res.Header.Get("Location"); got != "/v1/data-sources/"+id {
		t.Errorf("Location %q", got)
	}
	if got := res.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag %q", got)
	}
	got, getRes := srcGet(t, env, admin, id)
	if getRes.Header.Get("ETag") != `"1"` {
		t.Errorf("get ETag %q", getRes.Header.Get("ETag"))
	}
	want := srcNormal(t, body).(map[string]any)
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s: got %v, want %v", k, got[k], v)
		}
	}
	if got["demo"] != false || got["version"] != float64(1) || got["archived_at"] != nil {
		t.Errorf("bookkeeping: %v", got)
	}
	if !reflect.DeepEqual(created, got) {
		t.Errorf("create answered %v, get %v", created, got)
	}
	if n := env.Count(t, "data_sources", `id = ? AND coverage_start = '2004-01-01' AND coverage_end = '2023-12-31'
		AND spatial_coverage = ARRAY['PE','CL','AR'] AND contact_name = 'Mesa de ayuda' AND contact_email = 'ayuda@inei.gob.pe'
		AND timeliness_score = 4 AND timeliness_note = 'a year late' AND completeness_score = 3 AND completeness_note IS NULL
		AND comparability_score = 5 AND assessed_by = 'PIM' AND assessed_on = '2023-03-15'
		AND caveats = ARRAY['proxy_definition','reference_year_mismatch'] AND publisher_id = ?`, id, inei); n != 1 {
		t.Errorf("stored row does not match the flat columns")
	}
	ev := srcEvents(t, env, id)
	if len(ev) != 1 || ev[0].Action != "data_source.create" || ev[0].Before != nil {
		t.Fatalf("audit: %+v", ev)
	}
	var after map[string]any
	if err := json.Unmarshal(ev[0].After, &after); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after["quality"], want["quality"]) || after["code"] != "INEI-ENAHO" {
		t.Errorf("audit after: %s", ev[0].After)
	}

	t.Run("a minimal source has empty lists and no optional members", func(t *testing.T) {
		m := srcCreate(t, env, admin, srcBody("MIN"))
		for _, k := range []string{"spatial_coverage", "disaggregations", "caveats"} {
			if l, ok := m[k].([]any); !ok || len(l) != 0 {
				t.Errorf("%s: %v", k, m[k])
			}
		}
		for _, k := range []string{"quality", "temporal_coverage", "contact_point", "description", "publisher_id"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s present: %v", k, m[k])
			}
		}
	})
	t.Run("unknown id is 404", func(t *testing.T) {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-sources/" + uuid.NewString(), Token: admin})
		apitest.Problem(t, res, http.StatusNotFound)
	})
}

func TestSrcRejectsInvalidWrites(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	dissolved := srcInstitution(t, env, "OLD", "dissolved", nil)
	archived := srcInstitution(t, env, "GONE", "", nil)
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + archived.String(), Token: admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive institution: %d %s", res.Status, res.Body)
	}
	existing := srcCreate(t, env, admin, srcBody("TAKEN"))

	with := func(code string, extra map[string]any) map[string]any {
		b := srcBody(code)
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	quality := func(timeliness int) map[string]any {
		return map[string]any{"timeliness": map[string]any{"score": timeliness},
			"completeness": map[string]any{"score": 2}, "comparability": map[string]any{"score": 2}}
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"unknown country", with("A1", map[string]any{"spatial_coverage": []string{"PE", "XX"}}), 422, "spatial_coverage.1"},
		{"withdrawn country", with("A2", map[string]any{"spatial_coverage": []string{"YU"}}), 422, "spatial_coverage.0"},
		{"coverage ends before it starts", with("A3", map[string]any{"temporal_coverage": map[string]any{"start": "2020-01-01", "end": "2019-12-31"}}), 422, "temporal_coverage.end"},
		{"unknown publisher", with("A4", map[string]any{"publisher_id": uuid.NewString()}), 422, "publisher_id"},
		{"dissolved publisher", with("A5", map[string]any{"publisher_id": dissolved.String()}), 422, "publisher_id"},
		{"archived publisher", with("A6", map[string]any{"publisher_id": archived.String()}), 422, "publisher_id"},
		{"duplicate code", srcBody("TAKEN"), 409, "code"},
		{"score of 6", with("A7", map[string]any{"quality": quality(6)}), 400, ""},
		{"lower-case country", with("A8", map[string]any{"spatial_coverage": []string{"pe"}}), 400, ""},
		{"no title", with("A9", map[string]any{"title": map[string]any{}}), 400, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: admin, Body: c.body})
			p := apitest.Problem(t, res, c.status)
			if c.field != "" {
				srcWantField(t, p, c.field)
			}
			env.Unchanged(t, before)
		})
	}

	id := existing["id"].(string)
	for _, c := range []struct {
		name  string
		patch string
		field string
	}{
		{"patch removes the only title", `{"title":{"es":null}}`, "title"},
		{"patch to an unknown country", `{"spatial_coverage":["ZZ"]}`, "spatial_coverage.0"},
		{"patch to a taken code", `{"code":"OTHER"}`, "code"},
		{"patch a partial quality onto none", `{"quality":{"timeliness":{"score":3}}}`, "quality.completeness.score"},
		{"patch an end onto no coverage", `{"temporal_coverage":{"end":"2020-01-01"}}`, "temporal_coverage.start"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.field == "code" && env.Count(t, "data_sources", "code = 'OTHER'") == 0 {
				srcCreate(t, env, admin, srcBody("OTHER"))
			}
			before := env.Fingerprint(t)
			res := srcPatch(t, env, admin, id, json.RawMessage(c.patch), nil)
			status := http.StatusUnprocessableEntity
			if c.field == "code" {
				status = http.StatusConflict
			}
			srcWantField(t, apitest.Problem(t, res, status), c.field)
			env.Unchanged(t, before)
		})
	}
}

func TestSrcFiltersAndPaging(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	inei := srcInstitution(t, env, "INEI", "", nil)
	mk := func(code, typ, access string, extra map[string]any) {
		b := srcBody(code)
		b["type"], b["access"] = typ, access
		for k, v := range extra {
			b[k] = v
		}
		srcCreate(t, env, admin, b)
	}
	mk("S1", "household_survey", "public", map[string]any{"title": map[string]any{"es": "Encuesta Nacional de Hogares"},
		"spatial_coverage": []string{"PE"}, "disaggregations": []string{"sex", "age"}, "publisher_id": inei.String()})
	mk("S2", "census", "restricted", map[string]any{"spatial_coverage": []string{"PE", "CL"}, "caveats": []string{"modelled"}})
	mk("S3", "consular_register", "on_request", map[string]any{"spatial_coverage": []string{"US", "ES"},
		"disaggregations": []string{"country_of_residence"}, "caveats": []string{"registry_coverage", "modelled"},
		"title": map[string]any{"en": "Consular registrations"}})
	mk("S4", "study", "public", nil)
	mk("S5", "international_estimate", "public", map[string]any{"spatial_coverage": []string{"CL"}})

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"S1", "S2", "S3", "S4", "S5"}},
		{"country=PE", []string{"S1", "S2"}},
		{"country=CL", []string{"S2", "S5"}},
		{"country=JP", []string{}},
		{"disaggregation=sex", []string{"S1"}},
		{"disaggregation=country_of_residence", []string{"S3"}},
		{"caveat=modelled", []string{"S2", "S3"}},
		{"type=census&type=study", []string{"S2", "S4"}},
		{"access=public", []string{"S1", "S4", "S5"}},
		{"access=public&country=CL", []string{"S5"}},
		{"publisher_id=" + inei.String(), []string{"S1"}},
		{"q=encuesta%20hogares", []string{"S1"}},
		{"q=ENCUESTA%20H%C3%93GARES", []string{"S1"}},
		{"q=consular", []string{"S3"}},
		{"order_by=-code", []string{"S5", "S4", "S3", "S2", "S1"}},
	} {
		t.Run(c.query, func(t *testing.T) {
			got, _ := srcList(t, env, admin, c.query)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}

	t.Run("keyset pages", func(t *testing.T) {
		for _, order := range []string{"code", "-code", "created_at", "-updated_at"} {
			var all []string
			token := ""
			for range 10 {
				q := "page_size=2&order_by=" + order
				if token != "" {
					q += "&page_token=" + token
				}
				var page []string
				page, token = srcList(t, env, admin, q)
				all = append(all, page...)
				if token == "" {
					break
				}
			}
			full, _ := srcList(t, env, admin, "order_by="+order)
			if len(all) != 5 || !slices.Equal(all, full) {
				t.Errorf("%s: pages gave %v, one page %v", order, all, full)
			}
		}
		_, token := srcList(t, env, admin, "page_size=2&order_by=code")
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-sources?order_by=-code&page_token=" + token, Token: admin})
		apitest.Problem(t, res, http.StatusBadRequest)
	})

	t.Run("a page costs the same number of statements whatever its size", func(t *testing.T) {
		count := func(size int) int64 {
			before := env.DB.Queries()
			codes, _ := srcList(t, env, admin, fmt.Sprintf("page_size=%d", size))
			if len(codes) != size {
				t.Fatalf("page of %d: %v", size, codes)
			}
			return env.DB.Queries() - before
		}
		if small, large := count(1), count(5); small != large {
			t.Errorf("%d statements for 1 source, %d for 5", small, large)
		}
	})
}

func TestSrcUpdateAndArchive(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	b := srcBody("UPD")
	b["spatial_coverage"] = []string{"PE", "CL"}
	b["caveats"] = []string{"modelled"}
	b["quality"] = map[string]any{"timeliness": map[string]any{"score": 1}, "completeness": map[string]any{"score": 2},
		"comparability": map[string]any{"score": 3}, "assessed_by": "PIM"}
	b["temporal_coverage"] = map[string]any{"start": "2010-01-01", "end": "2015-01-01"}
	id := srcCreate(t, env, admin, b)["id"].(string)

	res := srcPatch(t, env, admin, id, json.RawMessage(`{"quality":null,"spatial_coverage":["US"],"temporal_coverage":{"end":null},
		"title":{"en":"Updated"},"caveats":null}`), map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if res.Header.Get("ETag") != `"2"` {
		t.Errorf("ETag %q", res.Header.Get("ETag"))
	}
	got := res.JSON(t)
	if _, ok := got["quality"]; ok {
		t.Errorf("quality not cleared: %v", got["quality"])
	}
	if !reflect.DeepEqual(got["spatial_coverage"], []any{"US"}) || !reflect.DeepEqual(got["caveats"], []any{}) {
		t.Errorf("lists not replaced: %v %v", got["spatial_coverage"], got["caveats"])
	}
	if !reflect.DeepEqual(got["temporal_coverage"], map[string]any{"start": "2010-01-01"}) {
		t.Errorf("coverage: %v", got["temporal_coverage"])
	}
	if !reflect.DeepEqual(got["title"], map[string]any{"es": "Fuente UPD", "en": "Updated"}) || got["version"] != float64(2) {
		t.Errorf("title/version: %v", got)
	}
	if env.Count(t, "data_sources", `id = ? AND timeliness_score IS NULL AND completeness_score IS NULL AND comparability_score IS NULL
		AND assessed_by IS NULL AND spatial_coverage = ARRAY['US'] AND coverage_end IS NULL AND caveats = '{}'`, id) != 1 {
		t.Error("stored row not updated")
	}
	ev := srcEvents(t, env, id)
	if len(ev) != 2 || ev[1].Action != "data_source.update" || !json.Valid(ev[1].Before) {
		t.Fatalf("audit: %+v", ev)
	}
	var before map[string]any
	_ = json.Unmarshal(ev[1].Before, &before)
	if before["quality"] == nil || before["version"] != float64(1) {
		t.Errorf("audit before: %s", ev[1].Before)
	}

	t.Run("stale If-Match is 412", func(t *testing.T) {
		fp := env.Fingerprint(t)
		res := srcPatch(t, env, admin, id, map[string]any{"format": "XLSX"}, map[string]string{"If-Match": `"1"`})
		apitest.Problem(t, res, http.StatusPreconditionFailed)
		res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/data-sources/" + id, Token: admin,
			Header: map[string]string{"If-Match": `"1"`}})
		apitest.Problem(t, res, http.StatusPreconditionFailed)
		env.Unchanged(t, fp)
	})
	t.Run("unknown id is 404", func(t *testing.T) {
		apitest.Problem(t, srcPatch(t, env, admin, uuid.NewString(), map[string]any{"format": "X"}, nil), http.StatusNotFound)
	})

	t.Run("archive, twice, and include_archived", func(t *testing.T) {
		for range 2 {
			res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/data-sources/" + id, Token: admin})
			if res.Status != http.StatusNoContent {
				t.Fatalf("archive: %d %s", res.Status, res.Body)
			}
		}
		ev := srcEvents(t, env, id)
		if len(ev) != 3 || ev[2].Action != "data_source.archive" {
			t.Fatalf("audit: %+v", ev)
		}
		if codes, _ := srcList(t, env, admin, ""); len(codes) != 0 {
			t.Errorf("archived source listed: %v", codes)
		}
		if codes, _ := srcList(t, env, admin, "include_archived=true"); !slices.Equal(codes, []string{"UPD"}) {
			t.Errorf("include_archived: %v", codes)
		}
		got, _ := srcGet(t, env, admin, id)
		if got["archived_at"] == nil || got["version"] != float64(3) {
			t.Errorf("archived source: %v", got)
		}
		fp := env.Fingerprint(t)
		apitest.Problem(t, srcPatch(t, env, admin, id, map[string]any{"format": "X"}, nil), http.StatusConflict)
		env.Unchanged(t, fp)
	})
}

func TestSrcWhoMayWrite(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	x := srcInstitution(t, env, "X", "", nil)
	xChild := srcInstitution(t, env, "X-1", "", &x)
	y := srcInstitution(t, env, "Y", "", nil)
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &x})
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &x})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	published := func(code string, by uuid.UUID) map[string]any {
		b := srcBody(code)
		b["publisher_id"] = by.String()
		return b
	}

	own := srcCreate(t, env, partner, published("X-OWN", x))["id"].(string)
	srcCreate(t, env, editor, published("X-CHILD", xChild))
	theirs := srcCreate(t, env, admin, published("Y-SRC", y))["id"].(string)

	for _, c := range []struct {
		name string
		do   func() apitest.Response
	}{
		{"partner creates for Y", func() apitest.Response {
			return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: partner, Body: published("P-Y", y)})
		}},
		{"partner creates without publisher", func() apitest.Response {
			return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: partner, Body: srcBody("P-NONE")})
		}},
		{"editor updates Y's source", func() apitest.Response {
			return srcPatch(t, env, editor, theirs, map[string]any{"format": "CSV"}, nil)
		}},
		{"editor moves its source to Y", func() apitest.Response {
			return srcPatch(t, env, editor, own, map[string]any{"publisher_id": y.String()}, nil)
		}},
		{"partner archives Y's source", func() apitest.Response {
			return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/data-sources/" + theirs, Token: partner})
		}},
		{"viewer creates", func() apitest.Response {
			return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: viewer, Body: srcBody("V")})
		}},
		{"viewer updates", func() apitest.Response {
			return srcPatch(t, env, viewer, own, map[string]any{"format": "CSV"}, nil)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fp := env.Fingerprint(t)
			apitest.Problem(t, c.do(), http.StatusForbidden)
			env.Unchanged(t, fp)
		})
	}

	t.Run("partner updates and archives its own source", func(t *testing.T) {
		res := srcPatch(t, env, partner, own, map[string]any{"publisher_id": xChild.String()}, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/data-sources/" + own, Token: partner})
		if res.Status != http.StatusNoContent {
			t.Fatalf("archive: %d %s", res.Status, res.Body)
		}
	})
	t.Run("viewer reads", func(t *testing.T) {
		if codes, _ := srcList(t, env, viewer, ""); !slices.Equal(codes, []string{"X-CHILD", "Y-SRC"}) {
			t.Errorf("list: %v", codes)
		}
	})
}
