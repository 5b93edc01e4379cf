package imports

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/imports/rows"
)

// task is one job being run.
type task struct {
	e       *Engine
	job     job
	res     *Resource
	schema  *rowSchema
	csv     bool
	key     string
	keyCols []string
	keyIdx  []int
	st      statements
	subtree []uuid.UUID // the caller's institution and the units below it, for scoped callers

	report   Report
	failed   atomic.Int64 // report.Failed, for the reader
	rowsRead int64
	bytes    atomic.Int64
	seed     maphash.Seed
	seen     map[uint64]uint32 // each key's hash → the line it was first seen on
}

// errTooManyErrors ends reading once max_errors rows were refused.
var errTooManyErrors = errors.New("too many refused rows")

// batch is rows read and prepared, on their way to the database.
type batch struct {
	rows [][]any    // line first, then the resource's columns
	errs []RowError // faults of rows refused before staging
	bad  int64      // how many rows errs covers
	read int64      // rows read into this batch, good and bad
	end  error      // the error that ended reading, after this batch
}

func (b *batch) refuse(errs []RowError) {
	b.errs = append(b.errs, errs...)
	b.bad++
}

// execute runs job j for actor a, from the body spooled at spool, and records how it ended.
func (e *Engine) execute(ctx context.Context, j job, spool string) {
	defer e.wg.Done()
	defer os.Remove(spool)
	defer e.forget(j.ID)
	select {
	case e.slots <- struct{}{}:
		defer func() { <-e.slots }()
	case <-ctx.Done():
		e.end(context.WithoutCancel(ctx), j.ID, nil, e.stopped(ctx), nil)
		return
	}
	tag, err := e.db.Pool.Exec(ctx, `UPDATE import_jobs SET status = 'running', started_at = now(), heartbeat_at = now()
WHERE id = $1 AND status = 'queued'`, j.ID)
	if err != nil || tag.RowsAffected() == 0 { // cancelled while queued, or the database is gone
		return
	}
	t, err := e.newTask(ctx, j)
	if err != nil {
		slog.Error("import job", "id", j.ID, "err", err)
		e.end(context.WithoutCancel(ctx), j.ID, nil, &Failure{Reason: "internal", Message: "the import could not start; see the server log"}, nil)
		return
	}
	t.run(ctx, spool)
}

// stopped is the failure of a job whose context ended: cancelled, or the server shutting down.
func (e *Engine) stopped(ctx context.Context) *Failure {
	if errors.Is(context.Cause(ctx), errCancelled) {
		return &Failure{Reason: "cancelled", Message: "cancelled at the caller's request"}
	}
	return &Failure{Reason: "interrupted", Message: errShutdown.Error()}
}

func (e *Engine) forget(id uuid.UUID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j, ok := e.live[id]; ok {
		close(j.done)
		delete(e.live, id)
	}
}

func (e *Engine) newTask(ctx context.Context, j job) (*task, error) {
	res := e.registry[j.Resource]
	key, keyCols, err := res.keyColumns(j.Key)
	if err != nil {
		return nil, err
	}
	t := &task{e: e, job: j, res: res, schema: e.schemas[j.Resource], csv: j.Format == string(rows.CSV), key: key,
		keyCols: keyCols, st: res.statements(key, keyCols), seed: maphash.MakeSeed(), seen: map[uint64]uint32{}}
	t.report.Errors = []RowError{}
	for _, k := range keyCols {
		i := slices.IndexFunc(res.Columns, func(c Column) bool { return c.Name == k })
		if i < 0 {
			return nil, fmt.Errorf("resource %s: key column %s is not among its columns", res.Name, k)
		}
		t.keyIdx = append(t.keyIdx, i)
	}
	if a := actor.From(ctx); a.ScopedToInstitution() && a.InstitutionID != nil {
		if err := e.db.Pool.QueryRow(ctx, `WITH RECURSIVE d AS (
    SELECT id FROM institutions WHERE id = $1
    UNION ALL SELECT i.id FROM institutions i JOIN d ON i.parent_id = d.id)
SELECT array_agg(id) FROM d`, *a.InstitutionID).Scan(&t.subtree); err != nil {
			return nil, fmt.Errorf("load the caller's institutions: %w", err)
		}
	}
	return t, nil
}

// run reads, checks and writes the whole body, records the outcome and returns its failure,
// if any.
func (t *task) run(ctx context.Context, spool string) *Failure {
	e := t.e
	f, err := os.Open(spool)
	if err != nil {
		return t.finish(ctx, nil, t.internal(err))
	}
	defer f.Close()
	rd, err := rows.NewReader(&countingReader{r: f, n: &t.bytes}, rows.Format(t.job.Format),
		rows.Options{MaxRowBytes: e.opts.MaxRowBytes, MaxBodyBytes: e.opts.MaxBodyBytes, Gzip: t.job.Gzip})
	if err != nil {
		return t.finish(ctx, nil, readFailure(err))
	}
	if t.csv {
		if err := t.schema.columns(rd.Columns()); err != nil {
			return t.finish(ctx, nil, headerFailure(err))
		}
	}
	conn, err := e.db.Pool.Acquire(ctx)
	if err != nil {
		return t.finish(ctx, nil, t.ctxFailure(ctx, err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+stageTable+"; "+stageDDL(t.res)); err != nil {
		return t.finish(ctx, nil, t.ctxFailure(ctx, err))
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+stageTable); err != nil {
			conn.Conn().Close(context.Background()) // do not hand a connection with our table back
		}
	}()

	pctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	batches := make(chan *batch, 2)
	go t.produce(pctx, rd, batches)

	// One transaction for everything when nothing may be written unless all is (and for a dry
	// run, which always rolls back); else one per batch.
	var whole pgx.Tx
	if t.job.Mode == "validate" || t.job.Atomic == "all" {
		if whole, err = conn.Begin(ctx); err != nil {
			return t.finish(ctx, nil, t.ctxFailure(ctx, err))
		}
		defer whole.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it is a no-op
	}
	committedAny := false
	var failure *Failure
	for b := range batches {
		if ctx.Err() != nil {
			failure = e.stopped(ctx)
			break
		}
		t.rowsRead += b.read
		errs := b.errs
		bad := b.bad
		if len(b.rows) > 0 {
			tx := whole
			if tx == nil {
				if tx, err = conn.Begin(ctx); err != nil {
					failure = t.ctxFailure(ctx, err)
					break
				}
			}
			more, n, c, err := t.stageAndWrite(ctx, tx, b.rows)
			if err != nil {
				if whole == nil {
					_ = tx.Rollback(context.WithoutCancel(ctx))
				}
				failure = t.ctxFailure(ctx, err)
				break
			}
			errs, bad = append(errs, more...), bad+n
			if whole == nil {
				// The batch counts once it is committed, with the report that says so.
				prev := t.report
				t.report.add(c)
				t.addErrors(errs, bad)
				t.report.Committed = true
				err := t.saveProgress(context.WithoutCancel(ctx), tx)
				if err == nil {
					err = tx.Commit(context.WithoutCancel(ctx))
				}
				if err != nil {
					_ = tx.Rollback(context.WithoutCancel(ctx))
					t.report = prev
					t.failed.Store(prev.Failed)
					failure = t.ctxFailure(ctx, err)
					break
				}
				committedAny = true
			} else {
				t.report.add(c)
			}
		}
		if whole != nil || len(b.rows) == 0 {
			t.addErrors(errs, bad)
			if err := t.saveProgress(ctx, e.db.Pool); err != nil {
				failure = t.ctxFailure(ctx, err)
				break
			}
		}
		if t.report.Failed >= int64(t.job.MaxErrors) {
			failure = &Failure{Reason: "too_many_errors", Message: fmt.Sprintf(
				"stopped after %d refused rows (max_errors); fix them, or raise max_errors, and send the file again", t.report.Failed)}
			break
		}
		if b.end != nil && !errors.Is(b.end, errTooManyErrors) {
			failure = readFailure(b.end)
			break
		}
	}
	stopReading()
	for range batches { // let the reader finish
	}
	if failure == nil && ctx.Err() != nil {
		failure = e.stopped(ctx)
	}
	switch {
	case t.job.Mode == "validate":
		t.report.Committed = false
		return t.finish(ctx, nil, failure)
	case whole != nil && failure == nil && t.report.Failed > 0:
		failure = &Failure{Reason: "rows_failed", Message: fmt.Sprintf(
			"%d rows were refused, so nothing was written (atomic=all)", t.report.Failed)}
		return t.finish(ctx, nil, failure)
	case whole != nil && failure == nil:
		t.report.Committed = true
		return t.finish(ctx, whole, nil)
	case whole != nil:
		t.report.Committed = false
		return t.finish(ctx, nil, failure)
	}
	t.report.Committed = committedAny
	if !committedAny { // nothing was written, so there is nothing to audit
		return t.finish(ctx, nil, failure)
	}
	// atomic=none: what was committed stays, and is audited with the job's end.
	tx, err := conn.Begin(context.WithoutCancel(ctx))
	if err != nil {
		return t.finish(ctx, nil, t.ctxFailure(ctx, err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	return t.finish(ctx, tx, failure)
}

// ctxFailure is the failure for err: the job's own end (cancelled, shut down) when its context
// is done, else an internal failure.
func (t *task) ctxFailure(ctx context.Context, err error) *Failure {
	if ctx.Err() != nil {
		return t.e.stopped(ctx)
	}
	return t.internal(err)
}

// internal logs err and returns the failure a caller sees, which names no table or SQL.
func (t *task) internal(err error) *Failure {
	slog.Error("import job failed", "id", t.job.ID, "resource", t.job.Resource, "err", err)
	return &Failure{Reason: "internal", Message: "the import failed on the server's side (job " + t.job.ID.String() + " in the server log)"}
}

// readFailure is the failure for an error that stopped reading the body.
func readFailure(err error) *Failure {
	var le *rows.LimitError
	var be *rows.BodyError
	switch {
	case errors.As(err, &le):
		return &Failure{Reason: "too_large", Message: le.Error() + " (PUENTE_MAX_IMPORT_BYTES); split the file"}
	case errors.As(err, &be):
		return &Failure{Reason: "malformed", Message: be.Error()}
	}
	slog.Error("import: read the spooled body", "err", err)
	return &Failure{Reason: "internal", Message: "the import failed on the server's side: its body could not be read back"}
}

// headerFailure is the failure for a CSV header that does not fit the resource.
func headerFailure(err error) *Failure {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return &Failure{Reason: "malformed", Message: err.Error()}
	}
	msg := ae.Message
	for i, f := range ae.Fields {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		msg += sep + "column " + f.Field + ": " + f.Message
	}
	return &Failure{Reason: "malformed", Message: msg}
}

// produce reads and prepares rows into batches until the body ends or ctx does.
func (t *task) produce(ctx context.Context, rd rows.Reader, out chan<- *batch) {
	defer close(out)
	size := int64(t.e.opts.BatchSize)
	b := &batch{}
	send := func() bool {
		select {
		case out <- b:
			b = &batch{rows: make([][]any, 0, len(b.rows))}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		row, err := rd.Next()
		if err == io.EOF {
			send()
			return
		}
		if err != nil {
			var re *rows.RowError
			if !errors.As(err, &re) {
				b.end = err
				send()
				return
			}
			b.read++
			b.refuse([]RowError{{Line: int64(re.Line), Field: re.Field, Message: re.Message}})
		} else {
			b.read++
			vals, errs := t.prepare(ctx, row)
			if errs != nil {
				b.refuse(errs)
			} else {
				b.rows = append(b.rows, vals)
			}
		}
		if t.failed.Load()+b.bad >= int64(t.job.MaxErrors) {
			b.end = errTooManyErrors
			send()
			return
		}
		if b.read >= size && !send() {
			return
		}
	}
}

// prepare checks one row as its create endpoint would and returns its staged values (line
// first), or its faults.
func (t *task) prepare(ctx context.Context, row rows.Row) ([]any, []RowError) {
	line := int64(row.Line)
	fail := func(fes ...apperr.FieldError) []RowError {
		out := make([]RowError, len(fes))
		for i, fe := range fes {
			out[i] = RowError{Line: line, Field: fe.Field, Message: fe.Message}
		}
		return out
	}
	doc, ferrs := t.schema.document(row.Fields, t.csv)
	if ferrs != nil {
		return nil, fail(ferrs...)
	}
	// With key=id a row names its record by id; a row without one is a new record (its id is
	// made here), which is how records with no other key are created.
	var id uuid.UUID
	if t.key == "id" && row.Fields["id"] != nil && row.Fields["id"] != "" {
		s, _ := row.Fields["id"].(string)
		var err error
		if id, err = uuid.Parse(s); err != nil {
			return nil, fail(apperr.FieldError{Field: "id", Message: "must be the record's UUID (or absent, for a new record): rows are matched on it (key=id)"})
		}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fail(apperr.FieldError{Message: "the row cannot be encoded"})
	}
	vals, err := t.res.Prepare(ctx, raw)
	if err != nil {
		var ae *apperr.Error
		switch {
		case errors.As(err, &ae) && len(ae.Fields) > 0:
			return nil, fail(ae.Fields...)
		case errors.As(err, &ae):
			return nil, fail(apperr.FieldError{Message: ae.Message})
		}
		return nil, fail(apperr.FieldError{Message: "the row could not be checked"})
	}
	if id != uuid.Nil {
		vals[0] = id
	}
	var h maphash.Hash
	h.SetSeed(t.seed)
	for n, i := range t.keyIdx {
		v := vals[i]
		if isNil(v) {
			return nil, fail(apperr.FieldError{Field: t.keyCols[n], Message: "is required: rows are matched on it (key=" + t.key + ")"})
		}
		hashValue(&h, deref(v))
	}
	for i, v := range vals {
		vals[i] = copyValue(v)
	}
	sum := h.Sum64()
	if first, dup := t.seen[sum]; dup {
		field := t.keyCols[0]
		if len(t.keyCols) > 1 {
			field = ""
		}
		what := "the same " + t.key
		if len(t.keyCols) > 1 {
			what = "the same record (" + strings.Join(t.keyCols, ", ") + ")"
		}
		return nil, fail(apperr.FieldError{Field: field, Message: fmt.Sprintf(
			"%s as line %d: a file may hold each record once", what, first)})
	}
	t.seen[sum] = uint32(line)
	return append([]any{line}, vals...), nil
}

// hashValue adds v to a key's hash.
func hashValue(h *maphash.Hash, v any) {
	switch v := v.(type) {
	case string:
		h.WriteString(v)
	case uuid.UUID:
		h.Write(v[:])
	case time.Time:
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(v.UnixNano()))
		h.Write(b[:])
	default:
		fmt.Fprint(h, v)
	}
	h.WriteByte(0)
}

// copyValue gives COPY a uuid as pgx encodes it natively; a uuid.UUID would go through its
// driver.Valuer, as text, after pgx has tried and failed the binary plans (a quarter of an
// import's CPU).
func copyValue(v any) any {
	switch v := v.(type) {
	case uuid.UUID:
		return pgtype.UUID{Bytes: v, Valid: true}
	case *uuid.UUID:
		if v == nil {
			return nil
		}
		return pgtype.UUID{Bytes: *v, Valid: true}
	case []uuid.UUID:
		out := make([]pgtype.UUID, len(v))
		for i, u := range v {
			out[i] = pgtype.UUID{Bytes: u, Valid: true}
		}
		return out
	}
	return v
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		return rv.Elem().Interface()
	}
	return v
}

// stageAndWrite stages one batch, refuses the rows the checks catch and writes the rest. It
// returns the refused rows' faults and how many rows they are.
func (t *task) stageAndWrite(ctx context.Context, tx pgx.Tx, batchRows [][]any) ([]RowError, int64, Counts, error) {
	if _, err := tx.Exec(ctx, "TRUNCATE "+stageTable); err != nil {
		return nil, 0, Counts{}, fmt.Errorf("truncate stage: %w", err)
	}
	cols := make([]string, 0, len(t.res.Columns)+1)
	cols = append(cols, "line")
	for _, c := range t.res.Columns {
		cols = append(cols, c.Name)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stageTable}, cols, pgx.CopyFromRows(batchRows)); err != nil {
		return nil, 0, Counts{}, fmt.Errorf("stage %s: %w", t.res.Name, err)
	}
	var errs []RowError
	bad := map[int64]bool{}
	check := func(field, sql string, args ...any) error {
		rs, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("check %s %s: %w", t.res.Name, field, err)
		}
		defer rs.Close()
		for rs.Next() {
			var e RowError
			if err := rs.Scan(&e.Line, &e.Message); err != nil {
				return err
			}
			e.Field = field
			errs = append(errs, e)
			bad[e.Line] = true
		}
		return rs.Err()
	}
	for _, c := range t.res.Checks {
		if err := check(c.Field, fmt.Sprintf(c.SQL, stageTable)); err != nil {
			return nil, 0, Counts{}, err
		}
	}
	switch t.job.Strategy {
	case "create":
		if err := check(t.keyCols[0], t.st.exists); err != nil {
			return nil, 0, Counts{}, err
		}
	case "update":
		if err := check(t.keyCols[0], t.st.missing); err != nil {
			return nil, 0, Counts{}, err
		}
	}
	if t.subtree != nil || actor.From(ctx).ScopedToInstitution() {
		if err := check("", t.st.owner, t.subtree); err != nil {
			return nil, 0, Counts{}, err
		}
	}
	lines := make([]int64, 0, len(batchRows))
	for _, r := range batchRows {
		if l := r[0].(int64); !bad[l] {
			lines = append(lines, l)
		}
	}
	if len(bad) > 0 {
		gone := make([]int64, 0, len(bad))
		for l := range bad {
			gone = append(gone, l)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM "+stageTable+" WHERE line = ANY($1)", gone); err != nil {
			return nil, 0, Counts{}, fmt.Errorf("unstage refused rows: %w", err)
		}
	}
	var c Counts
	var failed []RowError
	if t.job.Mode == "validate" && t.res.Write == nil {
		if len(lines) > 0 {
			if err := tx.QueryRow(ctx, t.st.classify).Scan(&c.Created, &c.Updated); err != nil {
				return nil, 0, Counts{}, fmt.Errorf("classify %s: %w", t.res.Name, err)
			}
		}
	} else {
		var err error
		if c, failed, err = t.write(ctx, tx, lines); err != nil {
			return nil, 0, Counts{}, err
		}
	}
	c.Unchanged = int64(len(lines)) - int64(len(failed)) - c.Created - c.Updated
	errs = append(errs, failed...)
	return errs, int64(len(bad) + len(failed)), c, nil
}

// write writes the staged rows lines in one statement. When a row trips a constraint, it
// halves the range inside savepoints until the row is found, refuses it, and writes the rest.
func (t *task) write(ctx context.Context, tx pgx.Tx, lines []int64) (Counts, []RowError, error) {
	if len(lines) == 0 {
		return Counts{}, nil, nil
	}
	b := &Batch{Stage: stageTable, Key: t.keyCols, Strategy: t.job.Strategy, Lo: lines[0], Hi: lines[len(lines)-1],
		Resource: t.res, statements: t.st}
	write := Write
	if t.res.Write != nil {
		write = t.res.Write
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return Counts{}, nil, fmt.Errorf("savepoint: %w", err)
	}
	c, err := write(ctx, sp, b)
	if err == nil {
		return c, nil, sp.Commit(ctx)
	}
	if rerr := sp.Rollback(ctx); rerr != nil {
		return Counts{}, nil, fmt.Errorf("rollback to savepoint: %w", rerr)
	}
	if !isRowError(err) {
		return Counts{}, nil, err
	}
	if len(lines) == 1 {
		field, msg := t.res.rowMessage(err)
		return Counts{}, []RowError{{Line: lines[0], Field: field, Message: msg}}, nil
	}
	mid := len(lines) / 2
	c1, f1, err := t.write(ctx, tx, lines[:mid])
	if err != nil {
		return Counts{}, nil, err
	}
	c2, f2, err := t.write(ctx, tx, lines[mid:])
	if err != nil {
		return Counts{}, nil, err
	}
	return Counts{Created: c1.Created + c2.Created, Updated: c1.Updated + c2.Updated}, append(f1, f2...), nil
}

func (r *Report) add(c Counts) {
	r.Created += c.Created
	r.Updated += c.Updated
	r.Unchanged += c.Unchanged
}

// addErrors counts bad refused rows and keeps their faults, up to the job's max_errors rows'.
func (t *task) addErrors(errs []RowError, bad int64) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	t.report.Failed += bad
	t.failed.Store(t.report.Failed)
	limit := t.job.MaxErrors
	for _, e := range errs {
		if len(t.report.Errors) >= limit*4 || (len(t.report.Errors) > 0 && countLines(t.report.Errors) >= limit && t.report.Errors[len(t.report.Errors)-1].Line != e.Line) {
			t.report.ErrorsTruncated = true
			return
		}
		t.report.Errors = append(t.report.Errors, e)
	}
}

func countLines(errs []RowError) int {
	n, last := 0, int64(-1)
	for _, e := range errs {
		if e.Line != last {
			n++
			last = e.Line
		}
	}
	return n
}

// saveProgress records how far the job got: in the batch's transaction for atomic=none (so the
// report always matches what is committed), else through the pool.
func (t *task) saveProgress(ctx context.Context, db audit.Execer) error {
	rep, err := json.Marshal(t.report)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE import_jobs SET rows_read = $2, bytes_read = $3, report = $4, heartbeat_at = now() WHERE id = $1`,
		t.job.ID, t.rowsRead, t.bytes.Load(), rep)
	if err != nil {
		return fmt.Errorf("save import progress: %w", err)
	}
	return nil
}

// finish records how the job ended. With tx (a commit that stands), the job's end and its audit
// event go in tx, which finish commits; else through the pool.
func (t *task) finish(ctx context.Context, tx pgx.Tx, failure *Failure) *Failure {
	ctx = context.WithoutCancel(ctx)
	if tx != nil {
		err := audit.RecordPgx(ctx, tx, audit.Change{Action: "import.commit", ResourceType: "import",
			ResourceID: t.job.ID.String(), After: t.auditState(failure)})
		if err == nil {
			err = t.e.endIn(ctx, tx, t.job.ID, &t.report, failure, t)
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err == nil {
			return failure
		}
		_ = tx.Rollback(ctx)
		slog.Error("finish import job", "id", t.job.ID, "err", err)
		t.report.Committed = false
		failure = &Failure{Reason: "internal", Message: "the import could not be committed; see the server log"}
	}
	t.e.end(ctx, t.job.ID, &t.report, failure, t)
	return failure
}

func (t *task) auditState(failure *Failure) map[string]any {
	return map[string]any{
		"resource": t.job.Resource, "mode": t.job.Mode, "strategy": t.job.Strategy, "atomic": t.job.Atomic,
		"key": t.key, "format": t.job.Format, "body_bytes": t.job.BodyBytes, "body_sha256": hex.EncodeToString(t.job.BodySha256),
		"rows_read": t.rowsRead, "created": t.report.Created, "updated": t.report.Updated, "unchanged": t.report.Unchanged,
		"failed": t.report.Failed, "committed": t.report.Committed, "failure": failure,
	}
}

// end records a job's end through the pool.
func (e *Engine) end(ctx context.Context, id uuid.UUID, rep *Report, failure *Failure, t *task) {
	if err := e.endIn(ctx, e.db.Pool, id, rep, failure, t); err != nil {
		slog.Error("record import job end", "id", id, "err", err)
	}
}

func (e *Engine) endIn(ctx context.Context, db audit.Execer, id uuid.UUID, rep *Report, failure *Failure, t *task) error {
	status := Succeeded
	switch {
	case failure != nil && failure.Reason == "cancelled":
		status = Cancelled
	case failure != nil:
		status = Failed
	}
	var repJSON, failJSON []byte
	var err error
	if rep != nil {
		if repJSON, err = json.Marshal(rep); err != nil {
			return err
		}
	}
	if failure != nil {
		if failJSON, err = json.Marshal(failure); err != nil {
			return err
		}
	}
	var rowsRead, bytesRead int64
	if t != nil {
		rowsRead, bytesRead = t.rowsRead, t.bytes.Load()
	}
	_, err = db.Exec(ctx, `UPDATE import_jobs SET status = $2, report = coalesce($3::jsonb, report), failure = $4::jsonb,
    rows_read = greatest(rows_read, $5), bytes_read = greatest(bytes_read, $6), finished_at = now(), heartbeat_at = now()
WHERE id = $1`, id, status, nullBytes(repJSON), nullBytes(failJSON), rowsRead, bytesRead)
	if err != nil {
		return fmt.Errorf("record import job end: %w", err)
	}
	return nil
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// countingReader counts the bytes read through it, for the job's progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
