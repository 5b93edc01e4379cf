package imports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/puente-mre/puente/internal/paging"
)

// ExportPageSize is the page an export asks its list for: the largest a list serves.
const ExportPageSize = paging.MaxSize

// ListParams converts an export's parameters into its list's: they are the list's filters plus
// format, under the same JSON names, so the list's own binding of each filter is reused.
func ListParams[L any](export any) L {
	var out L
	b, err := json.Marshal(export)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		panic(fmt.Sprintf("imports: export parameters do not convert to %T: %v", out, err))
	}
	return out
}

// PageFunc returns the page of records after token (nil: the first page) and the token of the
// next page ("" after the last), by calling the resource's list handler.
type PageFunc[T any] func(ctx context.Context, token *string) (items []T, next string, err error)

// Export is an export's answer: its body and whether it is CSV (else NDJSON).
type Export struct {
	Body io.Reader
	CSV  bool
}

// Stream exports every record pages yields, in the representation schema represent (which
// fixes the CSV columns). The first page is read before Stream returns, so a filter the list
// refuses is still an ordinary error answer; the rest stream from a goroutine as the client
// reads. If a later page fails, the connection is aborted, so the client sees a broken
// transfer, never a file that looks complete.
func Stream[T any, F ~string](ctx context.Context, format *F, represent string, pages PageFunc[T]) (Export, error) {
	first, next, err := pages(ctx, nil)
	if err != nil {
		return Export{}, err
	}
	asCSV := format != nil && *format == "csv"
	var enc rowEncoder = &ndjsonEncoder{}
	if asCSV {
		cols, err := csvColumns(represent)
		if err != nil {
			return Export{}, err
		}
		enc = newCSVEncoder(cols)
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 64<<10)
		err := enc.header(w)
		items := first
		for err == nil {
			for _, it := range items {
				if err = enc.row(w, it); err != nil {
					break
				}
			}
			if err != nil || next == "" {
				break
			}
			token := next
			items, next, err = pages(ctx, &token)
		}
		if err == nil {
			err = w.Flush()
		}
		pw.CloseWithError(err)
	}()
	return Export{Body: &abortingReader{r: pr, what: represent}, CSV: asCSV}, nil
}

// abortingReader aborts the HTTP response when the export fails midway: the status and part of
// the body are already sent, and ending the chunked body cleanly would pass a truncated file off
// as whole.
type abortingReader struct {
	r    *io.PipeReader
	what string
}

func (a *abortingReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err != nil && err != io.EOF {
		slog.Error("export failed midway; aborting the response", "resource", a.what, "err", err)
		_ = a.r.CloseWithError(err) // stop the producer
		panic(http.ErrAbortHandler)
	}
	return n, err
}

type rowEncoder interface {
	header(w *bufio.Writer) error
	row(w *bufio.Writer, item any) error
}

type ndjsonEncoder struct{ buf bytes.Buffer }

func (*ndjsonEncoder) header(*bufio.Writer) error { return nil }

func (e *ndjsonEncoder) row(w *bufio.Writer, item any) error {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(item); err != nil { // Encode ends the line
		return fmt.Errorf("encode export row: %w", err)
	}
	_, err := w.Write(e.buf.Bytes())
	return err
}

// csvColumn is one CSV column: a member of the representation, or a member of a member that
// is an object with fixed properties (a localized text's "name.es").
type csvColumn struct{ path []string }

type csvEncoder struct {
	cols  []csvColumn
	names []string
	cells []string
	cw    *csv.Writer
}

func newCSVEncoder(cols []csvColumn) *csvEncoder {
	e := &csvEncoder{cols: cols, cells: make([]string, len(cols))}
	for _, c := range cols {
		e.names = append(e.names, strings.Join(c.path, "."))
	}
	return e
}

func (e *csvEncoder) header(w *bufio.Writer) error {
	e.cw = csv.NewWriter(w)
	return e.cw.Write(e.names)
}

func (e *csvEncoder) row(_ *bufio.Writer, item any) error {
	b, err := json.Marshal(item)
	if err != nil {
		return fmt.Errorf("encode export row: %w", err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("decode export row: %w", err)
	}
	for i, c := range e.cols {
		var v any = m
		for _, p := range c.path {
			obj, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = obj[p]
		}
		e.cells[i] = cell(v)
	}
	if err := e.cw.Write(e.cells); err != nil {
		return err
	}
	e.cw.Flush()
	return e.cw.Error()
}

// cell is v as a CSV cell: strings as they are, numbers and booleans as JSON writes them, null
// as an empty cell, arrays and objects as JSON.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

// csvColumns are the columns of schema name's CSV form: its members in name order, an object
// member with fixed properties spread over dotted columns.
func csvColumns(name string) ([]csvColumn, error) {
	s, err := schema(name)
	if err != nil {
		return nil, err
	}
	var cols []csvColumn
	for _, p := range sortedKeys(s.Properties) {
		sub := resolve(s.Properties[p])
		if isFixedObject(sub) {
			for _, q := range sortedKeys(sub.Properties) {
				cols = append(cols, csvColumn{path: []string{p, q}})
			}
			continue
		}
		cols = append(cols, csvColumn{path: []string{p}})
	}
	return cols, nil
}

func sortedKeys(m openapi3.Schemas) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
