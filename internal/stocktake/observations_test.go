package stocktake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// obsFixture is what most observation tests write against.
type obsFixture struct {
	env    *apitest.Env
	admin  string
	stock  string // an indicator measuring a stock
	flow   string // an indicator measuring a flow
	source string // a data source without publisher
}

func obsSetup(t *testing.T) obsFixture {
	t.Helper()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	return obsFixture{env: env, admin: admin,
		stock:  obsIndicator(t, env, admin, "OBS.STOCK", "stock"),
		flow:   obsIndicator(t, env, admin, "OBS.FLOW", "flow"),
		source: obsSource(t, env, admin, "OBS-SRC", nil),
	}
}

func obsIndicator(t *testing.T, env *apitest.Env, token, code, measure string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: token, Body: map[string]any{
		"code": code, "name": map[string]any{"es": "Indicador " + code}, "unit": "personas", "measure": measure}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create indicator %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func obsSource(t *testing.T, env *apitest.Env, token, code string, publisher *uuid.UUID) string {
	t.Helper()
	body := map[string]any{"code": code, "title": map[string]any{"es": "Fuente " + code}, "type": "study", "access": "public"}
	if publisher != nil {
		body["publisher_id"] = publisher.String()
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create source %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func obsInstitution(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	i, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "agency", Tier: "national", Status: "active"})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return i.ID
}

func obsBody(indicator, source, period, country string, value float64) map[string]any {
	return map[string]any{"indicator_id": indicator, "source_id": source, "period": period, "country": country, "value": value}
}

func obsPost(t *testing.T, env *apitest.Env, token string, body any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/observations", Token: token, Body: body})
}

func obsMust(t *testing.T, env *apitest.Env, token string, body any, status int) map[string]any {
	t.Helper()
	res := obsPost(t, env, token, body)
	if res.Status != status {
		t.Fatalf("post %v: %d, want %d: %s", body, res.Status, status, res.Body)
	}
	return res.JSON(t)
}

func obsPatch(t *testing.T, env *apitest.Env, token, id string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/observations/" + id, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func obsWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Fatalf("no error on field %s: %v", field, problem)
}

// obsPage is a decoded list page.
type obsPage struct {
	Items []struct {
		ID          string  `json:"id"`
		Period      string  `json:"period"`
		PeriodStart string  `json:"period_start"`
		Country     *string `json:"country"`
		Value       float64 `json:"value"`
	} `json:"items"`
	NextPageToken string `json:"next_page_token"`
}

func obsList(t *testing.T, env *apitest.Env, token, query string) obsPage {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/observations?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, res.Status, res.Body)
	}
	var p obsPage
	res.Decode(t, &p)
	return p
}

// obsIDs returns the ids a list query answers, following every page.
func obsIDs(t *testing.T, env *apitest.Env, token, query string) []string {
	t.Helper()
	var out []string
	token2 := ""
	for {
		q := query
		if token2 != "" {
			q += "&page_token=" + url.QueryEscape(token2)
		}
		p := obsList(t, env, token, q)
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		if p.NextPageToken == "" {
			return out
		}
		token2 = p.NextPageToken
	}
}

type obsEvent struct {
	Action string
	Before json.RawMessage
	After  json.RawMessage
}

func obsEvents(t *testing.T, env *apitest.Env, id string) []obsEvent {
	t.Helper()
	var out []obsEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func obsValueOf(t *testing.T, raw json.RawMessage) float64 {
	t.Helper()
	var v struct {
		Value float64 `json:"value"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("snapshot %s: %v", raw, err)
	}
	return v.Value
}

func TestObsUpsert(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	env := fx.env

	body := obsBody(fx.stock, fx.source, "2022", "US", 1046000)
	body["flags"] = []string{"doubted_unit"}
	res := obsPost(t, env, fx.admin, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	o := res.JSON(t)
	id := o["id"].(string)
	if res.Header.Get("Location") != "/v1/observations/"+id || res.Header.Get("ETag") != `"1"` {
		t.Fatalf("headers %v", res.Header)
	}
	if o["sex"] != "total" || o["age_group"] != "total" || o["status"] != "estimate" || o["version"].(float64) != 1 ||
		o["period_start"] != "2022-01-01" || o["period_end"] != "2022-12-31" || o["country"] != "US" || o["value"].(float64) != 1046000 {
		t.Fatalf("created %v", o)
	}

	// The same dimensions again update the one row.
	body["value"], body["status"] = 1100000, "final"
	delete(body, "flags")
	res = obsPost(t, env, fx.admin, body)
	if res.Status != http.StatusOK {
		t.Fatalf("upsert: %d %s", res.Status, res.Body)
	}
	u := res.JSON(t)
	if u["id"] != id || u["version"].(float64) != 2 || u["value"].(float64) != 1100000 || u["status"] != "final" ||
		len(u["flags"].([]any)) != 0 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("updated %v %v", u, res.Header)
	}
	if n := env.Count(t, "observations", "true"); n != 1 {
		t.Fatalf("%d rows", n)
	}
	if n := env.Count(t, "observations", "id = ? AND value = 1100000 AND version = 2 AND status = 'final'", id); n != 1 {
		t.Fatal("row not updated")
	}
	ev := obsEvents(t, env, id)
	if len(ev) != 2 || ev[0].Action != "observation.create" || ev[1].Action != "observation.update" ||
		obsValueOf(t, ev[1].Before) != 1046000 || obsValueOf(t, ev[1].After) != 1100000 {
		t.Fatalf("events %+v", ev)
	}

	// Another sex, age group or place is another observation.
	body["sex"] = "female"
	f := obsMust(t, env, fx.admin, body, http.StatusCreated)
	if f["id"] == id || f["sex"] != "female" {
		t.Fatalf("female %v", f)
	}
	region := map[string]any{"indicator_id": fx.stock, "source_id": fx.source, "period": "2022", "region": "15", "value": 5,
		"age_group": "15-29"}
	r := obsMust(t, env, fx.admin, region, http.StatusCreated)
	if r["region"] != "15" || r["country"] != nil || r["age_group"] != "15-29" {
		t.Fatalf("region %v", r)
	}
	if n := env.Count(t, "observations", "place_kind = 'region' AND place_code = '15'"); n != 1 {
		t.Fatal("region not stored")
	}
	if n := env.Count(t, "observations", "true"); n != 3 {
		t.Fatalf("%d rows", n)
	}

	// An archived observation is revived by sending its dimensions again.
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/observations/" + id, Token: fx.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	delete(body, "sex")
	res = obsPost(t, env, fx.admin, body)
	if res.Status != http.StatusOK {
		t.Fatalf("revive: %d %s", res.Status, res.Body)
	}
	if v := res.JSON(t); v["id"] != id || v["archived_at"] != nil || v["version"].(float64) != 4 {
		t.Fatalf("revived %v", v)
	}
}

func TestObsPeriods(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	for _, c := range []struct{ period, start, end string }{
		{"2022", "2022-01-01", "2022-12-31"},
		{"2022-09", "2022-09-01", "2022-09-30"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2022-01-01/2022-06-30", "2022-01-01", "2022-06-30"},
		{"2023-03-15/2023-03-15", "2023-03-15", "2023-03-15"},
	} {
		o := obsMust(t, fx.env, fx.admin, obsBody(fx.flow, fx.source, c.period, "ES", 10), http.StatusCreated)
		if o["period"] != c.period || o["period_start"] != c.start || o["period_end"] != c.end {
			t.Errorf("period %s: %v..%v", c.period, o["period_start"], o["period_end"])
		}
		if n := fx.env.Count(t, "observations", "id = ? AND period = ? AND period_start = ? AND period_end = ?",
			o["id"], c.period, c.start, c.end); n != 1 {
			t.Errorf("period %s stored wrongly", c.period)
		}
	}
}

func TestObsRejects(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	env := fx.env
	archivedInd := obsIndicator(t, env, fx.admin, "OBS.OLD", "flow")
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/indicators/" + archivedInd, Token: fx.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive indicator: %d %s", res.Status, res.Body)
	}
	with := func(change func(map[string]any)) map[string]any {
		b := obsBody(fx.stock, fx.source, "2022", "US", 100)
		change(b)
		return b
	}
	before := env.Fingerprint(t)
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"bad month", with(func(b map[string]any) { b["period"] = "2022-13" }), 400, "period"},
		{"impossible day", with(func(b map[string]any) { b["period"] = "2022-02-30/2022-03-01" }), 400, "period"},
		{"end before start", with(func(b map[string]any) { b["period"] = "2022-06-30/2022-01-01" }), 400, "period"},
		{"world with a country", with(func(b map[string]any) { b["place_kind"] = "world" }), 422, "place_kind"},
		{"region kind with a country", with(func(b map[string]any) { b["place_kind"] = "region" }), 422, "region"},
		{"unknown place kind", with(func(b map[string]any) { b["place_kind"] = "planet" }), 400, ""},
		{"unknown indicator", with(func(b map[string]any) { b["indicator_id"] = uuid.NewString() }), 422, "indicator_id"},
		{"archived indicator", with(func(b map[string]any) { b["indicator_id"] = archivedInd }), 422, "indicator_id"},
		{"unknown source", with(func(b map[string]any) { b["source_id"] = uuid.NewString() }), 422, "source_id"},
		{"unknown country", with(func(b map[string]any) { b["country"] = "XX" }), 422, "country"},
		{"country and region", with(func(b map[string]any) { b["region"] = "15" }), 422, "country"},
		{"no place", with(func(b map[string]any) { delete(b, "country") }), 422, "country"},
		{"negative stock", with(func(b map[string]any) { b["value"] = -1 }), 422, "value"},
		{"short period", with(func(b map[string]any) { b["period"] = "22" }), 400, ""},
		{"bad region", with(func(b map[string]any) { delete(b, "country"); b["region"] = "26" }), 400, ""},
		{"bad age group", with(func(b map[string]any) { b["age_group"] = "adult" }), 400, ""},
	} {
		p := apitest.Problem(t, obsPost(t, env, fx.admin, c.body), c.status)
		if c.field != "" {
			obsWantField(t, p, c.field)
		}
	}
	env.Unchanged(t, before)

	// A negative flow is fine.
	obsMust(t, env, fx.admin, obsBody(fx.flow, fx.source, "2022", "US", -250), http.StatusCreated)
	// 404 for an unknown observation.
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/observations/" + uuid.NewString(), Token: fx.admin}), 404)
	apitest.Problem(t, obsPatch(t, env, fx.admin, uuid.NewString(), map[string]any{"value": 1}, nil), 404)
}

func TestObsFiltersAndPaging(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	env := fx.env
	other := obsSource(t, env, fx.admin, "OBS-OTHER", nil)
	id := func(o map[string]any) string { return o["id"].(string) }
	us21 := id(obsMust(t, env, fx.admin, obsBody(fx.stock, fx.source, "2021", "US", 1), 201))
	es22 := id(obsMust(t, env, fx.admin, obsBody(fx.stock, fx.source, "2022-01-01/2022-06-30", "ES", 2), 201))
	ar22 := id(obsMust(t, env, fx.admin, obsBody(fx.flow, other, "2022-09", "AR", 3), 201))
	fem := obsBody(fx.stock, other, "2023", "US", 4)
	fem["sex"], fem["status"], fem["age_group"] = "female", "final", "65+"
	usF23 := id(obsMust(t, env, fx.admin, fem, 201))
	reg := map[string]any{"indicator_id": fx.flow, "source_id": fx.source, "period": "2022", "region": "04", "value": 5}
	r04 := id(obsMust(t, env, fx.admin, reg, 201))

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{us21, es22, r04, ar22, usF23}},
		{"indicator_id=" + fx.flow, []string{r04, ar22}},
		{"source_id=" + other, []string{ar22, usF23}},
		{"country=US&country=ES", []string{us21, es22, usF23}},
		{"region=04", []string{r04}},
		{"country=AR&region=04", []string{r04, ar22}},
		{"sex=female", []string{usF23}},
		{"sex=total&sex=male", []string{us21, es22, r04, ar22}},
		{"age_group=65%2B", []string{usF23}},
		{"status=final", []string{usF23}},
		// Overlap: periods ending on or after 2022-07-01 and starting on or before 2022-12-31.
		{"period_from=2022-07-01&period_to=2022-12-31", []string{r04, ar22}},
		{"period_from=2022-06-30&period_to=2022-06-30", []string{es22, r04}},
		{"period_to=2021-12-31", []string{us21}},
		{"period_from=2023-01-01", []string{usF23}},
	} {
		got := obsIDs(t, env, fx.admin, c.query)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.query, got, c.want)
		}
	}

	// A long period that started well before period_from still overlaps it (the list bounds
	// period_start by the longest period stored).
	decade := id(obsMust(t, env, fx.admin, obsBody(fx.flow, fx.source, "2005-01-01/2021-12-31", "BR", 6), 201))
	for _, q := range []string{"country=BR&period_from=2021-06-01", "country=BR&period_from=2021-12-31&order_by=-period"} {
		if got := obsIDs(t, env, fx.admin, q); !reflect.DeepEqual(got, []string{decade}) {
			t.Errorf("%q: got %v, want the 2005–2021 period", q, got)
		}
	}
	if got := obsIDs(t, env, fx.admin, "country=BR&period_from=2022-01-01"); len(got) != 0 {
		t.Errorf("a period ending in 2021 listed from 2022: %v", got)
	}

	// ~31 rows, keyset-paged in both orders, same rows each way.
	for i := range 25 {
		obsMust(t, env, fx.admin, obsBody(fx.flow, fx.source, fmt.Sprintf("%d-%02d", 2000+i/12, i%12+1), "CL", float64(i)), 201)
	}
	for _, order := range []string{"period", "created_at"} {
		asc := obsIDs(t, env, fx.admin, "page_size=7&order_by="+order)
		desc := obsIDs(t, env, fx.admin, "page_size=4&order_by=-"+order)
		if len(asc) != 31 || len(desc) != 31 {
			t.Fatalf("%s: %d and %d rows", order, len(asc), len(desc))
		}
		rev := slices.Clone(desc)
		slices.Reverse(rev)
		if !reflect.DeepEqual(asc, rev) {
			t.Fatalf("%s: descending is not ascending reversed", order)
		}
		seen := map[string]bool{}
		for _, x := range asc {
			if seen[x] {
				t.Fatalf("%s: %s twice", order, x)
			}
			seen[x] = true
		}
	}
	starts := obsList(t, env, fx.admin, "page_size=100").Items
	for i := 1; i < len(starts); i++ {
		if starts[i].PeriodStart < starts[i-1].PeriodStart {
			t.Fatalf("not ordered by period: %s after %s", starts[i].PeriodStart, starts[i-1].PeriodStart)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet,
		Path:  "/v1/observations?order_by=-period&page_token=" + url.QueryEscape(obsList(t, env, fx.admin, "page_size=2").NextPageToken),
		Token: fx.admin}), 400)

	// A page costs the same statements whatever its size, and a deep page the same as the first.
	statements := func(query string, want int) int64 {
		t.Helper()
		start := env.DB.Queries()
		p := obsList(t, env, fx.admin, query)
		n := env.DB.Queries() - start
		if len(p.Items) != want {
			t.Fatalf("%s: %d items", query, len(p.Items))
		}
		return n
	}
	small, large := statements("page_size=2", 2), statements("page_size=25", 25)
	deep := statements("page_size=2&page_token="+url.QueryEscape(obsList(t, env, fx.admin, "page_size=26").NextPageToken), 2)
	if small != large || small != deep {
		t.Fatalf("statements: page of 2 %d, page of 25 %d, deep page %d", small, large, deep)
	}
}

func TestObsPatchAndArchive(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	env := fx.env
	body := obsBody(fx.stock, fx.source, "2022", "US", 10)
	body["flags"], body["note"] = []string{"doubted_value"}, "según el censo"
	o := obsMust(t, env, fx.admin, body, http.StatusCreated)
	id := o["id"].(string)

	res := obsPatch(t, env, fx.admin, id, map[string]any{"value": 12.5, "flags": nil, "note": nil, "status": "provisional"},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	p := res.JSON(t)
	if p["value"].(float64) != 12.5 || len(p["flags"].([]any)) != 0 || p["note"] != nil || p["status"] != "provisional" ||
		p["version"].(float64) != 2 || p["country"] != "US" || p["period"] != "2022" || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patched %v", p)
	}
	if n := env.Count(t, "observations", "id = ? AND value = 12.5 AND flags = '{}' AND note IS NULL AND version = 2", id); n != 1 {
		t.Fatal("patch not stored")
	}
	ev := obsEvents(t, env, id)
	if len(ev) != 2 || ev[1].Action != "observation.update" || obsValueOf(t, ev[1].Before) != 10 {
		t.Fatalf("events %+v", ev)
	}

	before := env.Fingerprint(t)
	apitest.Problem(t, obsPatch(t, env, fx.admin, id, map[string]any{"value": 1}, map[string]string{"If-Match": `"1"`}), 412)
	obsWantField(t, apitest.Problem(t, obsPatch(t, env, fx.admin, id, map[string]any{"value": -3}, nil), 422), "value")
	apitest.Problem(t, obsPatch(t, env, fx.admin, id, map[string]any{"country": "ES"}, nil), 400)
	env.Unchanged(t, before)

	// Archive: 412 when stale, then twice a no-op.
	del := func(h map[string]string) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/observations/" + id, Token: fx.admin, Header: h})
	}
	apitest.Problem(t, del(map[string]string{"If-Match": `"1"`}), 412)
	if res := del(map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if res := del(nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive again: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "observations", "id = ? AND archived_at IS NOT NULL AND version = 3", id); n != 1 {
		t.Fatal("not archived once")
	}
	if ev := obsEvents(t, env, id); len(ev) != 3 || ev[2].Action != "observation.archive" {
		t.Fatalf("events %+v", ev)
	}
	apitest.Problem(t, obsPatch(t, env, fx.admin, id, map[string]any{"value": 1}, nil), 409)
	if got := obsIDs(t, env, fx.admin, ""); len(got) != 0 {
		t.Fatalf("archived listed: %v", got)
	}
	if got := obsIDs(t, env, fx.admin, "include_archived=true"); !reflect.DeepEqual(got, []string{id}) {
		t.Fatalf("include_archived: %v", got)
	}
	g := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/observations/" + id, Token: fx.admin})
	if g.Status != http.StatusOK || g.JSON(t)["archived_at"] == nil || g.Header.Get("ETag") != `"3"` {
		t.Fatalf("get archived: %d %s", g.Status, g.Body)
	}
}

func TestObsWhoMayWrite(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mine, theirs := obsInstitution(t, env, "OBS-MINE"), obsInstitution(t, env, "OBS-THEIRS")
	ind := obsIndicator(t, env, admin, "OBS.W", "count")
	mySrc := obsSource(t, env, admin, "OBS-MY", &mine)
	theirSrc := obsSource(t, env, admin, "OBS-THEIR", &theirs)
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &mine})
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &mine})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})

	own := obsMust(t, env, partner, obsBody(ind, mySrc, "2022", "US", 7), http.StatusCreated)
	obsMust(t, env, editor, obsBody(ind, mySrc, "2022", "US", 8), http.StatusOK)
	foreign := obsMust(t, env, admin, obsBody(ind, theirSrc, "2022", "US", 9), http.StatusCreated)

	before := env.Fingerprint(t)
	apitest.Problem(t, obsPost(t, env, partner, obsBody(ind, theirSrc, "2021", "US", 1)), 403)
	apitest.Problem(t, obsPost(t, env, editor, obsBody(ind, theirSrc, "2022", "US", 1)), 403)
	apitest.Problem(t, obsPost(t, env, viewer, obsBody(ind, mySrc, "2021", "US", 1)), 403)
	apitest.Problem(t, obsPatch(t, env, partner, foreign["id"].(string), map[string]any{"value": 1}, nil), 403)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/observations/" + foreign["id"].(string), Token: partner}), 403)
	env.Unchanged(t, before)
	if n := env.Count(t, "observations", "source_id = ?", theirSrc); n != 1 {
		t.Fatalf("%d rows of their source", n)
	}

	if res := obsPatch(t, env, partner, own["id"].(string), map[string]any{"status": "final"}, nil); res.Status != http.StatusOK {
		t.Fatalf("partner patch own: %d %s", res.Status, res.Body)
	}
	// Everyone with read access reads every observation.
	if got := obsIDs(t, env, viewer, ""); len(got) != 2 {
		t.Fatalf("viewer sees %v", got)
	}
}

// Values keep full double precision through the API and the database: float32, which a
// number without format once generated, cannot hold 33,000,123.25.
func TestObsValuePrecision(t *testing.T) {
	t.Parallel()
	f := obsSetup(t)
	const v = 33_000_123.25
	created := obsMust(t, f.env, f.admin, obsBody(f.stock, f.source, "2022", "US", v), http.StatusCreated)
	if created["value"] != v {
		t.Fatalf("created value %v, want %v", created["value"], v)
	}
	var stored float64
	if err := f.env.DB.Conn(context.Background()).Raw(`SELECT value FROM observations WHERE id = ?`, created["id"]).Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if stored != v {
		t.Fatalf("stored %v, want %v", stored, v)
	}
}

// A world-level figure (a total over every country of residence) is its own place: it upserts
// on its dimensions like any other and is listed apart from the countries it sums.
func TestObsWorldPlace(t *testing.T) {
	t.Parallel()
	fx := obsSetup(t)
	env := fx.env
	world := map[string]any{"indicator_id": fx.stock, "source_id": fx.source, "period": "2022", "place_kind": "world", "value": 3300000}
	got := obsMust(t, env, fx.admin, world, http.StatusCreated)
	if got["place_kind"] != "world" || got["country"] != nil || got["region"] != nil {
		t.Fatalf("world observation: %v", got)
	}
	world["value"] = 3310000
	again := obsMust(t, env, fx.admin, world, http.StatusOK)
	if again["id"] != got["id"] || again["value"] != 3310000.0 {
		t.Fatalf("second load: %v, want an update of %v", again, got["id"])
	}
	us := obsMust(t, env, fx.admin, obsBody(fx.stock, fx.source, "2022", "US", 1000000), http.StatusCreated)
	if us["place_kind"] != "country" {
		t.Fatalf("country observation: place_kind %v", us["place_kind"])
	}
	if ids := obsIDs(t, env, fx.admin, "place_kind=world"); !reflect.DeepEqual(ids, []string{got["id"].(string)}) {
		t.Fatalf("place_kind=world: %v", ids)
	}
	if ids := obsIDs(t, env, fx.admin, "country=US"); !reflect.DeepEqual(ids, []string{us["id"].(string)}) {
		t.Fatalf("country=US: %v", ids)
	}
	if n := env.Count(t, "observations", "place_kind = 'world'"); n != 1 {
		t.Fatalf("%d world rows, want 1", n)
	}
}
