package territory_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// terrImportSetup is terrSetup with three points to export: one with an address and notes that
// CSV must quote, one by the regional government, one archived.
func terrImportSetup(t *testing.T) (terrFixture, []terrPoint) {
	t.Helper()
	f := terrSetup(t)
	full := terrBody(f.svc["SRV-RETURN"], "08", f.ode, "in_person_peru")
	full["address"], full["notes"] = `Av. El Sol 123, "Casa Garcilaso"; Cusco`, "Lunes a viernes\nprevia cita"
	pts := []terrPoint{
		apitest.Create[terrPoint](t, f.env, f.admin, "/v1/service-points", full),
		apitest.Create[terrPoint](t, f.env, f.admin, "/v1/service-points", terrBody(f.svc["SRV-SAFE"], "12", f.gore, "phone")),
		apitest.Create[terrPoint](t, f.env, f.admin, "/v1/service-points", terrBody(f.svc["SRV-FAIR"], "15", f.gore, "online")),
	}
	if res := f.env.Send(t, http.MethodDelete, f.admin, "/v1/service-points/"+pts[2].ID, nil, nil); res.Status != http.StatusNoContent {
		t.Fatal(res.Status)
	}
	return f, pts
}

func TestExportServicePoints(t *testing.T) {
	t.Parallel()
	f, pts := terrImportSetup(t)
	env := f.env

	lines := apitest.NDJSONRecords(t, env.Export(t, f.admin, "service-points", ""))
	if got := apitest.Strings(t, lines, "id"); !slices.Equal(got, []string{pts[0].ID, pts[1].ID}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	env.Send(t, http.MethodGet, f.admin, "/v1/service-points", nil, nil).Decode(t, &page)
	for i := range lines {
		if !slices.Equal(slices.Sorted(maps.Keys(lines[i])), slices.Sorted(maps.Keys(page.Items[i]))) || lines[i]["notes"] != page.Items[i]["notes"] {
			t.Errorf("export line %d differs from the list:\n%v\n%v", i+1, lines[i], page.Items[i])
		}
	}
	for query, want := range map[string][]string{
		"region=12":                         {pts[1].ID},
		"provider_id=" + f.ode.String():     {pts[0].ID},
		"service_id=" + f.svc["SRV-RETURN"]: {pts[0].ID},
		"channel=phone&channel=online":      {pts[1].ID},
		"include_archived=true":             {pts[0].ID, pts[1].ID, pts[2].ID},
		"order_by=-region":                  {pts[1].ID, pts[0].ID},
	} {
		if got := apitest.Strings(t, apitest.NDJSONRecords(t, env.Export(t, f.admin, "service-points", query)), "id"); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/service-points?region=26", Token: f.admin}),
		http.StatusBadRequest)

	header, rows := apitest.CSVRecords(t, env.Export(t, f.admin, "service-points", "format=csv"))
	for _, col := range []string{"id", "service_id", "region", "provider_id", "channel", "address", "notes", "demo", "version"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header lacks %s: %v", col, header)
		}
	}
	if len(rows) != 2 || rows[0]["address"] != `Av. El Sol 123, "Casa Garcilaso"; Cusco` || rows[0]["notes"] != "Lunes a viernes\nprevia cita" ||
		rows[0]["region"] != "08" || rows[0]["provider_id"] != f.ode.String() || rows[1]["address"] != "" {
		t.Errorf("CSV rows: %v", rows)
	}
}

func TestImportServicePoints(t *testing.T) {
	t.Parallel()
	f, pts := terrImportSetup(t)
	env, admin := f.env, f.admin

	// Round trips (natural key, id), NDJSON and CSV: every row unchanged, even with the service
	// and the provider of a point archived and dissolved since it was written.
	conn := env.DB.Conn(context.Background())
	if err := conn.Exec(`UPDATE services SET archived_at = now() WHERE id = ?`, f.svc["SRV-SAFE"]).Error; err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(`UPDATE institutions SET status = 'dissolved' WHERE id = ?`, f.gore).Error; err != nil {
		t.Fatal(err)
	}
	env.RoundTrip(t, admin, "service-points", "", "service_points", 2, "key=id", "key=code", "mode=validate")
	env.RoundTrip(t, admin, "service-points", "include_archived=false&region=08", "service_points", 1)

	// A changed row updates its point; a row with a new natural key creates one.
	lines := apitest.NDJSONRecords(t, env.Export(t, admin, "service-points", ""))
	lines[0]["notes"] = "Solo con cita previa"
	lines[0]["address"] = nil
	fresh := map[string]any{"service_id": f.svc["SRV-FAIR"], "region": "08", "provider_id": f.ode.String(), "channel": "in_person_peru",
		"address": "Plaza de Armas"}
	before := env.Fingerprint(t)
	env.Import(t, admin, "service-points", "", apitest.NDJSONType, apitest.NDJSON(t, lines[0], lines[1], fresh)).
		WantCounts(t, "change and create", 1, 1, 1, 0)
	if n := env.Count(t, "service_points", "id = ? AND notes = 'Solo con cita previa' AND address IS NULL AND version = 2", pts[0].ID); n != 1 {
		t.Errorf("the changed row did not update its point")
	}
	if n := env.Count(t, "service_points", "service_id = ? AND region = '08' AND address = 'Plaza de Armas' AND NOT demo", f.svc["SRV-FAIR"]); n != 1 {
		t.Errorf("the new row did not create a point")
	}
	env.UnchangedExcept(t, before, "service_points", "import_jobs", "audit_events")

	// References chosen now must be live; with atomic=all one bad row writes nothing.
	good := map[string]any{"service_id": f.svc["SRV-RETURN"], "region": "21", "provider_id": f.ode.String(), "channel": "phone"}
	unknown := map[string]any{"service_id": uuid.NewString(), "region": "21", "provider_id": f.ode.String(), "channel": "phone"}
	archivedService := map[string]any{"service_id": f.svc["SRV-SAFE"], "region": "21", "provider_id": f.ode.String(), "channel": "phone"}
	dissolved := map[string]any{"service_id": f.svc["SRV-RETURN"], "region": "21", "provider_id": f.gore.String(), "channel": "phone"}
	badRegion := map[string]any{"service_id": f.svc["SRV-RETURN"], "region": "26", "provider_id": f.ode.String(), "channel": "phone"}
	before = env.Fingerprint(t)
	j := env.Import(t, admin, "service-points", "atomic=all", apitest.NDJSONType, apitest.NDJSON(t, good, unknown, archivedService, dissolved, badRegion))
	j.WantCounts(t, "references, atomic=all", 1, 0, 0, 4)
	j.WantError(t, 2, "service_id", "no such service")
	j.WantError(t, 3, "service_id", "is archived")
	j.WantError(t, 4, "provider_id", "is dissolved")
	if len(j.Report.Errors) != 4 || j.Report.Errors[3].Line != 5 || j.Report.Committed {
		t.Errorf("report: %+v", j.Report)
	}
	env.UnchangedExcept(t, before, "import_jobs")
	env.Import(t, admin, "service-points", "", apitest.NDJSONType, apitest.NDJSON(t, good, unknown)).WantCounts(t, "atomic=none", 1, 0, 0, 1)

	// By id, a new row that repeats a point's natural key is refused on the row, as a POST is.
	dup := map[string]any{"id": uuid.NewString(), "service_id": f.svc["SRV-RETURN"], "region": "21", "provider_id": f.ode.String(), "channel": "phone"}
	j = env.Import(t, admin, "service-points", "key=id", apitest.NDJSONType, apitest.NDJSON(t, dup))
	j.WantCounts(t, "duplicate by id", 0, 0, 0, 1)
	if line, _, msg := j.FirstError(t); line != 1 || !strings.Contains(msg, "already has a point") {
		t.Errorf("duplicate: %+v", j.Report.Errors)
	}
}

// Editors and partners import only the points their institution's subtree provides, before and
// after.
func TestImportServicePointsScoped(t *testing.T) {
	t.Parallel()
	f, pts := terrImportSetup(t)
	env := f.env
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &f.mre})
	mine := map[string]any{"service_id": f.svc["SRV-SAFE"], "region": "08", "provider_id": f.ode.String(), "channel": "online"}
	others := map[string]any{"service_id": f.svc["SRV-SAFE"], "region": "08", "provider_id": f.gore.String(), "channel": "online"}
	lines := apitest.NDJSONRecords(t, env.Export(t, f.admin, "service-points", "region=12"))
	taken := lines[0] // the regional government's point, moved to the MRE's office
	taken["provider_id"] = f.ode.String()
	j := env.Import(t, editor, "service-points", "key=id", apitest.NDJSONType, apitest.NDJSON(t, mine, others, taken))
	j.WantCounts(t, "editor", 1, 0, 0, 2)
	for _, e := range j.Report.Errors {
		if (e.Line != 2 && e.Line != 3) || !strings.Contains(e.Message, "own institution") {
			t.Errorf("refusal: %+v", e)
		}
	}
	if env.Count(t, "service_points", "id = ? AND provider_id = ?", pts[1].ID, f.gore) != 1 {
		t.Errorf("the editor took another institution's point")
	}
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	if res := env.PostImport(t, viewer, "service-points", "", apitest.NDJSONType, apitest.NDJSON(t, mine)); res.Status != http.StatusForbidden {
		t.Errorf("viewer import: %d %s", res.Status, res.Body)
	}
}
