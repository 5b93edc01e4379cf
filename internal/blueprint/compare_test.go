package blueprint_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/blueprint"
)

type bpvOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

type bpvDiffs struct {
	Es *[]bpvOp `json:"es"`
	En *[]bpvOp `json:"en"`
}

type bpvChange struct {
	ArticleID     string    `json:"article_id"`
	Change        string    `json:"change"`
	Number        string    `json:"number"`
	FromChapterID *string   `json:"from_chapter_id"`
	ToChapterID   *string   `json:"to_chapter_id"`
	FromPosition  *int      `json:"from_position"`
	ToPosition    *int      `json:"to_position"`
	Moved         *bool     `json:"moved"`
	HeadingDiff   *bpvDiffs `json:"heading_diff"`
	TextDiff      *bpvDiffs `json:"text_diff"`
}

type bpvComparison struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Summary struct {
		Added, Removed, Moved, Changed, Unchanged int
	} `json:"summary"`
	Articles []bpvChange `json:"articles"`
}

func bpvCompare(t *testing.T, w *bpvWorld, blueprint, from, to string, unchanged bool) bpvComparison {
	t.Helper()
	q := url.Values{"from": {from}, "to": {to}}
	if unchanged {
		q.Set("include_unchanged", "true")
	}
	res := w.do(t, http.MethodGet, "/v1/blueprints/"+blueprint+"/comparison?"+q.Encode(), w.admin, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("compare %s..%s: %d %s", from, to, res.Status, res.Body)
	}
	var c bpvComparison
	res.Decode(t, &c)
	return c
}

// bpvSides rebuilds the old (equal+delete) and new (equal+insert) texts of a word diff.
func bpvSides(ops []bpvOp) (old, new string) {
	for _, o := range ops {
		switch o.Op {
		case "equal":
			old += o.Text
			new += o.Text
		case "delete":
			old += o.Text
		case "insert":
			new += o.Text
		}
	}
	return old, new
}

// compact writes a comparison's articles as "number:change[+moved]" in order, by the names
// given to their ids.
func (c bpvComparison) compact(names map[string]string) string {
	var out []string
	for _, a := range c.Articles {
		s := names[a.ArticleID] + ":" + a.Change
		if a.Change == "changed" && a.Moved != nil && *a.Moved {
			s += "+moved"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// The fixture of the comparison: two chapters; between v1 and the current text one article is
// added (A8, first of chapter I), one removed (A2), one moved to the other chapter (A3), one
// changed in both languages without moving (A4, whose position shifts only because A2 went and
// A8 came), one changed (its English heading) and moved within its chapter (A5, from first to
// last). A1, A6 and A7 stay as they were, though A1's position shifts.
func TestCompareArticles(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	bp := bpvBlueprint(t, w, "ASN-ROF")
	c1 := bpvChapter(t, w, bp, "I", "Generales", "General")
	c2 := bpvChapter(t, w, bp, "II", "Servicios", "Services")
	id := map[string]string{}
	for _, a := range []struct{ chapter, name, es, en string }{
		{c1, "A1", "Primero.", "First."},
		{c1, "A2", "Segundo.", "Second."},
		{c1, "A3", "Tercero.", "Third."},
		{c1, "A4", "El plazo es de 30 días, contados desde la notificación.", "The term is 30 days from notification."},
		{c2, "A5", "Quinto.", "Fifth."},
		{c2, "A6", "Sexto.", "Sixth."},
		{c2, "A7", "Séptimo.", "Seventh."},
	} {
		body := bpvSimple(a.name, "Título "+a.name, "Heading "+a.name, a.es, a.en)
		id[a.name] = bpvArticle(t, w, a.chapter, body)
	}
	v1 := bpvFreeze(t, w, bp, "v1")

	id["A8"] = bpvArticle(t, w, c1, map[string]any{"number": "A8", "text": bpvText("Nuevo.", ""), "position": 1})
	w.ok(t, http.MethodDelete, "/v1/blueprint-articles/"+id["A2"], nil, http.StatusNoContent)
	w.edit(t, "/v1/blueprint-articles/"+id["A4"], map[string]any{"text": bpvText(
		"El plazo es de 45 días hábiles, contados desde la notificación.", "The term is 45 working days from notification.")})
	w.edit(t, "/v1/blueprint-articles/"+id["A5"], map[string]any{"heading": map[string]any{"en": "Consular services"}})
	bpvReorder(t, w, bp, []string{c1, id["A8"], id["A1"], id["A4"]}, []string{c2, id["A6"], id["A7"], id["A5"], id["A3"]})
	v2 := bpvFreeze(t, w, bp, "v2")

	names := map[string]string{}
	for n, i := range id {
		names[i] = n
	}
	const want = "A8:added A2:removed A4:changed A5:changed+moved A3:moved"
	for _, pair := range [][2]string{{v1.ID, v2.ID}, {v1.ID, "current"}} {
		c := bpvCompare(t, w, bp, pair[0], pair[1], false)
		if got := c.compact(names); got != want {
			t.Errorf("%s..%s: %s, want %s", pair[0], pair[1], got, want)
		}
		if c.From != pair[0] || c.To != pair[1] || c.Summary.Added != 1 || c.Summary.Removed != 1 || c.Summary.Moved != 1 ||
			c.Summary.Changed != 2 || c.Summary.Unchanged != 3 {
			t.Errorf("summary: %+v", c)
		}
	}

	c := bpvCompare(t, w, bp, v1.ID, v2.ID, true)
	if got := c.compact(names); got != "A8:added A1:unchanged A2:removed A4:changed A6:unchanged A7:unchanged A5:changed+moved A3:moved" {
		t.Errorf("with unchanged: %s", got)
	}
	byName := map[string]bpvChange{}
	for _, a := range c.Articles {
		byName[names[a.ArticleID]] = a
	}
	at := func(chapter *string, pos *int) string {
		if chapter == nil || pos == nil {
			return "-"
		}
		return map[string]string{c1: "I", c2: "II"}[*chapter] + "/" + string(rune('0'+*pos))
	}
	for name, want := range map[string]string{
		"A8": "- → I/1", "A2": "I/2 → -", "A1": "I/1 → I/2", "A4": "I/4 → I/3", "A5": "II/1 → II/3", "A3": "I/3 → II/4",
		"A6": "II/2 → II/1",
	} {
		a := byName[name]
		if got := at(a.FromChapterID, a.FromPosition) + " → " + at(a.ToChapterID, a.ToPosition); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if a := byName["A1"]; a.Moved == nil || *a.Moved || a.TextDiff != nil || a.HeadingDiff != nil {
		t.Errorf("A1: %+v", a)
	}
	if a := byName["A3"]; a.Moved == nil || !*a.Moved || a.TextDiff != nil || a.Number != "A3" {
		t.Errorf("A3: %+v", a)
	}
	if a := byName["A8"]; a.Moved != nil || a.Number != "A8" {
		t.Errorf("A8: %+v", a)
	}

	// A4 changed in both languages: a word diff for each, exact on both sides.
	a4 := byName["A4"]
	if a4.HeadingDiff != nil || a4.TextDiff == nil || a4.TextDiff.Es == nil || a4.TextDiff.En == nil {
		t.Fatalf("A4 diffs: %+v", a4)
	}
	for _, d := range []struct {
		ops      []bpvOp
		old, new string
	}{
		{*a4.TextDiff.Es, "El plazo es de 30 días, contados desde la notificación.", "El plazo es de 45 días hábiles, contados desde la notificación."},
		{*a4.TextDiff.En, "The term is 30 days from notification.", "The term is 45 working days from notification."},
	} {
		if old, new := bpvSides(d.ops); old != d.old || new != d.new {
			t.Errorf("diff sides %q → %q, want %q → %q", old, new, d.old, d.new)
		}
	}
	if want := []bpvOp{{"equal", "El plazo es de "}, {"delete", "30"}, {"insert", "45"}, {"equal", " días"},
		{"insert", " hábiles"}, {"equal", ", contados desde la notificación."}}; !slices.Equal(*a4.TextDiff.Es, want) {
		t.Errorf("A4 es diff: %+v", *a4.TextDiff.Es)
	}
	// A5 changed only its English heading.
	a5 := byName["A5"]
	if a5.TextDiff != nil || a5.HeadingDiff == nil || a5.HeadingDiff.Es != nil || a5.HeadingDiff.En == nil {
		t.Fatalf("A5 diffs: %+v", a5)
	}
	if old, new := bpvSides(*a5.HeadingDiff.En); old != "Heading A5" || new != "Consular services" {
		t.Errorf("A5 heading: %q → %q", old, new)
	}

	// The other way round, added and removed swap.
	back := bpvCompare(t, w, bp, "current", v1.ID, false)
	if back.Summary.Added != 1 || back.Summary.Removed != 1 || back.Summary.Changed != 2 || back.Summary.Moved != 1 {
		t.Errorf("reverse summary: %+v", back.Summary)
	}
	for _, a := range back.Articles {
		if names[a.ArticleID] == "A2" && a.Change != "added" || names[a.ArticleID] == "A8" && a.Change != "removed" {
			t.Errorf("reverse: %s %s", names[a.ArticleID], a.Change)
		}
	}
	// A text compared with itself is all unchanged.
	same := bpvCompare(t, w, bp, "current", v2.ID, false)
	if len(same.Articles) != 0 || same.Summary.Unchanged != 7 {
		t.Errorf("current vs v2: %+v", same)
	}
}

// The word diff: words, whitespace and punctuation are its tokens, and its equal and insert
// texts rebuild the new text exactly, its equal and delete texts the old one.
func TestCompareWordDiff(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ old, new string }{
		{"", ""},
		{"", "Texto nuevo."},
		{"Texto suprimido.", ""},
		{"igual", "igual"},
		{"La ASN coordina con los consulados.", "La ASN coordina, con los consulados y las secciones consulares."},
		{"Artículo 5.\nLas oficinas    consulares informan.", "Artículo 5-A.\n\nLas oficinas consulares informan trimestralmente."},
		{"niño año", "nin\u0303o año"},
		{"a b c d e f", "f e d c b a"},
		{"¿Quién? ¡Él!", "¿Quiénes? ¡Ellos!"},
		{"emoji 🇵🇪 y \u2028 raros", "emoji 🇵🇪🇵🇪 y raros"},
	} {
		ops := blueprint.WordDiff(c.old, c.new)
		var old, new strings.Builder
		for i, o := range ops {
			if o.Text == "" {
				t.Errorf("%q → %q: empty op %d", c.old, c.new, i)
			}
			if i > 0 && ops[i-1].Op == o.Op {
				t.Errorf("%q → %q: two %s ops in a row", c.old, c.new, o.Op)
			}
			switch o.Op {
			case blueprint.OpEqual:
				old.WriteString(o.Text)
				new.WriteString(o.Text)
			case blueprint.OpDelete:
				old.WriteString(o.Text)
			case blueprint.OpInsert:
				new.WriteString(o.Text)
			default:
				t.Errorf("op %q", o.Op)
			}
		}
		if old.String() != c.old || new.String() != c.new {
			t.Errorf("%q → %q: sides %q → %q", c.old, c.new, old.String(), new.String())
		}
	}
	// Whole words change, never parts of them.
	got := blueprint.WordDiff("La oficina consular informa.", "La oficina consulares informa.")
	want := []blueprint.WordOp{{Op: "equal", Text: "La oficina "}, {Op: "delete", Text: "consular"},
		{Op: "insert", Text: "consulares"}, {Op: "equal", Text: " informa."}}
	if !slices.Equal(got, want) {
		t.Errorf("word granularity: %+v", got)
	}
	// Many distinct tokens (past the surrogate range of runes) still diff exactly.
	var a, b strings.Builder
	for i := range 60000 {
		a.WriteString("w" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + uuid.NewString()[:4] + " ")
		if i%10 != 0 {
			b.WriteString("w" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "z ")
		}
	}
	ops := blueprint.WordDiff(a.String(), b.String())
	var old, new strings.Builder
	for _, o := range ops {
		if o.Op != blueprint.OpInsert {
			old.WriteString(o.Text)
		}
		if o.Op != blueprint.OpDelete {
			new.WriteString(o.Text)
		}
	}
	if old.String() != a.String() || new.String() != b.String() {
		t.Error("large diff does not rebuild its texts")
	}
}

func TestCompareBadInput(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	bp := bpvBlueprint(t, w, "ASN-ROF")
	other := bpvBlueprint(t, w, "ASN-OTHER")
	bpvArticle(t, w, bpvChapter(t, w, bp, "I", "Uno", ""), bpvSimple("1", "", "", "texto", ""))
	v := bpvFreeze(t, w, bp, "v1")
	ov := bpvFreeze(t, w, other, "v1")
	path := func(id, from, to string) string {
		return "/v1/blueprints/" + id + "/comparison?" + url.Values{"from": {from}, "to": {to}}.Encode()
	}
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{path(bp, "v1", "current"), http.StatusBadRequest, "from"},
		{path(bp, v.ID, "latest"), http.StatusBadRequest, "to"},
		{"/v1/blueprints/" + bp + "/comparison?from=current", http.StatusBadRequest, ""},
		{path(bp, uuid.NewString(), "current"), http.StatusNotFound, ""},
		{path(bp, v.ID, uuid.NewString()), http.StatusNotFound, ""},
		{path(bp, ov.ID, "current"), http.StatusUnprocessableEntity, "from"},
		{path(bp, v.ID, ov.ID), http.StatusUnprocessableEntity, "to"},
		{path(uuid.NewString(), "current", "current"), http.StatusNotFound, ""},
	} {
		p := apitest.Problem(t, w.do(t, http.MethodGet, c.path, w.admin, nil), c.status)
		if c.field != "" && !strings.Contains(bpvFields(p), c.field) {
			t.Errorf("%s: no error for %s: %v", c.path, c.field, p)
		}
	}
}

// bpvFields lists the fields a problem names.
func bpvFields(p map[string]any) string {
	var out []string
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m["field"].(string))
		}
	}
	return strings.Join(out, ",")
}
