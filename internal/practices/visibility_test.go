package practices_test

import (
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func TestPracticeVisibility(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mre := prcInstitution(t, env, "PE-MRE", nil)
	asn := prcInstitution(t, env, "PE-MRE-ASN", &mre)
	pim := prcInstitution(t, env, "PE-MRE-ASN-PIM", &asn)
	other := prcInstitution(t, env, "PE-MININTER", nil)

	// One practice in each status, inside and outside the MRE's subtree.
	made := map[string]string{}
	for _, p := range []struct {
		code   string
		inst   *string
		status string
	}{
		{"PUB-OTHER", new(other.String()), "published"},
		{"PUB-NONE", nil, "published"},
		{"DRAFT-PIM", new(pim.String()), "draft"},
		{"SUB-OTHER", new(other.String()), "submitted"},
		{"VAL-ASN", new(asn.String()), "validated"},
		{"DRAFT-OTHER", new(other.String()), "draft"},
	} {
		b := prcBody(p.code)
		if p.inst != nil {
			b["institution_id"] = *p.inst
		}
		id := prcCreate(t, env, admin, b).ID
		for _, to := range []string{"submitted", "validated", "published"} {
			if p.status == "draft" {
				break
			}
			prcMustMove(t, env, admin, id, to, "")
			if to == p.status {
				break
			}
		}
		made[p.code] = id
	}
	all := []string{"DRAFT-OTHER", "DRAFT-PIM", "PUB-NONE", "PUB-OTHER", "SUB-OTHER", "VAL-ASN"}
	tokens := map[string]string{
		"viewer":      env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}, InstitutionID: &mre}),
		"partner":     env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Partner}, InstitutionID: &mre}),
		"editor":      env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &mre}),
		"importer":    env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}}),
		"coordinator": env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}}),
		"admin":       admin,
	}
	sees := map[string][]string{
		"viewer":      {"PUB-NONE", "PUB-OTHER"},
		"partner":     {"DRAFT-PIM", "PUB-NONE", "PUB-OTHER", "VAL-ASN"}, // published, and its own subtree's
		"editor":      all,
		"importer":    all,
		"coordinator": all,
		"admin":       all,
	}
	for role, tok := range tokens {
		if got := prcCodes(t, env, tok, nil); !slices.Equal(got, sees[role]) {
			t.Errorf("%s lists %v, want %v", role, got, sees[role])
		}
		// Asking for a status one cannot see finds nothing, it does not widen the view.
		got := prcCodes(t, env, tok, prcQuery("status", "draft", "status", "submitted"))
		want := []string{}
		for _, c := range sees[role] {
			if c[:3] == "DRA" || c[:3] == "SUB" {
				want = append(want, c)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s lists drafts and submitted %v, want %v", role, got, want)
		}
		// Search and facets see what the list sees.
		page := prcList(t, env, tok, prcQuery("q", "practica", "facets", "status", "page_size", "500"))
		if len(page.Items) != len(sees[role]) {
			t.Errorf("%s searches %d practices, want %d", role, len(page.Items), len(sees[role]))
		}
		var n int64
		for _, f := range page.Facets["status"] {
			n += f.Count
		}
		if n != int64(len(sees[role])) {
			t.Errorf("%s status facet %v", role, page.Facets["status"])
		}
		for _, code := range all {
			_, res := prcGet(t, env, tok, made[code])
			want := http.StatusNotFound
			if slices.Contains(sees[role], code) {
				want = http.StatusOK
			}
			if res.Status != want {
				t.Errorf("%s GET %s: %d, want %d", role, code, res.Status, want)
			}
		}
	}
	if got := prcList(t, env, tokens["viewer"], prcQuery("facets", "status")).Facets["status"]; !reflect.DeepEqual(got, []prcFacet{{"published", 2}}) {
		t.Errorf("viewer's status facet %v", got)
	}

	// Writing: editors and partners inside their subtree only; what a partner cannot see it
	// cannot touch either.
	before := env.Fingerprint(t)
	for _, role := range []string{"editor", "partner"} {
		tok := tokens[role]
		for name, inst := range map[string]any{"OUTSIDE": other.String(), "NONE": nil} {
			b := prcBody("NEW-" + name)
			if inst != nil {
				b["institution_id"] = inst
			}
			if res := prcPost(t, env, tok, b); res.Status != http.StatusForbidden {
				t.Errorf("%s creates %s: %d", role, name, res.Status)
			}
		}
		if res := prcPatch(t, env, tok, made["DRAFT-PIM"], map[string]any{"institution_id": other.String()}, nil); res.Status != http.StatusForbidden {
			t.Errorf("%s moves a practice out of its subtree: %d", role, res.Status)
		}
		if res := prcPatch(t, env, tok, made["DRAFT-PIM"], map[string]any{"institution_id": nil}, nil); res.Status != http.StatusForbidden {
			t.Errorf("%s drops the institution: %d", role, res.Status)
		}
	}
	apitest.Problem(t, prcPatch(t, env, tokens["editor"], made["DRAFT-OTHER"], map[string]any{"type": "data_system"}, nil), http.StatusForbidden)
	apitest.Problem(t, prcMove(t, env, tokens["editor"], made["DRAFT-OTHER"], "submitted", "", nil), http.StatusForbidden)
	apitest.Problem(t, prcDelete(t, env, tokens["editor"], made["DRAFT-OTHER"], nil), http.StatusForbidden)
	apitest.Problem(t, prcPatch(t, env, tokens["partner"], made["DRAFT-OTHER"], map[string]any{"type": "data_system"}, nil), http.StatusNotFound)
	apitest.Problem(t, prcMove(t, env, tokens["partner"], made["DRAFT-OTHER"], "submitted", "", nil), http.StatusNotFound)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/" + made["SUB-OTHER"] + "/transitions", Token: tokens["partner"]}), http.StatusNotFound)
	for _, role := range []string{"viewer"} {
		apitest.Problem(t, prcPost(t, env, tokens[role], prcBody("NEW-VIEWER")), http.StatusForbidden)
		apitest.Problem(t, prcPatch(t, env, tokens[role], made["PUB-NONE"], map[string]any{"type": "data_system"}, nil), http.StatusForbidden)
	}
	env.Unchanged(t, before)

	// A partner writes and submits its own institution's practice, and follows it through review.
	b := prcBody("NEW-PARTNER")
	b["institution_id"] = pim.String()
	mine := prcCreate(t, env, tokens["partner"], b)
	if res := prcPatch(t, env, tokens["partner"], mine.ID, map[string]any{"themes": []string{"returnees"}}, nil); res.Status != http.StatusOK {
		t.Errorf("partner edits its draft: %d %s", res.Status, res.Body)
	}
	prcMustMove(t, env, tokens["partner"], mine.ID, "submitted", "")
	apitest.Problem(t, prcMove(t, env, tokens["partner"], mine.ID, "validated", "", nil), http.StatusForbidden)
	prcMustMove(t, env, tokens["coordinator"], mine.ID, "draft", "Cite the law.")
	if p, res := prcGet(t, env, tokens["partner"], mine.ID); res.Status != http.StatusOK || prcDeref(p.ReviewComment) != "Cite the law." {
		t.Errorf("partner reads the review comment: %d %+v", res.Status, p)
	}
	// An editor inside the subtree writes a draft; and a viewer never sees it.
	b = prcBody("NEW-EDITOR")
	b["institution_id"] = asn.String()
	ed := prcCreate(t, env, tokens["editor"], b)
	if _, res := prcGet(t, env, tokens["viewer"], ed.ID); res.Status != http.StatusNotFound {
		t.Errorf("viewer GETs a draft: %d", res.Status)
	}
}
