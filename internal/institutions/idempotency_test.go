package institutions_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func post(env *apitest.Env, t *testing.T, token, key string, b any) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: token, Body: b,
		Header: map[string]string{"Idempotency-Key": key}})
}

func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	caller := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	b := body("PE-IDEM", "agency", nil)

	first := post(env, t, caller, "key-1", b)
	if first.Status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.Status, first.Body)
	}
	if first.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("the first answer says it is a replay")
	}
	var created inst
	first.Decode(t, &created)

	// The retry replays the stored answer and writes nothing.
	before := env.Fingerprint(t)
	again := post(env, t, caller, "key-1", b)
	if again.Status != http.StatusCreated || !bytes.Equal(again.Body, first.Body) {
		t.Errorf("replay: %d %s\nwant 201 %s", again.Status, again.Body, first.Body)
	}
	for _, h := range []string{"Location", "ETag", "Content-Type"} {
		if again.Header.Get(h) != first.Header.Get(h) {
			t.Errorf("replayed %s %q, first %q", h, again.Header.Get(h), first.Header.Get(h))
		}
	}
	if again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("Idempotent-Replayed %q, want true", again.Header.Get("Idempotent-Replayed"))
	}
	env.Unchanged(t, before)
	if n := env.Count(t, "institutions", "code = 'PE-IDEM'"); n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
	if n := len(auditEvents(t, env, created.ID, "institution.create")); n != 1 {
		t.Errorf("%d create events, want 1", n)
	}
	if n := env.Count(t, "idempotency_keys", "key = 'key-1' AND status = 201"); n != 1 {
		t.Errorf("%d stored answers for key-1, want 1", n)
	}

	// The same key with another body is refused, and writes nothing.
	other := body("PE-IDEM-OTHER", "agency", nil)
	res := post(env, t, caller, "key-1", other)
	wantField(t, apitest.Problem(t, res, http.StatusUnprocessableEntity), "header.Idempotency-Key")
	env.Unchanged(t, before)

	// Another caller's key of the same name is theirs alone: the same body is not a replay of
	// the first caller's answer but a new create (a duplicate code), and another body creates.
	stranger := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	res = post(env, t, stranger, "key-1", b)
	if fs := fieldsOf(t, apitest.Problem(t, res, http.StatusConflict)); len(fs) == 0 || fs[0] != "code" {
		t.Errorf("stranger, same body: fields %v", fs)
	}
	if res.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("the stranger got the first caller's answer")
	}
	env.Unchanged(t, before)
	res = post(env, t, stranger, "key-1", other)
	if res.Status != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("stranger, other body: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "institutions", "code = 'PE-IDEM-OTHER'"); n != 1 {
		t.Errorf("stranger's institution: %d rows", n)
	}
	if n := env.Count(t, "idempotency_keys", "key = 'key-1'"); n != 2 {
		t.Errorf("%d stored answers for key-1, want one per caller", n)
	}

	// The key belongs to a method and path too: key-1 on a restore is refused.
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions/" + created.ID + "/restore", Token: caller,
		Header: map[string]string{"Idempotency-Key": "key-1"}})
	apitest.Problem(t, res, http.StatusUnprocessableEntity)

	// Without a key, the same body is just a duplicate.
	res = env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: caller, Body: b})
	apitest.Problem(t, res, http.StatusConflict)
}

func TestIdempotentCreateConcurrent(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	caller := env.AdminToken(t)
	b := body("PE-RACE", "agency", nil)

	const n = 4
	results := make([]apitest.Response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i] = post(env, t, caller, "race-key", b)
		})
	}
	close(start)
	wg.Wait()

	var id string
	replays := 0
	for i, res := range results {
		if res.Status != http.StatusCreated {
			t.Fatalf("request %d: %d %s", i, res.Status, res.Body)
		}
		var got inst
		res.Decode(t, &got)
		if id == "" {
			id = got.ID
		} else if got.ID != id {
			t.Errorf("request %d created %s, another %s", i, got.ID, id)
		}
		if res.Header.Get("Idempotent-Replayed") == "true" {
			replays++
		}
	}
	if replays != n-1 {
		t.Errorf("%d replays, want %d", replays, n-1)
	}
	if c := env.Count(t, "institutions", "code = 'PE-RACE'"); c != 1 {
		t.Errorf("%d rows, want 1", c)
	}
	if c := len(auditEvents(t, env, id, "institution.create")); c != 1 {
		t.Errorf("%d create events, want 1", c)
	}
}

// A request that fails does not claim its key: retried, it runs again.
func TestIdempotencyKeyNotStoredOnFailure(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	caller := env.AdminToken(t)
	create(t, env, caller, body("PE-TAKEN", "agency", nil))
	b := body("PE-TAKEN", "agency", nil)

	before := env.Fingerprint(t)
	for attempt := range 2 {
		res := post(env, t, caller, "retry-key", b)
		if fs := fieldsOf(t, apitest.Problem(t, res, http.StatusConflict)); len(fs) == 0 || fs[0] != "code" {
			t.Errorf("attempt %d: fields %v", attempt, fs)
		}
		if res.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("attempt %d: a failure was replayed", attempt)
		}
		env.Unchanged(t, before)
	}
	if n := env.Count(t, "idempotency_keys", "key = 'retry-key'"); n != 0 {
		t.Fatalf("a failed request stored its key")
	}
	// A domain-rule failure (422) does not claim the key either.
	bad := body("PE-ORPHAN", "agency", nil)
	bad["parent_id"] = "0192f0c8-7c2d-7a1b-9f3e-1b2c3d4e5f60"
	res := post(env, t, caller, "retry-key-2", bad)
	apitest.Problem(t, res, http.StatusUnprocessableEntity)
	env.Unchanged(t, before)

	// Fixed, the body is another request; with the same key it now succeeds, once.
	fixed := body("PE-FREE", "agency", nil)
	res = post(env, t, caller, "retry-key", fixed)
	if res.Status != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("fixed body: %d %s", res.Status, res.Body)
	}
	res = post(env, t, caller, "retry-key", fixed)
	if res.Status != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("fixed body retried: %d %s", res.Status, res.Body)
	}
	if n := env.Count(t, "institutions", "code = 'PE-FREE'"); n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
}
