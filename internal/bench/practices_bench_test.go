package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// The practice library's search on 50,000 generated practices, measured from a single client:
// a full-text search with three facets must answer in under 100 ms at p95 (issue 5).
//
// The library is generated deterministically in the shape of a real one: every practice is
// published, national (one of 25 countries, Peru's peers weighted up) or regional/global, of one
// of the ten types, with 1–4 themes, 1–3 Global Compact objectives, MiGOF dimensions and SDG
// targets, and bilingual text — a title, a summary, a description of five to eight sentences
// and two lessons in Spanish and English, written from phrase banks about a main and a secondary
// topic out of twenty, accents and all. Two topics speak of protection (consular and social), so
// "proteccion" matches about a fifth of the library: thousands of rows to rank and count. It is
// loaded with COPY into the migrated schema (the generated search column computed on the way in,
// every index in place), then analysed and vacuumed.
//
// Scenarios: the search with three facets (the target), the same search without facets, a
// two-word search, the third page of the search (keyset on rank and id), and a list filtered by
// country and type. Every answer is checked against SQL before anything is timed.
const (
	practiceCount     = 50_000
	practicePageSize  = 50
	practiceWarmup    = 40
	practiceMeasured  = 200
	practiceTimeLimit = 30 * time.Second // per scenario
	practiceTarget    = 100 * time.Millisecond
	practiceQ         = "proteccion"
	practiceQ2        = "proteccion social"
	practiceFacets    = "country,type,gcm_objective"
	practiceCountry   = "CL"
	practiceType      = "consultation_mechanism"
)

// practiceTopics are what a practice is about, in Spanish and English; the first two speak of
// protection.
var practiceTopics = [][2]string{
	{"protección consular", "consular protection"}, {"protección social", "social protection"},
	{"vinculación con la diáspora", "diaspora engagement"}, {"remesas y ahorro", "remittances and savings"},
	{"retorno y reinserción", "return and reintegration"}, {"inclusión financiera", "financial inclusion"},
	{"participación política", "political participation"}, {"promoción cultural", "cultural promotion"},
	{"registro consular", "consular registration"}, {"asistencia humanitaria", "humanitarian assistance"},
	{"empleo y formación", "employment and training"}, {"educación de los hijos", "children's education"},
	{"salud de los migrantes", "migrants' health"}, {"lucha contra la trata", "the fight against trafficking"},
	{"información estadística", "statistical information"}, {"coordinación intersectorial", "intersectoral coordination"},
	{"derechos laborales", "labour rights"}, {"mapeo de la diáspora", "diaspora mapping"},
	{"inversión productiva", "productive investment"}, {"documentación y pasaportes", "documents and passports"},
}

var practiceKinds = [][2]string{
	{"Programa", "Programme"}, {"Ventanilla única", "One-stop desk"}, {"Red", "Network"}, {"Plan nacional", "National plan"},
	{"Consejo consultivo", "Advisory council"}, {"Registro", "Register"}, {"Fondo", "Fund"}, {"Estrategia", "Strategy"},
	{"Mesa de trabajo", "Working table"}, {"Portal", "Portal"},
}

var practicePopulations = [][2]string{
	{"los connacionales en el exterior", "nationals abroad"}, {"las familias migrantes", "migrant families"},
	{"los retornantes", "returnees"}, {"los estudiantes", "students"}, {"los emprendedores de la diáspora", "diaspora entrepreneurs"},
	{"las asociaciones de migrantes", "migrant associations"}, {"las mujeres migrantes", "migrant women"},
	{"los trabajadores temporales", "temporary workers"},
}

// practiceCountries with their names and weights: Peru's neighbours and destinations first.
var practiceCountries = []struct {
	code, es, en string
	weight       int
}{
	{"CL", "Chile", "Chile", 8}, {"CO", "Colombia", "Colombia", 8}, {"EC", "Ecuador", "Ecuador", 7}, {"MX", "México", "Mexico", 8},
	{"AR", "Argentina", "Argentina", 6}, {"BR", "Brasil", "Brazil", 5}, {"ES", "España", "Spain", 6}, {"IT", "Italia", "Italy", 5},
	{"PH", "Filipinas", "the Philippines", 6}, {"MA", "Marruecos", "Morocco", 4}, {"IE", "Irlanda", "Ireland", 4},
	{"PT", "Portugal", "Portugal", 3}, {"SV", "El Salvador", "El Salvador", 4}, {"GT", "Guatemala", "Guatemala", 3},
	{"UY", "Uruguay", "Uruguay", 3}, {"PE", "Perú", "Peru", 6}, {"IN", "India", "India", 4}, {"KE", "Kenia", "Kenya", 2},
	{"SN", "Senegal", "Senegal", 2}, {"MD", "Moldavia", "Moldova", 3}, {"GE", "Georgia", "Georgia", 2},
	{"AM", "Armenia", "Armenia", 2}, {"JM", "Jamaica", "Jamaica", 2}, {"NG", "Nigeria", "Nigeria", 2}, {"PL", "Polonia", "Poland", 2},
}

var practiceTypes = []string{"institutional_framework", "consultation_mechanism", "diaspora_mapping", "service_offer",
	"engagement_programme", "legal_framework", "data_system", "remittance_investment_channel", "return_reintegration",
	"cultural_promotion"}

var practiceThemes = []string{"protection", "consular-services", "remittances", "financial-inclusion", "returnees",
	"political-participation", "culture", "education", "health", "employment", "trafficking", "statistics", "coordination",
	"governance", "diaspora-engagement", "investment", "documents", "women", "youth", "students"}

var practiceMigof = []string{"migrant_rights", "whole_of_government", "partnerships", "wellbeing_of_migrants",
	"mobility_dimensions_of_crises", "safe_orderly_dignified_migration"}

var practiceSDGs = []string{"10.7", "10.c", "8.8", "17.18", "16.9", "5.2", "4.b", "3.8", "1.3", "16.7"}

// practiceSentences are description sentences: %[1]s a topic, %[2]s a population, %[3]s a
// country, %[4]d and %[5]d numbers.
var practiceSentences = [][2]string{
	{"La iniciativa articula a ministerios, gobiernos locales y organizaciones de la diáspora en torno a la %[1]s.",
		"The initiative brings ministries, local governments and diaspora organisations together around %[1]s."},
	{"Durante su primera fase atendió a %[4]d personas y abrió oficinas en %[5]d ciudades de %[3]s.",
		"In its first phase it served %[4]d people and opened offices in %[5]d cities of %[3]s."},
	{"El marco normativo se aprobó por decreto y se actualizó tras una evaluación independiente sobre %[1]s.",
		"Its legal framework was approved by decree and updated after an independent evaluation of %[1]s."},
	{"Los consulados reciben capacitación periódica sobre %[1]s y derivan los casos complejos a la sede central.",
		"Consulates receive regular training on %[1]s and refer complex cases to headquarters."},
	{"Se firmaron convenios con bancos, universidades y cámaras de comercio para ampliar la oferta dirigida a %[2]s.",
		"Agreements with banks, universities and chambers of commerce widened what is offered to %[2]s."},
	{"Un comité mixto de seguimiento revisa cada año los indicadores de %[1]s y publica un informe.",
		"A joint monitoring committee reviews the %[1]s indicators every year and publishes a report."},
	{"La participación de las asociaciones de migrantes fue decisiva para priorizar las necesidades de %[2]s.",
		"Migrant associations' participation was decisive in prioritising the needs of %[2]s."},
	{"El financiamiento combina presupuesto público, cooperación internacional y aportes del sector privado.",
		"Funding combines the public budget, international cooperation and private-sector contributions."},
	{"La oferta incluye orientación jurídica, acompañamiento psicosocial y asesoría sobre %[1]s.",
		"The offer includes legal guidance, psychosocial support and advice on %[1]s."},
	{"Una encuesta a %[2]s mostró una satisfacción alta con la atención recibida en %[3]s.",
		"A survey of %[2]s showed high satisfaction with the service received in %[3]s."},
	{"La plataforma digital permite hacer trámites de %[1]s sin acudir al consulado.",
		"Its digital platform lets people handle %[1]s procedures without going to the consulate."},
	{"En %[4]d se amplió a %[5]d regiones gracias a la demanda de %[2]s.",
		"In %[4]d it was extended to %[5]d regions after demand from %[2]s."},
}

var practiceLessons = [][2]string{
	{"La coordinación entre sectores exige un mandato claro y un presupuesto propio.",
		"Coordination across sectors needs a clear mandate and a budget of its own."},
	{"Escuchar a %[2]s antes de diseñar el servicio evitó duplicar esfuerzos en %[1]s.",
		"Listening to %[2]s before designing the service avoided duplicated efforts on %[1]s."},
	{"Los datos desagregados por país de residencia permitieron focalizar mejor las acciones de %[1]s.",
		"Data broken down by country of residence made %[1]s actions better targeted."},
	{"Sin registros confiables es difícil medir el efecto sobre %[2]s.",
		"Without reliable records the effect on %[2]s is hard to measure."},
	{"La sostenibilidad depende de institucionalizar la práctica más allá de un gobierno.",
		"Sustainability depends on institutionalising the practice beyond one government."},
	{"La %[1]s funciona mejor cuando los consulados y las asociaciones comparten información.",
		"%[1]s works best when consulates and associations share information."},
}

// practiceData is what practiceLoad generated and how long it took.
type practiceData struct {
	generate, copy, analyze time.Duration
	textBytes               int64 // of the eight searchable texts, over every practice
}

func BenchmarkPractices(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	data := practiceLoad(ctx, b, db)
	setup := time.Since(start)
	puente, token := startPuente(ctx, b, db)

	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return "/v1/practices?" + v.Encode()
	}
	size := strconv.Itoa(practicePageSize)
	facetPath := q("q", practiceQ, "facets", practiceFacets, "page_size", size)
	searchPath := q("q", practiceQ, "page_size", size)
	twoWordPath := q("q", practiceQ2, "facets", practiceFacets, "page_size", size)
	listPath := q("country", practiceCountry, "type", practiceType, "page_size", size)
	third := practiceCheck(ctx, b, db, puente.URL, token, facetPath, searchPath, twoWordPath, listPath)

	scenarios := []scenario{
		{name: "search-3-facets", path: func(int) string { return facetPath }},
		{name: "search", path: func(int) string { return searchPath }},
		{name: "search-2-words-facets", path: func(int) string { return twoWordPath }},
		{name: "search-page-3", path: func(int) string { return searchPath + "&page_token=" + third }},
		{name: "list-country-type", path: func(int) string { return listPath }},
	}
	targeted := map[string]bool{"search-3-facets": true, "search": true, "search-2-words-facets": true, "search-page-3": true,
		"list-country-type": true}
	// The generated library (over 100 MB of Go strings) is garbage by now: collect it before
	// measuring, not during the first scenario.
	runtime.GC()
	results := singleClient(b, puente.URL, token, scenarios, practiceWarmup, practiceMeasured, practiceTimeLimit)

	fmt.Printf("\nPractice library — %d published practices (%.1f MB of searchable text); generated in %.1fs, COPY %.1fs, "+
		"ANALYZE+VACUUM %.1fs (setup %.1fs); q=%q, facets %s; one client, %d requests after %d warm-up; GOMAXPROCS %d\n",
		practiceCount, float64(data.textBytes)/1e6, data.generate.Seconds(), data.copy.Seconds(), data.analyze.Seconds(),
		setup.Seconds(), practiceQ, practiceFacets, practiceMeasured, practiceWarmup, runtime.GOMAXPROCS(0))
	printLatencies(scenarios, results, practiceTarget, targeted)
	fmt.Println()
}

// practiceLoad generates the library and loads it with COPY, then analyses and vacuums it.
func practiceLoad(ctx context.Context, b *testing.B, db *database.DB) practiceData {
	b.Helper()
	var data practiceData
	started := time.Now()
	rng := rand.New(rand.NewPCG(5, 23))
	total := 0
	for _, c := range practiceCountries {
		total += c.weight
	}
	pick := func(list [][2]string) [2]string { return list[rng.IntN(len(list))] }
	some := func(list []string, n int) []string {
		out := []string{}
		for _, i := range rng.Perm(len(list))[:n] {
			out = append(out, list[i])
		}
		return out
	}
	loadedAt := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	rows := make([][]any, practiceCount)
	for i := range rows {
		main, second := rng.IntN(len(practiceTopics)), rng.IntN(len(practiceTopics))
		topic := func() [2]string {
			if rng.IntN(3) == 0 {
				return practiceTopics[second]
			}
			return practiceTopics[main]
		}
		pop := pick(practicePopulations)
		kind := pick(practiceKinds)
		scope, country, place := "national", any(nil), [2]string{"la región", "the region"}
		if r := rng.IntN(10); r == 0 {
			scope = "regional"
		} else if r == 1 {
			scope, place = "global", [2]string{"el mundo", "the world"}
		} else {
			w := rng.IntN(total)
			for _, c := range practiceCountries {
				if w -= c.weight; w < 0 {
					country, place = c.code, [2]string{c.es, c.en}
					break
				}
			}
		}
		texts := [8]string{} // title, summary, description, lessons; es then en
		for l := range 2 {
			texts[l] = fmt.Sprintf("%s de %s para %s (%s)", kind[0], practiceTopics[main][0], pop[0], place[0])
			if l == 1 {
				texts[l] = fmt.Sprintf("%s on %s for %s (%s)", kind[1], practiceTopics[main][1], pop[1], place[1])
			}
		}
		texts[2] = fmt.Sprintf("Ofrece %s a %s mediante los consulados y una plataforma en línea; complementa la %s.",
			practiceTopics[main][0], pop[0], practiceTopics[second][0])
		texts[3] = fmt.Sprintf("It offers %s to %s through consulates and an online platform, alongside %s.",
			practiceTopics[main][1], pop[1], practiceTopics[second][1])
		var desc, lessons [2][]string
		for range 5 + rng.IntN(4) {
			s, t := pick(practiceSentences), topic()
			n1, n2 := 200+rng.IntN(20_000), 2+rng.IntN(30)
			for l := range 2 {
				desc[l] = append(desc[l], practiceFormat(s[l], t[l], pop[l], place[l], n1, n2))
			}
		}
		for range 2 {
			s, t := pick(practiceLessons), topic()
			for l := range 2 {
				lessons[l] = append(lessons[l], practiceFormat(s[l], t[l], pop[l], place[l], 0, 0))
			}
		}
		texts[4], texts[5] = strings.Join(desc[0], " "), strings.Join(desc[1], " ")
		texts[6], texts[7] = strings.Join(lessons[0], " "), strings.Join(lessons[1], " ")
		for _, s := range texts {
			data.textBytes += int64(len(s))
		}
		gcm := make([]int16, 0, 3)
		for _, n := range rng.Perm(23)[:1+rng.IntN(3)] {
			gcm = append(gcm, int16(n+1))
		}
		created := loadedAt.Add(-time.Duration(practiceCount-i) * time.Minute)
		start := time.Date(1995+rng.IntN(30), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		transferability := []string{"high", "medium", "low"}[rng.IntN(3)]
		rows[i] = []any{
			pgtype.UUID{Bytes: stocktakeUUID(created.UnixMilli(), rng), Valid: true}, fmt.Sprintf("BENCH-%05d", i+1),
			texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7],
			scope, country, practiceTypes[rng.IntN(len(practiceTypes))], some(practiceThemes, 1+rng.IntN(4)),
			some(practiceMigof, 1+rng.IntN(2)), gcm, some(practiceSDGs, rng.IntN(3)), start, transferability,
			"published", created, created,
		}
	}
	data.generate = time.Since(started)
	copyStart := time.Now()
	n, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"practices"}, []string{
		"id", "code", "title_es", "title_en", "summary_es", "summary_en", "description_es", "description_en",
		"lessons_learned_es", "lessons_learned_en", "scope", "country", "type", "themes", "migof", "gcm_objectives",
		"sdg_targets", "period_start", "transferability", "status", "created_at", "updated_at",
	}, pgx.CopyFromRows(rows))
	if err != nil {
		b.Fatalf("copy practices: %v", err)
	}
	if n != practiceCount {
		b.Fatalf("copied %d practices, want %d", n, practiceCount)
	}
	data.copy = time.Since(copyStart)
	analyzeStart := time.Now()
	if _, err := db.Pool.Exec(ctx, "VACUUM (ANALYZE) practices"); err != nil {
		b.Fatalf("vacuum: %v", err)
	}
	// Write the load out now rather than in a checkpoint in the middle of the measurements.
	if _, err := db.Pool.Exec(ctx, "CHECKPOINT"); err != nil {
		b.Logf("checkpoint (needs pg_checkpoint): %v", err)
	}
	data.analyze = time.Since(analyzeStart)
	return data
}

// practiceFormat fills a phrase-bank sentence, capitalising it when it starts with the topic.
func practiceFormat(s, topic, pop, place string, n1, n2 int) string {
	out := fmt.Sprintf(s, topic, pop, place, n1, n2)
	if strings.HasPrefix(s, "%[1]s") {
		out = strings.ToUpper(out[:1]) + out[1:]
	}
	return out
}

// practicePage is what the checks read of a page.
type practicePage struct {
	Items []struct {
		ID         uuid.UUID          `json:"id"`
		Code       string             `json:"code"`
		Country    *string            `json:"country"`
		Type       string             `json:"type"`
		Rank       *float64           `json:"rank"`
		Highlights *map[string]string `json:"highlights"`
	} `json:"items"`
	Next   string `json:"next_page_token"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int64  `json:"count"`
	} `json:"facets"`
}

// practiceTSQuery is the search of the scenarios in SQL, written out independently of the
// service: every word as an unaccented prefix or a Spanish or English stem.
func practiceTSQuery(q string) string {
	var parts []string
	for _, w := range strings.Fields(q) {
		parts = append(parts, fmt.Sprintf(`(to_tsquery('simple', '%[1]s:*') || plainto_tsquery('spanish', '%[1]s') || plainto_tsquery('english', '%[1]s'))`, w))
	}
	return strings.Join(parts, " && ")
}

// practiceCheck makes sure every scenario answers what the data holds before anything is
// measured: pages are SQL's, in SQL's rank order; facet counts are SQL's over every match. It
// returns the token of the search's third page.
func practiceCheck(ctx context.Context, b *testing.B, db *database.DB, base, token, facetPath, searchPath, twoWordPath, listPath string) string {
	b.Helper()
	started := time.Now()
	ids := func(sql string) []uuid.UUID {
		b.Helper()
		rows, err := db.Pool.Query(ctx, sql)
		if err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		return out
	}
	pageIDs := func(p practicePage) []uuid.UUID {
		out := make([]uuid.UUID, len(p.Items))
		for i, it := range p.Items {
			out[i] = it.ID
		}
		return out
	}
	ranked := func(q string, limit int) []uuid.UUID {
		tsq := practiceTSQuery(q)
		return ids(fmt.Sprintf(`SELECT id FROM practices WHERE search @@ (%s)
			ORDER BY ts_rank_cd(search, %s) DESC, id DESC LIMIT %d`, tsq, tsq, limit))
	}
	facets := func(q string) map[string]map[string]int64 {
		b.Helper()
		out := map[string]map[string]int64{"country": {}, "type": {}, "gcm_objective": {}}
		rows, err := db.Pool.Query(ctx, fmt.Sprintf(`WITH m AS (SELECT * FROM practices WHERE search @@ (%s))
			SELECT 'country', country, count(*) FROM m WHERE country IS NOT NULL GROUP BY country
			UNION ALL SELECT 'type', type, count(*) FROM m GROUP BY type
			UNION ALL SELECT 'gcm_objective', g::text, count(*) FROM m, unnest(gcm_objectives) g GROUP BY g`, practiceTSQuery(q)))
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var f, v string
			var n int64
			if err := rows.Scan(&f, &v, &n); err != nil {
				b.Fatal(err)
			}
			out[f][v] = n
		}
		return out
	}
	checkFacets := func(name string, p practicePage, want map[string]map[string]int64) {
		b.Helper()
		for f, counts := range want {
			got := p.Facets[f]
			if len(got) != len(counts) {
				b.Fatalf("%s: facet %s has %d values, SQL %d", name, f, len(got), len(counts))
			}
			for i, c := range got {
				if counts[c.Value] != c.Count {
					b.Fatalf("%s: facet %s %s counts %d, SQL %d", name, f, c.Value, c.Count, counts[c.Value])
				}
				if i > 0 && c.Count > got[i-1].Count {
					b.Fatalf("%s: facet %s is not by count", name, f)
				}
			}
		}
	}

	var matches int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM practices WHERE search @@ (`+practiceTSQuery(practiceQ)+`)`).Scan(&matches); err != nil {
		b.Fatal(err)
	}
	if matches < 5_000 {
		b.Fatalf("q=%s matches only %d practices; the scenario wants thousands", practiceQ, matches)
	}
	want := ranked(practiceQ, 3*practicePageSize)
	var p practicePage
	getJSON(b, base+facetPath, token, &p)
	if !slices.Equal(pageIDs(p), want[:practicePageSize]) || p.Next == "" {
		b.Fatalf("q=%s: the first page is not SQL's top %d by rank", practiceQ, practicePageSize)
	}
	for _, it := range p.Items {
		if it.Rank == nil || it.Highlights == nil || len(*it.Highlights) == 0 {
			b.Fatalf("q=%s: %s has no rank or highlights", practiceQ, it.Code)
		}
	}
	checkFacets("q="+practiceQ, p, facets(practiceQ))
	var counted int64
	for _, c := range p.Facets["type"] {
		counted += c.Count
	}
	if counted != int64(matches) {
		b.Fatalf("q=%s: type facet counts %d practices, SQL matches %d", practiceQ, counted, matches)
	}
	// Pages 2 and 3 of the search continue SQL's order.
	var p2, p3 practicePage
	getJSON(b, base+searchPath+"&page_token="+p.Next, token, &p2)
	getJSON(b, base+searchPath+"&page_token="+p2.Next, token, &p3)
	if !slices.Equal(slices.Concat(pageIDs(p2), pageIDs(p3)), want[practicePageSize:]) || p3.Next == "" || p3.Facets != nil {
		b.Fatalf("q=%s: pages 2 and 3 are not SQL's", practiceQ)
	}
	third := p2.Next

	var p4 practicePage
	getJSON(b, base+twoWordPath, token, &p4)
	if !slices.Equal(pageIDs(p4), ranked(practiceQ2, practicePageSize)) {
		b.Fatalf("q=%s: the first page is not SQL's", practiceQ2)
	}
	checkFacets("q="+practiceQ2, p4, facets(practiceQ2))

	var p5 practicePage
	getJSON(b, base+listPath, token, &p5)
	if w := ids(fmt.Sprintf(`SELECT id FROM practices WHERE country = '%s' AND type = '%s' ORDER BY code, id LIMIT %d`,
		practiceCountry, practiceType, practicePageSize)); !slices.Equal(pageIDs(p5), w) || p5.Next == "" {
		b.Fatalf("list: the first page is not SQL's")
	}
	fmt.Printf("practices: q=%s matches %d of %d; q=%s %d; checked in %.1fs\n", practiceQ, matches, practiceCount,
		practiceQ2, len(ranked(practiceQ2, practiceCount)), time.Since(started).Seconds())
	return third
}
