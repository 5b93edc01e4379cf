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

// gapText is a localized text as the API renders it.
type gapText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// gapGap is a data gap as the API renders it.
type gapGap struct {
	ID             string   `json:"id"`
	Code           string   `json:"code"`
	Description    gapText  `json:"description"`
	IndicatorIDs   []string `json:"indicator_ids"`
	SourceIDs      []string `json:"source_ids"`
	Countries      []string `json:"countries"`
	Groups         *string  `json:"groups"`
	Recommendation *gapText `json:"recommendation"`
	Priority       string   `json:"priority"`
	Status         string   `json:"status"`
	Demo           bool     `json:"demo"`
	Version        int64    `json:"version"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
	ArchivedAt     *string  `json:"archived_at"`
}

// gapEvent is an audit event as stored.
type gapEvent struct {
	Action string
	Before json.RawMessage
	After  json.RawMessage
}

func gapDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// gapIndicator creates an indicator through the API and returns its id.
func gapIndicator(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: token, Body: map[string]any{
		"code": code, "name": map[string]any{"es": "Indicador " + code}, "unit": "persons", "measure": "stock"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create indicator %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// gapSource creates a data source through the API and returns its id.
func gapSource(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: token, Body: map[string]any{
		"code": code, "title": map[string]any{"es": "Fuente " + code}, "type": "study", "access": "public"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create source %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func gapBody(code, priority string) map[string]any {
	return map[string]any{"code": code, "description": map[string]any{"es": "Brecha " + code}, "priority": priority}
}

func gapPost(t *testing.T, env *apitest.Env, token string, body map[string]any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-gaps", Token: token, Body: body})
}

func gapCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) gapGap {
	t.Helper()
	res := gapPost(t, env, token, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create gap %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out gapGap
	res.Decode(t, &out)
	return out
}

func gapGet(t *testing.T, env *apitest.Env, token, id string) (gapGap, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-gaps/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get gap %s: %d %s", id, res.Status, res.Body)
	}
	var out gapGap
	res.Decode(t, &out)
	return out, res
}

func gapPatch(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func gapDelete(t *testing.T, env *apitest.Env, token, path string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: token, Header: header})
}

func gapEvents(t *testing.T, env *apitest.Env, id string) []gapEvent {
	t.Helper()
	var out []gapEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func gapWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// gapPages walks every page of path (a list URL with its query) and returns each page's codes.
func gapPages(t *testing.T, env *apitest.Env, token, path string) [][]string {
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

func gapCodes(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := gapPages(t, env, token, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

func TestGapLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ind1 := gapIndicator(t, env, admin, "RETURN")
	ind2 := gapIndicator(t, env, admin, "EMIGRATION")
	src := gapSource(t, env, admin, "ENPOVE-2022")

	res := gapPost(t, env, admin, map[string]any{
		"code":           "GAP-RETURN-FLOWS",
		"description":    map[string]any{"es": "No hay datos de retorno por país de residencia previa", "en": "No return data by previous country of residence"},
		"indicator_ids":  []string{ind1, ind2},
		"source_ids":     []string{src},
		"countries":      []string{"US", "ES", "IT"},
		"groups":         "returnees",
		"recommendation": map[string]any{"en": "Add the previous country of residence to the register"},
		"priority":       "high",
	})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got gapGap
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/data-gaps/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want \"1\"", et)
	}
	if got.Code != "GAP-RETURN-FLOWS" || gapDeref(got.Description.Es) != "No hay datos de retorno por país de residencia previa" ||
		gapDeref(got.Description.En) != "No return data by previous country of residence" ||
		!slices.Equal(got.IndicatorIDs, []string{ind1, ind2}) || !slices.Equal(got.SourceIDs, []string{src}) ||
		!slices.Equal(got.Countries, []string{"US", "ES", "IT"}) || gapDeref(got.Groups) != "returnees" ||
		got.Recommendation == nil || got.Recommendation.Es != nil ||
		gapDeref(got.Recommendation.En) != "Add the previous country of residence to the register" ||
		got.Priority != "high" || got.Status != "open" || got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "data_gaps", `id = ? AND code = 'GAP-RETURN-FLOWS' AND indicator_ids = ARRAY[?, ?]::uuid[]
		AND source_ids = ARRAY[?]::uuid[] AND countries = ARRAY['US','ES','IT'] AND groups = 'returnees'
		AND recommendation_es IS NULL AND recommendation_en IS NOT NULL AND priority = 'high' AND status = 'open'
		AND NOT demo AND version = 1 AND archived_at IS NULL`, got.ID, ind1, ind2, src); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := gapGet(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := gapEvents(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "data_gap.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	var after gapGap
	if err := json.Unmarshal(evs[0].After, &after); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s, want %+v (%v)", evs[0].After, got, err)
	}

	// A merge patch replaces a list whole, null clears lists and the recommendation, the rest stays.
	path := "/v1/data-gaps/" + got.ID
	res = gapPatch(t, env, admin, path, map[string]any{"indicator_ids": []string{ind2}, "countries": []string{"JP"},
		"source_ids": nil, "recommendation": nil, "status": "being_addressed"}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd gapGap
	res.Decode(t, &upd)
	if !slices.Equal(upd.IndicatorIDs, []string{ind2}) || len(upd.SourceIDs) != 0 || upd.SourceIDs == nil ||
		!slices.Equal(upd.Countries, []string{"JP"}) || upd.Recommendation != nil || upd.Status != "being_addressed" ||
		upd.Priority != "high" || gapDeref(upd.Groups) != "returnees" || !reflect.DeepEqual(upd.Description, got.Description) ||
		upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "data_gaps", `id = ? AND indicator_ids = ARRAY[?]::uuid[] AND source_ids = '{}'
		AND countries = ARRAY['JP'] AND recommendation_en IS NULL AND status = 'being_addressed' AND version = 2`,
		got.ID, ind2); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	evs = gapEvents(t, env, got.ID)
	if len(evs) != 2 || evs[1].Action != "data_gap.update" {
		t.Fatalf("audit after update: %+v", evs)
	}
	var b, a gapGap
	_ = json.Unmarshal(evs[1].Before, &b)
	_ = json.Unmarshal(evs[1].After, &a)
	if !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: before %s after %s", evs[1].Before, evs[1].After)
	}

	// Clearing every list and the groups.
	res = gapPatch(t, env, admin, path, map[string]any{"indicator_ids": nil, "countries": nil, "groups": nil}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("clearing patch: %d %s", res.Status, res.Body)
	}
	var cleared gapGap
	res.Decode(t, &cleared)
	if len(cleared.IndicatorIDs)+len(cleared.SourceIDs)+len(cleared.Countries) != 0 || cleared.Groups != nil || cleared.Version != 3 {
		t.Errorf("cleared: %+v", cleared)
	}
	if n := env.Count(t, "data_gaps", `id = ? AND indicator_ids = '{}' AND source_ids = '{}' AND countries = '{}'
		AND groups IS NULL AND version = 3`, got.ID); n != 1 {
		t.Errorf("stored row does not show the clearing patch")
	}

	// Stale ETags are refused and change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{"priority": "low"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, gapDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second is a no-op.
	if res := gapDelete(t, env, admin, path, map[string]string{"If-Match": `"3"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := gapGet(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 4 || ares.Header.Get("ETag") != `"4"` {
		t.Errorf("archived: %+v ETag %q", arch, ares.Header.Get("ETag"))
	}
	if n := env.Count(t, "data_gaps", "id = ? AND archived_at IS NOT NULL AND version = 4", got.ID); n != 1 {
		t.Errorf("not archived in the database")
	}
	before = env.Fingerprint(t)
	if res := gapDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	evs = gapEvents(t, env, got.ID)
	if len(evs) != 4 || evs[3].Action != "data_gap.archive" {
		t.Fatalf("audit after archive: %+v", evs)
	}
	var ab, aa gapGap
	_ = json.Unmarshal(evs[3].Before, &ab)
	_ = json.Unmarshal(evs[3].After, &aa)
	if !reflect.DeepEqual(ab, cleared) || !reflect.DeepEqual(aa, arch) {
		t.Errorf("archive event: before %s after %s", evs[3].Before, evs[3].After)
	}

	// An archived gap is listed only on request and cannot be edited.
	if codes := gapCodes(t, env, admin, "/v1/data-gaps?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := gapCodes(t, env, admin, "/v1/data-gaps?include_archived=true"); !slices.Equal(codes, []string{"GAP-RETURN-FLOWS"}) {
		t.Errorf("list with archived: %v", codes)
	}
	apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{"priority": "low"}, nil), http.StatusConflict)
	env.Unchanged(t, before)

	// Unknown ids.
	missing := "/v1/data-gaps/" + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: admin}), http.StatusNotFound)
	apitest.Problem(t, gapPatch(t, env, admin, missing, map[string]any{"priority": "low"}, nil), http.StatusNotFound)
	apitest.Problem(t, gapDelete(t, env, admin, missing, nil), http.StatusNotFound)
	env.Unchanged(t, before)
}

func TestGapRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ind := gapIndicator(t, env, admin, "RETURN")
	src := gapSource(t, env, admin, "ENPOVE-2022")
	first := gapCreate(t, env, admin, gapBody("GAP-ONE", "high"))
	path := "/v1/data-gaps/" + first.ID

	before := env.Fingerprint(t)
	// Unknown indicators and sources, named by position; countries that are not ISO 3166-1.
	for _, c := range []struct {
		key    string
		value  any
		fields []string
	}{
		{"indicator_ids", []string{ind, uuid.NewString()}, []string{"indicator_ids.1"}},
		{"indicator_ids", []string{uuid.NewString(), ind, uuid.NewString()}, []string{"indicator_ids.0", "indicator_ids.2"}},
		{"indicator_ids", []string{src}, []string{"indicator_ids.0"}}, // a source is no indicator
		{"source_ids", []string{uuid.NewString(), src}, []string{"source_ids.0"}},
		{"source_ids", []string{ind}, []string{"source_ids.0"}},
		{"countries", []string{"PE", "XX", "US", "ZZ"}, []string{"countries.1", "countries.3"}},
	} {
		body := gapBody("GAP-NEW", "low")
		body[c.key] = c.value
		p := apitest.Problem(t, gapPost(t, env, admin, body), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			gapWantField(t, p, f)
		}
		if errs, _ := p["errors"].([]any); len(errs) != len(c.fields) {
			t.Errorf("%s %v: errors %v, want %v", c.key, c.value, errs, c.fields)
		}
		p = apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{c.key: c.value}, nil), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			gapWantField(t, p, f)
		}
	}
	// A description in Spanish or English: a patch may not remove the last one.
	p := apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{"description": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	gapWantField(t, p, "description")
	// The contract refuses an empty description, unknown fields and bad vocabularies first.
	body := gapBody("GAP-NEW", "low")
	body["description"] = map[string]any{}
	apitest.Problem(t, gapPost(t, env, admin, body), http.StatusBadRequest)
	apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{"priority": "urgent"}, nil), http.StatusBadRequest)
	apitest.Problem(t, gapPatch(t, env, admin, path, map[string]any{"demo": true}, nil), http.StatusBadRequest)

	// Duplicate code, on create and on update.
	p = apitest.Problem(t, gapPost(t, env, admin, gapBody("GAP-ONE", "low")), http.StatusConflict)
	gapWantField(t, p, "code")
	env.Unchanged(t, before)
	other := gapCreate(t, env, admin, gapBody("GAP-TWO", "low"))
	before = env.Fingerprint(t)
	p = apitest.Problem(t, gapPatch(t, env, admin, "/v1/data-gaps/"+other.ID, map[string]any{"code": "GAP-ONE"}, nil), http.StatusConflict)
	gapWantField(t, p, "code")
	env.Unchanged(t, before)

	// The service, as a demo loader calls it, applies the same rules and marks demo data.
	svc := stocktake.NewGapService(env.DB)
	sys := actor.With(context.Background(), actor.SystemActor)
	_, err := svc.Create(sys, stocktake.GapFields{Code: "NO-DESC", Priority: "low"})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable || len(ae.Fields) != 1 || ae.Fields[0].Field != "description" {
		t.Errorf("description-less create: %v", err)
	}
	_, err = svc.Create(sys, stocktake.GapFields{Code: "BAD-REF", DescriptionEN: new("x"), Priority: "low",
		IndicatorIDs: []uuid.UUID{uuid.New()}})
	if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable || len(ae.Fields) != 1 || ae.Fields[0].Field != "indicator_ids.0" {
		t.Errorf("unknown indicator create: %v", err)
	}
	env.Unchanged(t, before)
	demo, err := svc.Create(sys, stocktake.GapFields{Code: "DEMO-GAP", DescriptionEN: new("Demo gap"), Priority: "medium",
		IndicatorIDs: []uuid.UUID{uuid.MustParse(ind)}, Countries: []string{"AR"}, Demo: true})
	if err != nil || !demo.Demo || demo.Version != 1 || demo.Status != "open" {
		t.Fatalf("demo create: %+v %v", demo, err)
	}
	if n := env.Count(t, "data_gaps", "id = ? AND demo AND status = 'open' AND description_es IS NULL", demo.ID); n != 1 {
		t.Errorf("demo gap not stored")
	}

	// Editors and partners may not write gaps, even of their own institution's sources; viewers
	// neither. Everyone reads.
	unit, err := env.App.Institutions.Create(sys, institutions.Fields{Code: "PE-MRE", NameES: new("Cancillería"), Kind: "ministry", Tier: "national"})
	if err != nil {
		t.Fatal(err)
	}
	before = env.Fingerprint(t)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit.ID})
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &unit.ID})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	for name, tok := range map[string]string{"editor": editor, "partner": partner, "viewer": viewer} {
		apitest.Problem(t, gapPost(t, env, tok, gapBody("GAP-"+strings.ToUpper(name), "low")), http.StatusForbidden)
		apitest.Problem(t, gapPatch(t, env, tok, path, map[string]any{"priority": "low"}, nil), http.StatusForbidden)
		apitest.Problem(t, gapDelete(t, env, tok, path, nil), http.StatusForbidden)
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s GET: %d", name, res.Status)
		}
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-gaps", Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s list: %d", name, res.Status)
		}
	}
	env.Unchanged(t, before)
	scoped := actor.With(context.Background(), actor.Actor{Kind: actor.User, ID: uuid.NewString(), Label: "ed",
		Roles: []actor.Role{actor.Editor}, InstitutionID: &unit.ID})
	if _, err := svc.Create(scoped, stocktake.GapFields{Code: "SCOPED", DescriptionES: new("x"), Priority: "low"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("scoped service create: %v", err)
	}
	env.Unchanged(t, before)

	// A coordinator and an importer write: create, update, archive.
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		g := gapCreate(t, env, tok, gapBody("GAP-"+strings.ToUpper(string(role)), "low"))
		if res := gapPatch(t, env, tok, "/v1/data-gaps/"+g.ID, map[string]any{"status": "closed"}, nil); res.Status != http.StatusOK {
			t.Errorf("%s patch: %d %s", role, res.Status, res.Body)
		}
		if res := gapDelete(t, env, tok, "/v1/data-gaps/"+g.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archive: %d %s", role, res.Status, res.Body)
		}
		if n := env.Count(t, "data_gaps", "id = ? AND status = 'closed' AND archived_at IS NOT NULL", g.ID); n != 1 {
			t.Errorf("%s writes not stored", role)
		}
	}
	if n := env.Count(t, "data_gaps", "true"); n != 5 {
		t.Errorf("%d gaps, want 5", n)
	}
}

func TestGapList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	stock := gapIndicator(t, env, admin, "DIASPORA-STOCK")
	ret := gapIndicator(t, env, admin, "RETURN")
	census := gapSource(t, env, admin, "CENSUS-2017")
	consular := gapSource(t, env, admin, "CONSULAR-REG")

	for _, g := range []struct {
		code, priority, status, es, en string
		indicators, sources, countries []string
	}{
		{"GAP-STOCK-US", "high", "open", "Sin estimación de peruanos en Estados Unidos", "", []string{stock}, []string{census}, []string{"US"}},
		{"GAP-RETURN", "high", "being_addressed", "Retorno sin país de residencia previa", "Return without previous residence", []string{ret, stock}, nil, []string{"US", "ES"}},
		{"GAP-REMIT", "medium", "open", "", "Remittances by region of origin are missing", nil, []string{consular}, []string{"IT"}},
		{"GAP-CONSULAR", "low", "closed", "Registros consulares incompletos", "", nil, []string{consular, census}, nil},
		{"GAP-SECOND-GEN", "medium", "being_addressed", "Segunda generación invisible", "Second generation not counted", []string{stock}, nil, []string{"JP", "AR"}},
	} {
		desc := map[string]any{}
		if g.es != "" {
			desc["es"] = g.es
		}
		if g.en != "" {
			desc["en"] = g.en
		}
		body := map[string]any{"code": g.code, "description": desc, "priority": g.priority, "status": g.status}
		if g.indicators != nil {
			body["indicator_ids"] = g.indicators
		}
		if g.sources != nil {
			body["source_ids"] = g.sources
		}
		if g.countries != nil {
			body["countries"] = g.countries
		}
		gapCreate(t, env, admin, body)
	}
	archived := gapCreate(t, env, admin, map[string]any{"code": "GAP-OLD", "description": map[string]any{"es": "Antigua brecha"},
		"priority": "high", "indicator_ids": []string{stock}, "countries": []string{"US"}})
	if res := gapDelete(t, env, admin, "/v1/data-gaps/"+archived.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}

	base := "/v1/data-gaps?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"order_by=code", []string{"GAP-CONSULAR", "GAP-REMIT", "GAP-RETURN", "GAP-SECOND-GEN", "GAP-STOCK-US"}},
		{"order_by=-code&priority=high", []string{"GAP-STOCK-US", "GAP-RETURN"}},
		{"priority=high&priority=low", []string{"GAP-CONSULAR", "GAP-RETURN", "GAP-STOCK-US"}},
		{"status=being_addressed", []string{"GAP-RETURN", "GAP-SECOND-GEN"}},
		{"status=open&status=closed&priority=medium", []string{"GAP-REMIT"}},
		{"indicator_id=" + stock, []string{"GAP-RETURN", "GAP-SECOND-GEN", "GAP-STOCK-US"}},
		{"indicator_id=" + ret, []string{"GAP-RETURN"}},
		{"indicator_id=" + uuid.NewString(), []string{}},
		{"source_id=" + census, []string{"GAP-CONSULAR", "GAP-STOCK-US"}},
		{"source_id=" + consular + "&priority=medium", []string{"GAP-REMIT"}},
		{"country=US", []string{"GAP-RETURN", "GAP-STOCK-US"}},
		{"country=AR", []string{"GAP-SECOND-GEN"}},
		{"country=PE", []string{}},
		{"indicator_id=" + stock + "&country=US&status=open", []string{"GAP-STOCK-US"}},
		// Accents are optional, Spanish and English both searched, words match as prefixes.
		{"q=estimacion", []string{"GAP-STOCK-US"}},
		{"q=remittances", []string{"GAP-REMIT"}},
		{"q=remit", []string{"GAP-REMIT"}},
		{"q=generación", []string{"GAP-SECOND-GEN"}},
		{"q=consulares", []string{"GAP-CONSULAR"}},
		{"q=gap-return", []string{"GAP-RETURN"}},
		{"q=inexistente", []string{}},
		{"include_archived=true&indicator_id=" + stock, []string{"GAP-OLD", "GAP-RETURN", "GAP-SECOND-GEN", "GAP-STOCK-US"}},
		{"include_archived=true&q=antigua", []string{"GAP-OLD"}},
	} {
		if got := gapCodes(t, env, admin, base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	created := gapCodes(t, env, admin, base+"order_by=created_at")
	if !slices.Equal(created, []string{"GAP-STOCK-US", "GAP-RETURN", "GAP-REMIT", "GAP-CONSULAR", "GAP-SECOND-GEN"}) {
		t.Errorf("created_at order: %v", created)
	}
	rev := gapCodes(t, env, admin, base+"order_by=-created_at")
	slices.Reverse(rev)
	if !slices.Equal(rev, created) {
		t.Errorf("-created_at order is not the reverse: %v", rev)
	}
	// Updating one gap moves it last in updated_at order.
	upd := gapCodes(t, env, admin, base+"order_by=updated_at")
	if res := gapPatch(t, env, admin, "/v1/data-gaps/"+gapFind(t, env, admin, "GAP-STOCK-US"), map[string]any{"groups": "all"}, nil); res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	upd2 := gapCodes(t, env, admin, base+"order_by=updated_at")
	if len(upd) != 5 || upd2[4] != "GAP-STOCK-US" {
		t.Errorf("updated_at order: before %v after %v", upd, upd2)
	}

	// Keyset paging: every order walked two by two gives the one-page order, without repeats.
	for _, order := range []string{"code", "-code", "created_at", "-created_at", "updated_at", "-updated_at"} {
		all := gapCodes(t, env, admin, base+"order_by="+order)
		pages := gapPages(t, env, admin, base+"order_by="+order+"&page_size=2")
		if len(pages) != 3 {
			t.Errorf("order %s: %d pages of 2, want 3", order, len(pages))
		}
		if got := slices.Concat(pages...); !slices.Equal(got, all) || len(all) != 5 {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}

	// A token of another order, or garbage, is a 400, as are bad filters.
	first := env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=code&page_size=2", Token: admin})
	tok := first.JSON(t)["next_page_token"].(string)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=created_at&page_token=" + tok, Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "page_token=garbage", Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "priority=urgent", Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "indicator_id=nope", Token: admin}), http.StatusBadRequest)
}

// gapFind returns the id of the gap with code.
func gapFind(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/data-gaps?q=" + strings.ToLower(code), Token: token})
	var page struct {
		Items []gapGap `json:"items"`
	}
	res.Decode(t, &page)
	for _, g := range page.Items {
		if g.Code == code {
			return g.ID
		}
	}
	t.Fatalf("no gap %s", code)
	return ""
}

// TestGapReferenceChecksAreBatched proves that checking the indicators and sources of a gap costs
// one statement per list, whatever its length.
func TestGapReferenceChecksAreBatched(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	var indicators []uuid.UUID
	for i := range 10 {
		indicators = append(indicators, uuid.MustParse(gapIndicator(t, env, admin, "IND-"+string(rune('A'+i)))))
	}
	svc := stocktake.NewGapService(env.DB)
	sys := actor.With(context.Background(), actor.SystemActor)
	cost := func(code string, ids []uuid.UUID) int64 {
		t.Helper()
		start := env.DB.Queries()
		if _, err := svc.Create(sys, stocktake.GapFields{Code: code, DescriptionES: new("x"), Priority: "low", IndicatorIDs: ids}); err != nil {
			t.Fatalf("create %s: %v", code, err)
		}
		return env.DB.Queries() - start
	}
	one, ten := cost("GAP-ONE", indicators[:1]), cost("GAP-TEN", indicators)
	if one == 0 || one != ten {
		t.Errorf("a 1-id gap costs %d statements, a 10-id gap %d", one, ten)
	}

	// Through HTTP too, and for refusals: an unknown id among ten costs what one does.
	httpCost := func(code string, ids []uuid.UUID) int64 {
		t.Helper()
		body := gapBody(code, "low")
		body["indicator_ids"] = ids
		start := env.DB.Queries()
		res := gapPost(t, env, admin, body)
		n := env.DB.Queries() - start
		if res.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", code, res.Status, res.Body)
		}
		return n
	}
	if one, ten := httpCost("GAP-HTTP-ONE", indicators[:1]), httpCost("GAP-HTTP-TEN", indicators); one != ten {
		t.Errorf("over HTTP a 1-id gap costs %d statements, a 10-id gap %d", one, ten)
	}
	bad := func(ids []uuid.UUID) int64 {
		t.Helper()
		start := env.DB.Queries()
		_, err := svc.Create(sys, stocktake.GapFields{Code: "GAP-BAD", DescriptionES: new("x"), Priority: "low", IndicatorIDs: ids})
		if !apperr.Is(err, apperr.Unprocessable) {
			t.Fatalf("unknown ids accepted: %v", err)
		}
		return env.DB.Queries() - start
	}
	if one, ten := bad([]uuid.UUID{uuid.New()}), bad(append(slices.Clone(indicators[:9]), uuid.New())); one != ten {
		t.Errorf("refusing a 1-id gap costs %d statements, a 10-id gap %d", one, ten)
	}
}
