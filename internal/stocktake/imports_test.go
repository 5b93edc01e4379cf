package stocktake_test

import (
	"context"
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

func impWantCodes(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: codes %v, want %v", what, got, want)
	}
}

func TestExportIndicators(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	all := apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "indicators", ""))
	if len(all) != 3 {
		t.Fatalf("NDJSON export: %d rows, want 3", len(all))
	}
	if all[0]["code"] != "IMP.FLOW" || all[0]["id"] != f.flow || all[0]["unit"] != "persons" || all[0]["version"] != 1.0 {
		t.Errorf("first row: %v", all[0])
	}
	impWantCodes(t, "measure=stock&measure=money", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "measure=stock&measure=money")), "IMP.MONEY", "IMP.STOCK")
	impWantCodes(t, "code", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "code=IMP.FLOW")), "IMP.FLOW")
	impWantCodes(t, "order_by=-code", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "order_by=-code")), "IMP.STOCK", "IMP.MONEY", "IMP.FLOW")
	impWantCodes(t, "q", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "q=emigrante")), "IMP.STOCK")

	res := f.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/indicators/" + f.money, Token: f.admin})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	impWantCodes(t, "archived left out", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "")), "IMP.FLOW", "IMP.STOCK")
	impWantCodes(t, "include_archived", apitest.Codes(t, f.env.Export(t, f.admin, "indicators", "include_archived=true")), "IMP.FLOW", "IMP.MONEY", "IMP.STOCK")

	header, rows := apitest.CSVRecords(t, f.env.Export(t, f.admin, "indicators", "format=csv"))
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
	all := apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "data-sources", ""))
	impWantCodes(t, "all", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "")), "IMP-ENAHO", "IMP-STUDY")
	q, _ := all[0]["quality"].(map[string]any)
	if q == nil || q["assessed_on"] != "2024-06-30" || q["timeliness"].(map[string]any)["score"] != 4.0 {
		t.Errorf("quality exported as %v", all[0]["quality"])
	}
	impWantCodes(t, "type", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "type=study")), "IMP-STUDY")
	impWantCodes(t, "publisher", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "publisher_id="+f.publisher)), "IMP-ENAHO")
	impWantCodes(t, "country", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "country=CL")), "IMP-ENAHO")
	impWantCodes(t, "caveat", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "caveat=modelled")), "IMP-ENAHO")
	impWantCodes(t, "access", apitest.Codes(t, f.env.Export(t, f.admin, "data-sources", "access=public")), "IMP-STUDY")

	header, rows := apitest.CSVRecords(t, f.env.Export(t, f.admin, "data-sources", "format=csv&order_by=-code"))
	apitest.WantColumns(t, header, "code", "title.es", "title.en", "description.es", "publisher_id", "temporal_coverage.start",
		"temporal_coverage.end", "spatial_coverage", "contact_point.email", "quality.timeliness", "quality.assessed_by",
		"quality.assessed_on", "caveats", "demo", "version")
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
	all := apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "data-gaps", ""))
	impWantCodes(t, "all", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "")), "IMP-GAP-1", "IMP-GAP-2")
	if ids, _ := all[0]["indicator_ids"].([]any); len(ids) != 2 || ids[0] != f.flow || ids[1] != f.stock {
		t.Errorf("indicator_ids exported as %v", all[0]["indicator_ids"])
	}
	impWantCodes(t, "priority", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "priority=low")), "IMP-GAP-2")
	impWantCodes(t, "status", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "status=being_addressed")), "IMP-GAP-1")
	impWantCodes(t, "indicator", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "indicator_id="+f.stock)), "IMP-GAP-1")
	impWantCodes(t, "source", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "source_id="+f.study)))
	impWantCodes(t, "country", apitest.Codes(t, f.env.Export(t, f.admin, "data-gaps", "country=ES")), "IMP-GAP-1")

	header, rows := apitest.CSVRecords(t, f.env.Export(t, f.admin, "data-gaps", "format=csv"))
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

// impAtomic imports body with atomic=all, checks that it fails with rows_failed, that one row
// was refused, and that nothing at all was written, and returns the job.
func impAtomic(t *testing.T, f impFixture, resource, query string, body []byte) apitest.ImportJob {
	t.Helper()
	before := f.env.Fingerprint(t)
	job := f.env.Import(t, f.admin, resource, "atomic=all&"+query, apitest.NDJSONType, body)
	if job.Status != "failed" || job.Failure == nil || job.Failure.Reason != "rows_failed" {
		t.Errorf("atomic=all with a bad row: %+v", job)
	}
	if r := job.Report; r.Failed != 1 || r.Committed {
		t.Errorf("atomic=all report: %+v", r)
	}
	f.env.UnchangedExcept(t, before, "import_jobs", "audit_events")
	return job
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

func TestImportIndicators(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	f.env.RoundTrip(t, f.admin, "indicators", "include_archived=true", "indicators", 3, "key=id")

	// A changed row updates its record (matched on its code), a new row creates one.
	rows := apitest.ByCode(t, apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "indicators", "")))
	flow := rows["IMP.FLOW"]
	flow["unit"] = "personas"
	flow["definition"] = map[string]any{"en": "People leaving"}
	fresh := map[string]any{"code": "IMP.NEW", "name": map[string]any{"es": "Nuevo"}, "unit": "%", "measure": "count"}
	job := f.env.Import(t, f.admin, "indicators", "", apitest.NDJSONType, apitest.NDJSON(t, rows["IMP.STOCK"], flow, fresh))
	job.WantCounts(t, "changed and new", 1, 1, 1, 0)
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
	job = f.env.Import(t, f.admin, "indicators", "", apitest.NDJSONType, apitest.NDJSON(t, rows["IMP.MONEY"]))
	job.WantCounts(t, "archived", 0, 1, 0, 0)
	if n := f.env.Count(t, "indicators", "id = ? AND archived_at IS NULL", f.money); n != 1 {
		t.Errorf("the archived indicator was not revived")
	}

	// Matched on id, a row that takes another record's code is refused on code; with atomic=all
	// the good row beside it is not written either.
	stock := rows["IMP.STOCK"]
	stock["code"] = "IMP.FLOW"
	other := map[string]any{"id": uuid.NewString(), "code": "IMP.OTHER", "name": map[string]any{"es": "Otro"}, "unit": "x", "measure": "flow"}
	job = impAtomic(t, f, "indicators", "key=id", apitest.NDJSON(t, other, stock))
	if line, field, msg := job.FirstError(t); line != 2 || field != "code" || msg != "already in use" {
		t.Errorf("code taken, atomic: line %v field %q message %q", line, field, msg)
	}
	job = f.env.Import(t, f.admin, "indicators", "key=id", apitest.NDJSONType, apitest.NDJSON(t, rows["IMP.MONEY"], stock))
	job.WantCounts(t, "code taken", 0, 0, 1, 1)
	if line, field, msg := job.FirstError(t); line != 2 || field != "code" || msg != "already in use" {
		t.Errorf("code taken: line %v field %q message %q", line, field, msg)
	}

	// Validate runs on every row: the schema's rules and the service's.
	job = f.env.Import(t, f.admin, "indicators", "", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"code": "bad code!", "name": map[string]any{"es": "X"}, "unit": "x", "measure": "flow"}))
	job.WantCounts(t, "bad code", 0, 0, 0, 1)
	if line, field, _ := job.FirstError(t); line != 1 || field != "code" {
		t.Errorf("bad code: line %v field %q", line, field)
	}

	// Indicators are the whole stocktake's: editors may not import them.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	res := f.env.PostImport(t, editor, "indicators", "", apitest.NDJSONType, apitest.NDJSON(t, fresh))
	apitest.Problem(t, res, http.StatusForbidden)
}

func TestImportDataSources(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	f.env.RoundTrip(t, f.admin, "data-sources", "include_archived=true", "data_sources", 2, "key=id")

	// A changed quality assessment updates its record, a new row creates one.
	rows := apitest.ByCode(t, apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "data-sources", "")))
	survey := rows["IMP-ENAHO"]
	q := survey["quality"].(map[string]any)
	q["timeliness"] = map[string]any{"score": 2}
	survey["spatial_coverage"] = []any{"PE"}
	fresh := map[string]any{"code": "IMP-NEW", "title": map[string]any{"es": "Nueva"}, "type": "census", "access": "public",
		"publisher_id": f.publisher}
	body := apitest.NDJSON(t, survey, rows["IMP-STUDY"], fresh)
	before := f.env.Fingerprint(t)["data_sources"]
	job := f.env.Import(t, f.admin, "data-sources", "mode=validate", apitest.NDJSONType, body)
	job.WantCounts(t, "validate", 1, 1, 1, 0)
	if job.Report.Committed || f.env.Fingerprint(t)["data_sources"] != before {
		t.Errorf("a dry run wrote: %+v", job.Report)
	}
	job = f.env.Import(t, f.admin, "data-sources", "", apitest.NDJSONType, body)
	job.WantCounts(t, "changed and new", 1, 1, 1, 0)
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
	job = f.env.Import(t, f.admin, "data-sources", "", apitest.NDJSONType, apitest.NDJSON(t, survey))
	job.WantCounts(t, "quality dropped", 0, 1, 0, 0)
	if n := f.env.Count(t, "data_sources", "id = ? AND timeliness_score IS NULL AND comparability_note IS NULL AND assessed_on IS NULL", f.survey); n != 1 {
		t.Errorf("quality not cleared")
	}

	// An unknown publisher is refused on its row; with atomic=all nothing is written.
	ghost := uuid.NewString()
	bad := map[string]any{"code": "IMP-BAD", "title": map[string]any{"es": "Mala"}, "type": "study", "access": "public", "publisher_id": ghost}
	job = impAtomic(t, f, "data-sources", "", apitest.NDJSON(t, map[string]any{"code": "IMP-OK", "title": map[string]any{"es": "Buena"},
		"type": "study", "access": "public"}, bad))
	if line, field, msg := job.FirstError(t); line != 2 || field != "publisher_id" || msg != "no such institution" {
		t.Errorf("unknown publisher: line %v field %q message %q", line, field, msg)
	}

	// An archived or inactive publisher may not publish a new source, but a source that has it
	// already keeps it, as the service lets it.
	impExec(t, f, `UPDATE institutions SET archived_at = now() WHERE id = ?`, f.publisher)
	rows = apitest.ByCode(t, apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "data-sources", "")))
	job = f.env.Import(t, f.admin, "data-sources", "", apitest.NDJSONType, apitest.NDJSON(t, rows["IMP-ENAHO"], rows["IMP-NEW"],
		map[string]any{"code": "IMP-NEW2", "title": map[string]any{"es": "Otra"}, "type": "study", "access": "public", "publisher_id": f.publisher}))
	job.WantCounts(t, "archived publisher", 0, 0, 2, 1)
	if line, field, msg := job.FirstError(t); line != 3 || field != "publisher_id" || msg != "is archived" {
		t.Errorf("archived publisher: line %v field %q message %q", line, field, msg)
	}
	inactive := obsInstitution(t, f.env, "IMP-INACTIVE")
	impExec(t, f, `UPDATE institutions SET status = 'dissolved' WHERE id = ?`, inactive)
	job = f.env.Import(t, f.admin, "data-sources", "", apitest.NDJSONType, apitest.NDJSON(t,
		map[string]any{"code": "IMP-NEW3", "title": map[string]any{"es": "Otra"}, "type": "study", "access": "public", "publisher_id": inactive.String()}))
	job.WantCounts(t, "inactive publisher", 0, 0, 0, 1)
	if _, field, msg := job.FirstError(t); field != "publisher_id" || !strings.HasPrefix(msg, "is not active") {
		t.Errorf("inactive publisher: field %q message %q", field, msg)
	}

	// An editor imports only sources its institution publishes, before and after.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	own := map[string]any{"code": "IMP-OWN", "title": map[string]any{"es": "Propia"}, "type": "study", "access": "public", "publisher_id": unit.String()}
	job = f.env.Import(t, editor, "data-sources", "", apitest.NDJSONType, apitest.NDJSON(t, own, rows["IMP-STUDY"], rows["IMP-ENAHO"]))
	job.WantCounts(t, "editor", 1, 0, 0, 2)
	if line, field, _ := job.FirstError(t); line != 2 || field != "" {
		t.Errorf("editor importing nobody's source: line %v field %q", line, field)
	}
	takeover := rows["IMP-STUDY"]
	takeover["publisher_id"] = unit.String()
	f.env.Import(t, editor, "data-sources", "", apitest.NDJSONType, apitest.NDJSON(t, takeover)).WantCounts(t, "editor taking a source over", 0, 0, 0, 1)
}

func TestImportDataGaps(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	f.env.RoundTrip(t, f.admin, "data-gaps", "include_archived=true", "data_gaps", 2, "key=id")

	// Archived indicators and sources stay referable: the export still imports back unchanged.
	impExec(t, f, `UPDATE indicators SET archived_at = now() WHERE id = ?`, f.stock)
	impExec(t, f, `UPDATE data_sources SET archived_at = now() WHERE id = ?`, f.survey)
	f.env.RoundTrip(t, f.admin, "data-gaps", "include_archived=true", "data_gaps", 2, "key=id")

	// A changed row updates its record; a new row without status is created open.
	rows := apitest.ByCode(t, apitest.NDJSONRecords(t, f.env.Export(t, f.admin, "data-gaps", "")))
	low := rows["IMP-GAP-2"]
	low["status"] = "closed"
	low["indicator_ids"] = []any{f.money}
	low["countries"] = []any{"IT"}
	fresh := map[string]any{"code": "IMP-GAP-3", "description": map[string]any{"es": "Nueva"}, "priority": "medium",
		"source_ids": []string{f.study}}
	job := f.env.Import(t, f.admin, "data-gaps", "", apitest.NDJSONType, apitest.NDJSON(t, rows["IMP-GAP-1"], low, fresh))
	job.WantCounts(t, "changed and new", 1, 1, 1, 0)
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
	job = impAtomic(t, f, "data-gaps", "", apitest.NDJSON(t, map[string]any{"code": "IMP-GAP-OK", "description": map[string]any{"es": "Buena"},
		"priority": "low"}, bad))
	if line, field, msg := job.FirstError(t); line != 2 || field != "indicator_ids" || msg != "no such indicator: "+ghost {
		t.Errorf("unknown indicator: line %v field %q message %q", line, field, msg)
	}
	bad["indicator_ids"] = []string{}
	bad["source_ids"] = []string{ghost}
	job = f.env.Import(t, f.admin, "data-gaps", "", apitest.CSVType, []byte("code,description.es,priority,source_ids\nIMP-GAP-BAD,Mala,low,"+ghost+"\n"))
	job.WantCounts(t, "unknown source", 0, 0, 0, 1)
	if line, field, msg := job.FirstError(t); line != 2 || field != "source_ids" || msg != "no such data source: "+ghost {
		t.Errorf("unknown source: line %v field %q message %q", line, field, msg)
	}

	// Gaps are the whole stocktake's: editors may not import them.
	unit := obsInstitution(t, f.env, "IMP-ED")
	editor := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &unit})
	res := f.env.PostImport(t, editor, "data-gaps", "", apitest.NDJSONType, apitest.NDJSON(t, fresh))
	apitest.Problem(t, res, http.StatusForbidden)
}
