package stocktake_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// impFixture is a catalogue to export and import: indicators, sources (one with every member,
// quality included, and a publisher), and gaps that refer to them.
type impFixture struct {
	env                *apitest.Env
	admin              string
	publisher          string
	stock, flow, money string // indicators
	survey, study      string // data sources
	gapHigh, gapLow    string // data gaps
}

func impSetup(t *testing.T) impFixture {
	t.Helper()
	env := apitest.New(t)
	f := impFixture{env: env, admin: env.AdminToken(t)}
	f.publisher = obsInstitution(t, env, "IMP-INEI").String()
	f.stock = impCreate(t, f, "/v1/indicators", map[string]any{"code": "IMP.STOCK",
		"name": map[string]any{"es": "Población emigrante", "en": "Emigrant population"}, "unit": "personas",
		"definition": map[string]any{"es": "Peruanos que residen fuera"}, "measure": "stock"})
	f.flow = impCreate(t, f, "/v1/indicators", map[string]any{"code": "IMP.FLOW",
		"name": map[string]any{"en": "Departures"}, "unit": "persons", "measure": "flow"})
	f.money = impCreate(t, f, "/v1/indicators", map[string]any{"code": "IMP.MONEY",
		"name": map[string]any{"es": "Remesas"}, "unit": "USD", "measure": "money"})
	f.survey = impCreate(t, f, "/v1/data-sources", map[string]any{
		"code":         "IMP-ENAHO",
		"title":        map[string]any{"es": "Encuesta Nacional de Hogares", "en": "National Household Survey"},
		"description":  map[string]any{"es": "Encuesta continua", "en": "Continuous survey"},
		"publisher_id": f.publisher, "type": "household_survey",
		"temporal_coverage": map[string]any{"start": "2004-01-01", "end": "2023-12-31"},
		"spatial_coverage":  []string{"PE", "CL", "AR"}, "periodicity": "annual",
		"disaggregations": []string{"sex", "age"}, "access": "on_request", "licence": "CC-BY-4.0", "format": "CSV",
		"landing_url": "https://www.inei.gob.pe/enaho", "last_updated": "2024-05-01",
		"contact_point": map[string]any{"name": "Mesa de ayuda", "email": "ayuda@inei.gob.pe"},
		"quality": map[string]any{
			"timeliness":    map[string]any{"score": 4, "note": "un año de retraso, \"aprox.\""},
			"completeness":  map[string]any{"score": 3},
			"comparability": map[string]any{"score": 5, "note": "ONU"},
			"assessed_by":   "Unidad de estadística", "assessed_on": "2024-06-30",
		},
		"caveats": []string{"modelled", "proxy_definition"},
	})
	f.study = impCreate(t, f, "/v1/data-sources", map[string]any{"code": "IMP-STUDY",
		"title": map[string]any{"en": "A study; with, commas"}, "type": "study", "access": "public",
		"temporal_coverage": map[string]any{"start": "2019-01-01"}})
	f.gapHigh = impCreate(t, f, "/v1/data-gaps", map[string]any{"code": "IMP-GAP-1",
		"description":   map[string]any{"es": "Sin datos de retorno", "en": "No return data"},
		"indicator_ids": []string{f.flow, f.stock}, "source_ids": []string{f.survey},
		"countries": []string{"US", "ES"}, "groups": "retornantes",
		"recommendation": map[string]any{"es": "Registrar el retorno"}, "priority": "high", "status": "being_addressed"})
	f.gapLow = impCreate(t, f, "/v1/data-gaps", map[string]any{"code": "IMP-GAP-2",
		"description": map[string]any{"en": "Second generation"}, "priority": "low"})
	return f
}

func impCreate(t *testing.T, f impFixture, path string, body map[string]any) string {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: f.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s %v: %d %s", path, body["code"], res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// impExport exports resource with query, and fails t unless it answers 200 with the format's type.
func impExport(t *testing.T, f impFixture, resource, query string) []byte {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/" + resource + "?" + query, Token: f.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("export %s?%s: %d %s", resource, query, res.Status, res.Body)
	}
	want := "application/x-ndjson"
	if strings.Contains(query, "format=csv") {
		want = "text/csv"
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Fatalf("export %s?%s: Content-Type %q, want %s", resource, query, ct, want)
	}
	return res.Body
}

// impLines decodes an NDJSON export.
func impLines(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// impCodes are the codes of an NDJSON export, in its order.
func impCodes(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for _, m := range impLines(t, body) {
		out = append(out, m["code"].(string))
	}
	return out
}

// impCSV decodes a CSV export into its header and rows as maps by column.
func impCSV(t *testing.T, body []byte) ([]string, []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV export: %v\n%s", err, body)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

func impWantCodes(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: codes %v, want %v", what, got, want)
	}
}

func TestExportIndicators(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	all := impLines(t, impExport(t, f, "indicators", ""))
	if len(all) != 3 {
		t.Fatalf("NDJSON export: %d rows, want 3", len(all))
	}
	if all[0]["code"] != "IMP.FLOW" || all[0]["id"] != f.flow || all[0]["unit"] != "persons" || all[0]["version"] != 1.0 {
		t.Errorf("first row: %v", all[0])
	}
	impWantCodes(t, "measure=stock&measure=money", impCodes(t, impExport(t, f, "indicators", "measure=stock&measure=money")), "IMP.MONEY", "IMP.STOCK")
	impWantCodes(t, "code", impCodes(t, impExport(t, f, "indicators", "code=IMP.FLOW")), "IMP.FLOW")
	impWantCodes(t, "order_by=-code", impCodes(t, impExport(t, f, "indicators", "order_by=-code")), "IMP.STOCK", "IMP.MONEY", "IMP.FLOW")
	impWantCodes(t, "q", impCodes(t, impExport(t, f, "indicators", "q=emigrante")), "IMP.STOCK")

	res := f.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/indicators/" + f.money, Token: f.admin})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	impWantCodes(t, "archived left out", impCodes(t, impExport(t, f, "indicators", "")), "IMP.FLOW", "IMP.STOCK")
	impWantCodes(t, "include_archived", impCodes(t, impExport(t, f, "indicators", "include_archived=true")), "IMP.FLOW", "IMP.MONEY", "IMP.STOCK")

	header, rows := impCSV(t, impExport(t, f, "indicators", "format=csv"))
	wantHeader := []string{"archived_at", "code", "created_at", "definition.en", "definition.es", "demo", "id", "measure",
		"name.en", "name.es", "unit", "updated_at", "version"}
	if !slices.Equal(header, wantHeader) {
		t.Errorf("CSV header %v, want %v", header, wantHeader)
	}
	if len(rows) != 2 {
		t.Fatalf("CSV rows: %d, want 2", len(rows))
	}
	if r := rows[1]; r["code"] != "IMP.STOCK" || r["name.es"] != "Población emigrante" || r["name.en"] != "Emigrant population" ||
		r["definition.es"] != "Peruanos que residen fuera" || r["definition.en"] != "" || r["demo"] != "false" || r["id"] != f.stock {
		t.Errorf("CSV row: %v", r)
	}

	res = f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/indicators?measure=nonsense", Token: f.admin})
	apitest.Problem(t, res, http.StatusBadRequest)
}

func TestExportDataSources(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	all := impLines(t, impExport(t, f, "data-sources", ""))
	impWantCodes(t, "all", impCodes(t, impExport(t, f, "data-sources", "")), "IMP-ENAHO", "IMP-STUDY")
	q, _ := all[0]["quality"].(map[string]any)
	if q == nil || q["assessed_on"] != "2024-06-30" || q["timeliness"].(map[string]any)["score"] != 4.0 {
		t.Errorf("quality exported as %v", all[0]["quality"])
	}
	impWantCodes(t, "type", impCodes(t, impExport(t, f, "data-sources", "type=study")), "IMP-STUDY")
	impWantCodes(t, "publisher", impCodes(t, impExport(t, f, "data-sources", "publisher_id="+f.publisher)), "IMP-ENAHO")
	impWantCodes(t, "country", impCodes(t, impExport(t, f, "data-sources", "country=CL")), "IMP-ENAHO")
	impWantCodes(t, "caveat", impCodes(t, impExport(t, f, "data-sources", "caveat=modelled")), "IMP-ENAHO")
	impWantCodes(t, "access", impCodes(t, impExport(t, f, "data-sources", "access=public")), "IMP-STUDY")

	header, rows := impCSV(t, impExport(t, f, "data-sources", "format=csv&order_by=-code"))
	for _, c := range []string{"code", "title.es", "title.en", "description.es", "publisher_id", "temporal_coverage.start",
		"temporal_coverage.end", "spatial_coverage", "contact_point.email", "quality.timeliness", "quality.assessed_by",
		"quality.assessed_on", "caveats", "demo", "version"} {
		if !slices.Contains(header, c) {
			t.Errorf("CSV header %v has no %s", header, c)
		}
	}
	if len(rows) != 2 || rows[0]["code"] != "IMP-STUDY" || rows[0]["title.en"] != "A study; with, commas" {
		t.Fatalf("CSV rows: %v", rows)
	}
	r := rows[1]
	if r["spatial_coverage"] != `["PE","CL","AR"]` || r["quality.timeliness"] != `{"note":"un año de retraso, \"aprox.\"","score":4}` ||
		r["quality.assessed_on"] != "2024-06-30" || r["temporal_coverage.end"] != "2023-12-31" || r["publisher_id"] != f.publisher {
		t.Errorf("CSV row: %v", r)
	}
	if rows[0]["quality.timeliness"] != "" || rows[0]["caveats"] != "[]" || rows[0]["temporal_coverage.end"] != "" {
		t.Errorf("CSV row of a sparse source: %v", rows[0])
	}
}

func TestExportDataGaps(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	all := impLines(t, impExport(t, f, "data-gaps", ""))
	impWantCodes(t, "all", impCodes(t, impExport(t, f, "data-gaps", "")), "IMP-GAP-1", "IMP-GAP-2")
	if ids, _ := all[0]["indicator_ids"].([]any); len(ids) != 2 || ids[0] != f.flow || ids[1] != f.stock {
		t.Errorf("indicator_ids exported as %v", all[0]["indicator_ids"])
	}
	impWantCodes(t, "priority", impCodes(t, impExport(t, f, "data-gaps", "priority=low")), "IMP-GAP-2")
	impWantCodes(t, "status", impCodes(t, impExport(t, f, "data-gaps", "status=being_addressed")), "IMP-GAP-1")
	impWantCodes(t, "indicator", impCodes(t, impExport(t, f, "data-gaps", "indicator_id="+f.stock)), "IMP-GAP-1")
	impWantCodes(t, "source", impCodes(t, impExport(t, f, "data-gaps", "source_id="+f.study)))
	impWantCodes(t, "country", impCodes(t, impExport(t, f, "data-gaps", "country=ES")), "IMP-GAP-1")

	header, rows := impCSV(t, impExport(t, f, "data-gaps", "format=csv"))
	wantHeader := []string{"archived_at", "code", "countries", "created_at", "demo", "description.en", "description.es", "groups",
		"id", "indicator_ids", "priority", "recommendation.en", "recommendation.es", "source_ids", "status", "updated_at", "version"}
	if !slices.Equal(header, wantHeader) {
		t.Errorf("CSV header %v, want %v", header, wantHeader)
	}
	if len(rows) != 2 || rows[0]["indicator_ids"] != `["`+f.flow+`","`+f.stock+`"]` || rows[0]["status"] != "being_addressed" ||
		rows[1]["source_ids"] != "[]" || rows[1]["status"] != "open" {
		t.Errorf("CSV rows: %v", rows)
	}
}

// impNDJSON encodes rows as an NDJSON body.
func impNDJSON(t *testing.T, rows ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	return b.Bytes()
}

// impPost posts an import of body into resource with query (options besides resource) as token,
// waiting for the job.
func impPost(t *testing.T, f impFixture, token, resource, query, contentType string, body []byte) apitest.Response {
	t.Helper()
	path := "/v1/imports?resource=" + resource
	if query != "" {
		path += "&" + query
	}
	return f.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: token, Body: body,
		ContentType: contentType, Header: map[string]string{"Prefer": "wait=30"}})
}

// impImport imports body as the admin and returns the finished job.
func impImport(t *testing.T, f impFixture, resource, query, contentType string, body []byte) map[string]any {
	t.Helper()
	res := impPost(t, f, f.admin, resource, query, contentType, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("import %s?%s: %d %s", resource, query, res.Status, res.Body)
	}
	return res.JSON(t)
}

// impReport is a finished job's report, checked to hold these counts.
func impReport(t *testing.T, what string, job map[string]any, created, updated, unchanged, failed int) map[string]any {
	t.Helper()
	r, ok := job["report"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no report: %v", what, job)
	}
	if r["created"] != float64(created) || r["updated"] != float64(updated) || r["unchanged"] != float64(unchanged) ||
		r["failed"] != float64(failed) {
		t.Errorf("%s: report %v, want created %d updated %d unchanged %d failed %d", what, r, created, updated, unchanged, failed)
	}
	return r
}

// impFirstError is a report's first row error.
func impFirstError(t *testing.T, r map[string]any) (line float64, field, message string) {
	t.Helper()
	errs, _ := r["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no row errors in %v", r)
	}
	e := errs[0].(map[string]any)
	return e["line"].(float64), e["field"].(string), e["message"].(string)
}

// impRoundTrip exports resource as NDJSON and as CSV, imports each file back and checks that
// every one of its n rows is reported unchanged and table is as it was.
func impRoundTrip(t *testing.T, f impFixture, resource, table string, n int) {
	t.Helper()
	before := f.env.Fingerprint(t)[table]
	nd := impExport(t, f, resource, "include_archived=true")
	if got := len(impLines(t, nd)); got != n {
		t.Fatalf("%s: NDJSON export has %d rows, want %d", resource, got, n)
	}
	impReport(t, resource+" NDJSON back", impImport(t, f, resource, "", "application/x-ndjson", nd), 0, 0, n, 0)
	c := impExport(t, f, resource, "include_archived=true&format=csv")
	if _, rows := impCSV(t, c); len(rows) != n {
		t.Fatalf("%s: CSV export has %d rows, want %d", resource, len(rows), n)
	}
	impReport(t, resource+" CSV back", impImport(t, f, resource, "", "text/csv", c), 0, 0, n, 0)
	impReport(t, resource+" NDJSON back by id", impImport(t, f, resource, "key=id", "application/x-ndjson", nd), 0, 0, n, 0)
	if after := f.env.Fingerprint(t)[table]; after != before {
		t.Errorf("%s: importing its export changed the table", resource)
	}
}

// impAtomic imports body with atomic=all, checks that it fails with rows_failed, that one row
// was refused, and that nothing at all was written, and returns the report.
func impAtomic(t *testing.T, f impFixture, resource, query string, body []byte) map[string]any {
	t.Helper()
	before := f.env.Fingerprint(t)
	job := impImport(t, f, resource, "atomic=all&"+query, "application/x-ndjson", body)
	if job["status"] != "failed" || job["failure"].(map[string]any)["reason"] != "rows_failed" {
		t.Errorf("atomic=all with a bad row: %v", job)
	}
	r := job["report"].(map[string]any)
	if r["failed"] != 1.0 || r["committed"] != false {
		t.Errorf("atomic=all report: %v", r)
	}
	delete(before, "import_jobs")
	delete(before, "audit_events")
	f.env.Unchanged(t, before)
	return r
}

func impExec(t *testing.T, f impFixture, sql string, args ...any) {
	t.Helper()
	if err := f.env.DB.Conn(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func impScan(t *testing.T, f impFixture, out any, sql string, args ...any) {
	t.Helper()
	if err := f.env.DB.Conn(context.Background()).Raw(sql, args...).Scan(out).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// impByCode indexes exported rows by code.
func impByCode(rows []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range rows {
		out[r["code"].(string)] = r
	}
	return out
}

func TestImportIndicators(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	impRoundTrip(t, f, "indicators", "indicators", 3)

	// A changed row updates its record (matched on its code), a new row creates one.
	rows := impByCode(impLines(t, impExport(t, f, "indicators", "")))
	flow := rows["IMP.FLOW"]
	flow["unit"] = "personas"
	flow["definition"] = map[string]any{"en": "People leaving"}
	fresh := map[string]any{"code": "IMP.NEW", "name": map[string]any{"es": "Nuevo"}, "unit": "%", "measure": "count"}
	job := impImport(t, f, "indicators", "", "application/x-ndjson", impNDJSON(t, rows["IMP.STOCK"], flow, fresh))
	impReport(t, "changed and new", job, 1, 1, 1, 0)
	var got struct {
		Unit         string
		DefinitionEn *string
		Version      int64
	}
	impScan(t, f, &got, `SELECT unit, definition_en, version FROM indicators WHERE id = ?`, f.flow)
	if got.Unit != "personas" || got.DefinitionEn == nil || *got.DefinitionEn != "People leaving" || got.Version != 2 {
		t.Errorf("updated indicator: %+v", got)
	}
	if n := f.env.Count(t, "indicators", "code = 'IMP.NEW' AND measure = 'count' AND NOT demo AND version = 1"); n != 1 {
		t.Errorf("created indicator: %d rows", n)
	}

	// Archived records are revived by an import that names them.
	impExec(t, f, `UPDATE indicators SET archived_at = now() WHERE id = ?`, f.money)
	job = impImport(t, f, "indicators", "", "application/x-ndjson", impNDJSON(t, rows["IMP.MONEY"]))
	impReport(t, "archived", job, 0, 1, 0, 0)
	if n := f.env.Count(t, "indicators", "id = ? AND archived_at IS NULL", f.money); n != 1 {
		t.Errorf("the archived indicator was not revived")
	}

	// Matched on id, a row that takes another record's code is refused on code; with atomic=all
	// the good row beside it is not written either.
	stock := rows["IMP.STOCK"]
	stock["code"] = "IMP.FLOW"
	other := map[string]any{"id": uuid.NewString(), "code": "IMP.OTHER", "name": map[string]any{"es": "Otro"}, "unit": "x", "measure": "flow"}
	r := impAtomic(t, f, "indicators", "key=id", impNDJSON(t, other, stock))
	if line, field, msg := impFirstError(t, r); line != 2 || field != "code" || msg != "already in use" {
		t.Errorf("code taken, atomic: line %v field %q message %q", line, field, msg)
	}
	job = impImport(t, f, "indicators", "key=id", "application/x-ndjson", impNDJSON(t, rows["IMP.MONEY"], stock))
	r = impReport(t, "code taken", job, 0, 0, 1, 1)
	if line, field, msg := impFirstError(t, r); line != 2 || field != "code" || msg != "already in use" {
		t.Errorf("code taken: line %v field %q message %q", line, field, msg)
	}

	// Validate runs on every row: the schema's rules and the service's.
	job = impImport(t, f, "indicators", "", "application/x-ndjson", impNDJSON(t,
		map[string]any{"code": "bad code!", "name": map[string]any{"es": "X"}, "unit": "x", "measure": "flow"}))
	r = impReport(t, "bad code", job, 0, 0, 0, 1)
	if line, field, _ := impFirstError(t, r); line != 1 || field != "code" {
		t.Errorf("bad code: line %v field %q", line, field)
	}

	// Indicators are the whole stocktake's: editors may not import them.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	res := impPost(t, f, editor, "indicators", "", "application/x-ndjson", impNDJSON(t, fresh))
	apitest.Problem(t, res, http.StatusForbidden)
}

func TestImportDataSources(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	impRoundTrip(t, f, "data-sources", "data_sources", 2)

	// A changed quality assessment updates its record, a new row creates one.
	rows := impByCode(impLines(t, impExport(t, f, "data-sources", "")))
	survey := rows["IMP-ENAHO"]
	q := survey["quality"].(map[string]any)
	q["timeliness"] = map[string]any{"score": 2}
	survey["spatial_coverage"] = []any{"PE"}
	fresh := map[string]any{"code": "IMP-NEW", "title": map[string]any{"es": "Nueva"}, "type": "census", "access": "public",
		"publisher_id": f.publisher}
	body := impNDJSON(t, survey, rows["IMP-STUDY"], fresh)
	before := f.env.Fingerprint(t)["data_sources"]
	job := impImport(t, f, "data-sources", "mode=validate", "application/x-ndjson", body)
	if r := impReport(t, "validate", job, 1, 1, 1, 0); r["committed"] != false || f.env.Fingerprint(t)["data_sources"] != before {
		t.Errorf("a dry run wrote: %v", r)
	}
	job = impImport(t, f, "data-sources", "", "application/x-ndjson", body)
	impReport(t, "changed and new", job, 1, 1, 1, 0)
	var got struct {
		TimelinessScore   int
		TimelinessNote    *string
		CompletenessScore int
		SpatialCoverage   string
		Version           int64
	}
	impScan(t, f, &got, `SELECT timeliness_score, timeliness_note, completeness_score, spatial_coverage::text, version
FROM data_sources WHERE id = ?`, f.survey)
	if got.TimelinessScore != 2 || got.TimelinessNote != nil || got.CompletenessScore != 3 || got.SpatialCoverage != "{PE}" || got.Version != 2 {
		t.Errorf("updated source: %+v", got)
	}
	if n := f.env.Count(t, "data_sources", "code = 'IMP-NEW' AND publisher_id = ? AND spatial_coverage = '{}' AND caveats = '{}'", f.publisher); n != 1 {
		t.Errorf("created source: %d rows", n)
	}

	// Dropping the quality assessment clears all its columns.
	delete(survey, "quality")
	job = impImport(t, f, "data-sources", "", "application/x-ndjson", impNDJSON(t, survey))
	impReport(t, "quality dropped", job, 0, 1, 0, 0)
	if n := f.env.Count(t, "data_sources", "id = ? AND timeliness_score IS NULL AND comparability_note IS NULL AND assessed_on IS NULL", f.survey); n != 1 {
		t.Errorf("quality not cleared")
	}

	// An unknown publisher is refused on its row; with atomic=all nothing is written.
	ghost := uuid.NewString()
	bad := map[string]any{"code": "IMP-BAD", "title": map[string]any{"es": "Mala"}, "type": "study", "access": "public", "publisher_id": ghost}
	r := impAtomic(t, f, "data-sources", "", impNDJSON(t, map[string]any{"code": "IMP-OK", "title": map[string]any{"es": "Buena"},
		"type": "study", "access": "public"}, bad))
	if line, field, msg := impFirstError(t, r); line != 2 || field != "publisher_id" || msg != "no such institution" {
		t.Errorf("unknown publisher: line %v field %q message %q", line, field, msg)
	}

	// An archived or inactive publisher may not publish a new source, but a source that has it
	// already keeps it, as the service lets it.
	impExec(t, f, `UPDATE institutions SET archived_at = now() WHERE id = ?`, f.publisher)
	rows = impByCode(impLines(t, impExport(t, f, "data-sources", "")))
	job = impImport(t, f, "data-sources", "", "application/x-ndjson", impNDJSON(t, rows["IMP-ENAHO"], rows["IMP-NEW"],
		map[string]any{"code": "IMP-NEW2", "title": map[string]any{"es": "Otra"}, "type": "study", "access": "public", "publisher_id": f.publisher}))
	r = impReport(t, "archived publisher", job, 0, 0, 2, 1)
	if line, field, msg := impFirstError(t, r); line != 3 || field != "publisher_id" || msg != "is archived" {
		t.Errorf("archived publisher: line %v field %q message %q", line, field, msg)
	}
	inactive := obsInstitution(t, f.env, "IMP-INACTIVE")
	impExec(t, f, `UPDATE institutions SET status = 'dissolved' WHERE id = ?`, inactive)
	job = impImport(t, f, "data-sources", "", "application/x-ndjson", impNDJSON(t,
		map[string]any{"code": "IMP-NEW3", "title": map[string]any{"es": "Otra"}, "type": "study", "access": "public", "publisher_id": inactive.String()}))
	r = impReport(t, "inactive publisher", job, 0, 0, 0, 1)
	if _, field, msg := impFirstError(t, r); field != "publisher_id" || !strings.HasPrefix(msg, "is not active") {
		t.Errorf("inactive publisher: field %q message %q", field, msg)
	}

	// An editor imports only sources its institution publishes, before and after.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	own := map[string]any{"code": "IMP-OWN", "title": map[string]any{"es": "Propia"}, "type": "study", "access": "public", "publisher_id": unit.String()}
	res := impPost(t, f, editor, "data-sources", "", "application/x-ndjson", impNDJSON(t, own, rows["IMP-STUDY"], rows["IMP-ENAHO"]))
	if res.Status != http.StatusCreated {
		t.Fatalf("editor import: %d %s", res.Status, res.Body)
	}
	r = impReport(t, "editor", res.JSON(t), 1, 0, 0, 2)
	if line, field, _ := impFirstError(t, r); line != 2 || field != "" {
		t.Errorf("editor importing nobody's source: line %v field %q", line, field)
	}
	takeover := rows["IMP-STUDY"]
	takeover["publisher_id"] = unit.String()
	res = impPost(t, f, editor, "data-sources", "", "application/x-ndjson", impNDJSON(t, takeover))
	impReport(t, "editor taking a source over", res.JSON(t), 0, 0, 0, 1)
}

func TestImportDataGaps(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	impRoundTrip(t, f, "data-gaps", "data_gaps", 2)

	// Archived indicators and sources stay referable: the export still imports back unchanged.
	impExec(t, f, `UPDATE indicators SET archived_at = now() WHERE id = ?`, f.stock)
	impExec(t, f, `UPDATE data_sources SET archived_at = now() WHERE id = ?`, f.survey)
	impRoundTrip(t, f, "data-gaps", "data_gaps", 2)

	// A changed row updates its record; a new row without status is created open.
	rows := impByCode(impLines(t, impExport(t, f, "data-gaps", "")))
	low := rows["IMP-GAP-2"]
	low["status"] = "closed"
	low["indicator_ids"] = []any{f.money}
	low["countries"] = []any{"IT"}
	fresh := map[string]any{"code": "IMP-GAP-3", "description": map[string]any{"es": "Nueva"}, "priority": "medium",
		"source_ids": []string{f.study}}
	job := impImport(t, f, "data-gaps", "", "application/x-ndjson", impNDJSON(t, rows["IMP-GAP-1"], low, fresh))
	impReport(t, "changed and new", job, 1, 1, 1, 0)
	var got struct {
		Status       string
		IndicatorIDs string
		Countries    string
		Version      int64
	}
	impScan(t, f, &got, `SELECT status, indicator_ids::text, countries::text, version FROM data_gaps WHERE id = ?`, f.gapLow)
	if got.Status != "closed" || got.IndicatorIDs != "{"+f.money+"}" || got.Countries != "{IT}" || got.Version != 2 {
		t.Errorf("updated gap: %+v", got)
	}
	if n := f.env.Count(t, "data_gaps", "code = 'IMP-GAP-3' AND status = 'open' AND indicator_ids = '{}' AND source_ids = ?::uuid[]",
		"{"+f.study+"}"); n != 1 {
		t.Errorf("created gap: %d rows", n)
	}

	// An unknown indicator is refused on its row; with atomic=all nothing is written.
	ghost := uuid.NewString()
	bad := map[string]any{"code": "IMP-GAP-BAD", "description": map[string]any{"es": "Mala"}, "priority": "low",
		"indicator_ids": []string{f.flow, ghost}}
	r := impAtomic(t, f, "data-gaps", "", impNDJSON(t, map[string]any{"code": "IMP-GAP-OK", "description": map[string]any{"es": "Buena"},
		"priority": "low"}, bad))
	if line, field, msg := impFirstError(t, r); line != 2 || field != "indicator_ids" || msg != "no such indicator: "+ghost {
		t.Errorf("unknown indicator: line %v field %q message %q", line, field, msg)
	}
	bad["indicator_ids"] = []string{}
	bad["source_ids"] = []string{ghost}
	job = impImport(t, f, "data-gaps", "", "text/csv", []byte("code,description.es,priority,source_ids\nIMP-GAP-BAD,Mala,low,"+ghost+"\n"))
	r = impReport(t, "unknown source", job, 0, 0, 0, 1)
	if line, field, msg := impFirstError(t, r); line != 2 || field != "source_ids" || msg != "no such data source: "+ghost {
		t.Errorf("unknown source: line %v field %q message %q", line, field, msg)
	}

	// Gaps are the whole stocktake's: editors may not import them.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	res := impPost(t, f, editor, "data-gaps", "", "application/x-ndjson", impNDJSON(t, fresh))
	apitest.Problem(t, res, http.StatusForbidden)
}
