package coordination_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

// Sessions: numbered per body and kind, attendance one entry per existing institution, counts
// of present, absent and agreements, the institution filter, and the minutes.
func TestCoordinationSessionLifecycle(t *testing.T) {
	t.Parallel()
	e := crdNew(t)
	body := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-PLENO", "kind": "plenary", "name": crdName("Pleno", "Plenary")})["id"].(string)
	a, b, c := e.institution(t, "T-A"), e.institution(t, "T-B"), e.institution(t, "T-C")
	first := e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 1, "held_on": "2011-03-15",
		"place": "Lima", "agenda": []any{crdName("Acta", "Minutes")},
		"attendance": []any{map[string]any{"institution_id": a, "present": true, "delegates": 2},
			map[string]any{"institution_id": b, "present": false}}})
	if first["present"] != 1.0 || first["absent"] != 1.0 || first["agreements"] != 0.0 || first["minutes"] != nil {
		t.Errorf("created: %v", first)
	}
	second := e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 2, "held_on": "2011-05-15",
		"agenda":     []any{crdName("Gestión migratoria", "Migration management")},
		"attendance": []any{map[string]any{"institution_id": b, "present": true}}})
	e.create(t, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "extraordinary", "number": 1, "held_on": "2011-04-01"})

	for _, q := range []struct {
		query string
		want  []string
	}{
		{"body_id=" + body, []string{"2011-03-15", "2011-04-01", "2011-05-15"}},
		{"kind=ordinary&order_by=-held_on", []string{"2011-05-15", "2011-03-15"}},
		{"held_from=2011-04-01&held_to=2011-05-01", []string{"2011-04-01"}},
		{"institution_id=" + a, []string{"2011-03-15"}}, // attended: present
		{"institution_id=" + b, []string{"2011-05-15"}},
		{"institution_id=" + c, []string{}},
		{"q=gestion", []string{"2011-05-15"}},                              // the agenda, accents optional
		{"q=" + url.QueryEscape("gestión MIGRAT"), []string{"2011-05-15"}}, // words are prefixes
		{"q=management", []string{"2011-05-15"}},                           // the agenda in English
		{"q=lima", []string{"2011-03-15"}},                                 // the place
		{"q=gestion&institution_id=" + b, []string{"2011-05-15"}},          // with another filter
		{"q=gestion&institution_id=" + a, []string{}},                      // both must hold
		{"q=gestion&kind=extraordinary", []string{}},
		{"q=inexistente", []string{}}, // nothing matches
	} {
		if got := e.field(t, "/v1/coordination-sessions?"+q.query, "held_on"); !slices.Equal(got, q.want) {
			t.Errorf("?%s: %v, want %v", q.query, got, q.want)
		}
	}

	// A q that matches nothing is an empty page, not an error.
	if items, next := e.items(t, "/v1/coordination-sessions?q=inexistente&body_id="+body); items == nil || len(items) != 0 || next != "" {
		t.Errorf("no match: %v %q", items, next)
	}

	// Agreements reached in a session are counted (the agreements area writes them).
	id := first["id"].(string)
	if err := e.DB.Conn(context.Background()).Exec(`INSERT INTO agreements (id, code, body_id, session_id, text_es, responsible_institution_ids)
		VALUES (?, 'T-ACU-1', ?, ?, 'Acuerdo', ARRAY[?]::uuid[]), (?, 'T-ACU-2', ?, ?, 'Otro', ARRAY[?]::uuid[])`,
		uuid.New(), body, id, a, uuid.New(), body, id, b).Error; err != nil {
		t.Fatal(err)
	}
	items, _ := e.items(t, "/v1/coordination-sessions?kind=ordinary")
	if items[0]["agreements"] != 2.0 || items[1]["agreements"] != 0.0 {
		t.Errorf("agreements: %v %v", items[0]["agreements"], items[1]["agreements"])
	}

	// Changes: attendance replaced whole; a number taken is a conflict; an institution listed
	// twice or unknown is refused on its entry.
	res := e.do(t, http.MethodPatch, "/v1/coordination-sessions/"+id, map[string]any{"attendance": []any{
		map[string]any{"institution_id": a, "present": true}, map[string]any{"institution_id": c, "present": true}}},
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.JSON(t)["present"] != 2.0 || res.JSON(t)["agreements"] != 2.0 {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	p := e.refused(t, http.MethodPatch, "/v1/coordination-sessions/"+second["id"].(string), `{"number":1}`, nil, http.StatusConflict)
	wantField(t, p, "number")
	p = e.refused(t, http.MethodPost, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 3,
		"held_on": "2011-07-01", "attendance": []any{map[string]any{"institution_id": a, "present": true},
			map[string]any{"institution_id": a, "present": false}}}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "attendance.1.institution_id")
	p = e.refused(t, http.MethodPost, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 3,
		"held_on": "2011-07-01", "attendance": []any{map[string]any{"institution_id": a, "present": true},
			map[string]any{"institution_id": uuid.NewString(), "present": false}}}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "attendance.1.institution_id")
	p = e.refused(t, http.MethodPost, "/v1/coordination-sessions", map[string]any{"body_id": uuid.NewString(), "kind": "ordinary",
		"number": 3, "held_on": "2011-07-01"}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "body_id")
	e.refused(t, http.MethodPost, "/v1/coordination-sessions", map[string]any{"body_id": body, "kind": "ordinary", "number": 0,
		"held_on": "2011-07-01"}, nil, http.StatusBadRequest)
	e.refused(t, http.MethodPatch, "/v1/coordination-sessions/"+id, `{"place":"Cusco"}`, map[string]string{"If-Match": `"1"`}, http.StatusPreconditionFailed)

	// Minutes: none yet is a 404; a PDF is stored and served back with its name and tag; a
	// file of another type is refused and changes nothing.
	e.refused(t, http.MethodGet, "/v1/coordination-sessions/"+id+"/minutes", nil, nil, http.StatusNotFound)
	pdf := []byte("%PDF-1.4\nActa de la sesión\n%%EOF\n")
	form, ct := multipartFile(t, "acta-sesión-1.pdf", pdf)
	res = e.Do(t, apitest.Request{Method: http.MethodPut, Path: "/v1/coordination-sessions/" + id + "/minutes", Token: e.admin,
		Body: form, ContentType: ct})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"3"` {
		t.Fatalf("upload: %d %s %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	m, _ := res.JSON(t)["minutes"].(map[string]any)
	if m == nil || m["media_type"] != "application/pdf" || m["size"] != float64(len(pdf)) || m["file_name"] != "acta-sesión-1.pdf" {
		t.Errorf("minutes: %v", m)
	}
	res = e.do(t, http.MethodGet, "/v1/coordination-sessions/"+id+"/minutes", nil, nil)
	if res.Status != http.StatusOK || !bytes.Equal(res.Body, pdf) || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("ETag") != `"`+m["sha256"].(string)+`"` || res.Header.Get("Content-Disposition") == "" {
		t.Errorf("download: %d %v", res.Status, res.Header)
	}
	if n := e.Count(t, "audit_events", "action = 'coordination_session.minutes' AND resource_id = ?", id); n != 1 {
		t.Errorf("%d audit events of the upload", n)
	}
	before := e.Fingerprint(t)
	form, ct = multipartFile(t, "acta.exe", []byte("MZ\x90\x00\x03\x00\x00\x00binary"))
	res = e.Do(t, apitest.Request{Method: http.MethodPut, Path: "/v1/coordination-sessions/" + id + "/minutes", Token: e.admin,
		Body: form, ContentType: ct})
	apitest.Problem(t, res, http.StatusUnsupportedMediaType)
	e.Unchanged(t, before)
	inst := e.editorToken(t, a)
	form, ct = multipartFile(t, "acta.pdf", pdf)
	res = e.Do(t, apitest.Request{Method: http.MethodPut, Path: "/v1/coordination-sessions/" + id + "/minutes", Token: inst,
		Body: form, ContentType: ct})
	apitest.Problem(t, res, http.StatusForbidden)
	e.Unchanged(t, before)

	// Archived: listed on request only, no longer changed.
	if res := e.do(t, http.MethodDelete, "/v1/coordination-sessions/"+id, nil, map[string]string{"If-Match": `"3"`}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if got := e.field(t, "/v1/coordination-sessions?kind=ordinary", "held_on"); len(got) != 1 {
		t.Errorf("after archiving: %v", got)
	}
	if got := e.field(t, "/v1/coordination-sessions?kind=ordinary&include_archived=true", "held_on"); len(got) != 2 {
		t.Errorf("archived on request: %v", got)
	}
	e.refused(t, http.MethodPatch, "/v1/coordination-sessions/"+id, `{"place":"Cusco"}`, nil, http.StatusConflict)
}
