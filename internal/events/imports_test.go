package events_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

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

	lines := apitest.NDJSONRecords(t, env.Export(t, f.admin, "events", "order_by=code"))
	if got := apitest.Strings(t, lines, "code"); !slices.Equal(got, []string{"IMP-FULL", "IMP-PLAIN"}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	env.WantSameAsList(t, f.admin, "/v1/events?order_by=code", lines)
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
		if got := apitest.Codes(t, env.Export(t, f.admin, "events", query)); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/exports/events?type=party", Token: f.admin}),
		http.StatusBadRequest)

	header, rows := apitest.CSVRecords(t, env.Export(t, f.admin, "events", "format=csv&order_by=code"))
	apitest.WantColumns(t, header, "id", "code", "title.es", "title.en", "start_date", "end_date", "agenda", "participants.total",
		"participants.by_sex", "practice_ids", "outputs.es", "notes.en", "version")
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
	ndjson := env.Export(t, f.admin, "events", "order_by=code")
	before := env.Fingerprint(t)
	env.Import(t, f.admin, "events", "", "", ndjson).WantCounts(t, "NDJSON round trip", 0, 0, 2, 0)
	env.Import(t, f.admin, "events", "key=id", "", ndjson).WantCounts(t, "NDJSON round trip by id", 0, 0, 2, 0)
	env.Import(t, f.admin, "events", "", "",
		env.Export(t, f.admin, "events", "format=csv")).WantCounts(t, "CSV round trip", 0, 0, 2, 0)
	env.Import(t, f.admin, "events", "mode=validate", "", ndjson).WantCounts(t, "validate", 0, 0, 2, 0)
	env.UnchangedTables(t, before, tables...)

	// A changed row updates its event; an archived event's row restores it; a new row is
	// created with the create's defaults.
	lines := apitest.NDJSONRecords(t, env.Export(t, f.admin, "events", "include_archived=true&order_by=code"))
	lines[0]["place"] = "Valparaíso"
	lines[0]["agenda"] = []any{}
	fresh := evtBody("IMP-NEW", "2025-02-02")
	j := env.Import(t, f.admin, "events", "", "", apitest.NDJSON(t, lines[0], lines[1], lines[2], fresh))
	j.WantCounts(t, "change, restore and create", 1, 2, 1, 0)
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
	moved := apitest.NDJSONRecords(t, env.Export(t, f.admin, "events", "code=IMP-PLAIN"))[0]
	moved["practice_ids"] = []string{f.practice, f.oldPractice}
	unknown := evtBody("IMP-NEW-UNKNOWN", "2025-01-01")
	unknown["organiser_id"] = uuid.NewString()
	ok := evtBody("IMP-NEW-OK", "2025-01-01")
	before = env.Fingerprint(t)
	j = env.Import(t, f.admin, "events", "atomic=all", "", apitest.NDJSON(t, ok, newGone, moved, unknown))
	j.WantCounts(t, "references, atomic=all", 1, 0, 0, 3)
	want := []apitest.ImportRowError{{Line: 2, Field: "organiser_id", Message: "is archived"},
		{Line: 3, Field: "practice_ids", Message: "no such practice: " + f.oldPractice}, {Line: 4, Field: "organiser_id", Message: "no such institution"}}
	if !slices.Equal(j.Report.Errors, want) || j.Report.Committed || j.Status != "failed" {
		t.Errorf("report: %+v, want errors %+v", j, want)
	}
	env.UnchangedTables(t, before, tables...)
	j = env.Import(t, f.admin, "events", "", "", apitest.NDJSON(t, ok, unknown))
	j.WantCounts(t, "references, atomic=none", 1, 0, 0, 1)
	if env.Count(t, "events", "code = 'IMP-NEW-OK'") != 1 {
		t.Errorf("the good row was not written")
	}

	// Validate's rules are the create's; a taken code (key=id) is refused on its field.
	late := evtBody("IMP-LATE", "2025-01-02")
	late["end_date"] = "2025-01-01"
	env.Import(t, f.admin, "events", "", "", apitest.NDJSON(t, late)).WantOnlyError(t, 1, "end_date", "before the start date")
	plain := apitest.NDJSONRecords(t, env.Export(t, f.admin, "events", "code=IMP-PLAIN"))[0]
	plain["code"] = "IMP-FULL"
	env.Import(t, f.admin, "events", "key=id", "", apitest.NDJSON(t, plain)).WantOnlyError(t, 1, "code", "already in use")
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
	j := env.Import(t, editor, "events", "", "", apitest.NDJSON(t, mine, theirs, evtBody("IMP-NOBODY", "2025-01-01")))
	j.WantCounts(t, "partner", 1, 0, 0, 2)
	if env.Count(t, "events", "code = 'IMP-MINE'") != 1 || env.Count(t, "events", "code LIKE 'IMP-%' AND organiser_id IS DISTINCT FROM ?", org) != 3 {
		t.Errorf("the partner wrote the wrong events")
	}
}

func TestExportConsultationInputs(t *testing.T) {
	t.Parallel()
	f := impSetup(t)
	env := f.env

	lines := apitest.NDJSONRecords(t, env.Export(t, f.admin, "consultation-inputs", ""))
	if got := apitest.Strings(t, lines, "id"); !slices.Equal(got, []string{f.survey.ID, f.sheet.ID, f.anonymous.ID}) {
		t.Fatalf("NDJSON export: %v", got)
	}
	env.WantSameAsList(t, f.admin, "/v1/consultation-inputs", lines)
	if got := apitest.Strings(t, lines[:2], "external_id"); !slices.Equal(got, []string{"kobo:1", "sheet:A2"}) || lines[2]["external_id"] != nil {
		t.Errorf("external ids: %v, %v", got, lines[2]["external_id"])
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
		if got := apitest.Strings(t, apitest.NDJSONRecords(t, env.Export(t, f.admin, "consultation-inputs", query)), "id"); !slices.Equal(got, want) {
			t.Errorf("export ?%s: %v, want %v", query, got, want)
		}
	}

	header, rows := apitest.CSVRecords(t, env.Export(t, f.admin, "consultation-inputs", "format=csv"))
	apitest.WantColumns(t, header, "id", "event_id", "external_id", "countries", "theme", "statement.es", "statement.en",
		"times_raised", "priority", "support", "service_ids")
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
	ndjson := env.Export(t, f.admin, "consultation-inputs", "")
	lines := apitest.NDJSONRecords(t, ndjson)
	before := env.Fingerprint(t)
	env.Import(t, f.admin, "consultation-inputs", "", "", apitest.NDJSON(t, lines[:2]...)).WantCounts(t, "by external id", 0, 0, 2, 0)
	env.Import(t, f.admin, "consultation-inputs", "key=id", "", ndjson).WantCounts(t, "by id", 0, 0, 3, 0)
	csvBody := env.Export(t, f.admin, "consultation-inputs", "format=csv")
	env.Import(t, f.admin, "consultation-inputs", "key=id", "", csvBody).WantCounts(t, "CSV by id", 0, 0, 3, 0)
	env.UnchangedTables(t, before, tables...)
	j := env.Import(t, f.admin, "consultation-inputs", "", "", ndjson)
	j.WantCounts(t, "no external id to match on", 0, 0, 2, 1)
	j.WantOnlyError(t, 3, "external_id", "is required")

	// A changed row updates its input (its support stays); a new row is created with the
	// create's defaults.
	lines[0]["priority"], lines[0]["countries"] = "low", []string{"PE"}
	fresh := evtInputBody(f.plain.ID, "Nuevo")
	fresh["external_id"] = "kobo:2"
	j = env.Import(t, f.admin, "consultation-inputs", "", "", apitest.NDJSON(t, lines[0], lines[1], fresh))
	j.WantCounts(t, "change and create", 1, 1, 1, 0)
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
	env.Import(t, f.admin, "consultation-inputs", "key=id", "", apitest.NDJSON(t, lines[2])).WantCounts(t, "external id set", 0, 1, 0, 0)
	if env.Count(t, "consultation_inputs", "id = ? AND external_id = 'sheet:A3'", f.anonymous.ID) != 1 {
		t.Errorf("external id not set")
	}

	// A new input needs a live event; an input's event never changes; external ids are unique.
	onArchived := evtInputBody(f.archived.ID, "x")
	onArchived["external_id"] = "kobo:3"
	onUnknown := evtInputBody(uuid.NewString(), "x")
	onUnknown["external_id"] = "kobo:4"
	movedInput := apitest.NDJSONRecords(t, env.Export(t, f.admin, "consultation-inputs", "event_id="+f.full.ID))[0]
	movedInput["event_id"] = f.plain.ID
	good := evtInputBody(f.plain.ID, "bien")
	good["external_id"] = "kobo:5"
	before = env.Fingerprint(t)
	j = env.Import(t, f.admin, "consultation-inputs", "atomic=all", "", apitest.NDJSON(t, good, onArchived, onUnknown, movedInput))
	j.WantCounts(t, "events, atomic=all", 1, 0, 0, 3)
	want := []apitest.ImportRowError{{Line: 2, Field: "event_id", Message: "is archived"}, {Line: 3, Field: "event_id", Message: "no such event"},
		{Line: 4, Field: "event_id", Message: "differs from the event the consultation input came from, which never changes"}}
	if !slices.Equal(j.Report.Errors, want) || j.Report.Committed {
		t.Errorf("report: %+v, want errors %+v", j, want)
	}
	env.UnchangedTables(t, before, tables...)
	taken := apitest.NDJSONRecords(t, env.Export(t, f.admin, "consultation-inputs", "event_id="+f.plain.ID+"&q=identificador"))[0]
	taken["external_id"] = "kobo:1"
	env.Import(t, f.admin, "consultation-inputs", "key=id", "", apitest.NDJSON(t, taken)).WantOnlyError(t, 1, "external_id", "already in use")
	env.Import(t, f.admin, "consultation-inputs", "", "",
		[]byte(`{"event_id":"`+f.plain.ID+`","external_id":"kobo:6","statement":{"es":"x"},"countries":["XX"]}`+"\n")).
		WantOnlyError(t, 1, "countries.0", "not an ISO 3166-1 country")

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
	j = env.Import(t, editor, "consultation-inputs", "", "", apitest.NDJSON(t, mine, theirs))
	j.WantCounts(t, "editor", 1, 0, 0, 1)
	j.WantOnlyError(t, 2, "", "own institution")
}
