package agreements_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
)

// agrText is a localized text as the API renders it.
type agrText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// agrAgreement is an agreement as the API renders it.
type agrAgreement struct {
	ID                        string   `json:"id"`
	Code                      string   `json:"code"`
	BodyID                    string   `json:"body_id"`
	SessionID                 *string  `json:"session_id"`
	Text                      agrText  `json:"text"`
	ResponsibleInstitutionIDs []string `json:"responsible_institution_ids"`
	DueOn                     *string  `json:"due_on"`
	Status                    string   `json:"status"`
	Overdue                   bool     `json:"overdue"`
	OverdueDays               *int     `json:"overdue_days"`
	DoneOn                    *string  `json:"done_on"`
	Since                     string   `json:"since"`
	Demo                      bool     `json:"demo"`
	Version                   int64    `json:"version"`
	CreatedAt                 string   `json:"created_at"`
	UpdatedAt                 string   `json:"updated_at"`
	ArchivedAt                *string  `json:"archived_at"`
}

// agrTransition is a move in an agreement's history.
type agrTransition struct {
	ID          string  `json:"id"`
	AgreementID string  `json:"agreement_id"`
	From        string  `json:"from"`
	To          string  `json:"to"`
	Note        *string `json:"note"`
	At          string  `json:"at"`
	By          string  `json:"by"`
}

// agrFollowUp is the follow-up as the API renders it.
type agrFollowUp struct {
	Today  string `json:"today"`
	Groups []struct {
		InstitutionID   string    `json:"institution_id"`
		InstitutionCode string    `json:"institution_code"`
		InstitutionName agrText   `json:"institution_name"`
		Open            int       `json:"open"`
		Overdue         int       `json:"overdue"`
		Done            int       `json:"done"`
		OldestOpenSince *string   `json:"oldest_open_since"`
		Items           []agrItem `json:"items"`
	} `json:"groups"`
}

// agrItem is an item of a follow-up group.
type agrItem struct {
	AgreementID string  `json:"agreement_id"`
	Code        string  `json:"code"`
	BodyID      string  `json:"body_id"`
	BodyCode    string  `json:"body_code"`
	Text        agrText `json:"text"`
	Status      string  `json:"status"`
	DueOn       *string `json:"due_on"`
	Since       string  `json:"since"`
	OverdueDays *int    `json:"overdue_days"`
}

func agrDeref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func agrSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

// agrDay is today (UTC) moved by days, as a date.
func agrDay(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }

// agrDo sends a request; a PATCH is a JSON merge patch.
func agrDo(t *testing.T, env *apitest.Env, method, token, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	r := apitest.Request{Method: method, Path: path, Token: token, Body: body, Header: header}
	if method == http.MethodPatch {
		r.ContentType = "application/merge-patch+json"
	}
	return env.Do(t, r)
}

// agrCreate creates an agreement, expects 201 with its Location and first ETag, and decodes it.
func agrCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) agrAgreement {
	t.Helper()
	res := agrDo(t, env, http.MethodPost, token, "/v1/agreements", body, nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("POST /v1/agreements %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out agrAgreement
	res.Decode(t, &out)
	if loc := res.Header.Get("Location"); loc != "/v1/agreements/"+out.ID || res.Header.Get("ETag") != etag.Of(1) {
		t.Errorf("POST: Location %q, ETag %q", loc, res.Header.Get("ETag"))
	}
	return out
}

// agrGet reads an agreement, expecting 200.
func agrGet(t *testing.T, env *apitest.Env, token, id string) (agrAgreement, apitest.Response) {
	t.Helper()
	res := agrDo(t, env, http.MethodGet, token, "/v1/agreements/"+id, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET agreement %s: %d %s", id, res.Status, res.Body)
	}
	var out agrAgreement
	res.Decode(t, &out)
	return out, res
}

// agrMove moves agreement id to to, expecting status.
func agrMove(t *testing.T, env *apitest.Env, token, id, to string, note *string, header map[string]string, status int) apitest.Response {
	t.Helper()
	body := map[string]any{"to": to}
	if note != nil {
		body["note"] = *note
	}
	res := agrDo(t, env, http.MethodPost, token, "/v1/agreements/"+id+"/transitions", body, header)
	if res.Status != status {
		t.Fatalf("move %s to %s: %d, want %d: %s", id, to, res.Status, status, res.Body)
	}
	return res
}

// agrUnit creates an institution (below parent, when given) through the service.
func agrUnit(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(agrSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		NameEN: new("Unit " + code), Kind: "directorate", Tier: "national", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return inst.ID
}

// agrBody stores a coordination body straight in its table (another area writes it).
func agrBody(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO coordination_bodies (id, code, name_es, kind, parent_id)
		VALUES (?, ?, ?, 'working_group', ?)`, id, code, "Órgano "+code, parent).Error; err != nil {
		t.Fatalf("body %s: %v", code, err)
	}
	return id
}

// agrSession stores an ordinary session of body straight in its table.
func agrSession(t *testing.T, env *apitest.Env, body uuid.UUID, number int, heldOn string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO coordination_sessions (id, body_id, kind, number, held_on)
		VALUES (?, ?, 'ordinary', ?, ?::date)`, id, body, number, heldOn).Error; err != nil {
		t.Fatalf("session %d: %v", number, err)
	}
	return id
}

// agrBodyOf is a valid create body for code, of body, owed by responsible.
func agrBodyOf(code string, body uuid.UUID, responsible ...uuid.UUID) map[string]any {
	return map[string]any{"code": code, "body_id": body, "text": map[string]any{"es": "Acuerdo " + code},
		"responsible_institution_ids": responsible}
}

// agrWith is body with more members.
func agrWith(body map[string]any, more map[string]any) map[string]any {
	out := maps.Clone(body)
	maps.Copy(out, more)
	return out
}

// agrCodes lists path (a list URL with its query) in one page and returns the codes.
func agrCodes(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	pages := agrPages(t, env, token, path+"&page_size=500")
	if len(pages) != 1 {
		t.Fatalf("list %s has %d pages", path, len(pages))
	}
	return pages[0]
}

// agrPages walks every page of path and returns each page's codes.
func agrPages(t *testing.T, env *apitest.Env, token, path string) [][]string {
	t.Helper()
	var pages [][]string
	next := ""
	for range 100 {
		p := path
		if next != "" {
			p += "&page_token=" + next
		}
		res := agrDo(t, env, http.MethodGet, token, p, nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", p, res.Status, res.Body)
		}
		var page struct {
			Items []agrAgreement `json:"items"`
			Next  string         `json:"next_page_token"`
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

// agrWantFields asserts that a problem names exactly fields, in any order.
func agrWantFields(t *testing.T, problem map[string]any, fields ...string) {
	t.Helper()
	var got []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			got = append(got, m["field"].(string))
		}
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problem names fields %v, want %v: %v", got, want, problem)
	}
}

// agrEvents are the audit actions of resource id, oldest first, with their after snapshots.
func agrEvents(t *testing.T, env *apitest.Env, id string) (actions []string, after []json.RawMessage) {
	t.Helper()
	var rows []struct {
		Action string
		After  json.RawMessage
	}
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		actions, after = append(actions, r.Action), append(after, r.After)
	}
	return actions, after
}

// agrToken is a token of role, of institution when given.
func agrToken(t *testing.T, env *apitest.Env, role actor.Role, inst *uuid.UUID) string {
	t.Helper()
	return env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: inst})
}
