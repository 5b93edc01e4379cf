package deliverables_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func TestDeliverableLifecycle(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env

	res := w.post(t, w.admin, map[string]any{
		"action_id": w.action, "code": "DLV-STOCKTAKING-REPORT", "type": "stocktaking_report",
		"title":         map[string]any{"es": "Informe de inventario", "en": "Stocktaking report"},
		"description":   map[string]any{"en": "Analyses the available data"},
		"owner_unit_id": w.pim, "due_date": "2023-02-28",
		"function_ids": []string{w.function}, "practice_ids": []string{w.practice}, "event_ids": []string{w.event},
		"gap_ids": []string{w.gap, w.gap2},
	})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var d dlvDeliverable
	res.Decode(t, &d)
	if loc := res.Header.Get("Location"); loc != "/v1/deliverables/"+d.ID {
		t.Errorf("Location %q", loc)
	}
	if res.Header.Get("ETag") != `"1"` || d.Version != 1 {
		t.Errorf("ETag %q, version %d", res.Header.Get("ETag"), d.Version)
	}
	if d.Status != "planned" || d.ActionID == nil || *d.ActionID != w.action || *d.OwnerUnitID != w.pim ||
		*d.DueDate != "2023-02-28" || !slices.Equal(d.GapIDs, []string{w.gap, w.gap2}) ||
		!slices.Equal(d.FunctionIDs, []string{w.function}) || !slices.Equal(d.PracticeIDs, []string{w.practice}) ||
		!slices.Equal(d.EventIDs, []string{w.event}) || d.LatestVersion != nil || d.Demo {
		t.Errorf("created %+v", d)
	}
	// Due in the past and only planned: overdue.
	if !d.Overdue {
		t.Error("a planned deliverable due in 2023 is not overdue")
	}

	got, getRes := w.get(t, d.ID)
	if got.Code != d.Code || getRes.Header.Get("ETag") != `"1"` {
		t.Errorf("get: %+v %q", got, getRes.Header.Get("ETag"))
	}

	// A merge patch: lists replaced whole, null clears, the rest kept.
	res = w.patch(t, w.admin, d.ID, map[string]any{"due_date": "2031-07-31", "gap_ids": []string{w.gap2}, "event_ids": nil,
		"description": nil, "title": map[string]any{"es": nil}}, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	d = dlvDeliverable{}
	res.Decode(t, &d)
	if *d.DueDate != "2031-07-31" || !slices.Equal(d.GapIDs, []string{w.gap2}) || len(d.EventIDs) != 0 ||
		d.Description != nil || d.Title.Es != nil || *d.Title.En != "Stocktaking report" || d.Overdue || d.Version != 2 ||
		!slices.Equal(d.FunctionIDs, []string{w.function}) {
		t.Errorf("patched %s", res.Body)
	}
	if res.Header.Get("ETag") != `"2"` {
		t.Errorf("ETag after patch %q", res.Header.Get("ETag"))
	}

	// A stale If-Match is refused and changes nothing.
	before := env.Fingerprint(t)
	apitest.Problem(t, w.patch(t, w.admin, d.ID, map[string]any{"due_date": "2032-01-01"}, map[string]string{"If-Match": `"1"`}), 412)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/deliverables/" + d.ID, Token: w.admin,
		Header: map[string]string{"If-Match": `"1"`}}), 412)
	env.Unchanged(t, before)

	res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/deliverables/" + d.ID, Token: w.admin,
		Header: map[string]string{"If-Match": `"2"`}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	got, _ = w.get(t, d.ID)
	if got.ArchivedAt == nil || got.Version != 3 {
		t.Errorf("archived %+v", got)
	}
	if codes := dlvCodes(t, w, "/v1/deliverables?page_size=50"); len(codes) != 0 {
		t.Errorf("archived deliverable listed: %v", codes)
	}
	if codes := dlvCodes(t, w, "/v1/deliverables?include_archived=true"); !slices.Equal(codes, []string{"DLV-STOCKTAKING-REPORT"}) {
		t.Errorf("include_archived lists %v", codes)
	}
	// An archived deliverable is not edited, nor moved.
	apitest.Problem(t, w.patch(t, w.admin, d.ID, map[string]any{"due_date": "2032-01-01"}, nil), 409)
	apitest.Problem(t, w.move(t, w.admin, d.ID, map[string]any{"to": "in_progress"}, nil), 409)

	events := dlvEvents(t, env, d.ID)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"deliverable.create", "deliverable.update", "deliverable.archive"}) {
		t.Fatalf("audit trail %v", actions)
	}
	var after dlvDeliverable
	if err := json.Unmarshal(events[1].After, &after); err != nil || *after.DueDate != "2031-07-31" {
		t.Errorf("update audited as %s", events[1].After)
	}
	var prior dlvDeliverable
	if err := json.Unmarshal(events[1].Before, &prior); err != nil || *prior.DueDate != "2023-02-28" {
		t.Errorf("update's before audited as %s", events[1].Before)
	}
}

// Bad input is refused with the field named, and nothing is written.
func TestDeliverableBadInput(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	existing := w.deliverable(t, w.body("DLV-EXISTING", w.asn))
	missing := uuid.NewString()
	valid := func(change map[string]any) map[string]any {
		b := w.body("DLV-NEW", w.asn)
		for k, v := range change {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"unknown owner", valid(map[string]any{"owner_unit_id": missing}), 422, "owner_unit_id"},
		{"unknown action", valid(map[string]any{"action_id": missing}), 422, "action_id"},
		{"unknown function", valid(map[string]any{"function_ids": []string{w.function, missing}}), 422, "function_ids.1"},
		{"unknown practice", valid(map[string]any{"practice_ids": []string{missing}}), 422, "practice_ids.0"},
		{"unknown event", valid(map[string]any{"event_ids": []string{missing}}), 422, "event_ids.0"},
		{"a function is not a gap", valid(map[string]any{"gap_ids": []string{w.gap, w.function}}), 422, "gap_ids.1"},
		{"code taken", valid(map[string]any{"code": "DLV-EXISTING"}), 409, "code"},
		{"bad code", valid(map[string]any{"code": "dlv lower"}), 400, "body.code"},
		{"unknown type", valid(map[string]any{"type": "novel"}), 400, "body.type"},
		{"no title", valid(map[string]any{"title": nil}), 400, "body.title"},
		{"empty title", valid(map[string]any{"title": map[string]any{}}), 400, "body.title"},
		{"a status", valid(map[string]any{"status": "approved"}), 400, "body"},
		{"bad date", valid(map[string]any{"due_date": "31/01/2030"}), 400, "body.due_date"},
		{"bad uuid", valid(map[string]any{"event_ids": []string{"not-a-uuid"}}), 400, "body.event_ids.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			p := apitest.Problem(t, w.post(t, w.admin, c.body), c.status)
			dlvWantField(t, p, c.field)
			env.Unchanged(t, before)
		})
	}

	// Several unknown references are named together.
	p := apitest.Problem(t, w.post(t, w.admin, valid(map[string]any{"owner_unit_id": missing,
		"practice_ids": []string{w.practice, missing}})), 422)
	dlvWantField(t, p, "owner_unit_id")
	dlvWantField(t, p, "practice_ids.1")

	// An archived owner or action is refused when newly referred to.
	res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + w.con, Token: w.admin})
	if res.Status != http.StatusNoContent {
		t.Fatalf("archive institution: %d %s", res.Status, res.Body)
	}
	dlvWantField(t, apitest.Problem(t, w.post(t, w.admin, valid(map[string]any{"owner_unit_id": w.con})), 422), "owner_unit_id")

	for _, c := range []struct {
		name   string
		patch  any
		status int
		field  string
	}{
		{"the status", map[string]any{"status": "published"}, 400, "body"},
		{"no title left", map[string]any{"title": map[string]any{"es": nil}}, 422, "title"},
		{"unknown gap", map[string]any{"gap_ids": []string{missing}}, 422, "gap_ids.0"},
		{"unknown owner", map[string]any{"owner_unit_id": missing}, 422, "owner_unit_id"},
		{"another's code", map[string]any{"code": "DLV-OTHER"}, 409, "code"},
		{"not an object", []any{1}, 400, "body"},
	} {
		t.Run("patch "+c.name, func(t *testing.T) {
			if c.status == 409 && env.Count(t, "deliverables", "code = 'DLV-OTHER'") == 0 {
				w.deliverable(t, w.body("DLV-OTHER", w.asn))
			}
			before := env.Fingerprint(t)
			p := apitest.Problem(t, w.patch(t, w.admin, existing.ID, c.patch, nil), c.status)
			dlvWantField(t, p, c.field)
			env.Unchanged(t, before)
		})
	}

	before := env.Fingerprint(t)
	apitest.Problem(t, w.patch(t, w.admin, missing, map[string]any{"due_date": "2030-01-01"}, nil), 404)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + missing, Token: w.admin}), 404)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/nope", Token: w.admin}), 400)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables", Token: w.admin,
		Body: "code=X", ContentType: "application/x-www-form-urlencoded"}), 415)
	env.Unchanged(t, before)
}

// Editors write only deliverables their institution's subtree owns; viewers write none.
func TestDeliverableEditorScope(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	asnEditor := w.token(t, actor.Editor, &w.asn)
	pimEditor := w.token(t, actor.Editor, &w.pim)
	nobody := w.token(t, actor.Editor, nil)
	viewer := w.token(t, actor.Viewer, &w.asn)
	coordinator := w.token(t, actor.Coordinator, nil)

	// Below the editor's own institution: allowed.
	res := w.post(t, asnEditor, w.body("DLV-PIM", w.pim))
	if res.Status != http.StatusCreated {
		t.Fatalf("ASN editor creating for PIM: %d %s", res.Status, res.Body)
	}
	var pimOwned dlvDeliverable
	res.Decode(t, &pimOwned)
	asnOwned := w.deliverable(t, w.body("DLV-ASN", w.asn))

	before := env.Fingerprint(t)
	for _, c := range []struct {
		name  string
		token string
		body  map[string]any
	}{
		{"above the editor's unit", pimEditor, w.body("DLV-X1", w.asn)},
		{"beside it", pimEditor, w.body("DLV-X2", w.ssn)},
		{"elsewhere", asnEditor, w.body("DLV-X3", w.con)},
		{"no owner", asnEditor, map[string]any{"code": "DLV-X4", "type": "other", "title": map[string]any{"en": "X"}}},
		{"an editor of no institution", nobody, w.body("DLV-X5", w.asn)},
	} {
		t.Run(c.name, func(t *testing.T) { apitest.Problem(t, w.post(t, c.token, c.body), 403) })
	}
	apitest.Problem(t, w.post(t, viewer, w.body("DLV-X6", w.asn)), 403)
	apitest.Problem(t, w.patch(t, pimEditor, asnOwned.ID, map[string]any{"due_date": "2030-05-05"}, nil), 403)
	// Moving a deliverable out of the editor's subtree is refused too.
	apitest.Problem(t, w.patch(t, pimEditor, pimOwned.ID, map[string]any{"owner_unit_id": w.ssn}, nil), 403)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/deliverables/" + asnOwned.ID, Token: pimEditor}), 403)
	apitest.Problem(t, w.move(t, pimEditor, asnOwned.ID, map[string]any{"to": "in_progress"}, nil), 403)
	env.Unchanged(t, before)

	// Within the subtree, editors edit and move; coordinators write any deliverable.
	if res := w.patch(t, pimEditor, pimOwned.ID, map[string]any{"due_date": "2030-05-05"}, nil); res.Status != http.StatusOK {
		t.Errorf("PIM editor patching PIM's deliverable: %d %s", res.Status, res.Body)
	}
	if res := w.patch(t, asnEditor, pimOwned.ID, map[string]any{"owner_unit_id": w.ssn}, nil); res.Status != http.StatusOK {
		t.Errorf("ASN editor moving a deliverable from PIM to SSN: %d %s", res.Status, res.Body)
	}
	if res := w.patch(t, coordinator, asnOwned.ID, map[string]any{"owner_unit_id": w.con}, nil); res.Status != http.StatusOK {
		t.Errorf("coordinator moving a deliverable to CON: %d %s", res.Status, res.Body)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + asnOwned.ID, Token: viewer})
	if res.Status != http.StatusOK {
		t.Errorf("viewer reading: %d", res.Status)
	}
}

// dlvCodes lists the codes of every deliverable path lists, walking its pages; each page's
// codes are checked against page_size when the path sets it.
func dlvCodes(t *testing.T, w *dlvWorld, path string) []string {
	t.Helper()
	pages := dlvPages(t, w, path)
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

func dlvPages(t *testing.T, w *dlvWorld, path string) [][]string {
	t.Helper()
	var pages [][]string
	next := ""
	for range 100 {
		p := path
		if next != "" {
			p += "&page_token=" + url.QueryEscape(next)
		}
		res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: p, Token: w.admin})
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", p, res.Status, res.Body)
		}
		var page struct {
			Items []dlvDeliverable `json:"items"`
			Next  string           `json:"next_page_token"`
		}
		res.Decode(t, &page)
		codes := []string{}
		for _, it := range page.Items {
			codes = append(codes, it.Code)
		}
		pages = append(pages, codes)
		if page.Next == "" {
			return pages
		}
		next = page.Next
	}
	t.Fatalf("list %s does not end", path)
	return nil
}

func TestDeliverableList(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	today := time.Now().UTC().Format(time.DateOnly)
	for _, d := range []struct {
		code, typ, owner, due, status, es string
		withAction                        bool
	}{
		{"DLV-A", "blueprint", w.asn, "2023-07-14", "in_progress", "Informe de reglas", true},
		{"DLV-B", "stocktaking_report", w.pim, "2023-01-31", "approved", "Informe de datos", true},
		{"DLV-C", "practices_report", w.pim, yesterday, "in_review", "Informe de prácticas", false},
		{"DLV-D", "event_report", w.ssn, today, "planned", "Informe del taller con la diáspora", false},
		{"DLV-E", "menu_of_services", w.con, "2099-06-30", "published", "Menú de servicios", true},
		{"DLV-F", "other", w.con, "", "changes_requested", "Otro informe", false},
	} {
		body := w.body(d.code, d.owner)
		body["type"] = d.typ
		body["title"] = map[string]any{"es": d.es, "en": "Report " + strings.ToLower(d.code)}
		if d.due == "" {
			delete(body, "due_date")
		} else {
			body["due_date"] = d.due
		}
		if d.withAction {
			body["action_id"] = w.action
		}
		created := w.deliverable(t, body)
		for _, to := range dlvPaths[d.status] {
			w.moveOK(t, created.ID, to)
		}
	}
	archived := w.deliverable(t, w.body("DLV-Z", w.asn))
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/deliverables/" + archived.ID, Token: w.admin}); res.Status != 204 {
		t.Fatal(res.Status)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"DLV-B", "DLV-A", "DLV-C", "DLV-D", "DLV-E", "DLV-F"}}, // due date, undated last
		{"order_by=-due_date", []string{"DLV-F", "DLV-E", "DLV-D", "DLV-C", "DLV-A", "DLV-B"}},
		{"order_by=code", []string{"DLV-A", "DLV-B", "DLV-C", "DLV-D", "DLV-E", "DLV-F"}},
		{"order_by=-created_at", []string{"DLV-F", "DLV-E", "DLV-D", "DLV-C", "DLV-B", "DLV-A"}},
		{"type=blueprint&type=other", []string{"DLV-A", "DLV-F"}},
		{"status=approved&status=published", []string{"DLV-B", "DLV-E"}},
		{"owner_unit_id=" + w.asn, []string{"DLV-B", "DLV-A", "DLV-C", "DLV-D"}}, // the ASN and its units
		{"owner_unit_id=" + w.pim, []string{"DLV-B", "DLV-C"}},
		{"due_from=2023-07-14&due_to=2099-06-30", []string{"DLV-A", "DLV-C", "DLV-D", "DLV-E"}},
		{"overdue=true", []string{"DLV-A", "DLV-C"}},
		{"overdue=false", []string{"DLV-B", "DLV-D", "DLV-E", "DLV-F"}},
		{"action_id=" + w.action, []string{"DLV-B", "DLV-A", "DLV-E"}},
		{"code=DLV-C&code=DLV-E", []string{"DLV-C", "DLV-E"}},
		{"q=diaspora", []string{"DLV-D"}},        // accents optional
		{"q=MENU%20servicio", []string{"DLV-E"}}, // case too; words as prefixes
		{"q=dlv-f", []string{"DLV-F"}},
		{"q=informe&overdue=true&order_by=-code", []string{"DLV-C", "DLV-A"}},
		{"include_archived=true&order_by=code", []string{"DLV-A", "DLV-B", "DLV-C", "DLV-D", "DLV-E", "DLV-F", "DLV-Z"}},
	} {
		t.Run(c.query, func(t *testing.T) {
			if got := dlvCodes(t, w, "/v1/deliverables?"+c.query); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}

	// The overdue flag is the list's too.
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables?order_by=code", Token: w.admin})
	var page struct {
		Items []dlvDeliverable `json:"items"`
	}
	res.Decode(t, &page)
	for _, d := range page.Items {
		want := d.Code == "DLV-A" || d.Code == "DLV-C"
		if d.Overdue != want {
			t.Errorf("%s (%s, due %v): overdue %v", d.Code, d.Status, d.DueDate, d.Overdue)
		}
	}

	// Pages of two, in every order, cover the list once.
	for _, order := range []string{"due_date", "-due_date", "code", "-created_at"} {
		all := dlvCodes(t, w, "/v1/deliverables?order_by="+order)
		pages := dlvPages(t, w, "/v1/deliverables?page_size=2&order_by="+order)
		var joined []string
		for _, p := range pages {
			if len(p) > 2 {
				t.Errorf("%s: page of %d", order, len(p))
			}
			joined = append(joined, p...)
		}
		if !slices.Equal(joined, all) || len(pages) != 3 {
			t.Errorf("%s: pages %v, list %v", order, pages, all)
		}
	}
	// A token from another order is refused.
	first := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables?page_size=2", Token: w.admin}).JSON(t)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Token: w.admin,
		Path: "/v1/deliverables?order_by=code&page_token=" + url.QueryEscape(first["next_page_token"].(string))}), 400)

	// The list costs the same number of statements whatever its length (no query per row).
	count := func(path string) int64 {
		before := env.DB.Queries()
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: w.admin}); res.Status != 200 {
			t.Fatal(res.Status)
		}
		return env.DB.Queries() - before
	}
	if one, all := count("/v1/deliverables?code=DLV-A"), count("/v1/deliverables"); one != all {
		t.Errorf("listing one deliverable costs %d statements, six cost %d", one, all)
	}
}
