package stocktake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/stocktake"
)

// indText is a localized text as the API renders it.
type indText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// indIndicator is an indicator as the API renders it.
type indIndicator struct {
	ID         string   `json:"id"`
	Code       string   `json:"code"`
	Name       indText  `json:"name"`
	Unit       string   `json:"unit"`
	Definition *indText `json:"definition"`
	Measure    string   `json:"measure"`
	Demo       bool     `json:"demo"`
	Version    int64    `json:"version"`
	CreatedAt  string   `json:"created_at"`
	UpdatedAt  string   `json:"updated_at"`
	ArchivedAt *string  `json:"archived_at"`
}

// indEvent is an audit event as stored.
type indEvent struct {
	Action string
	Before json.RawMessage
	After  json.RawMessage
}

func indDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func indInstitution(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	i, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "agency", Tier: "national"})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return i.ID
}

func indBody(code, measure string) map[string]any {
	return map[string]any{"code": code, "name": map[string]any{"es": "Indicador " + code}, "unit": "persons", "measure": measure}
}

func indCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) indIndicator {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create indicator %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out indIndicator
	res.Decode(t, &out)
	return out
}

func indGet(t *testing.T, env *apitest.Env, token, id string) (indIndicator, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/indicators/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get indicator %s: %d %s", id, res.Status, res.Body)
	}
	var out indIndicator
	res.Decode(t, &out)
	return out, res
}

func indPatch(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func indDelete(t *testing.T, env *apitest.Env, token, path string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: token, Header: header})
}

func indEvents(t *testing.T, env *apitest.Env, id string) []indEvent {
	t.Helper()
	var out []indEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func indWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// indPages walks every page of path (a list URL with its query) and returns each page's codes.
func indPages(t *testing.T, env *apitest.Env, token, path string) [][]string {
	t.Helper()
	var pages [][]string
	next := ""
	for range 100 {
		p := path
		if next != "" {
			p += "&page_token=" + next
		}
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: p, Token: token})
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", p, res.Status, res.Body)
		}
		var page struct {
			Items []struct {
				Code string `json:"code"`
			} `json:"items"`
			Next string `json:"next_page_token"`
		}
		res.Decode(t, &page)
		codes := []string{}
		for _, it := range page.Items {
			codes = append(codes, it.Code)
		}
		pages = append(pages, codes)
		if page.Next == "" {
			return pages
		}
		next = page.Next
	}
	t.Fatalf("list %s does not end", path)
	return nil
}

func indCodes(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := indPages(t, env, token, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

func TestIndLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: admin, Body: map[string]any{
		"code": "DIASPORA-STOCK", "name": map[string]any{"es": "Peruanos residentes en el exterior", "en": "Peruvians living abroad"},
		"unit": "persons", "measure": "stock",
		"definition": map[string]any{"es": "Número de peruanos que residen fuera del Perú", "en": "Number of Peruvians residing outside Peru"},
	}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got indIndicator
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/indicators/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want \"1\"", et)
	}
	if got.Code != "DIASPORA-STOCK" || indDeref(got.Name.Es) != "Peruanos residentes en el exterior" ||
		indDeref(got.Name.En) != "Peruvians living abroad" || got.Unit != "persons" || got.Measure != "stock" ||
		got.Definition == nil || indDeref(got.Definition.Es) != "Número de peruanos que residen fuera del Perú" ||
		indDeref(got.Definition.En) != "Number of Peruvians residing outside Peru" ||
		got.Demo || got.Version != 1 || got.ArchivedAt != nil || got.CreatedAt == "" {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "indicators", `id = ? AND code = 'DIASPORA-STOCK' AND name_es = 'Peruanos residentes en el exterior'
		AND name_en = 'Peruvians living abroad' AND unit = 'persons' AND measure = 'stock' AND definition_en IS NOT NULL
		AND NOT demo AND version = 1 AND archived_at IS NULL`, got.ID); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := indGet(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := indEvents(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "indicator.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	var after indIndicator
	if err := json.Unmarshal(evs[0].After, &after); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s, want %+v (%v)", evs[0].After, got, err)
	}

	// A merge patch: the unit changes, name.en and the definition are cleared, the rest stays.
	path := "/v1/indicators/" + got.ID
	res = indPatch(t, env, admin, path, map[string]any{"unit": "people", "name": map[string]any{"en": nil}, "definition": nil},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd indIndicator
	res.Decode(t, &upd)
	if upd.Unit != "people" || upd.Name.En != nil || indDeref(upd.Name.Es) != "Peruanos residentes en el exterior" ||
		upd.Definition != nil || upd.Measure != "stock" || upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "indicators", `id = ? AND unit = 'people' AND name_en IS NULL AND definition_es IS NULL
		AND definition_en IS NULL AND version = 2`, got.ID); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	evs = indEvents(t, env, got.ID)
	if len(evs) != 2 || evs[1].Action != "indicator.update" {
		t.Fatalf("audit after update: %+v", evs)
	}
	var b, a indIndicator
	_ = json.Unmarshal(evs[1].Before, &b)
	_ = json.Unmarshal(evs[1].After, &a)
	if !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: before %s after %s", evs[1].Before, evs[1].After)
	}

	// Stale ETags are refused and change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, indPatch(t, env, admin, path, map[string]any{"unit": "x"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, indDelete(t, env, admin, path, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second is a no-op.
	if res := indDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := indGet(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 3 || ares.Header.Get("ETag") != `"3"` {
		t.Errorf("archived: %+v ETag %q", arch, ares.Header.Get("ETag"))
	}
	if n := env.Count(t, "indicators", "id = ? AND archived_at IS NOT NULL AND version = 3", got.ID); n != 1 {
		t.Errorf("not archived in the database")
	}
	before = env.Fingerprint(t)
	if res := indDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	evs = indEvents(t, env, got.ID)
	if len(evs) != 3 || evs[2].Action != "indicator.archive" {
		t.Fatalf("audit after archive: %+v", evs)
	}
	var ab, aa indIndicator
	_ = json.Unmarshal(evs[2].Before, &ab)
	_ = json.Unmarshal(evs[2].After, &aa)
	if !reflect.DeepEqual(ab, upd) || !reflect.DeepEqual(aa, arch) {
		t.Errorf("archive event: before %s after %s", evs[2].Before, evs[2].After)
	}

	// An archived indicator is listed only on request and cannot be edited.
	if codes := indCodes(t, env, admin, "/v1/indicators?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := indCodes(t, env, admin, "/v1/indicators?include_archived=true"); !slices.Equal(codes, []string{"DIASPORA-STOCK"}) {
		t.Errorf("list with archived: %v", codes)
	}
	before = env.Fingerprint(t)
	apitest.Problem(t, indPatch(t, env, admin, path, map[string]any{"unit": "x"}, nil), http.StatusConflict)
	env.Unchanged(t, before)

	// Unknown ids.
	missing := "/v1/indicators/" + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: admin}), http.StatusNotFound)
	apitest.Problem(t, indPatch(t, env, admin, missing, map[string]any{"unit": "x"}, nil), http.StatusNotFound)
	apitest.Problem(t, indDelete(t, env, admin, missing, nil), http.StatusNotFound)
	env.Unchanged(t, before)
}

func TestIndRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	unit := indInstitution(t, env, "PE-MRE")
	stock := indCreate(t, env, admin, indBody("DIASPORA-STOCK", "stock"))
	path := "/v1/indicators/" + stock.ID

	// Duplicate code, on create and on update.
	before := env.Fingerprint(t)
	p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: admin,
		Body: indBody("DIASPORA-STOCK", "count")}), http.StatusConflict)
	indWantField(t, p, "code")
	env.Unchanged(t, before)
	other := indCreate(t, env, admin, indBody("REMITTANCES", "money"))
	before = env.Fingerprint(t)
	p = apitest.Problem(t, indPatch(t, env, admin, "/v1/indicators/"+other.ID, map[string]any{"code": "DIASPORA-STOCK"}, nil), http.StatusConflict)
	indWantField(t, p, "code")

	// A name in Spanish or English: a patch may not remove the last one.
	p = apitest.Problem(t, indPatch(t, env, admin, path, map[string]any{"name": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	indWantField(t, p, "name")
	// The contract refuses an empty name object and unknown fields before the rules run.
	body := indBody("NO-NAME", "stock")
	body["name"] = map[string]any{}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: admin, Body: body}), http.StatusBadRequest)
	apitest.Problem(t, indPatch(t, env, admin, path, map[string]any{"measure": "ratio"}, nil), http.StatusBadRequest)
	apitest.Problem(t, indPatch(t, env, admin, path, map[string]any{"demo": true}, nil), http.StatusBadRequest)
	env.Unchanged(t, before)

	// The service (as a demo loader calls it) refuses a nameless indicator too.
	svc := stocktake.NewIndicatorService(env.DB)
	sys := actor.With(context.Background(), actor.SystemActor)
	_, err := svc.Create(sys, stocktake.IndicatorFields{Code: "NO-NAME", Unit: "persons", Measure: "stock"})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable || len(ae.Fields) != 1 || ae.Fields[0].Field != "name" {
		t.Errorf("nameless create: %v", err)
	}
	env.Unchanged(t, before)
	demo, err := svc.Create(sys, stocktake.IndicatorFields{Code: "DEMO-VOTERS", NameEN: new("Voters abroad"), Unit: "persons",
		Measure: "count", Demo: true})
	if err != nil || !demo.Demo || demo.Version != 1 {
		t.Fatalf("demo create: %+v %v", demo, err)
	}
	if n := env.Count(t, "indicators", "id = ? AND demo AND name_es IS NULL", demo.ID); n != 1 {
		t.Errorf("demo indicator not stored")
	}

	// Editors and partners may not write indicators; viewers neither. Everyone reads.
	before = env.Fingerprint(t)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &unit})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	for name, tok := range map[string]string{"editor": editor, "partner": partner, "viewer": viewer} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: tok,
			Body: indBody("IND-"+strings.ToUpper(name), "count")}), http.StatusForbidden)
		apitest.Problem(t, indPatch(t, env, tok, path, map[string]any{"unit": "people"}, nil), http.StatusForbidden)
		apitest.Problem(t, indDelete(t, env, tok, path, nil), http.StatusForbidden)
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s GET: %d", name, res.Status)
		}
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/indicators", Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s list: %d", name, res.Status)
		}
	}
	env.Unchanged(t, before)
	// The service refuses a scoped caller whatever the route.
	scoped := actor.With(context.Background(), actor.Actor{Kind: actor.User, ID: uuid.NewString(), Label: "ed",
		Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	if _, err := svc.Create(scoped, stocktake.IndicatorFields{Code: "SCOPED", NameES: new("x"), Unit: "u", Measure: "count"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("scoped service create: %v", err)
	}
	env.Unchanged(t, before)

	// A coordinator and an importer write: create, update, archive.
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		in := indCreate(t, env, tok, indBody("IND-"+strings.ToUpper(string(role)), "flow"))
		if res := indPatch(t, env, tok, "/v1/indicators/"+in.ID, map[string]any{"unit": "events"}, nil); res.Status != http.StatusOK {
			t.Errorf("%s patch: %d %s", role, res.Status, res.Body)
		}
		if res := indDelete(t, env, tok, "/v1/indicators/"+in.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archive: %d %s", role, res.Status, res.Body)
		}
		if n := env.Count(t, "indicators", "id = ? AND unit = 'events' AND archived_at IS NOT NULL", in.ID); n != 1 {
			t.Errorf("%s writes not stored", role)
		}
	}
	if n := env.Count(t, "indicators", "true"); n != 5 {
		t.Errorf("%d indicators, want 5", n)
	}
}

func TestIndList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)

	for _, s := range []struct{ code, measure, es, en, defEN string }{
		{"DIASPORA-STOCK", "stock", "Población peruana residente en el exterior", "", ""},
		{"EMIGRATION", "flow", "Emigración internacional de peruanos", "International emigration of Peruvians", ""},
		{"RETURN", "flow", "Retorno de migrantes", "", "Peruvians returning under Law 30001"},
		{"REMITTANCES", "money", "", "Remittances received", "Inflows of personal remittances"},
		{"CONSULAR-REG", "count", "Inscripciones consulares", "Consular registrations", ""},
		{"VOTERS-ABROAD", "count", "Electores en el extranjero", "", ""},
	} {
		name := map[string]any{}
		if s.es != "" {
			name["es"] = s.es
		}
		if s.en != "" {
			name["en"] = s.en
		}
		b := map[string]any{"code": s.code, "name": name, "unit": "persons", "measure": s.measure}
		if s.defEN != "" {
			b["definition"] = map[string]any{"en": s.defEN}
		}
		indCreate(t, env, admin, b)
	}
	archived := indCreate(t, env, admin, indBody("ASSOCIATIONS", "count"))
	if res := indDelete(t, env, admin, "/v1/indicators/"+archived.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}

	base := "/v1/indicators?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"order_by=code", []string{"CONSULAR-REG", "DIASPORA-STOCK", "EMIGRATION", "REMITTANCES", "RETURN", "VOTERS-ABROAD"}},
		{"order_by=-code&measure=flow", []string{"RETURN", "EMIGRATION"}},
		{"measure=count&measure=money", []string{"CONSULAR-REG", "REMITTANCES", "VOTERS-ABROAD"}},
		{"measure=stock", []string{"DIASPORA-STOCK"}},
		// Accents are optional, Spanish and English both searched, words match as prefixes.
		{"q=poblacion", []string{"DIASPORA-STOCK"}},
		{"q=Población+peruana", []string{"DIASPORA-STOCK"}},
		{"q=remittances", []string{"REMITTANCES"}},
		{"q=remit", []string{"REMITTANCES"}},
		{"q=emigracion", []string{"EMIGRATION"}},
		{"q=consular", []string{"CONSULAR-REG"}},
		{"q=returning", []string{"RETURN"}},
		{"q=peruvians&measure=flow", []string{"EMIGRATION", "RETURN"}},
		{"q=inexistente", []string{}},
		{"include_archived=true&measure=count", []string{"ASSOCIATIONS", "CONSULAR-REG", "VOTERS-ABROAD"}},
		{"include_archived=true&q=associations", []string{"ASSOCIATIONS"}},
	} {
		if got := indCodes(t, env, admin, base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	created := indCodes(t, env, admin, base+"order_by=created_at")
	if !slices.Equal(created, []string{"DIASPORA-STOCK", "EMIGRATION", "RETURN", "REMITTANCES", "CONSULAR-REG", "VOTERS-ABROAD"}) {
		t.Errorf("created_at order: %v", created)
	}
	rev := indCodes(t, env, admin, base+"order_by=-created_at")
	slices.Reverse(rev)
	if !slices.Equal(rev, created) {
		t.Errorf("-created_at order is not the reverse: %v", rev)
	}

	// Keyset paging: every order walked two by two gives the one-page order, without repeats.
	for _, order := range []string{"code", "-code", "created_at", "-created_at"} {
		all := indCodes(t, env, admin, base+"order_by="+order)
		pages := indPages(t, env, admin, base+"order_by="+order+"&page_size=2")
		if len(pages) != 3 {
			t.Errorf("order %s: %d pages of 2, want 3", order, len(pages))
		}
		if got := slices.Concat(pages...); !slices.Equal(got, all) {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}

	// A token of another order, or garbage, is a 400.
	first := env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=code&page_size=2", Token: admin})
	tok := first.JSON(t)["next_page_token"].(string)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=created_at&page_token=" + tok, Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "page_token=garbage", Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "measure=ratio", Token: admin}), http.StatusBadRequest)
}

func TestIndCountries(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/countries"}), http.StatusUnauthorized)

	// Any authenticated caller reads the list, even a viewer.
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	for range 2 {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/countries", Token: viewer})
		if res.Status != http.StatusOK {
			t.Fatalf("countries: %d %s", res.Status, res.Body)
		}
		var list struct {
			Items []struct {
				Code string  `json:"code"`
				Name indText `json:"name"`
			} `json:"items"`
		}
		res.Decode(t, &list)
		if len(list.Items) != 249 {
			t.Errorf("%d countries, want 249", len(list.Items))
		}
		codes := make([]string, len(list.Items))
		found := false
		for i, c := range list.Items {
			codes[i] = c.Code
			if c.Code == "PE" {
				found = indDeref(c.Name.Es) == "Perú" && indDeref(c.Name.En) == "Peru"
			}
			if c.Name.Es == nil || c.Name.En == nil {
				t.Errorf("country %s lacks a name: %+v", c.Code, c.Name)
			}
		}
		if !found {
			t.Errorf("no {PE, Perú, Peru} in the list")
		}
		if !slices.IsSorted(codes) {
			t.Errorf("countries are not by code")
		}
	}
}
