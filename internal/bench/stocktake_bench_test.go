package bench

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	stocktakeISO "github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/testdb"
)

// The stocktake's read path on a statistics store of 1,000,000 observations, measured from a
// single client like the mandates: each request is sent after the previous one is answered. The
// lists are keyset-paged, so a page deep in a list must cost what the first one does; the
// aggregates and the coverage matrix are computed by PostgreSQL over one indicator.
//
// The store is generated (deterministically, ids included) in the shape of the real one: 8
// indicators (stock, flow, money, count) and 6 sources with tied quality scores; 200 countries
// of residence (the main destinations of Peruvians, then others from ISO 3166-1) over 1995–2024;
// per indicator several sources, each covering all main destinations but only a share of the
// other countries and of the years, so that the coverage matrix has empty cells and overlapping
// sources; annual periods, plus monthly ones for departures; most series broken down by sex and
// age group (21 observations per place and period), some by sex only, some not at all; a few
// thousand region-of-origin and world-level figures; 0.25% archived. It is loaded with COPY
// into the migrated schema (every index in place), then analysed and vacuumed.
//
// Scenarios: a page of observations filtered by indicator, country, sex and period_from (first
// and last page); filtered by indicator, sex and period_from only (first page, pages 101–200, and
// the first page from 2020); the whole list (first page, ~500,000 rows deep, and from 2020); an
// aggregate by country for one year; the coverage matrix of one indicator; series of three
// countries, annual and monthly. Every answer is checked against SQL before anything is timed.
const (
	stocktakeObservations = 1_000_000
	stocktakeCountryCount = 200 // countries of residence with data
	stocktakeFirstYear    = 1995
	stocktakeLastYear     = 2024
	stocktakePageSize     = 50
	stocktakeWalkPages    = 200 // pages walked (once, before measuring) to reach deep in a list
	stocktakeWarmup       = 10
	stocktakeMeasured     = 200
	stocktakeTimeLimit    = 20 * time.Second // per scenario
	// stocktakeTarget is the p95 the lists, the aggregate and the coverage matrix must stay under.
	stocktakeTarget = 100 * time.Millisecond
	// stocktakeAggregateYear is the year the aggregate scenario sums.
	stocktakeAggregateYear = 2020
	// stocktakeRecent is the period_from of the list of recent observations.
	stocktakeRecent = "2020-01-01"
)

// stocktakeListCountries are the countries the filtered list scenarios cycle through, and
// stocktakeSeriesCountries those of the series.
var (
	stocktakeListCountries   = []string{"CL", "US", "ES", "AR", "IT", "JP"}
	stocktakeSeriesCountries = []string{"CL", "US", "ES"}
)

// stocktakeIndicators are the generated indicators: 0 (the stock of Peruvians abroad, the
// largest, with four overlapping sources) is the one the list, aggregate, coverage and series
// scenarios read; 1 (departures) has monthly as well as annual periods. factor scales a
// country's stock of emigrants into the indicator's magnitude.
var stocktakeIndicators = []struct {
	code, nameES, nameEN, unit, measure string
	factor                              float64
}{
	{"BENCH-EMIG-STOCK", "Peruanos residentes en el exterior", "Peruvians resident abroad", "persons", "stock", 1},
	{"BENCH-DEPARTURES", "Salidas de peruanos sin retorno", "Departures of Peruvians not returned", "persons", "flow", 0.04},
	{"BENCH-REMITTANCES", "Remesas recibidas", "Remittances received", "USD", "money", 2_500},
	{"BENCH-CONSULAR-REG", "Inscripciones en el registro consular", "Consular registrations", "registrations", "count", 0.05},
	{"BENCH-RETURNS", "Retornos de peruanos", "Returns of Peruvians", "persons", "flow", 0.01},
	{"BENCH-NATURALISATIONS", "Naturalizaciones", "Naturalisations", "persons", "count", 0.015},
	{"BENCH-STUDENTS", "Estudiantes peruanos en el exterior", "Peruvian students abroad", "persons", "stock", 0.012},
	{"BENCH-WORKERS", "Peruanos ocupados en el exterior", "Employed Peruvians abroad", "persons", "stock", 0.6},
}

// stocktakeSources are the generated data sources; scores nil means not assessed. The quality
// sums tie on purpose (13, 10, 13, 10, 11, unassessed), so the status and the code break ties
// in the choice of the preferred source.
var stocktakeSources = []struct {
	code, titleES, titleEN, kind, periodicity string
	scores                                    []int // timeliness, completeness, comparability
}{
	{"BENCH-CENSUS", "Censo nacional", "National census", "census", "irregular", []int{3, 5, 5}},
	{"BENCH-ENAHO", "Encuesta nacional de hogares", "National household survey", "household_survey", "annual", []int{4, 3, 3}},
	{"BENCH-MIGRACIONES", "Registro de movimiento migratorio", "Register of migratory movements", "administrative_register", "monthly", []int{5, 4, 4}},
	{"BENCH-RCE", "Registro consular", "Consular register", "consular_register", "continuous", []int{4, 3, 3}},
	{"BENCH-UNDESA", "Estimaciones internacionales de migrantes", "International migrant stock estimates", "international_estimate", "biennial", []int{2, 4, 5}},
	{"BENCH-STUDY", "Estudio académico", "Academic study", "study", "one_off", nil},
}

// How an (indicator, source) pair breaks its figures down.
const (
	stocktakeSplitNone   = iota // sex total, age group total
	stocktakeSplitSex           // female, male, total; age group total
	stocktakeSplitSexAge        // every sex × every age group: 21 observations per place and period
)

var (
	stocktakeSexes     = []string{"total", "female", "male"}
	stocktakeSexShares = []float64{1, 0.53, 0.47}
	stocktakeAges      = []string{"total", "0-14", "15-24", "25-34", "35-44", "45-64", "65+"}
	stocktakeAgeShares = []float64{1, 0.08, 0.12, 0.22, 0.24, 0.25, 0.09}
	stocktakeStatuses  = []string{"final", "provisional", "estimate"}
	stocktakeFlags     = [][]string{{}, {"doubted_value"}, {"break_in_series"}}
)

// stocktakePair is what one source says about one indicator: which countries (all the main
// destinations, then a share of the others) and years it covers, how densely, how finely.
type stocktakePair struct {
	ind, src     int
	share        float64 // of the stocktakeCountryCount countries
	from, to     int
	years        []int   // only these years (a census), instead of from–to
	keep         float64 // probability that a covered country has data for a year
	split        int
	monthly      bool
	final        bool // final figures, provisional from provisionalFrom; else estimates
	provisionalF int
	regions      bool // also by Peruvian region of origin (sex split only)
}

// stocktakePairs is the shape of the store, in load order (one import per pair). Its natural
// size is a little over stocktakeObservations; the last pair is cut to make the count exact.
var stocktakePairs = []stocktakePair{
	// 0 stock of Peruvians abroad: the headline indicator, four overlapping sources.
	{ind: 0, src: 4, share: 1, from: 1995, to: 2024, keep: 0.45, split: stocktakeSplitSexAge},
	{ind: 0, src: 3, share: 0.75, from: 2000, to: 2024, keep: 0.92, split: stocktakeSplitSexAge, final: true, provisionalF: 2023, regions: true},
	{ind: 0, src: 0, share: 0.8, years: []int{2007, 2017}, keep: 1, split: stocktakeSplitSexAge, final: true, provisionalF: 9999},
	{ind: 0, src: 1, share: 0.35, from: 2004, to: 2024, keep: 0.85, split: stocktakeSplitSex},
	{ind: 0, src: 2, share: 0.9, from: 1995, to: 2024, keep: 0.9, split: stocktakeSplitSexAge}, // balance of movements: estimates
	// 1 departures: annual and monthly from the register of movements.
	{ind: 1, src: 2, share: 0.9, from: 1995, to: 2024, keep: 0.97, split: stocktakeSplitSexAge, final: true, provisionalF: 2024, regions: true},
	{ind: 1, src: 2, share: 0.5, from: 2010, to: 2024, keep: 1, split: stocktakeSplitSex, monthly: true, final: true, provisionalF: 2024},
	{ind: 1, src: 4, share: 0.45, from: 1995, to: 2020, keep: 0.5, split: stocktakeSplitNone},
	// 2 remittances: sparse.
	{ind: 2, src: 1, share: 0.5, from: 2004, to: 2024, keep: 0.9, split: stocktakeSplitSex},
	{ind: 2, src: 4, share: 1, from: 2010, to: 2024, keep: 0.8, split: stocktakeSplitNone},
	{ind: 2, src: 5, share: 0.3, from: 2010, to: 2020, keep: 1, split: stocktakeSplitNone},
	// 3 consular registrations.
	{ind: 3, src: 3, share: 0.75, from: 1995, to: 2024, keep: 0.95, split: stocktakeSplitSexAge, final: true, provisionalF: 2024},
	// 4 returns.
	{ind: 4, src: 2, share: 0.8, from: 1995, to: 2024, keep: 0.9, split: stocktakeSplitSexAge, final: true, provisionalF: 2024, regions: true},
	{ind: 4, src: 1, share: 0.35, from: 2004, to: 2024, keep: 0.8, split: stocktakeSplitSex},
	{ind: 4, src: 3, share: 0.5, from: 2005, to: 2024, keep: 0.7, split: stocktakeSplitSexAge, final: true, provisionalF: 2024},
	{ind: 4, src: 4, share: 0.6, from: 1995, to: 2022, keep: 0.6, split: stocktakeSplitSexAge},
	// 5 naturalisations.
	{ind: 5, src: 4, share: 0.6, from: 1995, to: 2022, keep: 0.75, split: stocktakeSplitSexAge},
	{ind: 5, src: 3, share: 0.5, from: 2000, to: 2024, keep: 0.85, split: stocktakeSplitSexAge, final: true, provisionalF: 2024},
	// 6 students abroad.
	{ind: 6, src: 4, share: 0.7, from: 1998, to: 2023, keep: 0.9, split: stocktakeSplitSexAge},
	{ind: 6, src: 5, share: 0.25, from: 2015, to: 2019, keep: 1, split: stocktakeSplitSexAge},
	{ind: 6, src: 3, share: 0.5, from: 2000, to: 2024, keep: 0.8, split: stocktakeSplitSexAge, final: true, provisionalF: 2023},
	// 7 employed Peruvians abroad.
	{ind: 7, src: 1, share: 0.35, from: 2004, to: 2024, keep: 0.8, split: stocktakeSplitSex},
	{ind: 7, src: 5, share: 0.3, from: 2010, to: 2020, keep: 1, split: stocktakeSplitSexAge},
	{ind: 7, src: 3, share: 0.6, from: 2000, to: 2024, keep: 0.85, split: stocktakeSplitSexAge, final: true, provisionalF: 2023},
	{ind: 7, src: 4, share: 0.3, from: 1995, to: 2024, keep: 0.8, split: stocktakeSplitSexAge},
}

// stocktakeDestinations are the main countries of residence of Peruvians abroad with a rough
// stock; every pair covers them. The other countries get a few hundred to a few thousand.
var stocktakeDestinations = []struct {
	code  string
	stock float64
}{
	{"US", 1_000_000}, {"ES", 450_000}, {"AR", 450_000}, {"CL", 330_000}, {"IT", 290_000}, {"JP", 130_000},
	{"VE", 100_000}, {"BR", 60_000}, {"BO", 50_000}, {"MX", 45_000}, {"EC", 40_000}, {"CA", 35_000},
	{"DE", 30_000}, {"CO", 30_000}, {"FR", 25_000}, {"GB", 20_000}, {"CH", 15_000}, {"AU", 15_000},
	{"KR", 12_000}, {"PA", 10_000}, {"CR", 10_000}, {"UY", 8_000}, {"PY", 7_000}, {"NL", 7_000},
	{"BE", 6_000}, {"SE", 5_000},
}

// stocktakeRow is one generated observation, compactly.
type stocktakeRow struct {
	value             float64
	place             string
	year              uint16
	month             uint8 // 0: the whole year
	ind, src          uint8
	kind              uint8 // 0 country, 1 region, 2 world
	sex, age          uint8
	status, flag      uint8
	archived, hasNote bool
}

// stocktakeData is what loadStocktake generated.
type stocktakeData struct {
	indicators []uuid.UUID
	sources    []uuid.UUID
	perInd     []int // observations per indicator
	regions    int   // region-of-origin observations
	world      int   // world-level observations
	monthly    int   // monthly observations
	archived   int
	natural    int // observations generated before the cut to stocktakeObservations
	generate   time.Duration
	copy       time.Duration
	analyze    time.Duration
}

func BenchmarkStocktake(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	data := loadStocktake(ctx, b, db)
	setup := time.Since(start)
	puente, token := startPuente(ctx, b, db)

	x := data.indicators[0].String()
	q := func(vs ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(vs); i += 2 {
			v.Add(vs[i], vs[i+1])
		}
		return v.Encode()
	}
	countryPath := func(c string) string {
		return "/v1/observations?" + q("indicator_id", x, "country", c, "sex", "total", "period_from", "2000-01-01", "page_size", fmt.Sprint(stocktakePageSize))
	}
	indicatorPath := "/v1/observations?" + q("indicator_id", x, "sex", "total", "period_from", "2000-01-01", "page_size", fmt.Sprint(stocktakePageSize))
	// The same with a recent period_from: what precedes it is skipped row by row, not by the index.
	recentPath := "/v1/observations?" + q("indicator_id", x, "sex", "total", "period_from", stocktakeRecent, "page_size", fmt.Sprint(stocktakePageSize))
	allPath := "/v1/observations?" + q("page_size", fmt.Sprint(stocktakePageSize))
	allRecentPath := "/v1/observations?" + q("period_from", stocktakeRecent, "page_size", fmt.Sprint(stocktakePageSize))
	aggregatePath := "/v1/stocktake/aggregates?" + q("indicator_id", x, "group_by", "country",
		"year_from", fmt.Sprint(stocktakeAggregateYear), "year_to", fmt.Sprint(stocktakeAggregateYear))
	coveragePath := "/v1/stocktake/coverage?" + q("indicator_id", x)
	seriesPath := func(ind uuid.UUID) string {
		vs := []string{"indicator_id", ind.String()}
		for _, c := range stocktakeSeriesCountries {
			vs = append(vs, "country", c)
		}
		return "/v1/stocktake/series?" + q(vs...)
	}

	// The check walks the lists and returns the tokens of deep pages.
	deep := checkStocktake(ctx, b, db, puente.URL, token, data, stocktakePaths{
		country: countryPath, indicator: indicatorPath, recent: recentPath, all: allPath, allRecent: allRecentPath,
		aggregate: aggregatePath, coverage: coveragePath, series: seriesPath(data.indicators[0]),
		seriesMonthly: seriesPath(data.indicators[1]),
	})
	withToken := func(path string, tokens []string) func(int) string {
		return func(i int) string { return path + "&page_token=" + tokens[i%len(tokens)] }
	}
	scenarios := []scenario{
		{name: "list-country", path: func(i int) string { return countryPath(stocktakeListCountries[i%len(stocktakeListCountries)]) }},
		{name: "list-country-last", path: func(i int) string {
			c := i % len(stocktakeListCountries)
			return countryPath(stocktakeListCountries[c]) + "&page_token=" + deep.countryLast[c]
		}},
		{name: "list-indicator", path: func(int) string { return indicatorPath }},
		{name: "list-indicator-deep", path: withToken(indicatorPath, deep.indicator)},
		{name: "list-indicator-" + stocktakeRecent[:4], path: func(int) string { return recentPath }},
		{name: "list-all", path: func(int) string { return allPath }},
		{name: "list-all-deep", path: withToken(allPath, deep.all)},
		{name: "list-all-" + stocktakeRecent[:4], path: func(int) string { return allRecentPath }},
		{name: "aggregate", path: func(int) string { return aggregatePath }},
		{name: "coverage", path: func(int) string { return coveragePath }},
		{name: "series", path: func(int) string { return seriesPath(data.indicators[0]) }},
		{name: "series-monthly", path: func(int) string { return seriesPath(data.indicators[1]) }},
		{name: "report-json", path: func(int) string { return "/v1/stocktake/report" }},
		{name: "report-html", path: func(int) string { return "/v1/stocktake/report?format=html" }},
	}
	targeted := map[string]bool{"list-country": true, "list-country-last": true, "list-indicator": true, "list-indicator-deep": true,
		"list-indicator-" + stocktakeRecent[:4]: true, "list-all": true, "list-all-deep": true, "list-all-" + stocktakeRecent[:4]: true, "aggregate": true, "coverage": true}

	results := singleClient(b, puente.URL, token, scenarios, stocktakeWarmup, stocktakeMeasured, stocktakeTimeLimit)

	fmt.Printf("\nStocktake read path — %d observations (%d indicators, %d sources, %d countries, %d–%d; %d monthly, "+
		"%d region-of-origin, %d world-level, %d archived); generated in %.1fs, COPY %.1fs, ANALYZE+VACUUM %.1fs (setup %.1fs); "+
		"one client, %d requests after %d warm-up; GOMAXPROCS %d\n",
		stocktakeObservations, len(data.indicators), len(data.sources), stocktakeCountryCount, stocktakeFirstYear, stocktakeLastYear,
		data.monthly, data.regions, data.world, data.archived, data.generate.Seconds(), data.copy.Seconds(), data.analyze.Seconds(),
		setup.Seconds(), stocktakeMeasured, stocktakeWarmup, runtime.GOMAXPROCS(0))
	printLatencies(scenarios, results, stocktakeTarget, targeted)
	for _, pair := range [][2]string{{"list-country-last", "list-country"}, {"list-indicator-deep", "list-indicator"}, {"list-all-deep", "list-all"}} {
		d, okD := results[pair[0]]
		f, okF := results[pair[1]]
		if okD && okF {
			fmt.Printf("deep/first %-19s p50 %.2f  p95 %.2f  (%s)\n", pair[0]+":", ms(d.p50)/ms(f.p50), ms(d.p95)/ms(f.p95), deep.describe[pair[0]])
		}
	}
	fmt.Println()
}

// stocktakeUUID makes a UUID version 7 for the millisecond ms with random bits from rng, so
// that the generated store is the same on every run, ids included.
func stocktakeUUID(ms int64, rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	binary.BigEndian.PutUint16(u[6:], uint16(rng.Uint32()))
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	return u
}

// generateStocktake makes the observations of stocktakePairs over countries, cut to
// stocktakeObservations.
func generateStocktake(rng *rand.Rand, countryCodes []string, stock map[string]float64) []stocktakeRow {
	rows := make([]stocktakeRow, 0, stocktakeObservations+50_000)
	combos := func(split int) (sexes, ages int) {
		switch split {
		case stocktakeSplitSex:
			return 3, 1
		case stocktakeSplitSexAge:
			return 3, len(stocktakeAges)
		}
		return 1, 1
	}
	for _, p := range stocktakePairs {
		factor := stocktakeIndicators[p.ind].factor
		bias := 0.85 + 0.3*rng.Float64() // what this source finds, against the others
		years := p.years
		if years == nil {
			for y := p.from; y <= p.to; y++ {
				years = append(years, y)
			}
		}
		status := func(y int) uint8 {
			switch {
			case !p.final:
				return 2
			case y >= p.provisionalF:
				return 1
			}
			return 0
		}
		growth := func(y int) float64 {
			return 0.45 + 0.55*float64(y-stocktakeFirstYear)/float64(stocktakeLastYear-stocktakeFirstYear)
		}
		nSex, nAge := combos(p.split)
		emit := func(kind uint8, place string, y, month int, base float64) {
			for s := range nSex {
				for a := range nAge {
					v := base * stocktakeSexShares[s] * stocktakeAgeShares[a] * (0.95 + 0.1*rng.Float64())
					if month > 0 {
						v /= 12
					}
					if stocktakeIndicators[p.ind].measure == "money" {
						v = math.Round(v*100) / 100
					} else {
						v = math.Round(v)
					}
					r := stocktakeRow{value: v, place: place, year: uint16(y), month: uint8(month), ind: uint8(p.ind), src: uint8(p.src),
						kind: kind, sex: uint8(s), age: uint8(a), status: status(y)}
					switch n := rng.IntN(1000); {
					case n < 20:
						r.flag = 1
					case n < 30:
						r.flag = 2
					}
					r.hasNote = rng.IntN(100) == 0
					r.archived = rng.IntN(400) == 0
					rows = append(rows, r)
				}
			}
		}
		// World-level totals and regions of origin first: a cut of the last pair drops countries.
		world := 0.0
		for _, c := range countryCodes {
			world += stock[c]
		}
		for _, y := range years {
			if rng.Float64() >= 0.9 {
				continue
			}
			if p.monthly {
				for m := 1; m <= 12; m++ {
					emit(2, "", y, m, world*factor*growth(y)*bias)
				}
			} else {
				emit(2, "", y, 0, world*factor*growth(y)*bias)
			}
		}
		if p.regions {
			for reg := 1; reg <= 25; reg++ {
				// Lima (15) sends about a third of the emigrants.
				share := 0.025
				if reg == 15 {
					share = 0.35
				}
				for _, y := range years {
					for s := range 3 {
						v := math.Round(world * factor * growth(y) * share * stocktakeSexShares[s] * (0.9 + 0.2*rng.Float64()))
						rows = append(rows, stocktakeRow{value: v, place: fmt.Sprintf("%02d", reg), year: uint16(y), ind: uint8(p.ind),
							src: uint8(p.src), kind: 1, sex: uint8(s), status: status(y)})
					}
				}
			}
		}
		// Countries: the main destinations always, a share of the others.
		others := (p.share*stocktakeCountryCount - float64(len(stocktakeDestinations))) / float64(stocktakeCountryCount-len(stocktakeDestinations))
		for i, c := range countryCodes {
			if i >= len(stocktakeDestinations) && rng.Float64() >= others {
				continue
			}
			for _, y := range years {
				if rng.Float64() >= p.keep {
					continue
				}
				base := stock[c] * factor * growth(y) * bias
				if p.monthly {
					for m := 1; m <= 12; m++ {
						emit(0, c, y, m, base)
					}
				} else {
					emit(0, c, y, 0, base)
				}
			}
		}
	}
	return rows
}

// loadStocktake creates the indicators and sources, generates the observations and loads them
// with COPY, then analyses and vacuums as autovacuum would after a bulk load.
func loadStocktake(ctx context.Context, b *testing.B, db *database.DB) stocktakeData {
	b.Helper()
	rng := rand.New(rand.NewPCG(2024, 7))
	started := time.Now()
	loadedAt := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	data := stocktakeData{perInd: make([]int, len(stocktakeIndicators))}

	for i, ind := range stocktakeIndicators {
		id := stocktakeUUID(loadedAt.UnixMilli()-100+int64(i), rng)
		data.indicators = append(data.indicators, id)
		if _, err := db.Pool.Exec(ctx, `INSERT INTO indicators (id, code, name_es, name_en, unit, measure, definition_es)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, ind.code, ind.nameES, ind.nameEN, ind.unit, ind.measure,
			"Indicador generado para el benchmark."); err != nil {
			b.Fatalf("insert indicator: %v", err)
		}
	}
	for i, s := range stocktakeSources {
		id := stocktakeUUID(loadedAt.UnixMilli()-50+int64(i), rng)
		data.sources = append(data.sources, id)
		var t, c, k any
		if s.scores != nil {
			t, c, k = s.scores[0], s.scores[1], s.scores[2]
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO data_sources (id, code, title_es, title_en, type, periodicity, access,
			coverage_start, timeliness_score, completeness_score, comparability_score, spatial_coverage, disaggregations)
			VALUES ($1, $2, $3, $4, $5, $6, 'public', '1995-01-01', $7, $8, $9, '{world}', '{sex,age_group}')`,
			id, s.code, s.titleES, s.titleEN, s.kind, s.periodicity, t, c, k); err != nil {
			b.Fatalf("insert data source: %v", err)
		}
	}

	// Countries: the main destinations, then others drawn from ISO 3166-1.
	stock := map[string]float64{}
	var codes []string
	for _, d := range stocktakeDestinations {
		codes = append(codes, d.code)
		stock[d.code] = d.stock
	}
	var rest []string
	for _, c := range stocktakeISO.All() {
		if _, ok := stock[c.Code]; !ok {
			rest = append(rest, c.Code)
		}
	}
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for _, c := range rest[:stocktakeCountryCount-len(codes)] {
		codes = append(codes, c)
		stock[c] = math.Round(math.Exp(math.Log(100) + rng.Float64()*(math.Log(4000)-math.Log(100))))
	}

	rows := generateStocktake(rng, codes, stock)
	if len(rows) < stocktakeObservations {
		b.Fatalf("generated %d observations, want at least %d: widen stocktakePairs", len(rows), stocktakeObservations)
	}
	data.natural = len(rows)
	rows = rows[:stocktakeObservations]
	for _, r := range rows {
		data.perInd[r.ind]++
		switch r.kind {
		case 1:
			data.regions++
		case 2:
			data.world++
		}
		if r.month > 0 {
			data.monthly++
		}
		if r.archived {
			data.archived++
		}
	}
	data.generate = time.Since(started)

	// The store was filled by imports over the months before loadedAt: created_at (and the
	// UUIDv7 ids) rise with the load order.
	firstLoad := loadedAt.Add(-180 * 24 * time.Hour)
	yearStart := map[int]time.Time{}
	for y := stocktakeFirstYear; y <= stocktakeLastYear+1; y++ {
		yearStart[y] = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	note := "Cifra revisada por la fuente."
	row := make([]any, 19)
	i := 0
	copyStart := time.Now()
	n, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"observations"}, []string{
		"id", "indicator_id", "source_id", "period", "period_start", "period_end", "place_kind", "place_code", "sex", "age_group",
		"value", "status", "flags", "note", "demo", "version", "created_at", "updated_at", "archived_at",
	}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(rows) {
			return nil, nil
		}
		r := rows[i]
		created := firstLoad.Add(time.Duration(i) * 15 * time.Second)
		y := int(r.year)
		period, start, end := fmt.Sprint(y), yearStart[y], yearStart[y+1].AddDate(0, 0, -1)
		if r.month > 0 {
			start = time.Date(y, time.Month(r.month), 1, 0, 0, 0, 0, time.UTC)
			period, end = start.Format("2006-01"), start.AddDate(0, 1, -1)
		}
		row[0] = pgtype.UUID{Bytes: stocktakeUUID(created.UnixMilli(), rng), Valid: true}
		row[1] = pgtype.UUID{Bytes: data.indicators[r.ind], Valid: true}
		row[2] = pgtype.UUID{Bytes: data.sources[r.src], Valid: true}
		row[3], row[4], row[5] = period, start, end
		row[6] = [...]string{"country", "region", "world"}[r.kind]
		row[7], row[8], row[9], row[10] = r.place, stocktakeSexes[r.sex], stocktakeAges[r.age], r.value
		row[11], row[12] = stocktakeStatuses[r.status], stocktakeFlags[r.flag]
		row[13] = nil
		if r.hasNote {
			row[13] = note
		}
		row[14], row[15], row[16], row[17], row[18] = false, int64(1), created, created, nil
		if r.archived {
			row[15], row[17], row[18] = int64(2), created.Add(24*time.Hour), created.Add(24*time.Hour)
		}
		i++
		return row, nil
	}))
	if err != nil {
		b.Fatalf("copy observations: %v", err)
	}
	if n != stocktakeObservations {
		b.Fatalf("copied %d observations, want %d", n, stocktakeObservations)
	}
	data.copy = time.Since(copyStart)
	// As autovacuum would after a bulk load: statistics, hint bits and the visibility map (the
	// coverage matrix reads an index only).
	analyzeStart := time.Now()
	if _, err := db.Pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, "VACUUM (ANALYZE) observations"); err != nil {
		b.Fatalf("vacuum: %v", err)
	}
	data.analyze = time.Since(analyzeStart)
	fmt.Printf("stocktake: generated %d observations (cut from %d) in %.1fs, loaded with COPY in %.1fs, ANALYZE + VACUUM (ANALYZE) in %.1fs; per indicator %v\n",
		stocktakeObservations, data.natural, data.generate.Seconds(), data.copy.Seconds(), data.analyze.Seconds(), data.perInd)
	return data
}

// stocktakePaths are the requests checkStocktake checks.
type stocktakePaths struct {
	country               func(country string) string
	indicator, recent     string
	all, allRecent        string
	aggregate, coverage   string
	series, seriesMonthly string
}

// stocktakeDeep are page tokens deep in the lists, found while checking them.
type stocktakeDeep struct {
	countryLast []string // per stocktakeListCountries, the token of the last page
	indicator   []string // pages stocktakeWalkPages/2+1 .. stocktakeWalkPages of the indicator list
	all         []string // around 500,000 rows into the whole list
	describe    map[string]string
}

// stocktakeObservation is what the checks read of an observation.
type stocktakeObservation struct {
	ID          uuid.UUID `json:"id"`
	IndicatorID uuid.UUID `json:"indicator_id"`
	PlaceKind   string    `json:"place_kind"`
	Country     *string   `json:"country"`
	Sex         string    `json:"sex"`
	PeriodStart string    `json:"period_start"`
	PeriodEnd   string    `json:"period_end"`
}

type stocktakePage struct {
	Items         []stocktakeObservation `json:"items"`
	NextPageToken string                 `json:"next_page_token"`
}

// stocktakeFilterSQL is the list filter of the scenarios, in SQL, with the indicator as $1.
const stocktakeFilterSQL = `archived_at IS NULL AND indicator_id = $1 AND sex = 'total' AND period_end >= '2000-01-01'`

// stocktakePreferredSQL picks, from the observations of one indicator ($1) that match cond, one
// per place and period: the preferred source's (best quality sum, unassessed last; then final,
// provisional, estimate; then source code), as the contract defines it.
func stocktakePreferredSQL(cond string) string {
	return `SELECT DISTINCT ON (o.place_kind, o.place_code, o.period_start, o.period_end)
		o.id, o.place_code, o.period_start, o.value, o.source_id
	FROM observations o JOIN data_sources s ON s.id = o.source_id
	WHERE o.indicator_id = $1 AND o.archived_at IS NULL AND o.sex = 'total' AND o.age_group = 'total' AND ` + cond + `
	ORDER BY o.place_kind, o.place_code, o.period_start, o.period_end,
		(s.timeliness_score + s.completeness_score + s.comparability_score) DESC NULLS LAST,
		CASE o.status WHEN 'final' THEN 0 WHEN 'provisional' THEN 1 ELSE 2 END, s.code`
}

// checkStocktake makes sure each request answers what the data holds before anything is
// measured, comparing with SQL run directly; it walks the lists and returns deep page tokens.
func checkStocktake(ctx context.Context, b *testing.B, db *database.DB, base, token string, data stocktakeData, p stocktakePaths) stocktakeDeep {
	b.Helper()
	started := time.Now()
	get := func(path string, v any) { b.Helper(); getJSON(b, base+path, token, v) }
	ids := func(sql string, args ...any) []uuid.UUID {
		b.Helper()
		rows, err := db.Pool.Query(ctx, sql, args...)
		if err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		return out
	}
	count := func(sql string, args ...any) int {
		b.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	pageIDs := func(pg stocktakePage) []uuid.UUID {
		out := make([]uuid.UUID, len(pg.Items))
		for i, it := range pg.Items {
			out[i] = it.ID
		}
		return out
	}
	x := data.indicators[0]
	deep := stocktakeDeep{describe: map[string]string{}}

	// Filtered by country: the first page is SQL's, and walking to the end gives every row once.
	lastPages := 0
	for _, c := range stocktakeListCountries {
		want := ids(`SELECT id FROM observations WHERE `+stocktakeFilterSQL+` AND place_kind = 'country' AND place_code = $2
			ORDER BY period_start, id`, x, c)
		if len(want) <= 2*stocktakePageSize {
			b.Fatalf("only %d observations match the list filter for %s; want several full pages", len(want), c)
		}
		var got []uuid.UUID
		next, pages, lastToken := "", 0, ""
		for {
			path := p.country(c)
			if next != "" {
				path += "&page_token=" + next
				lastToken = next
			}
			var pg stocktakePage
			get(path, &pg)
			pages++
			for _, it := range pg.Items {
				if it.IndicatorID != x || it.Country == nil || *it.Country != c || it.Sex != "total" || it.PeriodEnd < "2000-01-01" {
					b.Fatalf("list %s: observation %s does not match the filter: %+v", c, it.ID, it)
				}
			}
			if pg.NextPageToken != "" && len(pg.Items) != stocktakePageSize {
				b.Fatalf("list %s page %d: %d items and a next page", c, pages, len(pg.Items))
			}
			got = append(got, pageIDs(pg)...)
			if pg.NextPageToken == "" {
				break
			}
			next = pg.NextPageToken
		}
		if !slices.Equal(got, want) {
			b.Fatalf("list %s: walked %d observations in %d pages; SQL has %d in another order or set", c, len(got), pages, len(want))
		}
		deep.countryLast = append(deep.countryLast, lastToken)
		lastPages = max(lastPages, pages)
	}
	deep.describe["list-country-last"] = fmt.Sprintf("last page of each country, at most page %d", lastPages)

	// Filtered by indicator only: walk stocktakeWalkPages pages, each SQL's.
	total := count(`SELECT count(*) FROM observations WHERE `+stocktakeFilterSQL, x)
	if total < (stocktakeWalkPages+1)*stocktakePageSize {
		b.Fatalf("only %d observations match the indicator filter; want more than %d pages", total, stocktakeWalkPages)
	}
	want := ids(`SELECT id FROM observations WHERE `+stocktakeFilterSQL+` ORDER BY period_start, id LIMIT $2`, x, stocktakeWalkPages*stocktakePageSize)
	next := ""
	for page := 1; page <= stocktakeWalkPages; page++ {
		path := p.indicator
		if next != "" {
			path += "&page_token=" + next
		}
		var pg stocktakePage
		get(path, &pg)
		if len(pg.Items) != stocktakePageSize || pg.NextPageToken == "" {
			b.Fatalf("indicator list page %d: %d items, next token %q", page, len(pg.Items), pg.NextPageToken)
		}
		if w := want[(page-1)*stocktakePageSize : page*stocktakePageSize]; !slices.Equal(pageIDs(pg), w) {
			b.Fatalf("indicator list page %d differs from SQL's", page)
		}
		if page > stocktakeWalkPages/2 {
			deep.indicator = append(deep.indicator, next)
		}
		next = pg.NextPageToken
	}
	deep.describe["list-indicator-deep"] = fmt.Sprintf("pages %d–%d of %d", stocktakeWalkPages/2+1, stocktakeWalkPages,
		(total+stocktakePageSize-1)/stocktakePageSize)

	// Recent observations: the first page is SQL's.
	var recent stocktakePage
	get(p.recent, &recent)
	if w := ids(`SELECT id FROM observations WHERE archived_at IS NULL AND indicator_id = $1 AND sex = 'total' AND period_end >= $2
		ORDER BY period_start, id LIMIT $3`, x, stocktakeRecent, stocktakePageSize); !slices.Equal(pageIDs(recent), w) || recent.NextPageToken == "" {
		b.Fatalf("recent observations: the first page differs from SQL's")
	}

	get(p.allRecent, &recent)
	if w := ids(`SELECT id FROM observations WHERE archived_at IS NULL AND period_end >= $1 ORDER BY period_start, id LIMIT $2`,
		stocktakeRecent, stocktakePageSize); !slices.Equal(pageIDs(recent), w) || recent.NextPageToken == "" {
		b.Fatalf("recent observations of every indicator: the first page differs from SQL's")
	}

	// The whole list: tokens made (as the list makes them) for positions around 500,000 rows in.
	active := count(`SELECT count(*) FROM observations WHERE archived_at IS NULL`)
	var positions []int
	for k := 400_000; k < 600_000; k += 10_000 {
		positions = append(positions, k)
	}
	rows, err := db.Pool.Query(ctx, `SELECT rn, period_start, id FROM (
		SELECT row_number() OVER (ORDER BY period_start, id) AS rn, period_start, id FROM observations WHERE archived_at IS NULL) t
		WHERE rn = ANY($1) ORDER BY rn`, positions)
	if err != nil {
		b.Fatal(err)
	}
	type position struct {
		rn    int
		start time.Time
		id    uuid.UUID
	}
	var after []position
	for rows.Next() {
		var a position
		if err := rows.Scan(&a.rn, &a.start, &a.id); err != nil {
			b.Fatal(err)
		}
		after = append(after, a)
	}
	if err := rows.Err(); err != nil || len(after) != len(positions) {
		b.Fatalf("positions in the whole list: %d of %d, %v", len(after), len(positions), rows.Err())
	}
	for n, a := range after {
		// The list's cursor is the last row's (sort value, id) under the list's name and order.
		tok := paging.Encode("observations:period", struct {
			V string    `json:"v"`
			I uuid.UUID `json:"i"`
		}{a.start.Format(time.DateOnly), a.id})
		deep.all = append(deep.all, tok)
		if n%5 == 0 {
			var pg stocktakePage
			get(p.all+"&page_token="+tok, &pg)
			w := ids(`SELECT id FROM observations WHERE archived_at IS NULL ORDER BY period_start, id OFFSET $1 LIMIT $2`, a.rn, stocktakePageSize)
			if !slices.Equal(pageIDs(pg), w) || pg.NextPageToken == "" {
				b.Fatalf("whole list after row %d: the page differs from SQL's", a.rn)
			}
		}
	}
	var first stocktakePage
	get(p.all, &first)
	if w := ids(`SELECT id FROM observations WHERE archived_at IS NULL ORDER BY period_start, id LIMIT $1`, stocktakePageSize); !slices.Equal(pageIDs(first), w) {
		b.Fatalf("whole list: the first page differs from SQL's")
	}
	deep.describe["list-all-deep"] = fmt.Sprintf("rows %d–%d of %d", positions[0], positions[len(positions)-1], active)

	// Aggregate by country for one year: one group per country with data, each the sum of one
	// figure per country and period from the preferred source.
	var agg struct {
		Groups []struct {
			Country string  `json:"country"`
			Total   float64 `json:"total"`
			Count   int64   `json:"count"`
			Latest  struct {
				Value        float64 `json:"value"`
				Observations int64   `json:"observations"`
			} `json:"latest"`
		} `json:"groups"`
	}
	get(p.aggregate, &agg)
	rows, err = db.Pool.Query(ctx, `SELECT place_code, sum(value), count(*) FROM (`+stocktakePreferredSQL(
		`o.place_kind = 'country' AND o.period_start >= make_date($2, 1, 1) AND o.period_start < make_date($2 + 1, 1, 1)`)+`) p
		GROUP BY place_code ORDER BY place_code`, x, stocktakeAggregateYear)
	if err != nil {
		b.Fatal(err)
	}
	type sum struct {
		place string
		total float64
		count int64
	}
	var sums []sum
	for rows.Next() {
		var s sum
		if err := rows.Scan(&s.place, &s.total, &s.count); err != nil {
			b.Fatal(err)
		}
		sums = append(sums, s)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	if len(agg.Groups) != len(sums) || len(sums) < stocktakeCountryCount/2 {
		b.Fatalf("aggregate: %d groups; SQL has %d countries with data in %d", len(agg.Groups), len(sums), stocktakeAggregateYear)
	}
	for i, g := range agg.Groups {
		s := sums[i]
		if g.Country != s.place || g.Count != s.count || math.Abs(g.Total-s.total) > 1e-9*math.Abs(s.total) {
			b.Fatalf("aggregate group %d: %s total %v of %d; SQL: %s total %v of %d", i, g.Country, g.Total, g.Count, s.place, s.total, s.count)
		}
		if g.Count == 1 && (g.Latest.Observations != 1 || g.Latest.Value != g.Total) {
			b.Fatalf("aggregate group %s: latest %+v of a single figure %v", g.Country, g.Latest, g.Total)
		}
	}

	// Coverage of one indicator: every country with data × the indicator's years; the covered
	// cells and their sources as SQL counts them, the rest empty.
	var cov struct {
		Countries []string `json:"countries"`
		Years     []int    `json:"years"`
		Cells     []struct {
			Country   string      `json:"country"`
			Year      int         `json:"year"`
			SourceIDs []uuid.UUID `json:"source_ids"`
		} `json:"cells"`
		Empty      []json.RawMessage `json:"empty"`
		TotalCells int               `json:"total_cells"`
	}
	get(p.coverage, &cov)
	wantCountries := count(`SELECT count(DISTINCT place_code) FROM observations WHERE place_kind = 'country' AND archived_at IS NULL`)
	var firstYear, lastYear int
	if err := db.Pool.QueryRow(ctx, `SELECT min(extract(year FROM period_start))::int, max(extract(year FROM period_start))::int
		FROM observations WHERE indicator_id = $1 AND place_kind = 'country' AND archived_at IS NULL`, x).Scan(&firstYear, &lastYear); err != nil {
		b.Fatal(err)
	}
	wantCells := count(`SELECT count(*) FROM (SELECT DISTINCT place_code, extract(year FROM period_start) FROM observations
		WHERE indicator_id = $1 AND place_kind = 'country' AND archived_at IS NULL) c`, x)
	wantSources := count(`SELECT count(*) FROM (SELECT DISTINCT place_code, extract(year FROM period_start), source_id FROM observations
		WHERE indicator_id = $1 AND place_kind = 'country' AND archived_at IS NULL) c`, x)
	gotSources := 0
	for _, c := range cov.Cells {
		gotSources += len(c.SourceIDs)
	}
	wantTotal := wantCountries * (lastYear - firstYear + 1)
	if len(cov.Countries) != wantCountries || len(cov.Years) != lastYear-firstYear+1 || cov.Years[0] != firstYear ||
		len(cov.Cells) != wantCells || gotSources != wantSources || cov.TotalCells != wantTotal || len(cov.Empty) != wantTotal-wantCells ||
		len(cov.Empty) == 0 {
		b.Fatalf("coverage: %d countries × %d years = %d cells, %d covered (%d sources), %d empty; SQL: %d × %d (from %d) = %d, %d covered (%d sources)",
			len(cov.Countries), len(cov.Years), cov.TotalCells, len(cov.Cells), gotSources, len(cov.Empty),
			wantCountries, lastYear-firstYear+1, firstYear, wantTotal, wantCells, wantSources)
	}

	// Series: per country, one point per period from the preferred source.
	for _, s := range []struct {
		path string
		ind  uuid.UUID
	}{{p.series, x}, {p.seriesMonthly, data.indicators[1]}} {
		var ser struct {
			Series []struct {
				Country *string `json:"country"`
				Points  []struct {
					ObservationID uuid.UUID `json:"observation_id"`
				} `json:"points"`
			} `json:"series"`
		}
		get(s.path, &ser)
		if len(ser.Series) != len(stocktakeSeriesCountries) {
			b.Fatalf("series of %s: %d places, want %d", s.ind, len(ser.Series), len(stocktakeSeriesCountries))
		}
		for _, pl := range ser.Series {
			if pl.Country == nil {
				b.Fatalf("series of %s: a place that is not a country", s.ind)
			}
			w := ids(`SELECT id FROM (`+stocktakePreferredSQL(`o.place_kind = 'country' AND o.place_code = $2`)+`) p`, s.ind, *pl.Country)
			got := make([]uuid.UUID, len(pl.Points))
			for i, pt := range pl.Points {
				got[i] = pt.ObservationID
			}
			if len(w) < 20 || !slices.Equal(got, w) {
				b.Fatalf("series of %s in %s: %d points; SQL picks %d (or others)", s.ind, *pl.Country, len(got), len(w))
			}
		}
	}
	fmt.Printf("stocktake: answers checked against SQL in %.1fs (%s)\n", time.Since(started).Seconds(),
		strings.Join([]string{fmt.Sprintf("aggregate %d groups", len(agg.Groups)),
			fmt.Sprintf("coverage %d×%d, %d covered, %d empty", len(cov.Countries), len(cov.Years), len(cov.Cells), len(cov.Empty))}, "; "))
	return deep
}
