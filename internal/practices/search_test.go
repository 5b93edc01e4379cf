package practices_test

import (
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// prcSeed creates and publishes practices: code → fields merged into a minimal body.
func prcSeed(t *testing.T, env *apitest.Env, token string, practices map[string]map[string]any) map[string]string {
	t.Helper()
	ids := map[string]string{}
	codes := make([]string, 0, len(practices))
	for code := range practices {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		b := prcBody(code)
		for k, v := range practices[code] {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		ids[code] = prcCreate(t, env, token, b).ID
		prcPublish(t, env, token, ids[code])
	}
	return ids
}

func es(s string) map[string]any { return map[string]any{"es": s} }
func en(s string) map[string]any { return map[string]any{"en": s} }

func TestPracticeSearch(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	prcSeed(t, env, admin, map[string]map[string]any{
		"P-TITLE":   {"title": map[string]any{"es": "Protección de los connacionales en el exterior", "en": "Protection of nationals abroad"}},
		"P-SUMMARY": {"title": es("Red consular"), "summary": es("Programa de protección consular para peruanos")},
		"P-DESC":    {"title": es("Registro de retornantes"), "description": es("Incluye protección social y salud.")},
		"P-PLAIN":   {"title": es("Ventanilla única"), "description": es("Proteccion sin tilde, escrita de prisa.")},
		"P-LESSON":  {"title": en("Return desk"), "lessons_learned": en("Protection must come first for returnees.")},
		"P-MARKUP": {"title": es(`<b>Protección</b> & "derechos" <script>alert('x')</script>`),
			"description": es("Texto con <i>marcas</i> & protección <img src=x onerror=alert(1)>.")},
		"P-OTHER": {"title": es("Billetera móvil"), "summary": en("A mobile wallet for remittances.")},
	})
	search := func(q string, extra ...string) prcPage {
		t.Helper()
		return prcList(t, env, admin, prcQuery(append([]string{"q", q, "page_size", "500"}, extra...)...))
	}
	codes := func(p prcPage) []string {
		out := []string{}
		for _, it := range p.Items {
			out = append(out, it.Code)
		}
		return out
	}
	sorted := func(p prcPage) []string {
		out := codes(p)
		slices.Sort(out)
		return out
	}

	// Accents and case are ignored both ways; Spanish and English are both searched.
	spanish := []string{"P-DESC", "P-MARKUP", "P-PLAIN", "P-SUMMARY", "P-TITLE"}
	for _, q := range []string{"proteccion", "protección", "PROTECCIÓN", "Proteccion"} {
		if got := sorted(search(q)); !slices.Equal(got, spanish) {
			t.Errorf("q=%s: %v, want %v", q, got, spanish)
		}
	}
	if got := sorted(search("protection")); !slices.Equal(got, []string{"P-LESSON", "P-TITLE"}) {
		t.Errorf("q=protection: %v", got)
	}
	// Words match as prefixes; every word must match.
	if got := sorted(search("protec")); !slices.Equal(got, []string{"P-DESC", "P-LESSON", "P-MARKUP", "P-PLAIN", "P-SUMMARY", "P-TITLE"}) {
		t.Errorf("q=protec: %v", got)
	}
	if got := codes(search("proteccion consular")); !slices.Equal(got, []string{"P-SUMMARY"}) {
		t.Errorf("q=proteccion consular: %v", got)
	}
	if got := codes(search("billetera movil")); !slices.Equal(got, []string{"P-OTHER"}) {
		t.Errorf("q=billetera movil: %v", got)
	}
	if got := codes(search("zzzz")); len(got) != 0 {
		t.Errorf("q=zzzz: %v", got)
	}

	// Ranked: a title hit before a summary hit before a description hit; ranks never rise.
	page := search("proteccion")
	rank := map[string]float64{}
	for i, it := range page.Items {
		if it.Rank == nil || it.Highlights == nil {
			t.Fatalf("%s: no rank or highlights on a search result", it.Code)
		}
		rank[it.Code] = *it.Rank
		if i > 0 && *it.Rank > *page.Items[i-1].Rank {
			t.Errorf("rank rises at %d: %v", i, codes(page))
		}
	}
	if !(rank["P-TITLE"] > rank["P-SUMMARY"] && rank["P-SUMMARY"] > rank["P-DESC"] && rank["P-MARKUP"] > rank["P-SUMMARY"]) {
		t.Errorf("ranks %v", rank)
	}
	// Another order keeps rank and highlights but sorts as asked.
	byCode := search("proteccion", "order_by", "code")
	if got := codes(byCode); !slices.Equal(got, spanish) || byCode.Items[0].Rank == nil {
		t.Errorf("order_by=code: %v", got)
	}

	// Highlights: the matching field in the language it matched, matches marked, the rest escaped.
	hl := map[string]prcHighlights{}
	for _, it := range page.Items {
		hl[it.Code] = *it.Highlights
	}
	if h := hl["P-TITLE"]; prcDeref(h.Title) != "<mark>Protección</mark> de los connacionales en el exterior" ||
		h.Summary != nil || h.Description != nil || h.LessonsLearned != nil {
		t.Errorf("P-TITLE highlights: %+v", h)
	}
	if h := hl["P-SUMMARY"]; h.Title != nil || prcDeref(h.Summary) != "Programa de <mark>protección</mark> consular para peruanos" {
		t.Errorf("P-SUMMARY highlights: title %s summary %s", prcDeref(h.Title), prcDeref(h.Summary))
	}
	if h := hl["P-PLAIN"]; !strings.Contains(prcDeref(h.Description), "<mark>Proteccion</mark> sin tilde") {
		t.Errorf("P-PLAIN highlights: %s", prcDeref(h.Description))
	}
	wantTitle := "&lt;b&gt;<mark>Protección</mark>&lt;/b&gt; &amp; &#34;derechos&#34; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	if h := hl["P-MARKUP"]; prcDeref(h.Title) != wantTitle {
		t.Errorf("P-MARKUP title highlight:\n got %s\nwant %s", prcDeref(h.Title), wantTitle)
	}
	desc := prcDeref(hl["P-MARKUP"].Description)
	if strings.Count(desc, "<") != strings.Count(desc, "<mark>")+strings.Count(desc, "</mark>") ||
		!strings.Contains(desc, "&lt;i&gt;marcas&lt;/i&gt;") || !strings.Contains(desc, "<mark>protección</mark>") ||
		!strings.Contains(desc, "&lt;img src=x") {
		t.Errorf("P-MARKUP description highlight: %s", desc)
	}
	// Unmarked, every highlight is the escaped text (or an excerpt of it).
	for code, h := range hl {
		for _, s := range []*string{h.Title, h.Summary, h.Description, h.LessonsLearned} {
			if s == nil {
				continue
			}
			plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(*s))
			if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(*s), "<") || !strings.Contains(prcAllText(t, env, admin, code), strings.Trim(plain, " …")) {
				t.Errorf("%s: highlight %q is not the escaped text", code, *s)
			}
		}
	}
	if h := search("protection").Items; len(h) == 2 {
		for _, it := range h {
			if it.Code == "P-LESSON" && !strings.HasPrefix(prcDeref(it.Highlights.LessonsLearned), "<mark>Protection</mark> must come first for returnees") {
				t.Errorf("English lesson highlight: %s", prcDeref(it.Highlights.LessonsLearned))
			}
			if it.Code == "P-TITLE" && prcDeref(it.Highlights.Title) != "<mark>Protection</mark> of nationals abroad" {
				t.Errorf("English title highlight: %s", prcDeref(it.Highlights.Title))
			}
		}
	}

	// Without q: no rank, no highlights; relevance falls back to code order.
	plain := prcList(t, env, admin, prcQuery("order_by", "relevance"))
	if len(plain.Items) != 7 || plain.Items[0].Rank != nil || plain.Items[0].Highlights != nil || plain.Items[0].Code != "P-DESC" {
		t.Errorf("list without q: %v", codes(plain))
	}
	// q that is only punctuation searches nothing and lists everything.
	if got := codes(search("¿?")); len(got) != 7 {
		t.Errorf("q=¿?: %v", got)
	}
}

// prcAllText is every text of practice code, for checking highlights against.
func prcAllText(t *testing.T, env *apitest.Env, token, code string) string {
	t.Helper()
	page := prcList(t, env, token, prcQuery("code", code))
	if len(page.Items) != 1 {
		t.Fatalf("no practice %s", code)
	}
	p := page.Items[0]
	var b strings.Builder
	for _, tx := range []*prcText{&p.Title, p.Summary, p.Description, p.LessonsLearned} {
		if tx != nil {
			fmt.Fprintf(&b, "%s\n%s\n", prcDeref(tx.Es), prcDeref(tx.En))
		}
	}
	return b.String()
}

func TestPracticeRelevancePaging(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	practices := map[string]map[string]any{}
	// Titles, summaries, descriptions and lessons mention migración 0–3 times: many ties.
	for i := range 23 {
		p := map[string]any{"title": es(fmt.Sprintf("Práctica %02d", i))}
		switch i % 4 {
		case 0:
			p["title"] = es(fmt.Sprintf("Gestión de la migración %02d", i))
		case 1:
			p["summary"] = es(strings.Repeat("migración laboral ", 1+i%3))
		case 2:
			p["description"] = es("Sobre la Migración y el retorno.")
		case 3:
			p["lessons_learned"] = es("Migración, migración: lecciones aprendidas.")
		}
		practices[fmt.Sprintf("P-%02d", i)] = p
	}
	practices["P-NONE"] = map[string]any{"title": es("Billetera móvil")}
	prcSeed(t, env, admin, practices)

	all := prcCodes(t, env, admin, prcQuery("q", "migracion"))
	if len(all) != 23 {
		t.Fatalf("q=migracion finds %d: %v", len(all), all)
	}
	for _, size := range []string{"1", "4", "7"} {
		pages := prcPages(t, env, admin, prcQuery("q", "migracion", "page_size", size))
		got := slices.Concat(pages...)
		if !slices.Equal(got, all) {
			t.Errorf("page_size %s: pages %v, one page %v", size, pages, all)
		}
	}
	// Ranks along the walk never rise, and ties are broken the same way every time.
	var last *float64
	q := prcQuery("q", "migracion", "page_size", "3")
	for range 10 {
		page := prcList(t, env, admin, q)
		for _, it := range page.Items {
			if last != nil && *it.Rank > *last {
				t.Errorf("rank rises at %s", it.Code)
			}
			last = it.Rank
		}
		if page.Next == "" {
			break
		}
		q.Set("page_token", page.Next)
	}
	// A relevance token belongs to its search and its order.
	first := prcList(t, env, admin, prcQuery("q", "migracion", "page_size", "2"))
	for _, other := range []string{"q=retorno&page_token=", "q=migracion&order_by=code&page_token=", "page_token="} {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices?" + other + first.Next, Token: admin})
		apitest.Problem(t, res, http.StatusBadRequest)
	}
	// Updating a practice while paging neither repeats nor skips the others.
	q = prcQuery("q", "migracion", "page_size", "5")
	p1 := prcList(t, env, admin, q)
	prcCreate(t, env, admin, map[string]any{"code": "P-NEW", "title": es("Migración migración migración"), "scope": "global", "type": "data_system"})
	q.Set("page_token", p1.Next)
	rest := prcPages(t, env, admin, q)
	seen := []string{}
	for _, it := range p1.Items {
		seen = append(seen, it.Code)
	}
	if got := append(seen, slices.Concat(rest...)...); !slices.Equal(got, all) {
		t.Errorf("walk with an insert: %v", got)
	}
}
