package deliverables_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
)

// dlvTransition is a transition as the API renders it.
type dlvTransition struct {
	ID         string  `json:"id"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Comment    *string `json:"comment"`
	ReviewID   *string `json:"review_id"`
	Actor      string  `json:"actor"`
	OccurredAt string  `json:"occurred_at"`
}

func (w *dlvWorld) history(t *testing.T, id string) []dlvTransition {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + id + "/transitions", Token: w.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("history: %d %s", res.Status, res.Body)
	}
	var out struct {
		Items []dlvTransition `json:"items"`
	}
	res.Decode(t, &out)
	return out.Items
}

// dlvAllowed is the workflow: what each status may move to.
var dlvAllowed = map[string][]string{
	"planned":           {"in_progress"},
	"in_progress":       {"in_review"},
	"in_review":         {"approved", "changes_requested"},
	"changes_requested": {"in_progress", "in_review"},
	"approved":          {"published"},
	"published":         {},
}

var dlvStatuses = []string{"planned", "in_progress", "in_review", "changes_requested", "approved", "published"}

// Every move the workflow does not allow from a status is a 409 listing those it does, and
// writes nothing; every one it allows succeeds for an admin.
func TestDeliverableTransitionMatrix(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	for i, from := range dlvStatuses {
		d := w.inStatus(t, "DLV-M"+string(rune('A'+i)), w.asn, from)
		if d.Status != from {
			t.Fatalf("brought to %s, is %s", from, d.Status)
		}
		for _, to := range dlvStatuses {
			if slices.Contains(dlvAllowed[from], to) {
				continue
			}
			before := env.Fingerprint(t)
			p := apitest.Problem(t, w.move(t, w.admin, d.ID, map[string]any{"to": to, "comment": "why"}, nil), 409)
			allowed, ok := p["allowed"].([]any)
			var got []string
			for _, a := range allowed {
				got = append(got, a.(string))
			}
			if !ok || !slices.Equal(got, dlvAllowed[from]) && !(len(got) == 0 && len(dlvAllowed[from]) == 0) {
				t.Errorf("%s → %s: allowed %v, want %v", from, to, p["allowed"], dlvAllowed[from])
			}
			env.Unchanged(t, before)
		}
		for j, to := range dlvAllowed[from] {
			fresh := w.inStatus(t, "DLV-M"+string(rune('A'+i))+"-"+string(rune('A'+j)), w.asn, from)
			if got := w.moveOK(t, fresh.ID, to); got.Status != to || got.Version != fresh.Version+1 {
				t.Errorf("%s → %s: status %s, version %d", from, to, got.Status, got.Version)
			}
		}
	}
}

// Who may make which move: editors of the owner's subtree carry the work to review; only
// holders of deliverables:approve approve, request changes and publish.
func TestDeliverableTransitionPermissions(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	asnEditor := w.token(t, actor.Editor, &w.asn)
	pimEditor := w.token(t, actor.Editor, &w.pim)
	ssnEditor := w.token(t, actor.Editor, &w.ssn)
	coordinator := w.token(t, actor.Coordinator, nil)
	importer := w.token(t, actor.Importer, nil)
	// A coordinator whose token was issued without the approval scope.
	limited := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator},
		Scopes: []string{auth.ScopeDeliverablesRead, auth.ScopeDeliverablesWrite}})

	for _, c := range []struct {
		name, from, to, token string
		comment               bool
		status                int
	}{
		{"PIM editor starts PIM's work", "planned", "in_progress", pimEditor, false, 200},
		{"ASN editor starts work below ASN", "planned", "in_progress", asnEditor, false, 200},
		{"PIM editor submits for review", "in_progress", "in_review", pimEditor, false, 200},
		{"importer submits for review", "in_progress", "in_review", importer, false, 200},
		{"PIM editor resumes after changes", "changes_requested", "in_progress", pimEditor, false, 200},
		{"PIM editor resubmits after changes", "changes_requested", "in_review", pimEditor, false, 200},
		{"coordinator starts the work", "planned", "in_progress", coordinator, false, 200},
		{"coordinator approves", "in_review", "approved", coordinator, false, 200},
		{"coordinator requests changes", "in_review", "changes_requested", coordinator, true, 200},
		{"coordinator publishes", "approved", "published", coordinator, false, 200},
		{"SSN editor outside PIM's subtree", "planned", "in_progress", ssnEditor, false, 403},
		{"SSN editor resubmitting PIM's work", "changes_requested", "in_review", ssnEditor, false, 403},
		{"editor approves", "in_review", "approved", pimEditor, false, 403},
		{"editor requests changes", "in_review", "changes_requested", asnEditor, true, 403},
		{"editor publishes", "approved", "published", pimEditor, false, 403},
		{"importer approves", "in_review", "approved", importer, false, 403},
		{"coordinator without the approval scope", "in_review", "approved", limited, false, 403},
		{"coordinator without the approval scope publishes", "approved", "published", limited, false, 403},
		// Not allowed from the status is a 409 whoever asks.
		{"editor skips review", "in_progress", "approved", pimEditor, false, 409},
		{"editor reopens published work", "published", "in_progress", asnEditor, false, 409},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := w.inStatus(t, "DLV-P"+strings.ToUpper(uuid.NewString()[:8]), w.pim, c.from)
			body := map[string]any{"to": c.to}
			if c.comment {
				body["comment"] = "Chapter 3 lacks the PIM functions."
			}
			before := env.Fingerprint(t)
			res := w.move(t, c.token, d.ID, body, nil)
			if c.status != http.StatusOK {
				apitest.Problem(t, res, c.status)
				env.Unchanged(t, before)
				return
			}
			if res.Status != http.StatusOK {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
			var got dlvDeliverable
			res.Decode(t, &got)
			if got.Status != c.to || res.Header.Get("ETag") != `"`+itoa(got.Version)+`"` {
				t.Errorf("moved to %s with ETag %q (version %d)", got.Status, res.Header.Get("ETag"), got.Version)
			}
		})
	}

	// A viewer cannot write at all: the contract's scope refuses it.
	d := w.inStatus(t, "DLV-VIEW", w.pim, "planned")
	viewer := w.token(t, actor.Viewer, &w.pim)
	apitest.Problem(t, w.move(t, viewer, d.ID, map[string]any{"to": "in_progress"}, nil), 403)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Requests the workflow accepts but that are not complete are refused: changes requested
// without saying which, a review of another deliverable, a stale If-Match, an unknown
// deliverable, a malformed body.
func TestDeliverableTransitionBadInput(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	d := w.inStatus(t, "DLV-REVIEWED", w.asn, "in_review")
	other := w.inStatus(t, "DLV-OTHER", w.asn, "in_review")
	review := dlvReviewOK(t, w, other.ID, map[string]any{"verdict": "changes_requested", "comments": "Redo it."})

	for _, c := range []struct {
		name   string
		id     string
		body   map[string]any
		header map[string]string
		status int
		field  string
	}{
		{"changes without a comment", d.ID, map[string]any{"to": "changes_requested"}, nil, 422, "comment"},
		{"changes with an empty comment", d.ID, map[string]any{"to": "changes_requested", "comment": ""}, nil, 400, "body.comment"},
		{"another deliverable's review", d.ID, map[string]any{"to": "approved", "review_id": review.ID}, nil, 422, "review_id"},
		{"an unknown review", d.ID, map[string]any{"to": "approved", "review_id": uuid.NewString()}, nil, 422, "review_id"},
		{"a stale If-Match", d.ID, map[string]any{"to": "approved"}, map[string]string{"If-Match": `"1"`}, 412, ""},
		{"an unknown status", d.ID, map[string]any{"to": "finished"}, nil, 400, "body.to"},
		{"no status", d.ID, map[string]any{"comment": "x"}, nil, 400, "body.to"},
		{"an unknown field", d.ID, map[string]any{"to": "approved", "by": "me"}, nil, 400, "body"},
		{"an unknown deliverable", uuid.NewString(), map[string]any{"to": "approved"}, nil, 404, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			p := apitest.Problem(t, w.move(t, w.admin, c.id, c.body, c.header), c.status)
			if c.field != "" {
				dlvWantField(t, p, c.field)
			}
			env.Unchanged(t, before)
		})
	}

	// The current ETag is accepted.
	res := w.move(t, w.admin, d.ID, map[string]any{"to": "approved"}, map[string]string{"If-Match": `"` + itoa(d.Version) + `"`})
	if res.Status != http.StatusOK {
		t.Errorf("with the current ETag: %d %s", res.Status, res.Body)
	}
}

// The history lists every move, oldest first, with who made it, why and the review it acts on;
// each move is audited with the deliverable before and after.
func TestDeliverableTransitionHistory(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	d := w.deliverable(t, w.body("DLV-HISTORY", w.pim))
	editor := w.token(t, actor.Editor, &w.pim)
	coordinator := w.token(t, actor.Coordinator, nil)

	steps := []struct {
		token, to, comment string
		review             bool
	}{
		{editor, "in_progress", "", false},
		{editor, "in_review", "First full draft.", false},
		{coordinator, "changes_requested", "Chapter 3 lacks the PIM functions.", true},
		{editor, "in_review", "Chapter 3 completed.", false},
		{coordinator, "approved", "", true},
		{coordinator, "published", "Circulated.", false},
	}
	var reviews []string
	for _, st := range steps {
		body := map[string]any{"to": st.to}
		if st.comment != "" {
			body["comment"] = st.comment
		}
		if st.review {
			verdict := map[string]string{"changes_requested": "changes_requested", "approved": "approve"}[st.to]
			r := dlvReviewOK(t, w, d.ID, map[string]any{"verdict": verdict, "comments": "Review before " + st.to})
			body["review_id"] = r.ID
			reviews = append(reviews, r.ID)
		}
		if res := w.move(t, st.token, d.ID, body, nil); res.Status != http.StatusOK {
			t.Fatalf("→ %s: %d %s", st.to, res.Status, res.Body)
		}
	}

	h := w.history(t, d.ID)
	if len(h) != len(steps) {
		t.Fatalf("history of %d moves: %+v", len(h), h)
	}
	from := "planned"
	for i, st := range steps {
		got := h[i]
		if got.From != from || got.To != st.to || got.Actor == "" || got.OccurredAt == "" {
			t.Errorf("move %d: %+v", i, got)
		}
		if (st.comment == "") != (got.Comment == nil) || got.Comment != nil && *got.Comment != st.comment {
			t.Errorf("move %d comment %v, want %q", i, got.Comment, st.comment)
		}
		if st.review != (got.ReviewID != nil) {
			t.Errorf("move %d review %v", i, got.ReviewID)
		}
		if i > 0 && got.OccurredAt < h[i-1].OccurredAt {
			t.Errorf("history not oldest first: %s before %s", h[i-1].OccurredAt, got.OccurredAt)
		}
		from = st.to
	}
	if *h[2].ReviewID != reviews[0] || *h[4].ReviewID != reviews[1] {
		t.Errorf("reviews cited %v %v, want %v", *h[2].ReviewID, *h[4].ReviewID, reviews)
	}
	if h[0].Actor == h[2].Actor {
		t.Errorf("editor and coordinator recorded as the same actor %q", h[0].Actor)
	}

	moves := dlvEvents(t, env, d.ID, "deliverable.transition")
	if len(moves) != len(steps) {
		t.Fatalf("%d transitions audited", len(moves))
	}
	var before, after dlvDeliverable
	if err := json.Unmarshal(moves[2].Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(moves[2].After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Status != "in_review" || after.Status != "changes_requested" || after.Version != before.Version+1 {
		t.Errorf("audited move: %s v%d → %s v%d", before.Status, before.Version, after.Status, after.Version)
	}

	// An unknown deliverable has no history.
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + uuid.NewString() + "/transitions",
		Token: w.admin}), 404)
}

// dlvReview is a review as the API renders it.
type dlvReview struct {
	ID            string  `json:"id"`
	DeliverableID string  `json:"deliverable_id"`
	Reviewer      string  `json:"reviewer"`
	Verdict       string  `json:"verdict"`
	Comments      string  `json:"comments"`
	VersionID     *string `json:"version_id"`
	CreatedAt     string  `json:"created_at"`
}

func dlvReviewPost(t *testing.T, w *dlvWorld, token, id string, body map[string]any) apitest.Response {
	t.Helper()
	return w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + id + "/reviews", Token: token, Body: body})
}

func dlvReviewOK(t *testing.T, w *dlvWorld, id string, body map[string]any) dlvReview {
	t.Helper()
	res := dlvReviewPost(t, w, w.admin, id, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("review: %d %s", res.Status, res.Body)
	}
	var r dlvReview
	res.Decode(t, &r)
	return r
}

func TestReviewCreateAndList(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	d := w.inStatus(t, "DLV-REVIEWS", w.pim, "in_review")
	other := w.deliverable(t, w.body("DLV-ELSE", w.pim))
	v := w.uploadOK(t, d.ID, "draft.pdf", dlvPDF(300))
	otherVersion := w.uploadOK(t, other.ID, "other.pdf", dlvPDF(400))
	coordinator := w.token(t, actor.Coordinator, nil)

	res := dlvReviewPost(t, w, coordinator, d.ID, map[string]any{"verdict": "changes_requested",
		"comments": "Chapter 3 lacks the PIM functions.", "version_id": v.ID})
	if res.Status != http.StatusCreated {
		t.Fatalf("review: %d %s", res.Status, res.Body)
	}
	var first dlvReview
	res.Decode(t, &first)
	if first.DeliverableID != d.ID || first.Verdict != "changes_requested" || first.VersionID == nil || *first.VersionID != v.ID ||
		first.Comments != "Chapter 3 lacks the PIM functions." || first.Reviewer == "" || first.Reviewer == "admin" {
		t.Errorf("review %+v", first)
	}
	if loc := res.Header.Get("Location"); loc != "/v1/deliverables/"+d.ID+"/reviews" {
		t.Errorf("Location %q", loc)
	}
	second := dlvReviewOK(t, w, d.ID, map[string]any{"verdict": "comment", "comments": "Nice tables."})
	if second.VersionID != nil || second.Reviewer == first.Reviewer {
		t.Errorf("second review %+v (first by %s)", second, first.Reviewer)
	}
	// A review does not move the workflow by itself.
	if got, _ := w.get(t, d.ID); got.Status != "in_review" {
		t.Errorf("status after reviews: %s", got.Status)
	}

	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + d.ID + "/reviews", Token: w.token(t, actor.Viewer, nil)})
	var list struct {
		Items []dlvReview `json:"items"`
	}
	res.Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].ID != first.ID || list.Items[1].ID != second.ID {
		t.Errorf("reviews, oldest first: %+v", list.Items)
	}

	events := dlvEvents(t, env, first.ID)
	if len(events) != 1 || events[0].Action != "deliverable_review.create" || events[0].ResourceType != "deliverable_review" {
		t.Fatalf("review audited as %+v", events)
	}
	var audited dlvReview
	if err := json.Unmarshal(events[0].After, &audited); err != nil || audited.Comments != first.Comments {
		t.Errorf("audited review %s", events[0].After)
	}

	editorElsewhere := w.token(t, actor.Editor, &w.ssn)
	viewer := w.token(t, actor.Viewer, &w.pim)
	for _, c := range []struct {
		name   string
		token  string
		id     string
		body   map[string]any
		status int
		field  string
	}{
		{"another deliverable's version", w.admin, d.ID, map[string]any{"verdict": "approve", "comments": "ok", "version_id": otherVersion.ID}, 422, "version_id"},
		{"an unknown version", w.admin, d.ID, map[string]any{"verdict": "approve", "comments": "ok", "version_id": uuid.NewString()}, 422, "version_id"},
		{"an unknown verdict", w.admin, d.ID, map[string]any{"verdict": "maybe", "comments": "ok"}, 400, "body.verdict"},
		{"no comments", w.admin, d.ID, map[string]any{"verdict": "approve"}, 400, "body.comments"},
		{"empty comments", w.admin, d.ID, map[string]any{"verdict": "approve", "comments": ""}, 400, "body.comments"},
		{"a reviewer named by the caller", w.admin, d.ID, map[string]any{"verdict": "approve", "comments": "ok", "reviewer": "someone"}, 400, "body"},
		{"an editor outside the owner's subtree", editorElsewhere, d.ID, map[string]any{"verdict": "approve", "comments": "ok"}, 403, ""},
		{"a viewer", viewer, d.ID, map[string]any{"verdict": "approve", "comments": "ok"}, 403, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			p := apitest.Problem(t, dlvReviewPost(t, w, c.token, c.id, c.body), c.status)
			if c.field != "" {
				dlvWantField(t, p, c.field)
			}
			env.Unchanged(t, before)
		})
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + uuid.NewString() + "/reviews",
		Token: w.admin}), 404)
	// Reviewing an unknown deliverable is a 404 too, which the contract does not list for this
	// operation yet, so this request bypasses the contract check.
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/v1/deliverables/"+uuid.NewString()+"/reviews",
		strings.NewReader(`{"verdict": "approve", "comments": "ok"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.admin)
	req.Header.Set("Content-Type", "application/json")
	if res, err := env.Server.Client().Do(req); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("review of an unknown deliverable: %v %v", res, err)
	} else {
		_ = res.Body.Close()
	}

	// The same Idempotency-Key and body give the first review back, not a second one.
	key := map[string]string{"Idempotency-Key": uuid.NewString()}
	body := map[string]any{"verdict": "comment", "comments": "Once."}
	a := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + d.ID + "/reviews", Token: w.admin, Body: body, Header: key})
	b := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + d.ID + "/reviews", Token: w.admin, Body: body, Header: key})
	if a.Status != 201 || b.Status != 201 || a.JSON(t)["id"] != b.JSON(t)["id"] {
		t.Errorf("idempotent review: %d %d %s %s", a.Status, b.Status, a.Body, b.Body)
	}
}
