package imports_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/stocktake"
)

// The import job: validate mode, idempotency, polling, visibility, listing, cancelling, the
// sweep of jobs whose runner died, who may import what, and the audit trail.

func TestJobValidateWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	wantSucceeded(t, f.run(t, upload{ContentType: ndjsonType, Body: f.ndjson(10, num)}), 10, 0, 0, true)

	// Rows 0-2 change, 3-9 are the same, 10-14 are new.
	body := f.ndjson(15, func(i int) string {
		if i < 3 {
			return num(1000 + i)
		}
		return num(i)
	})
	before := f.env.Fingerprint(t)
	j := f.run(t, upload{Query: "mode=validate", ContentType: ndjsonType, Body: body})
	wantSucceeded(t, j, 5, 3, 7, false)
	if j.Mode != "validate" || j.RowsRead != 15 {
		t.Fatalf("mode %q, rows_read %d", j.Mode, j.RowsRead)
	}
	f.env.UnchangedExcept(t, before, "import_jobs") // no rows, no audit event

	// A refused row is reported as a commit would report it; a dry run still writes nothing.
	bad := body + f.obsRow(15, `"abc"`) + "\n"
	j = f.run(t, upload{Query: "mode=validate&atomic=all", ContentType: ndjsonType, Body: bad})
	wantErrors(t, j, rowErr{16, "value", "number"})
	if r := j.Report; r.Created != 5 || r.Updated != 3 || r.Unchanged != 7 || r.Failed != 1 || r.Committed {
		t.Fatalf("validate with a bad row: %s", j.Report.Counts())
	}
	f.env.UnchangedExcept(t, before, "import_jobs")

	// The commit does what the dry run said.
	j = f.run(t, upload{ContentType: ndjsonType, Body: body})
	wantSucceeded(t, j, 5, 3, 7, true)
	if n := f.observations(t); n != 15 {
		t.Fatalf("%d observations after the commit", n)
	}
}

func TestJobIdempotencyKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	key := map[string]string{"Idempotency-Key": "load-" + uuid.NewString()}
	body := f.ndjson(5, num)

	first := f.send(t, upload{ContentType: ndjsonType, Body: body, Header: key})
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q %s", first.Status, first.Header.Get("Idempotent-Replayed"), first.Body)
	}
	var j1 apitest.ImportJob
	first.Decode(t, &j1)
	wantSucceeded(t, j1, 5, 0, 0, true)

	again := f.send(t, upload{ContentType: ndjsonType, Body: body, Header: key})
	var j2 apitest.ImportJob
	again.Decode(t, &j2)
	if again.Status != http.StatusCreated || again.Header.Get("Idempotent-Replayed") != "true" || j2.ID != j1.ID ||
		again.Header.Get("Location") != "/v1/imports/"+j1.ID {
		t.Fatalf("replay: %d replayed=%q id %s (first %s), Location %q", again.Status, again.Header.Get("Idempotent-Replayed"), j2.ID, j1.ID, again.Header.Get("Location"))
	}
	wantSucceeded(t, j2, 5, 0, 0, true) // the first job's report, not a second import's (unchanged 5)
	if n := f.observations(t); n != 5 {
		t.Fatalf("%d observations", n)
	}
	if n := f.env.Count(t, "import_jobs", "true"); n != 1 {
		t.Fatalf("%d import jobs: the replay imported again", n)
	}
	if n := f.env.Count(t, "audit_events", "action = 'import.commit'"); n != 1 {
		t.Fatalf("%d audit events", n)
	}

	// The same key with another body, or the same body with other options: 422, nothing written.
	f.rejectedRequest(t, upload{ContentType: ndjsonType, Body: f.ndjson(6, num), Header: key}, http.StatusUnprocessableEntity,
		"this Idempotency-Key was used with another body or other options")
	for _, q := range []string{"atomic=all", "mode=validate", "max_errors=7"} {
		f.rejectedRequest(t, upload{Query: q, ContentType: ndjsonType, Body: body, Header: key}, http.StatusUnprocessableEntity,
			"Idempotency-Key")
	}
	f.rejectedRequest(t, upload{ContentType: csvType, Body: body, Header: key}, http.StatusUnprocessableEntity, "Idempotency-Key")

	// Keys are the caller's own: another caller's identical key starts its own job.
	other := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	j3 := f.run(t, upload{ContentType: ndjsonType, Body: body, Header: key, Token: other})
	if j3.ID == j1.ID {
		t.Fatal("another caller's key replayed the first caller's job")
	}
	wantSucceeded(t, j3, 0, 0, 5, true)
}

func TestJobAcceptedThenPoll(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 2000 // 40 batches: still running when the answer is sent
	res := f.send(t, upload{ContentType: ndjsonType, Body: f.ndjson(n, num), NoWait: true})
	if res.Status != http.StatusAccepted {
		t.Fatalf("without Prefer: wait, %d, want 202: %s", res.Status, res.Body)
	}
	var j apitest.ImportJob
	res.Decode(t, &j)
	if res.Header.Get("Location") != "/v1/imports/"+j.ID || (j.Status != "queued" && j.Status != "running") || j.FinishedAt != nil {
		t.Fatalf("202: Location %q, job %s finished_at %v", res.Header.Get("Location"), j.Status, j.FinishedAt)
	}
	j = f.waitFinal(t, f.admin, j.ID)
	wantSucceeded(t, j, n, 0, 0, true)
	if j.RowsRead != n || j.BytesRead != j.BodyBytes || j.StartedAt == nil || j.FinishedAt == nil || j.FinishedAt.Before(*j.StartedAt) {
		t.Fatalf("progress: rows_read %d, bytes_read %d of %d, started %v, finished %v", j.RowsRead, j.BytesRead, j.BodyBytes, j.StartedAt, j.FinishedAt)
	}
	if got := f.observations(t); got != n {
		t.Fatalf("%d observations", got)
	}
}

func TestJobOwnership(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	owner := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	stranger := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	coordinator := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})
	j := f.run(t, upload{ContentType: ndjsonType, Body: f.ndjson(3, num), Token: owner})

	for name, tok := range map[string]string{"owner": owner, "coordinator": coordinator, "admin": f.admin} {
		if status, got := f.getJob(t, tok, j.ID); status != http.StatusOK || got.ID != j.ID || got.Report.Created != 3 {
			t.Fatalf("%s: GET %d %+v", name, status, got)
		}
	}
	res := f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/imports/" + j.ID, Token: stranger})
	apitest.Problem(t, res, http.StatusNotFound)
	apitest.Problem(t, f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/imports/" + uuid.NewString(), Token: owner}), http.StatusNotFound)

	// Another caller cannot cancel it either; its owner cannot cancel it once it has finished.
	before := f.env.Fingerprint(t)
	apitest.Problem(t, f.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/imports/" + j.ID, Token: stranger}), http.StatusNotFound)
	p := apitest.Problem(t, f.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/imports/" + j.ID, Token: owner}), http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, "already finished (succeeded)") {
		t.Fatalf("409 detail %q", d)
	}
	f.env.Unchanged(t, before)
	if _, got := f.getJob(t, owner, j.ID); got.Status != "succeeded" || got.Failure != nil {
		t.Fatalf("after DELETE: %s %+v", got.Status, got.Failure)
	}
}

func TestJobList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	bob := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	coordinator := f.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Coordinator}})

	ok := f.run(t, upload{ContentType: ndjsonType, Body: f.ndjson(3, num), Token: alice})
	failed := f.run(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: f.obsRow(50, `"abc"`) + "\n", Token: alice})
	wantFailed(t, failed, "rows_failed", "")
	theirs := f.run(t, upload{ContentType: ndjsonType, Body: f.ndjson(1, num), Token: bob})
	if n, m := f.env.Count(t, "import_jobs", "true"), f.observations(t); n != 3 || m != 3 {
		t.Fatalf("%d jobs, %d observations", n, m)
	}

	list := func(tok, query string) ([]apitest.ImportJob, string) {
		t.Helper()
		res := f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/imports" + query, Token: tok})
		if res.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", query, res.Status, res.Body)
		}
		var page struct {
			Items []apitest.ImportJob `json:"items"`
			Next  string              `json:"next_page_token"`
		}
		res.Decode(t, &page)
		return page.Items, page.Next
	}
	ids := func(js []apitest.ImportJob) []string {
		out := make([]string, len(js))
		for i, j := range js {
			out[i] = j.ID
		}
		return out
	}
	same := func(what string, got []apitest.ImportJob, want ...apitest.ImportJob) {
		t.Helper()
		if g, w := ids(got), ids(want); strings.Join(g, ",") != strings.Join(w, ",") {
			t.Fatalf("%s: %v, want %v", what, g, w)
		}
	}

	items, next := list(alice, "")
	same("alice's jobs, newest first", items, failed, ok)
	if next != "" {
		t.Fatalf("next_page_token %q on the last page", next)
	}
	if r := items[0].Report; r.Failed != 1 || len(r.Errors) != 0 || items[0].Failure == nil || items[0].Failure.Reason != "rows_failed" {
		t.Fatalf("a listed job has its counts and failure but not its row errors: %+v %+v", r, items[0].Failure)
	}
	items, _ = list(alice, "?status=failed")
	same("status=failed", items, failed)
	items, _ = list(alice, "?status=succeeded&status=cancelled")
	same("status=succeeded&status=cancelled", items, ok)
	items, _ = list(alice, "?resource=indicators")
	same("resource=indicators", items)
	items, _ = list(bob, "")
	same("bob's jobs", items, theirs)
	items, _ = list(coordinator, "")
	same("a coordinator's view", items, theirs, failed, ok)

	// Pages.
	items, next = list(coordinator, "?page_size=2")
	same("page 1", items, theirs, failed)
	if next == "" {
		t.Fatal("no next_page_token")
	}
	items, next = list(coordinator, "?page_size=2&page_token="+next)
	same("page 2", items, ok)
	if next != "" {
		t.Fatalf("next_page_token %q on the last page", next)
	}
	apitest.Problem(t, f.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/imports?status=done", Token: alice}), http.StatusBadRequest)
}

// slowFixture is a fixture whose imports write 10 rows a batch, one job at a time, so that a
// few thousand rows take long enough to be caught running.
func slowFixture(t *testing.T) fixture {
	t.Helper()
	cfg := apitest.Config()
	cfg.ImportBatchSize, cfg.ImportWorkers = 10, 1
	return fixtureOn(t, apitest.NewWith(t, cfg))
}

// startRunning starts an import without waiting and returns it once it is running and has
// written progress.
func (f fixture) startRunning(t *testing.T, u upload) apitest.ImportJob {
	t.Helper()
	u.NoWait = true
	res := f.send(t, u)
	if res.Status != http.StatusAccepted {
		t.Fatalf("start: %d %s", res.Status, res.Body)
	}
	var j apitest.ImportJob
	res.Decode(t, &j)
	deadline := time.Now().Add(20 * time.Second)
	for j.Status != "running" || j.RowsRead == 0 {
		if j.Status != "queued" && j.Status != "running" || time.Now().After(deadline) {
			t.Fatalf("job %s (%d rows read): want it running with progress", j.Status, j.RowsRead)
		}
		time.Sleep(10 * time.Millisecond)
		_, j = f.getJob(t, f.admin, j.ID)
	}
	return j
}

func (f fixture) cancel(t *testing.T, id string) apitest.ImportJob {
	t.Helper()
	res := f.env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/imports/" + id, Token: f.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("DELETE: %d %s", res.Status, res.Body)
	}
	var j apitest.ImportJob
	res.Decode(t, &j)
	return j
}

func TestJobCancel(t *testing.T) {
	t.Parallel()
	f := slowFixture(t)
	const n = 3000
	body := f.ndjson(n, num)

	t.Run("atomic=all", func(t *testing.T) {
		running := f.startRunning(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: body})

		// With one worker, a second job waits queued; cancelling it ends it at once.
		res := f.send(t, upload{ContentType: ndjsonType, Body: f.ndjson(5, num), NoWait: true})
		var queued apitest.ImportJob
		res.Decode(t, &queued)
		if res.Status != http.StatusAccepted || queued.Status != "queued" {
			t.Fatalf("second job: %d %s", res.Status, queued.Status)
		}
		c := f.cancel(t, queued.ID)
		if c.Status != "cancelled" || c.Failure == nil || c.Failure.Reason != "cancelled" || c.FinishedAt == nil {
			t.Fatalf("a queued job is cancelled at once: %s %+v", c.Status, c.Failure)
		}

		c = f.cancel(t, running.ID)
		if c.Status != "running" && c.Status != "cancelled" {
			t.Fatalf("DELETE of a running job: %s", c.Status)
		}
		j := f.waitFinal(t, f.admin, running.ID)
		if j.Status != "cancelled" || j.Failure == nil || j.Failure.Reason != "cancelled" || j.Report.Committed {
			t.Fatalf("cancelled atomic=all job: %s %+v %s", j.Status, j.Failure, j.Report.Counts())
		}
		if j.RowsRead >= n {
			t.Fatalf("the job read all %d rows before it stopped: cancel it sooner or make the file larger", j.RowsRead)
		}
		if got := f.observations(t); got != 0 {
			t.Fatalf("a cancelled atomic=all import left %d observations", got)
		}
		if got := f.env.Count(t, "audit_events", "action = 'import.commit'"); got != 0 {
			t.Fatalf("%d audit events for an import that wrote nothing", got)
		}
		if j = f.waitFinal(t, f.admin, queued.ID); j.Status != "cancelled" {
			t.Fatalf("the queued job ended %s", j.Status)
		}
		if got := f.env.Count(t, "import_jobs", "status IN ('queued', 'running')"); got != 0 {
			t.Fatalf("%d jobs left live", got)
		}
	})

	t.Run("atomic=none", func(t *testing.T) {
		running := f.startRunning(t, upload{ContentType: ndjsonType, Body: body})
		f.cancel(t, running.ID)
		j := f.waitFinal(t, f.admin, running.ID)
		if j.Status != "cancelled" || j.Failure == nil || j.Failure.Reason != "cancelled" {
			t.Fatalf("cancelled atomic=none job: %s %+v", j.Status, j.Failure)
		}
		// The batches written before the cancel stay, and the report counts exactly them.
		got := f.observations(t)
		if got == 0 || got >= n || j.Report.Created != got || !j.Report.Committed {
			t.Fatalf("cancelled atomic=none job: report %s, rows_read %d, %d observations stored: the report must count exactly "+
				"what was committed (when they differ by one batch, it is the run.go bug TestJobReportCountsOnlyCommittedBatches "+
				"describes: the cancel landed between a batch's write and its COMMIT)", j.Report.Counts(), j.RowsRead, got)
		}
	})
}

// TestJobReportCountsOnlyCommittedBatches makes the commit of an atomic=none import's second
// batch fail (a deferred constraint trigger, added to this test's database, refuses a value at
// COMMIT): the first batch stays, and the report must count it and nothing else.
func TestJobReportCountsOnlyCommittedBatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.env.DB.Conn(context.Background()).Exec(`
CREATE FUNCTION test_refuse_666() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.value = 666 THEN RAISE EXCEPTION 'test: refused at commit'; END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER test_refuse_666 AFTER INSERT OR UPDATE ON observations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_666();`).Error; err != nil {
		t.Fatal(err)
	}
	body := f.ndjson(120, func(i int) string { // batches of 50: line 71 is in the second
		if i == 70 {
			return "666"
		}
		return num(i)
	})

	j := f.rejectedImport(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: body}, "internal", "")

	j = f.run(t, upload{Query: "atomic=none", ContentType: ndjsonType, Body: body})
	stored := f.observations(t)
	if j.Status != "failed" || j.Failure == nil || j.Failure.Reason != "internal" || j.Report.Created != stored {
		t.Fatalf("BUG in run.go: the second batch's COMMIT failed, yet the job ended %s (failure %+v) with report %s, "+
			"and %d rows are stored. (1) In task.run's atomic=none branch, `if err := t.saveProgress(ctx, tx); err == nil "+
			"{ err = tx.Commit(ctx) }` assigns Commit's error to the if-scoped err, and the `if err != nil` after it tests "+
			"the outer err (stageAndWrite's, nil): a failed saveProgress or COMMIT is ignored, the batch is lost (or, after "+
			"a failed saveProgress, left in an open transaction that a later BEGIN joins) and the job goes on to succeed. "+
			"(2) stageAndWrite adds a batch's counts to t.report before its transaction commits, so a batch that does not "+
			"commit is still counted — a cancel landing after the write does it too (TestJobCancel/atomic=none fails now "+
			"and then). Count a batch only once its COMMIT succeeded.", j.Status, j.Failure, j.Report.Counts(), stored)
	}
	if stored != 50 || !j.Report.Committed {
		t.Fatalf("%d observations stored (report %s); want the first batch's 50, committed", stored, j.Report.Counts())
	}
}

func TestJobInterrupted(t *testing.T) {
	t.Parallel()
	f := slowFixture(t)
	ctx := context.Background()
	db := f.env.DB.Conn(ctx)
	insert := func(status, heartbeat string) string {
		t.Helper()
		id := uuid.NewString()
		if err := db.Exec(`INSERT INTO import_jobs (id, resource, status, mode, strategy, atomic, key, format, max_errors,
    owner, created_by, runner, heartbeat_at, created_at, started_at)
VALUES (?, 'observations', ?, 'commit', 'upsert', 'all', 'code', 'ndjson', 1000, 'user:someone', 'someone@puente.test',
    'a-replica-that-died', `+heartbeat+`, now() - interval '1 hour', CASE WHEN ? = 'running' THEN now() - interval '1 hour' END)`,
			id, status, status).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	stale := insert("running", "now() - interval '1 hour'")
	staleQueued := insert("queued", "NULL")
	recent := insert("running", "now() - interval '10 seconds'")
	alive := insert("running", "now()")

	if err := f.env.App.Imports.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{stale, staleQueued} {
		_, j := f.getJob(t, f.admin, id)
		wantFailed(t, j, "interrupted", "the server running the import stopped before it finished")
	}
	for _, id := range []string{recent, alive} {
		if _, j := f.getJob(t, f.admin, id); j.Status != "running" {
			t.Fatalf("a job that beat %s is %s after a sweep with the default StaleAfter", id, j.Status)
		}
	}

	// An engine that gives up on a runner sooner. StaleAfter is not in config.Config
	// (PUENTE_…), only in imports.Options, so the test builds the engine itself.
	if err := db.Exec(`UPDATE import_jobs SET heartbeat_at = now() WHERE id = ?`, alive).Error; err != nil {
		t.Fatal(err)
	}
	reg := imports.Registry{}
	reg.Register(stocktake.ImportResources()...)
	eng, err := imports.New(ctx, f.env.DB, reg, imports.Options{StaleAfter: 5 * time.Second, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if err := eng.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	_, j := f.getJob(t, f.admin, recent)
	wantFailed(t, j, "interrupted", "")
	if _, j := f.getJob(t, f.admin, alive); j.Status != "running" {
		t.Fatalf("a job that just beat is %s", j.Status)
	}

	// A server shutting down mid-import ends its jobs as interrupted; atomic=all wrote nothing.
	running := f.startRunning(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: f.ndjson(3000, num)})
	f.env.App.Imports.Close()
	_, j = f.getJob(t, f.admin, running.ID)
	wantFailed(t, j, "interrupted", "the server shut down during the import")
	if got := f.observations(t); got != 0 || j.Report.Committed {
		t.Fatalf("an interrupted atomic=all import left %d observations (report %s)", got, j.Report.Counts())
	}
}

func TestJobRoles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inst := func(code string, parent *string) uuid.UUID {
		body := map[string]any{"code": code, "name": map[string]any{"es": code}, "kind": "ministry", "tier": "national"}
		if parent != nil {
			body["kind"], body["parent_id"] = "directorate", *parent
		}
		return uuid.MustParse(f.create(t, "/v1/institutions", body))
	}
	source := func(code string, publisher uuid.UUID) string {
		return f.create(t, "/v1/data-sources", map[string]any{"code": code, "title": map[string]any{"es": code},
			"type": "study", "access": "public", "publisher_id": publisher.String()})
	}
	x, y := inst("INST-X", nil), inst("INST-Y", nil)
	xs := x.String()
	z := inst("INST-Z", &xs) // a unit below X
	srcX, srcY, srcZ := source("SRC-X", x), source("SRC-Y", y), source("SRC-Z", z)
	rowOf := func(src string, i int) string {
		return strings.Replace(f.obsRow(i, num(i)), f.source, src, 1) + "\n"
	}
	token := func(role actor.Role, inst *uuid.UUID) string {
		return f.env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: inst})
	}
	indicator := `{"code":"IND-2","name":{"es":"Dos"},"unit":"personas","measure":"stock"}` + "\n"

	t.Run("viewer", func(t *testing.T) {
		f.rejectedRequest(t, upload{ContentType: ndjsonType, Body: rowOf(srcX, 0), Token: token(actor.Viewer, &x)}, http.StatusForbidden, "")
	})

	t.Run("resource without an owner", func(t *testing.T) {
		for _, role := range []actor.Role{actor.Editor, actor.Partner} {
			f.rejectedRequest(t, upload{Query: "resource=indicators", ContentType: ndjsonType, Body: indicator, Token: token(role, &x)},
				http.StatusForbidden, "only importers, coordinators and admins may import indicators")
		}
	})

	t.Run("editor without an institution", func(t *testing.T) {
		f.rejectedRequest(t, upload{ContentType: ndjsonType, Body: rowOf(srcX, 0), Token: token(actor.Editor, nil)},
			http.StatusForbidden, "your account belongs to no institution")
	})

	t.Run("editor, rows of another institution", func(t *testing.T) {
		editor := token(actor.Editor, &x)
		body := rowOf(srcX, 0) + rowOf(srcY, 1) + rowOf(srcZ, 2)
		j := f.rejectedImport(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: body, Token: editor}, "rows_failed", "1 rows")
		wantErrors(t, j, rowErr{2, "", "you may only import records of your own institution"})

		j = f.run(t, upload{ContentType: ndjsonType, Body: body, Token: editor})
		wantErrors(t, j, rowErr{2, "", "you may only import records of your own institution"})
		if j.Report.Created != 2 || j.Report.Failed != 1 {
			t.Fatalf("report %s", j.Report.Counts())
		}
		for src, want := range map[string]int64{srcX: 1, srcY: 0, srcZ: 1} {
			if got := f.env.Count(t, "observations", "source_id = ?", src); got != want {
				t.Fatalf("%d observations of source %s, want %d", got, src, want)
			}
		}
	})

	t.Run("partner, rows of its own institution", func(t *testing.T) {
		j := f.run(t, upload{ContentType: ndjsonType, Body: rowOf(srcX, 10), Token: token(actor.Partner, &x)})
		wantSucceeded(t, j, 1, 0, 0, true)
		j = f.run(t, upload{ContentType: ndjsonType, Body: rowOf(srcY, 10), Token: token(actor.Partner, &x)})
		wantErrors(t, j, rowErr{1, "", "you may only import records of your own institution"})
	})

	t.Run("importer", func(t *testing.T) {
		importer := token(actor.Importer, nil)
		wantSucceeded(t, f.run(t, upload{Query: "resource=indicators", ContentType: ndjsonType, Body: indicator, Token: importer}), 1, 0, 0, true)
		wantSucceeded(t, f.run(t, upload{ContentType: ndjsonType, Body: rowOf(srcY, 20) + rowOf(srcX, 20), Token: importer}), 2, 0, 0, true)
	})
}

func TestJobAudit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	events := func() []map[string]any {
		t.Helper()
		var rows []struct {
			ActorLabel, ResourceType, ResourceID, Action string
			After                                        json.RawMessage
		}
		if err := f.env.DB.Conn(context.Background()).Raw(`SELECT actor_label, resource_type, resource_id, action, after
FROM audit_events WHERE action LIKE 'import%' ORDER BY occurred_at`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := make([]map[string]any, len(rows))
		for i, r := range rows {
			var after map[string]any
			if err := json.Unmarshal(r.After, &after); err != nil {
				t.Fatal(err)
			}
			out[i] = map[string]any{"actor_label": r.ActorLabel, "resource_type": r.ResourceType, "resource_id": r.ResourceID,
				"action": r.Action, "after": after}
		}
		return out
	}

	j := f.run(t, upload{ContentType: ndjsonType, Body: f.ndjson(5, num) + f.obsRow(5, `"abc"`) + "\n"})
	ev := events()
	if len(ev) != 1 {
		t.Fatalf("%d audit events after one import", len(ev))
	}
	e := ev[0]
	after := e["after"].(map[string]any)
	if e["action"] != "import.commit" || e["resource_type"] != "import" || e["resource_id"] != j.ID || e["actor_label"] != j.CreatedBy {
		t.Fatalf("audit event %v (job %s by %s)", e, j.ID, j.CreatedBy)
	}
	for k, want := range map[string]any{"resource": "observations", "mode": "commit", "strategy": "upsert", "atomic": "none",
		"key": "code", "format": "ndjson", "rows_read": 6.0, "created": 5.0, "updated": 0.0, "unchanged": 0.0, "failed": 1.0,
		"committed": true, "body_bytes": float64(j.BodyBytes)} {
		if after[k] != want {
			t.Fatalf("audit after[%s] = %v, want %v (%v)", k, after[k], want, after)
		}
	}

	// None for a dry run, nor for an atomic import that rolled back; one for one that committed.
	f.run(t, upload{Query: "mode=validate", ContentType: ndjsonType, Body: f.ndjson(8, num)})
	f.run(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: f.obsRow(9, `"abc"`) + "\n"})
	if ev = events(); len(ev) != 1 {
		t.Fatalf("%d audit events after a dry run and a rolled-back import, want still 1", len(ev))
	}
	j = f.run(t, upload{Query: "atomic=all", ContentType: ndjsonType, Body: f.ndjson(8, num)})
	ev = events()
	if len(ev) != 2 || ev[1]["resource_id"] != j.ID || ev[1]["after"].(map[string]any)["created"] != 3.0 ||
		ev[1]["after"].(map[string]any)["unchanged"] != 5.0 || ev[1]["after"].(map[string]any)["atomic"] != "all" {
		t.Fatalf("audit events after an atomic=all commit: %v", ev)
	}
}

// A server that restarts on the same host fails the jobs its previous process left running at
// once, without waiting for their heartbeat to go stale; another host's live job is left alone.
func TestJobRestartOnSameHostFailsItsJobsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	host, _ := os.Hostname()
	ctx := context.Background()
	conn := f.env.DB.Conn(ctx)
	for _, j := range []struct{ id, runner string }{
		{"01900000-0000-7000-8000-000000000001", host + "/1/deadbeef"},
		{"01900000-0000-7000-8000-000000000002", "another-host/1/deadbeef"},
	} {
		if err := conn.Exec(`INSERT INTO import_jobs (id, resource, status, mode, strategy, atomic, key, format, max_errors,
    owner, created_by, runner, heartbeat_at, started_at) VALUES (?, 'observations', 'running', 'commit', 'upsert', 'all', 'code',
    'ndjson', 10, 'user:x', 'x', ?, now(), now())`, j.id, j.runner).Error; err != nil {
			t.Fatal(err)
		}
	}
	e, err := imports.New(ctx, f.env.DB, imports.Registry{}, imports.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if n := f.env.Count(t, "import_jobs", "id = '01900000-0000-7000-8000-000000000001' AND status = 'failed' AND failure->>'reason' = 'interrupted'"); n != 1 {
		t.Fatal("the same host's job was not failed at start-up")
	}
	if n := f.env.Count(t, "import_jobs", "id = '01900000-0000-7000-8000-000000000002' AND status = 'running'"); n != 1 {
		t.Fatal("another host's live job was touched")
	}
}
