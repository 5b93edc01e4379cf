package blueprint_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// impText is bptWorld with two blueprints: IMP-B1 of the ASN's deliverable, with chapters I
// (articles 1 and 2; an article X archived between them) and II (article 3), and IMP-B2 with no
// deliverable and one chapter, A (article A.1).
type impText struct {
	*bptWorld
	b1, b2                    string
	ch1, ch2, chA             string
	art1, art2, art3, archive string
	function                  string
}

func impSetup(t *testing.T) impText {
	t.Helper()
	w := impText{bptWorld: bptSetup(t)}
	w.function = bptFunction(t, w.bptWorld, "F-IMP-1")
	w.b1 = bptBlueprint(t, w.bptWorld, "IMP-B1")
	w.b2 = bptCreated(t, w.env, w.admin, "/v1/blueprints", map[string]any{"code": "IMP-B2",
		"title": map[string]any{"en": "Second, \"free\" blueprint"}})["id"].(string)
	w.ch1 = bptChapter(t, w.bptWorld, w.b1, "I", 0)
	w.ch2 = bptCreated(t, w.env, w.admin, "/v1/blueprint-chapters", map[string]any{"blueprint_id": w.b1, "number": "II",
		"heading": map[string]any{"es": "Segundo", "en": "Second"}})["id"].(string)
	w.chA = bptChapter(t, w.bptWorld, w.b2, "A", 0)
	w.art1 = bptCreated(t, w.env, w.admin, "/v1/blueprint-articles", map[string]any{"chapter_id": w.ch1, "number": "1",
		"heading": map[string]any{"en": "Scope"}, "text": map[string]any{"es": "Artículo uno;\n con \"comillas\"", "en": "One"},
		"function_ids": []string{w.function}, "unit_ids": []string{w.pim, w.asn}})["id"].(string)
	w.archive = bptArticle(t, w.bptWorld, w.ch1, "X", "Archivado", 0)
	w.art2 = bptArticle(t, w.bptWorld, w.ch1, "2", "Dos", 0)
	w.art3 = bptArticle(t, w.bptWorld, w.ch2, "3", "Tres", 0)
	bptArticle(t, w.bptWorld, w.chA, "A.1", "A uno", 0)
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-articles/" + w.archive, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive article: %d %s", res.Status, res.Body)
	}
	return w
}

func TestExportBlueprints(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	for query, want := range map[string][]string{
		"": {"IMP-B1", "IMP-B2"}, "order_by=-code": {"IMP-B2", "IMP-B1"}, "code=IMP-B2": {"IMP-B2"},
		"deliverable_id=" + w.deliverable: {"IMP-B1"},
	} {
		if got := apitest.Codes(t, w.env.Export(t, w.admin, "blueprints", query)); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", query, got, want)
		}
	}
	header, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "blueprints", "format=csv"))
	if !slices.Equal(header, []string{"archived_at", "code", "created_at", "deliverable_id", "demo", "id", "title.en", "title.es",
		"updated_at", "version"}) {
		t.Errorf("CSV header %v", header)
	}
	if len(rows) != 2 || rows[0]["deliverable_id"] != w.deliverable || rows[1]["title.en"] != `Second, "free" blueprint` ||
		rows[1]["deliverable_id"] != "" || rows[0]["demo"] != "false" {
		t.Errorf("CSV rows %v", rows)
	}
}

func TestImportBlueprints(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	w.env.RoundTrip(t, w.admin, "blueprints", "", "blueprints", 2)

	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprints", ""))
	rows[1]["title"] = map[string]any{"es": "Segundo"}
	fresh := map[string]any{"code": "IMP-B3", "title": map[string]any{"es": "Tercero"}, "deliverable_id": w.deliverable}
	w.env.Import(t, w.admin, "blueprints", "", apitest.NDJSONType, apitest.NDJSON(t, rows[0], rows[1], fresh)).WantCounts(t, "changed and new", 1, 1, 1, 0)
	if n := w.env.Count(t, "blueprints", "id = ? AND title_es = 'Segundo' AND title_en IS NULL AND version = 2", w.b2); n != 1 {
		t.Errorf("the changed blueprint is not stored")
	}

	// The deliverable must exist, be live and be a blueprint deliverable; atomic=all writes nothing.
	before := w.env.Fingerprint(t)["blueprints"]
	ghost := uuid.NewString()
	for i, c := range []struct{ deliverable, msg string }{
		{ghost, "no such deliverable"}, {w.otherDeliverableID, "is not a blueprint deliverable"},
	} {
		row := map[string]any{"code": "IMP-B9", "title": map[string]any{"es": "Malo"}, "deliverable_id": c.deliverable}
		job := w.env.Import(t, w.admin, "blueprints", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t, rows[0], row))
		job.WantCounts(t, c.msg, 0, 0, 1, 1)
		if line, field, msg := job.FirstError(t); line != 2 || field != "deliverable_id" || msg != c.msg {
			t.Errorf("case %d: line %v field %q message %q", i, line, field, msg)
		}
	}
	if w.env.Fingerprint(t)["blueprints"] != before {
		t.Errorf("atomic=all wrote something")
	}

	// Editors import blueprints of their units' deliverables only.
	fresh["code"] = "IMP-B4"
	nobody := map[string]any{"code": "IMP-B5", "title": map[string]any{"es": "De nadie"}}
	job := w.env.Import(t, w.pimEditor, "blueprints", "", apitest.NDJSONType, apitest.NDJSON(t, fresh, nobody))
	job.WantCounts(t, "editor below the owner", 0, 0, 0, 2)
	job = w.env.Import(t, w.editor, "blueprints", "", apitest.NDJSONType, apitest.NDJSON(t, fresh, nobody))
	job.WantCounts(t, "owner's editor", 1, 0, 0, 1)
	if line, _, _ := job.FirstError(t); line != 2 {
		t.Errorf("owner's editor: refused line %v, want 2", line)
	}
}

func TestExportBlueprintChapters(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	if got := apitest.Strings(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-chapters", "blueprint_id="+w.b1)), "number"); !slices.Equal(got, []string{"I", "II"}) {
		t.Errorf("chapters of B1: %v", got)
	}
	if got := apitest.Strings(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-chapters", "")), "id"); len(got) != 3 {
		t.Errorf("all chapters: %v", got)
	}
	_, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "blueprint-chapters", "format=csv&blueprint_id="+w.b1))
	if len(rows) != 2 || rows[1]["heading.en"] != "Second" || rows[1]["position"] != "2" || rows[1]["id"] != w.ch2 {
		t.Errorf("CSV rows %v", rows)
	}
}

func TestImportBlueprintChapters(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	w.env.RoundTrip(t, w.admin, "blueprint-chapters", "", "blueprint_chapters", 3)

	// A changed heading updates; the row's position and blueprint never move a chapter. New rows
	// go after the blueprint's chapters, in file order, whatever position they ask for.
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-chapters", "blueprint_id="+w.b1))
	rows[0]["heading"] = map[string]any{"en": "First"}
	rows[0]["position"] = 2
	rows[0]["blueprint_id"] = w.b2
	iv := map[string]any{"id": uuid.NewString(), "blueprint_id": w.b1, "number": " IV ", "heading": map[string]any{"es": "Cuarto"}, "position": 1}
	iii := map[string]any{"id": uuid.NewString(), "blueprint_id": w.b1, "number": "III", "heading": map[string]any{"es": "Tercero"}}
	b := map[string]any{"id": uuid.NewString(), "blueprint_id": w.b2, "number": "B", "heading": map[string]any{"es": "Be"}, "position": 1}
	before := w.env.Fingerprint(t)["blueprint_chapters"]
	body := apitest.NDJSON(t, iv, rows[0], b, iii, rows[1])
	job := w.env.Import(t, w.admin, "blueprint-chapters", "mode=validate", apitest.NDJSONType, body)
	job.WantCounts(t, "changed and new, validated", 3, 1, 1, 0)
	if w.env.Fingerprint(t)["blueprint_chapters"] != before {
		t.Errorf("mode=validate wrote something")
	}
	job = w.env.Import(t, w.admin, "blueprint-chapters", "", apitest.NDJSONType, body)
	job.WantCounts(t, "changed and new", 3, 1, 1, 0)
	if shape := bptShape(t, bptGetOutline(t, w.env, w.admin, w.b1)); shape != "I:1,2;II:3;IV:;III:" {
		t.Errorf("B1 after the import: %s", shape)
	}
	if shape := bptShape(t, bptGetOutline(t, w.env, w.admin, w.b2)); shape != "A:A.1;B:" {
		t.Errorf("B2 after the import: %s", shape)
	}
	if n := w.env.Count(t, "blueprint_chapters", "id = ? AND heading_en = 'First' AND heading_es IS NULL AND blueprint_id = ? AND position = 1 AND version = 2", w.ch1, w.b1); n != 1 {
		t.Errorf("the changed chapter is not stored in place")
	}

	// An unknown blueprint fails its row; with atomic=all nothing is written.
	before = w.env.Fingerprint(t)["blueprint_chapters"]
	ghost := map[string]any{"id": uuid.NewString(), "blueprint_id": uuid.NewString(), "number": "Z", "heading": map[string]any{"es": "Zeta"}}
	fine := map[string]any{"id": uuid.NewString(), "blueprint_id": w.b2, "number": "C", "heading": map[string]any{"es": "Ce"}}
	job = w.env.Import(t, w.admin, "blueprint-chapters", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t, fine, ghost))
	job.WantCounts(t, "unknown blueprint", 1, 0, 0, 1)
	if line, field, msg := job.FirstError(t); line != 2 || field != "blueprint_id" || msg != "no such blueprint" {
		t.Errorf("unknown blueprint: line %v field %q message %q", line, field, msg)
	}
	if w.env.Fingerprint(t)["blueprint_chapters"] != before {
		t.Errorf("atomic=all wrote something")
	}

	// An archived chapter a row revives goes last: its old place was closed.
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + w.ch2, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive chapter: %d %s", res.Status, res.Body)
	}
	w.env.Import(t, w.admin, "blueprint-chapters", "", apitest.NDJSONType, apitest.NDJSON(t, rows[1])).WantCounts(t, "revive", 0, 1, 0, 0)
	if shape := bptShape(t, bptGetOutline(t, w.env, w.admin, w.b1)); shape != "I:1,2;IV:;III:;II:" {
		t.Errorf("B1 after reviving II: %s", shape)
	}

	// An archived blueprint's chapters import back unchanged, but nothing changes there.
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprints/" + w.b2, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive blueprint: %d %s", res.Status, res.Body)
	}
	w.env.RoundTrip(t, w.admin, "blueprint-chapters", "blueprint_id="+w.b2, "blueprint_chapters", 2)
	fine["id"] = uuid.NewString()
	job = w.env.Import(t, w.admin, "blueprint-chapters", "", apitest.NDJSONType, apitest.NDJSON(t, fine))
	job.WantCounts(t, "archived blueprint", 0, 0, 0, 1)
	if _, field, msg := job.FirstError(t); field != "blueprint_id" || !strings.Contains(msg, "archived") {
		t.Errorf("archived blueprint: %q %q", field, msg)
	}

	// Editors write chapters of their units' blueprints only.
	mine := map[string]any{"id": uuid.NewString(), "blueprint_id": w.b1, "number": "V", "heading": map[string]any{"es": "Quinto"}}
	w.env.Import(t, w.outsider, "blueprint-chapters", "", apitest.NDJSONType, apitest.NDJSON(t, mine)).WantCounts(t, "outsider", 0, 0, 0, 1)
	w.env.Import(t, w.editor, "blueprint-chapters", "", apitest.NDJSONType, apitest.NDJSON(t, mine)).WantCounts(t, "owner's editor", 1, 0, 0, 0)
}

func TestExportBlueprintArticles(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	for query, want := range map[string][]string{
		"":                          {"1", "2", "3", "A.1"},
		"blueprint_id=" + w.b1:      {"1", "2", "3"},
		"chapter_id=" + w.ch1:       {"1", "2"},
		"function_id=" + w.function: {"1"},
		"unit_id=" + w.pim:          {"1"},
		"q=tres":                    {"3"},
		"include_archived=true&chapter_id=" + w.ch1: {"1", "X", "2"},
	} {
		got := apitest.Strings(t, apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-articles", query)), "number")
		if query == "" {
			slices.Sort(got) // blueprints in id order
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", query, got, want)
		}
	}
	_, rows := apitest.CSVRecords(t, w.env.Export(t, w.admin, "blueprint-articles", "format=csv&chapter_id="+w.ch1))
	if len(rows) != 2 || rows[0]["text.es"] != "Artículo uno;\n con \"comillas\"" || rows[0]["unit_ids"] != `["`+w.pim+`","`+w.asn+`"]` ||
		rows[0]["blueprint_id"] != w.b1 || rows[1]["heading.en"] != "" || rows[1]["position"] != "2" {
		t.Errorf("CSV rows %v", rows)
	}
}

func TestImportBlueprintArticles(t *testing.T) {
	t.Parallel()
	w := impSetup(t)
	w.env.RoundTrip(t, w.admin, "blueprint-articles", "", "blueprint_articles", 4)

	// A changed text updates in place; new articles go after their chapter's, in file order.
	rows := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-articles", "chapter_id="+w.ch1))
	rows[1]["text"] = map[string]any{"en": "Two"}
	rows[1]["chapter_id"] = w.ch2
	a4 := map[string]any{"id": uuid.NewString(), "chapter_id": w.ch1, "number": "4", "text": map[string]any{"es": "Cuatro"}, "position": 1}
	a5 := map[string]any{"id": uuid.NewString(), "chapter_id": w.ch2, "number": " 5 ", "text": map[string]any{"es": "Cinco"},
		"function_ids": []string{w.function}}
	a6 := map[string]any{"id": uuid.NewString(), "chapter_id": w.ch1, "number": "6", "text": map[string]any{"es": "Seis"}}
	job := w.env.Import(t, w.admin, "blueprint-articles", "", apitest.NDJSONType, apitest.NDJSON(t, a4, rows[1], a5, a6, rows[0]))
	job.WantCounts(t, "changed and new", 3, 1, 1, 0)
	if shape := bptShape(t, bptGetOutline(t, w.env, w.admin, w.b1)); shape != "I:1,2,4,6;II:3,5" {
		t.Errorf("B1 after the import: %s", shape)
	}
	if n := w.env.Count(t, "blueprint_articles", "id = ? AND text_en = 'Two' AND text_es IS NULL AND chapter_id = ? AND position = 2 AND version = ?",
		w.art2, w.ch1, int64(rows[1]["version"].(float64))+1); n != 1 {
		t.Errorf("the changed article is not stored in place")
	}
	if n := w.env.Count(t, "blueprint_articles", "id = ? AND blueprint_id = ? AND number = '5' AND cardinality(function_ids) = 1", a5["id"], w.b1); n != 1 {
		t.Errorf("the new article does not belong to its chapter's blueprint")
	}

	// Unknown chapters and functions fail their rows; atomic=all writes nothing.
	before := w.env.Fingerprint(t)["blueprint_articles"]
	ghost := uuid.NewString()
	for i, c := range []struct {
		row        map[string]any
		field, msg string
	}{
		{map[string]any{"chapter_id": ghost}, "chapter_id", "no such chapter"},
		{map[string]any{"chapter_id": w.ch2, "function_ids": []string{ghost}}, "function_ids", "no such function: " + ghost},
		{map[string]any{"chapter_id": w.ch2, "unit_ids": []string{ghost}}, "unit_ids", "no such unit: " + ghost},
	} {
		row := map[string]any{"id": uuid.NewString(), "number": "9", "text": map[string]any{"es": "Nueve"}}
		for k, v := range c.row {
			row[k] = v
		}
		job := w.env.Import(t, w.admin, "blueprint-articles", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t, a6, row))
		job.WantCounts(t, c.msg, 0, 0, 1, 1)
		if line, field, msg := job.FirstError(t); line != 2 || field != c.field || msg != c.msg {
			t.Errorf("case %d: line %v field %q message %q", i, line, field, msg)
		}
	}
	if w.env.Fingerprint(t)["blueprint_articles"] != before {
		t.Errorf("atomic=all wrote something")
	}

	// The archived article X, revived, goes last in its chapter.
	x := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-articles", "include_archived=true&chapter_id="+w.ch1))[1]
	if x["number"] != "X" {
		t.Fatalf("archived article: %v", x)
	}
	w.env.Import(t, w.admin, "blueprint-articles", "", apitest.NDJSONType, apitest.NDJSON(t, x)).WantCounts(t, "revive", 0, 1, 0, 0)
	if shape := bptShape(t, bptGetOutline(t, w.env, w.admin, w.b1)); shape != "I:1,2,4,6,X;II:3,5" {
		t.Errorf("B1 after reviving X: %s", shape)
	}

	// An archived chapter takes no new article; its archived articles stay archived.
	three := apitest.NDJSONRecords(t, w.env.Export(t, w.admin, "blueprint-articles", "chapter_id="+w.ch2))[0]
	if res := w.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/blueprint-chapters/" + w.ch2, Token: w.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("archive chapter: %d %s", res.Status, res.Body)
	}
	a7 := map[string]any{"id": uuid.NewString(), "chapter_id": w.ch2, "number": "7", "text": map[string]any{"es": "Siete"}}
	job = w.env.Import(t, w.admin, "blueprint-articles", "", apitest.NDJSONType, apitest.NDJSON(t, a7, three))
	job.WantCounts(t, "archived chapter", 0, 0, 0, 2)
	if _, field, msg := job.FirstError(t); field != "chapter_id" || msg != "is archived" {
		t.Errorf("archived chapter: %q %q", field, msg)
	}

	// Editors write articles of their units' blueprints only.
	a8 := map[string]any{"id": uuid.NewString(), "chapter_id": w.ch1, "number": "8", "text": map[string]any{"es": "Ocho"}}
	w.env.Import(t, w.outsider, "blueprint-articles", "", apitest.NDJSONType, apitest.NDJSON(t, a8)).WantCounts(t, "outsider", 0, 0, 0, 1)
	w.env.Import(t, w.editor, "blueprint-articles", "", apitest.NDJSONType, apitest.NDJSON(t, a8)).WantCounts(t, "owner's editor", 1, 0, 0, 0)
}
