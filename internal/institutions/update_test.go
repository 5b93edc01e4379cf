package institutions_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

func TestMergePatch(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	orig := create(t, env, admin, map[string]any{
		"code": "PE-MRE-DGPCA-ASN-PIM", "name": map[string]any{"es": "Departamento de Política Migratoria", "en": "Migration Policy Department"},
		"acronym": "PIM", "kind": "department", "country": "PE", "tier": "national", "established_on": "2015-01-01",
		"description": map[string]any{"es": "Política migratoria", "en": "Migration policy"},
	})

	steps := []struct {
		name  string
		patch map[string]any
		check func(t *testing.T, g inst, r dbRow)
	}{
		{"change acronym", map[string]any{"acronym": "DPM"}, func(t *testing.T, g inst, r dbRow) {
			if deref(g.Acronym) != "DPM" || deref(r.Acronym) != "DPM" {
				t.Errorf("acronym: api %s, stored %s", deref(g.Acronym), deref(r.Acronym))
			}
			if deref(g.Name.Es) != "Departamento de Política Migratoria" || g.Description == nil || deref(g.EstablishedOn) != "2015-01-01" {
				t.Errorf("fields not in the patch changed: %+v", g)
			}
		}},
		{"null clears description", map[string]any{"description": nil}, func(t *testing.T, g inst, r dbRow) {
			if g.Description != nil || r.DescriptionES != nil || r.DescriptionEN != nil {
				t.Errorf("description not cleared: api %+v, stored %s/%s", g.Description, deref(r.DescriptionES), deref(r.DescriptionEN))
			}
		}},
		{"nested merge keeps name.es", map[string]any{"name": map[string]any{"en": "X"}}, func(t *testing.T, g inst, r dbRow) {
			if deref(g.Name.En) != "X" || deref(g.Name.Es) != "Departamento de Política Migratoria" ||
				deref(r.NameEN) != "X" || deref(r.NameES) != "Departamento de Política Migratoria" {
				t.Errorf("name: api %s/%s, stored %s/%s", deref(g.Name.Es), deref(g.Name.En), deref(r.NameES), deref(r.NameEN))
			}
		}},
		{"nested null clears name.en only", map[string]any{"name": map[string]any{"en": nil}}, func(t *testing.T, g inst, r dbRow) {
			if g.Name.En != nil || r.NameEN != nil || deref(g.Name.Es) == "<nil>" {
				t.Errorf("name: api %s/%s, stored %s", deref(g.Name.Es), deref(g.Name.En), deref(r.NameEN))
			}
		}},
		{"several fields at once", map[string]any{"status": "dissolved", "dissolved_on": "2024-06-30", "acronym": nil}, func(t *testing.T, g inst, r dbRow) {
			if g.Status != "dissolved" || deref(g.DissolvedOn) != "2024-06-30" || g.Acronym != nil || r.Acronym != nil {
				t.Errorf("fields: %+v", g)
			}
		}},
	}
	etag := `"1"`
	for i, s := range steps {
		res := patch(env, t, admin, orig.ID, s.patch, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", s.name, res.Status, res.Body)
		}
		var g inst
		res.Decode(t, &g)
		want := int64(i + 2)
		if g.Version != want {
			t.Errorf("%s: version %d, want %d", s.name, g.Version, want)
		}
		newTag := res.Header.Get("ETag")
		if newTag == etag || newTag != `"`+itoa(want)+`"` {
			t.Errorf("%s: ETag %q after %q, want \"%d\"", s.name, newTag, etag, want)
		}
		etag = newTag
		r := stored(t, env, orig.ID)
		if r.Version != want {
			t.Errorf("%s: stored version %d, want %d", s.name, r.Version, want)
		}
		s.check(t, g, r)
		if !ts(t, g.UpdatedAt).After(ts(t, orig.UpdatedAt)) || g.CreatedAt != orig.CreatedAt {
			t.Errorf("%s: timestamps created %s→%s updated %s→%s", s.name, orig.CreatedAt, g.CreatedAt, orig.UpdatedAt, g.UpdatedAt)
		}
		if gg, gres := get(t, env, admin, orig.ID); gres.Header.Get("ETag") != etag || gg.Version != want {
			t.Errorf("%s: GET after PATCH: ETag %q version %d", s.name, gres.Header.Get("ETag"), gg.Version)
		}
	}

	// One update event per PATCH, each with the state before and after.
	evs := auditEvents(t, env, orig.ID, "institution.update")
	if len(evs) != len(steps) {
		t.Fatalf("institution.update events: %d, want %d", len(evs), len(steps))
	}
	first := evs[0]
	b, a := decodeInst(t, first.Before), decodeInst(t, first.After)
	if deref(b.Acronym) != "PIM" || b.Version != 1 || deref(a.Acronym) != "DPM" || a.Version != 2 || a.ID != orig.ID {
		t.Errorf("first update event: before %+v after %+v", b, a)
	}
	if b2 := decodeInst(t, evs[1].Before); b2.Description == nil || decodeInst(t, evs[1].After).Description != nil {
		t.Errorf("second update event does not show the description cleared: %s → %s", evs[1].Before, evs[1].After)
	}

	// PATCH is merge-patch only.
	before := env.Fingerprint(t)
	res := env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + orig.ID, Token: admin,
		Body: map[string]any{"acronym": "NO"}, ContentType: "application/json"})
	apitest.Problem(t, res, http.StatusUnsupportedMediaType)
	env.Unchanged(t, before)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestIfMatch(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	i := create(t, env, admin, body("PE-MRE", "ministry", nil))
	leaf := create(t, env, admin, body("PE-LEAF", "agency", nil))

	// The ETag moves to "2".
	if res := patch(env, t, admin, i.ID, map[string]any{"acronym": "MRE"}, map[string]string{"If-Match": `"1"`}); res.Status != http.StatusOK {
		t.Fatalf("PATCH with the current ETag: %d %s", res.Status, res.Body)
	}

	refused := []struct {
		name, method, id, ifMatch string
	}{
		{"PATCH stale", http.MethodPatch, i.ID, `"1"`},
		{"PATCH unknown version", http.MethodPatch, i.ID, `"99"`},
		{"PATCH weak tag", http.MethodPatch, i.ID, `W/"2"`},
		{"PATCH unquoted", http.MethodPatch, i.ID, `2`},
		{"DELETE stale", http.MethodDelete, leaf.ID, `"7"`},
		{"restore stale", http.MethodPost, leaf.ID, `"7"`},
	}
	for _, c := range refused {
		before := env.Fingerprint(t)
		req := apitest.Request{Method: c.method, Path: "/v1/institutions/" + c.id, Token: admin, Header: map[string]string{"If-Match": c.ifMatch}}
		switch c.method {
		case http.MethodPatch:
			req.Body, req.ContentType = map[string]any{"acronym": "STALE"}, "application/merge-patch+json"
		case http.MethodPost:
			req.Path += "/restore"
		}
		res := env.Do(t, req)
		apitest.Problem(t, res, http.StatusPreconditionFailed)
		env.Unchanged(t, before)
	}
	if r := stored(t, env, i.ID); deref(r.Acronym) != "MRE" || r.Version != 2 {
		t.Errorf("a refused write changed the row: %+v", r)
	}

	accepted := []struct{ name, ifMatch string }{
		{"current", `"2"`},
		{"list containing the current", `"1", "3"`},
		{"any", `*`},
	}
	for n, c := range accepted {
		res := patch(env, t, admin, i.ID, map[string]any{"acronym": "A" + itoa(int64(n))}, map[string]string{"If-Match": c.ifMatch})
		if res.Status != http.StatusOK {
			t.Errorf("%s (%s): %d %s", c.name, c.ifMatch, res.Status, res.Body)
		}
	}
	if r := stored(t, env, i.ID); r.Version != 5 || deref(r.Acronym) != "A2" {
		t.Errorf("after three accepted PATCHes: %+v", r)
	}

	// DELETE with * and then with the right tag on a restored row.
	res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + leaf.ID, Token: admin, Header: map[string]string{"If-Match": "*"}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("DELETE If-Match *: %d %s", res.Status, res.Body)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + leaf.ID + "/restore", Token: admin, Header: map[string]string{"If-Match": `"2"`}})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"3"` {
		t.Fatalf("restore with the current ETag: %d ETag %q %s", res.Status, res.Header.Get("ETag"), res.Body)
	}
	res = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + leaf.ID, Token: admin, Header: map[string]string{"If-Match": `"3"`}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("DELETE with the current ETag: %d %s", res.Status, res.Body)
	}
}

func TestArchiveAndRestore(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	parent := create(t, env, admin, body("PE-MRE", "ministry", nil))
	child := create(t, env, admin, body("PE-MRE-DGPCA", "directorate_general", &parent))
	sibling := create(t, env, admin, body("PE-MRE-CON", "directorate_general", &parent))

	del := func(id string) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + id, Token: admin})
	}

	// A parent with active children stays.
	before := env.Fingerprint(t)
	apitest.Problem(t, del(parent.ID), http.StatusConflict)
	env.Unchanged(t, before)

	res := del(child.ID)
	if res.Status != http.StatusNoContent || len(res.Body) != 0 {
		t.Fatalf("DELETE: %d %s", res.Status, res.Body)
	}
	g, gres := get(t, env, admin, child.ID)
	if g.ArchivedAt == nil || g.Version != 2 || gres.Header.Get("ETag") != `"2"` {
		t.Errorf("archived institution: archived_at %v version %d ETag %q", g.ArchivedAt, g.Version, gres.Header.Get("ETag"))
	}
	if r := stored(t, env, child.ID); !r.Archived {
		t.Errorf("not archived in the database")
	}
	if n := len(auditEvents(t, env, child.ID, "institution.archive")); n != 1 {
		t.Errorf("institution.archive events: %d", n)
	}
	if got, want := listCodes(t, env, admin, "order_by=code"), []string{"PE-MRE", "PE-MRE-CON"}; !slices.Equal(got, want) {
		t.Errorf("list: %v, want %v", got, want)
	}
	if got, want := listCodes(t, env, admin, "include_archived=true"), []string{"PE-MRE", "PE-MRE-CON", "PE-MRE-DGPCA"}; !slices.Equal(got, want) {
		t.Errorf("list with archived: %v, want %v", got, want)
	}
	if got := listCodes(t, env, admin, "parent_id="+parent.ID); !slices.Equal(got, []string{"PE-MRE-CON"}) {
		t.Errorf("children: %v", got)
	}

	// Archiving again changes nothing.
	before = env.Fingerprint(t)
	if res := del(child.ID); res.Status != http.StatusNoContent {
		t.Errorf("second DELETE: %d %s", res.Status, res.Body)
	}
	env.Unchanged(t, before)

	// An archived institution cannot be edited, nor be a new parent.
	res = patch(env, t, admin, child.ID, map[string]any{"acronym": "X"}, nil)
	apitest.Problem(t, res, http.StatusConflict)
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: admin, Body: body("PE-UNDER-ARCHIVED", "directorate", &child)})
	wantField(t, apitest.Problem(t, res, http.StatusUnprocessableEntity), "parent_id")
	res = patch(env, t, admin, sibling.ID, map[string]any{"parent_id": child.ID}, nil)
	wantField(t, apitest.Problem(t, res, http.StatusUnprocessableEntity), "parent_id")
	env.Unchanged(t, before)

	// Subtree hides archived descendants unless asked.
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + parent.ID + "/subtree", Token: admin})
	var tr tree
	res.Decode(t, &tr)
	if len(tr.Items) != 2 {
		t.Errorf("subtree without archived: %d nodes, want 2", len(tr.Items))
	}
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + parent.ID + "/subtree?include_archived=true", Token: admin})
	res.Decode(t, &tr)
	if len(tr.Items) != 3 {
		t.Errorf("subtree with archived: %d nodes, want 3", len(tr.Items))
	}

	// Restore.
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + child.ID + "/restore", Token: admin})
	if res.Status != http.StatusOK {
		t.Fatalf("restore: %d %s", res.Status, res.Body)
	}
	var r inst
	res.Decode(t, &r)
	if r.ArchivedAt != nil || r.Version != 3 || res.Header.Get("ETag") != `"3"` {
		t.Errorf("restored: archived_at %v version %d ETag %q", r.ArchivedAt, r.Version, res.Header.Get("ETag"))
	}
	if stored(t, env, child.ID).Archived {
		t.Errorf("still archived in the database")
	}
	if n := len(auditEvents(t, env, child.ID, "institution.restore")); n != 1 {
		t.Errorf("institution.restore events: %d", n)
	}
	if got, want := listCodes(t, env, admin, ""), []string{"PE-MRE", "PE-MRE-CON", "PE-MRE-DGPCA"}; !slices.Equal(got, want) {
		t.Errorf("list after restore: %v, want %v", got, want)
	}
	// Restoring what is not archived changes nothing.
	before = env.Fingerprint(t)
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + child.ID + "/restore", Token: admin})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"3"` {
		t.Errorf("restore of an active institution: %d ETag %q", res.Status, res.Header.Get("ETag"))
	}
	env.Unchanged(t, before)

	// A child cannot be restored under an archived parent.
	if res := del(child.ID); res.Status != http.StatusNoContent {
		t.Fatalf("DELETE child: %d", res.Status)
	}
	if res := del(sibling.ID); res.Status != http.StatusNoContent {
		t.Fatalf("DELETE sibling: %d", res.Status)
	}
	if res := del(parent.ID); res.Status != http.StatusNoContent {
		t.Fatalf("DELETE parent once its children are archived: %d %s", res.Status, res.Body)
	}
	before = env.Fingerprint(t)
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + child.ID + "/restore", Token: admin})
	wantField(t, apitest.Problem(t, res, http.StatusUnprocessableEntity), "parent_id")
	env.Unchanged(t, before)
}
