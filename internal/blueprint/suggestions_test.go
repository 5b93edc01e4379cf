package blueprint_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// bptSuggestionState is a suggestion as the API renders it.
type bptSuggestionState struct {
	ID          string `json:"id"`
	ArticleID   string `json:"article_id"`
	Author      string `json:"author"`
	Status      string `json:"status"`
	BaseVersion int64  `json:"base_version"`
	Text        *struct {
		Es *string `json:"es"`
		En *string `json:"en"`
	} `json:"text"`
	DecidedBy       *string `json:"decided_by"`
	DecisionComment *string `json:"decision_comment"`
}

func bptSuggest(t *testing.T, env *apitest.Env, token, article string, body map[string]any) bptSuggestionState {
	t.Helper()
	return bptPosted[bptSuggestionState](t, env, token, "/v1/blueprint-articles/"+article+"/suggestions", body)
}

func bptDecide(t *testing.T, env *apitest.Env, token, suggestion string, body map[string]any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-suggestions/" + suggestion + "/decision", Token: token, Body: body})
}

// Anyone who reads suggests; an editor of the blueprint accepts, which applies the suggested
// languages to the article (the others stay) as a new, audited article version; a decided
// suggestion is not decided again.
func TestSuggestionAccept(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	art := bptCreated(t, env, w.admin, "/v1/blueprint-articles", map[string]any{"chapter_id": bptChapter(t, w, bp, "I", 0),
		"number": "11", "text": map[string]any{"es": "El PIM organiza consultas.", "en": "PIM organises consultations."}})["id"].(string)

	s := bptSuggest(t, env, w.viewer, art, map[string]any{"text": map[string]any{"es": "El PIM organiza consultas al menos una vez al año."},
		"heading": map[string]any{"es": "Participación de la diáspora"}, "rationale": "Acordado en la sesión 2."})
	if s.Status != "pending" || s.BaseVersion != 1 || s.ArticleID != art || s.Author == "" || s.DecidedBy != nil {
		t.Errorf("suggestion: %+v", s)
	}
	later := bptSuggest(t, env, w.pimEditor, art, map[string]any{"text": map[string]any{"en": "PIM holds consultations."}})
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-articles/" + art + "/suggestions", Token: w.viewer})
	var list struct {
		Items []bptSuggestionState `json:"items"`
	}
	res.Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].ID != later.ID || list.Items[1].ID != s.ID {
		t.Errorf("list, newest first: %+v", list.Items)
	}

	before := env.Fingerprint(t)
	apitest.Problem(t, bptDecide(t, env, w.viewer, s.ID, map[string]any{"accept": true}), http.StatusForbidden)
	apitest.Problem(t, bptDecide(t, env, w.pimEditor, s.ID, map[string]any{"accept": true}), http.StatusForbidden)
	apitest.Problem(t, bptDecide(t, env, w.editor, uuid.NewString(), map[string]any{"accept": true}), http.StatusNotFound)
	env.Unchanged(t, before)

	res = bptDecide(t, env, w.editor, s.ID, map[string]any{"accept": true, "comment": "Aceptada en sesión."})
	if res.Status != http.StatusOK {
		t.Fatalf("accept: %d %s", res.Status, res.Body)
	}
	var decided bptSuggestionState
	res.Decode(t, &decided)
	if decided.Status != "accepted" || decided.DecidedBy == nil || bptDeref(decided.DecisionComment) != "Aceptada en sesión." {
		t.Errorf("decided: %+v", decided)
	}
	a := bptGetArticle(t, env, w.viewer, art)
	if a.Version != 2 || bptDeref(a.Text.Es) != "El PIM organiza consultas al menos una vez al año." ||
		bptDeref(a.Text.En) != "PIM organises consultations." || a.Heading == nil || bptDeref(a.Heading.Es) != "Participación de la diáspora" {
		t.Errorf("article after accept: %+v", a)
	}
	if got := bptActions(bptEvents(t, env, art)); !slices.Equal(got, []string{"blueprint_article.create", "blueprint_article.update"}) {
		t.Errorf("article audit: %v", got)
	}
	if got := bptActions(bptEvents(t, env, s.ID)); !slices.Equal(got, []string{"blueprint_suggestion.create", "blueprint_suggestion.decide"}) {
		t.Errorf("suggestion audit: %v", got)
	}

	// Deciding twice: 409, nothing written.
	before = env.Fingerprint(t)
	apitest.Problem(t, bptDecide(t, env, w.editor, s.ID, map[string]any{"accept": false}), http.StatusConflict)
	env.Unchanged(t, before)

	// Rejecting leaves the article as it is, even when the suggestion is stale.
	res = bptDecide(t, env, w.admin, later.ID, map[string]any{"accept": false, "comment": "No aporta."})
	if res.Status != http.StatusOK || res.JSON(t)["status"] != "rejected" {
		t.Errorf("reject: %d %s", res.Status, res.Body)
	}
	if a := bptGetArticle(t, env, w.viewer, art); a.Version != 2 {
		t.Errorf("rejecting changed the article: %+v", a)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-articles/" + art + "/suggestions?status=rejected", Token: w.viewer})
	res.Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != later.ID {
		t.Errorf("rejected: %+v", list.Items)
	}
}

// A suggestion made against an older version of the article is a 409 (with the article as it is
// now) unless forced.
func TestSuggestionStale(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	art := bptArticle(t, w, bptChapter(t, w, bp, "I", 0), "1", "Texto original.", 0)
	s := bptSuggest(t, env, w.viewer, art, map[string]any{"text": map[string]any{"es": "Texto sugerido."}})
	if res := bptPatch(t, env, w.editor, "/v1/blueprint-articles/"+art, 1, map[string]any{"text": map[string]any{"es": "Texto editado."}}); res.Status != http.StatusOK {
		t.Fatalf("edit: %d %s", res.Status, res.Body)
	}

	before := env.Fingerprint(t)
	p := apitest.Problem(t, bptDecide(t, env, w.editor, s.ID, map[string]any{"accept": true}), http.StatusConflict)
	if c, _ := p["current"].(map[string]any); c == nil || c["version"] != 2.0 || c["text"].(map[string]any)["es"] != "Texto editado." {
		t.Errorf("409 current: %v", p)
	}
	env.Unchanged(t, before)

	res := bptDecide(t, env, w.editor, s.ID, map[string]any{"accept": true, "force": true})
	if res.Status != http.StatusOK || res.JSON(t)["status"] != "accepted" {
		t.Fatalf("force: %d %s", res.Status, res.Body)
	}
	if a := bptGetArticle(t, env, w.viewer, art); a.Version != 3 || bptDeref(a.Text.Es) != "Texto sugerido." {
		t.Errorf("article after forced accept: %+v", a)
	}
}

func TestSuggestionBadInput(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	ch := bptChapter(t, w, bp, "I", 0)
	art := bptArticle(t, w, ch, "1", "Texto", 0)
	archived := bptArticle(t, w, ch, "2", "Archivado", 0)
	pending := bptSuggest(t, env, w.viewer, archived, map[string]any{"text": map[string]any{"es": "Nuevo"}})
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + archived, Token: w.admin})

	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		article string
		body    map[string]any
		status  int
	}{
		"only a rationale": {art, map[string]any{"rationale": "Porque sí."}, 422},
		"blank text":       {art, map[string]any{"text": map[string]any{"es": "  "}}, 422},
		"empty":            {art, map[string]any{}, 400},
		"unknown field":    {art, map[string]any{"text": map[string]any{"es": "X"}, "status": "accepted"}, 400},
	} {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles/" + tc.article + "/suggestions", Token: w.viewer, Body: tc.body})
		if res.Status != tc.status {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	for _, article := range []string{uuid.NewString(), archived} {
		path := "/v1/blueprint-articles/" + article + "/suggestions"
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: w.viewer, Body: map[string]any{"text": map[string]any{"es": "X"}}}), http.StatusNotFound)
	}
	// Accepting for an archived article is a conflict; rejecting still closes the suggestion.
	apitest.Problem(t, bptDecide(t, env, w.editor, pending.ID, map[string]any{"accept": true, "force": true}), http.StatusConflict)
	apitest.Problem(t, bptDecide(t, env, w.editor, pending.ID, map[string]any{}), http.StatusBadRequest)
	env.Unchanged(t, before)
	if res := bptDecide(t, env, w.editor, pending.ID, map[string]any{"accept": false}); res.Status != http.StatusOK {
		t.Errorf("reject for archived article: %d %s", res.Status, res.Body)
	}
}
