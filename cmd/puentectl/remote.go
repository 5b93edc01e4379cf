package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/puente-mre/puente/pkg/client"
)

// Exit statuses of import and export.
const (
	exitFailed      = 1   // rows failed, the job failed or was cancelled, the server refused
	exitUsage       = 2   // bad flags or arguments, missing credentials
	exitInterrupted = 130 // Ctrl-C
)

// exitError ends puentectl with code, printing msg (when not empty) after "puentectl: ".
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, a...)}
}

// exitStatus prints err (if any) on stderr and returns the process's exit status.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "puentectl:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "puentectl:", err)
	return exitFailed
}

// problemError is an application/problem+json answer.
type problemError struct {
	status  int
	problem client.Problem
	body    string // when the answer was not a problem
}

func (e *problemError) Error() string {
	var b strings.Builder
	title := e.problem.Title
	if title == "" {
		title = fmt.Sprintf("%d %s", e.status, http.StatusText(e.status))
	}
	b.WriteString(title)
	switch {
	case e.problem.Detail != nil && *e.problem.Detail != "":
		b.WriteString(": " + *e.problem.Detail)
	case e.problem.ErrorDescription != nil && *e.problem.ErrorDescription != "":
		b.WriteString(": " + *e.problem.ErrorDescription)
	case e.body != "":
		b.WriteString(": " + e.body)
	}
	if e.problem.Errors != nil {
		for _, fe := range *e.problem.Errors {
			fmt.Fprintf(&b, "\n  %s: %s", fe.Field, fe.Message)
		}
	}
	return b.String()
}

// readProblem turns an error answer into a problemError.
func readProblem(res *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return parseProblem(res.StatusCode, raw)
}

func parseProblem(status int, raw []byte) error {
	e := &problemError{status: status}
	if err := json.Unmarshal(raw, &e.problem); err != nil || e.problem.Title == "" {
		e.problem = client.Problem{}
		body := strings.TrimSpace(string(raw))
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		e.body = body
	}
	return e
}

// remote is a connection to a running Puente server, authenticated with client credentials.
type remote struct {
	base   string // PUENTE_URL without a trailing slash
	http   *http.Client
	tokens *client.TokenSource
	stderr io.Writer
	tty    bool // stderr is a terminal
	now    func() time.Time
	poll   time.Duration // how often a job is polled
}

const defaultURL = "http://localhost:8080"

// connect reads PUENTE_URL, PUENTE_CLIENT_ID and PUENTE_CLIENT_SECRET and obtains a token, so
// that bad credentials show before any upload starts.
func connect(ctx context.Context, stderr io.Writer) (*remote, error) {
	base := strings.TrimRight(os.Getenv("PUENTE_URL"), "/")
	if base == "" {
		base = defaultURL
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError("PUENTE_URL %q is not an http(s) URL", base)
	}
	id, secret := os.Getenv("PUENTE_CLIENT_ID"), os.Getenv("PUENTE_CLIENT_SECRET")
	if id == "" || secret == "" {
		return nil, usageError("set PUENTE_CLIENT_ID and PUENTE_CLIENT_SECRET to an API client's credentials (puentectl clients create)")
	}
	ts, err := client.NewClientCredentialsSource(base, id, secret)
	if err != nil {
		return nil, err
	}
	r := &remote{base: base, http: &http.Client{}, tokens: ts, stderr: stderr, tty: isTerminal(stderr),
		now: time.Now, poll: 500 * time.Millisecond}
	if _, err := ts.Token(ctx); err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("cannot reach %s: %w", base, ue.Err)
		}
		return nil, tokenError(err)
	}
	return r, nil
}

// tokenError presents a failure of the token endpoint. TokenSource reports the answer's body
// in its message; when that body is a problem it is shown like any other.
func tokenError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "{"); i >= 0 {
		var p client.Problem
		if json.Unmarshal([]byte(msg[i:]), &p) == nil && p.Title != "" {
			return fmt.Errorf("cannot authenticate: %w", &problemError{status: p.Status, problem: p})
		}
	}
	return fmt.Errorf("cannot authenticate: %w", err)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// do sends req with a bearer token. An answer of 400 or more is returned as a problemError.
func (r *remote) do(req *http.Request) (*http.Response, error) {
	if err := r.tokens.Authorize(req.Context(), req); err != nil {
		return nil, tokenError(err)
	}
	res, err := r.http.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode >= 400 {
		defer res.Body.Close()
		return nil, readProblem(res)
	}
	return res, nil
}

// send makes a bodyless request (GET or DELETE of a job) and decodes the JSON answer into v.
func (r *remote) send(ctx context.Context, method, url string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // a server that stops answering is not waited on forever
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	res, err := r.do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return json.NewDecoder(res.Body).Decode(v)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// parseInterleaved parses flags that may come before or after the positional arguments
// (`import data.csv --resource institutions`), and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// flagError maps a flag parsing error to an exit status: -h is not a failure.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return &exitError{code: 0}
	}
	return &exitError{code: exitUsage} // the flag package printed the message and the usage
}
