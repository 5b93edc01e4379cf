package imports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/paging"
)

// Job statuses.
const (
	Queued    = "queued"
	Running   = "running"
	Succeeded = "succeeded"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// RowError is one refused row's fault.
type RowError struct {
	Line    int64  `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Report is what an import did (or, in validate mode or after a rollback, would have done).
type Report struct {
	Created         int64      `json:"created"`
	Updated         int64      `json:"updated"`
	Unchanged       int64      `json:"unchanged"`
	Failed          int64      `json:"failed"`
	Committed       bool       `json:"committed"`
	Errors          []RowError `json:"errors"`
	ErrorsTruncated bool       `json:"errors_truncated"`
}

// Failure says why a job failed or was cancelled.
type Failure struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// job is a row of import_jobs.
type job struct {
	ID              uuid.UUID
	Resource        string
	Status          string
	Mode            string
	Strategy        string
	Atomic          string
	Key             string
	Format          string
	Gzip            bool
	MaxErrors       int
	RowsRead        int64
	BytesRead       int64
	BodyBytes       int64
	Owner           string
	CreatedBy       string
	IdempotencyKey  *string
	BodySha256      []byte
	Report          json.RawMessage `gorm:"type:jsonb"`
	Failure         json.RawMessage `gorm:"type:jsonb"`
	CancelRequested bool
	Runner          *string
	HeartbeatAt     *time.Time
	CreatedAt       time.Time
	StartedAt       *time.Time
	FinishedAt      *time.Time
}

func (job) TableName() string { return "import_jobs" }

func (j job) final() bool {
	return j.Status == Succeeded || j.Status == Failed || j.Status == Cancelled
}

// ownerOf is how import_jobs records who started a job.
func ownerOf(a actor.Actor) string { return string(a.Kind) + ":" + a.ID }

// seesAll reports callers who see every job, not only their own.
func seesAll(a actor.Actor) bool {
	return a.Kind == actor.System || a.HasRole(actor.Admin) || a.HasRole(actor.Coordinator)
}

func (j job) toAPI(withErrors bool) api.ImportJob {
	var rep Report
	_ = json.Unmarshal(j.Report, &rep)
	if rep.Errors == nil || !withErrors {
		rep.Errors = []RowError{}
	}
	errs := make([]api.ImportRowError, len(rep.Errors))
	for i, e := range rep.Errors {
		errs[i] = api.ImportRowError{Line: e.Line, Field: e.Field, Message: e.Message}
	}
	out := api.ImportJob{
		Id: j.ID, Resource: api.ImportResource(j.Resource), Status: api.ImportStatus(j.Status),
		Mode: api.ImportMode(j.Mode), Strategy: api.ImportStrategy(j.Strategy), Atomic: api.ImportAtomic(j.Atomic),
		Key: api.ImportKey(j.Key), Format: api.ImportFormat(j.Format), MaxErrors: j.MaxErrors,
		RowsRead: j.RowsRead, BytesRead: j.BytesRead, BodyBytes: &j.BodyBytes, CreatedBy: j.CreatedBy,
		CreatedAt: j.CreatedAt.UTC(), StartedAt: utc(j.StartedAt), FinishedAt: utc(j.FinishedAt),
		Report: api.ImportReport{Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged, Failed: rep.Failed,
			Committed: rep.Committed, Errors: errs, ErrorsTruncated: rep.ErrorsTruncated},
	}
	if len(j.Failure) > 0 && string(j.Failure) != "null" {
		var f Failure
		if json.Unmarshal(j.Failure, &f) == nil {
			out.Failure = &api.ImportFailure{Reason: api.ImportFailureReason(f.Reason), Message: f.Message}
		}
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// find loads job id as the caller may see it.
//
// Errors: NotFound (also for another caller's job).
func (e *Engine) find(ctx context.Context, id uuid.UUID) (job, error) {
	var j job
	q := e.db.Conn(ctx).Where("id = ?", id)
	if a := actor.From(ctx); !seesAll(a) {
		q = q.Where("owner = ?", ownerOf(a))
	}
	if err := q.Take(&j).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return j, apperr.New(apperr.NotFound, "no import job %s", id)
		}
		return j, fmt.Errorf("load import job: %w", err)
	}
	return j, nil
}

// GetImport answers one job with its report.
func (e *Engine) GetImport(ctx context.Context, req api.GetImportRequestObject) (api.GetImportResponseObject, error) {
	j, err := e.find(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetImport200JSONResponse(j.toAPI(true)), nil
}

var jobOrders = paging.Orders{"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz", Desc: true}}

// ListImports lists the caller's jobs (every job for coordinators and admins), newest first.
func (e *Engine) ListImports(ctx context.Context, req api.ListImportsRequestObject) (api.ListImportsResponseObject, error) {
	p := req.Params
	q := e.db.Conn(ctx).Model(&job{}).Omit("report") // the row errors can be long; GetImport has them
	if a := actor.From(ctx); !seesAll(a) {
		q = q.Where("owner = ?", ownerOf(a))
	}
	if p.Resource != nil {
		q = q.Where("resource = ?", string(*p.Resource))
	}
	if p.Status != nil {
		q = q.Where("status IN ?", *p.Status)
	}
	token := ""
	if p.PageToken != nil {
		token = *p.PageToken
	}
	o := jobOrders.Parse("-created_at", "created_at")
	rows, next, err := paging.Page(q.Select("id, resource, status, mode, strategy, atomic, key, format, max_errors, rows_read, bytes_read, body_bytes, owner, created_by, created_at, started_at, finished_at, failure, jsonb_set(report, '{errors}', '[]') AS report"),
		o, "imports", token, paging.Size(p.PageSize),
		func(j job) any { return j.CreatedAt }, func(j job) uuid.UUID { return j.ID })
	if err != nil {
		return nil, err
	}
	out := api.ImportJobPage{Items: make([]api.ImportJob, len(rows)), NextPageToken: next}
	for i, j := range rows {
		out.Items[i] = j.toAPI(false)
	}
	return api.ListImports200JSONResponse(out), nil
}

// CancelImport cancels a queued job at once and asks a running one to stop at its next batch
// (the replica running it hears of it within a heartbeat).
//
// Errors: NotFound, Conflict (the job has finished).
func (e *Engine) CancelImport(ctx context.Context, req api.CancelImportRequestObject) (api.CancelImportResponseObject, error) {
	j, err := e.find(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	if j.final() {
		return nil, apperr.New(apperr.Conflict, "the import job has already finished (%s)", j.Status)
	}
	if err := e.db.Conn(ctx).Exec(`UPDATE import_jobs SET
    cancel_requested = true,
    status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
    finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
    failure = CASE WHEN status = 'queued' THEN jsonb_build_object('reason', 'cancelled', 'message', 'cancelled before it started') ELSE failure END
WHERE id = ? AND status IN ('queued', 'running')`, j.ID).Error; err != nil {
		return nil, fmt.Errorf("cancel import job: %w", err)
	}
	e.cancelLocal(j.ID)
	if j, err = e.find(ctx, j.ID); err != nil {
		return nil, err
	}
	return api.CancelImport200JSONResponse(j.toAPI(true)), nil
}
