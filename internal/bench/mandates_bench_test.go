package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// The mandates read models (analysis, matrix, comparison) on a large scenario pair, measured
// from a single client: each request is sent after the previous one is answered, so the
// figures are the latency one user sees, not throughput under contention.
const (
	mandateFunctions   = 5_000
	mandateUnits       = 500
	mandatePerFunction = 10 // active assignments per function and scenario: 50,000 per scenario
	mandateInstruments = 40
	mandateWarmup      = 5
	mandateMeasured    = 50
	mandateTimeLimit   = 40 * time.Second // per endpoint
	// mandateTarget is the p95 the analysis and the comparison must stay under.
	mandateTarget = 150 * time.Millisecond
)

var mandateCategories = []string{"policy", "assistance", "protection", "engagement", "data_research", "coordination",
	"services", "communication_culture"}

// mandateData is what loadMandates generated.
type mandateData struct {
	base, variant uuid.UUID
	subtree       uuid.UUID // a directorate general: 156 of the 500 units
	active        int       // active assignments per scenario
	changed       int       // assignments of the variant that differ from the base
}

func BenchmarkMandates(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	data := loadMandates(ctx, b, db)
	setup := time.Since(start)
	puente, token := startPuente(ctx, b, db)

	base := "/v1/mandate-scenarios/" + data.base.String()
	scenarios := []scenario{
		{name: "analysis", path: func(int) string { return base + "/analysis" }},
		{name: "analysis-unit", path: func(int) string { return base + "/analysis?unit_id=" + data.subtree.String() }},
		{name: "matrix-json", path: func(int) string { return base + "/matrix" }},
		{name: "matrix-csv", path: func(int) string { return base + "/matrix" }, header: map[string]string{"Accept": "text/csv"}},
		{name: "comparison", path: func(int) string { return base + "/comparison?with=" + data.variant.String() }},
	}
	targeted := map[string]bool{"analysis": true, "analysis-unit": true, "comparison": true}

	checkMandates(b, puente.URL, token, data)

	results := singleClient(b, puente.URL, token, scenarios, mandateWarmup, mandateMeasured, mandateTimeLimit)

	fmt.Printf("\nMandates read models — %d functions, %d units, %d active assignments per scenario, %d changed in the variant "+
		"(setup %.1fs); one client, %d requests after %d warm-up; GOMAXPROCS %d\n",
		mandateFunctions, mandateUnits, data.active, data.changed, setup.Seconds(), mandateMeasured, mandateWarmup, runtime.GOMAXPROCS(0))
	printLatencies(scenarios, results, mandateTarget, targeted)
	fmt.Println()
}

// loadMandates generates a tree of units, legal instruments, functions with their legal bases,
// and two scenarios — the second a variant of the first with about 5% of its assignments moved,
// changed, removed or added — and loads them with COPY.
func loadMandates(ctx context.Context, b *testing.B, db *database.DB) mandateData {
	b.Helper()
	rng := rand.New(rand.NewPCG(3, 5))
	id := func() pgtype.UUID { return pgtype.UUID{Bytes: uuid.Must(uuid.NewV7()), Valid: true} }
	copyRows := func(table string, cols []string, rows [][]any) {
		b.Helper()
		n, err := db.Pool.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			b.Fatalf("copy %s: %v", table, err)
		}
		if int(n) != len(rows) {
			b.Fatalf("copied %d rows into %s, want %d", n, table, len(rows))
		}
	}

	// Units: a five-way tree (a ministry, 5 directorates general, 25 directorates, 125
	// sub-directorates, then departments).
	units := make([]pgtype.UUID, mandateUnits)
	rows := make([][]any, mandateUnits)
	for i := range units {
		units[i] = id()
		var parent any
		kind := "ministry"
		if i > 0 {
			parent = units[(i-1)/5]
			kind = [...]string{"directorate_general", "directorate", "sub_directorate", "department"}[min(mandateDepth(i)-1, 3)]
		}
		rows[i] = []any{units[i], fmt.Sprintf("MB-U-%03d", i), fmt.Sprintf("Unidad %d", i), fmt.Sprintf("Unit %d", i),
			fmt.Sprintf("U%d", i), kind, parent, "PE", "national"}
	}
	copyRows("institutions", []string{"id", "code", "name_es", "name_en", "acronym", "kind", "parent_id", "country", "tier"}, rows)

	instruments := make([]pgtype.UUID, mandateInstruments)
	rows = make([][]any, mandateInstruments)
	for i := range instruments {
		instruments[i] = id()
		rows[i] = []any{instruments[i], fmt.Sprintf("MB-I-%02d", i), "supreme_decree", fmt.Sprintf("%03d-2017-RE", i), fmt.Sprintf("Decreto %d", i)}
	}
	copyRows("legal_instruments", []string{"id", "code", "type", "number", "title_es"}, rows)

	// Functions: mostly current, some proposed, a few retired or archived; 70% cite a legal basis.
	functions := make([]pgtype.UUID, mandateFunctions)
	rows = make([][]any, mandateFunctions)
	var bases [][]any
	for i := range functions {
		functions[i] = id()
		status := "current"
		switch r := rng.IntN(100); {
		case r < 10:
			status = "proposed"
		case r < 13:
			status = "retired"
		}
		var archived any
		if rng.IntN(100) == 0 {
			archived = time.Now().UTC()
		}
		rows[i] = []any{functions[i], fmt.Sprintf("MB-F-%05d", i), fmt.Sprintf("Función de prueba número %d, sobre la diáspora", i),
			fmt.Sprintf("Benchmark function number %d, on the diaspora", i), mandateCategories[rng.IntN(len(mandateCategories))], status, archived}
		if rng.IntN(10) < 7 {
			for p := range 1 + rng.IntN(2) {
				bases = append(bases, []any{functions[i], p + 1, instruments[rng.IntN(len(instruments))], fmt.Sprint(1 + rng.IntN(40))})
			}
		}
	}
	copyRows("functions", []string{"id", "code", "title_es", "title_en", "category", "status", "archived_at"}, rows)
	copyRows("function_legal_bases", []string{"function_id", "position", "instrument_id", "article"}, bases)

	// Scenarios.
	data := mandateData{base: uuid.Must(uuid.NewV7()), variant: uuid.Must(uuid.NewV7()), subtree: units[2].Bytes}
	_, err := db.Pool.Exec(ctx, `INSERT INTO mandate_scenarios (id, code, name_es, kind) VALUES ($1, 'MB-AS-IS', 'Situación actual', 'as_is'),
		($2, 'MB-PROPOSED', 'Propuesta', 'proposed')`, data.base, data.variant)
	if err != nil {
		b.Fatal(err)
	}

	// Assignments: per function, ten distinct units; the first responsible (5% consulted: a gap),
	// the second responsible in 10% of functions (an overlap), the third accountable (90%), the
	// rest consulted or informed; 60% de jure. The variant copies each and then changes 5%.
	type cell struct {
		unit        int
		role, basis string
		instrument  any
	}
	// The variant's rows are stored after all of the base's, as copying a scenario does.
	var asg, variant [][]any
	add := func(scenario uuid.UUID, f int, c cell, archived any) {
		row := []any{id(), scenario, functions[f], units[c.unit], c.role, c.basis, c.instrument,
			"observado en la evaluación de necesidades", archived}
		if scenario == data.variant {
			variant = append(variant, row)
		} else {
			asg = append(asg, row)
		}
	}
	for f := range functions {
		used := map[int]bool{}
		pick := func() int {
			for {
				u := rng.IntN(mandateUnits)
				if !used[u] {
					used[u] = true
					return u
				}
			}
		}
		cells := make([]cell, mandatePerFunction)
		for k := range cells {
			c := cell{unit: pick(), role: "consulted", basis: "de_facto"}
			switch {
			case k == 0 && rng.IntN(20) != 0, k == 1 && rng.IntN(10) == 0:
				c.role = "responsible"
			case k == 2 && rng.IntN(10) != 0:
				c.role = "accountable"
			case k > 2 && rng.IntN(2) == 0:
				c.role = "informed"
			}
			if rng.IntN(10) < 6 {
				c.basis, c.instrument = "de_jure", instruments[rng.IntN(len(instruments))]
			}
			cells[k] = c
			add(data.base, f, c, nil)
			data.active++
		}
		// History: an archived assignment on one function in ten.
		if rng.IntN(10) == 0 {
			add(data.base, f, cell{unit: rng.IntN(mandateUnits), role: "informed", basis: "de_facto"}, time.Now().UTC())
		}
		for _, c := range cells {
			switch r := rng.IntN(1000); {
			case r < 25: // moved to a unit that holds nothing of this function
				c.unit = pick()
				data.changed++
			case r < 35: // role changed (never to accountable: one per function)
				if c.role == "informed" {
					c.role = "consulted"
				} else {
					c.role = "informed"
				}
				data.changed++
			case r < 45:
				if c.basis == "de_jure" {
					c.basis, c.instrument = "de_facto", nil
				} else {
					c.basis, c.instrument = "de_jure", instruments[rng.IntN(len(instruments))]
				}
				data.changed++
			case r < 50: // removed
				data.changed++
				continue
			}
			add(data.variant, f, c, nil)
		}
		if rng.IntN(20) == 0 { // added: about 0.5% of the assignments
			add(data.variant, f, cell{unit: pick(), role: "informed", basis: "de_facto"}, nil)
			data.changed++
		}
	}
	copyRows("mandate_assignments", []string{"id", "scenario_id", "function_id", "institution_id", "role", "basis", "instrument_id",
		"evidence", "archived_at"}, append(asg, variant...))
	// As autovacuum would after a bulk load: statistics, hint bits and the visibility map.
	if _, err := db.Pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	return data
}

// mandateDepth is unit i's depth in the five-way tree (the root is 0).
func mandateDepth(i int) int {
	d := 0
	for i > 0 {
		i = (i - 1) / 5
		d++
	}
	return d
}

// checkMandates makes sure each endpoint answers what the data holds before anything is
// measured.
func checkMandates(b *testing.B, url, token string, data mandateData) {
	b.Helper()
	get := func(path string, v any) { getJSON(b, url+path, token, v) }
	base := "/v1/mandate-scenarios/" + data.base.String()
	var a struct {
		Totals struct{ Functions, Assignments, Overlaps, Gaps, Contingency int } `json:"totals"`
	}
	get(base+"/analysis", &a)
	// About 86% of the functions are in scope (current or proposed, not archived).
	if a.Totals.Functions < mandateFunctions*8/10 || a.Totals.Assignments < data.active*8/10 || a.Totals.Overlaps == 0 ||
		a.Totals.Gaps == 0 || a.Totals.Contingency == 0 {
		b.Fatalf("analysis totals %+v", a.Totals)
	}
	var m struct {
		Functions []json.RawMessage `json:"functions"`
		Units     []json.RawMessage `json:"units"`
		Cells     []json.RawMessage `json:"cells"`
	}
	get(base+"/matrix", &m)
	if len(m.Functions) != a.Totals.Functions || len(m.Cells) != a.Totals.Assignments || len(m.Units) != mandateUnits {
		b.Fatalf("matrix: %d × %d with %d cells; analysis: %d functions, %d assignments", len(m.Functions), len(m.Units), len(m.Cells),
			a.Totals.Functions, a.Totals.Assignments)
	}
	var c struct {
		Functions []json.RawMessage `json:"functions"`
		Units     []json.RawMessage `json:"units"`
	}
	get(base+"/comparison?with="+data.variant.String(), &c)
	if len(c.Functions) < data.changed/3 || len(c.Units) == 0 {
		b.Fatalf("comparison: %d functions and %d units changed; the variant changed %d assignments", len(c.Functions), len(c.Units), data.changed)
	}
}
