package blueprint_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// bpvWorld is a running Puente with an admin token, for the versions, comparison, export and
// traceability tests.
type bpvWorld struct {
	env   *apitest.Env
	admin string
}

func bpvNew(t *testing.T) *bpvWorld {
	t.Helper()
	env := apitest.New(t)
	return &bpvWorld{env: env, admin: env.AdminToken(t)}
}

func (w *bpvWorld) do(t *testing.T, method, path, token string, body any) apitest.Response {
	t.Helper()
	req := apitest.Request{Method: method, Path: path, Token: token, Body: body}
	if method == http.MethodPatch {
		req.ContentType = "application/merge-patch+json"
	}
	return w.env.Do(t, req)
}

// ok sends a request as admin and fails t unless it answers want; it returns the decoded body
// (nil when there is none).
func (w *bpvWorld) ok(t *testing.T, method, path string, body any, want int) map[string]any {
	t.Helper()
	res := w.do(t, method, path, w.admin, body)
	if res.Status != want {
		t.Fatalf("%s %s: %d %s", method, path, res.Status, res.Body)
	}
	if len(res.Body) == 0 {
		return nil
	}
	return res.JSON(t)
}

// edit applies a merge patch to the record at path, as admin, with the ETag it has now.
func (w *bpvWorld) edit(t *testing.T, path string, patch any) {
	t.Helper()
	res := w.do(t, http.MethodGet, path, w.admin, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	res = w.env.Do(t, apitest.Request{Method: http.MethodPatch, Path: path, Token: w.admin, Body: patch,
		ContentType: "application/merge-patch+json", Header: map[string]string{"If-Match": res.Header.Get("ETag")}})
	if res.Status != http.StatusOK {
		t.Fatalf("PATCH %s: %d %s", path, res.Status, res.Body)
	}
}

func bpvText(es, en string) map[string]any {
	out := map[string]any{}
	if es != "" {
		out["es"] = es
	}
	if en != "" {
		out["en"] = en
	}
	return out
}

// bpvBlueprint creates a blueprint titled in both languages and returns its id.
func bpvBlueprint(t *testing.T, w *bpvWorld, code string) string {
	t.Helper()
	return w.ok(t, http.MethodPost, "/v1/blueprints", map[string]any{"code": code,
		"title": bpvText("Proyecto "+code, "Blueprint "+code)}, http.StatusCreated)["id"].(string)
}

// bpvChapter creates a chapter, last in its blueprint, and returns its id.
func bpvChapter(t *testing.T, w *bpvWorld, blueprint, number, es, en string) string {
	t.Helper()
	return w.ok(t, http.MethodPost, "/v1/blueprint-chapters", map[string]any{"blueprint_id": blueprint, "number": number,
		"heading": bpvText(es, en)}, http.StatusCreated)["id"].(string)
}

// bpvArticle creates an article in chapter from body (chapter_id added) and returns its id.
func bpvArticle(t *testing.T, w *bpvWorld, chapter string, body map[string]any) string {
	t.Helper()
	body["chapter_id"] = chapter
	return w.ok(t, http.MethodPost, "/v1/blueprint-articles", body, http.StatusCreated)["id"].(string)
}

// bpvSimple is an article body with a number, headings and texts in both languages.
func bpvSimple(number, headingES, headingEN, textES, textEN string) map[string]any {
	body := map[string]any{"number": number, "text": bpvText(textES, textEN)}
	if headingES != "" || headingEN != "" {
		body["heading"] = bpvText(headingES, headingEN)
	}
	return body
}

// bpvReorder sets the order of a blueprint: chapter id → its article ids, chapters in order.
func bpvReorder(t *testing.T, w *bpvWorld, blueprint string, chapters ...[]string) {
	t.Helper()
	var order []map[string]any
	for _, c := range chapters {
		order = append(order, map[string]any{"id": c[0], "article_ids": append([]string{}, c[1:]...)})
	}
	w.ok(t, http.MethodPut, "/v1/blueprints/"+blueprint+"/order", map[string]any{"chapters": order}, http.StatusOK)
}

func bpvFreeze(t *testing.T, w *bpvWorld, blueprint, name string) bpvVersion {
	t.Helper()
	res := w.do(t, http.MethodPost, "/v1/blueprints/"+blueprint+"/versions", w.admin, map[string]any{"name": name})
	if res.Status != http.StatusCreated {
		t.Fatalf("freeze: %d %s", res.Status, res.Body)
	}
	var v bpvVersion
	res.Decode(t, &v)
	return v
}

// bpvLocalized is a text in Spanish and English, either absent.
type bpvLocalized struct {
	Es *string `json:"es"`
	En *string `json:"en"`
}

type bpvVersion struct {
	ID          string  `json:"id"`
	BlueprintID string  `json:"blueprint_id"`
	Number      int     `json:"number"`
	Name        string  `json:"name"`
	Note        *string `json:"note"`
	FrozenBy    string  `json:"frozen_by"`
	FrozenAt    string  `json:"frozen_at"`
	Articles    int     `json:"articles"`
	Chapters    []struct {
		ID       string       `json:"id"`
		Number   string       `json:"number"`
		Position int          `json:"position"`
		Heading  bpvLocalized `json:"heading"`
		Articles []struct {
			ID          string       `json:"id"`
			ChapterID   string       `json:"chapter_id"`
			Number      string       `json:"number"`
			Position    int          `json:"position"`
			Version     int64        `json:"version"`
			Text        bpvLocalized `json:"text"`
			FunctionIDs []string     `json:"function_ids"`
		} `json:"articles"`
	} `json:"chapters"`
}

// shape is the text of v as "I:1=text,2=text;II:…" (Spanish texts), checking positions.
func (v bpvVersion) shape(t *testing.T) string {
	t.Helper()
	var chapters []string
	for i, c := range v.Chapters {
		if c.Position != i+1 {
			t.Errorf("chapter %s at %d, want %d", c.Number, c.Position, i+1)
		}
		var arts []string
		for j, a := range c.Articles {
			if a.Position != j+1 || a.ChapterID != c.ID {
				t.Errorf("article %s at %s/%d, want %s/%d", a.Number, a.ChapterID, a.Position, c.ID, j+1)
			}
			text := ""
			if a.Text.Es != nil {
				text = *a.Text.Es
			}
			arts = append(arts, a.Number+"="+text)
		}
		chapters = append(chapters, c.Number+":"+strings.Join(arts, ","))
	}
	return strings.Join(chapters, ";")
}

func bpvGetVersion(t *testing.T, w *bpvWorld, token, id string) bpvVersion {
	t.Helper()
	res := w.do(t, http.MethodGet, "/v1/blueprint-versions/"+id, token, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("get version: %d %s", res.Status, res.Body)
	}
	var v bpvVersion
	res.Decode(t, &v)
	return v
}

func bpvFunction(t *testing.T, w *bpvWorld, code string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	bpvExec(t, w, `INSERT INTO functions (id, code, title_es, title_en, category) VALUES (?, ?, ?, ?, 'engagement')`,
		id, code, "Función "+code, "Function "+code)
	return id
}

func bpvExec(t *testing.T, w *bpvWorld, sql string, args ...any) {
	t.Helper()
	if err := w.env.DB.Conn(t.Context()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestVersionFreezeListGet(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	bp := bpvBlueprint(t, w, "ASN-ROF")
	fn := bpvFunction(t, w, "F-ENGAGE")
	c1 := bpvChapter(t, w, bp, "I", "Disposiciones generales", "General provisions")
	c2 := bpvChapter(t, w, bp, "II", "Vinculación", "Engagement")
	a1 := bpvArticle(t, w, c1, bpvSimple("1", "Objeto", "Purpose", "uno", "one"))
	body := bpvSimple("2", "", "", "dos", "")
	body["function_ids"] = []string{fn}
	a2 := bpvArticle(t, w, c1, body)
	a3 := bpvArticle(t, w, c2, bpvSimple("3", "", "", "tres", "three"))

	editor := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	res := w.do(t, http.MethodPost, "/v1/blueprints/"+bp+"/versions", editor,
		map[string]any{"name": "Borrador para la sesión 1", "note": "Tras la sesión de co-redacción 1."})
	if res.Status != http.StatusCreated {
		t.Fatalf("freeze: %d %s", res.Status, res.Body)
	}
	var v1 bpvVersion
	res.Decode(t, &v1)
	if res.Header.Get("Location") != "/v1/blueprint-versions/"+v1.ID {
		t.Errorf("Location %q", res.Header.Get("Location"))
	}
	if v1.Number != 1 || v1.BlueprintID != bp || v1.Name != "Borrador para la sesión 1" || v1.Note == nil ||
		*v1.Note != "Tras la sesión de co-redacción 1." || v1.Articles != 3 || !strings.HasPrefix(v1.FrozenBy, "tester-") {
		t.Errorf("v1: %+v", v1)
	}
	var label string
	if err := w.env.DB.Conn(t.Context()).Raw(`SELECT actor_label FROM audit_events WHERE action = 'blueprint_version.freeze' AND resource_id = ?`,
		v1.ID).Scan(&label).Error; err != nil || label != v1.FrozenBy {
		t.Errorf("audit: label %q, frozen_by %q (%v)", label, v1.FrozenBy, err)
	}
	contentBefore := bpvContent(t, w, v1.ID)

	// Edit the text every way it can change: text, a new article, a move, an archived article,
	// the title.
	w.edit(t, "/v1/blueprint-articles/"+a1, map[string]any{"text": map[string]any{"es": "uno cambiado"}})
	a4 := bpvArticle(t, w, c2, bpvSimple("4", "", "", "cuatro", ""))
	bpvReorder(t, w, bp, []string{c2, a3, a2, a4}, []string{c1, a1})
	w.ok(t, http.MethodDelete, "/v1/blueprint-articles/"+a3, nil, http.StatusNoContent)
	w.edit(t, "/v1/blueprints/"+bp, map[string]any{"title": map[string]any{"es": "Otro título"}})

	// The frozen text is as it was, in the database and through the API.
	if after := bpvContent(t, w, v1.ID); after != contentBefore {
		t.Errorf("content of v1 changed:\n%s\n%s", contentBefore, after)
	}
	viewer := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	got := bpvGetVersion(t, w, viewer, v1.ID)
	if s := got.shape(t); s != "I:1=uno,2=dos;II:3=tres" {
		t.Errorf("v1 text: %s", s)
	}
	if got.Chapters[0].ID != c1 || got.Chapters[0].Articles[0].ID != a1 || got.Chapters[0].Articles[1].ID != a2 ||
		got.Chapters[1].Articles[0].ID != a3 || *got.Chapters[0].Heading.En != "General provisions" ||
		!slices.Equal(got.Chapters[0].Articles[1].FunctionIDs, []string{fn}) || got.Chapters[0].Articles[0].Version != 1 ||
		*got.Chapters[1].Articles[0].Text.En != "three" || got.Number != 1 || got.Note == nil {
		t.Errorf("v1 detail: %+v", got)
	}

	v2 := bpvFreeze(t, w, bp, "Versión 2")
	if v2.Number != 2 || v2.Articles != 3 {
		t.Errorf("v2: %+v", v2)
	}
	if s := bpvGetVersion(t, w, viewer, v2.ID).shape(t); s != "II:2=dos,4=cuatro;I:1=uno cambiado" {
		t.Errorf("v2 text: %s", s)
	}
	var content struct {
		TitleES string `json:"title_es"`
	}
	_ = json.Unmarshal([]byte(bpvContent(t, w, v2.ID)), &content)
	if content.TitleES != "Otro título" {
		t.Errorf("v2 title: %q", content.TitleES)
	}

	res = w.do(t, http.MethodGet, "/v1/blueprints/"+bp+"/versions", viewer, nil)
	var list struct {
		Items []bpvVersion `json:"items"`
	}
	res.Decode(t, &list)
	if res.Status != http.StatusOK || len(list.Items) != 2 || list.Items[0].ID != v2.ID || list.Items[1].ID != v1.ID ||
		list.Items[1].Note == nil || list.Items[0].Chapters != nil {
		t.Errorf("list: %d %s", res.Status, res.Body)
	}
	// Another blueprint's list has none of them.
	other := bpvBlueprint(t, w, "ASN-OTHER")
	res = w.do(t, http.MethodGet, "/v1/blueprints/"+other+"/versions", viewer, nil)
	if res.Status != http.StatusOK || len(res.JSON(t)["items"].([]any)) != 0 {
		t.Errorf("other list: %d %s", res.Status, res.Body)
	}
	// An empty blueprint freezes too: a version with no chapters.
	if v := bpvFreeze(t, w, other, "Vacío"); v.Number != 1 || v.Articles != 0 || bpvGetVersion(t, w, viewer, v.ID).Chapters == nil {
		t.Errorf("empty version: %+v", v)
	}
}

func bpvContent(t *testing.T, w *bpvWorld, version string) string {
	t.Helper()
	var s string
	if err := w.env.DB.Conn(t.Context()).Raw(`SELECT content::text FROM blueprint_versions WHERE id = ?`, version).
		Scan(&s).Error; err != nil || s == "" {
		t.Fatalf("content of %s: %q %v", version, s, err)
	}
	return s
}

// Concurrent freezes of one blueprint each get their own number.
func TestVersionConcurrentFreeze(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	bp := bpvBlueprint(t, w, "ASN-ROF")
	bpvArticle(t, w, bpvChapter(t, w, bp, "I", "Uno", ""), bpvSimple("1", "", "", "texto", ""))
	const n = 6
	numbers := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := w.do(t, http.MethodPost, "/v1/blueprints/"+bp+"/versions", w.admin, map[string]any{"name": fmt.Sprintf("v%d", i)})
			if res.Status != http.StatusCreated {
				t.Errorf("freeze %d: %d %s", i, res.Status, res.Body)
				return
			}
			var v struct{ Number int }
			if err := json.Unmarshal(res.Body, &v); err != nil {
				t.Errorf("freeze %d: %v", i, err)
			}
			numbers[i] = v.Number
		})
	}
	wg.Wait()
	slices.Sort(numbers)
	if !slices.Equal(numbers, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("numbers %v", numbers)
	}
}

func TestVersionBadInput(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	env := w.env
	bp := bpvBlueprint(t, w, "ASN-ROF")
	bpvArticle(t, w, bpvChapter(t, w, bp, "I", "Uno", ""), bpvSimple("1", "", "", "texto", ""))
	v := bpvFreeze(t, w, bp, "v1")

	// The blueprint's deliverable belongs to ASN: an editor of another unit may read, not freeze.
	asn, other := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	for i, u := range []uuid.UUID{asn, other} {
		bpvExec(t, w, `INSERT INTO institutions (id, code, name_es, kind, tier) VALUES (?, ?, 'Unidad', 'agency', 'national')`, u, fmt.Sprint("U-", i))
	}
	dlv := uuid.Must(uuid.NewV7())
	bpvExec(t, w, `INSERT INTO deliverables (id, code, type, title_es, owner_unit_id) VALUES (?, 'DLV-BLUEPRINT', 'blueprint', 'Proyecto', ?)`, dlv, asn)
	w.edit(t, "/v1/blueprints/"+bp, map[string]any{"deliverable_id": dlv.String()})
	outsider := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &other})
	insider := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &asn})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})

	versions := "/v1/blueprints/" + bp + "/versions"
	before := env.Fingerprint(t)
	for _, c := range []struct {
		name, path, token string
		body              any
		status            int
		field             string
	}{
		{"blank name", versions, w.admin, map[string]any{"name": "   "}, http.StatusUnprocessableEntity, "name"},
		{"no name", versions, w.admin, map[string]any{"note": "x"}, http.StatusBadRequest, ""},
		{"unknown member", versions, w.admin, map[string]any{"name": "x", "content": "y"}, http.StatusBadRequest, ""},
		{"unknown blueprint", "/v1/blueprints/" + uuid.NewString() + "/versions", w.admin, map[string]any{"name": "x"}, http.StatusNotFound, ""},
		{"editor of another unit", versions, outsider, map[string]any{"name": "x"}, http.StatusForbidden, ""},
		{"viewer", versions, viewer, map[string]any{"name": "x"}, http.StatusForbidden, ""},
	} {
		p := apitest.Problem(t, w.do(t, http.MethodPost, c.path, c.token, c.body), c.status)
		if c.field != "" && !strings.Contains(bpvFields(p), c.field) {
			t.Errorf("%s: no error for %s: %v", c.name, c.field, p)
		}
	}
	env.Unchanged(t, before)

	// A frozen version has no operation that edits it.
	for _, m := range []string{http.MethodPatch, http.MethodPut, http.MethodDelete} {
		if res := w.do(t, m, "/v1/blueprint-versions/"+v.ID, w.admin, map[string]any{"name": "edited"}); res.Status != http.StatusMethodNotAllowed {
			t.Errorf("%s version: %d %s", m, res.Status, res.Body)
		}
	}
	env.Unchanged(t, before)

	// An editor of the owner unit freezes.
	res := w.do(t, http.MethodPost, versions, insider, map[string]any{"name": "v2"})
	if res.Status != http.StatusCreated || res.JSON(t)["number"] != 2.0 {
		t.Errorf("insider: %d %s", res.Status, res.Body)
	}

	apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprint-versions/"+uuid.NewString(), viewer, nil), http.StatusNotFound)
	apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprint-versions/not-a-uuid", viewer, nil), http.StatusBadRequest)
	apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprints/"+uuid.NewString()+"/versions", viewer, nil), http.StatusNotFound)

	// An archived blueprint keeps its versions but freezes no more.
	w.ok(t, http.MethodDelete, "/v1/blueprints/"+bp, nil, http.StatusNoContent)
	before = env.Fingerprint(t)
	apitest.Problem(t, w.do(t, http.MethodPost, versions, w.admin, map[string]any{"name": "v3"}), http.StatusConflict)
	env.Unchanged(t, before)
	if res := w.do(t, http.MethodGet, versions, viewer, nil); res.Status != http.StatusOK || len(res.JSON(t)["items"].([]any)) != 2 {
		t.Errorf("archived list: %d %s", res.Status, res.Body)
	}
}
