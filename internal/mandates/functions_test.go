package mandates_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// catalogBasis is a legal basis as the API renders it.
type catalogBasis struct {
	InstrumentID string  `json:"instrument_id"`
	Article      *string `json:"article,omitempty"`
}

// catalogFunction is a function as the API renders it.
type catalogFunction struct {
	ID                 string         `json:"id"`
	Code               string         `json:"code"`
	Title              catalogText    `json:"title"`
	Description        *catalogText   `json:"description"`
	Category           string         `json:"category"`
	LegalBases         []catalogBasis `json:"legal_bases"`
	Status             string         `json:"status"`
	Tags               []string       `json:"tags"`
	OwnerInstitutionID *string        `json:"owner_institution_id"`
	Demo               bool           `json:"demo"`
	Version            int64          `json:"version"`
	CreatedAt          string         `json:"created_at"`
	UpdatedAt          string         `json:"updated_at"`
	ArchivedAt         *string        `json:"archived_at"`
}

// catalogTree is MRE → ASN → PIM, and an unrelated root, OTHER.
type catalogTree struct{ MRE, ASN, PIM, Other uuid.UUID }

func catalogNewTree(t *testing.T, env *apitest.Env) catalogTree {
	t.Helper()
	var c catalogTree
	c.MRE = catalogInstitution(t, env, "PE-MRE", nil)
	c.ASN = catalogInstitution(t, env, "PE-MRE-ASN", &c.MRE)
	c.PIM = catalogInstitution(t, env, "PE-MRE-ASN-PIM", &c.ASN)
	c.Other = catalogInstitution(t, env, "PE-MININTER", nil)
	return c
}

// catalogBase is a legal basis for a request body.
func catalogBase(instrument, article string) map[string]any {
	b := map[string]any{"instrument_id": instrument}
	if article != "" {
		b["article"] = article
	}
	return b
}

// catalogFunctionBody is a create request for code, owned by owner (none when nil).
func catalogFunctionBody(code string, owner *uuid.UUID, bases ...map[string]any) map[string]any {
	b := map[string]any{"code": code, "title": map[string]any{"es": "Función " + code}, "category": "policy"}
	if owner != nil {
		b["owner_institution_id"] = owner.String()
	}
	if bases != nil {
		b["legal_bases"] = bases
	}
	return b
}

func catalogNewFunction(t *testing.T, env *apitest.Env, token string, body map[string]any) catalogFunction {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/functions", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create function %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out catalogFunction
	res.Decode(t, &out)
	return out
}

func catalogGetFunction(t *testing.T, env *apitest.Env, token, id string) (catalogFunction, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/functions/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get function %s: %d %s", id, res.Status, res.Body)
	}
	var out catalogFunction
	res.Decode(t, &out)
	return out, res
}

// catalogStoredBases returns the stored legal bases of function id as "position:instrument:article".
func catalogStoredBases(t *testing.T, env *apitest.Env, id string) []string {
	t.Helper()
	var rows []string
	if err := env.DB.Conn(t.Context()).Raw(`SELECT position || ':' || instrument_id || ':' || coalesce(article, '-')
		FROM function_legal_bases WHERE function_id = ? ORDER BY position`, id).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func catalogDecodeFunction(t *testing.T, raw json.RawMessage) catalogFunction {
	t.Helper()
	var f catalogFunction
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return f
}

func TestCatalogFunctionLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := catalogNewTree(t, env)
	ds := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-DS-015-2017-RE"))
	dleg := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-DLEG-1350"))
	ley := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-30001"))

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/functions", Token: admin, Body: map[string]any{
		"code": "F-PIM-POLICY-01",
		"title": map[string]any{"es": "Formular propuestas de política migratoria sobre peruanos en el exterior",
			"en": "Formulate migration policy proposals on Peruvians abroad"},
		"description":          map[string]any{"es": "Propuestas de política"},
		"category":             "policy",
		"tags":                 []string{"migration-policy", "diaspora"},
		"owner_institution_id": c.PIM.String(),
		"legal_bases":          []map[string]any{catalogBase(ds.ID, "Art. 5"), catalogBase(dleg.ID, "")},
	}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got catalogFunction
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/functions/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q", et)
	}
	wantBases := []catalogBasis{{ds.ID, catalogPtrTo("Art. 5")}, {dleg.ID, nil}}
	if got.Code != "F-PIM-POLICY-01" || got.Category != "policy" || got.Status != "current" ||
		!slices.Equal(got.Tags, []string{"migration-policy", "diaspora"}) || !reflect.DeepEqual(got.LegalBases, wantBases) ||
		catalogDeref(got.OwnerInstitutionID) != c.PIM.String() || got.Description == nil || catalogDeref(got.Description.Es) != "Propuestas de política" ||
		got.Description.En != nil || got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "functions", `id = ? AND code = 'F-PIM-POLICY-01' AND category = 'policy' AND status = 'current'
		AND tags = ARRAY['migration-policy', 'diaspora'] AND owner_institution_id = ? AND version = 1 AND NOT demo`, got.ID, c.PIM); n != 1 {
		t.Errorf("stored function does not match the create")
	}
	if b := catalogStoredBases(t, env, got.ID); !slices.Equal(b, []string{"0:" + ds.ID + ":Art. 5", "1:" + dleg.ID + ":-"}) {
		t.Errorf("stored bases %v", b)
	}
	if g, gres := catalogGetFunction(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := catalogEvents(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "function.create" || evs[0].Before != nil ||
		!reflect.DeepEqual(catalogDecodeFunction(t, evs[0].After), got) {
		t.Fatalf("audit after create: %+v", evs)
	}

	path := "/v1/functions/" + got.ID
	type step struct {
		name      string
		patch     map[string]any
		wantBases []string
		wantTags  []string
		check     func(f catalogFunction) bool
	}
	steps := []step{
		{"replace legal bases and tags, clear description",
			map[string]any{"legal_bases": []map[string]any{catalogBase(ley.ID, "Art. 2")}, "tags": []string{"returns"}, "description": nil},
			[]string{"0:" + ley.ID + ":Art. 2"}, []string{"returns"},
			func(f catalogFunction) bool {
				return f.Description == nil && len(f.LegalBases) == 1 && *f.LegalBases[0].Article == "Art. 2"
			}},
		{"other fields keep the lists",
			map[string]any{"status": "proposed", "title": map[string]any{"en": nil}},
			[]string{"0:" + ley.ID + ":Art. 2"}, []string{"returns"},
			func(f catalogFunction) bool { return f.Status == "proposed" && f.Title.En == nil && f.Title.Es != nil }},
		{"reorder and extend",
			map[string]any{"legal_bases": []map[string]any{catalogBase(dleg.ID, "Art. 1"), catalogBase(ley.ID, "Art. 2"), catalogBase(ds.ID, "")}},
			[]string{"0:" + dleg.ID + ":Art. 1", "1:" + ley.ID + ":Art. 2", "2:" + ds.ID + ":-"}, []string{"returns"},
			func(f catalogFunction) bool { return len(f.LegalBases) == 3 && f.LegalBases[2].InstrumentID == ds.ID }},
		{"null clears the lists",
			map[string]any{"legal_bases": nil, "tags": nil},
			nil, []string{},
			func(f catalogFunction) bool {
				return f.LegalBases != nil && len(f.LegalBases) == 0 && f.Tags != nil && len(f.Tags) == 0
			}},
	}
	prev := got
	for i, s := range steps {
		version := int64(i + 2)
		res := catalogPatch(t, env, admin, path, s.patch, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version-1)})
		if res.Status != http.StatusOK || res.Header.Get("ETag") != fmt.Sprintf(`"%d"`, version) {
			t.Fatalf("%s: %d ETag %q %s", s.name, res.Status, res.Header.Get("ETag"), res.Body)
		}
		var f catalogFunction
		res.Decode(t, &f)
		if f.Version != version || !slices.Equal(f.Tags, s.wantTags) || !s.check(f) || f.Code != got.Code || f.CreatedAt != got.CreatedAt {
			t.Errorf("%s: %+v", s.name, f)
		}
		if b := catalogStoredBases(t, env, got.ID); !slices.Equal(b, s.wantBases) {
			t.Errorf("%s: stored bases %v, want %v", s.name, b, s.wantBases)
		}
		var tags []string
		if err := env.DB.Conn(t.Context()).Raw(`SELECT unnest(tags) FROM functions WHERE id = ?`, got.ID).Scan(&tags).Error; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tags, s.wantTags) && !(len(tags) == 0 && len(s.wantTags) == 0) {
			t.Errorf("%s: stored tags %v, want %v", s.name, tags, s.wantTags)
		}
		evs := catalogEvents(t, env, got.ID)
		last := evs[len(evs)-1]
		if len(evs) != i+2 || last.Action != "function.update" ||
			!reflect.DeepEqual(catalogDecodeFunction(t, last.Before), prev) || !reflect.DeepEqual(catalogDecodeFunction(t, last.After), f) {
			t.Errorf("%s: audit %d events, last %s: %s → %s", s.name, len(evs), last.Action, last.Before, last.After)
		}
		prev = f
	}

	// Stale ETags change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"status": "retired"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, catalogDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice.
	if res := catalogDelete(t, env, admin, path, map[string]string{"If-Match": `"5"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "functions", "id = ? AND archived_at IS NOT NULL AND version = 6", got.ID); n != 1 {
		t.Errorf("not archived in the database")
	}
	before = env.Fingerprint(t)
	if res := catalogDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	env.Unchanged(t, before)
	evs = catalogEvents(t, env, got.ID)
	if len(evs) != 6 || evs[5].Action != "function.archive" || catalogDecodeFunction(t, evs[5].After).ArchivedAt == nil {
		t.Errorf("audit after archive: %d events", len(evs))
	}
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"status": "retired"}, nil), http.StatusConflict)
	if codes := catalogCodes(t, env, admin, "/v1/functions?order_by=code"); len(codes) != 0 {
		t.Errorf("archived listed: %v", codes)
	}
	if codes := catalogCodes(t, env, admin, "/v1/functions?include_archived=true"); !slices.Equal(codes, []string{"F-PIM-POLICY-01"}) {
		t.Errorf("with archived: %v", codes)
	}
	env.Unchanged(t, before)

	missing := "/v1/functions/" + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: admin}), http.StatusNotFound)
	apitest.Problem(t, catalogPatch(t, env, admin, missing, map[string]any{"status": "retired"}, nil), http.StatusNotFound)
	apitest.Problem(t, catalogDelete(t, env, admin, missing, nil), http.StatusNotFound)
}

func catalogPtrTo(s string) *string { return &s }

func TestCatalogFunctionRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := catalogNewTree(t, env)
	ds := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-DS-015-2017-RE"))
	old := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-00001"))
	f := catalogNewFunction(t, env, admin, catalogFunctionBody("F-ASSIST-01", &c.PIM, catalogBase(old.ID, "Art. 1")))
	g := catalogNewFunction(t, env, admin, catalogFunctionBody("F-ASSIST-02", nil))
	path := "/v1/functions/" + f.ID
	post := func(body map[string]any) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/functions", Token: admin, Body: body})
	}

	before := env.Fingerprint(t)
	// Duplicate code.
	catalogWantField(t, apitest.Problem(t, post(catalogFunctionBody("F-ASSIST-01", nil)), http.StatusConflict), "code")
	catalogWantField(t, apitest.Problem(t, catalogPatch(t, env, admin, "/v1/functions/"+g.ID, map[string]any{"code": "F-ASSIST-01"}, nil), http.StatusConflict), "code")
	// Unknown instruments, named by position.
	p := apitest.Problem(t, post(catalogFunctionBody("F-NEW", nil, catalogBase(ds.ID, ""), catalogBase(uuid.NewString(), "Art. 3"))), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "legal_bases.1.instrument_id")
	p = apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"legal_bases": []map[string]any{catalogBase(uuid.NewString(), "")}}, nil), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "legal_bases.0.instrument_id")
	// Unknown owner.
	missing := uuid.New()
	catalogWantField(t, apitest.Problem(t, post(catalogFunctionBody("F-NEW", &missing)), http.StatusUnprocessableEntity), "owner_institution_id")
	catalogWantField(t, apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"owner_institution_id": missing.String()}, nil), http.StatusUnprocessableEntity), "owner_institution_id")
	// The same basis twice.
	p = apitest.Problem(t, post(catalogFunctionBody("F-NEW", nil, catalogBase(ds.ID, "Art. 5"), catalogBase(ds.ID, "Art. 5"))), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "legal_bases.1")
	// No title left.
	catalogWantField(t, apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"title": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity), "title")
	// Shapes the contract refuses.
	apitest.Problem(t, post(map[string]any{"code": "F-NEW", "title": map[string]any{"es": "x"}, "category": "policy", "tags": []string{"Bad Tag"}}), http.StatusBadRequest)
	apitest.Problem(t, catalogPatch(t, env, admin, path, map[string]any{"demo": true}, nil), http.StatusBadRequest)
	env.Unchanged(t, before)

	// An archived instrument may not be newly cited, but a function that cited it keeps it.
	if res := catalogDelete(t, env, admin, "/v1/legal-instruments/"+old.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive instrument: %d", res.Status)
	}
	before = env.Fingerprint(t)
	p = apitest.Problem(t, post(catalogFunctionBody("F-NEW", nil, catalogBase(old.ID, ""))), http.StatusUnprocessableEntity)
	catalogWantField(t, p, "legal_bases.0.instrument_id")
	env.Unchanged(t, before)
	res := catalogPatch(t, env, admin, path, map[string]any{"status": "retired"}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("patch a function citing an archived instrument: %d %s", res.Status, res.Body)
	}
	if b := catalogStoredBases(t, env, f.ID); !slices.Equal(b, []string{"0:" + old.ID + ":Art. 1"}) {
		t.Errorf("stored bases %v", b)
	}
	if codes := catalogCodes(t, env, admin, "/v1/functions?instrument_id="+old.ID); !slices.Equal(codes, []string{"F-ASSIST-01"}) {
		t.Errorf("functions citing the archived instrument: %v", codes)
	}
}

func TestCatalogFunctionAuthorization(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := catalogNewTree(t, env)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &c.ASN})
	pimEditor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &c.PIM})
	post := func(token string, body map[string]any) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/functions", Token: token, Body: body})
	}

	// Inside the editor's subtree: its own unit and units below it.
	own := catalogNewFunction(t, env, editor, catalogFunctionBody("F-ASN-01", &c.ASN))
	below := catalogNewFunction(t, env, editor, catalogFunctionBody("F-PIM-01", &c.PIM))
	foreign := catalogNewFunction(t, env, admin, catalogFunctionBody("F-OTHER-01", &c.Other))
	orphan := catalogNewFunction(t, env, admin, catalogFunctionBody("F-NOBODY-01", nil))
	if n := env.Count(t, "audit_events", "action = 'function.create' AND resource_id IN (?, ?)", own.ID, below.ID); n != 2 {
		t.Errorf("editor's creations audited %d times", n)
	}

	before := env.Fingerprint(t)
	// Outside: another root, a parent, no owner.
	apitest.Problem(t, post(editor, catalogFunctionBody("F-X-01", &c.Other)), http.StatusForbidden)
	apitest.Problem(t, post(editor, catalogFunctionBody("F-X-02", &c.MRE)), http.StatusForbidden)
	apitest.Problem(t, post(editor, catalogFunctionBody("F-X-03", nil)), http.StatusForbidden)
	apitest.Problem(t, post(pimEditor, catalogFunctionBody("F-X-04", &c.ASN)), http.StatusForbidden)
	// Functions they do not own.
	for _, id := range []string{foreign.ID, orphan.ID} {
		apitest.Problem(t, catalogPatch(t, env, editor, "/v1/functions/"+id, map[string]any{"status": "retired"}, nil), http.StatusForbidden)
		apitest.Problem(t, catalogDelete(t, env, editor, "/v1/functions/"+id, nil), http.StatusForbidden)
	}
	apitest.Problem(t, catalogPatch(t, env, pimEditor, "/v1/functions/"+own.ID, map[string]any{"status": "retired"}, nil), http.StatusForbidden)
	// Moving their own function out of their subtree, or to no owner.
	apitest.Problem(t, catalogPatch(t, env, editor, "/v1/functions/"+below.ID, map[string]any{"owner_institution_id": c.Other.String()}, nil), http.StatusForbidden)
	apitest.Problem(t, catalogPatch(t, env, editor, "/v1/functions/"+below.ID, map[string]any{"owner_institution_id": nil}, nil), http.StatusForbidden)
	// Nor may editors write legal instruments.
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/legal-instruments", Token: editor, Body: catalogInstrumentBody("PE-LEY-1")}), http.StatusForbidden)
	// Partners and viewers only read.
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &c.ASN})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	for _, tok := range []string{partner, viewer} {
		apitest.Problem(t, post(tok, catalogFunctionBody("F-X-05", &c.ASN)), http.StatusForbidden)
		apitest.Problem(t, catalogPatch(t, env, tok, "/v1/functions/"+own.ID, map[string]any{"status": "retired"}, nil), http.StatusForbidden)
		apitest.Problem(t, catalogDelete(t, env, tok, "/v1/functions/"+own.ID, nil), http.StatusForbidden)
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/functions/" + own.ID, Token: tok}); res.Status != http.StatusOK {
			t.Errorf("read: %d", res.Status)
		}
	}
	env.Unchanged(t, before)

	// Inside: update, move within the subtree, archive.
	res := catalogPatch(t, env, editor, "/v1/functions/"+below.ID, map[string]any{"owner_institution_id": c.ASN.String(), "status": "proposed"}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("editor moves its function within its subtree: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "functions", "id = ? AND owner_institution_id = ? AND status = 'proposed'", below.ID, c.ASN); n != 1 {
		t.Errorf("move not stored")
	}
	if res := catalogPatch(t, env, pimEditor, "/v1/functions/"+below.ID, map[string]any{"status": "current"}, nil); res.Status != http.StatusForbidden {
		t.Errorf("PIM editor on a function moved up to ASN: %d", res.Status)
	}
	if res := catalogDelete(t, env, editor, "/v1/functions/"+own.ID, nil); res.Status != http.StatusNoContent {
		t.Errorf("editor archives its function: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "functions", "id = ? AND archived_at IS NOT NULL", own.ID); n != 1 {
		t.Errorf("archive not stored")
	}
	// An admin may take a function out of every subtree.
	if res := catalogPatch(t, env, admin, "/v1/functions/"+below.ID, map[string]any{"owner_institution_id": nil}, nil); res.Status != http.StatusOK {
		t.Errorf("admin clears the owner: %d %s", res.Status, res.Body)
	}
}

func TestCatalogFunctionList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := catalogNewTree(t, env)
	ds := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-DS-015-2017-RE"))
	ley := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-30001"))

	for _, s := range []struct {
		code, category, status, es, en string
		tags                           []string
		owner                          *uuid.UUID
		bases                          []map[string]any
	}{
		{"F-PIM-01", "policy", "current", "Formular propuestas de política migratoria sobre peruanos en el exterior",
			"Formulate migration policy proposals on Peruvians abroad", []string{"migration-policy"}, &c.PIM,
			[]map[string]any{catalogBase(ds.ID, "Art. 5")}},
		{"F-SSN-01", "assistance", "current", "Asistir a connacionales en situación de vulnerabilidad en el exterior",
			"Assist nationals in distress abroad", []string{"consular", "assistance"}, &c.ASN, nil},
		{"F-PCN-01", "engagement", "proposed", "Promover y registrar asociaciones de la diáspora",
			"", []string{"diaspora"}, &c.ASN, []map[string]any{catalogBase(ley.ID, ""), catalogBase(ds.ID, "Art. 9")}},
		{"F-RET-01", "services", "retired", "Orientar a migrantes retornados", "Guide returning migrants",
			[]string{"returns", "diaspora"}, nil, []map[string]any{catalogBase(ley.ID, "Art. 3")}},
		{"F-DATA-01", "data_research", "current", "", "Compile diaspora statistics", nil, &c.Other, nil},
	} {
		b := map[string]any{"code": s.code, "category": s.category, "status": s.status, "title": map[string]any{}}
		if s.es != "" {
			b["title"].(map[string]any)["es"] = s.es
		}
		if s.en != "" {
			b["title"].(map[string]any)["en"] = s.en
		}
		if s.tags != nil {
			b["tags"] = s.tags
		}
		if s.owner != nil {
			b["owner_institution_id"] = s.owner.String()
		}
		if s.bases != nil {
			b["legal_bases"] = s.bases
		}
		catalogNewFunction(t, env, admin, b)
	}
	gone := catalogNewFunction(t, env, admin, catalogFunctionBody("F-GONE-01", nil, catalogBase(ds.ID, "")))
	if res := catalogDelete(t, env, admin, "/v1/functions/"+gone.ID, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}

	base := "/v1/functions?"
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"order_by=code", []string{"F-DATA-01", "F-PCN-01", "F-PIM-01", "F-RET-01", "F-SSN-01"}},
		{"order_by=-code&category=policy&category=services", []string{"F-RET-01", "F-PIM-01"}},
		{"status=current", []string{"F-DATA-01", "F-PIM-01", "F-SSN-01"}},
		{"status=proposed&status=retired", []string{"F-PCN-01", "F-RET-01"}},
		{"tag=diaspora", []string{"F-PCN-01", "F-RET-01"}},
		{"tag=consular&category=assistance", []string{"F-SSN-01"}},
		{"tag=nothing", nil},
		{"owner_institution_id=" + c.ASN.String(), []string{"F-PCN-01", "F-SSN-01"}},
		{"instrument_id=" + ds.ID, []string{"F-PCN-01", "F-PIM-01"}},
		{"instrument_id=" + ley.ID + "&status=retired", []string{"F-RET-01"}},
		{"instrument_id=" + ds.ID + "&include_archived=true", []string{"F-GONE-01", "F-PCN-01", "F-PIM-01"}},
		{"instrument_id=" + uuid.NewString(), nil},
		// Accent-insensitive, Spanish and English, prefixes.
		{"q=politica+migratoria", []string{"F-PIM-01"}},
		{"q=diaspora", []string{"F-DATA-01", "F-PCN-01"}},
		{"q=asistir", []string{"F-SSN-01"}},
		{"q=returning", []string{"F-RET-01"}},
		{"q=f-pim", []string{"F-PIM-01"}},
	} {
		if got := catalogCodes(t, env, admin, base+tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("?%s: %v, want %v", tc.query, got, tc.want)
		}
	}

	// The lists come with each item.
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "owner_institution_id=" + c.ASN.String(), Token: admin})
	var page struct{ Items []catalogFunction }
	res.Decode(t, &page)
	if len(page.Items) != 2 || !reflect.DeepEqual(page.Items[0].LegalBases, []catalogBasis{{ley.ID, nil}, {ds.ID, catalogPtrTo("Art. 9")}}) ||
		!slices.Equal(page.Items[0].Tags, []string{"diaspora"}) || len(page.Items[1].LegalBases) != 0 || page.Items[1].LegalBases == nil {
		t.Errorf("items: %+v", page.Items)
	}

	// Updating one moves it to the front of -updated_at.
	fn := catalogCodes(t, env, admin, base+"order_by=created_at")
	if !slices.Equal(fn, []string{"F-PIM-01", "F-SSN-01", "F-PCN-01", "F-RET-01", "F-DATA-01"}) {
		t.Errorf("created_at order: %v", fn)
	}
	var pim catalogFunction
	for _, it := range catalogListItems(t, env, admin, base+"q=f-pim") {
		pim = it
	}
	if res := catalogPatch(t, env, admin, "/v1/functions/"+pim.ID, map[string]any{"status": "proposed"}, nil); res.Status != http.StatusOK {
		t.Fatal(res.Status)
	}
	if got := catalogCodes(t, env, admin, base+"order_by=-updated_at"); len(got) != 5 || got[0] != "F-PIM-01" {
		t.Errorf("-updated_at: %v", got)
	}

	// Keyset paging in every order.
	for _, order := range []string{"code", "-code", "created_at", "-created_at", "updated_at", "-updated_at"} {
		all := catalogCodes(t, env, admin, base+"order_by="+order)
		pages := catalogPages(t, env, admin, base+"order_by="+order+"&page_size=2")
		if len(pages) != 3 || !slices.Equal(slices.Concat(pages...), all) {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}
}

func catalogListItems(t *testing.T, env *apitest.Env, token, path string) []catalogFunction {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: token})
	var page struct{ Items []catalogFunction }
	res.Decode(t, &page)
	return page.Items
}

// A page of functions reads its legal bases in one query: a page of 30 costs as many
// statements as a page of 3.
func TestCatalogFunctionListNoNPlusOne(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	a := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-1"))
	b := catalogNewInstrument(t, env, admin, catalogInstrumentBody("PE-LEY-2"))
	for i := range 30 {
		catalogNewFunction(t, env, admin, catalogFunctionBody(fmt.Sprintf("F-%02d", i), nil,
			catalogBase(a.ID, fmt.Sprintf("Art. %d", i)), catalogBase(b.ID, "")))
	}
	statements := func(size int) int64 {
		t.Helper()
		start := env.DB.Queries()
		items := catalogListItems(t, env, admin, fmt.Sprintf("/v1/functions?page_size=%d", size))
		n := env.DB.Queries() - start
		if len(items) != size {
			t.Fatalf("page of %d has %d items", size, len(items))
		}
		for i, it := range items {
			want := []catalogBasis{{a.ID, catalogPtrTo(fmt.Sprintf("Art. %d", i))}, {b.ID, nil}}
			if !reflect.DeepEqual(it.LegalBases, want) {
				t.Fatalf("item %s bases %+v", it.Code, it.LegalBases)
			}
		}
		return n
	}
	statements(3) // warm up whatever is cached per process
	three, thirty := statements(3), statements(30)
	if three != thirty {
		t.Errorf("a page of 3 costs %d statements, a page of 30 costs %d", three, thirty)
	}
	if three > 4 {
		t.Errorf("a page costs %d statements", three)
	}
}
