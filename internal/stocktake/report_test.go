package stocktake_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// repFixture is a small but complete stocktake: three active indicators and an archived one,
// four active sources and an archived one, observations at world, country and region level
// (some of which must not count) and six gaps (one archived).
type repFixture struct {
	env   *apitest.Env
	admin string
	// indicators
	stock, flow, empty string
	// sources
	census, survey, consular, estimate string
	// observations
	worldBest, flowPE string
}

// repNBSP is the no-break space the documents group digits with.
const repNBSP = "\u00a0"

// repScript is a source title that would run in a browser if the page did not escape it.
const repScript = `Estimación <script>alert("x")</script> | *ONU*`

func repSetup(t *testing.T) repFixture {
	t.Helper()
	env := apitest.New(t)
	fx := repFixture{env: env, admin: env.AdminToken(t)}
	fx.stock = repIndicator(t, fx, "REP.STOCK", map[string]any{"es": "Peruanos en el exterior", "en": "Peruvians abroad"}, "stock")
	fx.flow = repIndicator(t, fx, "REP.FLOW", map[string]any{"es": "Salidas sin retorno", "en": "Departures without return"}, "flow")
	fx.empty = repIndicator(t, fx, "REP.EMPTY", map[string]any{"en": "Only in English"}, "count")
	archivedInd := repIndicator(t, fx, "REP.ARCHIVED", map[string]any{"es": "Archivado"}, "stock")

	fx.census = repSource(t, fx, "REP-A", map[string]any{"es": "Censo nacional", "en": "National census"}, "census", "public",
		repQuality(5, 4, 3), []string{"reference_year_mismatch"})
	fx.survey = repSource(t, fx, "REP-B", map[string]any{"es": "Encuesta de hogares", "en": "Household survey"},
		"household_survey", "on_request", repQuality(3, 3, 3), nil)
	fx.consular = repSource(t, fx, "REP-C", map[string]any{"es": "Registro consular"}, "consular_register", "public", nil, nil)
	fx.estimate = repSource(t, fx, "REP-X", map[string]any{"es": repScript}, "international_estimate", "public", nil,
		[]string{"modelled", "proxy_definition"})
	archivedSrc := repSource(t, fx, "REP-D", map[string]any{"es": "Estudio retirado"}, "study", "restricted", repQuality(1, 1, 1), nil)

	// The stock indicator: two world totals of 2022 (the census wins on quality), an older one, a
	// later one for Peru (world-level beats it), one by sex and one of a region of origin (neither
	// a headline), and countries in five of the six regions.
	fx.worldBest = repObs(t, fx, fx.stock, fx.census, "2022", map[string]any{"place_kind": "world", "status": "estimate"}, 3_300_000)
	repObs(t, fx, fx.stock, fx.survey, "2022", map[string]any{"place_kind": "world", "status": "final"}, 3_100_000)
	repObs(t, fx, fx.stock, fx.census, "2020", map[string]any{"place_kind": "world"}, 3_000_000)
	repObs(t, fx, fx.stock, fx.consular, "2023", map[string]any{"country": "PE"}, 100)
	repObs(t, fx, fx.stock, fx.survey, "2024", map[string]any{"place_kind": "world", "sex": "female"}, 1_700_000)
	repObs(t, fx, fx.stock, fx.census, "2022", map[string]any{"region": "15"}, 250_000)
	for _, c := range []struct {
		country, period string
	}{{"US", "2021"}, {"CA", "2021"}, {"ES", "2021"}, {"IT", "2022"}, {"JP", "2019"}, {"AR", "2022"}, {"AU", "2022"}} {
		repObs(t, fx, fx.stock, fx.consular, c.period, map[string]any{"country": c.country}, 10_000)
	}
	// Two sexes of one country count one country.
	repObs(t, fx, fx.stock, fx.consular, "2021", map[string]any{"country": "US", "sex": "male"}, 5_000)

	// The flow indicator has no world total: its headline is Peru's latest, flagged.
	repObs(t, fx, fx.flow, fx.census, "2021", map[string]any{"country": "PE"}, 5_000)
	fx.flowPE = repObs(t, fx, fx.flow, fx.consular, "2022", map[string]any{"country": "PE", "flags": []string{"doubted_unit"},
		"note": "¿En miles?"}, 6_000)

	// What must not count: an archived observation, observations of an archived source and of an
	// archived indicator.
	gone := repObs(t, fx, fx.stock, fx.census, "2030", map[string]any{"place_kind": "world"}, 9)
	repObs(t, fx, fx.stock, archivedSrc, "2029", map[string]any{"place_kind": "world"}, 8)
	repObs(t, fx, fx.stock, archivedSrc, "2029", map[string]any{"country": "ZA"}, 8)
	repObs(t, fx, archivedInd, fx.census, "2022", map[string]any{"place_kind": "world"}, 7)
	repDelete(t, fx, "/v1/observations/"+gone)
	repDelete(t, fx, "/v1/data-sources/"+archivedSrc)
	repDelete(t, fx, "/v1/indicators/"+archivedInd)

	repGap(t, fx, "G-LOW-1", "low", "open", map[string]any{"countries": []string{"CL"}})
	repGap(t, fx, "G-HIGH-2", "high", "being_addressed", nil)
	repGap(t, fx, "G-HIGH-1", "high", "open", map[string]any{"recommendation": map[string]any{"es": "Pedir microdatos",
		"en": "Ask for microdata"}, "countries": []string{"US", "ES"}})
	repGap(t, fx, "G-MED-1", "medium", "closed", nil)
	repGap(t, fx, "G-MED-2", "medium", "open", nil)
	archivedGap := repGap(t, fx, "G-ARCHIVED", "high", "open", nil)
	repDelete(t, fx, "/v1/data-gaps/"+archivedGap)
	return fx
}

func repIndicator(t *testing.T, fx repFixture, code string, name map[string]any, measure string) string {
	t.Helper()
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/indicators", Token: fx.admin, Body: map[string]any{
		"code": code, "name": name, "unit": "personas", "measure": measure}})
	if res.Status != http.StatusCreated {
		t.Fatalf("create indicator %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func repQuality(timeliness, completeness, comparability int) map[string]any {
	return map[string]any{"timeliness": map[string]any{"score": timeliness},
		"completeness": map[string]any{"score": completeness}, "comparability": map[string]any{"score": comparability}}
}

func repSource(t *testing.T, fx repFixture, code string, title map[string]any, typ, access string, quality map[string]any, caveats []string) string {
	t.Helper()
	body := map[string]any{"code": code, "title": title, "type": typ, "access": access}
	if quality != nil {
		body["quality"] = quality
	}
	if caveats != nil {
		body["caveats"] = caveats
	}
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: fx.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create source %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// repObs records an observation: place and annotations come in extra.
func repObs(t *testing.T, fx repFixture, indicator, source, period string, extra map[string]any, value float64) string {
	t.Helper()
	body := map[string]any{"indicator_id": indicator, "source_id": source, "period": period, "value": value}
	for k, v := range extra {
		body[k] = v
	}
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/observations", Token: fx.admin, Body: body})
	if res.Status != http.StatusCreated && res.Status != http.StatusOK {
		t.Fatalf("post observation %v: %d %s", body, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func repGap(t *testing.T, fx repFixture, code, priority, status string, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"code": code, "description": map[string]any{"es": "Falta " + code, "en": "Missing " + code},
		"priority": priority, "status": status}
	for k, v := range extra {
		body[k] = v
	}
	res := fx.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-gaps", Token: fx.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create gap %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

func repDelete(t *testing.T, fx repFixture, path string) {
	t.Helper()
	if res := fx.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: path, Token: fx.admin}); res.Status != http.StatusNoContent {
		t.Fatalf("delete %s: %d %s", path, res.Status, res.Body)
	}
}

// repGet fetches the report with a query string and headers.
func repGet(t *testing.T, fx repFixture, query string, header map[string]string) apitest.Response {
	t.Helper()
	path := "/v1/stocktake/report"
	if query != "" {
		path += "?" + query
	}
	return fx.env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: fx.admin, Header: header})
}

func repJSON(t *testing.T, fx repFixture) api.StocktakeReport {
	t.Helper()
	res := repGet(t, fx, "", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("report: %d %s", res.Status, res.Body)
	}
	var r api.StocktakeReport
	res.Decode(t, &r)
	return r
}

// repText returns the body of a document the report answered with contentType.
func repText(t *testing.T, fx repFixture, query string, header map[string]string, contentType string) string {
	t.Helper()
	res := repGet(t, fx, query, header)
	if res.Status != http.StatusOK {
		t.Fatalf("report %s: %d %s", query, res.Status, res.Body)
	}
	if got := res.Header.Get("Content-Type"); got != contentType {
		t.Fatalf("report %s %v: Content-Type %q, want %q", query, header, got, contentType)
	}
	return string(res.Body)
}

func repCounts(counts []api.StocktakeCount) map[string]int {
	out := map[string]int{}
	for _, c := range counts {
		out[c.Key] = c.Count
	}
	return out
}

func repKeys(counts []api.StocktakeCount) []string {
	out := make([]string, len(counts))
	for i, c := range counts {
		out[i] = c.Key
	}
	return out
}

func repWantContains(t *testing.T, doc string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(doc, p) {
			t.Errorf("document lacks %q:\n%s", p, doc)
		}
	}
}

func TestReportJSON(t *testing.T) {
	fx := repSetup(t)
	r := repJSON(t, fx)

	t.Run("headlines", func(t *testing.T) {
		if len(r.Headlines) != 2 {
			t.Fatalf("headlines = %+v, want REP.FLOW and REP.STOCK", r.Headlines)
		}
		flow, stock := r.Headlines[0], r.Headlines[1]
		if stock.Indicator.Code != "REP.STOCK" || stock.PlaceKind != "world" || stock.Country != nil || stock.Value != 3_300_000 ||
			stock.Period != "2022" || stock.Status != "estimate" || stock.Source.Code != "REP-A" || stock.Source.QualityScore == nil || *stock.Source.QualityScore != 12 {
			t.Errorf("stock headline = %+v, want the census's world total of 2022", stock)
		}
		if flow.Indicator.Code != "REP.FLOW" || flow.PlaceKind != "country" || flow.Country == nil || *flow.Country != "PE" ||
			flow.Value != 6_000 || flow.Source.Code != "REP-C" || flow.Source.QualityScore != nil {
			t.Errorf("flow headline = %+v, want Peru's 2022 figure", flow)
		}
		if !reflect.DeepEqual(flow.Flags, []api.ObservationFlag{"doubted_unit"}) || flow.Note == nil || *flow.Note != "¿En miles?" {
			t.Errorf("flow headline flags %v note %v", flow.Flags, flow.Note)
		}
	})

	t.Run("sources", func(t *testing.T) {
		s := r.Sources
		if s.Total != 4 || s.Assessed != 2 {
			t.Errorf("total %d assessed %d, want 4 and 2 (the archived source left out)", s.Total, s.Assessed)
		}
		wantTypes := []string{"census", "household_survey", "administrative_register", "consular_register", "international_estimate", "study"}
		if !reflect.DeepEqual(repKeys(s.ByType), wantTypes) {
			t.Errorf("by_type keys %v, want every type in enum order", repKeys(s.ByType))
		}
		if got, want := repCounts(s.ByType), map[string]int{"census": 1, "household_survey": 1, "administrative_register": 0,
			"consular_register": 1, "international_estimate": 1, "study": 0}; !reflect.DeepEqual(got, want) {
			t.Errorf("by_type %v, want %v", got, want)
		}
		if !reflect.DeepEqual(repKeys(s.ByAccess), []string{"public", "on_request", "restricted"}) {
			t.Errorf("by_access keys %v", repKeys(s.ByAccess))
		}
		if got, want := repCounts(s.ByAccess), map[string]int{"public": 3, "on_request": 1, "restricted": 0}; !reflect.DeepEqual(got, want) {
			t.Errorf("by_access %v, want %v", got, want)
		}
		for name, c := range map[string]struct {
			got  *float64
			want float64
		}{"timeliness": {s.AverageTimeliness, 4}, "completeness": {s.AverageCompleteness, 3.5}, "comparability": {s.AverageComparability, 3}} {
			if c.got == nil || *c.got != c.want {
				t.Errorf("average %s = %v, want %v", name, c.got, c.want)
			}
		}
		var codes []string
		for _, it := range s.Items {
			codes = append(codes, it.Code)
		}
		if !reflect.DeepEqual(codes, []string{"REP-A", "REP-B", "REP-C", "REP-X"}) {
			t.Errorf("items %v, want every active source by code", codes)
		}
		a, c, x := s.Items[0], s.Items[2], s.Items[3]
		if a.Timeliness == nil || *a.Timeliness != 5 || *a.Completeness != 4 || *a.Comparability != 3 ||
			!reflect.DeepEqual(a.Caveats, []string{"reference_year_mismatch"}) || a.Type != "census" || a.Access != "public" {
			t.Errorf("REP-A = %+v", a)
		}
		if c.Timeliness != nil || c.Completeness != nil || c.Comparability != nil || c.Caveats == nil {
			t.Errorf("REP-C (not assessed) = %+v", c)
		}
		if !reflect.DeepEqual(x.Caveats, []string{"modelled", "proxy_definition"}) || x.Title.Es == nil || *x.Title.Es != repScript {
			t.Errorf("REP-X = %+v", x)
		}
	})

	t.Run("coverage", func(t *testing.T) {
		if len(r.Coverage) != 3 {
			t.Fatalf("coverage has %d indicators, want 3 (archived left out)", len(r.Coverage))
		}
		empty, flow, stock := r.Coverage[0], r.Coverage[1], r.Coverage[2]
		if empty.Indicator.Code != "REP.EMPTY" || flow.Indicator.Code != "REP.FLOW" || stock.Indicator.Code != "REP.STOCK" {
			t.Fatalf("coverage order %s %s %s, want by code", empty.Indicator.Code, flow.Indicator.Code, stock.Indicator.Code)
		}
		// 2022 ×2, 2020, PE 2023, female 2024, region 2022, seven countries, US male.
		if stock.Observations != 14 || stock.FirstYear == nil || *stock.FirstYear != 2019 || *stock.LastYear != 2024 || stock.Countries != 8 {
			t.Errorf("stock coverage: %d observations, years %v–%v, %d countries; want 14, 2019–2024, 8",
				stock.Observations, stock.FirstYear, stock.LastYear, stock.Countries)
		}
		wantRegions := []string{"africa", "asia", "europe", "latin_america_caribbean", "northern_america", "oceania"}
		covered := map[string]int{}
		for i, g := range stock.Regions {
			if string(g.Region) != wantRegions[i] {
				t.Errorf("region %d is %s, want %s", i, g.Region, wantRegions[i])
			}
			if g.CountriesTotal < 5 {
				t.Errorf("region %s totals %d countries", g.Region, g.CountriesTotal)
			}
			covered[string(g.Region)] = g.CountriesCovered
		}
		if want := map[string]int{"africa": 0, "asia": 1, "europe": 2, "latin_america_caribbean": 2, "northern_america": 2,
			"oceania": 1}; !reflect.DeepEqual(covered, want) {
			t.Errorf("stock regions covered %v, want %v", covered, want)
		}
		if na := stock.Regions[4]; na.CountriesTotal != 5 {
			t.Errorf("Northern America totals %d countries, want 5", na.CountriesTotal)
		}
		if flow.Observations != 2 || flow.Countries != 1 || *flow.FirstYear != 2021 || *flow.LastYear != 2022 || flow.Regions[3].CountriesCovered != 1 {
			t.Errorf("flow coverage %+v", flow)
		}
		if empty.Observations != 0 || empty.FirstYear != nil || empty.LastYear != nil || empty.Countries != 0 || len(empty.Regions) != 6 {
			t.Errorf("empty coverage %+v", empty)
		}
	})

	t.Run("gaps", func(t *testing.T) {
		g := r.Gaps
		if g.Total != 5 {
			t.Errorf("total %d, want 5 (the archived gap left out)", g.Total)
		}
		want := []api.StocktakeGapPriority{{Priority: "high", Open: 1, BeingAddressed: 1}, {Priority: "medium", Open: 1, Closed: 1},
			{Priority: "low", Open: 1}}
		if !reflect.DeepEqual(g.ByPriority, want) {
			t.Errorf("by_priority %+v, want %+v", g.ByPriority, want)
		}
		var codes []string
		for _, it := range g.Items {
			codes = append(codes, it.Code)
		}
		if !reflect.DeepEqual(codes, []string{"G-HIGH-1", "G-HIGH-2", "G-MED-2", "G-LOW-1"}) {
			t.Errorf("items %v, want those not closed by priority then code", codes)
		}
		first := g.Items[0]
		if first.Recommendation == nil || *first.Recommendation.En != "Ask for microdata" || !reflect.DeepEqual(first.Countries, []string{"US", "ES"}) ||
			first.Status != "open" || first.Priority != "high" {
			t.Errorf("G-HIGH-1 = %+v", first)
		}
		if g.Items[1].Recommendation != nil || g.Items[1].Countries == nil {
			t.Errorf("G-HIGH-2 = %+v", g.Items[1])
		}
	})

	if r.ContainsDemo {
		t.Error("contains_demo without any demo data")
	}
}

// TestReportDemo marks demo data (which only loaders write, never the API) and expects the report
// to say so: in the JSON and visibly in both documents.
func TestReportDemo(t *testing.T) {
	fx := repSetup(t)
	if err := fx.env.DB.Conn(context.Background()).Exec(`UPDATE observations SET demo = true WHERE id = ?`, fx.worldBest).Error; err != nil {
		t.Fatal(err)
	}
	r := repJSON(t, fx)
	if !r.ContainsDemo || !r.Headlines[1].Demo || r.Headlines[0].Demo {
		t.Errorf("contains_demo %v, headline demo %v/%v: want the stock headline marked", r.ContainsDemo, r.Headlines[0].Demo, r.Headlines[1].Demo)
	}
	md := repText(t, fx, "format=markdown", nil, "text/markdown; charset=utf-8")
	repWantContains(t, md, "> **Este informe contiene datos de demostración", "**Peruanos en el exterior**: 3,3 millones (3"+repNBSP+"300"+repNBSP+"000 personas)")
	if line := repLine(md, "Peruanos en el exterior**:"); !strings.Contains(line, "**[DEMO]**") {
		t.Errorf("the demo headline is not marked: %q", line)
	}
	if line := repLine(md, "Salidas sin retorno**:"); strings.Contains(line, "DEMO") {
		t.Errorf("a real headline is marked demo: %q", line)
	}
	page := repText(t, fx, "format=html", nil, "text/html; charset=utf-8")
	repWantContains(t, page, `<p class="banner" role="note">`, `<article class="card demo">`, `<span class="badge demo">DEMO</span>`)

	// A demo gap, even a closed one the report only counts, makes the report contain demo data.
	if err := fx.env.DB.Conn(context.Background()).Exec(`UPDATE observations SET demo = false`).Error; err != nil {
		t.Fatal(err)
	}
	if repJSON(t, fx).ContainsDemo {
		t.Fatal("contains_demo after the demo observation became real")
	}
	if err := fx.env.DB.Conn(context.Background()).Exec(`UPDATE data_gaps SET demo = true WHERE code = 'G-MED-1'`).Error; err != nil {
		t.Fatal(err)
	}
	if !repJSON(t, fx).ContainsDemo {
		t.Error("contains_demo false with a demo gap")
	}
}

func repLine(doc, marker string) string {
	for _, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, marker) {
			return l
		}
	}
	return ""
}

func TestReportFormats(t *testing.T) {
	fx := repSetup(t)
	const (
		md   = "text/markdown; charset=utf-8"
		html = "text/html; charset=utf-8"
		js   = "application/json"
	)
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, c := range []struct {
		name, query, accept, want string
	}{
		{"default", "", "", js},
		{"any", "", "*/*", js},
		{"json asked", "", "application/json", js},
		{"format markdown", "format=markdown", "", md},
		{"format html", "format=html", "", html},
		{"format json", "format=json", "text/html", js},
		{"accept markdown", "", "text/markdown", md},
		{"accept html", "", "text/html", html},
		{"browser", "", browser, html},
		{"json preferred", "", "text/html;q=0.5, application/json", js},
		{"markdown over wildcard", "", "*/*, text/markdown", md},
		{"format wins over accept", "format=markdown", "text/html", md},
	} {
		t.Run(c.name, func(t *testing.T) {
			var h map[string]string
			if c.accept != "" {
				h = map[string]string{"Accept": c.accept}
			}
			res := repGet(t, fx, c.query, h)
			if res.Status != http.StatusOK || res.Header.Get("Content-Type") != c.want {
				t.Fatalf("%d %q, want 200 %q", res.Status, res.Header.Get("Content-Type"), c.want)
			}
			if !strings.Contains(res.Header.Get("Vary"), "Accept") {
				t.Errorf("Vary %q: caches must know the answer depends on Accept", res.Header.Get("Vary"))
			}
		})
	}

	t.Run("markdown content", func(t *testing.T) {
		doc := repText(t, fx, "format=markdown", nil, md)
		if !strings.HasPrefix(doc, "# Inventario de datos sobre la diáspora\n") {
			t.Errorf("markdown starts %.80q", doc)
		}
		repWantContains(t, doc,
			"## Cifras principales", "## Fuentes de datos", "### Por tipo", "### Por acceso", "### Calidad de las fuentes",
			"## Cobertura por indicador y región del mundo", "## Brechas de datos", "### Brechas por cerrar",
			"4 fuentes activas; 2 con evaluación de calidad.",
			"oportunidad 4,0, completitud 3,5, comparabilidad 3,0",
			"| Encuesta de hogares | 1 |", "| Registro administrativo | 0 |", "| A solicitud | 1 |",
			"| REP-A | Censo nacional | Censo | Público | 5 | 4 | 3 | año de referencia distinto |",
			"| REP-C | Registro consular | Registro consular | Público | — | — | — |  |",
			"| Peruanos en el exterior (REP.STOCK) | 14 | 2019–2024 | 8 | 0 / ",
			"| Only in English (REP.EMPTY) | 0 | — | 0 |",
			"| Alta | 1 | 1 | 0 | 2 |",
			"**Salidas sin retorno**: 6000 personas — Perú, 2022, estimación. Fuente: Registro consular (REP-C).",
			"⚠ **unidad dudosa**: ¿En miles?",
			"1. **G-HIGH-1** · Alta · Abierta", "_Recomendación:_ Pedir microdatos", "Países: US, ES",
			"4. **G-LOW-1** · Baja · Abierta",
		)
		if strings.Contains(doc, "G-MED-1") || strings.Contains(doc, "REP-D") || strings.Contains(doc, "REP.ARCHIVED") {
			t.Error("the markdown shows a closed gap or an archived record")
		}
	})

	t.Run("html content", func(t *testing.T) {
		doc := repText(t, fx, "format=html", nil, html)
		repWantContains(t, doc, "<!DOCTYPE html>", `<html lang="es">`, "<title>Inventario de datos sobre la diáspora</title>",
			"@media print", `<div class="value">3,3 millones</div>`, "3"+repNBSP+"300"+repNBSP+"000 personas",
			`<p class="flag">⚠ <strong>unidad dudosa</strong>: ¿En miles?</p>`, "<td>REP-A</td>")
		// Self-contained: no stylesheet, script, image or font fetched from anywhere.
		for _, external := range []string{"<link", "<script", "src=", "@import", "url("} {
			if strings.Contains(doc, external) {
				t.Errorf("the page refers to an external asset (%s)", external)
			}
		}
		// The policy lets exactly the page's own stylesheet apply, so the page shows styled even
		// though every other API answer forbids everything.
		_, style, _ := strings.Cut(doc, "<style>")
		style, _, _ = strings.Cut(style, "</style>")
		sum := sha256.Sum256([]byte(style))
		wantCSP := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		res := repGet(t, fx, "format=html", nil)
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, wantCSP) || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("Content-Security-Policy %q, want default-src 'none' and %s", csp, wantCSP)
		}
	})
}

func TestReportEscapesSourceText(t *testing.T) {
	fx := repSetup(t)
	page := repText(t, fx, "format=html", nil, "text/html; charset=utf-8")
	if strings.Contains(page, "<script>") {
		t.Error("the page carries the source title's <script> unescaped")
	}
	repWantContains(t, page, "Estimación &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; | *ONU*")

	md := repText(t, fx, "format=markdown", nil, "text/markdown; charset=utf-8")
	if strings.Contains(md, "<script>") {
		t.Error("the markdown carries the source title's <script> as HTML")
	}
	// Escaped, the pipe cannot split the table row and the stars cannot make emphasis.
	repWantContains(t, md, `| REP-X | Estimación \<script\>alert("x")\</script\> \| \*ONU\* | Estimación internacional |`)
}

func TestReportLanguage(t *testing.T) {
	fx := repSetup(t)
	en := repText(t, fx, "format=markdown&lang=en", nil, "text/markdown; charset=utf-8")
	repWantContains(t, en, "# Stocktake of data on the diaspora", "## Headline figures", "## Data sources",
		"4 active sources; 2 with a quality assessment.", "timeliness 4.0, completeness 3.5, comparability 3.0",
		"| Household survey | 1 |", "| On request | 1 |", "Northern America", "Latin America and the Caribbean",
		"**Peruvians abroad**: 3.3 million (3"+repNBSP+"300"+repNBSP+"000 personas) — World, 2022, estimate. Source: National census (REP-A).",
		"**Departures without return**: 6000 personas — Peru, 2022", "⚠ **doubted unit**: ¿En miles?",
		"1. **G-HIGH-1** · High · Open", "_Recommendation:_ Ask for microdata", "## Data gaps")
	// A text missing in English falls back to Spanish, and the reverse.
	repWantContains(t, en, "| REP-C | Registro consular | Consular register | Public |")
	es := repText(t, fx, "format=markdown", nil, "text/markdown; charset=utf-8")
	repWantContains(t, es, "| Only in English (REP.EMPTY) |", "América septentrional")
	if strings.Contains(es, "Household survey") || strings.Contains(en, "Encuesta de hogares |") {
		t.Error("a document mixes its language's labels with the other's")
	}
	page := repText(t, fx, "lang=en", map[string]string{"Accept": "text/html"}, "text/html; charset=utf-8")
	repWantContains(t, page, `<html lang="en">`, "<h1>Stocktake of data on the diaspora</h1>", `<div class="value">3.3 million</div>`)
	if res := repGet(t, fx, "format=html&lang=en", nil); res.Header.Get("Content-Language") != "en" {
		t.Errorf("Content-Language %q", res.Header.Get("Content-Language"))
	}
}

func TestReportRefusals(t *testing.T) {
	env := apitest.New(t)
	fx := repFixture{env: env, admin: env.AdminToken(t)}
	for _, q := range []string{"format=pdf", "lang=fr", "format="} {
		t.Run(q, func(t *testing.T) {
			apitest.Problem(t, repGet(t, fx, q, nil), http.StatusBadRequest)
		})
	}
	t.Run("no token", func(t *testing.T) {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/stocktake/report"}), http.StatusUnauthorized)
	})
	t.Run("without stocktake:read", func(t *testing.T) {
		token := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}, Scopes: []string{"institutions:read", "mandates:read"}})
		for _, accept := range []string{"", "text/html"} {
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/stocktake/report", Token: token,
				Header: map[string]string{"Accept": accept}})
			apitest.Problem(t, res, http.StatusForbidden)
		}
	})
	t.Run("viewer may read", func(t *testing.T) {
		token := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/stocktake/report", Token: token}); res.Status != http.StatusOK {
			t.Errorf("viewer: %d %s", res.Status, res.Body)
		}
	})
}

// TestReportEmpty: a fresh database still gets a whole report — every vocabulary value counted
// at zero, no averages — in every format.
func TestReportEmpty(t *testing.T) {
	env := apitest.New(t)
	fx := repFixture{env: env, admin: env.AdminToken(t)}
	r := repJSON(t, fx)
	if len(r.Headlines) != 0 || len(r.Coverage) != 0 || r.Sources.Total != 0 || r.Sources.Assessed != 0 ||
		len(r.Sources.ByType) != 6 || len(r.Sources.ByAccess) != 3 || r.Sources.AverageTimeliness != nil ||
		r.Gaps.Total != 0 || len(r.Gaps.ByPriority) != 3 || len(r.Gaps.Items) != 0 || r.ContainsDemo {
		t.Errorf("empty report = %+v", r)
	}
	res := repGet(t, fx, "", nil)
	for _, key := range []string{`"headlines":[]`, `"coverage":[]`, `"items":[]`} {
		if !strings.Contains(string(res.Body), key) {
			t.Errorf("empty report lacks %s: %s", key, res.Body)
		}
	}
	md := repText(t, fx, "format=markdown", nil, "text/markdown; charset=utf-8")
	repWantContains(t, md, "Aún no hay cifras mundiales ni del Perú.", "Ninguna fuente tiene aún evaluación de calidad.",
		"Aún no hay indicadores.", "No queda ninguna brecha por cerrar.")
	repText(t, fx, "format=html", nil, "text/html; charset=utf-8")
}

// TestReportQueryCount proves the report runs the same statements whatever the data holds.
func TestReportQueryCount(t *testing.T) {
	fx := repSetup(t)
	count := func() int64 {
		before := fx.env.DB.Queries()
		repJSON(t, fx)
		return fx.env.DB.Queries() - before
	}
	small := count()
	for _, code := range []string{"REP.MORE1", "REP.MORE2", "REP.MORE3"} {
		ind := repIndicator(t, fx, code, map[string]any{"es": code}, "stock")
		src := repSource(t, fx, code+"-SRC", map[string]any{"es": code}, "study", "public", repQuality(2, 2, 2), nil)
		for _, c := range []string{"BR", "CL", "FR", "DE", "CN"} {
			repObs(t, fx, ind, src, "2020", map[string]any{"country": c}, 1)
		}
		repObs(t, fx, ind, src, "2021", map[string]any{"place_kind": "world"}, 10)
		repGap(t, fx, "G-"+strings.ReplaceAll(code, ".", "-"), "medium", "open", nil)
	}
	if large := count(); large != small {
		t.Errorf("the report ran %d statements, then %d with more data: a query per row", small, large)
	}
}
