package imports

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/imports/rows"
)

// Path is where imports are posted; the HTTP layer streams its body (no validation of the body
// by the contract, no buffering by the idempotency middleware) up to Options.MaxBodyBytes.
const Path = "/v1/imports"

// maxWait bounds Prefer: wait.
const maxWait = 60 * time.Second

var preferWait = regexp.MustCompile(`(?i)(?:^|[,;\s])wait\s*=\s*(\d+)`)

// Create starts an import: POST /v1/imports. It is a plain Echo handler, not a strict one, so the
// body streams to a spool file instead of being decoded whole; the contract's validator has
// already checked its query, headers and scopes.
func (e *Engine) Create(c echo.Context) error {
	req := c.Request()
	ctx := req.Context()
	a := actor.From(ctx)
	q := c.QueryParams()
	j, res, err := e.newJob(a, q)
	if err != nil {
		return err
	}
	if err := authorizeImport(a, res); err != nil {
		return err
	}
	format, err := rows.FormatOf(req.Header.Get(echo.HeaderContentType))
	if err != nil {
		return apperr.Wrap(err, apperr.UnsupportedMedia, "%s", err.Error())
	}
	j.Format = string(format)
	switch enc := strings.ToLower(strings.TrimSpace(req.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		j.Gzip = true
	default:
		return apperr.New(apperr.UnsupportedMedia, "Content-Encoding %q is not accepted; send gzip or an uncompressed body", enc)
	}
	spool, size, sum, err := e.spoolBody(c)
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			os.Remove(spool)
		}
	}()
	j.BodyBytes, j.BodySha256 = size, sum
	if k := req.Header.Get("Idempotency-Key"); k != "" {
		j.IdempotencyKey = &k
	}
	created, err := e.insertJob(ctx, &j)
	if err != nil {
		return err
	}
	if !created { // the same key and body started a job already: answer it
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return e.answer(c, j)
	}
	keep = true
	live := &liveJob{done: make(chan struct{})}
	jctx, cancel := context.WithCancelCause(e.base)
	live.cancel = cancel
	e.mu.Lock()
	e.live[j.ID] = live
	e.mu.Unlock()
	e.wg.Add(1)
	jctx = actor.WithRequest(actor.With(jctx, a), actor.RequestFrom(ctx))
	go func() {
		defer cancel(nil)
		e.execute(jctx, j, spool)
	}()
	if wait := waitFor(req.Header.Get("Prefer")); wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-live.done:
		case <-timer.C:
		case <-ctx.Done():
		}
	}
	if j, err = e.find(ctx, j.ID); err != nil {
		return err
	}
	return e.answer(c, j)
}

// answer sends a job: 201 once it has finished, 202 while it is queued or running.
func (e *Engine) answer(c echo.Context, j job) error {
	c.Response().Header().Set(echo.HeaderLocation, Path+"/"+j.ID.String())
	status := http.StatusAccepted
	if j.final() {
		status = http.StatusCreated
	}
	return c.JSON(status, j.toAPI(true))
}

// waitFor reads RFC 7240's Prefer: wait=N.
func waitFor(prefer string) time.Duration {
	m := preferWait.FindStringSubmatch(prefer)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return maxWait
	}
	return min(time.Duration(n)*time.Second, maxWait)
}

// newJob reads the import's options.
//
// Errors: Invalid (a resource that cannot be imported, a key it has not).
func (e *Engine) newJob(a actor.Actor, q map[string][]string) (job, *Resource, error) {
	get := func(name, def string) string {
		if v := q[name]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
		return def
	}
	name := get("resource", "")
	res, ok := e.registry[name]
	if !ok {
		return job{}, nil, apperr.New(apperr.Invalid, "the request does not match the API contract").
			WithField("query.resource", "not an importable resource")
	}
	key, _, err := res.keyColumns(get("key", ""))
	if err != nil {
		keys := make([]string, 0, len(res.Keys))
		for k := range res.Keys {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return job{}, nil, apperr.New(apperr.Invalid, "the request does not match the API contract").
			WithField("query.key", fmt.Sprintf("%s are matched on %s", name, strings.Join(keys, " or ")))
	}
	maxErrors, err := strconv.Atoi(get("max_errors", "1000"))
	if err != nil || maxErrors < 1 {
		return job{}, nil, apperr.New(apperr.Invalid, "the request does not match the API contract").
			WithField("query.max_errors", "must be a positive integer")
	}
	label := a.Label
	if label == "" {
		label = a.ID
	}
	return job{
		ID: uuid.Must(uuid.NewV7()), Resource: name, Status: Queued, Mode: get("mode", "commit"),
		Strategy: get("strategy", "upsert"), Atomic: get("atomic", "none"), Key: key, MaxErrors: maxErrors,
		Owner: ownerOf(a), CreatedBy: label, Report: []byte(`{"errors":[]}`), Runner: &e.runner,
	}, res, nil
}

// authorizeImport lets importers, coordinators and admins import any resource they may write,
// and editors and partners only resources whose records belong to an institution (each row is
// then checked to be theirs).
//
// Errors: Forbidden.
func authorizeImport(a actor.Actor, res *Resource) error {
	if a.Kind != actor.System && !a.HasScope(res.WriteScope) {
		return apperr.New(apperr.Forbidden, "importing %s needs the %s scope", res.Name, res.WriteScope)
	}
	if !a.ScopedToInstitution() {
		return nil
	}
	if res.Owner == "" {
		return apperr.New(apperr.Forbidden, "only importers, coordinators and admins may import %s", res.Name)
	}
	if a.InstitutionID == nil {
		return apperr.New(apperr.Forbidden, "your account belongs to no institution, so you may not import records")
	}
	return nil
}

// spoolBody copies the request body to a temporary file, hashing it, up to the body limit.
//
// Errors: TooLarge, Invalid (an empty body, or one the client stopped sending).
func (e *Engine) spoolBody(c echo.Context) (path string, size int64, sum []byte, err error) {
	req := c.Request()
	if req.ContentLength > e.opts.MaxBodyBytes {
		return "", 0, nil, e.tooLarge()
	}
	f, err := os.CreateTemp(e.opts.SpoolDir, "puente-import-*")
	if err != nil {
		return "", 0, nil, fmt.Errorf("spool import body: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("spool import body: %w", cerr)
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	body := http.MaxBytesReader(c.Response(), req.Body, e.opts.MaxBodyBytes)
	size, err = io.Copy(io.MultiWriter(f, h), body)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return f.Name(), 0, nil, e.tooLarge()
	case err != nil:
		return f.Name(), 0, nil, apperr.Wrap(err, apperr.Invalid, "the body could not be read to its end")
	case size == 0:
		return f.Name(), 0, nil, apperr.New(apperr.Invalid, "the body is empty: send the file's rows")
	}
	return f.Name(), size, h.Sum(nil), nil
}

func (e *Engine) tooLarge() error {
	return apperr.New(apperr.TooLarge, "the body is larger than the import limit of %d bytes (PUENTE_MAX_IMPORT_BYTES); split the file", e.opts.MaxBodyBytes)
}

// insertJob stores j as queued. With an idempotency key already used by the caller, it loads
// that job into j instead and reports false.
//
// Errors: Unprocessable (the key was used with another body or other options).
func (e *Engine) insertJob(ctx context.Context, j *job) (bool, error) {
	tx := e.db.Conn(ctx)
	res := tx.Exec(`INSERT INTO import_jobs (id, resource, status, mode, strategy, atomic, key, format, gzip, max_errors,
    body_bytes, owner, created_by, idempotency_key, body_sha256, report, runner, heartbeat_at)
VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
		j.ID, j.Resource, j.Mode, j.Strategy, j.Atomic, j.Key, j.Format, j.Gzip, j.MaxErrors,
		j.BodyBytes, j.Owner, j.CreatedBy, j.IdempotencyKey, j.BodySha256, string(j.Report), j.Runner)
	if res.Error != nil {
		return false, fmt.Errorf("store import job: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	var first job
	if err := tx.Where("owner = ? AND idempotency_key = ?", j.Owner, *j.IdempotencyKey).Take(&first).Error; err != nil {
		return false, fmt.Errorf("load import job by idempotency key: %w", err)
	}
	same := string(first.BodySha256) == string(j.BodySha256) && first.Resource == j.Resource && first.Mode == j.Mode &&
		first.Strategy == j.Strategy && first.Atomic == j.Atomic && first.Key == j.Key && first.Format == j.Format &&
		first.Gzip == j.Gzip && first.MaxErrors == j.MaxErrors
	if !same {
		return false, apperr.New(apperr.Unprocessable, "this Idempotency-Key was used with another body or other options; use a new key for a new import")
	}
	*j = first
	return false, nil
}
