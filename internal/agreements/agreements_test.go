package agreements_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/etag"
)

func TestAgreementLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mig, mre := agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-MRE", nil)
	plenary := agrBody(t, env, "PE-MTIGM-PLENO", nil)
	s27 := agrSession(t, env, plenary, 27, "2015-06-18")

	// Recorded in session 27: pending by default, since the session's date, not overdue before its due date.
	got := agrCreate(t, env, admin, map[string]any{"code": "MTIGM-27-01", "body_id": plenary, "session_id": s27,
		"text":                        map[string]any{"es": "Elaborar el protocolo de atención", "en": "Draft the service protocol"},
		"responsible_institution_ids": []any{mig, mre}, "due_on": agrDay(30)})
	if got.Status != "pending" || got.Overdue || got.OverdueDays != nil || got.DoneOn != nil || got.Since != "2015-06-18" ||
		agrDeref(got.SessionID) != s27.String() || got.DueOn == nil || *got.DueOn != agrDay(30) || got.Version != 1 ||
		!slices.Equal(got.ResponsibleInstitutionIDs, []string{mig.String(), mre.String()}) || got.Demo || got.ArchivedAt != nil {
		t.Errorf("created: %+v", got)
	}
	if n := env.Count(t, "agreements", `id = ? AND status = 'pending' AND done_on IS NULL AND text_es = 'Elaborar el protocolo de atención'
		AND responsible_institution_ids = ARRAY[?::uuid, ?::uuid] AND NOT demo`, got.ID, mig, mre); n != 1 {
		t.Errorf("stored row does not match the create")
	}
	read, res := apitest.Get[agrAgreement](t, env, admin, "/v1/agreements/"+got.ID)
	if res.Header.Get("ETag") != etag.Of(1) || read.Code != got.Code || read.Since != got.Since {
		t.Errorf("GET: %+v (ETag %s)", read, res.Header.Get("ETag"))
	}

	// A merge patch changes the Spanish text (the English one stays) and the due date; the session goes (since becomes the day it was
	// recorded), the status stays.
	path := "/v1/agreements/" + got.ID
	res = env.Send(t, http.MethodPatch, admin, path, map[string]any{"text": map[string]any{"es": "Aprobar el protocolo de atención"}, "due_on": agrDay(-3),
		"session_id": nil}, map[string]string{"If-Match": etag.Of(1)})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != etag.Of(2) {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var upd agrAgreement
	res.Decode(t, &upd)
	if agrDeref(upd.Text.En) != "Draft the service protocol" || agrDeref(upd.Text.Es) != "Aprobar el protocolo de atención" || upd.SessionID != nil ||
		upd.Since != time.Now().UTC().Format(time.DateOnly) || upd.Version != 2 || upd.Status != "overdue" || !upd.Overdue ||
		agrDeref(upd.OverdueDays) != 3 || env.Count(t, "agreements", "id = ? AND status = 'pending'", got.ID) != 1 {
		t.Errorf("patched: %+v", upd)
	}
	// The status is not patched: transitions move it.
	before := env.Fingerprint(t)
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"status": "done"}, nil), http.StatusBadRequest)
	env.Unchanged(t, before)

	// Audited as stored, with no computed member.
	evs := env.AuditEvents(t, got.ID)
	actions := apitest.Actions(evs)
	if !slices.Equal(actions, []string{"agreement.create", "agreement.update"}) {
		t.Fatalf("audit: %v", actions)
	}
	var snap map[string]any
	if err := json.Unmarshal(evs[1].After, &snap); err != nil {
		t.Fatal(err)
	}
	if snap["status"] != "pending" || snap["due_on"] != agrDay(-3) || snap["version"] != float64(2) || snap["overdue"] != nil {
		t.Errorf("update snapshot: %v", snap)
	}

	// Archive: stale If-Match refused, archived (version 3), archived again changes nothing, no
	// more patches or moves, unknown ids 404.
	stale := map[string]string{"If-Match": etag.Of(1)}
	before = env.Fingerprint(t)
	apitest.Problem(t, env.Send(t, http.MethodDelete, admin, path, nil, stale), http.StatusPreconditionFailed)
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"due_on": nil}, stale), http.StatusPreconditionFailed)
	env.Unchanged(t, before)
	if res := env.Send(t, http.MethodDelete, admin, path, nil, map[string]string{"If-Match": etag.Of(2)}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	arch, res := apitest.Get[agrAgreement](t, env, admin, "/v1/agreements/"+got.ID)
	if arch.ArchivedAt == nil || arch.Version != 3 || res.Header.Get("ETag") != etag.Of(3) {
		t.Errorf("archived: %+v", arch)
	}
	before = env.Fingerprint(t)
	if res := env.Send(t, http.MethodDelete, admin, path, nil, nil); res.Status != http.StatusNoContent {
		t.Errorf("second archive: %d", res.Status)
	}
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"due_on": nil}, nil), http.StatusConflict)
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, path+"/transitions", map[string]any{"to": "done"}, nil), http.StatusConflict)
	missing := "/v1/agreements/" + uuid.NewString()
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		apitest.Problem(t, env.Send(t, m, admin, missing, map[string]any{"due_on": nil}, nil), http.StatusNotFound)
	}
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, missing+"/transitions", map[string]any{"to": "done"}, nil), http.StatusNotFound)
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, missing+"/transitions", nil, nil), http.StatusNotFound)
	apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/agreements/nope", nil, nil), http.StatusBadRequest)
	env.Unchanged(t, before)
	if actions := apitest.Actions(env.AuditEvents(t, got.ID)); actions[len(actions)-1] != "agreement.archive" || len(actions) != 3 {
		t.Errorf("audit after archive: %v", actions)
	}
	if codes := env.OnePage(t, admin, "code", "/v1/agreements?order_by=code"); len(codes) != 0 {
		t.Errorf("list shows archived: %v", codes)
	}
	if codes := env.OnePage(t, admin, "code", "/v1/agreements?include_archived=true"); !slices.Equal(codes, []string{"MTIGM-27-01"}) {
		t.Errorf("list with archived: %v", codes)
	}

	// Recorded as done (an agreement of the past): done today, not overdue though past due.
	done := agrCreate(t, env, admin, agrWith(agrBodyOf("MTIGM-27-02", plenary, mre), map[string]any{"status": "done", "due_on": "2015-12-31"}))
	if done.Status != "done" || done.Overdue || agrDeref(done.DoneOn) != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("created done: %+v", done)
	}
	// Created in progress, the history is empty: it holds moves only.
	var hist struct {
		Items []agrTransition `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/agreements/"+done.ID+"/transitions", nil, nil).Decode(t, &hist)
	if len(hist.Items) != 0 {
		t.Errorf("history of a new agreement: %+v", hist.Items)
	}
}

func TestAgreementRefusals(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mig, old := agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-OLD", nil)
	plenary, other, gone := agrBody(t, env, "PE-MTIGM-PLENO", nil), agrBody(t, env, "PE-OTRA", nil), agrBody(t, env, "PE-GONE", nil)
	foreign := agrSession(t, env, other, 1, "2014-01-10")
	first := agrCreate(t, env, admin, agrBodyOf("MTIGM-01", plenary, mig, old))
	if res := env.Send(t, http.MethodDelete, admin, "/v1/institutions/"+old.String(), nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive institution: %d %s", res.Status, res.Body)
	}
	if err := env.DB.Conn(agrSys()).Exec(`UPDATE coordination_bodies SET archived_at = now() WHERE id = ?`, gone).Error; err != nil {
		t.Fatal(err)
	}

	before := env.Fingerprint(t)
	valid := agrBodyOf("MTIGM-02", plenary, mig)
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		fields []string
	}{
		{"unknown body", map[string]any{"body_id": uuid.New()}, 422, []string{"body_id"}},
		{"archived body", map[string]any{"body_id": gone}, 422, []string{"body_id"}},
		{"unknown session", map[string]any{"session_id": uuid.New()}, 422, []string{"session_id"}},
		{"session of another body", map[string]any{"session_id": foreign}, 422, []string{"session_id"}},
		{"unknown institution", map[string]any{"responsible_institution_ids": []any{mig, uuid.New()}}, 422,
			[]string{"responsible_institution_ids.1"}},
		{"archived institution", map[string]any{"responsible_institution_ids": []any{old}}, 422, []string{"responsible_institution_ids.0"}},
		{"no institution", map[string]any{"responsible_institution_ids": []any{}}, 400, nil},
		{"an institution twice", map[string]any{"responsible_institution_ids": []any{mig, mig}}, 400, nil},
		{"no text", map[string]any{"text": map[string]any{}}, 400, nil},
		{"empty text", map[string]any{"text": map[string]any{"es": ""}}, 400, nil},
		{"bad code", map[string]any{"code": "acuerdo uno"}, 400, nil},
		{"code taken", map[string]any{"code": "MTIGM-01"}, 409, []string{"code"}},
		{"unknown status", map[string]any{"status": "overdue"}, 400, nil},
		{"unknown member", map[string]any{"done_on": "2020-01-01"}, 400, nil},
	} {
		res := env.Send(t, http.MethodPost, admin, "/v1/agreements", agrWith(valid, c.body), nil)
		if res.Status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, res.Status, c.status, res.Body)
			continue
		}
		if p := apitest.Problem(t, res, c.status); c.fields != nil {
			apitest.WantProblemFields(t, p, c.fields...)
		}
	}
	// An update keeps what it referred to (the archived institution) but checks what is new.
	path := "/v1/agreements/" + first.ID
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"session_id": foreign}, nil), 422)
	apitest.Problem(t, env.Send(t, http.MethodPatch, admin, path, map[string]any{"text": nil}, nil), 422) // the text may lose a language, not both
	// Editors, partners and viewers record nothing; they read.
	tokens := map[string]string{"editor": agrToken(t, env, actor.Editor, &mig), "partner": agrToken(t, env, actor.Partner, &mig),
		"viewer": agrToken(t, env, actor.Viewer, nil)}
	for name, tok := range tokens {
		for _, r := range []struct {
			method, path string
			body         any
		}{{http.MethodPost, "/v1/agreements", valid}, {http.MethodPatch, path, map[string]any{"due_on": nil}}, {http.MethodDelete, path, nil}} {
			apitest.Problem(t, env.Send(t, r.method, tok, r.path, r.body, nil), http.StatusForbidden)
		}
		for _, p := range []string{path, "/v1/agreements", path + "/transitions"} {
			if res := env.Send(t, http.MethodGet, tok, p, nil, nil); res.Status != http.StatusOK {
				t.Errorf("%s GET %s: %d", name, p, res.Status)
			}
		}
	}
	env.Unchanged(t, before)
	res := env.Send(t, http.MethodPatch, admin, path, map[string]any{"text": map[string]any{"en": "Kept institutions"}}, nil)
	if res.Status != http.StatusOK {
		t.Errorf("patch keeping an archived institution: %d %s", res.Status, res.Body)
	}
	// A coordinator and an importer record agreements.
	for i, role := range []actor.Role{actor.Coordinator, actor.Importer} {
		agrCreate(t, env, agrToken(t, env, role, nil), agrBodyOf("MTIGM-R"+string(rune('A'+i)), plenary, mig))
	}

	// A retried POST with the same Idempotency-Key gets the first answer; another body, a 422.
	key := map[string]string{"Idempotency-Key": uuid.NewString()}
	body := agrBodyOf("MTIGM-RETRY", plenary, mig)
	again1 := env.Send(t, http.MethodPost, admin, "/v1/agreements", body, key)
	again2 := env.Send(t, http.MethodPost, admin, "/v1/agreements", body, key)
	if again1.Status != http.StatusCreated || again2.Status != http.StatusCreated || !bytes.Equal(again1.Body, again2.Body) {
		t.Errorf("retry: %d %s, then %d %s", again1.Status, again1.Body, again2.Status, again2.Body)
	}
	body["due_on"] = "2030-01-01"
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, "/v1/agreements", body, key), http.StatusUnprocessableEntity)
	if n := env.Count(t, "agreements", "code = 'MTIGM-RETRY' AND due_on IS NULL"); n != 1 {
		t.Errorf("%d agreements MTIGM-RETRY", n)
	}
}

func TestAgreementListFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mig, mre, mtpe := agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-MRE", nil), agrUnit(t, env, "PE-MTPE", nil)
	plenary, group := agrBody(t, env, "PE-MTIGM-PLENO", nil), agrBody(t, env, "PE-MTIGM-GT1", nil)
	s1, s2 := agrSession(t, env, plenary, 1, "2012-03-01"), agrSession(t, env, plenary, 2, "2012-06-01")
	mk := func(code string, body uuid.UUID, session *uuid.UUID, due string, es string, who ...uuid.UUID) agrAgreement {
		b := agrWith(agrBodyOf(code, body, who...), map[string]any{"text": map[string]any{"es": es}})
		if session != nil {
			b["session_id"] = *session
		}
		if due != "" {
			b["due_on"] = due
		}
		return agrCreate(t, env, admin, b)
	}
	a := mk("AC-A", plenary, &s1, agrDay(-40), "Actualizar la información migratoria", mig)
	mk("AC-B", plenary, &s1, agrDay(-5), "Difundir la guía de retorno", mig, mre)
	c := mk("AC-C", plenary, &s2, agrDay(10), "Organizar la Semana del Migrante", mre)
	mk("AC-D", group, nil, "", "Revisar la política de protección", mtpe)
	e := mk("AC-E", group, nil, agrDay(-2), "Coordinar la inserción laboral", mtpe, mig)
	agrMove(t, env, admin, c.ID, "in_progress", nil, nil, http.StatusCreated)
	agrMove(t, env, admin, e.ID, "done", nil, nil, http.StatusCreated)
	agrMove(t, env, admin, a.ID, "in_progress", nil, nil, http.StatusCreated)

	for q, want := range map[string][]string{
		"":                                {"AC-A", "AC-B", "AC-E", "AC-C", "AC-D"}, // by due date, none last
		"order_by=-due_on":                {"AC-D", "AC-C", "AC-E", "AC-B", "AC-A"},
		"order_by=code":                   {"AC-A", "AC-B", "AC-C", "AC-D", "AC-E"},
		"order_by=-created_at":            {"AC-E", "AC-D", "AC-C", "AC-B", "AC-A"},
		"body_id=" + plenary.String():     {"AC-A", "AC-B", "AC-C"},
		"session_id=" + s1.String():       {"AC-A", "AC-B"},
		"institution_id=" + mig.String():  {"AC-A", "AC-B", "AC-E"},
		"institution_id=" + mtpe.String(): {"AC-E", "AC-D"},
		"status=overdue":                  {"AC-A", "AC-B"},
		"status=pending":                  {"AC-D"},
		"status=in_progress":              {"AC-C"},
		"status=done":                     {"AC-E"},
		"status=done&status=overdue":      {"AC-A", "AC-B", "AC-E"},
		"due_from=" + agrDay(-5):          {"AC-B", "AC-E", "AC-C"},
		"due_to=" + agrDay(-2):            {"AC-A", "AC-B", "AC-E"},
		"q=informacion":                   {"AC-A"},
		"q=MIGRANTE":                      {"AC-C"},
		"q=proteccion+politica":           {"AC-D"},
		"q=ac-b":                          {"AC-B"},
		"code=AC-C&code=AC-D":             {"AC-C", "AC-D"},
		"status=overdue&institution_id=" + mre.String(): {"AC-B"},
	} {
		if got := env.OnePage(t, admin, "code", "/v1/agreements?"+q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// What a reader sees: overdue computed with its days, since from the session or the record.
	var page struct {
		Items []agrAgreement `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/agreements?order_by=code", nil, nil).Decode(t, &page)
	byCode := map[string]agrAgreement{}
	for _, it := range page.Items {
		byCode[it.Code] = it
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for code, w := range map[string]struct {
		status string
		days   *int
		since  string
	}{
		"AC-A": {"overdue", new(40), "2012-03-01"}, "AC-B": {"overdue", new(5), "2012-03-01"},
		"AC-C": {"in_progress", nil, "2012-06-01"}, "AC-D": {"pending", nil, today}, "AC-E": {"done", nil, today},
	} {
		got := byCode[code]
		if got.Status != w.status || got.Overdue != (w.days != nil) || agrDeref(got.OverdueDays) != agrDeref(w.days) || got.Since != w.since {
			t.Errorf("%s: status %s overdue %v days %v since %s, want %+v", code, got.Status, got.Overdue, got.OverdueDays, got.Since, w)
		}
	}

	// Paging, two by two, in every order, without repeats; tokens of another order refused.
	for _, order := range []string{"due_on", "-due_on", "code", "-code", "created_at", "-created_at"} {
		all := env.OnePage(t, admin, "code", "/v1/agreements?order_by="+order)
		pages := env.Pages(t, admin, "code", "/v1/agreements?order_by="+order+"&page_size=2")
		if len(pages) != 3 || !slices.Equal(slices.Concat(pages...), all) || len(all) != 5 {
			t.Errorf("order %s: pages %v, one page %v", order, pages, all)
		}
	}
	first := env.Send(t, http.MethodGet, admin, "/v1/agreements?order_by=code&page_size=1", nil, nil)
	tok := first.JSON(t)["next_page_token"].(string)
	for _, bad := range []string{"order_by=-code&page_token=" + tok, "page_token=garbage", "status=late", "due_from=yesterday",
		"institution_id=nope"} {
		apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/agreements?"+bad, nil, nil), http.StatusBadRequest)
	}
}
