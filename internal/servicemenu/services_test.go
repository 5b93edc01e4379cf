package servicemenu_test

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
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/servicemenu"
)

// svcText is a localized text as the API renders it.
type svcText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// svcService is a service as the API renders it.
type svcService struct {
	ID            string   `json:"id"`
	Code          string   `json:"code"`
	Name          svcText  `json:"name"`
	Description   *svcText `json:"description"`
	TargetGroups  []string `json:"target_groups"`
	ProviderID    *string  `json:"provider_id"`
	Channels      []string `json:"channels"`
	InstrumentIDs []string `json:"instrument_ids"`
	LegalBasis    *svcText `json:"legal_basis"`
	Status        string   `json:"status"`
	Fees          *svcText `json:"fees"`
	Languages     []string `json:"languages"`
	InputIDs      []string `json:"input_ids"`
	FunctionIDs   []string `json:"function_ids"`
	Demo          bool     `json:"demo"`
	Version       int64    `json:"version"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
	ArchivedAt    *string  `json:"archived_at"`
}

func svcSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

func svcDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// svcUnit creates an institution (below parent when given) and returns its id.
func svcUnit(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(svcSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		Kind: "directorate", Tier: "national", ParentID: parent})
	if err != nil {
		t.Fatalf("create institution %s: %v", code, err)
	}
	return inst.ID
}

// svcPostID posts body to path as admin and returns the created record's id.
func svcPostID(t *testing.T, env *apitest.Env, token, path string, body map[string]any) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create %s %v: %d %s", path, body["code"], res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// svcInstrument creates a legal instrument through the API and returns its id.
func svcInstrument(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	return svcPostID(t, env, token, "/v1/legal-instruments", map[string]any{"code": code, "type": "law",
		"number": strings.TrimPrefix(code, "PE-LEY-"), "title": map[string]any{"es": "Ley " + code}})
}

// svcFunction creates a mandate function through the API and returns its id.
func svcFunction(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	return svcPostID(t, env, token, "/v1/functions", map[string]any{"code": code,
		"title": map[string]any{"es": "Función " + code}, "category": "services"})
}

// svcInput stores a consultation input (and the consultation it came from) straight in its
// tables: the consultation inputs package is another area's, and only the rows matter here.
func svcInput(t *testing.T, env *apitest.Env, statement string) string {
	t.Helper()
	ev, in := uuid.New(), uuid.New()
	db := env.DB.Conn(context.Background())
	if err := db.Exec(`INSERT INTO events (id, code, type, title_es, start_date, end_date)
		VALUES (?, ?, 'diaspora_consultation', 'Consulta', '2023-03-01', '2023-03-01')`, ev, "EV-"+ev.String()[:8]).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO consultation_inputs (id, event_id, statement_es) VALUES (?, ?, ?)`, in, ev, statement).Error; err != nil {
		t.Fatal(err)
	}
	return in.String()
}

func svcBody(code, status string) map[string]any {
	return map[string]any{"code": code, "name": map[string]any{"es": "Servicio " + code}, "status": status}
}

func svcPost(t *testing.T, env *apitest.Env, token string, body map[string]any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/services", Token: token, Body: body})
}

func svcCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) svcService {
	t.Helper()
	res := svcPost(t, env, token, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create service %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out svcService
	res.Decode(t, &out)
	return out
}

func svcGet(t *testing.T, env *apitest.Env, token, id string) (svcService, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get service %s: %d %s", id, res.Status, res.Body)
	}
	var out svcService
	res.Decode(t, &out)
	return out, res
}

func svcPatch(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func svcDelete(t *testing.T, env *apitest.Env, token, path string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: token, Header: header})
}

// svcSnapshots decodes an audit event's before and after.
func svcSnapshots(t *testing.T, ev apitest.AuditEvent) (before, after svcService) {
	t.Helper()
	if ev.Before != nil {
		if err := json.Unmarshal(ev.Before, &before); err != nil {
			t.Fatal(err)
		}
	}
	if err := json.Unmarshal(ev.After, &after); err != nil {
		t.Fatal(err)
	}
	return before, after
}

func TestServiceLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := svcUnit(t, env, "PE-MRE-ASN", nil)
	ssn := svcUnit(t, env, "PE-MRE-ASN-SSN", &asn)
	law := svcInstrument(t, env, admin, "PE-LEY-30001")
	amendment := svcInstrument(t, env, admin, "PE-LEY-30525")
	fn := svcFunction(t, env, admin, "F-RETURN")
	fn2 := svcFunction(t, env, admin, "F-INFO")
	input := svcInput(t, env, "Orientación al volver al Perú")

	res := svcPost(t, env, admin, map[string]any{
		"code":           "SRV-RETURN-DESK",
		"name":           map[string]any{"es": "Orientación al migrante retornado", "en": "Guidance for returning migrants"},
		"description":    map[string]any{"es": "Orienta sobre los beneficios de la Ley 30001"},
		"target_groups":  []string{"returning_migrants", "families_in_peru"},
		"provider_id":    ssn.String(),
		"channels":       []string{"in_person_peru", "phone", "online"},
		"instrument_ids": []string{law, amendment},
		"legal_basis":    map[string]any{"en": "Law No. 30001 as amended by Law No. 30525"},
		"status":         "existing",
		"fees":           map[string]any{"es": "Gratuito", "en": "Free"},
		"languages":      []string{"es", "qu", "ay"},
		"input_ids":      []string{input},
		"function_ids":   []string{fn},
	})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got svcService
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/services/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want \"1\"", et)
	}
	if got.Code != "SRV-RETURN-DESK" || svcDeref(got.Name.Es) != "Orientación al migrante retornado" ||
		svcDeref(got.Name.En) != "Guidance for returning migrants" || got.Description == nil ||
		svcDeref(got.Description.Es) != "Orienta sobre los beneficios de la Ley 30001" || got.Description.En != nil ||
		!slices.Equal(got.TargetGroups, []string{"returning_migrants", "families_in_peru"}) ||
		svcDeref(got.ProviderID) != ssn.String() || !slices.Equal(got.Channels, []string{"in_person_peru", "phone", "online"}) ||
		!slices.Equal(got.InstrumentIDs, []string{law, amendment}) || got.LegalBasis == nil || got.LegalBasis.Es != nil ||
		svcDeref(got.LegalBasis.En) != "Law No. 30001 as amended by Law No. 30525" || got.Status != "existing" ||
		got.Fees == nil || svcDeref(got.Fees.Es) != "Gratuito" || svcDeref(got.Fees.En) != "Free" ||
		!slices.Equal(got.Languages, []string{"es", "qu", "ay"}) || !slices.Equal(got.InputIDs, []string{input}) ||
		!slices.Equal(got.FunctionIDs, []string{fn}) || got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "services", `id = ? AND code = 'SRV-RETURN-DESK' AND name_es = 'Orientación al migrante retornado'
		AND description_en IS NULL AND target_groups = ARRAY['returning_migrants','families_in_peru'] AND provider_id = ?
		AND channels = ARRAY['in_person_peru','phone','online'] AND instrument_ids = ARRAY[?, ?]::uuid[]
		AND legal_basis_es IS NULL AND legal_basis_en IS NOT NULL AND status = 'existing' AND fees_es = 'Gratuito'
		AND languages = ARRAY['es','qu','ay'] AND input_ids = ARRAY[?]::uuid[] AND function_ids = ARRAY[?]::uuid[]
		AND NOT demo AND version = 1 AND archived_at IS NULL`, got.ID, ssn, law, amendment, input, fn); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	if g, gres := svcGet(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v ETag %q, want %+v", g, gres.Header.Get("ETag"), got)
	}
	evs := env.AuditEvents(t, got.ID)
	if len(evs) != 1 || evs[0].Action != "service.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	if _, after := svcSnapshots(t, evs[0]); !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s, want %+v", evs[0].After, got)
	}

	// A merge patch replaces lists whole, null clears lists and texts, one language of a text can
	// go, the provider can move (inside what an admin may write), the rest stays.
	path := "/v1/services/" + got.ID
	res = svcPatch(t, env, admin, path, map[string]any{
		"name": map[string]any{"en": nil}, "description": nil, "fees": map[string]any{"en": nil},
		"target_groups": []string{"returning_migrants"}, "channels": nil, "instrument_ids": []string{amendment},
		"provider_id": asn.String(), "languages": []string{"es"}, "input_ids": nil, "function_ids": []string{fn2, fn},
		"status": "proposed",
	}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd svcService
	res.Decode(t, &upd)
	if upd.Name.En != nil || svcDeref(upd.Name.Es) != "Orientación al migrante retornado" || upd.Description != nil ||
		upd.Fees == nil || svcDeref(upd.Fees.Es) != "Gratuito" || upd.Fees.En != nil ||
		!slices.Equal(upd.TargetGroups, []string{"returning_migrants"}) || upd.Channels == nil || len(upd.Channels) != 0 ||
		!slices.Equal(upd.InstrumentIDs, []string{amendment}) || svcDeref(upd.ProviderID) != asn.String() ||
		!slices.Equal(upd.Languages, []string{"es"}) || upd.InputIDs == nil || len(upd.InputIDs) != 0 ||
		!slices.Equal(upd.FunctionIDs, []string{fn2, fn}) || upd.Status != "proposed" ||
		!reflect.DeepEqual(upd.LegalBasis, got.LegalBasis) || upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	if n := env.Count(t, "services", `id = ? AND name_en IS NULL AND description_es IS NULL AND fees_en IS NULL
		AND target_groups = ARRAY['returning_migrants'] AND channels = '{}' AND instrument_ids = ARRAY[?]::uuid[]
		AND provider_id = ? AND languages = ARRAY['es'] AND input_ids = '{}' AND function_ids = ARRAY[?, ?]::uuid[]
		AND status = 'proposed' AND version = 2`, got.ID, amendment, asn, fn2, fn); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	evs = env.AuditEvents(t, got.ID)
	if len(evs) != 2 || evs[1].Action != "service.update" {
		t.Fatalf("audit after update: %+v", evs)
	}
	if b, a := svcSnapshots(t, evs[1]); !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: before %s after %s", evs[1].Before, evs[1].After)
	}

	// The provider can be cleared too.
	res = svcPatch(t, env, admin, path, map[string]any{"provider_id": nil, "legal_basis": nil}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("clearing patch: %d %s", res.Status, res.Body)
	}
	var cleared svcService
	res.Decode(t, &cleared)
	if cleared.ProviderID != nil || cleared.LegalBasis != nil || cleared.Version != 3 {
		t.Errorf("cleared: %+v", cleared)
	}

	// Stale ETags are refused and change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{"status": "existing"}, map[string]string{"If-Match": `"2"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, svcDelete(t, env, admin, path, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second is a no-op.
	if res := svcDelete(t, env, admin, path, map[string]string{"If-Match": `"3"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := svcGet(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 4 || ares.Header.Get("ETag") != `"4"` {
		t.Errorf("archived: %+v ETag %q", arch, ares.Header.Get("ETag"))
	}
	before = env.Fingerprint(t)
	if res := svcDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	evs = env.AuditEvents(t, got.ID)
	if len(evs) != 4 || evs[3].Action != "service.archive" {
		t.Fatalf("audit after archive: %+v", evs)
	}
	if b, a := svcSnapshots(t, evs[3]); !reflect.DeepEqual(b, cleared) || !reflect.DeepEqual(a, arch) {
		t.Errorf("archive event: before %s after %s", evs[3].Before, evs[3].After)
	}

	// An archived service is listed only on request and cannot be edited.
	if codes := env.OnePage(t, admin, "code", "/v1/services?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := env.OnePage(t, admin, "code", "/v1/services?include_archived=true"); !slices.Equal(codes, []string{"SRV-RETURN-DESK"}) {
		t.Errorf("list with archived: %v", codes)
	}
	apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{"status": "existing"}, nil), http.StatusConflict)
	env.Unchanged(t, before)

	// Unknown ids.
	missing := "/v1/services/" + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: admin}), http.StatusNotFound)
	apitest.Problem(t, svcPatch(t, env, admin, missing, map[string]any{"status": "existing"}, nil), http.StatusNotFound)
	apitest.Problem(t, svcDelete(t, env, admin, missing, nil), http.StatusNotFound)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services/nope", Token: admin}), http.StatusBadRequest)
	env.Unchanged(t, before)

	// An Idempotency-Key replays the first answer; the same key with another body is refused.
	key := map[string]string{"Idempotency-Key": "svc-" + uuid.NewString()}
	first := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/services", Token: admin, Body: svcBody("SRV-ONCE", "proposed"), Header: key})
	again := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/services", Token: admin, Body: svcBody("SRV-ONCE", "proposed"), Header: key})
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || string(first.Body) != string(again.Body) {
		t.Errorf("replay: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/services", Token: admin, Body: svcBody("SRV-TWICE", "proposed"), Header: key}), http.StatusUnprocessableEntity)
	if n := env.Count(t, "services", "code IN ('SRV-ONCE', 'SRV-TWICE')"); n != 1 {
		t.Errorf("%d services after the replays, want 1", n)
	}
}

func TestServiceRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	unit := svcUnit(t, env, "PE-MRE-ASN", nil)
	law := svcInstrument(t, env, admin, "PE-LEY-30001")
	fn := svcFunction(t, env, admin, "F-RETURN")
	input := svcInput(t, env, "Más consulados móviles")
	first := svcCreate(t, env, admin, svcBody("SRV-ONE", "existing"))
	path := "/v1/services/" + first.ID

	gone := svcUnit(t, env, "PE-OLD", nil)
	if err := env.App.Institutions.Archive(svcSys(), gone, etag.Precondition{}); err != nil {
		t.Fatal(err)
	}
	dissolved, err := env.App.Institutions.Create(svcSys(), institutions.Fields{Code: "PE-DISSOLVED", NameES: new("Disuelta"),
		Kind: "agency", Tier: "national", Status: "dissolved"})
	if err != nil {
		t.Fatal(err)
	}

	before := env.Fingerprint(t)
	// Unknown references, named by position, on create and on update; ids of the wrong kind are
	// unknown too. Languages must be ISO 639-1 codes the registry knows, and current ones.
	for _, c := range []struct {
		key    string
		value  any
		fields []string
	}{
		{"provider_id", uuid.NewString(), []string{"provider_id"}},
		{"provider_id", gone.String(), []string{"provider_id"}},
		{"provider_id", dissolved.ID.String(), []string{"provider_id"}},
		{"provider_id", law, []string{"provider_id"}}, // a law is no institution
		{"instrument_ids", []string{law, uuid.NewString()}, []string{"instrument_ids.1"}},
		{"instrument_ids", []string{fn}, []string{"instrument_ids.0"}},
		{"input_ids", []string{uuid.NewString(), input, uuid.NewString()}, []string{"input_ids.0", "input_ids.2"}},
		{"input_ids", []string{law}, []string{"input_ids.0"}},
		{"function_ids", []string{fn, uuid.NewString()}, []string{"function_ids.1"}},
		{"function_ids", []string{input}, []string{"function_ids.0"}},
		{"languages", []string{"es", "zz", "en", "xx"}, []string{"languages.1", "languages.3"}},
		{"languages", []string{"iw"}, []string{"languages.0"}}, // withdrawn: he
		{"languages", []string{"qa"}, []string{"languages.0"}},
	} {
		body := svcBody("SRV-NEW", "proposed")
		body[c.key] = c.value
		p := apitest.Problem(t, svcPost(t, env, admin, body), http.StatusUnprocessableEntity)
		apitest.WantProblemFields(t, p, c.fields...)
		p = apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{c.key: c.value}, nil), http.StatusUnprocessableEntity)
		apitest.WantProblemFields(t, p, c.fields...)
	}
	// Every broken reference at once is reported at once.
	body := svcBody("SRV-NEW", "proposed")
	body["provider_id"], body["instrument_ids"], body["input_ids"], body["function_ids"], body["languages"] =
		uuid.NewString(), []string{uuid.NewString()}, []string{uuid.NewString()}, []string{uuid.NewString()}, []string{"zz"}
	p := apitest.Problem(t, svcPost(t, env, admin, body), http.StatusUnprocessableEntity)
	apitest.WantProblemFields(t, p, "languages.0") // the shape first: references are checked only for a valid service
	body["languages"] = []string{"es"}
	p = apitest.Problem(t, svcPost(t, env, admin, body), http.StatusUnprocessableEntity)
	apitest.WantProblemFields(t, p, "provider_id", "instrument_ids.0", "input_ids.0", "function_ids.0")
	if withdrawn := apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{"languages": []string{"iw"}}, nil), http.StatusUnprocessableEntity); !strings.Contains(string(mustJSON(t, withdrawn)), "use he") {
		t.Errorf("a withdrawn code does not name its replacement: %v", withdrawn)
	}
	// A name in Spanish or English: a patch may not remove the last one.
	p = apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{"name": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	apitest.WantProblemFields(t, p, "name")

	// The contract refuses unknown fields (personal data, the demo mark), bad shapes and
	// vocabularies first: 400.
	for _, bad := range []map[string]any{
		{"contact_email": "someone@example.com"},
		{"demo": true},
		{"target_groups": []string{"tourists"}},
		{"channels": []string{"fax"}},
		{"status": "planned"},
		{"languages": []string{"spa"}},
		{"languages": []string{"ES"}},
		{"languages": []string{"es", "es"}},
		{"function_ids": []string{"not-a-uuid"}},
		{"provider_id": "not-a-uuid"},
	} {
		b := svcBody("SRV-NEW", "proposed")
		for k, v := range bad {
			b[k] = v
		}
		apitest.Problem(t, svcPost(t, env, admin, b), http.StatusBadRequest)
		apitest.Problem(t, svcPatch(t, env, admin, path, bad, nil), http.StatusBadRequest)
	}
	apitest.Problem(t, svcPost(t, env, admin, map[string]any{"code": "SRV-NEW", "status": "proposed"}), http.StatusBadRequest)
	apitest.Problem(t, svcPost(t, env, admin, map[string]any{"code": "SRV-NEW", "status": "proposed", "name": map[string]any{}}), http.StatusBadRequest)
	apitest.Problem(t, svcPatch(t, env, admin, path, map[string]any{}, nil), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/services", Token: admin, Body: "{"}), http.StatusBadRequest)

	// Duplicate code, on create and on update.
	p = apitest.Problem(t, svcPost(t, env, admin, svcBody("SRV-ONE", "proposed")), http.StatusConflict)
	apitest.WantProblemFields(t, p, "code")
	env.Unchanged(t, before)
	other := svcCreate(t, env, admin, svcBody("SRV-TWO", "proposed"))
	before = env.Fingerprint(t)
	p = apitest.Problem(t, svcPatch(t, env, admin, "/v1/services/"+other.ID, map[string]any{"code": "SRV-ONE"}, nil), http.StatusConflict)
	apitest.WantProblemFields(t, p, "code")
	env.Unchanged(t, before)

	// A provider archived after the service was written does not block edits of the rest.
	kept := svcUnit(t, env, "PE-KEPT", nil)
	svc := svcCreate(t, env, admin, map[string]any{"code": "SRV-KEPT", "name": map[string]any{"es": "x"}, "status": "existing",
		"provider_id": kept.String()})
	if err := env.App.Institutions.Archive(svcSys(), kept, etag.Precondition{}); err != nil {
		t.Fatal(err)
	}
	if res := svcPatch(t, env, admin, "/v1/services/"+svc.ID, map[string]any{"status": "proposed"}, nil); res.Status != http.StatusOK {
		t.Errorf("edit under an archived provider: %d %s", res.Status, res.Body)
	}

	// The service, as a demo loader calls it, applies the same rules (vocabularies and repeats
	// included, which the contract checks over HTTP) and marks demo data.
	menu := servicemenu.NewMenu(env.DB, env.App.Institutions)
	before = env.Fingerprint(t)
	for _, c := range []struct {
		f      servicemenu.Fields
		fields []string
	}{
		{servicemenu.Fields{Code: "NO-NAME", Status: "proposed"}, []string{"name"}},
		{servicemenu.Fields{Code: "bad code", NameES: new("x"), Status: "maybe"}, []string{"code", "status"}},
		{servicemenu.Fields{Code: "VOCAB", NameES: new("x"), Status: "proposed", TargetGroups: []string{"students", "tourists", "students"},
			Channels: []string{"fax"}, Languages: []string{"es", "es", "eng"}},
			[]string{"target_groups.1", "target_groups.2", "channels.0", "languages.1", "languages.2"}},
		{servicemenu.Fields{Code: "REPEAT", NameES: new("x"), Status: "proposed",
			FunctionIDs: []uuid.UUID{uuid.MustParse(fn), uuid.MustParse(fn)}}, []string{"function_ids.1"}},
		{servicemenu.Fields{Code: "BAD-REF", NameES: new("x"), Status: "proposed", InputIDs: []uuid.UUID{uuid.New()}},
			[]string{"input_ids.0"}},
	} {
		_, err := menu.Create(svcSys(), c.f)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable {
			t.Errorf("%s: %v, want 422", c.f.Code, err)
			continue
		}
		var got []string
		for _, f := range ae.Fields {
			got = append(got, f.Field)
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(c.fields))) {
			t.Errorf("%s: fields %v, want %v", c.f.Code, got, c.fields)
		}
	}
	env.Unchanged(t, before)
	demo, err := menu.Create(svcSys(), servicemenu.Fields{Code: "DEMO-SRV", NameEN: new("Demo service"), Status: "proposed",
		ProviderID: &unit, FunctionIDs: []uuid.UUID{uuid.MustParse(fn)}, Demo: true})
	if err != nil || !demo.Demo || demo.Version != 1 {
		t.Fatalf("demo create: %+v %v", demo, err)
	}
	if n := env.Count(t, "services", "id = ? AND demo AND name_es IS NULL AND provider_id = ?", demo.ID, unit); n != 1 {
		t.Errorf("demo service not stored")
	}
	// Updates keep the demo mark whatever change returns.
	upd, err := menu.Update(svcSys(), demo.ID, etag.Precondition{}, func(s servicemenu.Service) (servicemenu.Fields, error) {
		f := s.Fields
		f.Demo, f.Status = false, "existing"
		return f, nil
	})
	if err != nil || !upd.Demo || upd.Status != "existing" {
		t.Errorf("demo update: %+v %v", upd, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServiceScoping(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := svcUnit(t, env, "PE-MRE-ASN", nil)
	ssn := svcUnit(t, env, "PE-MRE-ASN-SSN", &asn)
	con := svcUnit(t, env, "PE-MRE-CON", nil)
	theirs := svcCreate(t, env, admin, map[string]any{"code": "SRV-CON", "name": map[string]any{"es": "Pasaportes"},
		"status": "existing", "provider_id": con.String()})
	nobodys := svcCreate(t, env, admin, svcBody("SRV-NOBODY", "proposed"))
	ours := svcCreate(t, env, admin, map[string]any{"code": "SRV-SSN", "name": map[string]any{"es": "Asistencia"},
		"status": "existing", "provider_id": ssn.String()})

	for _, role := range []actor.Role{actor.Editor, actor.Partner} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: &asn})
		code := "SRV-" + strings.ToUpper(string(role))

		// Outside the subtree, or no provider at all: 403, nothing written.
		before := env.Fingerprint(t)
		for _, provider := range []any{con.String(), nil} {
			b := svcBody(code, "proposed")
			if provider != nil {
				b["provider_id"] = provider
			}
			apitest.Problem(t, svcPost(t, env, tok, b), http.StatusForbidden)
		}
		for _, s := range []svcService{theirs, nobodys} {
			apitest.Problem(t, svcPatch(t, env, tok, "/v1/services/"+s.ID, map[string]any{"status": "proposed"}, nil), http.StatusForbidden)
			apitest.Problem(t, svcDelete(t, env, tok, "/v1/services/"+s.ID, nil), http.StatusForbidden)
			// Nor may they take a service over by moving it into their subtree.
			apitest.Problem(t, svcPatch(t, env, tok, "/v1/services/"+s.ID, map[string]any{"provider_id": ssn.String()}, nil), http.StatusForbidden)
		}
		// An unknown provider is named as such (422), not hidden behind a 403.
		b := svcBody(code, "proposed")
		b["provider_id"] = uuid.NewString()
		apitest.WantProblemFields(t, apitest.Problem(t, svcPost(t, env, tok, b), http.StatusUnprocessableEntity), "provider_id")
		// Nor give their own service away, or make it nobody's.
		apitest.Problem(t, svcPatch(t, env, tok, "/v1/services/"+ours.ID, map[string]any{"provider_id": con.String()}, nil), http.StatusForbidden)
		apitest.Problem(t, svcPatch(t, env, tok, "/v1/services/"+ours.ID, map[string]any{"provider_id": nil}, nil), http.StatusForbidden)
		env.Unchanged(t, before)

		// Inside the subtree (the institution itself or a unit below it): create, update, archive.
		mine := svcCreate(t, env, tok, map[string]any{"code": code, "name": map[string]any{"es": "Servicio"},
			"status": "proposed", "provider_id": asn.String()})
		if res := svcPatch(t, env, tok, "/v1/services/"+mine.ID, map[string]any{"provider_id": ssn.String(), "status": "existing"}, nil); res.Status != http.StatusOK {
			t.Errorf("%s patch own: %d %s", role, res.Status, res.Body)
		}
		if res := svcPatch(t, env, tok, "/v1/services/"+ours.ID, map[string]any{"channels": []string{"consulate"}}, nil); res.Status != http.StatusOK {
			t.Errorf("%s patch a unit below: %d %s", role, res.Status, res.Body)
		}
		if res := svcDelete(t, env, tok, "/v1/services/"+mine.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archive own: %d %s", role, res.Status, res.Body)
		}
		if n := env.Count(t, "services", "id = ? AND provider_id = ? AND status = 'existing' AND archived_at IS NOT NULL", mine.ID, ssn); n != 1 {
			t.Errorf("%s writes not stored", role)
		}
		// Everyone reads everything.
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services/" + theirs.ID, Token: tok}); res.Status != http.StatusOK {
			t.Errorf("%s GET: %d", role, res.Status)
		}
	}

	// An editor of no institution writes nothing; a viewer neither (no scope), but reads.
	noInst := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	before := env.Fingerprint(t)
	b := svcBody("SRV-X", "proposed")
	b["provider_id"] = asn.String()
	apitest.Problem(t, svcPost(t, env, noInst, b), http.StatusForbidden)
	apitest.Problem(t, svcPost(t, env, viewer, b), http.StatusForbidden)
	apitest.Problem(t, svcPatch(t, env, viewer, "/v1/services/"+ours.ID, map[string]any{"status": "proposed"}, nil), http.StatusForbidden)
	apitest.Problem(t, svcDelete(t, env, viewer, "/v1/services/"+ours.ID, nil), http.StatusForbidden)
	if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services?order_by=code", Token: viewer}); res.Status != http.StatusOK {
		t.Errorf("viewer list: %d", res.Status)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services"}), http.StatusUnauthorized)
	env.Unchanged(t, before)

	// Coordinators and importers write any service, with or without a provider.
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		s := svcCreate(t, env, tok, svcBody("SRV-"+strings.ToUpper(string(role)), "proposed"))
		if res := svcPatch(t, env, tok, "/v1/services/"+theirs.ID, map[string]any{"fees": map[string]any{"es": "S/ 10 (" + string(role) + ")"}}, nil); res.Status != http.StatusOK {
			t.Errorf("%s patch: %d %s", role, res.Status, res.Body)
		}
		if res := svcDelete(t, env, tok, "/v1/services/"+s.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archive: %d %s", role, res.Status, res.Body)
		}
	}
}

func TestServiceList(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ssn := svcUnit(t, env, "PE-MRE-ASN-SSN", nil)
	con := svcUnit(t, env, "PE-MRE-CON", nil)
	fReturn := svcFunction(t, env, admin, "F-RETURN")
	fAssist := svcFunction(t, env, admin, "F-ASSIST")
	fOld := svcFunction(t, env, admin, "F-OLD")       // archived below
	fRetired := svcFunction(t, env, admin, "F-GONE")  // retired below
	fProposed := svcFunction(t, env, admin, "F-NEXT") // a proposed function still counts
	inReturn := svcInput(t, env, "Apoyo para el retorno")
	inPassport := svcInput(t, env, "Pasaportes más rápidos")

	for _, s := range []struct {
		code, status, es, en, provider string
		groups, channels               []string
		inputs, functions              []string
	}{
		{"SRV-RETURN", "existing", "Reinserción del migrante retornado", "Returning migrant reintegration", ssn.String(),
			[]string{"returning_migrants", "families_in_peru"}, []string{"in_person_peru"}, []string{inReturn}, []string{fReturn}},
		{"SRV-DISTRESS", "existing", "Asistencia a connacionales en situación de vulnerabilidad", "", ssn.String(),
			[]string{"nationals_in_distress"}, []string{"consulate", "phone"}, nil, []string{fAssist, fOld}},
		{"SRV-PASSPORT", "existing", "Expedición de pasaportes", "Passport issuance", con.String(),
			[]string{"nationals_abroad"}, []string{"consulate"}, []string{inPassport}, nil},
		{"SRV-ONLINE-PASSPORT", "proposed", "", "Online passport renewal", con.String(),
			[]string{"nationals_abroad", "students"}, []string{"online"}, []string{inPassport}, []string{fOld}},
		{"SRV-INVEST", "proposed", "Ventanilla de inversión de la diáspora", "Diaspora investment desk", "",
			[]string{"investors", "entrepreneurs"}, []string{"online", "in_person_peru"}, []string{inReturn}, []string{fRetired, fProposed}},
		{"SRV-CULTURE", "proposed", "Promoción cultural", "", "",
			[]string{"descendants", "associations"}, nil, nil, []string{fRetired}},
	} {
		name := map[string]any{}
		if s.es != "" {
			name["es"] = s.es
		}
		if s.en != "" {
			name["en"] = s.en
		}
		body := map[string]any{"code": s.code, "name": name, "status": s.status, "target_groups": s.groups}
		if s.provider != "" {
			body["provider_id"] = s.provider
		}
		for k, v := range map[string][]string{"channels": s.channels, "input_ids": s.inputs, "function_ids": s.functions} {
			if v != nil {
				body[k] = v
			}
		}
		svcCreate(t, env, admin, body)
	}
	archived := svcCreate(t, env, admin, map[string]any{"code": "SRV-OLD", "name": map[string]any{"es": "Servicio antiguo"},
		"status": "existing", "provider_id": ssn.String(), "input_ids": []string{inReturn}})
	if res := svcDelete(t, env, admin, "/v1/services/"+archived.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	if res := svcDelete(t, env, admin, "/v1/functions/"+fOld, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive function: %d %s", res.Status, res.Body)
	}
	if res := svcPatch(t, env, admin, "/v1/functions/"+fRetired, map[string]any{"status": "retired"}, nil); res.Status != http.StatusOK {
		t.Fatalf("retire function: %d %s", res.Status, res.Body)
	}
	if res := svcPatch(t, env, admin, "/v1/functions/"+fProposed, map[string]any{"status": "proposed"}, nil); res.Status != http.StatusOK {
		t.Fatalf("propose function: %d %s", res.Status, res.Body)
	}

	base := "/v1/services?"
	all := []string{"SRV-CULTURE", "SRV-DISTRESS", "SRV-INVEST", "SRV-ONLINE-PASSPORT", "SRV-PASSPORT", "SRV-RETURN"}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"order_by=code", all},
		{"code=SRV-RETURN&code=SRV-PASSPORT&code=SRV-OLD", []string{"SRV-PASSPORT", "SRV-RETURN"}},
		{"status=proposed", []string{"SRV-CULTURE", "SRV-INVEST", "SRV-ONLINE-PASSPORT"}},
		{"status=existing&status=proposed&order_by=-code", []string{"SRV-RETURN", "SRV-PASSPORT", "SRV-ONLINE-PASSPORT", "SRV-INVEST", "SRV-DISTRESS", "SRV-CULTURE"}},
		{"target_group=nationals_abroad", []string{"SRV-ONLINE-PASSPORT", "SRV-PASSPORT"}},
		{"target_group=students&target_group=descendants", []string{"SRV-CULTURE", "SRV-ONLINE-PASSPORT"}},
		{"target_group=workers", []string{}},
		{"channel=online", []string{"SRV-INVEST", "SRV-ONLINE-PASSPORT"}},
		{"channel=phone&channel=in_person_peru", []string{"SRV-DISTRESS", "SRV-INVEST", "SRV-RETURN"}},
		{"provider_id=" + ssn.String(), []string{"SRV-DISTRESS", "SRV-RETURN"}},
		{"provider_id=" + con.String() + "&status=existing", []string{"SRV-PASSPORT"}},
		{"provider_id=" + uuid.NewString(), []string{}},
		{"input_id=" + inReturn, []string{"SRV-INVEST", "SRV-RETURN"}},
		{"input_id=" + inPassport + "&channel=consulate", []string{"SRV-PASSPORT"}},
		{"input_id=" + uuid.NewString(), []string{}},
		{"function_id=" + fReturn, []string{"SRV-RETURN"}},
		{"function_id=" + fOld, []string{"SRV-DISTRESS", "SRV-ONLINE-PASSPORT"}}, // the link stays after archiving
		// The coverage view: no active function (none, an archived one, a retired one) behind it.
		{"has_function=false", []string{"SRV-CULTURE", "SRV-ONLINE-PASSPORT", "SRV-PASSPORT"}},
		{"has_function=true", []string{"SRV-DISTRESS", "SRV-INVEST", "SRV-RETURN"}},
		{"has_function=false&status=proposed", []string{"SRV-CULTURE", "SRV-ONLINE-PASSPORT"}},
		{"has_function=true&target_group=investors", []string{"SRV-INVEST"}},
		// Accents are optional, Spanish and English both searched, words match as prefixes.
		{"q=reinsercion", []string{"SRV-RETURN"}},
		{"q=passport", []string{"SRV-ONLINE-PASSPORT", "SRV-PASSPORT"}},
		{"q=pasaportes", []string{"SRV-PASSPORT"}},
		{"q=vulnerabilidad+connacionales", []string{"SRV-DISTRESS"}},
		{"q=srv-invest", []string{"SRV-INVEST"}},
		{"q=inexistente", []string{}},
		{"include_archived=true&input_id=" + inReturn, []string{"SRV-INVEST", "SRV-OLD", "SRV-RETURN"}},
		{"include_archived=true&q=antiguo", []string{"SRV-OLD"}},
		{"include_archived=true&has_function=false&provider_id=" + ssn.String(), []string{"SRV-OLD"}},
	} {
		if got := env.OnePage(t, admin, "code", base+c.query); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}

	// Archiving the last active function behind a service moves it into the coverage view.
	if res := svcDelete(t, env, admin, "/v1/functions/"+fProposed, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive function: %d", res.Status)
	}
	if got := env.OnePage(t, admin, "code", base+"has_function=false&target_group=investors"); !slices.Equal(got, []string{"SRV-INVEST"}) {
		t.Errorf("after archiving its last function: %v", got)
	}

	created := env.OnePage(t, admin, "code", base+"order_by=created_at")
	if !slices.Equal(created, []string{"SRV-RETURN", "SRV-DISTRESS", "SRV-PASSPORT", "SRV-ONLINE-PASSPORT", "SRV-INVEST", "SRV-CULTURE"}) {
		t.Errorf("created_at order: %v", created)
	}
	rev := env.OnePage(t, admin, "code", base+"order_by=-created_at")
	slices.Reverse(rev)
	if !slices.Equal(rev, created) {
		t.Errorf("-created_at order is not the reverse: %v", rev)
	}
	// Updating a service moves it last in updated_at order.
	if res := svcPatch(t, env, admin, "/v1/services/"+svcFind(t, env, admin, "SRV-RETURN"), map[string]any{"languages": []string{"es", "qu"}}, nil); res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if upd := env.OnePage(t, admin, "code", base+"order_by=updated_at"); len(upd) != 6 || upd[5] != "SRV-RETURN" {
		t.Errorf("updated_at order: %v", upd)
	}

	// Keyset paging: every order walked two by two gives the one-page order, without repeats, and
	// so does a filtered list.
	for _, q := range []string{"order_by=code", "order_by=-code", "order_by=created_at", "order_by=-created_at",
		"order_by=updated_at", "order_by=-updated_at", "has_function=false&order_by=-code"} {
		one := env.OnePage(t, admin, "code", base+q)
		pages := env.Pages(t, admin, "code", base+q+"&page_size=2")
		if want := (len(one) + 1) / 2; len(pages) != want {
			t.Errorf("%s: %d pages of 2, want %d", q, len(pages), want)
		}
		if got := slices.Concat(pages...); !slices.Equal(got, one) || len(one) == 0 {
			t.Errorf("%s: pages %v, one page %v", q, pages, one)
		}
	}

	// A token of another order, or garbage, is a 400, as are bad filters.
	first := env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + "order_by=code&page_size=2", Token: admin})
	tok := first.JSON(t)["next_page_token"].(string)
	for _, q := range []string{"order_by=created_at&page_token=" + tok, "page_token=garbage", "status=planned",
		"target_group=tourists", "channel=fax", "input_id=nope", "function_id=nope", "has_function=maybe", "order_by=name"} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: base + q, Token: admin}), http.StatusBadRequest)
	}
}

// svcFind returns the id of the service with code.
func svcFind(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services?code=" + code, Token: token})
	var page struct {
		Items []svcService `json:"items"`
	}
	res.Decode(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("no service %s", code)
	}
	return page.Items[0].ID
}

// TestServiceReferenceChecksAreBatched proves that checking what a service refers to costs one
// statement per list, whatever its length, and that a list page costs one statement whatever
// the filters.
func TestServiceReferenceChecksAreBatched(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	var functions, inputs []uuid.UUID
	for i := range 10 {
		functions = append(functions, uuid.MustParse(svcFunction(t, env, admin, "F-"+string(rune('A'+i)))))
		inputs = append(inputs, uuid.MustParse(svcInput(t, env, "Necesidad "+string(rune('A'+i)))))
	}
	menu := servicemenu.NewMenu(env.DB, env.App.Institutions)
	cost := func(code string, fns, ins []uuid.UUID) int64 {
		t.Helper()
		start := env.DB.Queries()
		if _, err := menu.Create(svcSys(), servicemenu.Fields{Code: code, NameES: new("x"), Status: "proposed",
			FunctionIDs: fns, InputIDs: ins}); err != nil {
			t.Fatalf("create %s: %v", code, err)
		}
		return env.DB.Queries() - start
	}
	if one, ten := cost("SRV-ONE", functions[:1], inputs[:1]), cost("SRV-TEN", functions, inputs); one == 0 || one != ten {
		t.Errorf("a 1-link service costs %d statements, a 10-link one %d", one, ten)
	}
	start := env.DB.Queries()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Token: admin,
		Path: "/v1/services?has_function=true&input_id=" + inputs[3].String() + "&q=x&status=proposed"})
	if n := env.DB.Queries() - start; res.Status != http.StatusOK || n > 2 {
		t.Errorf("a filtered list: %d, %d statements", res.Status, n)
	}
	if got := res.JSON(t)["items"].([]any); len(got) != 1 {
		t.Errorf("filtered list: %v", got)
	}
}
