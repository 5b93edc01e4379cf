package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/puente-mre/puente/pkg/client"
)

const importUsage = `usage: puentectl import FILE --resource R [flags]

Uploads FILE to POST /v1/imports, waits for the job and prints its report.
Exit status: 0 when the job succeeded and no row failed; 1 when rows failed, the job failed or
was cancelled, or the server refused the request; 2 for usage errors; 130 on Ctrl-C (the job
is cancelled).

Environment: PUENTE_URL (default http://localhost:8080), PUENTE_CLIENT_ID, PUENTE_CLIENT_SECRET.

flags:
`

// importOptions are the flags of puentectl import.
type importOptions struct {
	file           string
	resource       string
	validate       bool
	strategy       string
	atomic         string
	key            string
	maxErrors      int
	format         string
	gzip           bool
	idempotencyKey string
	noWait         bool
}

// parseImport reads the arguments of puentectl import.
func parseImport(args []string, stderr io.Writer) (importOptions, error) {
	var o importOptions
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	fs.StringVar(&o.resource, "resource", "", "what the file holds: institutions, observations, … (required)")
	fs.BoolVar(&o.validate, "validate", false, "a dry run: validate every row, write nothing, report what a commit would do")
	fs.StringVar(&o.strategy, "strategy", "", "create, update or upsert (server default: upsert)")
	fs.StringVar(&o.atomic, "atomic", "", "all (one bad row and nothing is written) or none (server default: good rows are written)")
	fs.StringVar(&o.key, "key", "", "what rows are matched on: code, external_id or id (server default: the resource's natural key)")
	fs.IntVar(&o.maxErrors, "max-errors", 0, "stop once this many rows failed (server default: 1000)")
	fs.StringVar(&o.format, "format", "", "ndjson, csv or json (default: from FILE's extension: .ndjson, .jsonl, .csv, .json, each optionally .gz)")
	fs.StringVar(&o.idempotencyKey, "idempotency-key", "", "sending the same file again with this key does not import it twice")
	fs.BoolVar(&o.noWait, "no-wait", false, "print the job and return without waiting for it to finish")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return o, flagError(err)
	}
	switch {
	case len(pos) == 0:
		return o, usageError("import: missing FILE (puentectl import -h for help)")
	case len(pos) > 1:
		return o, usageError("import: one FILE at a time, got %d: %s", len(pos), strings.Join(pos, " "))
	case o.resource == "":
		return o, usageError("import: --resource is required (one of %s)", resourceNames())
	case !client.ImportResource(o.resource).Valid():
		return o, usageError("import: unknown resource %q (one of %s)", o.resource, resourceNames())
	case o.strategy != "" && !client.ImportStrategy(o.strategy).Valid():
		return o, usageError("import: --strategy must be create, update or upsert")
	case o.atomic != "" && !client.ImportAtomic(o.atomic).Valid():
		return o, usageError("import: --atomic must be all or none")
	case o.key != "" && !client.ImportKey(o.key).Valid():
		return o, usageError("import: --key must be code, external_id or id")
	case o.maxErrors < 0 || o.maxErrors > 100000:
		return o, usageError("import: --max-errors must be between 1 and 100000")
	case o.format != "" && !client.ImportFormat(o.format).Valid():
		return o, usageError("import: --format must be ndjson, csv or json")
	}
	o.file = pos[0]
	format, gz := detectFormat(o.file)
	o.gzip = gz
	if o.format == "" {
		if format == "" {
			return o, usageError("import: cannot tell the format of %s from its name: use --format ndjson, csv or json", o.file)
		}
		o.format = format
	}
	return o, nil
}

// detectFormat tells a file's format by its extension; a trailing .gz means it is compressed.
func detectFormat(name string) (format string, gzip bool) {
	name = strings.ToLower(name)
	if strings.HasSuffix(name, ".gz") {
		gzip, name = true, strings.TrimSuffix(name, ".gz")
	}
	switch filepath.Ext(name) {
	case ".ndjson", ".jsonl":
		return "ndjson", gzip
	case ".csv":
		return "csv", gzip
	case ".json":
		return "json", gzip
	}
	return "", gzip
}

var contentTypes = map[string]string{"ndjson": "application/x-ndjson", "csv": "text/csv", "json": "application/json"}

func resourceNames() string {
	return "institutions, legal-instruments, functions, mandate-scenarios, mandate-assignments, data-sources, " +
		"indicators, observations, data-gaps, practices, events, consultation-inputs, services, actions, " +
		"results, activities, deliverables, blueprints, blueprint-chapters, blueprint-articles"
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseImport(args, stderr)
	if err != nil {
		return err
	}
	f, err := os.Open(o.file)
	if err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return usageError("import: %s is a directory", o.file)
	}

	// Ctrl-C ends ctx; the job, once it exists, is then cancelled on the server. A second
	// Ctrl-C kills puentectl at once.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); stop() }()

	r, err := connect(ctx, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, msg: "interrupted"}
		}
		return err
	}
	job, location, err := r.upload(ctx, o, f, st)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, msg: "interrupted before the server answered: if the upload had completed, the import may run (GET /v1/imports lists the jobs)"}
		}
		return err
	}
	if !final(job.Status) {
		if o.noWait {
			fmt.Fprintf(stdout, "import %s: %s\n%s\n", job.Id, job.Status, location)
			return nil
		}
		job, err = r.wait(ctx, job, location, o, stdout)
		if err != nil {
			return err
		}
	}
	printReport(stdout, job)
	if job.Status == "succeeded" && job.Report.Failed == 0 {
		return nil
	}
	return &exitError{code: exitFailed}
}

// final reports whether a job's status is the last it will have.
func final(s client.ImportStatus) bool {
	return s == "succeeded" || s == "failed" || s == "cancelled"
}

// upload streams the file to POST /v1/imports and returns the job and where to poll it.
func (r *remote) upload(ctx context.Context, o importOptions, f *os.File, st os.FileInfo) (client.ImportJob, string, error) {
	var job client.ImportJob
	params := &client.CreateImportParams{Resource: client.ImportResource(o.resource), Prefer: ptr("wait=2")}
	if o.validate {
		params.Mode = ptr(client.ImportMode("validate"))
	}
	if o.strategy != "" {
		params.Strategy = ptr(client.ImportStrategy(o.strategy))
	}
	if o.atomic != "" {
		params.Atomic = ptr(client.ImportAtomic(o.atomic))
	}
	if o.key != "" {
		params.Key = ptr(client.ImportKey(o.key))
	}
	if o.maxErrors > 0 {
		params.MaxErrors = ptr(o.maxErrors)
	}
	if o.gzip {
		params.ContentEncoding = ptr("gzip")
	}
	if o.idempotencyKey != "" {
		params.IdempotencyKey = ptr(client.IdempotencyKey(o.idempotencyKey))
	}

	total := int64(-1)
	if st.Mode().IsRegular() {
		total = st.Size()
	}
	body := &uploadReader{r: f, total: total, start: r.now(),
		m: newMeter(r.stderr, r.tty, r.now, "uploading "+filepath.Base(o.file))}
	defer body.stop()
	req, err := client.NewCreateImportRequestWithBody(r.base, params, contentTypes[o.format], body)
	if err != nil {
		return job, "", err
	}
	req = req.WithContext(ctx)
	req.Header.Set("Accept", "application/json")
	switch {
	case total == 0:
		req.Body, req.ContentLength = http.NoBody, 0
	case total > 0:
		req.ContentLength = total // a declared length, not chunks
	default:
		req.ContentLength = -1
	}
	res, err := r.do(req)
	body.stop()
	if err != nil {
		return job, "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusAccepted {
		return job, "", fmt.Errorf("unexpected answer to the upload: %s", res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(&job); err != nil {
		return job, "", fmt.Errorf("reading the job: %w", err)
	}
	location := r.base + "/v1/imports/" + job.Id.String()
	if loc := res.Header.Get("Location"); loc != "" {
		if u, err := req.URL.Parse(loc); err == nil {
			location = u.String()
		}
	}
	return job, location, nil
}

// wait polls the job until its status is final, showing the rows read. Ctrl-C cancels it.
func (r *remote) wait(ctx context.Context, job client.ImportJob, location string, o importOptions, stdout io.Writer) (client.ImportJob, error) {
	m := newMeter(r.stderr, r.tty, r.now, "importing")
	show := func(j client.ImportJob, force bool) {
		frac := -1.0
		if !o.gzip && j.BodyBytes != nil && *j.BodyBytes > 0 {
			frac = float64(j.BytesRead) / float64(*j.BodyBytes)
		}
		m.update(frac, fmt.Sprintf("%s rows read (%s)", thousands(j.RowsRead), j.Status), force)
	}
	show(job, false)
	t := time.NewTicker(r.poll)
	defer t.Stop()
	for !final(job.Status) {
		select {
		case <-ctx.Done():
			m.end("")
			return job, r.cancel(ctx, job, location, stdout)
		case <-t.C:
		}
		var next client.ImportJob
		if err := r.send(ctx, http.MethodGet, location, &next); err != nil {
			if ctx.Err() != nil {
				m.end("")
				return job, r.cancel(ctx, job, location, stdout)
			}
			m.end("")
			return job, fmt.Errorf("following import %s: %w", job.Id, err)
		}
		job = next
		show(job, false)
	}
	m.end(fmt.Sprintf("importing: %s rows read", thousands(job.RowsRead)))
	return job, nil
}

// cancel asks the server to cancel the job after Ctrl-C, waits a little for it to stop, and
// prints the report of what it did before it stopped.
func (r *remote) cancel(ctx context.Context, job client.ImportJob, location string, stdout io.Writer) error {
	ctx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	fmt.Fprintf(r.stderr, "interrupted: cancelling import %s\n", job.Id)
	err := r.send(ctx, http.MethodDelete, location, &job)
	var pe *problemError
	if errors.As(err, &pe) && pe.status == http.StatusConflict { // it had finished meanwhile
		err = r.send(ctx, http.MethodGet, location, &job)
	}
	if err != nil {
		return &exitError{code: exitInterrupted, msg: fmt.Sprintf("cancelling import %s failed: %v", job.Id, err)}
	}
	// A running job stops at its next batch.
	for !final(job.Status) {
		select {
		case <-ctx.Done():
			return &exitError{code: exitInterrupted, msg: fmt.Sprintf("import %s is stopping (%s); see %s", job.Id, job.Status, location)}
		case <-time.After(r.poll):
		}
		if err := r.send(ctx, http.MethodGet, location, &job); err != nil {
			return &exitError{code: exitInterrupted, msg: fmt.Sprintf("import %s is stopping; see %s", job.Id, location)}
		}
	}
	printReport(stdout, job)
	return &exitError{code: exitInterrupted}
}

// maxShown is how many row errors the report lists.
const maxShown = 20

// printReport writes a job's outcome: counts, row errors, why it failed.
func printReport(w io.Writer, job client.ImportJob) {
	rep := job.Report
	fmt.Fprintf(w, "import %s (%s, %s): %s\n", job.Id, job.Resource, job.Mode, job.Status)
	fmt.Fprintf(w, "created %s, updated %s, unchanged %s, failed %s\n",
		thousands(rep.Created), thousands(rep.Updated), thousands(rep.Unchanged), thousands(rep.Failed))
	switch {
	case job.Mode == "validate":
		fmt.Fprintln(w, "nothing written: validate mode (the counts are what a commit would do)")
	case !rep.Committed && final(job.Status) && job.Atomic == "all":
		fmt.Fprintln(w, "nothing written (atomic=all)")
	case !rep.Committed && final(job.Status):
		fmt.Fprintln(w, "nothing written")
	}
	for i, e := range rep.Errors {
		if i == maxShown {
			break
		}
		if e.Field == "" {
			fmt.Fprintf(w, "line %d: %s\n", e.Line, e.Message)
		} else {
			fmt.Fprintf(w, "line %d: %s: %s\n", e.Line, e.Field, e.Message)
		}
	}
	shown := min(len(rep.Errors), maxShown)
	switch more := len(rep.Errors) - shown; {
	case rep.ErrorsTruncated: // the server stopped listing: at least one more per failed row
		fmt.Fprintf(w, "… and at least %s more\n", thousands(max(int64(more), rep.Failed-int64(shown))))
	case more > 0:
		fmt.Fprintf(w, "… and %s more\n", thousands(int64(more)))
	}
	if job.Failure != nil {
		fmt.Fprintf(w, "failure: %s: %s\n", job.Failure.Reason, job.Failure.Message)
	}
}

func ptr[T any](v T) *T { return &v }
