package blueprint_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// Chapters go last by default; inserting at a position moves the others down (and gives them a
// new version, since their position is part of them); archiving closes the gap and archives the
// chapter's articles.
func TestChapterPositions(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	one := bptChapter(t, w, bp, "I", 0)
	two := bptChapter(t, w, bp, "II", 0)
	bptChapter(t, w, bp, "III", 0)
	bptArticle(t, w, two, "1", "Primero", 0)
	bptArticle(t, w, two, "2", "Segundo", 0)
	if got := bptShape(t, bptGetOutline(t, env, w.viewer, bp)); got != "I:;II:1,2;III:" {
		t.Fatalf("outline %s", got)
	}

	pre := bptCreated(t, env, w.admin, "/v1/blueprint-chapters", map[string]any{"blueprint_id": bp, "number": "0",
		"heading": map[string]any{"es": "Preliminar", "en": "Preliminary"}, "position": 1})
	if pre["position"] != 1.0 {
		t.Errorf("inserted at %v", pre["position"])
	}
	o := bptGetOutline(t, env, w.viewer, bp)
	if got := bptShape(t, o); got != "0:;I:;II:1,2;III:" {
		t.Fatalf("after insert: %s", got)
	}
	if o.Chapters[1].Version != 2 || o.Chapters[0].Version != 1 {
		t.Errorf("versions after insert: %d, %d", o.Chapters[0].Version, o.Chapters[1].Version)
	}

	// A position beyond the end, an unknown or archived blueprint: refused, nothing written.
	before := env.Fingerprint(t)
	p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-chapters", Token: w.admin,
		Body: map[string]any{"blueprint_id": bp, "number": "IX", "heading": map[string]any{"es": "X"}, "position": 6}}), 422)
	if !bptHasField(p, "position") {
		t.Errorf("problem: %v", p)
	}
	p = apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-chapters", Token: w.admin,
		Body: map[string]any{"blueprint_id": uuid.NewString(), "number": "IX", "heading": map[string]any{"es": "X"}}}), 422)
	if !bptHasField(p, "blueprint_id") {
		t.Errorf("problem: %v", p)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-chapters", Token: w.admin,
		Body: map[string]any{"blueprint_id": bp, "number": " ", "heading": map[string]any{"es": "X"}}}), 422)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + two, Token: w.admin,
		Header: map[string]string{"If-Match": `"1"`}}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	// Archiving II closes the gap and archives its articles (each audited).
	res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + two, Token: w.admin})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if got := bptShape(t, bptGetOutline(t, env, w.viewer, bp)); got != "0:;I:;III:" {
		t.Errorf("after archive: %s", got)
	}
	if n := env.Count(t, "blueprint_articles", "chapter_id = ? AND archived_at IS NOT NULL", two); n != 2 {
		t.Errorf("%d archived articles, want 2", n)
	}
	if n := env.Count(t, "audit_events", "action = 'blueprint_article.archive'"); n != 2 {
		t.Errorf("%d article archive events", n)
	}
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + two, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Errorf("archive twice: %d", res.Status)
	}
	// An archived chapter takes no articles and no edits.
	p = apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles", Token: w.admin,
		Body: map[string]any{"chapter_id": two, "number": "3", "text": map[string]any{"es": "X"}}}), 422)
	if !bptHasField(p, "chapter_id") {
		t.Errorf("problem: %v", p)
	}
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprint-chapters/"+two, 0, map[string]any{"number": "2"}), http.StatusConflict)

	// Edits change number and heading; the position stays.
	res = bptPatch(t, env, w.admin, "/v1/blueprint-chapters/"+one, 2, map[string]any{"number": "1", "heading": map[string]any{"en": "One"}})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if got := res.JSON(t); got["number"] != "1" || got["position"] != 2.0 || got["version"] != 3.0 ||
		got["heading"].(map[string]any)["en"] != "One" || got["heading"].(map[string]any)["es"] != "Capítulo I" {
		t.Errorf("patched: %v", got)
	}
	if got := bptActions(bptEvents(t, env, one)); !slices.Equal(got, []string{"blueprint_chapter.create", "blueprint_chapter.update"}) {
		t.Errorf("audit: %v", got)
	}
}

// Chapters list in document order, page by page.
func TestChapterList(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	a := bptBlueprint(t, w, "A-1")
	b := bptBlueprint(t, w, "B-1")
	for _, n := range []string{"I", "II", "III"} {
		bptChapter(t, w, a, n, 0)
		bptChapter(t, w, b, n, 1) // each goes first: B's order is III, II, I
	}
	got := bptNumbers(t, env, w.viewer, "/v1/blueprint-chapters?page_size=2&blueprint_id="+b)
	if !slices.Equal(got, []string{"III", "II", "I"}) {
		t.Errorf("chapters of B: %v", got)
	}
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-chapters", Token: w.viewer})
	if n := len(res.JSON(t)["items"].([]any)); n != 6 {
		t.Errorf("all chapters: %d", n)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-chapters?page_token=bogus", Token: w.viewer}), 400)
}
