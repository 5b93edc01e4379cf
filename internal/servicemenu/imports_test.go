package servicemenu_test

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
	"github.com/puente-mre/puente/internal/institutions"
)

// impJob is an import job as the API renders it.
type impJob struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Failure *struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"failure"`
	Report struct {
		Created, Updated, Unchanged, Failed int64
		Committed                           bool
		Errors                              []impRowError
	} `json:"report"`
}

type impRowError struct {
	Line           int64
	Field, Message string
}

// impRun posts body (NDJSON unless it does not start with "{": CSV) as an import of services
// with the extra query, waits for the job and returns it.
func impRun(t *testing.T, env *apitest.Env, token, query string, body []byte) impJob {
	t.Helper()
	ct := "application/x-ndjson"
	if !bytes.HasPrefix(body, []byte("{")) {
		ct = "text/csv"
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=services" + query, Token: token,
		Body: body, ContentType: ct, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("import%s: %d %s", query, res.Status, res.Body)
	}
	var j impJob
	res.Decode(t, &j)
	return j
}

// impWant fails t unless the job's counts are created, updated, unchanged, failed.
func impWant(t *testing.T, what string, j impJob, counts ...int64) {
	t.Helper()
	got := []int64{j.Report.Created, j.Report.Updated, j.Report.Unchanged, j.Report.Failed}
	if !slices.Equal(got, counts) {
		t.Errorf("%s: created/updated/unchanged/failed %v, want %v (status %s, errors %+v, failure %+v)",
			what, got, counts, j.Status, j.Report.Errors, j.Failure)
	}
}

// impExport exports services with query and fails t unless it answers 200 in the format asked.
func impExport(t *testing.T, env *apitest.Env, token, query string) []byte {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/services?" + query, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("export ?%s: %d %s", query, res.Status, res.Body)
	}
	want := "application/x-ndjson"
	if strings.Contains(query, "format=csv") {
		want = "text/csv"
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Fatalf("export ?%s: Content-Type %q, want %s", query, ct, want)
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

// impNDJSON encodes records as NDJSON.
func impNDJSON(t *testing.T, records ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range records {
		b.Write(mustJSON(t, r))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func impCodes(records []map[string]any) []string {
	out := []string{}
	for _, r := range records {
		out = append(out, r["code"].(string))
	}
	return out
}

// impUnchanged fails t if the services changed since before (an import records its job and its
// audit event whatever it writes).
func impUnchanged(t *testing.T, env *apitest.Env, before map[string]string) {
	t.Helper()
	if env.Fingerprint(t)["services"] != before["services"] {
		t.Errorf("table services changed")
	}
}

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

	lines := impLines(t, impExport(t, env, m.admin, ""))
	if got := impCodes(lines); !slices.Equal(got, []string{"SRV-IMP-FULL", "SRV-IMP-PLAIN", "SRV-IMP-PROPOSED"}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/services", Token: m.admin}).Decode(t, &page)
	for i := range lines {
		if a, b := string(mustJSON(t, lines[i])), string(mustJSON(t, page.Items[i])); a != b {
			t.Errorf("export line %d differs from the list:\n%s\n%s", i+1, a, b)
		}
	}
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
		if got := impCodes(impLines(t, impExport(t, env, m.admin, query))); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/services?status=gone", Token: m.admin}),
		http.StatusBadRequest)

	recs, err := csv.NewReader(bytes.NewReader(impExport(t, env, m.admin, "format=csv"))).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("CSV export: %v %v", err, recs)
	}
	row := map[string]string{}
	for i, col := range recs[0] {
		row[col] = recs[1][i]
	}
	for _, col := range []string{"id", "code", "name.es", "name.en", "description.es", "legal_basis.es", "fees.en",
		"target_groups", "instrument_ids", "input_ids", "function_ids", "version"} {
		if _, ok := row[col]; !ok {
			t.Errorf("CSV header lacks %s: %v", col, recs[0])
		}
	}
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
	ndjson := impExport(t, env, m.admin, "")
	before := env.Fingerprint(t)
	impWant(t, "NDJSON round trip", impRun(t, env, m.admin, "", ndjson), 0, 0, 3, 0)
	impWant(t, "NDJSON round trip by id", impRun(t, env, m.admin, "&key=id", ndjson), 0, 0, 3, 0)
	impWant(t, "CSV round trip", impRun(t, env, m.admin, "", impExport(t, env, m.admin, "format=csv")), 0, 0, 3, 0)
	impWant(t, "validate", impRun(t, env, m.admin, "&mode=validate", ndjson), 0, 0, 3, 0)
	impUnchanged(t, env, before)

	// A changed row updates its service; a new one is created.
	lines := impLines(t, ndjson)
	lines[0]["channels"] = []string{"phone"}
	lines[0]["fees"] = nil
	fresh := svcBody("SRV-IMP-NEW", "proposed")
	fresh["function_ids"] = []string{m.fn}
	j := impRun(t, env, m.admin, "", impNDJSON(t, lines[0], lines[1], lines[2], fresh))
	impWant(t, "change and create", j, 1, 1, 2, 0)
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
	j = impRun(t, env, m.admin, "&atomic=all", impNDJSON(t, archivedLinks, moved, unknown, noProvider))
	impWant(t, "references, atomic=all", j, 1, 0, 0, 3)
	if errs := j.Report.Errors; len(errs) != 3 || errs[0] != (impRowError{2, "provider_id", "is dissolved"}) ||
		errs[1].Line != 3 || errs[1].Field != "input_ids" || !strings.HasPrefix(errs[1].Message, "no such consultation input: ") ||
		errs[2] != (impRowError{4, "provider_id", "no such institution"}) || j.Report.Committed {
		t.Errorf("report: %+v", j)
	}
	impUnchanged(t, env, before)
	impWant(t, "atomic=none", impRun(t, env, m.admin, "", impNDJSON(t, archivedLinks, unknown)), 1, 0, 0, 1)
	if env.Count(t, "services", "code = 'SRV-IMP-ARCHIVED-LINKS'") != 1 {
		t.Errorf("the good row was not written")
	}

	// Validate's rules are the create's; a taken code (key=id) is refused on its field.
	bad := svcBody("SRV-IMP-BAD", "existing")
	bad["languages"] = []string{"iw"}
	j = impRun(t, env, m.admin, "", impNDJSON(t, bad))
	if len(j.Report.Errors) != 1 || j.Report.Errors[0] != (impRowError{1, "languages.0", "a withdrawn code: use he"}) {
		t.Errorf("withdrawn language: %+v", j.Report.Errors)
	}
	plain := impLines(t, impExport(t, env, m.admin, "code=SRV-IMP-PLAIN"))[0]
	plain["code"] = "SRV-IMP-FULL"
	j = impRun(t, env, m.admin, "&key=id", impNDJSON(t, plain))
	if len(j.Report.Errors) != 1 || j.Report.Errors[0] != (impRowError{1, "code", "already in use"}) {
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
	taken := impLines(t, impExport(t, env, m.admin, "code=SRV-IMP-PROPOSED"))[0]
	taken["provider_id"] = m.unit.String()
	j := impRun(t, env, editor, "", impNDJSON(t, mine, nobody, taken))
	impWant(t, "editor", j, 1, 0, 0, 2)
	for _, e := range j.Report.Errors {
		if (e.Line != 2 && e.Line != 3) || !strings.Contains(e.Message, "own institution") {
			t.Errorf("refusal: %+v", e)
		}
	}
	if env.Count(t, "services", "code = 'SRV-IMP-PROPOSED' AND provider_id = ?", m.other) != 1 {
		t.Errorf("the editor took another unit's service")
	}
}
