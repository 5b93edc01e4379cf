package agreements_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/etag"
)

func TestAgreementTransitions(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mininter := agrUnit(t, env, "PE-MININTER", nil)
	mig := agrUnit(t, env, "PE-MININTER-MIGRACIONES", &mininter)
	gtim := agrUnit(t, env, "PE-MININTER-MIGRACIONES-GTIM", &mig)
	mre := agrUnit(t, env, "PE-MRE", nil)
	plenary := agrBody(t, env, "PE-MTIGM-PLENO", nil)
	a := agrCreate(t, env, admin, agrWith(agrBodyOf("MTIGM-05-01", plenary, mig), map[string]any{"due_on": agrDay(-10)}))
	path := "/v1/agreements/" + a.ID
	today := time.Now().UTC().Format(time.DateOnly)

	// MIGRACIONES' editor starts it, with a note and the current ETag.
	editor := agrToken(t, env, actor.Editor, &mig)
	res := agrMove(t, env, editor, a.ID, "in_progress", new("Borrador en revisión"), map[string]string{"If-Match": etag.Of(1)}, http.StatusCreated)
	var moved agrAgreement
	res.Decode(t, &moved)
	if res.Header.Get("ETag") != etag.Of(2) || moved.Version != 2 || moved.Status != "overdue" || !moved.Overdue ||
		agrDeref(moved.OverdueDays) != 10 || moved.DoneOn != nil || env.Count(t, "agreements", "id = ? AND status = 'in_progress'", a.ID) != 1 {
		t.Errorf("moved to in_progress: %+v (ETag %s)", moved, res.Header.Get("ETag"))
	}

	// Refusals write nothing: a stale ETag, the state it is in (409 listing the moves it can
	// make), an unknown state, callers not responsible for it.
	before := env.Fingerprint(t)
	apitest.Problem(t, agrMove(t, env, admin, a.ID, "done", nil, map[string]string{"If-Match": etag.Of(1)}, 412), 412)
	p := apitest.Problem(t, agrMove(t, env, admin, a.ID, "in_progress", nil, nil, 409), 409)
	if allowed, _ := p["allowed"].([]any); len(allowed) != 2 || allowed[0] != "pending" || allowed[1] != "done" {
		t.Errorf("409 allowed: %v", p["allowed"])
	}
	apitest.Problem(t, agrMove(t, env, admin, a.ID, "overdue", nil, nil, 400), 400)
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, path+"/transitions", map[string]any{"to": "done", "note": ""}, nil), 400)
	apitest.Problem(t, env.Send(t, http.MethodPost, admin, path+"/transitions", map[string]any{"to": "done", "by": "x"}, nil), 400)
	for name, tok := range map[string]string{
		"editor of another institution":  agrToken(t, env, actor.Editor, &mre),
		"partner of another institution": agrToken(t, env, actor.Partner, &mre),
		"editor of a unit below it":      agrToken(t, env, actor.Editor, &gtim),
		"editor with no institution":     agrToken(t, env, actor.Editor, nil),
		"viewer":                         agrToken(t, env, actor.Viewer, nil),
	} {
		if res := env.Send(t, http.MethodPost, tok, path+"/transitions", map[string]any{"to": "done"}, nil); res.Status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, res.Status)
		}
	}
	env.Unchanged(t, before)

	// A partner of the ministry MIGRACIONES belongs to finishes it: done today, no longer overdue.
	res = agrMove(t, env, agrToken(t, env, actor.Partner, &mininter), a.ID, "done", new("Protocolo aprobado"), nil, http.StatusCreated)
	res.Decode(t, &moved)
	if moved.Status != "done" || moved.Overdue || moved.OverdueDays != nil || agrDeref(moved.DoneOn) != today || moved.Version != 3 {
		t.Errorf("moved to done: %+v", moved)
	}
	// A coordinator reopens it: back to pending, the day it was done cleared.
	res = agrMove(t, env, agrToken(t, env, actor.Coordinator, nil), a.ID, "pending", nil, nil, http.StatusCreated)
	res.Decode(t, &moved)
	if moved.Status != "overdue" || moved.DoneOn != nil || env.Count(t, "agreements", "id = ? AND status = 'pending' AND done_on IS NULL", a.ID) != 1 {
		t.Errorf("reopened: %+v", moved)
	}
	// An importer moves it too.
	agrMove(t, env, agrToken(t, env, actor.Importer, nil), a.ID, "in_progress", nil, nil, http.StatusCreated)

	// The history, oldest first, says who moved it and why; every move is audited.
	var hist struct {
		Items []agrTransition `json:"items"`
	}
	res = env.Send(t, http.MethodGet, editor, path+"/transitions", nil, nil)
	res.Decode(t, &hist)
	var steps []string
	for _, h := range hist.Items {
		steps = append(steps, h.From+">"+h.To)
		if h.AgreementID != a.ID || h.By == "" || h.At == "" {
			t.Errorf("history item %+v", h)
		}
	}
	if !slices.Equal(steps, []string{"pending>in_progress", "in_progress>done", "done>pending", "pending>in_progress"}) ||
		agrDeref(hist.Items[0].Note) != "Borrador en revisión" || agrDeref(hist.Items[1].Note) != "Protocolo aprobado" ||
		hist.Items[2].Note != nil || !slices.IsSortedFunc(hist.Items, func(x, y agrTransition) int {
		tx, _ := time.Parse(time.RFC3339Nano, x.At)
		ty, _ := time.Parse(time.RFC3339Nano, y.At)
		return tx.Compare(ty)
	}) || hist.Items[0].By == hist.Items[1].By {
		t.Errorf("history: %+v", hist.Items)
	}
	evs := env.AuditEvents(t, a.ID)
	actions := apitest.Actions(evs)
	if !slices.Equal(actions, []string{"agreement.create", "agreement.transition", "agreement.transition", "agreement.transition",
		"agreement.transition"}) {
		t.Fatalf("audit: %v", actions)
	}
	var snap map[string]any
	if err := json.Unmarshal(evs[2].After, &snap); err != nil {
		t.Fatal(err)
	}
	if snap["status"] != "done" || snap["done_on"] != today {
		t.Errorf("transition snapshot: %v", snap)
	}

	// Several responsible institutions: an editor of any of them moves it.
	shared := agrCreate(t, env, admin, agrBodyOf("MTIGM-05-02", plenary, mre, gtim))
	agrMove(t, env, agrToken(t, env, actor.Editor, &mig), shared.ID, "done", nil, nil, http.StatusCreated)
	agrMove(t, env, agrToken(t, env, actor.Editor, &mre), shared.ID, "in_progress", nil, nil, http.StatusCreated)
}
