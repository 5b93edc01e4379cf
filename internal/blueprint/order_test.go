package blueprint_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// bptOrder is a reorder body: chapter id → article ids, in order.
func bptOrder(chapters ...any) map[string]any {
	out := []map[string]any{}
	for i := 0; i < len(chapters); i += 2 {
		ids, _ := chapters[i+1].([]string)
		if ids == nil {
			ids = []string{}
		}
		out = append(out, map[string]any{"id": chapters[i], "article_ids": ids})
	}
	return map[string]any{"chapters": out}
}

// A reorder names every chapter and article exactly once; it may move articles between
// chapters; only the rows whose place changes get a new version; it is audited once.
func TestBlueprintReorder(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	one, two := bptChapter(t, w, bp, "I", 0), bptChapter(t, w, bp, "II", 0)
	a1, a2 := bptArticle(t, w, one, "1", "Uno", 0), bptArticle(t, w, one, "2", "Dos", 0)
	a3 := bptArticle(t, w, two, "3", "Tres", 0)
	empty := bptChapter(t, w, bp, "III", 0)
	other := bptBlueprint(t, w, "OTHER")
	foreignChapter := bptChapter(t, w, other, "I", 0)
	foreign := bptArticle(t, w, foreignChapter, "1", "Ajeno", 0)
	put := func(token string, body any) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodPut, Path: "/v1/blueprints/" + bp + "/order", Token: token, Body: body})
	}

	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		body   map[string]any
		fields []string
	}{
		"chapter missing":              {bptOrder(one, []string{a1, a2}, two, []string{a3}), []string{"chapters"}},
		"article missing":              {bptOrder(one, []string{a1}, two, []string{a3}, empty, nil), []string{"chapters"}},
		"article repeated":             {bptOrder(one, []string{a1, a2}, two, []string{a3, a1}, empty, nil), []string{"chapters.1.article_ids.1"}},
		"chapter repeated":             {bptOrder(one, []string{a1, a2}, two, []string{a3}, empty, nil, one, nil), []string{"chapters.3.id"}},
		"foreign article":              {bptOrder(one, []string{a1, a2, foreign}, two, []string{a3}, empty, nil), []string{"chapters.0.article_ids.2"}},
		"foreign chapter":              {bptOrder(one, []string{a1, a2}, two, []string{a3}, empty, nil, foreignChapter, nil), []string{"chapters.3.id"}},
		"unknown article":              {bptOrder(one, []string{a1, a2, uuid.NewString()}, two, []string{a3}, empty, nil), []string{"chapters.0.article_ids.2"}},
		"everything wrong":             {bptOrder(two, []string{a3, a3}), []string{"chapters.0.article_ids.1", "chapters"}},
		"article to a foreign chapter": {bptOrder(one, []string{a1}, two, []string{a3}, empty, nil, foreignChapter, []string{a2}), []string{"chapters.3.id"}},
	} {
		p := apitest.Problem(t, put(w.admin, tc.body), http.StatusUnprocessableEntity)
		for _, f := range tc.fields {
			if !bptHasField(p, f) {
				t.Errorf("%s: no error on %s: %v", name, f, p["errors"])
			}
		}
	}
	apitest.Problem(t, put(w.admin, map[string]any{"chapters": []any{map[string]any{"id": one}}}), http.StatusBadRequest)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPut, Path: "/v1/blueprints/" + uuid.NewString() + "/order",
		Token: w.admin, Body: bptOrder()}), http.StatusNotFound)
	env.Unchanged(t, before)

	// III first, then II with article 2 moved into it, then I with 1.
	res := put(w.editor, bptOrder(empty, nil, two, []string{a2, a3}, one, []string{a1}))
	if res.Status != http.StatusOK {
		t.Fatalf("reorder: %d %s", res.Status, res.Body)
	}
	var o bptOutline
	res.Decode(t, &o)
	if got := bptShape(t, o); got != "III:;II:2,3;I:1" {
		t.Errorf("returned outline %s", got)
	}
	if got := bptShape(t, bptGetOutline(t, env, w.viewer, bp)); got != "III:;II:2,3;I:1" {
		t.Errorf("stored outline %s", got)
	}
	versions := map[string]int64{}
	for _, c := range o.Chapters {
		versions[c.Number] = c.Version
		for _, a := range c.Articles {
			versions["art"+a.Number] = a.Version
		}
	}
	// I moved 1→3, II stayed at 2, III moved 3→1; article 1 stayed first in I, 2 moved to II,
	// 3 moved from first to second in II.
	want := map[string]int64{"I": 2, "II": 1, "III": 2, "art1": 1, "art2": 2, "art3": 2}
	for k, v := range want {
		if versions[k] != v {
			t.Errorf("version of %s: %d, want %d", k, versions[k], v)
		}
	}
	events := bptEvents(t, env, bp)
	if got := bptActions(events); !slices.Equal(got, []string{"blueprint.create", "blueprint.reorder"}) {
		t.Fatalf("audit: %v", got)
	}
	var was, is struct {
		Chapters []struct {
			ID         string   `json:"id"`
			ArticleIDs []string `json:"article_ids"`
		} `json:"chapters"`
	}
	_ = json.Unmarshal(events[1].Before, &was)
	_ = json.Unmarshal(events[1].After, &is)
	if len(was.Chapters) != 3 || was.Chapters[0].ID != one || !slices.Equal(was.Chapters[0].ArticleIDs, []string{a1, a2}) ||
		len(is.Chapters) != 3 || is.Chapters[1].ID != two || !slices.Equal(is.Chapters[1].ArticleIDs, []string{a2, a3}) {
		t.Errorf("audit states: %s → %s", events[1].Before, events[1].After)
	}

	// The same order again changes nothing and records nothing.
	before = env.Fingerprint(t)
	if res := put(w.admin, bptOrder(empty, nil, two, []string{a2, a3}, one, []string{a1})); res.Status != http.StatusOK {
		t.Errorf("same order: %d", res.Status)
	}
	env.Unchanged(t, before)
}

// The outline costs the same number of statements (two) whatever the blueprint's size.
func TestBlueprintOutline(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	small := bptBlueprint(t, w, "SMALL")
	bptArticle(t, w, bptChapter(t, w, small, "I", 0), "1", "Uno", 0)
	big := bptBlueprint(t, w, "BIG")
	for _, c := range []string{"I", "II", "III", "IV"} {
		ch := bptChapter(t, w, big, c, 0)
		for _, a := range []string{"1", "2", "3", "4", "5"} {
			bptArticle(t, w, ch, c+"."+a, "Texto "+c+"."+a, 0)
		}
	}
	bptChapter(t, w, big, "V", 0) // no articles yet
	statements := func(id string) int64 {
		before := env.DB.Queries()
		bptGetOutline(t, env, w.viewer, id)
		return env.DB.Queries() - before
	}
	statements(small)
	if s, b := statements(small), statements(big); s != 2 || b != 2 {
		t.Errorf("outline statements: %d for 1 article, %d for 20", s, b)
	}
	o := bptGetOutline(t, env, w.viewer, big)
	if len(o.Chapters) != 5 || len(o.Chapters[3].Articles) != 5 || o.Chapters[3].Articles[4].Number != "IV.5" ||
		len(o.Chapters[4].Articles) != 0 || o.Blueprint.Code != "BIG" {
		t.Errorf("outline: %+v", o)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints/" + uuid.NewString() + "/outline",
		Token: w.viewer}), http.StatusNotFound)
}
