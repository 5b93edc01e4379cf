package agreements_test

import (
	"context"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
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

// agrCreate creates an agreement, expecting 201 with its Location and first ETag.
func agrCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) agrAgreement {
	t.Helper()
	return apitest.Create[agrAgreement](t, env, token, "/v1/agreements", body)
}

// agrMove moves agreement id to to, expecting status.
func agrMove(t *testing.T, env *apitest.Env, token, id, to string, note *string, header map[string]string, status int) apitest.Response {
	t.Helper()
	body := map[string]any{"to": to}
	if note != nil {
		body["note"] = *note
	}
	res := env.Send(t, http.MethodPost, token, "/v1/agreements/"+id+"/transitions", body, header)
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

// agrToken is a token of role, of institution when given.
func agrToken(t *testing.T, env *apitest.Env, role actor.Role, inst *uuid.UUID) string {
	t.Helper()
	return env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: inst})
}
