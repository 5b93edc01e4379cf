package servicemenu_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// impMenu is a menu of services: a full one provided by a unit dissolved since, linked to an
// instrument, an input and a function that were all archived since; a plain one; a proposed
// one provided by another unit.
type impMenu struct {
	env                       *apitest.Env
	admin                     string
	unit, other, dissolved    uuid.UUID
	law, input, fn            string
	full, plain, proposed     svcService
	oldLaw, oldInput, oldFunc string
}

func impSetup(t *testing.T) impMenu {
	t.Helper()
	env := apitest.New(t)
	m := impMenu{env: env, admin: env.AdminToken(t)}
	m.unit, m.other, m.dissolved = svcUnit(t, env, "IMP-ASN", nil), svcUnit(t, env, "IMP-CON", nil), svcUnit(t, env, "IMP-DIS", nil)
	m.law, m.oldLaw = svcInstrument(t, env, m.admin, "PE-LEY-40001"), svcInstrument(t, env, m.admin, "PE-LEY-40002")
	m.fn, m.oldFunc = svcFunction(t, env, m.admin, "F-IMP"), svcFunction(t, env, m.admin, "F-IMP-OLD")
	m.input, m.oldInput = svcInput(t, env, "Consulados móviles"), svcInput(t, env, "Voto por internet")
	m.full = svcCreate(t, env, m.admin, map[string]any{
		"code": "SRV-IMP-FULL", "name": map[string]any{"es": "Pasaporte, \"electrónico\"", "en": "E-passport; abroad"},
		"description":   map[string]any{"es": "Trámite\nen línea"},
		"target_groups": []string{"nationals_abroad", "students"}, "provider_id": m.dissolved.String(),
		"channels": []string{"online", "consulate"}, "instrument_ids": []string{m.oldLaw, m.law},
		"legal_basis": map[string]any{"es": "Ley 40001"}, "status": "existing", "fees": map[string]any{"en": "USD 20"},
		"languages": []string{"es", "qu"}, "input_ids": []string{m.input, m.oldInput}, "function_ids": []string{m.oldFunc, m.fn},
	})
	m.plain = svcCreate(t, env, m.admin, svcBody("SRV-IMP-PLAIN", "existing"))
	proposed := svcBody("SRV-IMP-PROPOSED", "proposed")
	proposed["provider_id"], proposed["input_ids"] = m.other.String(), []string{m.input}
	m.proposed = svcCreate(t, env, m.admin, proposed)

	db := env.DB.Conn(context.Background())
	for table, id := range map[string]string{"legal_instruments": m.oldLaw, "consultation_inputs": m.oldInput, "functions": m.oldFunc} {
		if err := db.Exec(`UPDATE `+table+` SET archived_at = now() WHERE id = ?`, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`UPDATE institutions SET status = 'dissolved' WHERE id = ?`, m.dissolved).Error; err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExportServices(t *testing.T) {
	t.Parallel()
	m := impSetup(t)
	env := m.env

	lines := apitest.NDJSONRecords(t, env.Export(t, m.admin, "services", ""))
	if got := apitest.Strings(t, lines, "code"); !slices.Equal(got, []string{"SRV-IMP-FULL", "SRV-IMP-PLAIN", "SRV-IMP-PROPOSED"}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	env.WantSameAsList(t, m.admin, "/v1/services", lines)
	for query, want := range map[string][]string{
		"status=proposed":                      {"SRV-IMP-PROPOSED"},
		"input_id=" + m.input:                  {"SRV-IMP-FULL", "SRV-IMP-PROPOSED"},
		"provider_id=" + m.other.String():      {"SRV-IMP-PROPOSED"},
		"channel=online&target_group=students": {"SRV-IMP-FULL"},
		"has_function=false":                   {"SRV-IMP-PLAIN", "SRV-IMP-PROPOSED"},
		"q=pasaporte":                          {"SRV-IMP-FULL"},
		"code=SRV-IMP-PLAIN":                   {"SRV-IMP-PLAIN"},
		"order_by=-code":                       {"SRV-IMP-PROPOSED", "SRV-IMP-PLAIN", "SRV-IMP-FULL"},
	} {
		if got := apitest.Codes(t, env.Export(t, m.admin, "services", query)); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/services?status=gone", Token: m.admin}),
		http.StatusBadRequest)

	header, rows := apitest.CSVRecords(t, env.Export(t, m.admin, "services", "format=csv"))
	if len(rows) != 3 {
		t.Fatalf("CSV rows: %v", rows)
	}
	row := rows[0]
	apitest.WantColumns(t, header, "id", "code", "name.es", "name.en", "description.es", "legal_basis.es", "fees.en",
		"target_groups", "instrument_ids", "input_ids", "function_ids", "version")
	if row["name.es"] != `Pasaporte, "electrónico"` || row["description.es"] != "Trámite\nen línea" ||
		row["languages"] != `["es","qu"]` || row["input_ids"] != `["`+m.input+`","`+m.oldInput+`"]` ||
		row["provider_id"] != m.dissolved.String() || row["name.en"] != "E-passport; abroad" {
		t.Errorf("CSV row: %v", row)
	}
}

func TestImportServices(t *testing.T) {
	t.Parallel()
	m := impSetup(t)
	env := m.env

	// Round trips: the dissolved provider and archived links a service keeps do not block it.
	ndjson := env.Export(t, m.admin, "services", "")
	before := env.Fingerprint(t)
	env.Import(t, m.admin, "services", "", "", ndjson).WantCounts(t, "NDJSON round trip", 0, 0, 3, 0)
	env.Import(t, m.admin, "services", "key=id", "", ndjson).WantCounts(t, "NDJSON round trip by id", 0, 0, 3, 0)
	env.Import(t, m.admin, "services", "", "", env.Export(t, m.admin, "services", "format=csv")).WantCounts(t, "CSV round trip", 0, 0, 3, 0)
	env.Import(t, m.admin, "services", "mode=validate", "", ndjson).WantCounts(t, "validate", 0, 0, 3, 0)
	env.UnchangedTables(t, before, "services")

	// A changed row updates its service; a new one is created.
	lines := apitest.NDJSONRecords(t, ndjson)
	lines[0]["channels"] = []string{"phone"}
	lines[0]["fees"] = nil
	fresh := svcBody("SRV-IMP-NEW", "proposed")
	fresh["function_ids"] = []string{m.fn}
	j := env.Import(t, m.admin, "services", "", "", apitest.NDJSON(t, lines[0], lines[1], lines[2], fresh))
	j.WantCounts(t, "change and create", 1, 1, 2, 0)
	got, _ := svcGet(t, env, m.admin, m.full.ID)
	if !slices.Equal(got.Channels, []string{"phone"}) || got.Fees != nil || got.Version != 2 || len(got.InputIDs) != 2 ||
		svcDeref(got.ProviderID) != m.dissolved.String() {
		t.Errorf("updated service: %+v", got)
	}
	if env.Count(t, "services", "code = 'SRV-IMP-NEW' AND status = 'proposed' AND function_ids = ARRAY[?]::uuid[] AND languages = '{}'", m.fn) != 1 {
		t.Errorf("created service")
	}

	// A provider chosen now must be live; linked records must exist (archived ones may be
	// linked); with atomic=all one bad row writes nothing.
	moved := lines[1]
	moved["provider_id"] = m.dissolved.String()
	unknown := svcBody("SRV-IMP-UNKNOWN", "existing")
	unknown["input_ids"] = []string{m.oldInput, uuid.NewString()}
	archivedLinks := svcBody("SRV-IMP-ARCHIVED-LINKS", "existing")
	archivedLinks["instrument_ids"], archivedLinks["function_ids"] = []string{m.oldLaw}, []string{m.oldFunc}
	noProvider := svcBody("SRV-IMP-NO-PROVIDER", "existing")
	noProvider["provider_id"] = uuid.NewString()
	before = env.Fingerprint(t)
	j = env.Import(t, m.admin, "services", "atomic=all", "", apitest.NDJSON(t, archivedLinks, moved, unknown, noProvider))
	j.WantCounts(t, "references, atomic=all", 1, 0, 0, 3)
	if errs := j.Report.Errors; len(errs) != 3 || errs[0] != (apitest.ImportRowError{Line: 2, Field: "provider_id", Message: "is dissolved"}) ||
		errs[1].Line != 3 || errs[1].Field != "input_ids" || !strings.HasPrefix(errs[1].Message, "no such consultation input: ") ||
		errs[2] != (apitest.ImportRowError{Line: 4, Field: "provider_id", Message: "no such institution"}) || j.Report.Committed {
		t.Errorf("report: %+v", j)
	}
	env.UnchangedTables(t, before, "services")
	env.Import(t, m.admin, "services", "", "", apitest.NDJSON(t, archivedLinks, unknown)).WantCounts(t, "atomic=none", 1, 0, 0, 1)
	if env.Count(t, "services", "code = 'SRV-IMP-ARCHIVED-LINKS'") != 1 {
		t.Errorf("the good row was not written")
	}

	// Validate's rules are the create's; a taken code (key=id) is refused on its field.
	bad := svcBody("SRV-IMP-BAD", "existing")
	bad["languages"] = []string{"iw"}
	j = env.Import(t, m.admin, "services", "", "", apitest.NDJSON(t, bad))
	if len(j.Report.Errors) != 1 || j.Report.Errors[0] != (apitest.ImportRowError{Line: 1, Field: "languages.0", Message: "a withdrawn code: use he"}) {
		t.Errorf("withdrawn language: %+v", j.Report.Errors)
	}
	plain := apitest.NDJSONRecords(t, env.Export(t, m.admin, "services", "code=SRV-IMP-PLAIN"))[0]
	plain["code"] = "SRV-IMP-FULL"
	j = env.Import(t, m.admin, "services", "key=id", "", apitest.NDJSON(t, plain))
	if len(j.Report.Errors) != 1 || j.Report.Errors[0] != (apitest.ImportRowError{Line: 1, Field: "code", Message: "already in use"}) {
		t.Errorf("code taken: %+v", j.Report.Errors)
	}
}

// Editors and partners import only services their institution's subtree provides, before and
// after.
func TestImportServicesScoped(t *testing.T) {
	t.Parallel()
	m := impSetup(t)
	env := m.env
	below, err := env.App.Institutions.Create(svcSys(), institutions.Fields{Code: "IMP-ASN-SUB", NameES: new("Subunidad"),
		Kind: "department", Tier: "national", ParentID: &m.unit})
	if err != nil {
		t.Fatal(err)
	}
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &m.unit})
	mine := svcBody("SRV-IMP-MINE", "existing")
	mine["provider_id"] = below.ID.String()
	nobody := svcBody("SRV-IMP-NOBODY", "existing")
	taken := apitest.NDJSONRecords(t, env.Export(t, m.admin, "services", "code=SRV-IMP-PROPOSED"))[0]
	taken["provider_id"] = m.unit.String()
	j := env.Import(t, editor, "services", "", "", apitest.NDJSON(t, mine, nobody, taken))
	j.WantCounts(t, "editor", 1, 0, 0, 2)
	for _, e := range j.Report.Errors {
		if (e.Line != 2 && e.Line != 3) || !strings.Contains(e.Message, "own institution") {
			t.Errorf("refusal: %+v", e)
		}
	}
	if env.Count(t, "services", "code = 'SRV-IMP-PROPOSED' AND provider_id = ?", m.other) != 1 {
		t.Errorf("the editor took another unit's service")
	}
}
