package practices_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// prcText is a localized text as the API renders it.
type prcText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

type prcCitation struct {
	Citation string  `json:"citation"`
	URL      *string `json:"url,omitempty"`
}

type prcTransferability struct {
	Level     string   `json:"level"`
	Rationale *prcText `json:"rationale,omitempty"`
}

type prcHighlights struct {
	Title          *string `json:"title"`
	Summary        *string `json:"summary"`
	Description    *string `json:"description"`
	LessonsLearned *string `json:"lessons_learned"`
}

// prcPractice is a practice as the API renders it.
type prcPractice struct {
	ID               string              `json:"id"`
	Code             string              `json:"code"`
	Title            prcText             `json:"title"`
	Summary          *prcText            `json:"summary"`
	Description      *prcText            `json:"description"`
	Scope            string              `json:"scope"`
	Country          *string             `json:"country"`
	InstitutionID    *string             `json:"institution_id"`
	PartnerIDs       []string            `json:"partner_ids"`
	Type             string              `json:"type"`
	Themes           []string            `json:"themes"`
	Migof            []string            `json:"migof"`
	GcmObjectives    []int               `json:"gcm_objectives"`
	SdgTargets       []string            `json:"sdg_targets"`
	PeriodStart      *string             `json:"period_start"`
	PeriodEnd        *string             `json:"period_end"`
	TargetPopulation *prcText            `json:"target_population"`
	Outcomes         *prcText            `json:"outcomes"`
	LessonsLearned   *prcText            `json:"lessons_learned"`
	Recommendations  *prcText            `json:"recommendations"`
	Transferability  *prcTransferability `json:"transferability"`
	Sources          []prcCitation       `json:"sources"`
	Status           string              `json:"status"`
	ReviewComment    *string             `json:"review_comment"`
	Highlights       *prcHighlights      `json:"highlights"`
	Rank             *float64            `json:"rank"`
	Demo             bool                `json:"demo"`
	Version          int64               `json:"version"`
	CreatedAt        string              `json:"created_at"`
	UpdatedAt        string              `json:"updated_at"`
	ArchivedAt       *string             `json:"archived_at"`
}

type prcFacet struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

type prcPage struct {
	Items  []prcPractice         `json:"items"`
	Next   string                `json:"next_page_token"`
	Facets map[string][]prcFacet `json:"facets"`
}

// prcEvent is an audit event as stored.
type prcEvent struct {
	Action     string
	ActorLabel *string
	Before     json.RawMessage
	After      json.RawMessage
}

func prcDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// prcSystem is a context acting as Puente itself.
func prcSystem() context.Context { return actor.With(context.Background(), actor.SystemActor) }

// prcInstitution creates an institution (under parent, when given) and returns its id.
func prcInstitution(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	i, err := env.App.Institutions.Create(prcSystem(), institutions.Fields{Code: code, NameES: new("Institución " + code),
		Kind: "agency", Tier: "national", ParentID: parent})
	if err != nil {
		t.Fatalf("create institution %s: %v", code, err)
	}
	return i.ID
}

// prcBody is a minimal valid practice.
func prcBody(code string) map[string]any {
	return map[string]any{"code": code, "title": map[string]any{"es": "Práctica " + code}, "scope": "national",
		"country": "PE", "type": "institutional_framework"}
}

func prcPost(t *testing.T, env *apitest.Env, token string, body any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices", Token: token, Body: body})
}

func prcCreate(t *testing.T, env *apitest.Env, token string, body map[string]any) prcPractice {
	t.Helper()
	res := prcPost(t, env, token, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create practice %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out prcPractice
	res.Decode(t, &out)
	return out
}

func prcGet(t *testing.T, env *apitest.Env, token, id string) (prcPractice, apitest.Response) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/" + id, Token: token})
	var out prcPractice
	if res.Status == http.StatusOK {
		res.Decode(t, &out)
	}
	return out, res
}

func prcPatch(t *testing.T, env *apitest.Env, token, id string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/practices/" + id, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

func prcDelete(t *testing.T, env *apitest.Env, token, id string, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/practices/" + id, Token: token, Header: header})
}

// prcMove asks for a transition of practice id to status to, with comment when not "".
func prcMove(t *testing.T, env *apitest.Env, token, id, to, comment string, header map[string]string) apitest.Response {
	t.Helper()
	body := map[string]any{"to": to}
	if comment != "" {
		body["comment"] = comment
	}
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/practices/" + id + "/transitions", Token: token,
		Body: body, Header: header})
}

// prcMustMove makes a transition that must succeed and returns the practice after it.
func prcMustMove(t *testing.T, env *apitest.Env, token, id, to, comment string) prcPractice {
	t.Helper()
	res := prcMove(t, env, token, id, to, comment, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("move %s to %s: %d %s", id, to, res.Status, res.Body)
	}
	var out prcPractice
	res.Decode(t, &out)
	return out
}

// prcPublish moves a draft through the whole workflow with a reviewer's token.
func prcPublish(t *testing.T, env *apitest.Env, token, id string) {
	t.Helper()
	for _, to := range []string{"submitted", "validated", "published"} {
		prcMustMove(t, env, token, id, to, "")
	}
}

func prcEvents(t *testing.T, env *apitest.Env, id string) []prcEvent {
	t.Helper()
	var out []prcEvent
	if err := env.DB.Conn(context.Background()).Raw(
		`SELECT action, actor_label, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func prcWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// prcList GETs /v1/practices with query and returns the page.
func prcList(t *testing.T, env *apitest.Env, token string, query url.Values) prcPage {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?" + query.Encode(), Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("list ?%s: %d %s", query.Encode(), res.Status, res.Body)
	}
	var out prcPage
	res.Decode(t, &out)
	return out
}

// prcPages walks every page of the list with query and returns each page's codes.
func prcPages(t *testing.T, env *apitest.Env, token string, query url.Values) [][]string {
	t.Helper()
	var pages [][]string
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	for range 200 {
		page := prcList(t, env, token, q)
		codes := []string{}
		for _, it := range page.Items {
			codes = append(codes, it.Code)
		}
		pages = append(pages, codes)
		if page.Next == "" {
			return pages
		}
		q.Set("page_token", page.Next)
	}
	t.Fatalf("list ?%s does not end", query.Encode())
	return nil
}

// prcCodes returns the codes of the one-page list with query (page_size 500).
func prcCodes(t *testing.T, env *apitest.Env, token string, query url.Values) []string {
	t.Helper()
	q := url.Values{"page_size": {"500"}}
	for k, v := range query {
		q[k] = v
	}
	pages := prcPages(t, env, token, q)
	if len(pages) != 1 {
		t.Fatalf("list ?%s has %d pages", q.Encode(), len(pages))
	}
	return pages[0]
}

// prcQuery builds a query from key, value pairs.
func prcQuery(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	return q
}
