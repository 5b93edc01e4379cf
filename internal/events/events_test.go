package events_test

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

// evtText is a localized text as the API renders it.
type evtText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// evtEvent is an event as the API renders it.
type evtEvent struct {
	ID           string         `json:"id"`
	Code         string         `json:"code"`
	Type         string         `json:"type"`
	Title        evtText        `json:"title"`
	StartDate    string         `json:"start_date"`
	EndDate      string         `json:"end_date"`
	Place        *string        `json:"place"`
	Country      *string        `json:"country"`
	Online       bool           `json:"online"`
	OrganiserID  *string        `json:"organiser_id"`
	Agenda       []any          `json:"agenda"`
	Participants map[string]any `json:"participants"`
	PracticeIDs  []string       `json:"practice_ids"`
	Outputs      *evtText       `json:"outputs"`
	Notes        *evtText       `json:"notes"`
	Demo         bool           `json:"demo"`
	Version      int64          `json:"version"`
	CreatedAt    string         `json:"created_at"`
	UpdatedAt    string         `json:"updated_at"`
	ArchivedAt   *string        `json:"archived_at"`
}

// evtAudit is an audit event as stored.
type evtAudit struct {
	Action    string
	ActorID   *string
	ActorKind string
	Before    json.RawMessage
	After     json.RawMessage
}

func evtDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// evtInstitution creates an institution through the service, as the system.
func evtInstitution(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	name := "Unidad " + code
	i, err := env.App.Institutions.Create(actor.With(context.Background(), actor.SystemActor), institutions.Fields{
		Code: code, NameES: &name, Kind: "directorate", Tier: "national", Status: "active", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return i.ID
}

// evtPractice inserts a practice row directly: the practices area is written by others, and the
// events only need the row to exist.
func evtPractice(t *testing.T, env *apitest.Env, code string) string {
	t.Helper()
	id := uuid.NewString()
	if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO practices (id, code, scope, type, title_es)
		VALUES (?, ?, 'global', 'consultation_mechanism', ?)`, id, code, "Práctica "+code).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func evtBody(code, start string) map[string]any {
	return map[string]any{"code": code, "type": "diaspora_consultation", "title": map[string]any{"es": "Consulta " + code},
		"start_date": start}
}

func evtPost(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: token, Body: body, Header: header})
}

// evtCreateAt posts body to path and returns the created record.
func evtCreateAt[T any](t *testing.T, env *apitest.Env, token, path string, body map[string]any) T {
	t.Helper()
	res := evtPost(t, env, token, path, body, nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("create at %s %v: %d %s", path, body, res.Status, res.Body)
	}
	var out T
	res.Decode(t, &out)
	return out
}

// evtGetAt reads the record at path.
func evtGetAt[T any](t *testing.T, env *apitest.Env, token, path string) (T, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get %s: %d %s", path, res.Status, res.Body)
	}
	var out T
	res.Decode(t, &out)
	return out, res
}

func evtCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) evtEvent {
	t.Helper()
	return evtCreateAt[evtEvent](t, env, token, "/v1/events", body)
}

func evtGet(t *testing.T, env *apitest.Env, token, id string) (evtEvent, apitest.Response) {
	t.Helper()
	return evtGetAt[evtEvent](t, env, token, "/v1/events/"+id)
}

// evtArchiveRow archives a row of table directly, as another area's archive would.
func evtArchiveRow(t *testing.T, env *apitest.Env, table string, id any) {
	t.Helper()
	if err := env.DB.Conn(context.Background()).Exec(`UPDATE `+table+` SET archived_at = now() WHERE id = ?`, id).Error; err != nil {
		t.Fatal(err)
	}
}

func evtPatch(t *testing.T, env *apitest.Env, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func evtDelete(t *testing.T, env *apitest.Env, token, path string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: token, Header: header})
}

func evtAudits(t *testing.T, env *apitest.Env, id string) []evtAudit {
	t.Helper()
	var out []evtAudit
	if err := env.DB.Conn(context.Background()).Raw(`SELECT action, actor_id, actor_kind, before, after FROM audit_events
		WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// evtMissing checks that reading, patching and archiving an unknown id under collection are 404s.
func evtMissing(t *testing.T, env *apitest.Env, token, collection string, patch map[string]any) {
	t.Helper()
	missing := collection + uuid.NewString()
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: missing, Token: token}), http.StatusNotFound)
	apitest.Problem(t, evtPatch(t, env, token, missing, patch, nil), http.StatusNotFound)
	apitest.Problem(t, evtDelete(t, env, token, missing, nil), http.StatusNotFound)
}

func evtWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// evtPages walks every page of path (a list URL with its query) and returns each page's values of
// key ("code" or "id").
func evtPages(t *testing.T, env *apitest.Env, token, path, key string) [][]string {
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
			Items []map[string]any `json:"items"`
			Next  string           `json:"next_page_token"`
		}
		res.Decode(t, &page)
		values := []string{}
		for _, it := range page.Items {
			values = append(values, it[key].(string))
		}
		pages = append(pages, values)
		if page.Next == "" {
			return pages
		}
		next = page.Next
	}
	t.Fatalf("list %s does not end", path)
	return nil
}

// evtCodes lists path on one page and returns the codes.
func evtCodes(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := evtPages(t, env, token, path+"&page_size=500", "code")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

func TestEventLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := evtInstitution(t, env, "ASN", nil)
	p1, p2 := evtPractice(t, env, "PE-MTIGM"), evtPractice(t, env, "PE-BIM")

	body := map[string]any{
		"code": "PE-TALLER-2023", "type": "peer_learning_workshop",
		"title":      map[string]any{"es": "Taller de pares", "en": "Peer-learning workshop"},
		"start_date": "2023-05-16", "end_date": "2023-05-17", "place": "Lima", "country": "PE", "online": true,
		"organiser_id": asn.String(),
		"agenda": []any{map[string]any{"time": "09:00", "title": map[string]any{"es": "Apertura"}},
			map[string]any{"title": map[string]any{"en": "Options for ASN"}}},
		"participants": map[string]any{"total": 28, "by_sex": map[string]any{"female": 16, "male": 12},
			"by_institution_kind": []any{map[string]any{"institution_kind": "ministry", "count": 20}},
			"by_country":          []any{map[string]any{"country": "PE", "count": 16}, map[string]any{"country": "CL", "count": 12}}},
		"practice_ids": []string{p1, p2},
		"outputs":      map[string]any{"en": "Event report"},
		"notes":        map[string]any{"es": "Actas circuladas", "en": "Minutes circulated"},
	}
	key := map[string]string{"Idempotency-Key": "evt-create-1"}
	res := evtPost(t, env, admin, "/v1/events", body, key)
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var got evtEvent
	res.Decode(t, &got)
	if loc := res.Header.Get("Location"); loc != "/v1/events/"+got.ID {
		t.Errorf("Location %q", loc)
	}
	if et := res.Header.Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q", et)
	}
	wantParticipants := body["participants"]
	gotParticipants, _ := json.Marshal(got.Participants)
	wantJSON, _ := json.Marshal(wantParticipants)
	if got.Code != "PE-TALLER-2023" || got.Type != "peer_learning_workshop" || evtDeref(got.Title.Es) != "Taller de pares" ||
		evtDeref(got.Title.En) != "Peer-learning workshop" || got.StartDate != "2023-05-16" || got.EndDate != "2023-05-17" ||
		evtDeref(got.Place) != "Lima" || evtDeref(got.Country) != "PE" || !got.Online || evtDeref(got.OrganiserID) != asn.String() ||
		len(got.Agenda) != 2 || !slices.Equal(got.PracticeIDs, []string{p1, p2}) || got.Outputs == nil ||
		got.Outputs.Es != nil || evtDeref(got.Outputs.En) != "Event report" || evtDeref(got.Notes.Es) != "Actas circuladas" ||
		got.Demo || got.Version != 1 || got.ArchivedAt != nil || string(gotParticipants) != string(wantJSON) {
		t.Errorf("create: fields do not round-trip: %+v\nparticipants %s", got, gotParticipants)
	}
	agenda, _ := json.Marshal(got.Agenda)
	if string(agenda) != `[{"time":"09:00","title":{"es":"Apertura"}},{"title":{"en":"Options for ASN"}}]` {
		t.Errorf("agenda %s", agenda)
	}
	if n := env.Count(t, "events", `id = ? AND code = 'PE-TALLER-2023' AND start_date = '2023-05-16' AND end_date = '2023-05-17'
		AND organiser_id = ? AND practice_ids = ARRAY[?, ?]::uuid[] AND (participants->>'total')::int = 28
		AND jsonb_array_length(agenda) = 2 AND online AND NOT demo AND version = 1`, got.ID, asn, p1, p2); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	// The same Idempotency-Key and body answer the first result and create nothing.
	if again := evtPost(t, env, admin, "/v1/events", body, key); again.Status != http.StatusCreated || !slices.Equal(again.Body, res.Body) {
		t.Errorf("idempotent retry: %d %s", again.Status, again.Body)
	}
	if n := env.Count(t, "events", "true"); n != 1 {
		t.Errorf("%d events after an idempotent retry", n)
	}
	if g, gres := evtGet(t, env, admin, got.ID); !reflect.DeepEqual(g, got) || gres.Header.Get("ETag") != `"1"` {
		t.Errorf("GET: %+v ETag %q", g, gres.Header.Get("ETag"))
	}
	evs := evtAudits(t, env, got.ID)
	if len(evs) != 1 || evs[0].Action != "event.create" || evs[0].Before != nil {
		t.Fatalf("audit after create: %+v", evs)
	}
	var after evtEvent
	if err := json.Unmarshal(evs[0].After, &after); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("create event after %s", evs[0].After)
	}

	// The end date defaults to the start date.
	oneDay := evtCreate(t, env, admin, evtBody("PE-CONSULTA-1", "2023-03-18"))
	if oneDay.EndDate != "2023-03-18" || oneDay.Agenda == nil || len(oneDay.Agenda) != 0 || oneDay.Participants != nil ||
		oneDay.PracticeIDs == nil || oneDay.Online || oneDay.Notes != nil {
		t.Errorf("one-day event: %+v", oneDay)
	}

	// Participants are replaced whole (not merged), lists replaced, null clears, the rest stays.
	path := "/v1/events/" + got.ID
	res = evtPatch(t, env, admin, path, map[string]any{
		"participants": map[string]any{"total": 30, "by_sex": map[string]any{"other_or_undisclosed": 1}},
		"practice_ids": []string{p2}, "agenda": nil, "title": map[string]any{"es": nil}, "country": nil, "place": nil,
		"online": false, "notes": map[string]any{"en": nil}, "end_date": "2023-05-18",
	}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	var upd evtEvent
	res.Decode(t, &upd)
	p, _ := json.Marshal(upd.Participants)
	if string(p) != `{"by_sex":{"other_or_undisclosed":1},"total":30}` || !slices.Equal(upd.PracticeIDs, []string{p2}) ||
		len(upd.Agenda) != 0 || upd.Title.Es != nil || evtDeref(upd.Title.En) != "Peer-learning workshop" || upd.Country != nil ||
		upd.Place != nil || upd.Online || evtDeref(upd.Notes.Es) != "Actas circuladas" || upd.Notes.En != nil ||
		upd.EndDate != "2023-05-18" || upd.StartDate != "2023-05-16" || upd.Version != 2 || upd.CreatedAt != got.CreatedAt ||
		evtDeref(upd.OrganiserID) != asn.String() {
		t.Errorf("patched: %+v participants %s", upd, p)
	}
	if n := env.Count(t, "events", `id = ? AND participants = '{"total": 30, "by_sex": {"other_or_undisclosed": 1}}'::jsonb
		AND practice_ids = ARRAY[?]::uuid[] AND agenda = '[]' AND title_es IS NULL AND country IS NULL AND version = 2`, got.ID, p2); n != 1 {
		t.Errorf("stored row does not show the patch")
	}
	// Clearing the participants.
	res = evtPatch(t, env, admin, path, map[string]any{"participants": nil}, nil)
	var cleared evtEvent
	res.Decode(t, &cleared)
	if res.Status != http.StatusOK || cleared.Participants != nil || env.Count(t, "events", "id = ? AND participants IS NULL", got.ID) != 1 {
		t.Errorf("clearing participants: %d %s", res.Status, res.Body)
	}
	evs = evtAudits(t, env, got.ID)
	if len(evs) != 3 || evs[1].Action != "event.update" {
		t.Fatalf("audit after update: %+v", evs)
	}
	var b, a evtEvent
	_ = json.Unmarshal(evs[1].Before, &b)
	_ = json.Unmarshal(evs[1].After, &a)
	if !reflect.DeepEqual(b, got) || !reflect.DeepEqual(a, upd) {
		t.Errorf("update event: before %s after %s", evs[1].Before, evs[1].After)
	}

	// Stale ETags are refused and change nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"place": "Cusco"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	apitest.Problem(t, evtDelete(t, env, admin, path, map[string]string{"If-Match": `"2"`}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archive, twice: the second is a no-op.
	if res := evtDelete(t, env, admin, path, map[string]string{"If-Match": `"3"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, ares := evtGet(t, env, admin, got.ID)
	if arch.ArchivedAt == nil || arch.Version != 4 || ares.Header.Get("ETag") != `"4"` {
		t.Errorf("archived: %+v", arch)
	}
	before = env.Fingerprint(t)
	if res := evtDelete(t, env, admin, path, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)
	evs = evtAudits(t, env, got.ID)
	if len(evs) != 4 || evs[3].Action != "event.archive" {
		t.Fatalf("audit after archive: %+v", evs)
	}

	// An archived event is listed only on request and cannot be edited.
	if codes := evtCodes(t, env, admin, "/v1/events?order_by=code"); !slices.Equal(codes, []string{"PE-CONSULTA-1"}) {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := evtCodes(t, env, admin, "/v1/events?order_by=code&include_archived=true"); !slices.Equal(codes, []string{"PE-CONSULTA-1", "PE-TALLER-2023"}) {
		t.Errorf("list with archived: %v", codes)
	}
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"place": "Cusco"}, nil), http.StatusConflict)
	env.Unchanged(t, before)

	evtMissing(t, env, admin, "/v1/events/", map[string]any{"place": "Cusco"})
	env.Unchanged(t, before)
}

func TestEventRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := evtInstitution(t, env, "ASN", nil)
	gone := evtInstitution(t, env, "GONE", nil)
	evtArchiveRow(t, env, "institutions", gone)
	practice := evtPractice(t, env, "PE-MTIGM")
	archivedPractice := evtPractice(t, env, "PE-OLD")
	evtArchiveRow(t, env, "practices", archivedPractice)
	first := evtCreate(t, env, admin, evtBody("PE-ONE", "2023-03-18"))
	path := "/v1/events/" + first.ID

	before := env.Fingerprint(t)
	// Domain rules the contract cannot state: 422 naming the field, on create and on update.
	for _, c := range []struct {
		name   string
		set    map[string]any
		fields []string
	}{
		{"end before start", map[string]any{"end_date": "2023-03-17"}, []string{"end_date"}},
		{"not an ISO country", map[string]any{"country": "XX"}, []string{"country"}},
		{"unknown organiser", map[string]any{"organiser_id": uuid.NewString()}, []string{"organiser_id"}},
		{"archived organiser", map[string]any{"organiser_id": gone.String()}, []string{"organiser_id"}},
		{"unknown practice", map[string]any{"practice_ids": []string{practice, uuid.NewString()}}, []string{"practice_ids.1"}},
		{"archived practice", map[string]any{"practice_ids": []string{archivedPractice}}, []string{"practice_ids.0"}},
		{"an institution is no practice", map[string]any{"practice_ids": []string{asn.String()}}, []string{"practice_ids.0"}},
		{"by sex counts more than the total", map[string]any{"participants": map[string]any{"total": 10,
			"by_sex": map[string]any{"female": 6, "male": 5}}}, []string{"participants.by_sex"}},
		{"by country counts more than the total", map[string]any{"participants": map[string]any{"total": 10,
			"by_country": []any{map[string]any{"country": "ES", "count": 8}, map[string]any{"country": "IT", "count": 3}}}},
			[]string{"participants.by_country"}},
		{"by institution kind counts more than the total", map[string]any{"participants": map[string]any{"total": 3,
			"by_institution_kind": []any{map[string]any{"institution_kind": "ministry", "count": 4}}}},
			[]string{"participants.by_institution_kind"}},
		{"a by-country line without a country", map[string]any{"participants": map[string]any{"total": 3,
			"by_country": []any{map[string]any{"country": "ES", "count": 1}, map[string]any{"count": 1}}}},
			[]string{"participants.by_country.1"}},
		{"a country counted twice", map[string]any{"participants": map[string]any{"total": 3,
			"by_country": []any{map[string]any{"country": "ES", "count": 1}, map[string]any{"country": "ES", "count": 1}}}},
			[]string{"participants.by_country.1"}},
		{"a by-country line naming a kind", map[string]any{"participants": map[string]any{"total": 3,
			"by_country": []any{map[string]any{"country": "ES", "institution_kind": "ministry", "count": 1}}}},
			[]string{"participants.by_country.0"}},
		{"a by-country line with a non-ISO country", map[string]any{"participants": map[string]any{"total": 3,
			"by_country": []any{map[string]any{"country": "XX", "count": 1}}}}, []string{"participants.by_country.0"}},
	} {
		body := evtBody("PE-NEW", "2023-03-18")
		for k, v := range c.set {
			body[k] = v
		}
		p := apitest.Problem(t, evtPost(t, env, admin, "/v1/events", body, nil), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			evtWantField(t, p, f)
		}
		if errs, _ := p["errors"].([]any); len(errs) != len(c.fields) {
			t.Errorf("%s: errors %v, want %v", c.name, errs, c.fields)
		}
		p = apitest.Problem(t, evtPatch(t, env, admin, path, c.set, nil), http.StatusUnprocessableEntity)
		for _, f := range c.fields {
			evtWantField(t, p, f)
		}
	}
	// A patch may not move the start past the end, nor remove the last title.
	p := apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"start_date": "2023-03-19"}, nil), http.StatusUnprocessableEntity)
	evtWantField(t, p, "end_date")
	p = apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{"title": map[string]any{"es": nil}}, nil), http.StatusUnprocessableEntity)
	evtWantField(t, p, "title")
	// The contract refuses bad shapes first (an empty title only on create: in a patch it changes nothing).
	for _, c := range []struct {
		key        string
		value      any
		createOnly bool
	}{
		{"type", "party", false}, {"title", map[string]any{}, true}, {"start_date", "18/03/2023", false},
		{"country", "es", false}, {"code", "lower-case", false}, {"practice_ids", []string{practice, practice}, false},
		{"demo", true, false}, {"organiser_id", "ASN", false},
		{"agenda", []any{map[string]any{"time": "25:00", "title": map[string]any{"es": "x"}}}, false},
		{"agenda", []any{map[string]any{"title": map[string]any{}}}, false},
		{"participants", map[string]any{"total": -1}, false},
		{"participants", map[string]any{"by_sex": map[string]any{"female": 1}}, false}, // no total
	} {
		body := evtBody("PE-NEW", "2023-03-18")
		body[c.key] = c.value
		apitest.Problem(t, evtPost(t, env, admin, "/v1/events", body, nil), http.StatusBadRequest)
		if !c.createOnly {
			apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{c.key: c.value}, nil), http.StatusBadRequest)
		}
	}
	apitest.Problem(t, evtPost(t, env, admin, "/v1/events", map[string]any{"code": "PE-NEW", "type": "training",
		"start_date": "2023-01-01"}, nil), http.StatusBadRequest) // no title
	apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{}, nil), http.StatusBadRequest)
	// Duplicate code, on create and on update.
	p = apitest.Problem(t, evtPost(t, env, admin, "/v1/events", evtBody("PE-ONE", "2023-01-01"), nil), http.StatusConflict)
	evtWantField(t, p, "code")
	env.Unchanged(t, before)
	other := evtCreate(t, env, admin, evtBody("PE-TWO", "2023-01-01"))
	before = env.Fingerprint(t)
	p = apitest.Problem(t, evtPatch(t, env, admin, "/v1/events/"+other.ID, map[string]any{"code": "PE-ONE"}, nil), http.StatusConflict)
	evtWantField(t, p, "code")
	env.Unchanged(t, before)

	// A link kept as it was stays valid after its practice or organiser is archived.
	linked := evtBody("PE-LINKED", "2023-01-01")
	linked["practice_ids"], linked["organiser_id"] = []string{practice}, asn.String()
	ev := evtCreate(t, env, admin, linked)
	evtArchiveRow(t, env, "practices", practice)
	evtArchiveRow(t, env, "institutions", asn)
	if res := evtPatch(t, env, admin, "/v1/events/"+ev.ID, map[string]any{"place": "Lima"}, nil); res.Status != http.StatusOK {
		t.Errorf("patching an event whose links were archived since: %d %s", res.Status, res.Body)
	}
}

// Participants are aggregate counts only: the contract has no field for a person, so a body
// carrying names or any other personal data is refused whole and writes nothing.
func TestEventParticipantsPrivacy(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	ev := evtCreate(t, env, admin, evtBody("PE-ONE", "2023-03-18"))
	path := "/v1/events/" + ev.ID
	before := env.Fingerprint(t)
	for _, c := range []struct {
		name  string
		key   string
		value any
	}{
		{"a list of participants' names", "participant_names", []string{"Ana Quispe", "Luis Mamani"}},
		{"participants as a list of people", "participants", []any{map[string]any{"name": "Ana Quispe", "email": "ana@example.org"}}},
		{"names beside the counts", "participants", map[string]any{"total": 2, "names": []string{"Ana Quispe", "Luis Mamani"}}},
		{"a person in a breakdown line", "participants", map[string]any{"total": 1,
			"by_country": []any{map[string]any{"country": "ES", "count": 1, "name": "Ana Quispe"}}}},
		{"a person in the split by sex", "participants", map[string]any{"total": 1,
			"by_sex": map[string]any{"female": 1, "female_names": []string{"Ana Quispe"}}}},
		{"emails of the attendees", "attendees", []any{map[string]any{"email": "ana@example.org"}}},
	} {
		body := evtBody("PE-NEW", "2023-03-18")
		body[c.key] = c.value
		p := apitest.Problem(t, evtPost(t, env, admin, "/v1/events", body, nil), http.StatusBadRequest)
		if raw, _ := json.Marshal(p); strings.Contains(string(raw), "Quispe") {
			t.Errorf("%s: the problem echoes personal data: %s", c.name, raw)
		}
		apitest.Problem(t, evtPatch(t, env, admin, path, map[string]any{c.key: c.value}, nil), http.StatusBadRequest)
	}
	env.Unchanged(t, before)
	if n := env.Count(t, "events", "participants::text LIKE '%Quispe%' OR notes_es LIKE '%Quispe%'"); n != 0 {
		t.Errorf("personal data stored")
	}
}

func TestEventFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := evtInstitution(t, env, "ASN", nil)
	practice := evtPractice(t, env, "PE-MTIGM")
	mk := func(code, typ, start, end string, extra map[string]any) evtEvent {
		b := evtBody(code, start)
		b["type"], b["end_date"] = typ, end
		for k, v := range extra {
			b[k] = v
		}
		return evtCreate(t, env, admin, b)
	}
	mk("E-MADRID", "diaspora_consultation", "2023-03-18", "2023-03-18",
		map[string]any{"title": map[string]any{"es": "Consulta en Madrid sobre protección consular"}, "organiser_id": asn.String()})
	mk("E-ONLINE", "diaspora_consultation", "2023-04-15", "2023-04-15", map[string]any{"online": true})
	mk("E-WORKSHOP", "peer_learning_workshop", "2023-05-16", "2023-05-17",
		map[string]any{"practice_ids": []string{practice}, "organiser_id": asn.String(), "place": "Lima"})
	mk("E-DRAFT", "co_drafting_session", "2023-05-31", "2023-06-02", nil)
	mk("E-TRAINING", "training", "2022-11-10", "2022-11-10", map[string]any{"notes": map[string]any{"en": "Remittance channels"}})

	for _, c := range []struct{ query, want string }{
		{"", "E-DRAFT,E-WORKSHOP,E-ONLINE,E-MADRID,E-TRAINING"}, // newest first by default
		{"order_by=start_date", "E-TRAINING,E-MADRID,E-ONLINE,E-WORKSHOP,E-DRAFT"},
		{"order_by=code", "E-DRAFT,E-MADRID,E-ONLINE,E-TRAINING,E-WORKSHOP"},
		{"order_by=-code", "E-WORKSHOP,E-TRAINING,E-ONLINE,E-MADRID,E-DRAFT"},
		{"order_by=created_at", "E-MADRID,E-ONLINE,E-WORKSHOP,E-DRAFT,E-TRAINING"},
		{"type=diaspora_consultation&order_by=code", "E-MADRID,E-ONLINE"},
		{"type=training&type=co_drafting_session&order_by=code", "E-DRAFT,E-TRAINING"},
		// Events overlapping [date_from, date_to]: the workshop ends on the 17th, the session starts on the 31st.
		{"date_from=2023-05-17&date_to=2023-05-31&order_by=code", "E-DRAFT,E-WORKSHOP"},
		{"date_from=2023-05-18&date_to=2023-05-30&order_by=code", ""},
		{"date_from=2023-04-15&order_by=code", "E-DRAFT,E-ONLINE,E-WORKSHOP"},
		{"date_to=2023-03-18&order_by=code", "E-MADRID,E-TRAINING"},
		{"organiser_id=" + asn.String() + "&order_by=code", "E-MADRID,E-WORKSHOP"},
		{"practice_id=" + practice, "E-WORKSHOP"},
		{"practice_id=" + uuid.NewString(), ""},
		{"q=proteccion", "E-MADRID"},    // accents optional
		{"q=remittances", "E-TRAINING"}, // English notes
		{"q=lima", "E-WORKSHOP"},        // the place
		{"q=e-online", "E-ONLINE"},      // the code
		{"code=E-ONLINE&code=E-DRAFT&order_by=code", "E-DRAFT,E-ONLINE"},
		{"type=diaspora_consultation&date_from=2023-04-01", "E-ONLINE"},
	} {
		codes := evtCodes(t, env, admin, "/v1/events?"+c.query)
		if got := strings.Join(codes, ","); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
	// Keyset pages in every order give every event once, in order.
	for _, order := range []string{"-start_date", "start_date", "code", "-created_at"} {
		pages := evtPages(t, env, admin, "/v1/events?page_size=2&order_by="+order, "code")
		var all []string
		for _, p := range pages {
			all = append(all, p...)
		}
		if whole := evtCodes(t, env, admin, "/v1/events?order_by="+order); !slices.Equal(all, whole) || len(pages) != 3 {
			t.Errorf("%s: pages %v, whole %v", order, pages, whole)
		}
	}
	// A token from another order is refused.
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/events?page_size=2&order_by=code", Token: admin})
	var page struct {
		Next string `json:"next_page_token"`
	}
	res.Decode(t, &page)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet,
		Path: "/v1/events?order_by=start_date&page_token=" + page.Next, Token: admin}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/events?order_by=place", Token: admin}), http.StatusBadRequest)
}

// Editors and partners write only the events their institution's subtree organises.
func TestEventScopedWriters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	asn := evtInstitution(t, env, "ASN", nil)
	pcn := evtInstitution(t, env, "ASN-PCN", &asn)
	other := evtInstitution(t, env, "OTHER", nil)
	theirs := evtBody("PE-THEIRS", "2023-01-01")
	theirs["organiser_id"] = other.String()
	foreign := evtCreate(t, env, admin, theirs)
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}, InstitutionID: &asn})

	for _, role := range []actor.Role{actor.Editor, actor.Partner} {
		token := env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: &asn})
		mine := evtBody("PE-MINE-"+strings.ToUpper(string(role)), "2023-01-01")
		mine["organiser_id"] = pcn.String() // a unit below its own institution
		own := evtCreate(t, env, token, mine)
		if res := evtPatch(t, env, token, "/v1/events/"+own.ID, map[string]any{"organiser_id": asn.String()}, nil); res.Status != http.StatusOK {
			t.Errorf("%s moving its event to its own institution: %d %s", role, res.Status, res.Body)
		}
		before := env.Fingerprint(t)
		outside := evtBody("PE-OUT-"+strings.ToUpper(string(role)), "2023-01-01")
		outside["organiser_id"] = other.String()
		apitest.Problem(t, evtPost(t, env, token, "/v1/events", outside, nil), http.StatusForbidden)
		apitest.Problem(t, evtPost(t, env, token, "/v1/events", evtBody("PE-NONE-"+strings.ToUpper(string(role)), "2023-01-01"), nil), http.StatusForbidden)
		apitest.Problem(t, evtPatch(t, env, token, "/v1/events/"+foreign.ID, map[string]any{"place": "Lima"}, nil), http.StatusForbidden)
		apitest.Problem(t, evtPatch(t, env, token, "/v1/events/"+foreign.ID, map[string]any{"organiser_id": asn.String()}, nil), http.StatusForbidden)
		apitest.Problem(t, evtPatch(t, env, token, "/v1/events/"+own.ID, map[string]any{"organiser_id": other.String()}, nil), http.StatusForbidden)
		apitest.Problem(t, evtPatch(t, env, token, "/v1/events/"+own.ID, map[string]any{"organiser_id": nil}, nil), http.StatusForbidden)
		apitest.Problem(t, evtDelete(t, env, token, "/v1/events/"+foreign.ID, nil), http.StatusForbidden)
		env.Unchanged(t, before)
		if res := evtDelete(t, env, token, "/v1/events/"+own.ID, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s archiving its own event: %d %s", role, res.Status, res.Body)
		}
	}
	// Viewers read but do not write.
	before := env.Fingerprint(t)
	mine := evtBody("PE-VIEWER", "2023-01-01")
	mine["organiser_id"] = asn.String()
	apitest.Problem(t, evtPost(t, env, viewer, "/v1/events", mine, nil), http.StatusForbidden)
	if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/events/" + foreign.ID, Token: viewer}); res.Status != http.StatusOK {
		t.Errorf("viewer reading: %d", res.Status)
	}
	env.Unchanged(t, before)
}
