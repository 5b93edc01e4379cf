package imports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports/rows"
)

// Options tune the engine.
type Options struct {
	// MaxBodyBytes bounds an import's body, as received and once inflated
	// (PUENTE_MAX_IMPORT_BYTES).
	MaxBodyBytes int64
	// MaxRowBytes bounds one row.
	MaxRowBytes int
	// Workers is how many jobs run at once on this replica; others wait queued.
	Workers int
	// BatchSize is how many rows are staged and written together.
	BatchSize int
	// SpoolDir holds bodies between upload and job; "" is the system's temporary directory.
	SpoolDir string
	// Heartbeat is how often a replica proves its jobs alive; a job whose heartbeat is older than
	// StaleAfter is marked failed by whichever replica sweeps first.
	Heartbeat, StaleAfter time.Duration
}

// Defaults for zero Options fields.
const (
	DefaultMaxBodyBytes = 1 << 30
	DefaultBatchSize    = 10_000
)

func (o *Options) defaults() {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxRowBytes <= 0 {
		o.MaxRowBytes = rows.DefaultMaxRowBytes
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = time.Second
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 30 * time.Second
	}
}

// Engine runs imports as jobs and answers for them. Job state is in import_jobs, so any
// replica answers for any job; the body is spooled on the replica that received it, which runs
// the job and keeps its heartbeat.
type Engine struct {
	db       *database.DB
	registry Registry
	schemas  map[string]*rowSchema
	opts     Options
	runner   string // this replica's identity in import_jobs.runner

	slots  chan struct{}
	base   context.Context
	stop   context.CancelCauseFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	live   map[uuid.UUID]*liveJob
	ticker *time.Ticker
}

// liveJob is a job of this replica, queued or running.
type liveJob struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// errShutdown and errCancelled are the causes a job's context ends with.
var (
	errShutdown  = errors.New("the server shut down during the import")
	errCancelled = errors.New("cancelled")
)

// New returns an engine over db for the resources of registry, and starts its heartbeat and
// its sweep of jobs whose runner died. Close stops it.
func New(ctx context.Context, db *database.DB, registry Registry, opts Options) (*Engine, error) {
	opts.defaults()
	e := &Engine{db: db, registry: registry, schemas: map[string]*rowSchema{}, opts: opts,
		slots: make(chan struct{}, opts.Workers), live: map[uuid.UUID]*liveJob{}}
	for name, r := range registry {
		rs, err := newRowSchema(r)
		if err != nil {
			return nil, fmt.Errorf("import resource %s: %w", name, err)
		}
		e.schemas[name] = rs
	}
	host, _ := os.Hostname()
	e.runner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), uuid.NewString()[:8])
	e.base, e.stop = context.WithCancelCause(context.WithoutCancel(ctx))
	// A job this host (the same container or pod, restarted) was running died with the process
	// before this one: no need to wait for its heartbeat to go stale.
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs
SET status = 'failed', finished_at = now(),
    failure = jsonb_build_object('reason', 'interrupted', 'message',
        'the server running the import restarted before it finished; rows committed before then (atomic=none) stay, as the report counts')
WHERE status IN ('queued', 'running') AND runner LIKE $1 || '/%' AND runner <> $2`, host, e.runner); err != nil {
		return nil, fmt.Errorf("fail this host's interrupted import jobs: %w", err)
	}
	if err := e.Sweep(ctx); err != nil {
		return nil, err
	}
	e.ticker = time.NewTicker(opts.Heartbeat)
	e.wg.Add(1)
	go e.beat()
	return e, nil
}

// Close stops the engine: running jobs end as failed (interrupted, an atomic one writing
// nothing), queued ones too, and Close waits for them to record it.
func (e *Engine) Close() {
	e.stop(errShutdown)
	e.ticker.Stop()
	e.wg.Wait()
}

// beat keeps this replica's jobs' heartbeat, passes cancellations asked of any replica to the
// jobs running here, and now and then sweeps jobs whose runner died.
func (e *Engine) beat() {
	defer e.wg.Done()
	n := 0
	for {
		select {
		case <-e.base.Done():
			return
		case <-e.ticker.C:
		}
		n++
		if e.liveCount() > 0 {
			if err := e.heartbeat(e.base); err != nil && e.base.Err() == nil {
				slog.Error("import heartbeat", "err", err)
			}
		}
		if n%15 == 0 {
			if err := e.Sweep(e.base); err != nil && e.base.Err() == nil {
				slog.Error("import sweep", "err", err)
			}
		}
	}
}

func (e *Engine) liveCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.live)
}

func (e *Engine) heartbeat(ctx context.Context) error {
	rs, err := e.db.Pool.Query(ctx, `UPDATE import_jobs SET heartbeat_at = now()
WHERE runner = $1 AND status IN ('queued', 'running') RETURNING id, cancel_requested`, e.runner)
	if err != nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id uuid.UUID
		var cancel bool
		if err := rs.Scan(&id, &cancel); err != nil {
			return err
		}
		if cancel {
			e.cancelLocal(id)
		}
	}
	return rs.Err()
}

func (e *Engine) cancelLocal(id uuid.UUID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j, ok := e.live[id]; ok {
		j.cancel(errCancelled)
	}
}

// Sweep marks failed the jobs whose runner stopped beating: a replica that crashed or was
// killed mid-import. Their atomic=all transaction died with the runner's connection, so they
// wrote nothing; an atomic=none one keeps the batches it committed, which its report (kept per
// batch) counts.
func (e *Engine) Sweep(ctx context.Context) error {
	_, err := e.db.Pool.Exec(ctx, `UPDATE import_jobs
SET status = 'failed', finished_at = now(),
    failure = jsonb_build_object('reason', 'interrupted', 'message',
        'the server running the import stopped before it finished; rows committed before then (atomic=none) stay, as the report counts')
WHERE status IN ('queued', 'running') AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $1)`,
		e.opts.StaleAfter.Seconds())
	if err != nil {
		return fmt.Errorf("sweep import jobs: %w", err)
	}
	return nil
}
