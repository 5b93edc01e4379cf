package blueprint_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// bptFunction creates a mandate function and returns its id.
func bptFunction(t *testing.T, w *bptWorld, code string) string {
	t.Helper()
	return bptCreated(t, w.env, w.admin, "/v1/functions", map[string]any{"code": code,
		"title": map[string]any{"es": "Función " + code}, "category": "policy"})["id"].(string)
}

// bptArticleState is an article as the API renders it.
type bptArticleState struct {
	ID        string `json:"id"`
	ChapterID string `json:"chapter_id"`
	Number    string `json:"number"`
	Heading   *struct {
		Es *string `json:"es"`
		En *string `json:"en"`
	} `json:"heading"`
	Text struct {
		Es *string `json:"es"`
		En *string `json:"en"`
	} `json:"text"`
	Position    int      `json:"position"`
	FunctionIDs []string `json:"function_ids"`
	UnitIDs     []string `json:"unit_ids"`
	Version     int64    `json:"version"`
}

func bptGetArticle(t *testing.T, env *apitest.Env, token, id string) bptArticleState {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-articles/" + id, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("get article: %d %s", res.Status, res.Body)
	}
	var a bptArticleState
	res.Decode(t, &a)
	return a
}

func bptDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// Articles: stable ids, positions within a chapter (default last, insertion shifts, archiving
// closes the gap), links to functions and units checked position by position.
func TestArticleLifecycle(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	fn := bptFunction(t, w, "F-PIM-01")
	bp := bptBlueprint(t, w, "ASN-ROF")
	ch := bptChapter(t, w, bp, "I", 0)

	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles", Token: w.editor, Body: map[string]any{
		"chapter_id": ch, "number": "5", "heading": map[string]any{"es": "Funciones del PIM", "en": "Functions of PIM"},
		"text":         map[string]any{"es": "Corresponde al PIM: a) formular propuestas.", "en": "PIM shall: a) formulate proposals."},
		"function_ids": []string{fn}, "unit_ids": []string{w.pim, w.asn}}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var five bptArticleState
	res.Decode(t, &five)
	if res.Header.Get("Location") != "/v1/blueprint-articles/"+five.ID || res.Header.Get("ETag") != `"1"` {
		t.Errorf("headers: %v", res.Header)
	}
	if five.Position != 1 || five.ChapterID != ch || !slices.Equal(five.FunctionIDs, []string{fn}) ||
		!slices.Equal(five.UnitIDs, []string{w.pim, w.asn}) || bptDeref(five.Heading.En) != "Functions of PIM" {
		t.Errorf("created: %+v", five)
	}
	seven := bptArticle(t, w, ch, "7", "Séptimo", 0)
	six := bptArticle(t, w, ch, "6", "Sexto", 2)
	four := bptArticle(t, w, ch, "4", "Cuarto", 1)
	if got := bptShape(t, bptGetOutline(t, env, w.viewer, bp)); got != "I:4,5,6,7" {
		t.Fatalf("outline %s", got)
	}
	if a := bptGetArticle(t, env, w.viewer, seven); a.Version != 3 {
		t.Errorf("article 7 moved twice, version %d", a.Version)
	}

	// Bad input: nothing written.
	other := bptBlueprint(t, w, "OTHER")
	otherChapter := bptChapter(t, w, other, "I", 0)
	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		body   map[string]any
		status int
		fields []string
	}{
		"unknown chapter":    {map[string]any{"chapter_id": uuid.NewString(), "number": "8", "text": map[string]any{"es": "X"}}, 422, []string{"chapter_id"}},
		"unknown links":      {map[string]any{"chapter_id": ch, "number": "8", "text": map[string]any{"es": "X"}, "function_ids": []string{fn, uuid.NewString()}, "unit_ids": []string{uuid.NewString()}}, 422, []string{"function_ids.1", "unit_ids.0"}},
		"beyond the end":     {map[string]any{"chapter_id": ch, "number": "8", "text": map[string]any{"es": "X"}, "position": 6}, 422, []string{"position"}},
		"blank text":         {map[string]any{"chapter_id": ch, "number": "8", "text": map[string]any{"es": "  "}}, 422, []string{"text"}},
		"no text":            {map[string]any{"chapter_id": ch, "number": "8"}, 400, nil},
		"repeated function":  {map[string]any{"chapter_id": ch, "number": "8", "text": map[string]any{"es": "X"}, "function_ids": []string{fn, fn}}, 400, nil},
		"blueprint_id given": {map[string]any{"chapter_id": ch, "blueprint_id": other, "number": "8", "text": map[string]any{"es": "X"}}, 400, nil},
	} {
		p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles", Token: w.admin, Body: tc.body}), tc.status)
		for _, f := range tc.fields {
			if !bptHasField(p, f) {
				t.Errorf("%s: no error on %s: %v", name, f, p["errors"])
			}
		}
	}
	// A patch cannot move an article: its place changes through the blueprint's order.
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprint-articles/"+six, 1, map[string]any{"chapter_id": otherChapter}), 400)
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprint-articles/"+six, 2, map[string]any{"unit_ids": []string{uuid.NewString()}}), 422)
	env.Unchanged(t, before)

	// Merge patch: null clears the heading and the links; the id and place stay.
	res = bptPatch(t, env, w.admin, "/v1/blueprint-articles/"+five.ID, 2, map[string]any{"heading": nil, "function_ids": nil,
		"text": map[string]any{"en": nil}, "number": "5-A"})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"3"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var patched bptArticleState
	res.Decode(t, &patched)
	if patched.ID != five.ID || patched.Heading != nil || len(patched.FunctionIDs) != 0 || patched.Text.En != nil ||
		bptDeref(patched.Text.Es) != "Corresponde al PIM: a) formular propuestas." || patched.Number != "5-A" || patched.Position != 2 {
		t.Errorf("patched: %+v", patched)
	}

	// Archiving closes the gap.
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + four, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if got := bptShape(t, bptGetOutline(t, env, w.viewer, bp)); got != "I:5-A,6,7" {
		t.Errorf("after archive: %s", got)
	}
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprint-articles/"+four, 2, map[string]any{"number": "4-A"}), http.StatusConflict)
	if got := bptActions(bptEvents(t, env, four)); !slices.Equal(got, []string{"blueprint_article.create", "blueprint_article.archive"}) {
		t.Errorf("audit of 4: %v", got)
	}
	if got := bptActions(bptEvents(t, env, five.ID)); !slices.Equal(got, []string{"blueprint_article.create", "blueprint_article.update"}) {
		t.Errorf("audit of 5: %v", got)
	}
}

// Two editors read version 1 of an article and both change it: the first wins, the second gets a
// 412 whose problem carries the article as the first left it, and nothing of the second is
// written. A PATCH without If-Match is refused, since it would overwrite blindly.
func TestArticleConcurrentEdit(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	art := bptArticle(t, w, bptChapter(t, w, bp, "I", 0), "1", "Texto original.", 0)
	first, second := w.editor, w.admin

	res := bptPatch(t, env, first, "/v1/blueprint-articles/"+art, 1, map[string]any{"text": map[string]any{"es": "Texto de la primera editora."}})
	if res.Status != http.StatusOK {
		t.Fatalf("first: %d %s", res.Status, res.Body)
	}
	before := env.Fingerprint(t)
	p := apitest.Problem(t, bptPatch(t, env, second, "/v1/blueprint-articles/"+art, 1,
		map[string]any{"text": map[string]any{"es": "Texto del segundo editor."}}), http.StatusPreconditionFailed)
	current, ok := p["current"].(map[string]any)
	if !ok {
		t.Fatalf("412 without current: %v", p)
	}
	if current["id"] != art || current["version"] != 2.0 || current["text"].(map[string]any)["es"] != "Texto de la primera editora." {
		t.Errorf("current: %v", current)
	}
	p = apitest.Problem(t, bptPatch(t, env, second, "/v1/blueprint-articles/"+art, 0,
		map[string]any{"text": map[string]any{"es": "Texto del segundo editor."}}), http.StatusBadRequest)
	if !bptHasField(p, "header.If-Match") {
		t.Errorf("missing If-Match: %v", p)
	}
	env.Unchanged(t, before)
	if a := bptGetArticle(t, env, w.viewer, art); bptDeref(a.Text.Es) != "Texto de la primera editora." || a.Version != 2 {
		t.Errorf("stored: %+v", a)
	}
	// With the current ETag, the second editor's change applies.
	if res := bptPatch(t, env, second, "/v1/blueprint-articles/"+art, 2, map[string]any{"text": map[string]any{"es": "Texto del segundo editor."}}); res.Status != http.StatusOK {
		t.Errorf("second, up to date: %d %s", res.Status, res.Body)
	}
	// An archive with a stale If-Match also shows the current article.
	p = apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + art, Token: w.admin,
		Header: map[string]string{"If-Match": `"2"`}}), http.StatusPreconditionFailed)
	if c, _ := p["current"].(map[string]any); c == nil || c["version"] != 3.0 {
		t.Errorf("archive 412: %v", p)
	}
}

// Editors saving at the same moment with the same ETag: exactly one wins, the others get 412s;
// articles inserted at the same moment at the same position all get distinct positions.
func TestArticleConcurrentWrites(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	ch := bptChapter(t, w, bp, "I", 0)
	art := bptArticle(t, w, ch, "0", "Texto original.", 0)
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := bptPatch(t, env, w.editor, "/v1/blueprint-articles/"+art, 1, map[string]any{"text": map[string]any{"es": fmt.Sprintf("Versión %d.", i)}})
			statuses[i] = res.Status
		})
	}
	wg.Wait()
	slices.Sort(statuses)
	if statuses[0] != http.StatusOK || statuses[1] != http.StatusPreconditionFailed || statuses[n-1] != http.StatusPreconditionFailed {
		t.Errorf("statuses: %v", statuses)
	}
	if a := bptGetArticle(t, env, w.viewer, art); a.Version != 2 {
		t.Errorf("version %d after one winning edit", a.Version)
	}

	for i := range n {
		wg.Go(func() {
			res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles", Token: w.editor,
				Body: map[string]any{"chapter_id": ch, "number": strconv.Itoa(i + 1), "text": map[string]any{"es": "Texto"}, "position": 1}})
			statuses[i] = res.Status
		})
	}
	wg.Wait()
	if slices.ContainsFunc(statuses, func(s int) bool { return s != http.StatusCreated }) {
		t.Errorf("inserts: %v", statuses)
	}
	o := bptGetOutline(t, env, w.viewer, bp)
	bptShape(t, o) // positions 1..n+1 in order
	if len(o.Chapters[0].Articles) != n+1 || o.Chapters[0].Articles[n].Number != "0" {
		t.Errorf("outline after concurrent inserts: %+v", o.Chapters[0].Articles)
	}
}

// The filters of the contract, in document order (chapter position, then position), paged.
func TestArticleFilters(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	fn := bptFunction(t, w, "F-PIM-01")
	bp := bptBlueprint(t, w, "ASN-ROF")
	two := bptChapter(t, w, bp, "II", 0)
	one := bptChapter(t, w, bp, "I", 1)
	bptArticle(t, w, two, "3", "La coordinación con las regiones.", 0)
	bptCreated(t, env, w.admin, "/v1/blueprint-articles", map[string]any{"chapter_id": one, "number": "1",
		"text": map[string]any{"es": "Vinculación con la diáspora.", "en": "Engagement with the diaspora."}, "function_ids": []string{fn}})
	bptCreated(t, env, w.admin, "/v1/blueprint-articles", map[string]any{"chapter_id": one, "number": "2",
		"text": map[string]any{"es": "Funciones de la PIM."}, "unit_ids": []string{w.pim}})
	archived := bptArticle(t, w, two, "4", "Archivado.", 0)
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + archived, Token: w.admin})
	other := bptBlueprint(t, w, "OTHER")
	bptArticle(t, w, bptChapter(t, w, other, "I", 0), "1", "Otra diaspora.", 0)

	list := func(query string) []string {
		return bptNumbers(t, env, w.viewer, "/v1/blueprint-articles?page_size=1&"+query)
	}
	for query, want := range map[string][]string{
		"blueprint_id=" + bp:                            {"1", "2", "3"},
		"blueprint_id=" + bp + "&include_archived=true": {"1", "2", "3", "4"},
		"chapter_id=" + two:                             {"3"},
		"function_id=" + fn:                             {"1"},
		"unit_id=" + w.pim:                              {"2"},
		"blueprint_id=" + bp + "&q=diaspora":            {"1"},
		"q=DI%C3%81SPORA":                               {"1", "1"}, // accents and case optional, both blueprints
	} {
		if got := list(query); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
}
