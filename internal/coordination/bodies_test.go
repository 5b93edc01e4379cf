package coordination_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

func crdName(es, en string) map[string]string { return map[string]string{"es": es, "en": en} }

// A body is created, read with its ETag and counts, listed with every filter, changed under
// If-Match, kept out of its own subtree, archived and listed again only on request.
func TestCoordinationBodyLifecycle(t *testing.T) {
	t.Parallel()
	e := crdNew(t)
	root := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA", "kind": "commission",
		"name":    crdName("Mesa de Trabajo Intersectorial para la Gestión Migratoria", "Migration Management Commission"),
		"mandate": map[string]string{"es": "Coordinar políticas de protección"}, "established_on": "2011-05-01"})
	rootID := root["id"].(string)
	if root["status"] != "active" || root["children"] != 0.0 || root["members"] != 0.0 || root["demo"] != false {
		t.Errorf("created: %v", root)
	}
	plenary := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA-PLENO", "kind": "plenary",
		"name": crdName("Pleno", "Plenary"), "parent_id": rootID})
	group := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA-GT-1", "kind": "working_group",
		"name": crdName("Grupo de Trabajo 1", "Working Group 1"), "parent_id": rootID, "status": "inactive"})
	sub := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA-GT-1-SG-1", "kind": "sub_group",
		"name": crdName("Subgrupo", "Sub-group"), "parent_id": group["id"]})
	table := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MR-24", "kind": "regional_round_table",
		"name": crdName("Mesa regional de Tumbes", "Tumbes round table"), "region": "24"})

	res := e.do(t, http.MethodGet, "/v1/coordination-bodies/"+rootID, nil, nil)
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"1"` || res.JSON(t)["children"] != 2.0 {
		t.Fatalf("get: %d %s %s", res.Status, res.Header.Get("ETag"), res.Body)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"T-MESA", "T-MESA-GT-1", "T-MESA-GT-1-SG-1", "T-MESA-PLENO", "T-MR-24"}},
		{"root=true", []string{"T-MESA", "T-MR-24"}},
		{"parent_id=" + rootID, []string{"T-MESA-GT-1", "T-MESA-PLENO"}},
		{"kind=working_group&kind=sub_group", []string{"T-MESA-GT-1", "T-MESA-GT-1-SG-1"}},
		{"status=inactive", []string{"T-MESA-GT-1"}},
		{"region=24", []string{"T-MR-24"}},
		{"code=T-MESA&code=T-MR-24", []string{"T-MESA", "T-MR-24"}},
		{"q=" + url.QueryEscape("gestion migratoria"), []string{"T-MESA"}}, // accents optional
		{"q=" + url.QueryEscape("PROTECCIÓN"), []string{"T-MESA"}},         // the mandate is searched
		{"order_by=-code&root=true", []string{"T-MR-24", "T-MESA"}},
	} {
		if got := e.field(t, "/v1/coordination-bodies?"+c.query, "code"); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	// Paging: two by two, every body once.
	var seen []string
	path := "/v1/coordination-bodies?page_size=2"
	for i := 0; i < 5; i++ {
		items, next := e.items(t, path)
		for _, it := range items {
			seen = append(seen, it["code"].(string))
		}
		if next == "" {
			break
		}
		path = "/v1/coordination-bodies?page_size=2&page_token=" + url.QueryEscape(next)
	}
	if len(seen) != 5 {
		t.Errorf("paged: %v", seen)
	}
	e.refused(t, http.MethodGet, "/v1/coordination-bodies?page_token=bogus", nil, nil, http.StatusBadRequest)

	// Merge patch under If-Match; a stale tag is 412 and changes nothing.
	id := plenary["id"].(string)
	res = e.do(t, http.MethodPatch, "/v1/coordination-bodies/"+id, `{"mandate":{"en":"Decides"},"status":"inactive"}`,
		map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"2"` || res.JSON(t)["status"] != "inactive" {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	e.refused(t, http.MethodPatch, "/v1/coordination-bodies/"+id, `{"status":"active"}`, map[string]string{"If-Match": `"1"`},
		http.StatusPreconditionFailed)

	// A body may not be its own ancestor, nor its own parent.
	p := e.refused(t, http.MethodPatch, "/v1/coordination-bodies/"+group["id"].(string), map[string]any{"parent_id": sub["id"]}, nil,
		http.StatusUnprocessableEntity)
	wantField(t, p, "parent_id")
	p = e.refused(t, http.MethodPatch, "/v1/coordination-bodies/"+rootID, map[string]any{"parent_id": rootID}, nil,
		http.StatusUnprocessableEntity)
	wantField(t, p, "parent_id")
	// Moving a body elsewhere in the tree is fine.
	if res := e.do(t, http.MethodPatch, "/v1/coordination-bodies/"+sub["id"].(string), map[string]any{"parent_id": rootID}, nil); res.Status != http.StatusOK {
		t.Errorf("move: %d %s", res.Status, res.Body)
	}
	// A round table keeps its region.
	p = e.refused(t, http.MethodPatch, "/v1/coordination-bodies/"+table["id"].(string), `{"region":null}`, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "region")

	// Archive: gone from lists and from its parent's count, back with include_archived; an
	// archived body cannot be changed nor be a new parent.
	if res := e.do(t, http.MethodDelete, "/v1/coordination-bodies/"+id, nil, map[string]string{"If-Match": `"9"`}); res.Status != http.StatusPreconditionFailed {
		t.Errorf("archive with a stale tag: %d", res.Status)
	}
	if res := e.do(t, http.MethodDelete, "/v1/coordination-bodies/"+id, nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d %s", res.Status, res.Body)
	}
	if got := e.field(t, "/v1/coordination-bodies?parent_id="+rootID, "code"); slices.Contains(got, "T-MESA-PLENO") {
		t.Errorf("archived body listed: %v", got)
	}
	if got := e.field(t, "/v1/coordination-bodies?include_archived=true&parent_id="+rootID, "code"); !slices.Contains(got, "T-MESA-PLENO") {
		t.Errorf("archived body not listed on request: %v", got)
	}
	if got := e.do(t, http.MethodGet, "/v1/coordination-bodies/"+rootID, nil, nil).JSON(t); got["children"] != 2.0 {
		t.Errorf("children after archiving one and moving one in: %v", got["children"])
	}
	e.refused(t, http.MethodPatch, "/v1/coordination-bodies/"+id, `{"status":"active"}`, nil, http.StatusConflict)
	p = e.refused(t, http.MethodPost, "/v1/coordination-bodies", map[string]any{"code": "T-X", "kind": "sub_group",
		"name": crdName("X", "X"), "parent_id": id}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "parent_id")
	if n := e.Count(t, "audit_events", "resource_type = 'coordination_body'"); n < 8 {
		t.Errorf("%d audit events", n)
	}
}

// Bad input is refused with a problem naming the field, and writes nothing.
func TestCoordinationBodyBadInput(t *testing.T) {
	t.Parallel()
	e := crdNew(t)
	e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-ONE", "kind": "commission", "name": crdName("Uno", "One")})
	for _, c := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"a code taken", map[string]any{"code": "T-ONE", "kind": "plenary", "name": crdName("Dos", "Two")}, http.StatusConflict, "code"},
		{"a round table without a region", map[string]any{"code": "T-MR", "kind": "regional_round_table", "name": crdName("M", "M")},
			http.StatusUnprocessableEntity, "region"},
		{"a region out of the list", map[string]any{"code": "T-MR", "kind": "regional_round_table", "name": crdName("M", "M"), "region": "26"},
			http.StatusBadRequest, ""},
		{"an unknown parent", map[string]any{"code": "T-TWO", "kind": "plenary", "name": crdName("Dos", "Two"),
			"parent_id": "01a23289-0000-7000-8000-000000000000"}, http.StatusUnprocessableEntity, "parent_id"},
		{"an unknown legal basis", map[string]any{"code": "T-TWO", "kind": "plenary", "name": crdName("Dos", "Two"),
			"legal_basis_id": "01a23289-0000-7000-8000-000000000000"}, http.StatusUnprocessableEntity, "legal_basis_id"},
		{"an empty name", map[string]any{"code": "T-TWO", "kind": "plenary", "name": map[string]string{"es": ""}},
			http.StatusBadRequest, "body.name.es"},
		{"an unknown kind", map[string]any{"code": "T-TWO", "kind": "council", "name": crdName("Dos", "Two")}, http.StatusBadRequest, ""},
		{"an unknown field", map[string]any{"code": "T-TWO", "kind": "plenary", "name": crdName("Dos", "Two"), "members": 3},
			http.StatusBadRequest, ""},
		{"a bad code", map[string]any{"code": "t two", "kind": "plenary", "name": crdName("Dos", "Two")}, http.StatusBadRequest, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := e.refused(t, http.MethodPost, "/v1/coordination-bodies", c.body, nil, c.status)
			if c.field != "" {
				wantField(t, p, c.field)
			}
		})
	}
	// A retried create with its Idempotency-Key answers the first result; another body, 422.
	key := map[string]string{"Idempotency-Key": "crd-body-1"}
	body := map[string]any{"code": "T-IDEM", "kind": "plenary", "name": crdName("I", "I")}
	first := e.do(t, http.MethodPost, "/v1/coordination-bodies", body, key)
	again := e.do(t, http.MethodPost, "/v1/coordination-bodies", body, key)
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || first.JSON(t)["id"] != again.JSON(t)["id"] {
		t.Errorf("idempotent retry: %d %d %s %s", first.Status, again.Status, first.Body, again.Body)
	}
	body["code"] = "T-IDEM-2"
	e.refused(t, http.MethodPost, "/v1/coordination-bodies", body, key, http.StatusUnprocessableEntity)
	e.refused(t, http.MethodGet, "/v1/coordination-bodies/not-a-uuid", nil, nil, http.StatusBadRequest)
	e.refused(t, http.MethodGet, "/v1/coordination-bodies/01a23289-0000-7000-8000-000000000000", nil, nil, http.StatusNotFound)
	// Editors and partners read the bodies but do not write them.
	inst := e.institution(t, "T-INST")
	tok := e.editorToken(t, inst)
	before := e.Fingerprint(t)
	res := e.Do(t, apitestRequest(http.MethodPost, "/v1/coordination-bodies", tok,
		map[string]any{"code": "T-ED", "kind": "plenary", "name": crdName("E", "E")}))
	if res.Status != http.StatusForbidden {
		t.Errorf("an editor's create: %d %s", res.Status, res.Body)
	}
	e.Unchanged(t, before)
	if res := e.Do(t, apitestRequest(http.MethodGet, "/v1/coordination-bodies", tok, nil)); res.Status != http.StatusOK {
		t.Errorf("an editor's list: %d", res.Status)
	}
}
