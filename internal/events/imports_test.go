package events_test

import (
	"bufio"
	"bytes"
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

// impRun posts body (NDJSON unless it does not start with "{": CSV) as an import of resource
// with the extra query, waits for the job and returns it.
func impRun(t *testing.T, env *apitest.Env, token, resource, query string, body []byte) impJob {
	t.Helper()
	ct := "application/x-ndjson"
	if !bytes.HasPrefix(body, []byte("{")) {
		ct = "text/csv"
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=" + resource + query, Token: token,
		Body: body, ContentType: ct, Header: map[string]string{"Prefer": "wait=30"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("import %s%s: %d %s", resource, query, res.Status, res.Body)
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

// impWantError fails t unless the job's only error is on line, field, and says message (a part of it).
func impWantError(t *testing.T, what string, j impJob, line int64, field, message string) {
	t.Helper()
	if len(j.Report.Errors) != 1 || j.Report.Errors[0].Line != line || j.Report.Errors[0].Field != field ||
		!strings.Contains(j.Report.Errors[0].Message, message) {
		t.Errorf("%s: errors %+v, want line %d, field %s: %s", what, j.Report.Errors, line, field, message)
	}
}

// impExport exports resource with query and fails t unless it answers 200 in the format asked.
func impExport(t *testing.T, env *apitest.Env, token, resource, query string) []byte {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/" + resource + "?" + query, Token: token})
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

// impNDJSON encodes records as NDJSON.
func impNDJSON(t *testing.T, records ...map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range records {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// impCSV decodes a CSV export into its header and its rows by column.
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

// impValues are the values of key of records, in order.
func impValues(records []map[string]any, key string) []string {
	out := []string{}
	for _, r := range records {
		s, _ := r[key].(string)
		out = append(out, s)
	}
	return out
}

// impSameAsList fails t unless an NDJSON export is, line by line, what the list at path shows.
func impSameAsList(t *testing.T, env *apitest.Env, token, path string, lines []map[string]any) {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: token}).Decode(t, &page)
	if len(page.Items) != len(lines) {
		t.Fatalf("export has %d lines, the list %d items", len(lines), len(page.Items))
	}
	for i := range lines {
		a, _ := json.Marshal(lines[i])
		b, _ := json.Marshal(page.Items[i])
		if string(a) != string(b) {
			t.Errorf("export line %d differs from the list:\n%s\n%s", i+1, a, b)
		}
	}
}

// impUnchanged fails t if any of tables changed since before (an import records its job and its
// audit event whatever it writes).
func impUnchanged(t *testing.T, env *apitest.Env, before map[string]string, tables ...string) {
	t.Helper()
	after := env.Fingerprint(t)
	for _, table := range tables {
		if after[table] != before[table] {
			t.Errorf("table %s changed", table)
		}
	}
}

// impFixture is a record of events and consultation inputs: a full event organised by a unit
// archived since, presenting a practice archived since; a plain event; an archived event; inputs
// with and without external ids.
type impFixture struct {
	env                      *apitest.Env
	admin                    string
	org, gone, other         string // institutions; gone is archived
	practice, oldPractice    string // practices; oldPractice is archived
	full, plain, archived    evtEvent
	survey, sheet, anonymous evtInput
}

func impSetup(t *testing.T) impFixture {
	t.Helper()
	env := apitest.New(t)
	f := impFixture{env: env, admin: env.AdminToken(t)}
	f.org, f.gone, f.other = evtInstitution(t, env, "IMP-ORG", nil).String(), evtInstitution(t, env, "IMP-GONE", nil).String(),
		evtInstitution(t, env, "IMP-OTHER", nil).String()
	f.practice, f.oldPractice = evtPractice(t, env, "IMP-PRACTICE"), evtPractice(t, env, "IMP-OLD-PRACTICE")
	full := evtBody("IMP-FULL", "2023-03-18")
	full["title"] = map[string]any{"es": "Consulta, \"diáspora\"", "en": "Diaspora; consultation"}
	full["end_date"], full["place"], full["country"], full["online"] = "2023-03-19", "Santiago", "CL", true
	full["organiser_id"], full["practice_ids"] = f.gone, []string{f.oldPractice, f.practice}
	full["agenda"] = []map[string]any{{"time": "09:30", "title": map[string]any{"es": "Apertura"}}, {"title": map[string]any{"en": "Close"}}}
	full["participants"] = map[string]any{"total": 40, "by_sex": map[string]any{"female": 22, "male": 17},
		"by_country": []map[string]any{{"country": "CL", "count": 30}}, "by_institution_kind": []map[string]any{{"institution_kind": "consular_mission", "count": 3}}}
	full["outputs"], full["notes"] = map[string]any{"es": "Acta\nfirmada"}, map[string]any{"en": "Notes"}
	f.full = evtCreate(t, env, f.admin, full)
	f.plain = evtCreate(t, env, f.admin, evtBody("IMP-PLAIN", "2024-05-01"))
	f.archived = evtCreate(t, env, f.admin, evtBody("IMP-OLD", "2020-01-01"))

	survey := evtInputBody(f.full.ID, "Voto electrónico")
	survey["external_id"], survey["countries"], survey["theme"] = "kobo:1", []string{"CL", "AR"}, "voting"
	survey["statement"] = map[string]any{"es": "Voto electrónico", "en": "E-voting, \"now\""}
	survey["times_raised"], survey["priority"] = 12, "high"
	f.survey = evtCreateInput(t, env, f.admin, survey)
	sheet := evtInputBody(f.archived.ID, "Pasaportes")
	sheet["external_id"] = "sheet:A2"
	f.sheet = evtCreateInput(t, env, f.admin, sheet)
	f.anonymous = evtCreateInput(t, env, f.admin, evtInputBody(f.plain.ID, "Sin identificador"))

	evtArchiveRow(t, env, "institutions", f.gone)
	evtArchiveRow(t, env, "practices", f.oldPractice)
	if res := evtDelete(t, env, f.admin, "/v1/events/"+f.archived.ID, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive event: %d %s", res.Status, res.Body)
	}
	return f
}

func TestExportEvents(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env

	lines := impLines(t, impExport(t, env, f.admin, "events", "order_by=code"))
	if got := impValues(lines, "code"); !slices.Equal(got, []string{"IMP-FULL", "IMP-PLAIN"}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	impSameAsList(t, env, f.admin, "/v1/events?order_by=code", lines)
	for query, want := range map[string][]string{
		"include_archived=true&order_by=code":             {"IMP-FULL", "IMP-OLD", "IMP-PLAIN"},
		"practice_id=" + f.practice:                       {"IMP-FULL"},
		"organiser_id=" + f.gone:                          {"IMP-FULL"},
		"date_from=2024-01-01":                            {"IMP-PLAIN"},
		"date_to=2023-12-31&include_archived=true":        {"IMP-FULL", "IMP-OLD"},
		"q=diaspora":                                      {"IMP-FULL"},
		"code=IMP-PLAIN&code=IMP-OLD":                     {"IMP-PLAIN"},
		"type=training":                                   {},
		"type=diaspora_consultation&order_by=-start_date": {"IMP-PLAIN", "IMP-FULL"},
	} {
		if got := impValues(impLines(t, impExport(t, env, f.admin, "events", query)), "code"); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/events?type=party", Token: f.admin}),
		http.StatusBadRequest)

	header, rows := impCSV(t, impExport(t, env, f.admin, "events", "format=csv&order_by=code"))
	for _, col := range []string{"id", "code", "title.es", "title.en", "start_date", "end_date", "agenda", "participants.total",
		"participants.by_sex", "practice_ids", "outputs.es", "notes.en", "version"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header lacks %s: %v", col, header)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("CSV rows: %v", rows)
	}
	r := rows[0]
	if r["title.es"] != `Consulta, "diáspora"` || r["title.en"] != "Diaspora; consultation" || r["participants.total"] != "40" ||
		r["participants.by_sex"] != `{"female":22,"male":17}` || r["online"] != "true" || r["outputs.es"] != "Acta\nfirmada" ||
		r["practice_ids"] != `["`+f.oldPractice+`","`+f.practice+`"]` || r["organiser_id"] != f.gone {
		t.Errorf("CSV row: %v", r)
	}
	if p := rows[1]; p["end_date"] != "2024-05-01" || p["participants.total"] != "" || p["agenda"] != "[]" || p["place"] != "" {
		t.Errorf("CSV row of the plain event: %v", p)
	}
}

func TestImportEvents(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env
	tables := []string{"events", "consultation_inputs"}

	// Round trips: the archived organiser and practice an event keeps do not block it.
	ndjson := impExport(t, env, f.admin, "events", "order_by=code")
	before := env.Fingerprint(t)
	impWant(t, "NDJSON round trip", impRun(t, env, f.admin, "events", "", ndjson), 0, 0, 2, 0)
	impWant(t, "NDJSON round trip by id", impRun(t, env, f.admin, "events", "&key=id", ndjson), 0, 0, 2, 0)
	impWant(t, "CSV round trip", impRun(t, env, f.admin, "events", "",
		impExport(t, env, f.admin, "events", "format=csv")), 0, 0, 2, 0)
	impWant(t, "validate", impRun(t, env, f.admin, "events", "&mode=validate", ndjson), 0, 0, 2, 0)
	impUnchanged(t, env, before, tables...)

	// A changed row updates its event; an archived event's row restores it; a new row is
	// created with the create's defaults.
	lines := impLines(t, impExport(t, env, f.admin, "events", "include_archived=true&order_by=code"))
	lines[0]["place"] = "Valparaíso"
	lines[0]["agenda"] = []any{}
	fresh := evtBody("IMP-NEW", "2025-02-02")
	j := impRun(t, env, f.admin, "events", "", impNDJSON(t, lines[0], lines[1], lines[2], fresh))
	impWant(t, "change, restore and create", j, 1, 2, 1, 0)
	got, _ := evtGet(t, env, f.admin, f.full.ID)
	if evtDeref(got.Place) != "Valparaíso" || len(got.Agenda) != 0 || got.Version != 2 || got.Participants["total"] != float64(40) ||
		evtDeref(got.OrganiserID) != f.gone || len(got.PracticeIDs) != 2 {
		t.Errorf("updated event: %+v", got)
	}
	if old, _ := evtGet(t, env, f.admin, f.archived.ID); old.ArchivedAt != nil {
		t.Errorf("archived event not restored: %+v", old)
	}
	if env.Count(t, "events", "code = 'IMP-NEW' AND end_date = '2025-02-02' AND NOT online AND agenda = '[]' AND participants IS NULL") != 1 {
		t.Errorf("created event lacks the create's defaults")
	}

	// What a row chooses now must be live: an archived organiser or practice, an unknown one.
	newGone := evtBody("IMP-NEW-GONE", "2025-01-01")
	newGone["organiser_id"] = f.gone
	moved := impLines(t, impExport(t, env, f.admin, "events", "code=IMP-PLAIN"))[0]
	moved["practice_ids"] = []string{f.practice, f.oldPractice}
	unknown := evtBody("IMP-NEW-UNKNOWN", "2025-01-01")
	unknown["organiser_id"] = uuid.NewString()
	ok := evtBody("IMP-NEW-OK", "2025-01-01")
	before = env.Fingerprint(t)
	j = impRun(t, env, f.admin, "events", "&atomic=all", impNDJSON(t, ok, newGone, moved, unknown))
	impWant(t, "references, atomic=all", j, 1, 0, 0, 3)
	want := []impRowError{{2, "organiser_id", "is archived"}, {3, "practice_ids", "no such practice: " + f.oldPractice},
		{4, "organiser_id", "no such institution"}}
	if !slices.Equal(j.Report.Errors, want) || j.Report.Committed || j.Status != "failed" {
		t.Errorf("report: %+v, want errors %+v", j, want)
	}
	impUnchanged(t, env, before, tables...)
	j = impRun(t, env, f.admin, "events", "", impNDJSON(t, ok, unknown))
	impWant(t, "references, atomic=none", j, 1, 0, 0, 1)
	if env.Count(t, "events", "code = 'IMP-NEW-OK'") != 1 {
		t.Errorf("the good row was not written")
	}

	// Validate's rules are the create's; a taken code (key=id) is refused on its field.
	late := evtBody("IMP-LATE", "2025-01-02")
	late["end_date"] = "2025-01-01"
	impWantError(t, "dates", impRun(t, env, f.admin, "events", "", impNDJSON(t, late)), 1, "end_date", "before the start date")
	plain := impLines(t, impExport(t, env, f.admin, "events", "code=IMP-PLAIN"))[0]
	plain["code"] = "IMP-FULL"
	impWantError(t, "code taken", impRun(t, env, f.admin, "events", "&key=id", impNDJSON(t, plain)), 1, "code", "already in use")
}

// Editors and partners import only events their institution's subtree organises.
func TestImportEventsScoped(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env
	org := uuid.MustParse(f.org)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &org})
	mine := evtBody("IMP-MINE", "2025-01-01")
	mine["organiser_id"] = f.org
	theirs := evtBody("IMP-THEIRS", "2025-01-01")
	theirs["organiser_id"] = f.other
	j := impRun(t, env, editor, "events", "", impNDJSON(t, mine, theirs, evtBody("IMP-NOBODY", "2025-01-01")))
	impWant(t, "partner", j, 1, 0, 0, 2)
	if env.Count(t, "events", "code = 'IMP-MINE'") != 1 || env.Count(t, "events", "code LIKE 'IMP-%' AND organiser_id IS DISTINCT FROM ?", org) != 3 {
		t.Errorf("the partner wrote the wrong events")
	}
}

func TestExportConsultationInputs(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env

	lines := impLines(t, impExport(t, env, f.admin, "consultation-inputs", ""))
	if got := impValues(lines, "id"); !slices.Equal(got, []string{f.survey.ID, f.sheet.ID, f.anonymous.ID}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	impSameAsList(t, env, f.admin, "/v1/consultation-inputs", lines)
	if got := impValues(lines, "external_id"); !slices.Equal(got, []string{"kobo:1", "sheet:A2", ""}) {
		t.Errorf("external ids: %v", got)
	}
	evtService(t, env, "IMP-SVC", false, f.survey.ID)
	for query, want := range map[string][]string{
		"event_id=" + f.full.ID:  {f.survey.ID},
		"priority=high":          {f.survey.ID},
		"country=AR":             {f.survey.ID},
		"theme=voting":           {f.survey.ID},
		"answered=true":          {f.survey.ID},
		"answered=false":         {f.sheet.ID, f.anonymous.ID},
		"q=pasaportes":           {f.sheet.ID},
		"order_by=-times_raised": {f.survey.ID, f.anonymous.ID, f.sheet.ID}, // ties: the latest first
	} {
		if got := impValues(impLines(t, impExport(t, env, f.admin, "consultation-inputs", query)), "id"); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}

	header, rows := impCSV(t, impExport(t, env, f.admin, "consultation-inputs", "format=csv"))
	for _, col := range []string{"id", "event_id", "external_id", "countries", "theme", "statement.es", "statement.en",
		"times_raised", "priority", "support", "service_ids"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header lacks %s: %v", col, header)
		}
	}
	if r := rows[0]; r["external_id"] != "kobo:1" || r["countries"] != `["CL","AR"]` || r["statement.en"] != `E-voting, "now"` ||
		r["times_raised"] != "12" || r["priority"] != "high" || r["service_ids"] == "[]" {
		t.Errorf("CSV row: %v", r)
	}
	if r := rows[2]; r["external_id"] != "" || r["theme"] != "" || r["priority"] != "medium" {
		t.Errorf("CSV row without external id: %v", r)
	}
}

func TestImportConsultationInputs(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env
	tables := []string{"consultation_inputs", "consultation_input_supports", "events"}
	supporter := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	if res := evtSupport(t, env, supporter, http.MethodPut, f.survey.ID); res.Status != http.StatusCreated {
		t.Fatalf("support: %d %s", res.Status, res.Body)
	}

	// Round trips: on external ids (the default key) the inputs that have one; on ids all, an
	// input of an archived event too.
	ndjson := impExport(t, env, f.admin, "consultation-inputs", "")
	lines := impLines(t, ndjson)
	before := env.Fingerprint(t)
	impWant(t, "by external id", impRun(t, env, f.admin, "consultation-inputs", "", impNDJSON(t, lines[:2]...)), 0, 0, 2, 0)
	impWant(t, "by id", impRun(t, env, f.admin, "consultation-inputs", "&key=id", ndjson), 0, 0, 3, 0)
	csvBody := impExport(t, env, f.admin, "consultation-inputs", "format=csv")
	impWant(t, "CSV by id", impRun(t, env, f.admin, "consultation-inputs", "&key=id", csvBody), 0, 0, 3, 0)
	impUnchanged(t, env, before, tables...)
	j := impRun(t, env, f.admin, "consultation-inputs", "", ndjson)
	impWant(t, "no external id to match on", j, 0, 0, 2, 1)
	impWantError(t, "no external id", j, 3, "external_id", "is required")

	// A changed row updates its input (its support stays); a new row is created with the
	// create's defaults.
	lines[0]["priority"], lines[0]["countries"] = "low", []string{"PE"}
	fresh := evtInputBody(f.plain.ID, "Nuevo")
	fresh["external_id"] = "kobo:2"
	j = impRun(t, env, f.admin, "consultation-inputs", "", impNDJSON(t, lines[0], lines[1], fresh))
	impWant(t, "change and create", j, 1, 1, 1, 0)
	got, _ := evtGetInput(t, env, f.admin, f.survey.ID)
	if got.Priority != "low" || !slices.Equal(got.Countries, []string{"PE"}) || got.Support != 1 || got.Version != 2 ||
		evtDeref(got.ExternalID) != "kobo:1" || got.TimesRaised != 12 {
		t.Errorf("updated input: %+v", got)
	}
	if env.Count(t, "consultation_inputs", "external_id = 'kobo:2' AND event_id = ? AND times_raised = 1 AND priority = 'medium' AND support = 0 AND countries = '{}'",
		f.plain.ID) != 1 {
		t.Errorf("created input lacks the create's defaults")
	}
	// On ids, the external id is written like the rest.
	lines[2]["external_id"] = "sheet:A3"
	impWant(t, "external id set", impRun(t, env, f.admin, "consultation-inputs", "&key=id", impNDJSON(t, lines[2])), 0, 1, 0, 0)
	if env.Count(t, "consultation_inputs", "id = ? AND external_id = 'sheet:A3'", f.anonymous.ID) != 1 {
		t.Errorf("external id not set")
	}

	// A new input needs a live event; an input's event never changes; external ids are unique.
	onArchived := evtInputBody(f.archived.ID, "x")
	onArchived["external_id"] = "kobo:3"
	onUnknown := evtInputBody(uuid.NewString(), "x")
	onUnknown["external_id"] = "kobo:4"
	movedInput := impLines(t, impExport(t, env, f.admin, "consultation-inputs", "event_id="+f.full.ID))[0]
	movedInput["event_id"] = f.plain.ID
	good := evtInputBody(f.plain.ID, "bien")
	good["external_id"] = "kobo:5"
	before = env.Fingerprint(t)
	j = impRun(t, env, f.admin, "consultation-inputs", "&atomic=all", impNDJSON(t, good, onArchived, onUnknown, movedInput))
	impWant(t, "events, atomic=all", j, 1, 0, 0, 3)
	want := []impRowError{{2, "event_id", "is archived"}, {3, "event_id", "no such event"},
		{4, "event_id", "differs from the event the consultation input came from, which never changes"}}
	if !slices.Equal(j.Report.Errors, want) || j.Report.Committed {
		t.Errorf("report: %+v, want errors %+v", j, want)
	}
	impUnchanged(t, env, before, tables...)
	taken := impLines(t, impExport(t, env, f.admin, "consultation-inputs", "event_id="+f.plain.ID+"&q=identificador"))[0]
	taken["external_id"] = "kobo:1"
	impWantError(t, "external id taken", impRun(t, env, f.admin, "consultation-inputs", "&key=id", impNDJSON(t, taken)),
		1, "external_id", "already in use")
	impWantError(t, "validate", impRun(t, env, f.admin, "consultation-inputs", "",
		[]byte(`{"event_id":"`+f.plain.ID+`","external_id":"kobo:6","statement":{"es":"x"},"countries":["XX"]}`+"\n")),
		1, "countries.0", "not an ISO 3166-1 country")

	// Editors and partners: only inputs of events their institution's subtree organises.
	org := uuid.MustParse(f.org)
	ev := evtBody("IMP-ORGANISED", "2025-01-01")
	ev["organiser_id"] = f.org
	organised := evtCreate(t, env, f.admin, ev)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &org})
	mine := evtInputBody(organised.ID, "mío")
	mine["external_id"] = "kobo:7"
	theirs := evtInputBody(f.plain.ID, "ajeno")
	theirs["external_id"] = "kobo:8"
	j = impRun(t, env, editor, "consultation-inputs", "", impNDJSON(t, mine, theirs))
	impWant(t, "editor", j, 1, 0, 0, 1)
	impWantError(t, "editor", j, 2, "", "own institution")
}
