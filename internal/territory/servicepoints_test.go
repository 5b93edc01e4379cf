package territory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/territory"
)

func TestTerritoryServicePointLifecycle(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env, admin := f.env, f.admin

	body := terrBody(f.svc["SRV-RETURN"], "08", f.ode, "in_person_peru")
	body["address"], body["notes"] = "Av. El Sol 123, Cusco", "Lunes a viernes, 9–13 h"
	got := apitest.Create[terrPoint](t, env, admin, "/v1/service-points", body)
	if got.ServiceID != f.svc["SRV-RETURN"] || got.Region != "08" || got.ProviderID != f.ode.String() || got.Channel != "in_person_peru" ||
		terrDeref(got.Address) != "Av. El Sol 123, Cusco" || terrDeref(got.Notes) != "Lunes a viernes, 9–13 h" ||
		got.Demo || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("create: fields do not round-trip: %+v", got)
	}
	if n := env.Count(t, "service_points", `id = ? AND service_id = ? AND region = '08' AND provider_id = ? AND channel = 'in_person_peru'
		AND address = 'Av. El Sol 123, Cusco' AND NOT demo AND version = 1`, got.ID, f.svc["SRV-RETURN"], f.ode); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	path := "/v1/service-points/" + got.ID
	read, res := apitest.Get[terrPoint](t, env, admin, path)
	if !reflect.DeepEqual(read, got) || res.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v (ETag %s), want %+v", read, res.Header.Get("ETag"), got)
	}
	terrAudited(t, env, got.ID, "service_point.create", 1, nil, got)

	// A merge patch changes what it names; null clears the notes.
	res = env.Send(t, http.MethodPatch, admin, path, map[string]any{"region": "23", "channel": "phone", "notes": nil},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd terrPoint
	res.Decode(t, &upd)
	if upd.Region != "23" || upd.Channel != "phone" || upd.Notes != nil || terrDeref(upd.Address) != "Av. El Sol 123, Cusco" ||
		upd.ServiceID != got.ServiceID || upd.ProviderID != got.ProviderID || upd.Version != 2 || upd.CreatedAt != got.CreatedAt {
		t.Errorf("patched: %+v", upd)
	}
	terrAudited(t, env, got.ID, "service_point.update", 2, &got, upd)

	// The end of its life: stale If-Match refused, archive, archive again, no update, 404s.
	stale := map[string]string{"If-Match": `"1"`}
	before := env.Fingerprint(t)
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"notes": "x"}, stale), http.StatusPreconditionFailed)
	apitest.Problem(t, env.Send(t, http.MethodDelete, admin, path, nil, stale), http.StatusPreconditionFailed)
	env.Unchanged(t, before)
	if res := env.Send(t, http.MethodDelete, admin, path, nil, map[string]string{"If-Match": `"2"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, res := apitest.Get[terrPoint](t, env, admin, path)
	if arch.ArchivedAt == nil || arch.Version != 3 || res.Header.Get("ETag") != `"3"` {
		t.Errorf("archived: %+v", arch)
	}
	terrAudited(t, env, got.ID, "service_point.archive", 3, &upd, arch)
	before = env.Fingerprint(t)
	if res := env.Send(t, http.MethodDelete, admin, path, nil, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"notes": "x"}, nil), http.StatusConflict)
	missing := "/v1/service-points/" + uuid.NewString()
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		apitest.Problem(t, env.Send(t, m, admin, missing, map[string]any{"notes": "x"}, nil), http.StatusNotFound)
	}
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/service-points/nope", nil, nil), http.StatusBadRequest)
	env.Unchanged(t, before)

	// Listed on request only once archived; its place is free for a new point.
	if ids := env.OnePage(t, admin, "id", "/v1/service-points?region=23"); len(ids) != 0 {
		t.Errorf("list shows archived: %v", ids)
	}
	if ids := env.OnePage(t, admin, "id", "/v1/service-points?include_archived=true"); !slices.Equal(ids, []string{got.ID}) {
		t.Errorf("list with archived: %v", ids)
	}

	// A retried POST with the same Idempotency-Key gets the first answer; another body, a 422.
	key := map[string]string{"Idempotency-Key": uuid.NewString()}
	retry := terrBody(f.svc["SRV-SAFE"], "12", f.gore, "in_person_peru")
	first := env.Send(t, http.MethodPost, admin, "/v1/service-points", retry, key)
	again := env.Send(t, http.MethodPost, admin, "/v1/service-points", retry, key)
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || !bytes.Equal(first.Body, again.Body) {
		t.Errorf("retry: %d %s, then %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	retry["region"] = "13"
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, "/v1/service-points", retry, key), http.StatusUnprocessableEntity)
	if n := env.Count(t, "service_points", "service_id = ?", f.svc["SRV-SAFE"]); n != 1 {
		t.Errorf("%d points after the retries, want 1", n)
	}
}

// terrAudited checks that point id has n audit events, the last an <action> from before (nil for a
// create) to after.
func terrAudited(t *testing.T, env *apitest.Env, id, action string, n int, before *terrPoint, after terrPoint) {
	t.Helper()
	evs := env.AuditEvents(t, id)
	if len(evs) != n || evs[n-1].Action != action {
		t.Fatalf("audit: %+v, want %d events, the last %s", evs, n, action)
	}
	decode := func(raw json.RawMessage) *terrPoint {
		if raw == nil {
			return nil
		}
		out := new(terrPoint)
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		return out
	}
	if b, a := decode(evs[n-1].Before), decode(evs[n-1].After); !reflect.DeepEqual(b, before) || a == nil || !reflect.DeepEqual(*a, after) {
		t.Errorf("%s event: before %s after %s", action, evs[n-1].Before, evs[n-1].After)
	}
}

func TestTerritoryServicePointRefusals(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env, admin := f.env, f.admin
	ctx := context.Background()
	archived := terrUnit(t, env, "PE-OLD", nil)
	dissolved := terrUnit(t, env, "PE-GONE", nil)
	proposed := terrUnit(t, env, "PE-NEXT", nil)
	oldService := apitest.Create[terrPoint](t, env, admin, "/v1/services", map[string]any{"code": "SRV-OLD",
		"name": map[string]any{"es": "Antiguo"}, "status": "existing"}).ID
	kept := apitest.Create[terrPoint](t, env, admin, "/v1/service-points", terrBody(oldService, "04", f.ode, "phone"))
	for _, sql := range []string{
		`UPDATE institutions SET archived_at = now() WHERE id = '` + archived.String() + `'`,
		`UPDATE institutions SET status = 'dissolved' WHERE id = '` + dissolved.String() + `'`,
		`UPDATE institutions SET status = 'proposed' WHERE id = '` + proposed.String() + `'`,
		`UPDATE services SET archived_at = now() WHERE id = '` + oldService + `'`,
	} {
		if err := env.DB.Conn(ctx).Exec(sql).Error; err != nil {
			t.Fatal(err)
		}
	}
	apitest.Create[terrPoint](t, env, admin, "/v1/service-points", terrBody(f.svc["SRV-RETURN"], "08", f.ode, "in_person_peru"))

	valid := func() map[string]any { return terrBody(f.svc["SRV-FAIR"], "08", f.ode, "in_person_peru") }
	cases := []struct {
		name   string
		body   map[string]any
		status int
		fields []string
	}{
		{"unknown service", map[string]any{"service_id": uuid.NewString()}, 422, []string{"service_id"}},
		{"service is an institution", map[string]any{"service_id": f.gore.String()}, 422, []string{"service_id"}},
		{"archived service", map[string]any{"service_id": oldService}, 422, []string{"service_id"}},
		{"unknown provider", map[string]any{"provider_id": uuid.NewString()}, 422, []string{"provider_id"}},
		{"archived provider", map[string]any{"provider_id": archived.String()}, 422, []string{"provider_id"}},
		{"dissolved provider", map[string]any{"provider_id": dissolved.String()}, 422, []string{"provider_id"}},
		{"proposed provider", map[string]any{"provider_id": proposed.String()}, 422, []string{"provider_id"}},
		{"both unknown", map[string]any{"service_id": uuid.NewString(), "provider_id": uuid.NewString()}, 422, []string{"service_id", "provider_id"}},
		{"duplicate", map[string]any{"service_id": f.svc["SRV-RETURN"]}, 409, nil},
		{"region 26", map[string]any{"region": "26"}, 400, nil},
		{"region by name", map[string]any{"region": "Cusco"}, 400, nil},
		{"unknown channel", map[string]any{"channel": "fax"}, 400, nil},
		{"no service", map[string]any{"service_id": nil}, 400, nil},
		{"bad uuid", map[string]any{"provider_id": "PE-MRE"}, 400, nil},
		{"address too long", map[string]any{"address": strings.Repeat("a", 301)}, 400, nil},
		{"notes too long", map[string]any{"notes": strings.Repeat("n", 2001)}, 400, nil},
		{"demo mark", map[string]any{"demo": true}, 400, nil},
		{"unknown field", map[string]any{"opening_hours": "9-13"}, 400, nil},
	}
	before := env.Fingerprint(t)
	for _, c := range cases {
		b := valid()
		maps.Copy(b, c.body)
		for k, v := range b {
			if v == nil {
				delete(b, k)
			}
		}
		res := env.Send(t, http.MethodPost, admin, "/v1/service-points", b, nil)
		if res.Status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, res.Status, c.status, res.Body)
			continue
		}
		if p := apitest.Problem(t, res, c.status); c.fields != nil {
			apitest.WantProblemFields(t, p, c.fields...)
		}
	}
	// The same rules on update.
	other := apitest.Create[terrPoint](t, env, admin, "/v1/service-points", valid())
	before = env.Fingerprint(t)
	path := "/v1/service-points/" + other.ID
	for _, c := range []struct {
		name   string
		patch  map[string]any
		status int
		fields []string
	}{
		{"unknown provider", map[string]any{"provider_id": uuid.NewString()}, 422, []string{"provider_id"}},
		{"archived service", map[string]any{"service_id": oldService}, 422, []string{"service_id"}},
		{"duplicate", map[string]any{"service_id": f.svc["SRV-RETURN"]}, 409, nil},
		{"region removed", map[string]any{"region": nil}, 400, nil},
		{"bad region", map[string]any{"region": "00"}, 400, nil},
		{"empty patch", map[string]any{}, 400, nil},
		{"demo mark", map[string]any{"demo": true}, 400, nil},
	} {
		res := env.Send(t, http.MethodPatch, admin, path, c.patch, nil)
		if res.Status != c.status {
			t.Errorf("patch %s: %d, want %d: %s", c.name, res.Status, c.status, res.Body)
			continue
		}
		if p := apitest.Problem(t, res, c.status); c.fields != nil {
			apitest.WantProblemFields(t, p, c.fields...)
		}
	}
	env.Unchanged(t, before)

	// A service archived since the point was written does not block edits of the rest.
	res := env.Send(t, http.MethodPatch, admin, "/v1/service-points/"+kept.ID, map[string]any{"notes": "Solo por teléfono"}, nil)
	if res.Status != http.StatusOK {
		t.Errorf("patch keeping an archived service: %d %s", res.Status, res.Body)
	}
	// A blank address is no address.
	b := terrBody(f.svc["SRV-SAFE"], "08", f.ode, "online")
	b["address"], b["notes"] = "   ", ""
	if p := apitest.Create[terrPoint](t, env, admin, "/v1/service-points", b); p.Address != nil || p.Notes != nil {
		t.Errorf("blank texts kept: %+v", p)
	}

	// The service, as a loader calls it, applies the same rules.
	points := territory.NewPoints(env.DB, env.App.Institutions)
	before = env.Fingerprint(t)
	_, err := points.Create(terrSys(), territory.PointFields{Region: "26", Channel: "fax", Address: new(strings.Repeat("á", 301))})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable {
		t.Fatalf("service refusal: %v", err)
	}
	var fields []string
	for _, fe := range ae.Fields {
		fields = append(fields, fe.Field)
	}
	if !slices.Equal(fields, []string{"service_id", "provider_id", "region", "channel", "address"}) {
		t.Errorf("service refusal fields %v", fields)
	}
	_, err = points.Create(terrSys(), territory.PointFields{ServiceID: uuid.MustParse(f.svc["SRV-RETURN"]), Region: "08",
		ProviderID: f.ode, Channel: "in_person_peru"})
	if !apperr.Is(err, apperr.Conflict) {
		t.Errorf("service duplicate: %v", err)
	}
	env.Unchanged(t, before)
	demo, err := points.Create(terrSys(), territory.PointFields{ServiceID: uuid.MustParse(f.svc["SRV-FAIR"]), Region: "15",
		ProviderID: f.gore, Channel: "in_person_peru", Address: new(strings.Repeat("á", 300)), Demo: true})
	if err != nil || !demo.Demo {
		t.Fatalf("demo create: %+v %v", demo, err)
	}
}

// Editors and partners write the points their own institution (or a unit below it) provides,
// before and after the write; viewers write none; coordinators and importers write any; everyone
// reads.
func TestTerritoryServicePointScoping(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env := f.env
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &f.mre})
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &f.gore})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	homeless := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}})

	// The MRE's editor writes its regional office's point; the regional government's partner its own.
	ode := apitest.Create[terrPoint](t, env, editor, "/v1/service-points", terrBody(f.svc["SRV-RETURN"], "08", f.ode, "in_person_peru"))
	gore := apitest.Create[terrPoint](t, env, partner, "/v1/service-points", terrBody(f.svc["SRV-RETURN"], "12", f.gore, "in_person_peru"))
	if res := env.Send(t, http.MethodPatch, editor, "/v1/service-points/"+ode.ID, map[string]any{"notes": "Previa cita"}, nil); res.Status != http.StatusOK {
		t.Errorf("editor patch of its own: %d %s", res.Status, res.Body)
	}

	before := env.Fingerprint(t)
	for _, r := range []struct {
		name, token, method, path string
		body                      map[string]any
	}{
		{"editor creates another's", editor, http.MethodPost, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "12", f.gore, "phone")},
		{"partner creates above its own", partner, http.MethodPost, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "08", f.ode, "phone")},
		{"partner patches another's", partner, http.MethodPatch, "/v1/service-points/" + ode.ID, map[string]any{"notes": "x"}},
		{"partner moves another's to itself", partner, http.MethodPatch, "/v1/service-points/" + ode.ID, map[string]any{"provider_id": f.gore.String()}},
		{"editor gives its own away", editor, http.MethodPatch, "/v1/service-points/" + ode.ID, map[string]any{"provider_id": f.gore.String()}},
		{"partner archives another's", partner, http.MethodDelete, "/v1/service-points/" + ode.ID, nil},
		{"editor without institution", homeless, http.MethodPost, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "08", f.ode, "phone")},
		{"viewer creates", viewer, http.MethodPost, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "08", f.ode, "phone")},
		{"viewer archives", viewer, http.MethodDelete, "/v1/service-points/" + gore.ID, nil},
	} {
		var body any
		if r.body != nil {
			body = r.body
		}
		apitest.Problem(t, env.Send(t, r.method, r.token, r.path, body, nil), http.StatusForbidden)
	}
	env.Unchanged(t, before)
	for name, tok := range map[string]string{"editor": editor, "partner": partner, "viewer": viewer} {
		if res := env.Send(t, http.MethodGet, tok, "/v1/service-points/"+ode.ID, nil, nil); res.Status != http.StatusOK {
			t.Errorf("%s GET: %d", name, res.Status)
		}
		if ids := env.OnePage(t, tok, "id", "/v1/service-points?order_by=region"); len(ids) != 2 {
			t.Errorf("%s list: %v", name, ids)
		}
	}
	if res := env.Send(t, http.MethodDelete, partner, "/v1/service-points/"+gore.ID, nil, nil); res.Status != http.StatusNoContent {
		t.Errorf("partner archives its own: %d %s", res.Status, res.Body)
	}
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		p := apitest.Create[terrPoint](t, env, tok, "/v1/service-points", terrBody(f.svc["SRV-FAIR"], "08", f.ode, map[actor.Role]string{
			actor.Coordinator: "online", actor.Importer: "phone"}[role]))
		if res := env.Send(t, http.MethodPatch, tok, "/v1/service-points/"+p.ID, map[string]any{"provider_id": f.gore.String()}, nil); res.Status != http.StatusOK {
			t.Errorf("%s PATCH: %d %s", role, res.Status, res.Body)
		}
		if res := env.Send(t, http.MethodDelete, tok, "/v1/service-points/"+p.ID, nil, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s DELETE: %d %s", role, res.Status, res.Body)
		}
	}
	if n := env.Count(t, "service_points", "service_id = ? AND provider_id = ? AND archived_at IS NOT NULL", f.svc["SRV-FAIR"], f.gore); n != 2 {
		t.Errorf("%d points written by a coordinator and an importer, want 2", n)
	}
}

func TestTerritoryServicePointList(t *testing.T) {
	t.Parallel()
	f := terrSetup(t)
	env, admin := f.env, f.admin
	ids := map[string]string{}
	for _, p := range []struct {
		name, service, region string
		provider              uuid.UUID
		channel               string
	}{
		{"return-cusco", "SRV-RETURN", "08", f.ode, "in_person_peru"},
		{"return-junin", "SRV-RETURN", "12", f.gore, "in_person_peru"},
		{"safe-cusco-phone", "SRV-SAFE", "08", f.ode, "phone"},
		{"safe-lima", "SRV-SAFE", "15", f.gore, "online"},
		{"fair-amazonas", "SRV-FAIR", "01", f.gore, "in_person_peru"},
	} {
		ids[p.name] = apitest.Create[terrPoint](t, env, admin, "/v1/service-points", terrBody(f.svc[p.service], p.region, p.provider, p.channel)).ID
	}
	archived := apitest.Create[terrPoint](t, env, admin, "/v1/service-points", terrBody(f.svc["SRV-FAIR"], "25", f.ode, "phone")).ID
	if res := env.Send(t, http.MethodDelete, admin, "/v1/service-points/"+archived, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	names := func(got []string) []string {
		out := []string{}
		for _, id := range got {
			for n, v := range ids {
				if v == id {
					out = append(out, n)
				}
			}
			if id == archived {
				out = append(out, "archived")
			}
		}
		return out
	}
	for query, want := range map[string][]string{
		"service_id=" + f.svc["SRV-SAFE"]:                        {"safe-cusco-phone", "safe-lima"},
		"region=08":                                              {"return-cusco", "safe-cusco-phone"},
		"region=08&region=15&region=25":                          {"return-cusco", "safe-cusco-phone", "safe-lima"},
		"provider_id=" + f.gore.String():                         {"fair-amazonas", "return-junin", "safe-lima"},
		"channel=in_person_peru&channel=online":                  {"fair-amazonas", "return-cusco", "return-junin", "safe-lima"},
		"region=08&channel=phone":                                {"safe-cusco-phone"},
		"region=08&provider_id=" + f.gore.String():               {},
		"include_archived=true&region=25":                        {"archived"},
		"order_by=-region&channel=in_person_peru":                {"return-junin", "return-cusco", "fair-amazonas"},
		"order_by=created_at&service_id=" + f.svc["SRV-RETURN"]:  {"return-cusco", "return-junin"},
		"order_by=-created_at&service_id=" + f.svc["SRV-RETURN"]: {"return-junin", "return-cusco"},
	} {
		got := names(env.OnePage(t, admin, "id", "/v1/service-points?"+query))
		if !strings.HasPrefix(query, "order_by") && !strings.Contains(query, "region=08&region") {
			// Within one region the order is the id's: compare as sets unless the regions differ.
			slices.Sort(got)
		}
		if !slices.Equal(got, want) {
			t.Errorf("?%s: %v, want %v", query, got, want)
		}
	}
	// Paging two by two gives the one-page list, in each order.
	for _, order := range []string{"region", "-region", "created_at", "-created_at"} {
		all := env.OnePage(t, admin, "id", "/v1/service-points?include_archived=true&order_by="+order)
		pages := env.Pages(t, admin, "id", "/v1/service-points?include_archived=true&page_size=2&order_by="+order)
		if len(pages) != 3 || !slices.Equal(slices.Concat(pages...), all) || len(all) != 6 {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}
	first := env.Send(t, http.MethodGet, admin, "/v1/service-points?order_by=region&page_size=1", nil, nil)
	tok := first.JSON(t)["next_page_token"].(string)
	for _, bad := range []string{"order_by=-region&page_token=" + tok, "page_token=garbage", "region=26", "channel=fax",
		"service_id=nope", "order_by=code"} {
		apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/service-points?"+bad, nil, nil), http.StatusBadRequest)
	}
}
