// Package bench measures Puente's read path against a minimal baseline: a bare net/http server
// on a pgx pool of the same size, running the same queries and encoding the same JSON shape with
// encoding/json, with no framework, no validation, no auth and no ORM. Both servers run in the
// same process, on the same database, one after the other, under the same load, so the ratios
// puente/baseline are what is worth recording; absolute figures depend on the (noisy) machine.
//
// Run it with `make bench`. It is a measurement, not a timed test: each scenario sends a fixed
// number of requests to each server regardless of b.N (use -benchtime 1x), interleaving the two
// servers so background load weighs on both alike; one sub-benchmark per scenario and server
// reports req/s, p50-ms and p99-ms, and a table with the ratios is printed at the end.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/app"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

const (
	institutionCount = 20_000
	workers          = 8     // concurrent clients, each with keep-alive connections
	warmupRequests   = 300   // per scenario and server, not recorded
	measuredRequests = 4_000 // per scenario and server
	runTimeLimit     = 60 * time.Second

	// The list scenario's filter; the data below gives it a few hundred matching rows, so every
	// page is full.
	listKind    = "agency"
	listCountry = "PE"
	listPage    = 50
)

var kinds = []string{"ministry", "directorate_general", "directorate", "sub_directorate", "department", "agency",
	"commission", "working_group", "regional_round_table", "consular_mission", "international_organization", "other"}

// countries with weights: PE dominates, as it would in the real registry.
var countries = []struct {
	code   string
	weight int
}{{"PE", 30}, {"CL", 10}, {"CO", 10}, {"EC", 8}, {"BO", 8}, {"AR", 8}, {"BR", 8}, {"MX", 6}, {"US", 4}, {"ES", 4}, {"", 4}}

var tiers = []string{"national", "national", "regional", "regional", "local", "international"}

// scenario is one kind of request, sent to both servers.
type scenario struct {
	name string
	// path returns the path (and query) of the i-th request.
	path func(i int) string
	// header is sent with every request (e.g. Accept), when set.
	header map[string]string
}

// result is one scenario measured on one server.
type result struct {
	requests int
	elapsed  time.Duration
	p50, p99 time.Duration
	bytes    int64 // mean body size
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func BenchmarkInstitutions(b *testing.B) {
	quietLogs(b)

	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	ids := load(ctx, b, db)
	setup := time.Since(start)

	puente, token := startPuente(ctx, b, db)
	maxConns := db.Pool.Config().MaxConns

	// The baseline, on its own pool of the same size on the same database.
	pcfg := db.Pool.Config().Copy()
	pcfg.MaxConns = maxConns
	pcfg.ConnConfig.RuntimeParams["application_name"] = "puente-bench-baseline"
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		b.Fatalf("baseline pool: %v", err)
	}
	b.Cleanup(pool.Close)
	baseline := httptest.NewServer(baselineHandler(pool))
	b.Cleanup(baseline.Close)

	servers := []*target{{name: "baseline", url: baseline.URL}, {name: "puente", url: puente.URL, token: token}}

	// Every request of a run picks its id from the same shuffled sequence, on both servers.
	rng := rand.New(rand.NewPCG(7, 11))
	getIDs := make([]string, 10_000)
	for i := range getIDs {
		getIDs[i] = ids[rng.IntN(len(ids))].String()
	}
	listPath := "/v1/institutions?kind=" + listKind + "&country=" + listCountry + "&page_size=" + strconv.Itoa(listPage)
	scenarios := []scenario{
		{name: "get", path: func(i int) string { return "/v1/institutions/" + getIDs[i%len(getIDs)] }},
		{name: "list", path: func(int) string { return listPath }},
	}

	checkSame(b, baseline.URL, puente.URL, token, getIDs[0], listPath)

	// Each scenario is measured on both servers at once (interleaved, see measure); its
	// sub-benchmarks report the figures of one server each.
	results := map[string]map[string]result{}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			results[sc.name] = measure(b, sc, servers)
			for _, srv := range servers {
				b.Run(srv.name, func(b *testing.B) {
					r := results[sc.name][srv.name]
					b.ReportMetric(0, "ns/op") // one "op" is the whole run: meaningless
					b.ReportMetric(r.rps(), "req/s")
					b.ReportMetric(ms(r.p50), "p50-ms")
					b.ReportMetric(ms(r.p99), "p99-ms")
				})
			}
		})
	}

	fmt.Printf("\nPuente vs minimal net/http+pgx baseline — %d institutions (setup %.1fs), %d workers, "+
		"%d requests after %d warm-up (interleaved in 8 chunks), DB pool %d conns each, GOMAXPROCS %d\n",
		institutionCount, setup.Seconds(), workers, measuredRequests, warmupRequests, maxConns, runtime.GOMAXPROCS(0))
	fmt.Printf("%-6s %10s %10s %7s | %8s %8s %7s | %8s %8s %7s | %7s %7s\n",
		"", "puente", "baseline", "ratio", "p50 pu", "p50 base", "ratio", "p99 pu", "p99 base", "ratio", "B pu", "B base")
	fmt.Printf("%-6s %10s %10s %7s | %8s %8s %7s | %8s %8s %7s | %7s %7s\n",
		"", "req/s", "req/s", "pu/base", "ms", "ms", "pu/base", "ms", "ms", "pu/base", "body", "body")
	for _, sc := range scenarios {
		pu, okP := results[sc.name]["puente"]
		ba, okB := results[sc.name]["baseline"]
		if !okP || !okB {
			continue
		}
		fmt.Printf("%-6s %10.0f %10.0f %7.2f | %8.2f %8.2f %7.2f | %8.2f %8.2f %7.2f | %7d %7d\n", sc.name,
			pu.rps(), ba.rps(), pu.rps()/ba.rps(),
			ms(pu.p50), ms(ba.p50), ms(pu.p50)/ms(ba.p50),
			ms(pu.p99), ms(ba.p99), ms(pu.p99)/ms(ba.p99),
			pu.bytes, ba.bytes)
	}
	fmt.Println()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// quietLogs discards logging for the duration of b. Puente logs every request through slog's
// default logger; writing those lines (to the test's stderr) would dominate what we measure.
// Production logs, so real per-request cost is somewhat higher than measured here.
func quietLogs(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
}

// startPuente serves Puente, exactly as production assembles it, over db's pool, and returns
// the server and an admin's access token.
func startPuente(ctx context.Context, b *testing.B, db *database.DB) (*httptest.Server, string) {
	b.Helper()
	cfg := apitest.Config()
	cfg.MaxImportBytes, cfg.ImportBatchSize = 1<<30, 0 // production's, not the tests' small ones
	cfg.DBMaxConns = int(db.Pool.Config().MaxConns)    // informational: app.New uses db's pool, opened with this size
	a, err := app.New(ctx, cfg, db)
	if err != nil {
		b.Fatalf("app: %v", err)
	}
	puente := httptest.NewServer(a.Echo)
	b.Cleanup(puente.Close)
	token, _, err := a.Tokens.Issue(ctx, actor.Actor{Kind: actor.User, ID: uuid.NewString(), Label: "bench@puente.test",
		Roles: []actor.Role{actor.Admin}, Scopes: auth.ScopesFor([]actor.Role{actor.Admin})})
	if err != nil {
		b.Fatalf("token: %v", err)
	}
	return puente, token
}

// load fills the institutions table with a realistic registry, in one COPY, and analyses it.
// It returns every id.
func load(ctx context.Context, b *testing.B, db *database.DB) []uuid.UUID {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	totalWeight := 0
	for _, c := range countries {
		totalWeight += c.weight
	}
	now := time.Now().UTC()
	ids := make([]uuid.UUID, institutionCount)
	rows := make([][]any, institutionCount)
	for i := range rows {
		ids[i] = uuid.Must(uuid.NewV7())
		n := i + 1
		var country any
		w := rng.IntN(totalWeight)
		for _, c := range countries {
			if w -= c.weight; w < 0 {
				if c.code != "" {
					country = c.code
				}
				break
			}
		}
		// A shallow tree: about a third of the rows hang under one of the first rows.
		var parent any
		if i >= 200 && rng.IntN(3) == 0 {
			parent = pgtype.UUID{Bytes: ids[rng.IntN(min(i, 2_000))], Valid: true}
		}
		var acronym, established, descES, descEN, website, archived any
		if rng.IntN(2) == 0 {
			acronym = fmt.Sprintf("BI%05d", n)
		}
		if rng.IntN(3) != 0 {
			established = time.Date(1950+rng.IntN(75), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		}
		if rng.IntN(4) == 0 {
			descES = fmt.Sprintf("Institución de referencia número %d, encargada de asuntos migratorios y consulares.", n)
			descEN = fmt.Sprintf("Reference institution number %d, in charge of migration and consular affairs.", n)
		}
		if rng.IntN(3) == 0 {
			website = fmt.Sprintf("https://www.gob.pe/bench-%06d", n)
		}
		if rng.IntN(50) == 0 {
			archived = now.Add(-time.Duration(rng.IntN(1000)) * time.Hour)
		}
		created := now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)
		rows[i] = []any{
			pgtype.UUID{Bytes: ids[i], Valid: true}, fmt.Sprintf("BENCH-%06d", n),
			fmt.Sprintf("Institución de prueba %d", n), fmt.Sprintf("Benchmark institution %d", n), acronym,
			kinds[rng.IntN(len(kinds))], parent, country, tiers[rng.IntN(len(tiers))], "active",
			established, descES, descEN, website, created, created.Add(time.Duration(rng.IntN(1000)) * time.Hour), archived,
		}
	}
	n, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"institutions"}, []string{
		"id", "code", "name_es", "name_en", "acronym", "kind", "parent_id", "country", "tier", "status",
		"established_on", "description_es", "description_en", "website", "created_at", "updated_at", "archived_at",
	}, pgx.CopyFromRows(rows))
	if err != nil {
		b.Fatalf("copy institutions: %v", err)
	}
	if n != institutionCount {
		b.Fatalf("copied %d institutions, want %d", n, institutionCount)
	}
	if _, err := db.Pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	var matching int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM institutions WHERE archived_at IS NULL AND kind = $1 AND country = $2`,
		listKind, listCountry).Scan(&matching); err != nil {
		b.Fatal(err)
	}
	if matching <= listPage {
		b.Fatalf("only %d institutions match the list filter; pages would not be full", matching)
	}
	return ids
}

// target is one server under load, with its own keep-alive client and what was measured on it.
type target struct {
	name, url, token string
	client           *http.Client
	budget           time.Duration // measured time left before the run is cut short
	lats             []time.Duration
	elapsed          time.Duration
	bytes            int64
}

// measure sends sc's requests to both servers in alternating chunks (baseline, puente, puente,
// baseline, ...), so that whatever else the machine does at the time weighs on both alike.
// Each server first gets warmupRequests unrecorded requests, then measuredRequests recorded
// ones, unless its measured time reaches runTimeLimit first. Any answer but 200 fails b.
func measure(b *testing.B, sc scenario, servers []*target) map[string]result {
	b.Helper()
	for _, t := range servers {
		transport := &http.Transport{MaxIdleConns: 2 * workers, MaxIdleConnsPerHost: 2 * workers, DisableCompression: true}
		defer transport.CloseIdleConnections()
		t.client = &http.Client{Transport: transport, Timeout: 30 * time.Second}
		t.budget, t.lats, t.elapsed, t.bytes = runTimeLimit, make([]time.Duration, 0, measuredRequests), 0, 0
		if _, _, _, err := t.send(sc, 0, warmupRequests, workers, time.Now().Add(runTimeLimit)); err != nil {
			b.Fatalf("%s %s warm-up: %v", sc.name, t.name, err)
		}
	}
	const rounds = 8
	chunk := measuredRequests / rounds
	for r := range rounds {
		order := servers
		if r%2 == 1 {
			order = []*target{servers[1], servers[0]}
		}
		n := chunk
		if r == rounds-1 {
			n = measuredRequests - chunk*(rounds-1)
		}
		for _, t := range order {
			if t.budget <= 0 {
				continue
			}
			// Both servers see the same request sequence: chunk r starts at the same index.
			lats, elapsed, size, err := t.send(sc, warmupRequests+r*chunk, n, workers, time.Now().Add(t.budget))
			if err != nil {
				b.Fatalf("%s %s: %v", sc.name, t.name, err)
			}
			t.lats = append(t.lats, lats...)
			t.elapsed += elapsed
			t.budget -= elapsed
			t.bytes += size
		}
	}
	out := map[string]result{}
	for _, t := range servers {
		if len(t.lats) == 0 {
			b.Fatalf("%s %s: no request completed within %s", sc.name, t.name, runTimeLimit)
		}
		if len(t.lats) < measuredRequests {
			b.Logf("%s %s: time limit reached, measured %d of %d requests", sc.name, t.name, len(t.lats), measuredRequests)
		}
		slices.Sort(t.lats)
		pct := func(p int) time.Duration { return t.lats[(len(t.lats)-1)*p/100] }
		out[t.name] = result{requests: len(t.lats), elapsed: t.elapsed, p50: pct(50), p99: pct(99), bytes: t.bytes / int64(len(t.lats))}
	}
	return out
}

// send makes requests first..first+total-1 of sc from clients concurrent goroutines, stopping
// early at deadline, and returns every latency, the wall time, and the body bytes received.
func (t *target) send(sc scenario, first, total, clients int, deadline time.Time) ([]time.Duration, time.Duration, int64, error) {
	var (
		next    atomic.Int64
		stop    atomic.Bool
		bytes   atomic.Int64
		errOnce sync.Once
		failure error
		wg      sync.WaitGroup
		perW    = make([][]time.Duration, clients)
	)
	fail := func(err error) {
		errOnce.Do(func() { failure = err })
		stop.Store(true)
	}
	began := time.Now()
	for w := range clients {
		perW[w] = make([]time.Duration, 0, total/clients+1)
		wg.Go(func() {
			for !stop.Load() {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				if time.Now().After(deadline) {
					stop.Store(true)
					return
				}
				req, err := http.NewRequest(http.MethodGet, t.url+sc.path(first+i), nil)
				if err != nil {
					fail(err)
					return
				}
				if t.token != "" {
					req.Header.Set("Authorization", "Bearer "+t.token)
				}
				for k, v := range sc.header {
					req.Header.Set(k, v)
				}
				t0 := time.Now()
				res, err := t.client.Do(req)
				if err != nil {
					fail(err)
					return
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				lat := time.Since(t0)
				if err != nil {
					fail(err)
					return
				}
				if res.StatusCode != http.StatusOK {
					fail(fmt.Errorf("GET %s: status %d", req.URL.RequestURI(), res.StatusCode))
					return
				}
				bytes.Add(n)
				perW[w] = append(perW[w], lat)
			}
		})
	}
	wg.Wait()
	return slices.Concat(perW...), time.Since(began), bytes.Load(), failure
}

// checkSame makes sure both servers answer each scenario alike before anything is measured, so
// that the comparison is between equal work.
func checkSame(b *testing.B, baseURL, puenteURL, token, id, listPath string) {
	b.Helper()
	get := func(url, tok string, v any) { getJSON(b, url, tok, v) }
	var gb, gp baseInstitution
	get(baseURL+"/v1/institutions/"+id, "", &gb)
	get(puenteURL+"/v1/institutions/"+id, token, &gp)
	if gb.ID != gp.ID || gb.Code != gp.Code || gb.Version != gp.Version {
		b.Fatalf("get: baseline answered %s %s, puente %s %s", gb.ID, gb.Code, gp.ID, gp.Code)
	}
	var lb, lp basePage
	get(baseURL+listPath, "", &lb)
	get(puenteURL+listPath, token, &lp)
	if len(lp.Items) != listPage || lp.NextPageToken == "" {
		b.Fatalf("list: puente returned %d items (next %q), want a full page of %d", len(lp.Items), lp.NextPageToken, listPage)
	}
	if len(lb.Items) != len(lp.Items) {
		b.Fatalf("list: baseline returned %d items, puente %d", len(lb.Items), len(lp.Items))
	}
	for i := range lp.Items {
		if lb.Items[i].ID != lp.Items[i].ID {
			b.Fatalf("list: item %d is %s on the baseline, %s on puente", i, lb.Items[i].Code, lp.Items[i].Code)
		}
	}
}

// The baseline's representation has Puente's JSON shape (api.Institution), field for field.
type baseText struct {
	En *string `json:"en,omitempty"`
	Es *string `json:"es,omitempty"`
}

type baseInstitution struct {
	Acronym       *string    `json:"acronym,omitempty"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	Code          string     `json:"code"`
	Country       *string    `json:"country,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	Demo          bool       `json:"demo"`
	Description   *baseText  `json:"description,omitempty"`
	DissolvedOn   *string    `json:"dissolved_on,omitempty"`
	EstablishedOn *string    `json:"established_on,omitempty"`
	ID            uuid.UUID  `json:"id"`
	Kind          string     `json:"kind"`
	Name          baseText   `json:"name"`
	ParentID      *uuid.UUID `json:"parent_id,omitempty"`
	Status        string     `json:"status"`
	Tier          string     `json:"tier"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int64      `json:"version"`
	Website       *string    `json:"website,omitempty"`
}

type basePage struct {
	Items         []baseInstitution `json:"items"`
	NextPageToken string            `json:"next_page_token"`
}

const baseColumns = `id, code, name_es, name_en, acronym, kind, parent_id, country, tier, status, established_on,
	dissolved_on, description_es, description_en, website, demo, version, created_at, updated_at, archived_at`

func scanInstitution(row pgx.Row) (baseInstitution, error) {
	var (
		in                  baseInstitution
		descES, descEN      *string
		established, dissol *time.Time
	)
	err := row.Scan(&in.ID, &in.Code, &in.Name.Es, &in.Name.En, &in.Acronym, &in.Kind, &in.ParentID, &in.Country,
		&in.Tier, &in.Status, &established, &dissol, &descES, &descEN, &in.Website, &in.Demo, &in.Version,
		&in.CreatedAt, &in.UpdatedAt, &in.ArchivedAt)
	if err != nil {
		return in, err
	}
	if descES != nil || descEN != nil {
		in.Description = &baseText{Es: descES, En: descEN}
	}
	in.EstablishedOn, in.DissolvedOn = day(established), day(dissol)
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	if in.ArchivedAt != nil {
		t := in.ArchivedAt.UTC()
		in.ArchivedAt = &t
	}
	return in, nil
}

func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// baselineHandler is the least a server can do to answer the two scenarios.
func baselineHandler(pool *pgxpool.Pool) http.Handler {
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/institutions/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := uuid.Parse(r.PathValue("id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		in, err := scanInstitution(pool.QueryRow(r.Context(), `SELECT `+baseColumns+` FROM institutions WHERE id = $1`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, in)
	})
	mux.HandleFunc("GET /v1/institutions", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		size, err := strconv.Atoi(q.Get("page_size"))
		if err != nil || size < 1 || size > 100 {
			size = 20
		}
		rows, err := pool.Query(r.Context(), `SELECT `+baseColumns+` FROM institutions
			WHERE archived_at IS NULL AND kind = ANY($1) AND country = ANY($2) ORDER BY code, id LIMIT $3`,
			q["kind"], q["country"], size+1)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page := basePage{Items: make([]baseInstitution, 0, size+1)}
		for rows.Next() {
			in, err := scanInstitution(rows)
			if err != nil {
				rows.Close()
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			page.Items = append(page.Items, in)
		}
		if err := rows.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if len(page.Items) > size {
			page.Items = page.Items[:size]
			page.NextPageToken = page.Items[size-1].Code + "/" + page.Items[size-1].ID.String()
		}
		writeJSON(w, page)
	})
	return mux
}
