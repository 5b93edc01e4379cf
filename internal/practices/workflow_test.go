package practices_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// prcAllowed asserts that res is a 409 whose "allowed" member lists want.
func prcAllowed(t *testing.T, res apitest.Response, want ...string) {
	t.Helper()
	p := apitest.Problem(t, res, http.StatusConflict)
	raw, _ := p["allowed"].([]any)
	got := []string{}
	for _, v := range raw {
		s, _ := v.(string)
		got = append(got, s)
	}
	if !slices.Equal(got, want) {
		t.Errorf("allowed %v, want %v (%s)", got, want, res.Body)
	}
}

type prcHistory struct {
	Items []struct {
		From       string  `json:"from"`
		To         string  `json:"to"`
		Comment    *string `json:"comment"`
		Actor      string  `json:"actor"`
		OccurredAt string  `json:"occurred_at"`
	} `json:"items"`
}

func TestPracticeWorkflow(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	mre := prcInstitution(t, env, "PE-MRE", nil)
	asn := prcInstitution(t, env, "PE-MRE-ASN", &mre)
	other := prcInstitution(t, env, "PE-MININTER", nil)
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &mre})
	outsider := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &other})
	importer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	coordinator := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	admin := env.AdminToken(t)

	body := prcBody("PE-PRACTICE")
	body["institution_id"] = asn.String()
	p := prcCreate(t, env, editor, body)
	id := p.ID
	if p.Status != "draft" {
		t.Fatalf("new practice is %s", p.Status)
	}
	refuse := func(token, to, comment string, status int, allowed ...string) {
		t.Helper()
		before := env.Fingerprint(t)
		res := prcMove(t, env, token, id, to, comment, nil)
		if status == http.StatusConflict {
			prcAllowed(t, res, allowed...)
		} else {
			apitest.Problem(t, res, status)
		}
		env.Unchanged(t, before)
	}

	// draft: only submission, by a writer of the practice.
	refuse(editor, "validated", "", http.StatusConflict, "submitted")
	refuse(admin, "published", "", http.StatusConflict, "submitted")
	refuse(editor, "draft", "", http.StatusConflict, "submitted")
	refuse(outsider, "submitted", "", http.StatusForbidden)
	got := prcMustMove(t, env, editor, id, "submitted", "Lista para revisión")
	if got.Status != "submitted" || got.Version != 2 || got.ReviewComment != nil {
		t.Errorf("submitted: %+v", got)
	}

	// submitted: writers who cannot review neither edit nor move it; reviewers validate or send back.
	before := env.Fingerprint(t)
	apitest.Problem(t, prcPatch(t, env, editor, id, map[string]any{"type": "data_system"}, nil), http.StatusForbidden)
	apitest.Problem(t, prcDelete(t, env, editor, id, nil), http.StatusForbidden)
	env.Unchanged(t, before)
	refuse(editor, "validated", "", http.StatusForbidden)
	refuse(importer, "validated", "", http.StatusForbidden)
	refuse(editor, "draft", "Please fix", http.StatusForbidden)
	refuse(coordinator, "published", "", http.StatusConflict, "validated", "draft")
	refuse(coordinator, "submitted", "", http.StatusConflict, "validated", "draft")
	refuse(coordinator, "draft", "", http.StatusUnprocessableEntity)
	got = prcMustMove(t, env, coordinator, id, "draft", "Add the sources of the outcome figures.")
	if got.Status != "draft" || prcDeref(got.ReviewComment) != "Add the sources of the outcome figures." {
		t.Errorf("sent back: %+v", got)
	}
	// The authors edit the draft (the comment stays until they submit again).
	res := prcPatch(t, env, editor, id, map[string]any{"sources": []map[string]any{{"citation": "MGI Peru 2019"}}}, nil)
	if res.Status != http.StatusOK || res.JSON(t)["review_comment"] != "Add the sources of the outcome figures." {
		t.Errorf("edit after send-back: %d %s", res.Status, res.Body)
	}
	got = prcMustMove(t, env, importer, id, "submitted", "")
	if got.ReviewComment != nil {
		t.Errorf("resubmission keeps the review comment: %+v", got)
	}

	// validated: published or sent back, by reviewers.
	got = prcMustMove(t, env, coordinator, id, "validated", "")
	if got.Status != "validated" {
		t.Errorf("validated: %+v", got)
	}
	refuse(coordinator, "submitted", "", http.StatusConflict, "published", "draft")
	refuse(editor, "published", "", http.StatusForbidden)
	refuse(admin, "draft", "", http.StatusUnprocessableEntity)
	got = prcMustMove(t, env, admin, id, "draft", "Transferability needs a rationale.")
	if got.Status != "draft" || prcDeref(got.ReviewComment) != "Transferability needs a rationale." {
		t.Errorf("sent back from validated: %+v", got)
	}
	prcMustMove(t, env, editor, id, "submitted", "")
	prcMustMove(t, env, coordinator, id, "validated", "")
	// If-Match makes a transition conditional.
	refuse(coordinator, "validated", "", http.StatusConflict, "published", "draft")
	apitest.Problem(t, prcMove(t, env, coordinator, id, "published", "", map[string]string{"If-Match": `"2"`}), http.StatusPreconditionFailed)
	current, _ := prcGet(t, env, admin, id)
	res = prcMove(t, env, coordinator, id, "published", "", map[string]string{"If-Match": `"` + strconv.FormatInt(current.Version, 10) + `"`})
	if res.Status != http.StatusOK || res.Header.Get("ETag") != `"`+strconv.FormatInt(current.Version+1, 10)+`"` {
		t.Fatalf("publish: %d %s", res.Status, res.Body)
	}

	// published: only withdrawn, by reviewers; reviewers may correct it in place.
	refuse(coordinator, "validated", "", http.StatusConflict, "draft")
	refuse(coordinator, "published", "", http.StatusConflict, "draft")
	refuse(editor, "draft", "", http.StatusForbidden)
	before = env.Fingerprint(t)
	apitest.Problem(t, prcPatch(t, env, editor, id, map[string]any{"type": "data_system"}, nil), http.StatusForbidden)
	apitest.Problem(t, prcDelete(t, env, editor, id, nil), http.StatusForbidden)
	env.Unchanged(t, before)
	res = prcPatch(t, env, coordinator, id, map[string]any{"themes": []string{"coordination"}}, nil)
	if res.Status != http.StatusOK || res.JSON(t)["status"] != "published" {
		t.Errorf("reviewer's correction: %d %s", res.Status, res.Body)
	}
	got = prcMustMove(t, env, admin, id, "draft", "")
	if got.Status != "draft" || got.ReviewComment != nil {
		t.Errorf("withdrawn: %+v", got)
	}

	// The history, oldest first, matches the audit trail transition by transition.
	want := [][3]string{
		{"draft", "submitted", "Lista para revisión"},
		{"submitted", "draft", "Add the sources of the outcome figures."},
		{"draft", "submitted", ""},
		{"submitted", "validated", ""},
		{"validated", "draft", "Transferability needs a rationale."},
		{"draft", "submitted", ""},
		{"submitted", "validated", ""},
		{"validated", "published", ""},
		{"published", "draft", ""},
	}
	hres := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/" + id + "/transitions", Token: editor})
	if hres.Status != http.StatusOK {
		t.Fatalf("history: %d %s", hres.Status, hres.Body)
	}
	var h prcHistory
	hres.Decode(t, &h)
	var moves []prcEvent
	for _, ev := range prcEvents(t, env, id) {
		if ev.Action == "practice.transition" {
			moves = append(moves, ev)
		}
	}
	if len(h.Items) != len(want) || len(moves) != len(want) {
		t.Fatalf("history has %d transitions, audit %d, want %d: %s", len(h.Items), len(moves), len(want), hres.Body)
	}
	for i, w := range want {
		it := h.Items[i]
		if it.From != w[0] || it.To != w[1] || (w[2] == "" && it.Comment != nil) || (w[2] != "" && prcDeref(it.Comment) != w[2]) {
			t.Errorf("history %d: %+v, want %v", i, it, w)
		}
		if i > 0 && it.OccurredAt < h.Items[i-1].OccurredAt {
			t.Errorf("history not oldest first at %d", i)
		}
		var b, a prcPractice
		if json.Unmarshal(moves[i].Before, &b) != nil || json.Unmarshal(moves[i].After, &a) != nil ||
			b.Status != w[0] || a.Status != w[1] || a.Version != b.Version+1 || prcDeref(moves[i].ActorLabel) != it.Actor {
			t.Errorf("audit event %d: before %s after %s actor %s, history actor %s", i, b.Status, a.Status, prcDeref(moves[i].ActorLabel), it.Actor)
		}
	}
	if n := env.Count(t, "practice_transitions", "practice_id = ?", id); n != int64(len(want)) {
		t.Errorf("%d transition rows", n)
	}
	// Viewers have no practices:write, so no history.
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/practices/" + id + "/transitions", Token: viewer}), http.StatusForbidden)
	apitest.Problem(t, prcMove(t, env, viewer, id, "submitted", "", nil), http.StatusForbidden)
}
