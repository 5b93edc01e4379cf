package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/puente-mre/puente/pkg/client"
)

const exportUsage = `usage: puentectl export RESOURCE [--format ndjson|csv] [--output FILE] [--filter name=value ...]

Streams GET /v1/exports/RESOURCE to FILE (default: stdout). Filters are the list endpoint's
query parameters (repeat --filter for several values: --filter country=PE --filter country=CL).
Exit status: 0 when the whole export was written; 1 when the server refused it or the stream
broke (--output is then left untouched); 2 for usage errors.

Environment: PUENTE_URL (default http://localhost:8080), PUENTE_CLIENT_ID, PUENTE_CLIENT_SECRET.

flags:
`

type exportOptions struct {
	resource string
	format   string
	output   string
	query    url.Values
}

func parseExport(args []string, stderr io.Writer) (exportOptions, error) {
	var o exportOptions
	var filters multi
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage); fs.PrintDefaults() }
	fs.StringVar(&o.format, "format", "", "ndjson or csv (default: csv when --output ends in .csv, else ndjson)")
	fs.StringVar(&o.output, "output", "", "write to this file instead of stdout (replaced only when the export completes)")
	fs.Var(&filters, "filter", "a filter of the list endpoint as name=value (repeatable)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return o, flagError(err)
	}
	switch {
	case len(pos) == 0:
		return o, usageError("export: missing RESOURCE (one of %s)", resourceNames())
	case len(pos) > 1:
		return o, usageError("export: one RESOURCE at a time, got %s", strings.Join(pos, " "))
	case !client.ImportResource(pos[0]).Valid():
		return o, usageError("export: unknown resource %q (one of %s)", pos[0], resourceNames())
	}
	o.resource = pos[0]
	if o.format == "" {
		o.format = "ndjson"
		if strings.EqualFold(filepath.Ext(o.output), ".csv") {
			o.format = "csv"
		}
	}
	if o.format != "ndjson" && o.format != "csv" {
		return o, usageError("export: --format must be ndjson or csv")
	}
	o.query = url.Values{"format": {o.format}}
	for _, f := range filters {
		name, value, ok := strings.Cut(f, "=")
		name = strings.TrimSpace(name)
		switch {
		case !ok || name == "":
			return o, usageError("export: --filter %q is not name=value", f)
		case name == "format":
			return o, usageError("export: use --format, not --filter format=…")
		}
		o.query.Add(name, value)
	}
	return o, nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseExport(args, stderr)
	if err != nil {
		return err
	}
	r, err := connect(ctx, stderr)
	if err != nil {
		return err
	}
	u := r.base + "/v1/exports/" + url.PathEscape(o.resource) + "?" + o.query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	res, err := r.do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("unexpected answer to the export: %s", res.Status)
	}
	if o.output == "" {
		if _, err := io.Copy(stdout, res.Body); err != nil {
			return fmt.Errorf("export of %s broke off: %w", o.resource, err)
		}
		return nil
	}
	// Into a temporary file beside the output, renamed over it only once complete, so a broken
	// export never leaves a truncated file that looks whole.
	tmp, err := os.CreateTemp(filepath.Dir(o.output), "."+filepath.Base(o.output)+".*.partial")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	n, err := io.Copy(tmp, res.Body)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("export of %s broke off after %s: %w", o.resource, humanBytes(n), err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), o.output); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %s to %s (%s)\n", o.resource, o.output, humanBytes(n))
	return nil
}
