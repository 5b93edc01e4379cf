package blueprint_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// bptThread is a comment as the API renders it, with its replies.
type bptThread struct {
	ID         string      `json:"id"`
	ArticleID  string      `json:"article_id"`
	ParentID   *string     `json:"parent_id"`
	EventID    *string     `json:"event_id"`
	Author     string      `json:"author"`
	Body       string      `json:"body"`
	Resolved   bool        `json:"resolved"`
	ResolvedBy *string     `json:"resolved_by"`
	Replies    []bptThread `json:"replies"`
}

func bptComment(t *testing.T, env *apitest.Env, token, article string, body map[string]any) bptThread {
	t.Helper()
	return bptPosted[bptThread](t, env, token, "/v1/blueprint-articles/"+article+"/comments", body)
}

func bptThreads(t *testing.T, env *apitest.Env, token, article, query string) []bptThread {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-articles/" + article + "/comments" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("comments: %d %s", res.Status, res.Body)
	}
	var out struct {
		Items []bptThread `json:"items"`
	}
	res.Decode(t, &out)
	return out.Items
}

// bptBodies flattens threads to "body" and "body>reply>reply" paths, depth first.
func bptBodies(threads []bptThread, prefix string) []string {
	var out []string
	for _, c := range threads {
		out = append(out, prefix+c.Body)
		out = append(out, bptBodies(c.Replies, prefix+c.Body+">")...)
	}
	return out
}

func bptEventOf(t *testing.T, w *bptWorld, code, typ string) string {
	t.Helper()
	return bptCreated(t, w.env, w.admin, "/v1/events", map[string]any{"code": code, "type": typ,
		"title": map[string]any{"es": "Evento " + code}, "start_date": "2023-05-31"})["id"].(string)
}

// Comments are threaded per article: replies nest under their parent, oldest first; a reply
// answers a comment on the same article; the event is a co-drafting session; the author is the
// caller. Comments on a missing or archived article are 404s; nothing is written on refusals.
func TestCommentThreads(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	ch := bptChapter(t, w, bp, "I", 0)
	art := bptArticle(t, w, ch, "1", "Texto", 0)
	otherArt := bptArticle(t, w, ch, "2", "Otro", 0)
	session := bptEventOf(t, w, "PE-CORREDACCION-1", "co_drafting_session")
	consultation := bptEventOf(t, w, "PE-CONSULTA-1", "diaspora_consultation")

	first := bptComment(t, env, w.viewer, art, map[string]any{"body": "¿Debe el PIM coordinar con MIGRACIONES?", "event_id": session})
	if first.ArticleID != art || first.EventID == nil || *first.EventID != session || first.Author == "" ||
		first.Resolved || first.ParentID != nil || len(first.Replies) != 0 {
		t.Errorf("comment: %+v", first)
	}
	second := bptComment(t, env, w.pimEditor, art, map[string]any{"body": "Falta una definición."})
	reply := bptComment(t, env, w.editor, art, map[string]any{"body": "Basta el artículo 5.", "parent_id": first.ID})
	bptComment(t, env, w.viewer, art, map[string]any{"body": "De acuerdo.", "parent_id": reply.ID})
	bptComment(t, env, w.pimEditor, art, map[string]any{"body": "Y con la SSN.", "parent_id": first.ID})
	bptComment(t, env, w.viewer, otherArt, map[string]any{"body": "Sobre el otro artículo."})

	got := bptBodies(bptThreads(t, env, w.viewer, art, ""), "")
	want := []string{
		"¿Debe el PIM coordinar con MIGRACIONES?",
		"¿Debe el PIM coordinar con MIGRACIONES?>Basta el artículo 5.",
		"¿Debe el PIM coordinar con MIGRACIONES?>Basta el artículo 5.>De acuerdo.",
		"¿Debe el PIM coordinar con MIGRACIONES?>Y con la SSN.",
		"Falta una definición.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("threads:\n%v\nwant\n%v", got, want)
	}
	if n := env.Count(t, "audit_events", "action = 'blueprint_comment.create'"); n != 6 {
		t.Errorf("%d comment events", n)
	}

	archived := bptArticle(t, w, ch, "3", "Archivado", 0)
	bptComment(t, env, w.viewer, archived, map[string]any{"body": "Antes de archivar."})
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + archived, Token: w.admin})

	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		article string
		body    map[string]any
		status  int
		field   string
	}{
		"parent on another article": {otherArt, map[string]any{"body": "Hola", "parent_id": second.ID}, 422, "parent_id"},
		"unknown parent":            {art, map[string]any{"body": "Hola", "parent_id": uuid.NewString()}, 422, "parent_id"},
		"unknown event":             {art, map[string]any{"body": "Hola", "event_id": uuid.NewString()}, 422, "event_id"},
		"not a co-drafting session": {art, map[string]any{"body": "Hola", "event_id": consultation}, 422, "event_id"},
		"blank body":                {art, map[string]any{"body": "   "}, 422, "body"},
		"empty body":                {art, map[string]any{"body": ""}, 400, ""},
	} {
		p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-articles/" + tc.article + "/comments",
			Token: w.viewer, Body: tc.body}), tc.status)
		if tc.field != "" && !bptHasField(p, tc.field) {
			t.Errorf("%s: no error on %s: %v", name, tc.field, p)
		}
	}
	for _, article := range []string{uuid.NewString(), archived} {
		path := "/v1/blueprint-articles/" + article + "/comments"
		p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: w.viewer, Body: map[string]any{"body": "Hola"}}), http.StatusNotFound)
		if p["type"] != "/problems/not-found" {
			t.Errorf("comment on a missing or archived article: %v", p)
		}
	}
	env.Unchanged(t, before)
	// An archived article's comments stay readable; a missing article has none.
	if got := bptThreads(t, env, w.viewer, archived, ""); len(got) != 1 {
		t.Errorf("comments of archived article: %+v", got)
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprint-articles/" + uuid.NewString() + "/comments",
		Token: w.viewer}), http.StatusNotFound)
}

// Editors of the blueprint resolve and reopen threads (on their first comment); only the author
// changes a comment's body; both are audited.
func TestCommentResolution(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bp := bptBlueprint(t, w, "ASN-ROF")
	art := bptArticle(t, w, bptChapter(t, w, bp, "I", 0), "1", "Texto", 0)
	author := w.pimEditor
	thread := bptComment(t, env, author, art, map[string]any{"body": "Primera versión del comentario."})
	reply := bptComment(t, env, w.viewer, art, map[string]any{"body": "Respuesta.", "parent_id": thread.ID})
	bptComment(t, env, w.viewer, art, map[string]any{"body": "Otro hilo."})
	patch := func(token, id string, body map[string]any) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/blueprint-comments/" + id, Token: token, Body: body})
	}

	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		token, id string
		body      map[string]any
		status    int
	}{
		"viewer resolves":             {w.viewer, thread.ID, map[string]any{"resolved": true}, 403},
		"editor below the owner unit": {author, thread.ID, map[string]any{"resolved": true}, 403},
		"editor of another unit":      {w.outsider, thread.ID, map[string]any{"resolved": true}, 403},
		"another's body":              {w.editor, thread.ID, map[string]any{"body": "Cambiado."}, 403},
		"resolve a reply":             {w.editor, reply.ID, map[string]any{"resolved": true}, 422},
		"blank body":                  {author, thread.ID, map[string]any{"body": " "}, 422},
		"missing comment":             {w.editor, uuid.NewString(), map[string]any{"resolved": true}, 404},
		"nothing to change":           {w.editor, thread.ID, map[string]any{}, 400},
	} {
		if res := patch(tc.token, tc.id, tc.body); res.Status != tc.status {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	env.Unchanged(t, before)

	res := patch(w.editor, thread.ID, map[string]any{"resolved": true})
	if res.Status != http.StatusOK {
		t.Fatalf("resolve: %d %s", res.Status, res.Body)
	}
	var resolved bptThread
	res.Decode(t, &resolved)
	if !resolved.Resolved || resolved.ResolvedBy == nil || *resolved.ResolvedBy == "" || len(resolved.Replies) != 1 {
		t.Errorf("resolved: %+v", resolved)
	}
	if got := bptBodies(bptThreads(t, env, w.viewer, art, "?resolved=true"), ""); !slices.Equal(got,
		[]string{"Primera versión del comentario.", "Primera versión del comentario.>Respuesta."}) {
		t.Errorf("resolved threads: %v", got)
	}
	if got := bptBodies(bptThreads(t, env, w.viewer, art, "?resolved=false"), ""); !slices.Equal(got, []string{"Otro hilo."}) {
		t.Errorf("open threads: %v", got)
	}

	res = patch(author, thread.ID, map[string]any{"body": "Versión corregida."})
	if res.Status != http.StatusOK || res.JSON(t)["body"] != "Versión corregida." || res.JSON(t)["resolved"] != true {
		t.Errorf("author edits: %d %s", res.Status, res.Body)
	}
	res = patch(w.admin, thread.ID, map[string]any{"resolved": false})
	if got := res.JSON(t); got["resolved"] != false || got["resolved_by"] != nil {
		t.Errorf("reopened: %s", res.Body)
	}
	events := bptEvents(t, env, thread.ID)
	if got := bptActions(events); !slices.Equal(got, []string{"blueprint_comment.create", "blueprint_comment.update",
		"blueprint_comment.update", "blueprint_comment.update"}) {
		t.Errorf("audit: %v", got)
	}

	// Comments on an archived article no longer change.
	env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + art, Token: w.admin})
	apitest.Problem(t, patch(w.editor, thread.ID, map[string]any{"resolved": true}), http.StatusConflict)
}
