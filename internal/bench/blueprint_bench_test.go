package bench

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// The blueprint's export and comparison on a document the size of a ministry's rules of
// organisation: 15 chapters, 300 articles, each with a heading and one to four numbered
// paragraphs in Spanish and in English (about 130 words a language on average, half a megabyte
// of text in all). It is generated with a fixed seed and loaded with COPY, frozen as version 1 through
// the API, then about a tenth of its articles are changed with SQL (18 texts edited, 4 articles
// moved to another chapter, 4 added, 4 archived) and it is frozen again as version 2.
//
// Scenarios, from a single client: version 2 exported as Markdown, HTML and DOCX with both
// languages, the current draft as DOCX (read from the tables rather than from the frozen JSON),
// and the comparison of version 1 with version 2 (word diffs of 18 articles in two languages).
// Every answer is checked before anything is timed.
const (
	blueprintChapters   = 15
	blueprintArticles   = 300
	blueprintChanged    = 18
	blueprintMovedCount = 4
	blueprintAdded      = 4
	blueprintRemoved    = 4
	blueprintWarmup     = 3
	blueprintMeasured   = 40
	blueprintTimeLimit  = 30 * time.Second // per scenario
	// blueprintTarget is the p95 an export or a comparison must stay under: a person waits for it.
	blueprintTarget = time.Second
)

// blueprintPhrases are parallel Spanish and English pieces of the generated articles' sentences.
var blueprintPhrases = struct {
	subjects, verbs, objects, tails [][2]string
}{
	subjects: [][2]string{
		{"La Dirección de Vinculación con la Diáspora", "The Directorate of Diaspora Engagement"},
		{"Cada oficina consular", "Each consular office"},
		{"La Subdirección de Servicios Consulares", "The Sub-directorate of Consular Services"},
		{"El Consejo de Consulta", "The Consultation Council"},
		{"La Oficina de Planeamiento", "The Planning Office"},
		{"El responsable del registro consular", "The officer in charge of the consular register"},
		{"La sección consular de la embajada", "The consular section of the embassy"},
	},
	verbs: [][2]string{
		{"coordina", "coordinates"}, {"elabora", "prepares"}, {"supervisa", "supervises"}, {"aprueba", "approves"},
		{"publica", "publishes"}, {"actualiza", "updates"}, {"propone", "proposes"}, {"evalúa", "evaluates"},
	},
	objects: [][2]string{
		{"el plan anual de vinculación con las comunidades peruanas en el exterior",
			"the annual plan for engagement with Peruvian communities abroad"},
		{"los lineamientos para la atención de connacionales en situación de vulnerabilidad",
			"the guidelines for assisting nationals in vulnerable situations"},
		{"el mapeo de las organizaciones de peruanos residentes en cada circunscripción",
			"the mapping of organisations of Peruvians resident in each district"},
		{"el informe trimestral sobre la demanda de servicios consulares",
			"the quarterly report on the demand for consular services"},
		{"los mecanismos de consulta con la diáspora y sus resultados",
			"the mechanisms for consulting the diaspora and their results"},
		{"las estadísticas de peruanos inscritos en el registro consular",
			"the statistics of Peruvians registered with the consulates"},
	},
	tails: [][2]string{
		{", en coordinación con los órganos competentes del Ministerio", ", in coordination with the competent bodies of the Ministry"},
		{", dentro de los treinta días hábiles siguientes al cierre de cada período", ", within thirty working days of the end of each period"},
		{", conforme a los principios de transparencia y protección de datos personales",
			", in accordance with the principles of transparency and personal data protection"},
		{", con la participación de las organizaciones de la sociedad civil", ", with the participation of civil society organisations"},
		{"", ""},
	},
}

// blueprintData is what blueprintLoad generated.
type blueprintData struct {
	id, v1, v2 string
	textBytes  int
	load       time.Duration
}

func BenchmarkBlueprint(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	puente, token := startPuente(ctx, b, db)
	data := blueprintLoad(ctx, b, db, puente.URL, token)
	setup := time.Since(start)

	exportPath := func(format, version string) string {
		q := url.Values{"format": {format}, "lang": {"both"}}
		if version != "" {
			q.Set("version_id", version)
		}
		return "/v1/blueprints/" + data.id + "/export?" + q.Encode()
	}
	comparePath := "/v1/blueprints/" + data.id + "/comparison?" + url.Values{"from": {data.v1}, "to": {data.v2}}.Encode()
	blueprintCheck(b, puente.URL, token, data, exportPath, comparePath)

	scenarios := []scenario{
		{name: "export-markdown", path: func(int) string { return exportPath("markdown", data.v2) }},
		{name: "export-html", path: func(int) string { return exportPath("html", data.v2) }},
		{name: "export-docx", path: func(int) string { return exportPath("docx", data.v2) }},
		{name: "export-docx-draft", path: func(int) string { return exportPath("docx", "") }},
		{name: "compare-v1-v2", path: func(int) string { return comparePath }},
	}
	targeted := map[string]bool{}
	for _, sc := range scenarios {
		targeted[sc.name] = true
	}
	results := singleClient(b, puente.URL, token, scenarios, blueprintWarmup, blueprintMeasured, blueprintTimeLimit)

	fmt.Printf("\nBlueprint export and comparison — %d articles in %d chapters, %.2f MB of text (es+en); generated and "+
		"loaded in %.1fs (setup %.1fs); v2 differs from v1 in %d articles (%d edited, %d moved, %d added, %d removed); "+
		"exports with lang=both; one client, %d requests after %d warm-up; GOMAXPROCS %d\n",
		blueprintArticles, blueprintChapters, float64(data.textBytes)/1e6, data.load.Seconds(), setup.Seconds(),
		blueprintChanged+blueprintMovedCount+blueprintAdded+blueprintRemoved, blueprintChanged, blueprintMovedCount,
		blueprintAdded, blueprintRemoved, blueprintMeasured, blueprintWarmup, runtime.GOMAXPROCS(0))
	printLatencies(scenarios, results, blueprintTarget, targeted)
	fmt.Println()
}

// blueprintSentence is one generated sentence in both languages.
func blueprintSentence(rng *rand.Rand) (es, en string) {
	p := blueprintPhrases
	s, v, o, tail := p.subjects[rng.IntN(len(p.subjects))], p.verbs[rng.IntN(len(p.verbs))],
		p.objects[rng.IntN(len(p.objects))], p.tails[rng.IntN(len(p.tails))]
	return s[0] + " " + v[0] + " " + o[0] + tail[0] + ".", s[1] + " " + v[1] + " " + o[1] + tail[1] + "."
}

// blueprintText is an article's text: one to four numbered paragraphs of one to three
// sentences, in Spanish and English.
func blueprintText(rng *rand.Rand) (es, en string) {
	paragraphs := 1 + rng.IntN(4)
	var bes, ben strings.Builder
	for p := range paragraphs {
		if p > 0 {
			bes.WriteString("\n")
			ben.WriteString("\n")
		}
		if paragraphs > 1 {
			fmt.Fprintf(&bes, "%d. ", p+1)
			fmt.Fprintf(&ben, "%d. ", p+1)
		}
		for s := range 1 + rng.IntN(3) {
			if s > 0 {
				bes.WriteString(" ")
				ben.WriteString(" ")
			}
			e, n := blueprintSentence(rng)
			bes.WriteString(e)
			ben.WriteString(n)
		}
	}
	return bes.String(), ben.String()
}

// blueprintLoad generates the blueprint, loads it with COPY, freezes it, changes a tenth of it
// and freezes it again.
func blueprintLoad(ctx context.Context, b *testing.B, db *database.DB, base, token string) blueprintData {
	b.Helper()
	started := time.Now()
	rng := rand.New(rand.NewPCG(6, 29))
	data := blueprintData{id: uuid.Must(uuid.NewV7()).String()}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO blueprints (id, code, title_es, title_en) VALUES ($1, 'BENCH-ROF', $2, $3)`, data.id,
		"Reglamento de organización y funciones de la ASN", "Rules of organisation and functions of the ASN"); err != nil {
		b.Fatal(err)
	}
	chapters := make([]string, blueprintChapters)
	var chapterRows, articleRows [][]any
	for c := range chapters {
		chapters[c] = uuid.Must(uuid.NewV7()).String()
		chapterRows = append(chapterRows, []any{chapters[c], data.id, blueprintRoman(c + 1), fmt.Sprintf("Capítulo temático %d", c+1),
			fmt.Sprintf("Thematic chapter %d", c+1), c + 1})
	}
	for a := range blueprintArticles {
		c := a * blueprintChapters / blueprintArticles
		es, en := blueprintText(rng)
		data.textBytes += len(es) + len(en)
		articleRows = append(articleRows, []any{uuid.Must(uuid.NewV7()).String(), data.id, chapters[c], fmt.Sprint(a + 1),
			fmt.Sprintf("Funciones del órgano %d", a+1), fmt.Sprintf("Functions of body %d", a+1), es, en,
			a - c*blueprintArticles/blueprintChapters + 1})
	}
	for _, cp := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"blueprint_chapters", []string{"id", "blueprint_id", "number", "heading_es", "heading_en", "position"}, chapterRows},
		{"blueprint_articles", []string{"id", "blueprint_id", "chapter_id", "number", "heading_es", "heading_en", "text_es", "text_en", "position"}, articleRows},
	} {
		if _, err := db.Pool.CopyFrom(ctx, pgx.Identifier{cp.table}, cp.cols, pgx.CopyFromRows(cp.rows)); err != nil {
			b.Fatalf("copy %s: %v", cp.table, err)
		}
	}
	data.v1 = blueprintFreeze(b, base, token, data.id, "v1")

	// A tenth of the articles change: distinct articles edited, moved, archived; a few added.
	order := rng.Perm(blueprintArticles)
	take := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = articleRows[order[0]][0]
			order = order[1:]
		}
		return out
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback(ctx)
	exec := func(sql string, args ...any) {
		b.Helper()
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`UPDATE blueprint_articles SET text_es = replace(text_es, 'treinta', 'cuarenta') || ' Se informa al Consejo.',
		text_en = replace(text_en, 'thirty', 'forty') || ' The Council is informed.', version = version + 1
		WHERE id = ANY($1::uuid[])`, take(blueprintChanged))
	exec(`UPDATE blueprint_articles SET chapter_id = CASE WHEN chapter_id = $2 THEN $3 ELSE $2 END::uuid,
		position = 1000 + position WHERE id = ANY($1::uuid[])`, take(blueprintMovedCount), chapters[blueprintChapters-1], chapters[0])
	exec(`UPDATE blueprint_articles SET archived_at = now() WHERE id = ANY($1::uuid[])`, take(blueprintRemoved))
	for i := range blueprintAdded {
		es, en := blueprintText(rng)
		exec(`INSERT INTO blueprint_articles (id, blueprint_id, chapter_id, number, text_es, text_en, position)
			VALUES ($1, $2, $3, $4, $5, $6, 2000)`, uuid.Must(uuid.NewV7()).String(), data.id, chapters[i*3], fmt.Sprintf("%d-A", i+1), es, en)
	}
	// Positions dense again, as the API keeps them.
	exec(`UPDATE blueprint_articles a SET position = r.n FROM (
		SELECT id, row_number() OVER (PARTITION BY chapter_id ORDER BY position, id) AS n
		FROM blueprint_articles WHERE blueprint_id = $1 AND archived_at IS NULL) r WHERE a.id = r.id`, data.id)
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	data.v2 = blueprintFreeze(b, base, token, data.id, "v2")
	if _, err := db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	data.load = time.Since(started)
	return data
}

func blueprintRoman(n int) string {
	var out strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			out.WriteString(r.s)
		}
	}
	return out.String()
}

// blueprintFreeze freezes the current text of blueprint id through the API and returns the
// version's id.
func blueprintFreeze(b *testing.B, base, token, id, name string) string {
	b.Helper()
	body, _ := json.Marshal(map[string]string{"name": name})
	req, err := http.NewRequest(http.MethodPost, base+"/v1/blueprints/"+id+"/versions", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var v struct {
		ID       string `json:"id"`
		Articles int    `json:"articles"`
	}
	if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &v) != nil {
		b.Fatalf("freeze %s: %d %.300s", name, res.StatusCode, raw)
	}
	return v.ID
}

// blueprintGet GETs path and returns its body, failing b unless it is a 200 of media type want.
func blueprintGet(b *testing.B, base, token, path, want string) []byte {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
		b.Fatalf("GET %s: %d %s %.300s", path, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	return body
}

// blueprintCheck makes sure every scenario answers what it should: every article of version 2
// in each export, the changes made in the comparison.
func blueprintCheck(b *testing.B, base, token string, data blueprintData, exportPath func(format, version string) string, comparePath string) {
	b.Helper()
	want := blueprintArticles - blueprintRemoved + blueprintAdded
	md := string(blueprintGet(b, base, token, exportPath("markdown", data.v2), "text/markdown"))
	if n := strings.Count(md, "\n### Artículo "); n != want {
		b.Fatalf("markdown has %d Spanish articles, want %d", n, want)
	}
	page := string(blueprintGet(b, base, token, exportPath("html", data.v2), "text/html"))
	if n := strings.Count(page, `<div class="block" lang="en">`); n != want {
		b.Fatalf("html has %d English blocks, want %d", n, want)
	}
	for _, version := range []string{data.v2, ""} {
		doc := blueprintGet(b, base, token, exportPath("docx", version), "application/vnd.openxmlformats")
		zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
		if err != nil {
			b.Fatalf("docx: %v", err)
		}
		f, err := zr.Open("word/document.xml")
		if err != nil {
			b.Fatalf("docx: %v", err)
		}
		xml, _ := io.ReadAll(f)
		f.Close()
		if n := strings.Count(string(xml), ">Article "); n != want {
			b.Fatalf("docx has %d English article headings, want %d", n, want)
		}
	}
	var c struct {
		Summary struct{ Added, Removed, Moved, Changed, Unchanged int } `json:"summary"`
	}
	getJSON(b, base+comparePath, token, &c)
	s := c.Summary
	if s.Added != blueprintAdded || s.Removed != blueprintRemoved || s.Moved != blueprintMovedCount || s.Changed != blueprintChanged ||
		s.Unchanged != blueprintArticles-blueprintRemoved-blueprintMovedCount-blueprintChanged {
		b.Fatalf("comparison summary %+v", s)
	}
}
