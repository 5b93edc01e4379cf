package institutions_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
)

// Two institutions moved under each other at the same time: one move wins, the other is the
// cycle it would close (422) — never a deadlock (500), never a cycle.
func TestConcurrentOppositeMoves(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	for round := range 4 {
		a := create(t, env, admin, body("A-"+itoa(int64(round)), "agency", nil))
		b := create(t, env, admin, body("B-"+itoa(int64(round)), "agency", nil))
		res := make([]apitest.Response, 2)
		var wg sync.WaitGroup
		wg.Go(func() { res[0] = patch(env, t, admin, a.ID, map[string]any{"parent_id": b.ID}, nil) })
		wg.Go(func() { res[1] = patch(env, t, admin, b.ID, map[string]any{"parent_id": a.ID}, nil) })
		wg.Wait()
		ok, cycle := 0, 0
		for _, r := range res {
			switch r.Status {
			case http.StatusOK:
				ok++
			case http.StatusUnprocessableEntity:
				cycle++
				wantField(t, apitest.Problem(t, r, http.StatusUnprocessableEntity), "parent_id")
			default:
				t.Errorf("round %d: %d %s", round, r.Status, r.Body)
			}
		}
		if ok != 1 || cycle != 1 {
			t.Errorf("round %d: %d moves and %d refusals, want one of each", round, ok, cycle)
		}
		if n := env.Count(t, "institutions", "id IN (?, ?) AND parent_id IS NOT NULL", a.ID, b.ID); n != 1 {
			t.Errorf("round %d: %d of the two have a parent, want exactly 1", round, n)
		}
	}
}

// Writers racing on one ETag: exactly one wins, the others get 412.
func TestConcurrentPatchSameETag(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	i := create(t, env, admin, body("PE-MRE", "ministry", nil))
	const n = 5
	res := make([]apitest.Response, n)
	var wg sync.WaitGroup
	for k := range n {
		wg.Go(func() {
			res[k] = patch(env, t, admin, i.ID, map[string]any{"acronym": "W" + itoa(int64(k))}, map[string]string{"If-Match": `"1"`})
		})
	}
	wg.Wait()
	won := -1
	for k, r := range res {
		switch r.Status {
		case http.StatusOK:
			if won >= 0 {
				t.Errorf("writers %d and %d both won", won, k)
			}
			won = k
		case http.StatusPreconditionFailed:
		default:
			t.Errorf("writer %d: %d %s", k, r.Status, r.Body)
		}
	}
	if won < 0 {
		t.Fatal("no writer won")
	}
	if r := stored(t, env, i.ID); r.Version != 2 || deref(r.Acronym) != "W"+itoa(int64(won)) {
		t.Errorf("stored %+v, want version 2 with the winner's acronym", r)
	}
	if c := len(auditEvents(t, env, i.ID, "institution.update")); c != 1 {
		t.Errorf("%d update events, want 1", c)
	}
}

// Archiving a parent while a child is being created under it: either the archive sees the
// child (409) or the create sees the archived parent (422) — never an active child under an
// archived parent. A transaction of the test's own holds the parent's row so that the archive
// is under way when the create starts.
func TestArchiveRacesCreateChild(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	parent := create(t, env, admin, body("PE-MRE", "ministry", nil))

	_, tx, err := env.DB.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Exec(`SELECT id FROM institutions WHERE id = ? FOR UPDATE`, parent.ID).Error; err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	var archive, child apitest.Response
	var wg sync.WaitGroup
	wg.Go(func() {
		archive = env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/institutions/" + parent.ID, Token: admin})
	})
	waitForLockWaiters(t, env, 1)
	wg.Go(func() {
		child = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: admin, Body: body("PE-MRE-CHILD", "directorate", &parent)})
	})
	waitForLockWaiters(t, env, 2)
	tx.Rollback()
	wg.Wait()

	switch {
	case archive.Status == http.StatusNoContent && child.Status == http.StatusUnprocessableEntity:
		wantField(t, apitest.Problem(t, child, http.StatusUnprocessableEntity), "parent_id")
	case archive.Status == http.StatusConflict && child.Status == http.StatusCreated:
	default:
		t.Errorf("archive %d, create child %d %s", archive.Status, child.Status, child.Body)
	}
	if n := env.Count(t, "institutions",
		"archived_at IS NULL AND parent_id IN (SELECT id FROM institutions WHERE archived_at IS NOT NULL)"); n != 0 {
		t.Errorf("%d active institutions under an archived parent", n)
	}
}

// waitForLockWaiters waits until n backends of the test's database wait on a lock.
func waitForLockWaiters(t *testing.T, env *apitest.Env, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int64
		if err := env.DB.Conn(context.Background()).Raw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d backends wait on a lock, want %d", waiting, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
