package blueprint_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// bptWorld is what most blueprint tests start from: ASN with PIM below it, another institution,
// and a blueprint deliverable owned by ASN.
type bptWorld struct {
	env                *apitest.Env
	admin              string
	asn, pim, other    string
	deliverable        string
	editor, outsider   string // editors of ASN and of the other institution
	pimEditor          string // an editor of a unit below the deliverable's owner
	viewer             string
	otherDeliverableID string // a deliverable of another type
}

func bptSetup(t *testing.T) *bptWorld {
	t.Helper()
	env := apitest.New(t)
	w := &bptWorld{env: env, admin: env.AdminToken(t)}
	w.asn = bptInstitution(t, w, "PE-MRE-ASN", "")
	w.pim = bptInstitution(t, w, "PE-MRE-ASN-PIM", w.asn)
	w.other = bptInstitution(t, w, "PE-MININTER", "")
	w.deliverable = bptDeliverable(t, env, "DLV-BLUEPRINT", "blueprint", w.asn)
	w.otherDeliverableID = bptDeliverable(t, env, "DLV-NEEDS-ASSESSMENT", "needs_assessment_report", w.asn)
	w.editor = bptToken(t, env, actor.Editor, w.asn)
	w.pimEditor = bptToken(t, env, actor.Editor, w.pim)
	w.outsider = bptToken(t, env, actor.Editor, w.other)
	w.viewer = env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	return w
}

func bptToken(t *testing.T, env *apitest.Env, role actor.Role, institution string) string {
	t.Helper()
	id := uuid.MustParse(institution)
	return env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: &id})
}

func bptInstitution(t *testing.T, w *bptWorld, code, parent string) string {
	t.Helper()
	body := map[string]any{"code": code, "name": map[string]any{"es": "Unidad " + code}, "kind": "agency", "tier": "national"}
	if parent != "" {
		body["parent_id"] = parent
	}
	return bptCreated(t, w.env, w.admin, "/v1/institutions", body)["id"].(string)
}

// bptDeliverable stores a deliverable straight into its table: deliverables have their own
// package and tests; these tests need only a row to link to.
func bptDeliverable(t *testing.T, env *apitest.Env, code, typ, owner string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	err := env.DB.Conn(t.Context()).Exec(`INSERT INTO deliverables (id, code, type, title_es, owner_unit_id) VALUES (?, ?, ?, ?, ?)`,
		id, code, typ, "Entregable "+code, owner).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// bptCreated POSTs body to path and returns the created record.
func bptCreated(t *testing.T, env *apitest.Env, token, path string, body any) map[string]any {
	t.Helper()
	return bptPosted[map[string]any](t, env, token, path, body)
}

// bptPosted POSTs body to path, expects 201 and decodes the created record into a T.
func bptPosted[T any](t *testing.T, env *apitest.Env, token, path string, body any) T {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, res.Status, res.Body)
	}
	var out T
	res.Decode(t, &out)
	return out
}

// bptNumbers pages through list path (with page_size and filters already in its query) and
// returns the number of every item, in order.
func bptNumbers(t *testing.T, env *apitest.Env, token, path string) []string {
	t.Helper()
	var out []string
	next := ""
	for range 20 {
		p := path
		if next != "" {
			p += "&page_token=" + next
		}
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: p, Token: token})
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", p, res.Status, res.Body)
		}
		var page struct {
			Items []struct {
				Number string `json:"number"`
			} `json:"items"`
			Next string `json:"next_page_token"`
		}
		res.Decode(t, &page)
		for _, it := range page.Items {
			out = append(out, it.Number)
		}
		if next = page.Next; next == "" {
			break
		}
	}
	return out
}

// bptPatch sends a merge patch, with If-Match when version > 0.
func bptPatch(t *testing.T, env *apitest.Env, token, path string, version int64, body any) apitest.Response {
	t.Helper()
	req := apitest.Request{Method: http.MethodPatch, Path: path, Token: token, Body: body, ContentType: "application/merge-patch+json"}
	if version > 0 {
		req.Header = map[string]string{"If-Match": `"` + strconv.FormatInt(version, 10) + `"`}
	}
	return env.Do(t, req)
}

func bptBlueprint(t *testing.T, w *bptWorld, code string) string {
	t.Helper()
	return bptCreated(t, w.env, w.admin, "/v1/blueprints", map[string]any{"code": code,
		"title": map[string]any{"es": "Proyecto " + code}, "deliverable_id": w.deliverable})["id"].(string)
}

// bptChapter creates a chapter (last when position is 0) and returns its id.
func bptChapter(t *testing.T, w *bptWorld, blueprint, number string, position int) string {
	t.Helper()
	body := map[string]any{"blueprint_id": blueprint, "number": number, "heading": map[string]any{"es": "Capítulo " + number}}
	if position > 0 {
		body["position"] = position
	}
	return bptCreated(t, w.env, w.admin, "/v1/blueprint-chapters", body)["id"].(string)
}

// bptArticle creates an article (last when position is 0) with Spanish text and returns its id.
func bptArticle(t *testing.T, w *bptWorld, chapter, number, text string, position int) string {
	t.Helper()
	body := map[string]any{"chapter_id": chapter, "number": number, "text": map[string]any{"es": text}}
	if position > 0 {
		body["position"] = position
	}
	return bptCreated(t, w.env, w.admin, "/v1/blueprint-articles", body)["id"].(string)
}

// bptOutlineArticle is an article as the outline renders it.
type bptOutlineArticle struct {
	ID        string `json:"id"`
	ChapterID string `json:"chapter_id"`
	Number    string `json:"number"`
	Position  int    `json:"position"`
	Version   int64  `json:"version"`
	Text      struct {
		Es *string `json:"es"`
		En *string `json:"en"`
	} `json:"text"`
	FunctionIDs []string `json:"function_ids"`
	UnitIDs     []string `json:"unit_ids"`
}

type bptOutline struct {
	Blueprint struct {
		ID            string  `json:"id"`
		Code          string  `json:"code"`
		Demo          bool    `json:"demo"`
		DeliverableID *string `json:"deliverable_id"`
		Title         struct {
			Es string `json:"es"`
			En string `json:"en"`
		} `json:"title"`
	} `json:"blueprint"`
	Chapters []struct {
		ID       string              `json:"id"`
		Number   string              `json:"number"`
		Position int                 `json:"position"`
		Version  int64               `json:"version"`
		Articles []bptOutlineArticle `json:"articles"`
	} `json:"chapters"`
}

func bptGetOutline(t *testing.T, env *apitest.Env, token, blueprint string) bptOutline {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints/" + blueprint + "/outline", Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("outline: %d %s", res.Status, res.Body)
	}
	var o bptOutline
	res.Decode(t, &o)
	return o
}

// bptShape is the outline as "chapter:article,article;chapter:…" by numbers, with positions
// checked to be 1..n.
func bptShape(t *testing.T, o bptOutline) string {
	t.Helper()
	s := ""
	for i, c := range o.Chapters {
		if c.Position != i+1 {
			t.Errorf("chapter %s at position %d, want %d", c.Number, c.Position, i+1)
		}
		if i > 0 {
			s += ";"
		}
		s += c.Number + ":"
		for j, a := range c.Articles {
			if a.Position != j+1 || a.ChapterID != c.ID {
				t.Errorf("article %s at %s/%d, want %s/%d", a.Number, a.ChapterID, a.Position, c.ID, j+1)
			}
			if j > 0 {
				s += ","
			}
			s += a.Number
		}
	}
	return s
}

// bptEvent is an audit event as stored.
type bptEvent struct {
	Action     string
	ActorLabel *string
	Before     json.RawMessage
	After      json.RawMessage
}

func bptEvents(t *testing.T, env *apitest.Env, resourceID string) []bptEvent {
	t.Helper()
	var out []bptEvent
	err := env.DB.Conn(t.Context()).Raw(`SELECT action, actor_label, before, after FROM audit_events WHERE resource_id = ? ORDER BY occurred_at, id`,
		resourceID).Scan(&out).Error
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func bptActions(events []bptEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action
	}
	return out
}

func TestBlueprintLifecycle(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprints", Token: w.admin, Body: map[string]any{
		"code": "ASN-ROF", "title": map[string]any{"es": "Proyecto de normas internas", "en": "Blueprint of internal rules"},
		"deliverable_id": w.deliverable}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	b := res.JSON(t)
	id := b["id"].(string)
	if res.Header.Get("Location") != "/v1/blueprints/"+id || res.Header.Get("ETag") != `"1"` {
		t.Errorf("headers: %v", res.Header)
	}
	if b["deliverable_id"] != w.deliverable || b["demo"] != false || b["version"] != 1.0 {
		t.Errorf("created: %v", b)
	}

	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints/" + id, Token: w.viewer})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %d %v", res.Status, res.Header)
	}
	bptBlueprint(t, w, "ZZ-OTHER")
	for query, want := range map[string]int{
		"?code=ASN-ROF": 1, "?deliverable_id=" + w.deliverable: 2, "?order_by=-code&page_size=1": 1, "": 2,
	} {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints" + query, Token: w.viewer})
		var page struct {
			Items []struct{ Code string } `json:"items"`
		}
		res.Decode(t, &page)
		if len(page.Items) != want {
			t.Errorf("%s: %d items, want %d", query, len(page.Items), want)
		}
		if query == "?order_by=-code&page_size=1" && page.Items[0].Code != "ZZ-OTHER" {
			t.Errorf("%s: first is %s", query, page.Items[0].Code)
		}
	}

	// Stale If-Match: 412, nothing written.
	before := env.Fingerprint(t)
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprints/"+id, 7, map[string]any{"title": map[string]any{"en": nil}}), http.StatusPreconditionFailed)
	env.Unchanged(t, before)

	res = bptPatch(t, env, w.admin, "/v1/blueprints/"+id, 1, map[string]any{"title": map[string]any{"en": nil}, "deliverable_id": nil})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if got := res.JSON(t); got["title"].(map[string]any)["en"] != nil || got["deliverable_id"] != nil {
		t.Errorf("patched: %v", got)
	}

	res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprints/" + id, Token: w.admin,
		Header: map[string]string{"If-Match": `"2"`}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "blueprints", "id = ? AND archived_at IS NOT NULL AND version = 3", id); n != 1 {
		t.Error("not archived")
	}
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints?include_archived=true&code=ASN-ROF", Token: w.viewer})
	if len(res.JSON(t)["items"].([]any)) != 1 {
		t.Errorf("include_archived: %s", res.Body)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints?code=ASN-ROF", Token: w.viewer})
	if len(res.JSON(t)["items"].([]any)) != 0 {
		t.Errorf("archived listed: %s", res.Body)
	}
	apitest.Problem(t, bptPatch(t, env, w.admin, "/v1/blueprints/"+id, 0, map[string]any{"code": "ASN-ROF-2"}), http.StatusConflict)
	// An archived blueprint's text no longer changes.
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprint-chapters", Token: w.admin,
		Body: map[string]any{"blueprint_id": id, "number": "I", "heading": map[string]any{"es": "Uno"}}}), http.StatusConflict)

	if got := bptActions(bptEvents(t, env, id)); !slices.Equal(got, []string{"blueprint.create", "blueprint.update", "blueprint.archive"}) {
		t.Errorf("audit: %v", got)
	}
	ev := bptEvents(t, env, id)[1]
	var beforeState, afterState map[string]any
	_ = json.Unmarshal(ev.Before, &beforeState)
	_ = json.Unmarshal(ev.After, &afterState)
	if beforeState["deliverable_id"] != w.deliverable || afterState["deliverable_id"] != nil || afterState["version"] != 2.0 {
		t.Errorf("audit update: %s → %s", ev.Before, ev.After)
	}
}

func TestBlueprintBadInput(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	bptBlueprint(t, w, "ASN-ROF")
	archived := bptDeliverable(t, env, "DLV-OLD", "blueprint", w.asn)
	if err := env.DB.Conn(t.Context()).Exec(`UPDATE deliverables SET archived_at = now() WHERE id = ?`, archived).Error; err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"unknown deliverable", map[string]any{"code": "X-1", "title": map[string]any{"es": "X"}, "deliverable_id": uuid.NewString()}, 422, "deliverable_id"},
		{"not a blueprint deliverable", map[string]any{"code": "X-1", "title": map[string]any{"es": "X"}, "deliverable_id": w.otherDeliverableID}, 422, "deliverable_id"},
		{"archived deliverable", map[string]any{"code": "X-1", "title": map[string]any{"es": "X"}, "deliverable_id": archived}, 422, "deliverable_id"},
		{"code taken", map[string]any{"code": "ASN-ROF", "title": map[string]any{"es": "X"}}, 409, "code"},
		{"blank title", map[string]any{"code": "X-1", "title": map[string]any{"es": "   "}}, 422, "title"},
		{"bad code", map[string]any{"code": "x y", "title": map[string]any{"es": "X"}}, 400, ""},
		{"unknown field", map[string]any{"code": "X-1", "title": map[string]any{"es": "X"}, "demo": true}, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprints", Token: w.admin, Body: tc.body}), tc.status)
			if tc.field != "" && !bptHasField(p, tc.field) {
				t.Errorf("no error on %s: %v", tc.field, p)
			}
			env.Unchanged(t, before)
		})
	}
}

// bptHasField reports whether problem p names field among its errors.
func bptHasField(p map[string]any, field string) bool {
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if e.(map[string]any)["field"] == field {
			return true
		}
	}
	return false
}

// Editors write only blueprints of deliverables owned by their unit or one below it (so an editor
// of PIM does not write ASN's blueprint: PIM's staff comment and suggest, ASN's editors decide);
// partners and viewers write none. Anyone who reads deliverables may comment and suggest.
func TestBlueprintEditorsScope(t *testing.T) {
	t.Parallel()
	w := bptSetup(t)
	env := w.env
	asnEditor := w.editor
	partner := bptToken(t, env, actor.Partner, w.other)
	body := func(code string, deliverable any) map[string]any {
		b := map[string]any{"code": code, "title": map[string]any{"es": "Proyecto"}}
		if deliverable != nil {
			b["deliverable_id"] = deliverable
		}
		return b
	}
	before := env.Fingerprint(t)
	for name, tc := range map[string]struct {
		token string
		body  map[string]any
	}{
		"editor below the owner":   {w.pimEditor, body("A-1", w.deliverable)},
		"editor of another unit":   {w.outsider, body("A-1", w.deliverable)},
		"editor, no deliverable":   {asnEditor, body("A-1", nil)},
		"partner (no write scope)": {partner, body("A-1", w.deliverable)},
		"viewer (no write scope)":  {w.viewer, body("A-1", w.deliverable)},
	} {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/blueprints", Token: tc.token, Body: tc.body})
		if res.Status != http.StatusForbidden {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	env.Unchanged(t, before)

	id := bptCreated(t, env, asnEditor, "/v1/blueprints", body("A-1", w.deliverable))["id"].(string)
	ch := bptCreated(t, env, asnEditor, "/v1/blueprint-chapters", map[string]any{"blueprint_id": id, "number": "I",
		"heading": map[string]any{"es": "Uno"}})["id"].(string)
	art := bptCreated(t, env, asnEditor, "/v1/blueprint-articles", map[string]any{"chapter_id": ch, "number": "1",
		"text": map[string]any{"es": "Texto"}})["id"].(string)

	before = env.Fingerprint(t)
	for _, tok := range []string{w.outsider, w.pimEditor, partner} {
		for _, r := range []apitest.Request{
			{Method: http.MethodPost, Path: "/v1/blueprint-chapters", Body: map[string]any{"blueprint_id": id, "number": "II", "heading": map[string]any{"es": "Dos"}}},
			{Method: http.MethodPost, Path: "/v1/blueprint-articles", Body: map[string]any{"chapter_id": ch, "number": "2", "text": map[string]any{"es": "Otro"}}},
			{Method: http.MethodPatch, Path: "/v1/blueprint-articles/" + art, Body: map[string]any{"number": "1-A"},
				ContentType: "application/merge-patch+json", Header: map[string]string{"If-Match": `"1"`}},
			{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + art},
			{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + ch},
			{Method: http.MethodPut, Path: "/v1/blueprints/" + id + "/order", Body: map[string]any{"chapters": []any{
				map[string]any{"id": ch, "article_ids": []string{art}}}}},
		} {
			r.Token = tok
			if res := env.Do(t, r); res.Status != http.StatusForbidden {
				t.Errorf("%s %s: %d %s", r.Method, r.Path, res.Status, res.Body)
			}
		}
	}
	env.Unchanged(t, before)

	// Reading, commenting and suggesting need only deliverables:read.
	for _, tok := range []string{w.outsider, w.pimEditor, partner, w.viewer} {
		bptCreated(t, env, tok, "/v1/blueprint-articles/"+art+"/comments", map[string]any{"body": "Comentario"})
		bptCreated(t, env, tok, "/v1/blueprint-articles/"+art+"/suggestions", map[string]any{"text": map[string]any{"es": "Otro texto"}})
	}
	// An editor of the owner unit edits the text.
	if res := bptPatch(t, env, w.editor, "/v1/blueprint-articles/"+art, 1, map[string]any{"number": "1-A"}); res.Status != http.StatusOK {
		t.Errorf("editor of PIM: %d %s", res.Status, res.Body)
	}
}
