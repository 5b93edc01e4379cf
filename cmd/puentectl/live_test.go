package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
)

// catalogue creates an indicator and a data source for observations to refer to.
func catalogue(t *testing.T, env *apitest.Env, admin string) (indicator, source string) {
	t.Helper()
	post := func(path string, body map[string]any) string {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: admin, Body: body})
		if res.Status != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, res.Status, res.Body)
		}
		return res.JSON(t)["id"].(string)
	}
	indicator = post("/v1/indicators", map[string]any{"code": "CLI.STOCK", "name": map[string]any{"es": "Población"}, "unit": "personas", "measure": "stock"})
	source = post("/v1/data-sources", map[string]any{"code": "CLI-SRC", "title": map[string]any{"es": "Fuente"}, "type": "study", "access": "public"})
	return indicator, source
}

// obsNDJSON is n observation rows of country, one a year from year.
func obsNDJSON(indicator, source, country string, year, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"indicator_id":%q,"source_id":%q,"period":"%d","country":%q,"value":%d}`+"\n", indicator, source, year+i, country, 1000+i)
	}
	return b.String()
}

func TestExportObservations(t *testing.T) {
	env, admin := live(t)
	ctx := context.Background()
	ind, src := catalogue(t, env, admin)
	for i, country := range []string{"CL", "AR", "US"} {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/observations", Token: admin, Body: map[string]any{
			"indicator_id": ind, "source_id": src, "period": "2020", "country": country, "value": 1000 * (i + 1)}})
		if res.Status != http.StatusCreated {
			t.Fatalf("observation: %d %s", res.Status, res.Body)
		}
	}

	r := puentectl(ctx, "export", "observations")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("export: %s", r)
	}
	if rows := apitest.NDJSONRecords(t, []byte(r.stdout)); len(rows) != 3 || rows[0]["indicator_id"] != ind {
		t.Fatalf("export rows: %s", r.stdout)
	}

	// Filters are the list's query parameters, repeatable; flags go before or after RESOURCE.
	r = puentectl(ctx, "export", "--filter", "country=CL", "observations", "--filter", "country=AR")
	var countries []string
	for _, row := range apitest.NDJSONRecords(t, []byte(r.stdout)) {
		countries = append(countries, row["country"].(string))
	}
	slices.Sort(countries)
	if r.code != 0 || !slices.Equal(countries, []string{"AR", "CL"}) {
		t.Fatalf("filtered export: %v %s", countries, r)
	}

	// CSV into a file (the format follows its extension), and nothing on stdout.
	dir := t.TempDir()
	out := filepath.Join(dir, "obs.csv")
	r = puentectl(ctx, "export", "observations", "--output", out)
	if r.code != 0 || r.stdout != "" || !strings.HasPrefix(r.stderr, "exported observations to "+out) {
		t.Fatalf("export to a file: %s", r)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(recs) != 4 || !slices.Contains(recs[0], "indicator_id") || !slices.Contains(recs[0], "country") {
		t.Fatalf("CSV export: %v\n%s", err, raw)
	}

	// A refusal: the problem, exit 1, and the output file left alone.
	bad := filepath.Join(dir, "bad.ndjson")
	r = puentectl(ctx, "export", "observations", "--filter", "country=Peru", "--output", bad)
	if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "puentectl: ") || !strings.Contains(r.stderr, "country") {
		t.Fatalf("bad filter: %s", r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("a failed export must leave no file: %v", entries)
	}

	t.Setenv("PUENTE_CLIENT_SECRET", "not-the-secret")
	r = puentectl(ctx, "export", "observations")
	if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "puentectl: cannot authenticate: ") {
		t.Fatalf("wrong secret: %s", r)
	}
}

func TestImportEndToEnd(t *testing.T) {
	env, admin := live(t)
	ctx := context.Background()
	ind, src := catalogue(t, env, admin)
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	count := func() int64 { return env.Count(t, "observations", "true") }

	// A good file: exit 0, the report, the rows written.
	good := file("obs.ndjson", obsNDJSON(ind, src, "ES", 2000, 5))
	r := puentectl(ctx, "import", good, "--resource", "observations")
	if r.code != 0 || !strings.Contains(r.stdout, "(observations, commit): succeeded\ncreated 5, updated 0, unchanged 0, failed 0\n") ||
		!strings.Contains(r.stderr, "uploading obs.ndjson: sent ") || count() != 5 {
		t.Fatalf("good file: %d rows, %s", count(), r)
	}
	// The same again: nothing changes.
	r = puentectl(ctx, "import", good, "--resource", "observations")
	if r.code != 0 || !strings.Contains(r.stdout, "created 0, updated 0, unchanged 5, failed 0\n") {
		t.Fatalf("again: %s", r)
	}

	// --validate: what a commit would do, nothing written.
	more := file("more.csv", "indicator_id,source_id,period,country,value\n"+
		ind+","+src+",2010,ES,1\n"+ind+","+src+",2011,ES,2\n"+ind+","+src+",2000,ES,1000\n")
	r = puentectl(ctx, "import", more, "--resource", "observations", "--validate")
	if r.code != 0 || !strings.Contains(r.stdout, "(observations, validate): succeeded\ncreated 2, updated 0, unchanged 1, failed 0\n") ||
		!strings.Contains(r.stdout, "nothing written") || count() != 5 {
		t.Fatalf("validate: %d rows, %s", count(), r)
	}

	// A bad row: exit 1 and its line; with --atomic all nothing is written.
	bad := file("bad.csv", "indicator_id,source_id,period,country,value\n"+
		ind+","+src+",2020,ES,1\n"+ind+","+src+",2021,ES,many\n"+ind+","+src+",2022,ES,3\n")
	r = puentectl(ctx, "import", bad, "--resource", "observations", "--atomic", "all")
	if r.code != 1 || !strings.Contains(r.stdout, "failed 1\n") || !strings.Contains(r.stdout, "\nline 3: value: ") || count() != 5 {
		t.Fatalf("bad row: %d rows, %s", count(), r)
	}
	// …and without it the good rows are.
	r = puentectl(ctx, "import", bad, "--resource", "observations")
	if r.code != 1 || !strings.Contains(r.stdout, "created 2, updated 0, unchanged 0, failed 1\n") || count() != 7 {
		t.Fatalf("bad row, atomic=none: %d rows, %s", count(), r)
	}

	// A gzip file, sent twice with one idempotency key: imported once, the same report twice.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(obsNDJSON(ind, src, "FR", 2000, 4)))
	zw.Close()
	packed := file("fr.jsonl.gz", gz.String())
	first := puentectl(ctx, "import", packed, "--resource", "observations", "--idempotency-key", "cli-fr-1")
	second := puentectl(ctx, "import", packed, "--resource", "observations", "--idempotency-key", "cli-fr-1")
	if first.code != 0 || !strings.Contains(first.stdout, "created 4, updated 0") || second.stdout != first.stdout || count() != 11 {
		t.Fatalf("gzip and idempotency: %d rows\n%s\n%s", count(), first, second)
	}

	// A client that may not import: the problem, exit 1.
	_, secret, err := env.App.Accounts.CreateClient(ctx, auth.NewClient{ClientID: "cli-viewer", Name: "Viewer", Roles: []string{"viewer"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PUENTE_CLIENT_ID", "cli-viewer")
	t.Setenv("PUENTE_CLIENT_SECRET", secret)
	r = puentectl(ctx, "import", good, "--resource", "observations")
	if r.code != 1 || r.stdout != "" || !strings.HasSuffix(r.stderr, "\npuentectl: Forbidden: this operation needs scope imports:write\n") || count() != 11 {
		t.Fatalf("viewer: %s", r)
	}
}
