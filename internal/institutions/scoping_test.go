package institutions_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func TestPartnerAndEditorScoping(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := buildChain(t, env, admin)
	asn := uuid.MustParse(c.ASN.ID)
	partner := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &asn})
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &asn})
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}, InstitutionID: &asn})
	homeless := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}})
	merge := "application/merge-patch+json"

	for _, who := range []struct{ name, token, code string }{{"partner", partner, "PE-MRE-DGPCA-ASN-P1"}, {"editor", editor, "PE-MRE-DGPCA-ASN-E1"}} {
		// Allowed: inside ASN's subtree.
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: who.token, Body: body(who.code, "department", &c.ASN)})
		if res.Status != http.StatusCreated {
			t.Fatalf("%s creates under ASN: %d %s", who.name, res.Status, res.Body)
		}
		if n := env.Count(t, "institutions", "code = ? AND parent_id = ?", who.code, c.ASN.ID); n != 1 {
			t.Errorf("%s's institution not stored under ASN", who.name)
		}
		res = patch(env, t, who.token, c.PIM.ID, map[string]any{"acronym": "PIM-" + who.name[:1]}, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%s patches PIM: %d %s", who.name, res.Status, res.Body)
		}
		if r := stored(t, env, c.PIM.ID); deref(r.Acronym) != "PIM-"+who.name[:1] {
			t.Errorf("%s's PATCH of PIM not stored: %+v", who.name, r)
		}
		res = patch(env, t, who.token, c.ASN.ID, map[string]any{"acronym": "ASN"}, nil)
		if res.Status != http.StatusOK {
			t.Errorf("%s patches its own institution: %d %s", who.name, res.Status, res.Body)
		}
	}

	// Refused: outside ASN's subtree, or climbing out of it. Nothing is written.
	refused := []struct {
		name  string
		token string
		req   apitest.Request
	}{
		{"partner patches MRE", partner, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.MRE.ID,
			Body: map[string]any{"acronym": "X"}, ContentType: merge}},
		{"partner patches DGPCA (ASN's parent)", partner, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.DGPCA.ID,
			Body: map[string]any{"acronym": "X"}, ContentType: merge}},
		{"partner patches CON", partner, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.CON.ID,
			Body: map[string]any{"acronym": "X"}, ContentType: merge}},
		{"partner creates a root", partner, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-ROOT", "ministry", nil)}},
		{"partner creates under CON", partner, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-MRE-CON-X", "directorate", &c.CON)}},
		{"partner creates under MRE", partner, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-MRE-X", "directorate", &c.MRE)}},
		{"partner moves PIM under CON", partner, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.PIM.ID,
			Body: map[string]any{"parent_id": c.CON.ID}, ContentType: merge}},
		{"partner makes PIM a root", partner, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.PIM.ID,
			Body: map[string]any{"parent_id": nil}, ContentType: merge}},
		{"partner archives MRE's sibling CON", partner, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + c.CON.ID}},
		{"editor patches MRE", editor, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.MRE.ID,
			Body: map[string]any{"acronym": "X"}, ContentType: merge}},
		{"editor creates a root", editor, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-ROOT", "ministry", nil)}},
		{"partner of no institution creates under ASN", homeless, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-MRE-DGPCA-ASN-H", "department", &c.ASN)}},
		{"viewer creates under ASN", viewer, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: body("PE-MRE-DGPCA-ASN-V", "department", &c.ASN)}},
		{"viewer patches PIM", viewer, apitest.Request{Method: http.MethodPatch, Path: "/v1/institutions/" + c.PIM.ID,
			Body: map[string]any{"acronym": "V"}, ContentType: merge}},
		{"viewer archives PIM", viewer, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + c.PIM.ID}},
		{"viewer restores PIM", viewer, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + c.PIM.ID + "/restore"}},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			req := r.req
			req.Token = r.token
			apitest.Problem(t, env.Do(t, req), http.StatusForbidden)
			env.Unchanged(t, before)
		})
	}

	// Everyone may read, the viewer included.
	if got := listCodes(t, env, viewer, "parent_id="+c.ASN.ID); len(got) != 3 {
		t.Errorf("viewer lists ASN's children: %v", got)
	}
	// A partner may archive inside its subtree.
	leaf := create(t, env, admin, body("PE-MRE-DGPCA-ASN-LEAF", "department", &c.ASN))
	res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + leaf.ID, Token: partner})
	if res.Status != http.StatusNoContent {
		t.Errorf("partner archives inside ASN: %d %s", res.Status, res.Body)
	}
	// And an importer, like an admin, is not scoped.
	importer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}, InstitutionID: &asn})
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: importer, Body: body("PE-IMPORTED", "ministry", nil)})
	if res.Status != http.StatusCreated {
		t.Errorf("importer creates a root: %d %s", res.Status, res.Body)
	}
}
