package institutions_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// chain is the tree the tree and scoping tests share: MRE → DGPCA → ASN → PIM, with CON a
// second directorate general under MRE.
type chain struct{ MRE, DGPCA, ASN, PIM, CON inst }

func buildChain(t *testing.T, env *apitest.Env, admin string) chain {
	t.Helper()
	var c chain
	c.MRE = create(t, env, admin, body("PE-MRE", "ministry", nil))
	c.DGPCA = create(t, env, admin, body("PE-MRE-DGPCA", "directorate_general", &c.MRE))
	c.ASN = create(t, env, admin, body("PE-MRE-DGPCA-ASN", "directorate", &c.DGPCA))
	c.PIM = create(t, env, admin, body("PE-MRE-DGPCA-ASN-PIM", "department", &c.ASN))
	c.CON = create(t, env, admin, body("PE-MRE-CON", "directorate_general", &c.MRE))
	return c
}

func TestTree(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	c := buildChain(t, env, admin)
	other := create(t, env, admin, body("UN", "international_organization", nil))

	ancestors := func(id string) []string {
		t.Helper()
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + id + "/ancestors", Token: admin})
		if res.Status != http.StatusOK {
			t.Fatalf("ancestors: %d %s", res.Status, res.Body)
		}
		var l struct{ Items []inst }
		res.Decode(t, &l)
		return codes(l.Items)
	}
	if got, want := ancestors(c.PIM.ID), []string{"PE-MRE", "PE-MRE-DGPCA", "PE-MRE-DGPCA-ASN"}; !slices.Equal(got, want) {
		t.Errorf("ancestors of PIM: %v, want %v", got, want)
	}
	if got := ancestors(c.MRE.ID); len(got) != 0 {
		t.Errorf("ancestors of a root: %v, want none", got)
	}

	type node struct {
		Depth int
		Code  string
	}
	subtree := func(id, q string) []node {
		t.Helper()
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + id + "/subtree" + q, Token: admin})
		if res.Status != http.StatusOK {
			t.Fatalf("subtree%s: %d %s", q, res.Status, res.Body)
		}
		var tr tree
		res.Decode(t, &tr)
		out := make([]node, len(tr.Items))
		for i, it := range tr.Items {
			out[i] = node{it.Depth, it.Institution.Code}
		}
		return out
	}
	for _, tc := range []struct {
		name, id, query string
		want            []node
	}{
		{"whole tree, depth first, siblings by code", c.MRE.ID, "", []node{{0, "PE-MRE"}, {1, "PE-MRE-CON"}, {1, "PE-MRE-DGPCA"},
			{2, "PE-MRE-DGPCA-ASN"}, {3, "PE-MRE-DGPCA-ASN-PIM"}}},
		{"max_depth=1", c.MRE.ID, "?max_depth=1", []node{{0, "PE-MRE"}, {1, "PE-MRE-CON"}, {1, "PE-MRE-DGPCA"}}},
		{"max_depth=0", c.MRE.ID, "?max_depth=0", []node{{0, "PE-MRE"}}},
		{"inner subtree", c.DGPCA.ID, "", []node{{0, "PE-MRE-DGPCA"}, {1, "PE-MRE-DGPCA-ASN"}, {2, "PE-MRE-DGPCA-ASN-PIM"}}},
		{"leaf", c.PIM.ID, "", []node{{0, "PE-MRE-DGPCA-ASN-PIM"}}},
	} {
		if got := subtree(tc.id, tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, q := range []string{"?max_depth=-1", "?max_depth=33", "?max_depth=x"} {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions/" + c.MRE.ID + "/subtree" + q, Token: admin})
		wantField(t, apitest.Problem(t, res, http.StatusBadRequest), "query.max_depth")
	}

	// List filters on the tree.
	if got, want := listCodes(t, env, admin, "parent_id="+c.MRE.ID), []string{"PE-MRE-CON", "PE-MRE-DGPCA"}; !slices.Equal(got, want) {
		t.Errorf("children of MRE: %v, want %v", got, want)
	}
	if got, want := listCodes(t, env, admin, "parent_id="+c.ASN.ID), []string{"PE-MRE-DGPCA-ASN-PIM"}; !slices.Equal(got, want) {
		t.Errorf("children of ASN: %v, want %v", got, want)
	}
	if got := listCodes(t, env, admin, "parent_id="+c.PIM.ID); len(got) != 0 {
		t.Errorf("children of a leaf: %v", got)
	}
	if got, want := listCodes(t, env, admin, "root=true"), []string{"PE-MRE", other.Code}; !slices.Equal(got, want) {
		t.Errorf("roots: %v, want %v", got, want)
	}
	if got := listCodes(t, env, admin, "root=false"); len(got) != 6 {
		t.Errorf("root=false lists %v, want all 6", got)
	}

	// Cycles are refused and change nothing.
	for _, tc := range []struct{ name, newParent string }{
		{"under its own descendant", c.PIM.ID},
		{"under its own child", c.DGPCA.ID},
		{"under itself", c.MRE.ID},
	} {
		before := env.Fingerprint(t)
		res := patch(env, t, admin, c.MRE.ID, map[string]any{"parent_id": tc.newParent}, nil)
		p := apitest.Problem(t, res, http.StatusUnprocessableEntity)
		wantField(t, p, "parent_id")
		env.Unchanged(t, before)
		if r := stored(t, env, c.MRE.ID); r.ParentID != nil || r.Version != 1 {
			t.Errorf("%s: MRE changed: parent %s version %d", tc.name, deref(r.ParentID), r.Version)
		}
	}
	// A leaf moved to itself is refused too.
	before := env.Fingerprint(t)
	res := patch(env, t, admin, c.PIM.ID, map[string]any{"parent_id": c.PIM.ID}, nil)
	wantField(t, apitest.Problem(t, res, http.StatusUnprocessableEntity), "parent_id")
	env.Unchanged(t, before)

	// A legal move: PIM from ASN to CON; the tree follows.
	res = patch(env, t, admin, c.PIM.ID, map[string]any{"parent_id": c.CON.ID}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("move PIM under CON: %d %s", res.Status, res.Body)
	}
	if got, want := ancestors(c.PIM.ID), []string{"PE-MRE", "PE-MRE-CON"}; !slices.Equal(got, want) {
		t.Errorf("ancestors of PIM after the move: %v, want %v", got, want)
	}
	if r := stored(t, env, c.PIM.ID); deref(r.ParentID) != c.CON.ID {
		t.Errorf("stored parent %s, want CON", deref(r.ParentID))
	}
	// And a move to the root.
	res = patch(env, t, admin, c.PIM.ID, map[string]any{"parent_id": nil}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("make PIM a root: %d %s", res.Status, res.Body)
	}
	if got := ancestors(c.PIM.ID); len(got) != 0 {
		t.Errorf("ancestors of PIM as a root: %v", got)
	}
}
