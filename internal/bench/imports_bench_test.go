package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	isocountries "github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// The import benchmark: a statistics office's file of a million observations, as NDJSON,
// through POST /v1/imports in commit mode, against a raw COPY of the same rows into the same
// table (same indexes, same rollup trigger) measured in the same run; then the same file in
// validate mode.
var importRows = envInt("PUENTE_BENCH_IMPORT_ROWS", 1_000_000) // smaller for a quick look

const (
	importIndicators = 8
	importSources    = 2
	importCountries  = 200
	importFirstYear  = 1995
	importYears      = 30
)

var (
	importSexes = []string{"total", "female", "male"}
	importAges  = []string{"total", "15-29", "30-64", "65+"}
)

// importRow is the i-th generated observation.
type importRow struct {
	indicator, source uuid.UUID
	year              int
	country, sex, age string
	value             float64
}

type importData struct {
	indicators, sources []uuid.UUID
	countries           []string
}

func (d importData) row(i int) importRow {
	// i walks age, sex, year, country, source, indicator: every row has its own dimensions.
	n := i
	age := n % len(importAges)
	n /= len(importAges)
	sex := n % len(importSexes)
	n /= len(importSexes)
	year := n % importYears
	n /= importYears
	country := n % importCountries
	n /= importCountries
	src := n % importSources
	n /= importSources
	return importRow{indicator: d.indicators[n%importIndicators], source: d.sources[src], year: importFirstYear + year,
		country: d.countries[country], sex: importSexes[sex], age: importAges[age], value: float64(1000 + (i*7919)%500000)}
}

func BenchmarkImports(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	db := testdb.New(b)
	data := importSetup(ctx, b, db)
	file := filepath.Join(b.TempDir(), "observations.ndjson")
	size := importWriteFile(b, data, file)

	// Raw COPY of the same rows, typed already: the floor for writing them into this table.
	copyTime := importRawCopy(ctx, b, db, data)
	importTruncate(ctx, b, db)

	puente, token := startPuente(ctx, b, db)
	runtime.GC()
	debug.FreeOSMemory()
	rssBefore := procStatusKB(b, "VmRSS")
	resetPeakRSS(b)
	if p := os.Getenv("PUENTE_BENCH_HEAP"); p != "" { // a heap profile halfway through, to see what the import holds
		go func() {
			time.Sleep(envDuration("PUENTE_BENCH_HEAP_AFTER", 10*time.Second))
			f, err := os.Create(p)
			if err == nil {
				runtime.GC()
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}()
	}
	if p := os.Getenv("PUENTE_BENCH_CPU"); p != "" { // a CPU profile of the commit import
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer f.Close()
	}
	commit, job := importPost(b, puente.URL, token, file, "commit")
	pprof.StopCPUProfile()
	peak := procStatusKB(b, "VmHWM")
	rep := job["report"].(map[string]any)
	if job["status"] != "succeeded" || rep["created"] != float64(importRows) || rep["failed"] != 0.0 {
		b.Fatalf("commit import: %v", job)
	}
	var stored int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM observations`).Scan(&stored); err != nil || stored != int64(importRows) {
		b.Fatalf("stored %d observations (%v)", stored, err)
	}

	// The same file again in validate mode: nothing may change.
	var before string
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) || '/' || max(updated_at) || '/' || sum(version) FROM observations`).Scan(&before); err != nil {
		b.Fatal(err)
	}
	validate, vjob := importPost(b, puente.URL, token, file, "validate")
	vrep := vjob["report"].(map[string]any)
	if vjob["status"] != "succeeded" || vrep["unchanged"] != float64(importRows) || vrep["committed"] != false {
		b.Fatalf("validate import: %v", vjob)
	}
	var after string
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) || '/' || max(updated_at) || '/' || sum(version) FROM observations`).Scan(&after); err != nil {
		b.Fatal(err)
	}
	if before != after {
		b.Fatalf("validate mode changed observations: %s → %s", before, after)
	}

	rate := func(d time.Duration) float64 { return float64(importRows) / d.Seconds() }
	fmt.Printf("\nImport — %d observations as NDJSON (%.0f MB), %d indicators × %d sources × %d countries × %d years × %d sexes × %d age groups; GOMAXPROCS %d\n",
		importRows, float64(size)/1e6, importIndicators, importSources, importCountries, importYears, len(importSexes), len(importAges), runtime.GOMAXPROCS(0))
	fmt.Printf("raw COPY into observations:     %6.1f s  %8.0f rows/s\n", copyTime.Seconds(), rate(copyTime))
	fmt.Printf("POST /v1/imports commit:        %6.1f s  %8.0f rows/s  = %.2f × raw COPY (target ≥ 50,000 rows/s and ≥ 0.33)\n",
		commit.Seconds(), rate(commit), rate(commit)/rate(copyTime))
	fmt.Printf("POST /v1/imports validate:      %6.1f s  %8.0f rows/s  = %.2f × commit time (target ≤ 1.00), nothing written\n",
		validate.Seconds(), rate(validate), validate.Seconds()/commit.Seconds())
	fmt.Printf("process RSS %.0f MB before the commit import, peak %.0f MB during it: +%.0f MB (target < 150 MB)\n\n",
		float64(rssBefore)/1024, float64(peak)/1024, float64(peak-rssBefore)/1024)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func importSetup(ctx context.Context, b *testing.B, db *database.DB) importData {
	b.Helper()
	var d importData
	for i := range importIndicators {
		id := uuid.Must(uuid.NewV7())
		d.indicators = append(d.indicators, id)
		if _, err := db.Pool.Exec(ctx, `INSERT INTO indicators (id, code, name_es, unit, measure) VALUES ($1, $2, $3, 'personas', 'stock')`,
			id, fmt.Sprintf("IMP-IND-%d", i), fmt.Sprintf("Indicador %d", i)); err != nil {
			b.Fatalf("insert indicator: %v", err)
		}
	}
	for i := range importSources {
		id := uuid.Must(uuid.NewV7())
		d.sources = append(d.sources, id)
		if _, err := db.Pool.Exec(ctx, `INSERT INTO data_sources (id, code, title_es, type, access) VALUES ($1, $2, $3, 'census', 'public')`,
			id, fmt.Sprintf("IMP-SRC-%d", i), fmt.Sprintf("Fuente %d", i)); err != nil {
			b.Fatalf("insert data source: %v", err)
		}
	}
	for _, c := range isocountries.All() {
		if len(d.countries) == importCountries {
			break
		}
		d.countries = append(d.countries, c.Code)
	}
	if len(d.countries) < importCountries {
		b.Fatalf("only %d countries", len(d.countries))
	}
	return d
}

// importWriteFile writes the NDJSON file a statistics office would send, and returns its size.
func importWriteFile(b *testing.B, d importData, path string) int64 {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range importRows {
		r := d.row(i)
		fmt.Fprintf(w, `{"indicator_id":"%s","source_id":"%s","period":"%d","country":"%s","sex":"%s","age_group":"%s","value":%s,"status":"final"}`+"\n",
			r.indicator, r.source, r.year, r.country, r.sex, r.age, strconv.FormatFloat(r.value, 'f', -1, 64))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return st.Size()
}

// importRawCopy COPYs the rows, typed, into observations, as one statement.
func importRawCopy(ctx context.Context, b *testing.B, db *database.DB, d importData) time.Duration {
	b.Helper()
	cols := []string{"id", "indicator_id", "source_id", "period", "period_start", "period_end", "place_kind", "place_code",
		"sex", "age_group", "value", "status", "flags"}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET statement_timeout = 0`); err != nil {
		b.Fatal(err)
	}
	defer conn.Exec(ctx, `RESET statement_timeout`) //nolint:errcheck
	i := 0
	started := time.Now()
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"observations"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == importRows {
			return nil, nil
		}
		r := d.row(i)
		i++
		start := time.Date(r.year, 1, 1, 0, 0, 0, 0, time.UTC)
		return []any{uuid.Must(uuid.NewV7()), r.indicator, r.source, strconv.Itoa(r.year), start, start.AddDate(1, 0, -1),
			"country", r.country, r.sex, r.age, r.value, "final", []string{}}, nil
	}))
	took := time.Since(started)
	if err != nil || n != int64(importRows) {
		b.Fatalf("raw COPY: %d rows, %v", n, err)
	}
	return took
}

func importTruncate(ctx context.Context, b *testing.B, db *database.DB) {
	b.Helper()
	if _, err := db.Pool.Exec(ctx, `TRUNCATE observations, observation_coverage`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `CHECKPOINT`); err != nil {
		b.Fatal(err)
	}
}

// importPost uploads file to /v1/imports in mode, waits for the job, and returns how long the
// whole took and the finished job.
func importPost(b *testing.B, base, token, file, mode string) (time.Duration, map[string]any) {
	b.Helper()
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/imports?resource=observations&mode="+mode, f)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Prefer", "wait=60")
	started := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var job map[string]any
	err = json.NewDecoder(res.Body).Decode(&job)
	res.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	loc := res.Header.Get("Location")
	for res.StatusCode == http.StatusAccepted && job["status"] != "succeeded" && job["status"] != "failed" && job["status"] != "cancelled" {
		time.Sleep(200 * time.Millisecond)
		getJSON(b, base+loc, token, &job)
	}
	took := time.Since(started)
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusAccepted {
		b.Fatalf("import %s: %d %v", mode, res.StatusCode, job)
	}
	return took, job
}

// procStatusKB reads a field (VmRSS, VmHWM) of /proc/self/status, in kB.
func procStatusKB(b *testing.B, field string) int64 {
	b.Helper()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux: clear_refs 5).
func resetPeakRSS(b *testing.B) {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("reset peak RSS: %v", err)
	}
}
