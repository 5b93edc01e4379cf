package actionplan_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
)

// aplText is a localized text as the API renders it.
type aplText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// aplAction is an action as the API renders it.
type aplAction struct {
	ID                 string    `json:"id"`
	Code               string    `json:"code"`
	Title              aplText   `json:"title"`
	BeneficiaryID      *string   `json:"beneficiary_id"`
	StartDate          string    `json:"start_date"`
	EndDate            string    `json:"end_date"`
	GeneralObjective   *aplText  `json:"general_objective"`
	SpecificObjectives []aplText `json:"specific_objectives"`
	Demo               bool      `json:"demo"`
	Version            int64     `json:"version"`
	CreatedAt          string    `json:"created_at"`
	UpdatedAt          string    `json:"updated_at"`
	ArchivedAt         *string   `json:"archived_at"`
}

// aplIndicator is an indicator of a result as the API renders it.
type aplIndicator struct {
	Code       string   `json:"code"`
	Name       aplText  `json:"name"`
	Unit       *string  `json:"unit"`
	Baseline   *float64 `json:"baseline"`
	Target     *float64 `json:"target"`
	Actual     *float64 `json:"actual"`
	MeasuredOn *string  `json:"measured_on"`
	Progress   *float64 `json:"progress"`
}

// aplResult is an expected result as the API renders it.
type aplResult struct {
	ID         string         `json:"id"`
	ActionID   string         `json:"action_id"`
	Code       string         `json:"code"`
	Statement  aplText        `json:"statement"`
	Indicators []aplIndicator `json:"indicators"`
	Progress   *float64       `json:"progress"`
	Demo       bool           `json:"demo"`
	Version    int64          `json:"version"`
	CreatedAt  string         `json:"created_at"`
	UpdatedAt  string         `json:"updated_at"`
	ArchivedAt *string        `json:"archived_at"`
}

// aplActivity is an activity as the API renders it.
type aplActivity struct {
	ID             string   `json:"id"`
	ActionID       string   `json:"action_id"`
	Code           string   `json:"code"`
	Type           string   `json:"type"`
	Title          aplText  `json:"title"`
	Description    *aplText `json:"description"`
	StartDate      string   `json:"start_date"`
	EndDate        string   `json:"end_date"`
	Status         string   `json:"status"`
	Progress       int      `json:"progress"`
	EventIDs       []string `json:"event_ids"`
	DeliverableIDs []string `json:"deliverable_ids"`
	Demo           bool     `json:"demo"`
	Version        int64    `json:"version"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
	ArchivedAt     *string  `json:"archived_at"`
}

func aplDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func aplSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

// aplAudited checks that record id of collection reads as after, and that it has n audit events,
// the last an <action> from before (nil for a create) to after.
func aplAudited[T any](t *testing.T, env *apitest.Env, token, collection, id, action string, n int, before *T, after T) {
	t.Helper()
	if got, _ := apitest.Get[T](t, env, token, collection+"/"+id); !reflect.DeepEqual(got, after) {
		t.Errorf("GET: %+v, want %+v", got, after)
	}
	evs := env.AuditEvents(t, id)
	if len(evs) != n || evs[n-1].Action != action {
		t.Fatalf("audit: %+v, want %d events, the last %s", evs, n, action)
	}
	last := evs[n-1]
	decode := func(raw json.RawMessage) *T {
		if raw == nil {
			return nil
		}
		out := new(T)
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		return out
	}
	if b, a := decode(last.Before), decode(last.After); !reflect.DeepEqual(b, before) || a == nil || !reflect.DeepEqual(*a, after) {
		t.Errorf("%s event: before %s after %s", action, last.Before, last.After)
	}
}

// aplCase is a request that must be refused: body (merged into a fresh valid body when the
// caller has one) answered with status, naming exactly fields (nil: not checked).
type aplCase struct {
	name   string
	body   map[string]any
	status int
	fields []string
}

// aplRefusals sends each case to path with method and checks the refusal.
func aplRefusals(t *testing.T, env *apitest.Env, token, method, path string, valid func() map[string]any, cases []aplCase) {
	t.Helper()
	for _, c := range cases {
		body := c.body
		if valid != nil {
			body = valid()
			maps.Copy(body, c.body)
		}
		res := env.Send(t, method, token, path, body, nil)
		if res.Status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, res.Status, c.status, res.Body)
			continue
		}
		if p := apitest.Problem(t, res, c.status); c.fields != nil {
			apitest.WantProblemFields(t, p, c.fields...)
		}
	}
}

// aplPaging checks, for each order, that walking path two by two gives the one-page list of n
// records, without repeats.
func aplPaging(t *testing.T, env *apitest.Env, token, path string, n int, orders ...string) {
	t.Helper()
	for _, order := range orders {
		all := env.OnePage(t, token, "code", path+"order_by="+order)
		pages := env.Pages(t, token, "code", path+"order_by="+order+"&page_size=2")
		if len(pages) != (n+1)/2 {
			t.Errorf("order %s: %d pages of 2, want %d", order, len(pages), (n+1)/2)
		}
		if got := slices.Concat(pages...); !slices.Equal(got, all) || len(all) != n {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}
	first := env.Send(t, http.MethodGet, token, path+"order_by=code&page_size=1", nil, nil)
	tok := first.JSON(t)["next_page_token"].(string)
	for _, bad := range []string{"order_by=-code&page_token=" + tok, "page_token=garbage"} {
		if res := env.Send(t, http.MethodGet, token, path+bad, nil, nil); res.Status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.Status)
		}
	}
}

// aplUnit creates an institution through the service and returns its id.
func aplUnit(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(aplSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		Kind: "directorate", Tier: "national"})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return inst.ID
}

func aplActionBody(code, start, end string) map[string]any {
	return map[string]any{"code": code, "title": map[string]any{"en": "Action " + code}, "start_date": start, "end_date": end}
}

// aplNewAction creates an action from 2022-10-01 to 2023-07-31 and returns its id.
func aplNewAction(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	return apitest.Create[aplAction](t, env, token, "/v1/actions", aplActionBody(code, "2022-10-01", "2023-07-31")).ID
}

// aplEvent creates an event through the API and returns its id.
func aplEvent(t *testing.T, env *apitest.Env, token, code, start string) string {
	t.Helper()
	return apitest.Create[struct {
		ID string `json:"id"`
	}](t, env, token, "/v1/events", map[string]any{"code": code, "type": "diaspora_consultation",
		"title": map[string]any{"es": "Consulta " + code}, "start_date": start}).ID
}

// aplDeliverable stores a deliverable of action (nil for none) straight in its table, which
// another area writes, and returns its id. due "" leaves the due date empty.
func aplDeliverable(t *testing.T, env *apitest.Env, action *string, code, due, status string) string {
	t.Helper()
	id := uuid.NewString()
	var dueDate any
	if due != "" {
		dueDate = due
	}
	if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO deliverables (id, action_id, code, type, title_en, due_date, status)
		VALUES (?, ?, ?, 'other', ?, ?::date, ?)`, id, action, code, "Deliverable "+code, dueDate, status).Error; err != nil {
		t.Fatalf("deliverable %s: %v", code, err)
	}
	return id
}

// aplTokens are tokens of the roles that may not write the plan, by name, for a unit.
func aplTokens(t *testing.T, env *apitest.Env, unit uuid.UUID) map[string]string {
	t.Helper()
	return map[string]string{
		"editor":  env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit}),
		"partner": env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &unit}),
		"viewer":  env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}}),
	}
}

// aplWriters checks that the roles of aplTokens (of unit) may read record path and the list but
// write nothing there, and that a coordinator and an importer may update and archive a record
// each creates from body (its code made unique per role), as the rows of table matching patched
// show.
func aplWriters(t *testing.T, env *apitest.Env, unit uuid.UUID, collection, path string, body, patch map[string]any, table, patched string) {
	t.Helper()
	tokens := aplTokens(t, env, unit)
	before := env.Fingerprint(t)
	for name, tok := range tokens {
		for _, r := range []struct {
			method, path string
			body         any
		}{{http.MethodPost, collection, body}, {http.MethodPatch, path, patch}, {http.MethodDelete, path, nil}} {
			if res := env.Send(t, r.method, tok, r.path, r.body, nil); res.Status != http.StatusForbidden {
				t.Errorf("%s %s %s: %d, want 403", name, r.method, r.path, res.Status)
			}
		}
		for _, p := range []string{path, collection} {
			if res := env.Send(t, http.MethodGet, tok, p, nil, nil); res.Status != http.StatusOK {
				t.Errorf("%s GET %s: %d", name, p, res.Status)
			}
		}
	}
	env.Unchanged(t, before)
	for _, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		tok := env.Token(t, apitest.Caller{Roles: []actor.Role{role}})
		b := maps.Clone(body)
		b["code"] = body["code"].(string) + "-" + map[actor.Role]string{actor.Coordinator: "C", actor.Importer: "I"}[role]
		rec := apitest.Create[struct {
			ID string `json:"id"`
		}](t, env, tok, collection, b)
		if res := env.Send(t, http.MethodPatch, tok, collection+"/"+rec.ID, patch, nil); res.Status != http.StatusOK {
			t.Errorf("%s PATCH: %d %s", role, res.Status, res.Body)
		}
		if res := env.Send(t, http.MethodDelete, tok, collection+"/"+rec.ID, nil, nil); res.Status != http.StatusNoContent {
			t.Errorf("%s DELETE: %d %s", role, res.Status, res.Body)
		}
	}
	if n := env.Count(t, table, "code LIKE ? AND archived_at IS NOT NULL AND "+patched, body["code"].(string)+"-_"); n != 2 {
		t.Errorf("%d %s written by a coordinator and an importer, want 2", n, table)
	}
}

// aplFieldsOf asserts that err is an Unprocessable apperr and returns the fields it names.
func aplFieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Unprocessable {
		t.Fatalf("not a 422: %v", err)
	}
	var fields []string
	for _, f := range ae.Fields {
		fields = append(fields, f.Field)
	}
	return fields
}

// aplArchiveSteps takes record id of collection, at version, through the end of its life: stale
// If-Match headers refused with 412, the archive (version+1, audited as <resource>.archive), a
// second archive that changes nothing, an update refused with 409, and 404 for an unknown id —
// nothing written by any refusal. patch is a valid patch of the record.
func aplArchiveSteps(t *testing.T, env *apitest.Env, token, collection, id string, version int64, resource string, patch map[string]any) {
	t.Helper()
	path := collection + "/" + id
	stale := map[string]string{"If-Match": etag.Of(version - 1)}
	before := env.Fingerprint(t)
	apitest.Problem(t, env.Send(t, http.MethodPatch, token, path, patch, stale), http.StatusPreconditionFailed)
	apitest.Problem(t, env.Send(t, http.MethodDelete, token, path, nil, stale), http.StatusPreconditionFailed)
	env.Unchanged(t, before)
	if res := env.Send(t, http.MethodDelete, token, path, nil, map[string]string{"If-Match": etag.Of(version)}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, res := apitest.Get[struct {
		Version    int64   `json:"version"`
		ArchivedAt *string `json:"archived_at"`
	}](t, env, token, path)
	if arch.ArchivedAt == nil || arch.Version != version+1 || res.Header.Get("ETag") != etag.Of(version+1) {
		t.Errorf("archived: %+v", arch)
	}
	evs := env.AuditEvents(t, id)
	if len(evs) == 0 || evs[len(evs)-1].Action != resource+".archive" {
		t.Errorf("audit after archive: %+v", evs)
	}
	before = env.Fingerprint(t)
	if res := env.Send(t, http.MethodDelete, token, path, nil, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	apitest.Problem(t, env.Send(t, http.MethodPatch, token, path, patch, nil), http.StatusConflict)
	missing := collection + "/" + uuid.NewString()
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		apitest.Problem(t, env.Send(t, m, token, missing, patch, nil), http.StatusNotFound)
	}
	apitest.Problem(t, env.Send(t, http.MethodGet, token, collection+"/nope", nil, nil), http.StatusBadRequest)
	env.Unchanged(t, before)
}
