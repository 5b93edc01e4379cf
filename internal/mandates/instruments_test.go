package mandates_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// catalogText is a localized text as the API renders it.
type catalogText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// catalogInstrument is a legal instrument as the API renders it; dates stay strings.
type catalogInstrument struct {
	ID         string      `json:"id"`
	Code       string      `json:"code"`
	Type       string      `json:"type"`
	Number     string      `json:"number"`
	Title      catalogText `json:"title"`
	IssuerID   *string     `json:"issuer_id"`
	IssuedOn   *string     `json:"issued_on"`
	Status     string      `json:"status"`
	URL        *string     `json:"url"`
	Notes      *string     `json:"notes"`
	Demo       bool        `json:"demo"`
	Version    int64       `json:"version"`
	CreatedAt  string      `json:"created_at"`
	UpdatedAt  string      `json:"updated_at"`
	ArchivedAt *string     `json:"archived_at"`
}

// catalogEvent is an audit event as stored.
type catalogEvent struct {
	Action string
	Before json.RawMessage
	After  json.RawMessage
}

func catalogDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// catalogInstitution creates an institution directly through the service, as the system.
func catalogInstitution(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	i, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "agency", Tier: "national", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return i.ID
}

func catalogInstrumentBody(code string) map[string]any {
	return map[string]any{"code": code, "type": "law", "number": strings.TrimPrefix(code, "PE-"),
		"title": map[string]any{"es": "Ley " + code}}
}

func catalogNewInstrument(t *testing.T, env *apitest.Env, token string, body map[string]any) catalogInstrument {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create instrument %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out catalogInstrument
	res.Decode(t, &out)
	return out
}

func catalogGetInstrument(t *testing.T, env *apitest.Env, token, id string) (catalogInstrument, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/legal-instruments/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get instrument %s: %d %s", id, res.Status, res.Body)
	}
	var out catalogInstrument
	res.Decode(t, &out)
	return out, res
}

func catalogPatch(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func catalogDelete(t *testing.T, env *apitest.Env, token, path string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: token, Header: header})
}

// catalogEvents returns the audit events of resource id, oldest first.
func catalogEvents(t *testing.T, env *apitest.Env, id string) []catalogEvent {
	t.Helper()
	var out []catalogEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func catalogWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// catalogPages walks every page of path (a list URL with its query) and returns each page's
// codes.
func catalogPages(t *testing.T, env *apitest.Env, token, path string) [][]string {
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
		var codes []string
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

// catalogCodes lists path in one page of 500 and returns the codes.
func catalogCodes(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := catalogPages(t, env, token, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

func TestCatalogInstrumentLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mre := catalogInstitution(t, env, "PE-MRE", nil)

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: admin, Body: map[string]any{
		"code": "PE-DS-015-2017-RE", "type": "supreme_decree", "number": "015-2017-RE",
		"title":     map[string]any{"es": "Política Nacional Migratoria 2017-2025", "en": "National Migration Policy 2017-2025"},
		"issuer_id": mre.String(), "issued_on": "2017-04-27", "url": "https://www.gob.pe/ds-015-2017-re", "notes": "Seed",
	}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got catalogInstrument
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/legal-instruments/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want \"1\"", et)
	}
	if got.Code != "PE-DS-015-2017-RE" || got.Type != "supreme_decree" || got.Number != "015-2017-RE" ||
		catalogDeref(got.Title.Es) != "Política Nacional Migratoria 2017-2025" || catalogDeref(got.Title.En) != "National Migration Policy 2017-2025" ||
		catalogDeref(got.IssuerID) != mre.String() || catalogDeref(got.IssuedOn) != "2017-04-27" || got.Status != "in_force" ||
		catalogDeref(got.URL) != "https://www.gob.pe/ds-015-2017-re" || catalogDeref(got.Notes) != "Seed" ||
		got.Demo || got.Version != 1 || got.ArchivedAt != nil || got.CreatedAt == "" {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "legal_instruments", `id = ? AND code = 'PE-DS-015-2017-RE' AND type = 'supreme_decree' AND issuer_id = ?
		AND issued_on = '2017-04-27' AND status = 'in_force' AND NOT demo AND version = 1 AND archived_at IS NULL`, got.ID, mre); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := catalogGetInstrument(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := catalogEvents(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "legal_instrument.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	var after catalogInstrument
	if err := json.Unmarshal(evs[0].After, &after); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s, want %+v (%v)", evs[0].After, got, err)
	}

	// A merge patch: status changes, title.en is cleared, the rest stays.
	path := "/v1/legal-instruments/" + got.ID
	res = catalogPatch(t, env, admin, path, map[string]any{"status": "repealed", "title": map[string]any{"en": nil}, "issuer_id": nil},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd catalogInstrument
	res.Decode(t, &upd)
	if upd.Status != "repealed" || upd.Title.En != nil || catalogDeref(upd.Title.Es) != "Política Nacional Migratoria 2017-2025" ||
		upd.IssuerID != nil || catalogDeref(upd.IssuedOn) != "2017-04-27" || upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "legal_instruments", "id = ? AND status = 'repealed' AND title_en IS NULL AND issuer_id IS NULL AND version = 2", got.ID); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	evs = catalogEvents(t, env, got.ID)
	if len(evs) != 2 || evs[1].Action != "legal_instrument.update" {
		t.Fatalf("audit after update: %+v", evs)
	}
	var b, a catalogInstrument
	_ = json.Unmarshal(evs[1].Before, &b)
	_ = json.Unmarshal(evs[1].After, &a)
	if !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: before %s after %s", evs[1].Before, evs[1].After)
	}

	// Stale ETags are refused and change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"status": "draft"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, catalogDelete(t, env, admin, path, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second is a no-op.
	if res := catalogDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := catalogGetInstrument(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 3 || ares.Header.Get("ETag") != `"3"` {
		t.Errorf("archived: %+v ETag %q", arch, ares.Header.Get("ETag"))
	}
	if n := env.Count(t, "legal_instruments", "id = ? AND archived_at IS NOT NULL", got.ID); n != 1 {
		t.Errorf("not archived in the database")
	}
	before = env.Fingerprint(t)
	if res := catalogDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	evs = catalogEvents(t, env, got.ID)
	if len(evs) != 3 || evs[2].Action != "legal_instrument.archive" {
		t.Errorf("audit after archive: %+v", evs)
	}

	// An archived instrument is listed only on request and cannot be edited.
	if codes := catalogCodes(t, env, admin, "/v1/legal-instruments?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := catalogCodes(t, env, admin, "/v1/legal-instruments?include_archived=true"); !slices.Equal(codes, []string{"PE-DS-015-2017-RE"}) {
		t.Errorf("list with archived: %v", codes)
	}
	before = env.Fingerprint(t)
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"notes": "x"}, nil), http.StatusConflict)
	env.Unchanged(t, before)

	// Unknown ids.
	missing := "/v1/legal-instruments/" + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: admin}), http.StatusNotFound)
	apitest.Problem(t, catalogPatch(t, env, admin, missing, map[string]any{"notes": "x"}, nil), http.StatusNotFound)
	apitest.Problem(t, catalogDelete(t, env, admin, missing, nil), http.StatusNotFound)
	env.Unchanged(t, before)
}

func TestCatalogInstrumentRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	unit := catalogInstitution(t, env, "PE-MRE", nil)
	law := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-30001"))
	path := "/v1/legal-instruments/" + law.ID

	// Duplicate code.
	before := env.Fingerprint(t)
	p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: admin,
		Body: catalogInstrumentBody("PE-LEY-30001")}), http.StatusConflict)
	catalogWantField(t, p, "code")
	env.Unchanged(t, before)
	other := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-30525"))
	before = env.Fingerprint(t)
	p = apitest.Problem(t, catalogPatch(t, env, admin, "/v1/legal-instruments/"+other.ID, map[string]any{"code": "PE-LEY-30001"}, nil), http.StatusConflict)
	catalogWantField(t, p, "code")
	env.Unchanged(t, before)

	// Unknown or archived issuer.
	body := catalogInstrumentBody("PE-LEY-28950")
	body["issuer_id"] = uuid.NewString()
	p = apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: admin, Body: body}), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "issuer_id")
	p = apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"issuer_id": uuid.NewString()}, nil), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "issuer_id")
	env.Unchanged(t, before)
	gone := catalogInstitution(t, env, "PE-GONE", nil)
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + gone.String(), Token: admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive institution: %d %s", res.Status, res.Body)
	}
	before = env.Fingerprint(t)
	body["issuer_id"] = gone.String()
	p = apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: admin, Body: body}), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "issuer_id")

	// A patch may not leave the instrument without a title.
	p = apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"title": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "title")
	// Nor break the contract's shapes.
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"type": "edict"}, nil), http.StatusBadRequest)
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"demo": true}, nil), http.StatusBadRequest)
	env.Unchanged(t, before)

	// Only unscoped callers write instruments: an editor, a partner and a viewer are refused.
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &unit})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	for name, tok := range map[string]string{"editor": editor, "partner": partner, "viewer": viewer} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: tok,
			Body: catalogInstrumentBody("PE-LEY-" + strings.ToUpper(name))}), http.StatusForbidden)
		apitest.Problem(t, catalogPatch(t, env, tok, path, map[string]any{"status": "repealed"}, nil), http.StatusForbidden)
		apitest.Problem(t, catalogDelete(t, env, tok, path, nil), http.StatusForbidden)
		// Everyone reads.
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s GET: %d", name, res.Status)
		}
	}
	env.Unchanged(t, before)

	// A coordinator and an importer write.
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		catalogNewInstrument(t, env, tok, catalogInstrumentBody("PE-LEY-"+strings.ToUpper(string(role))))
	}
	if n := env.Count(t, "legal_instruments", "true"); n != 4 {
		t.Errorf("%d instruments, want 4", n)
	}
}

func TestCatalogInstrumentList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mre := catalogInstitution(t, env, "PE-MRE", nil)
	in := catalogInstitution(t, env, "PE-MININTER", nil)

	type spec struct {
		code, typ, status, titleES, titleEN, issued string
		issuer                                      *uuid.UUID
	}
	for _, s := range []spec{
		{"PE-DS-015-2017-RE", "supreme_decree", "in_force", "Política Nacional Migratoria 2017-2025", "National Migration Policy 2017-2025", "2017-04-27", &mre},
		{"PE-DLEG-1350", "legislative_decree", "in_force", "Decreto Legislativo de Migraciones", "Migration Act", "2017-01-07", &in},
		{"PE-LEY-30001", "law", "in_force", "Ley de Reinserción Económica y Social para el Migrante Retornado", "", "2013-03-14", nil},
		{"PE-LEY-30525", "law", "repealed", "", "Law amending Law 30001", "2016-12-14", nil},
		{"PE-LEY-28950", "law", "in_force", "Ley contra la Trata de Personas", "", "2007-01-16", &in},
		{"PE-DS-001-2016-IN", "supreme_decree", "draft", "Reglamento de la Ley 28950", "", "", &in},
		{"PE-DS-017-2017-IN", "supreme_decree", "in_force", "Reglamento de la Ley de Migraciones", "", "", nil},
	} {
		b := map[string]any{"code": s.code, "type": s.typ, "number": s.code[3:], "status": s.status, "title": map[string]any{}}
		if s.titleES != "" {
			b["title"].(map[string]any)["es"] = s.titleES
		}
		if s.titleEN != "" {
			b["title"].(map[string]any)["en"] = s.titleEN
		}
		if s.issued != "" {
			b["issued_on"] = s.issued
		}
		if s.issuer != nil {
			b["issuer_id"] = s.issuer.String()
		}
		catalogNewInstrument(t, env, admin, b)
	}
	archived := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-00001"))
	if res := catalogDelete(t, env, admin, "/v1/legal-instruments/"+archived.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}

	base := "/v1/legal-instruments?"
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"order_by=code", []string{"PE-DLEG-1350", "PE-DS-001-2016-IN", "PE-DS-015-2017-RE", "PE-DS-017-2017-IN", "PE-LEY-28950", "PE-LEY-30001", "PE-LEY-30525"}},
		{"order_by=-code&type=law", []string{"PE-LEY-30525", "PE-LEY-30001", "PE-LEY-28950"}},
		{"type=law&type=legislative_decree", []string{"PE-DLEG-1350", "PE-LEY-28950", "PE-LEY-30001", "PE-LEY-30525"}},
		{"status=repealed&status=draft", []string{"PE-DS-001-2016-IN", "PE-LEY-30525"}},
		{"issuer_id=" + in.String(), []string{"PE-DLEG-1350", "PE-DS-001-2016-IN", "PE-LEY-28950"}},
		{"issued_from=2016-12-14&issued_to=2017-01-07", []string{"PE-DLEG-1350", "PE-LEY-30525"}},
		{"issued_from=2017-01-08", []string{"PE-DS-015-2017-RE"}},
		{"issued_to=2010-12-31", []string{"PE-LEY-28950"}},
		// Accents are optional, Spanish and English both searched, words match as prefixes.
		{"q=politica+migratoria", []string{"PE-DS-015-2017-RE"}},
		{"q=migration", []string{"PE-DLEG-1350", "PE-DS-015-2017-RE"}},
		{"q=reinsercion", []string{"PE-LEY-30001"}},
		{"q=migraciones&type=supreme_decree", []string{"PE-DS-017-2017-IN"}},
		{"q=trata", []string{"PE-LEY-28950"}},
		// Undated instruments sort before every date, ties by id.
		{"order_by=issued_on&type=legislative_decree&type=law", []string{"PE-LEY-28950", "PE-LEY-30001", "PE-LEY-30525", "PE-DLEG-1350"}},
		{"order_by=-issued_on&issuer_id=" + in.String(), []string{"PE-DLEG-1350", "PE-LEY-28950", "PE-DS-001-2016-IN"}},
		{"include_archived=true&type=law", []string{"PE-LEY-00001", "PE-LEY-28950", "PE-LEY-30001", "PE-LEY-30525"}},
	} {
		if got := catalogCodes(t, env, admin, base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}

	// Keyset paging: every order walked two by two gives the one-page order, without repeats.
	for _, order := range []string{"code", "-code", "issued_on", "-issued_on", "created_at", "-created_at"} {
		all := catalogCodes(t, env, admin, base+"order_by="+order)
		pages := catalogPages(t, env, admin, base+"order_by="+order+"&page_size=2")
		if len(pages) != 4 {
			t.Errorf("order %s: %d pages of 2, want 4", order, len(pages))
		}
		if got := slices.Concat(pages...); !slices.Equal(got, all) {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}
	undated := catalogCodes(t, env, admin, base+"order_by=issued_on")[:2]
	slices.Sort(undated)
	if !slices.Equal(undated, []string{"PE-DS-001-2016-IN", "PE-DS-017-2017-IN"}) {
		t.Errorf("undated instruments do not come first: %v", undated)
	}

	// A token of another order, or garbage, is a 400.
	first := env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=code&page_size=2", Token: admin})
	tok := first.JSON(t)["next_page_token"].(string)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=issued_on&page_token=" + tok, Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "page_token=garbage", Token: admin}), http.StatusBadRequest)
}
