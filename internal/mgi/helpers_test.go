package mgi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// mgiText is a localized text as the API renders it.
type mgiText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

type mgiIndicator struct {
	ID         string  `json:"id"`
	Code       string  `json:"code"`
	Domain     string  `json:"domain"`
	Text       mgiText `json:"text"`
	Position   int     `json:"position"`
	Demo       bool    `json:"demo"`
	Version    int64   `json:"version"`
	ArchivedAt *string `json:"archived_at"`
}

type mgiConvention struct {
	Name     string `json:"name"`
	Ratified bool   `json:"ratified"`
	Year     *int   `json:"year"`
}

type mgiAssessment struct {
	ID          string          `json:"id"`
	Code        string          `json:"code"`
	Country     string          `json:"country"`
	Year        int             `json:"year"`
	Title       mgiText         `json:"title"`
	PublishedOn *string         `json:"published_on"`
	SourceID    *string         `json:"source_id"`
	Conventions []mgiConvention `json:"conventions"`
	Notes       *mgiText        `json:"notes"`
	Answers     int             `json:"answers"`
	Findings    int             `json:"findings"`
	Demo        bool            `json:"demo"`
	Version     int64           `json:"version"`
	ArchivedAt  *string         `json:"archived_at"`
}

type mgiAnswer struct {
	ID             string   `json:"id"`
	AssessmentID   string   `json:"assessment_id"`
	IndicatorID    string   `json:"indicator_id"`
	Answer         string   `json:"answer"`
	Note           *mgiText `json:"note"`
	InstrumentIDs  []string `json:"instrument_ids"`
	InstitutionIDs []string `json:"institution_ids"`
	IndicatorCode  string   `json:"indicator_code"`
	Domain         string   `json:"domain"`
	Demo           bool     `json:"demo"`
	Version        int64    `json:"version"`
}

type mgiFinding struct {
	ID           string   `json:"id"`
	AssessmentID string   `json:"assessment_id"`
	Code         string   `json:"code"`
	Domain       string   `json:"domain"`
	Kind         string   `json:"kind"`
	Text         mgiText  `json:"text"`
	IndicatorIDs []string `json:"indicator_ids"`
	FunctionIDs  []string `json:"function_ids"`
	ArticleIDs   []string `json:"article_ids"`
	Answered     bool     `json:"answered"`
	Demo         bool     `json:"demo"`
	Version      int64    `json:"version"`
}

func mgiSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

// mgiGet reads path, expecting 200.
func mgiGet[T any](t *testing.T, env *apitest.Env, token, path string) T {
	t.Helper()
	out, _ := apitest.Get[T](t, env, token, path)
	return out
}

// mgiRefused sends a write that must be refused with status, checks that nothing changed and
// returns the problem's field errors by field.
func mgiRefused(t *testing.T, env *apitest.Env, method, token, path string, body any, header map[string]string, status int) map[string]string {
	t.Helper()
	before := env.Fingerprint(t)
	res := env.Send(t, method, token, path, body, header)
	p := apitest.Problem(t, res, status)
	env.Unchanged(t, before)
	out := map[string]string{}
	if errs, ok := p["errors"].([]any); ok {
		for _, e := range errs {
			m := e.(map[string]any)
			out[m["field"].(string)] = m["message"].(string)
		}
	}
	return out
}

// mgiExec runs SQL against the test database.
func mgiExec(t *testing.T, env *apitest.Env, sql string, args ...any) {
	t.Helper()
	if err := env.DB.Conn(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// mgiUnit creates an institution and returns its id.
func mgiUnit(t *testing.T, env *apitest.Env, code string) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(mgiSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		Kind: "directorate", Tier: "national"})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return inst.ID
}

// mgiRow inserts a minimal row of a referenced table (legal_instruments, functions, blueprint
// articles with their blueprint and chapter, data_sources) and returns its id.
func mgiRow(t *testing.T, env *apitest.Env, table, code string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	switch table {
	case "legal_instruments":
		mgiExec(t, env, `INSERT INTO legal_instruments (id, code, type, number, title_en) VALUES (?, ?, 'law', '1', 'Law')`, id, code)
	case "functions":
		mgiExec(t, env, `INSERT INTO functions (id, code, title_en, category) VALUES (?, ?, 'Function', 'policy')`, id, code)
	case "data_sources":
		mgiExec(t, env, `INSERT INTO data_sources (id, code, title_en, type, access) VALUES (?, ?, 'Profile', 'study', 'public')`, id, code)
	case "blueprint_articles":
		bp, ch := uuid.New(), uuid.New()
		mgiExec(t, env, `INSERT INTO blueprints (id, code, title_en) VALUES (?, ?, 'Blueprint')`, bp, "BP-"+code)
		mgiExec(t, env, `INSERT INTO blueprint_chapters (id, blueprint_id, number, heading_en, position) VALUES (?, ?, 'I', 'One', 1)`, ch, bp)
		mgiExec(t, env, `INSERT INTO blueprint_articles (id, blueprint_id, chapter_id, number, text_en, position) VALUES (?, ?, ?, ?, 'Text', 1)`,
			id, bp, ch, code)
	default:
		t.Fatalf("no such table %s", table)
	}
	return id
}

// mgiJSON is v as JSON, for comparing documents.
func mgiJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mgiIndicatorBody(code, domain, en string) map[string]any {
	return map[string]any{"code": code, "domain": domain, "text": map[string]any{"en": en}}
}

func mgiAssessmentBody(code, country string, year int) map[string]any {
	return map[string]any{"code": code, "country": country, "year": year, "title": map[string]any{"en": "MGI " + code}}
}
