// Package rows turns an import's request body — NDJSON, CSV or a JSON array, optionally gzip —
// into a stream of rows, one at a time, with errors a person can act on.
//
// The body is never held whole: memory is bounded by a 64 KiB read buffer and a small multiple
// of Options.MaxRowBytes, however long the body, or a broken or huge row in it. Every row and
// every error carries the 1-based line of the (inflated) body where the row starts, counted
// exactly, so "line 9812" is the line an editor shows.
//
// Three kinds of error come out of Next:
//   - *RowError: this row is bad (wrong number of CSV fields, not a JSON object, a JSON member
//     named twice, invalid UTF-8, a NUL — which PostgreSQL's text cannot hold —, over
//     MaxRowBytes, broken CSV quoting the reader could recover from, broken JSON on an NDJSON
//     line). Reading continues with the next row; the caller decides whether to skip it or stop.
//   - *BodyError: the body cannot be read any further (broken JSON syntax, a CSV quoted field never
//     closed, a bad CSV header, not gzip, an empty file). Fatal.
//   - *LimitError: the body is larger than MaxBodyBytes. Fatal.
//
// Any other error comes from reading the request itself (a client that went away, a server-side
// http.MaxBytesReader) and is returned wrapped; it is fatal too.
//
// What a field means — a missing required column, a wrong type — is not this package's concern.
package rows

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
)

// Format is how a body is encoded.
type Format string

// The accepted formats.
const (
	NDJSON Format = "ndjson" // one JSON object per line
	CSV    Format = "csv"    // a header row, then one record per row
	JSON   Format = "json"   // one JSON array of objects
)

// ErrUnsupportedType is wrapped by FormatOf's errors; the HTTP layer answers it with 415.
var ErrUnsupportedType = errors.New("unsupported Content-Type")

// mediaTypes maps each accepted media type to its format.
var mediaTypes = map[string]Format{
	"application/x-ndjson": NDJSON,
	"application/ndjson":   NDJSON,
	"text/csv":             CSV,
	"application/json":     JSON,
}

const sendAccepted = "send application/x-ndjson, application/ndjson, text/csv or application/json"

// FormatOf picks the format from a Content-Type header. A charset parameter other than UTF-8 is
// refused, since every format is read as UTF-8. Errors wrap ErrUnsupportedType and name the
// accepted types.
func FormatOf(contentType string) (Format, error) {
	if strings.TrimSpace(contentType) == "" {
		return "", fmt.Errorf("%w: the request has no Content-Type; %s", ErrUnsupportedType, sendAccepted)
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("%w: %q cannot be parsed; %s", ErrUnsupportedType, contentType, sendAccepted)
	}
	f, ok := mediaTypes[mt]
	if !ok {
		return "", fmt.Errorf("%w: %q; %s", ErrUnsupportedType, mt, sendAccepted)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "", fmt.Errorf("%w: charset %q; the body must be UTF-8 (declare charset=utf-8 or none)", ErrUnsupportedType, cs)
	}
	return f, nil
}

// DefaultMaxRowBytes is the row limit when Options.MaxRowBytes is zero.
const DefaultMaxRowBytes = 64 << 10

// Options bound what a reader accepts.
type Options struct {
	// MaxRowBytes bounds one row — an NDJSON line, a CSV record, a JSON array element — counted on
	// the raw bytes without the line's terminating newline. A longer row is a *RowError for that
	// row; it is skipped without being held in memory. Zero means DefaultMaxRowBytes.
	MaxRowBytes int
	// MaxBodyBytes bounds the body after decompression; reading stops with a *LimitError as soon as
	// it would go past it, without reading further. Zero means no limit.
	MaxBodyBytes int64
	// Gzip says the body is gzip (Content-Encoding: gzip). It is inflated while reading, and the
	// inflated bytes count against MaxBodyBytes, so a zip bomb stops at the limit.
	Gzip bool

	bufSize int // the read buffer; tests shrink it to cross buffer boundaries often
}

// Row is one record of the body.
type Row struct {
	// Line is the 1-based line of the inflated body where the row starts.
	Line int
	// Fields are the row's values. From NDJSON and JSON: the object's members as encoding/json
	// decodes them into any, except that numbers are json.Number, so no precision is lost. From
	// CSV: column name → the cell as a string; every column of the header is present, and an
	// empty cell is "" — whether that means null, "leave unchanged" or an error is for the caller.
	// The strings share one copy of the row, so keeping any of them keeps the row's bytes.
	Fields map[string]any
}

// Reader yields the rows of a body one by one.
type Reader interface {
	// Next returns the next row, or io.EOF after the last one. After a *RowError the caller may
	// call Next again to read on; after any other error Next keeps returning that error.
	Next() (Row, error)
	// Columns is the CSV header, trimmed, in file order; nil for the JSON formats.
	Columns() []string
}

// NewReader reads body as format f. It reads the start of the body — the gzip header, a byte
// order mark, the CSV header, the opening bracket of a JSON array, the first non-blank NDJSON
// line — so it returns the fatal errors Next would (an empty file is a *BodyError wrapping
// ErrEmpty). A byte order mark (UTF-8) is skipped in every format; a UTF-16 one is refused.
func NewReader(body io.Reader, f Format, o Options) (Reader, error) {
	if o.MaxRowBytes < 0 || o.MaxBodyBytes < 0 {
		return nil, errors.New("rows: MaxRowBytes and MaxBodyBytes cannot be negative")
	}
	if o.MaxRowBytes == 0 {
		o.MaxRowBytes = DefaultMaxRowBytes
	}
	if o.bufSize == 0 {
		o.bufSize = 64 << 10
	}
	in := newInput(newBody(body, o.Gzip, o.MaxBodyBytes), o.bufSize)
	if err := in.skipBOM(); err != nil {
		return nil, err
	}
	switch f {
	case NDJSON:
		return newNDJSONReader(in, o.MaxRowBytes)
	case CSV:
		return newCSVReader(in, o.MaxRowBytes)
	case JSON:
		return newJSONReader(in, o.MaxRowBytes)
	}
	return nil, fmt.Errorf("rows: unknown format %q", f)
}

// ErrEmpty is wrapped by the *BodyError for a body with nothing in it (or only blank lines).
var ErrEmpty = errors.New("the file is empty")

// RowError is a bad row. Reading can go on after it.
type RowError struct {
	Line    int    // where the row starts
	Field   string // the column or member at fault, when there is one
	Message string // what is wrong, for a person
}

func (e *RowError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("line %d: field %q: %s", e.Line, e.Field, e.Message)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// BodyError is a body that cannot be read any further.
type BodyError struct {
	Line    int    // where the trouble is; 0 when it is not about a line (gzip, an empty file)
	Message string // what is wrong, for a person
	Err     error  // ErrEmpty, or the gzip error; may be nil
}

func (e *BodyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

func (e *BodyError) Unwrap() error { return e.Err }

// LimitError is a body larger than Options.MaxBodyBytes.
type LimitError struct {
	Limit int64 // the limit, in bytes
	Gzip  bool  // the limit was on the inflated body
}

func (e *LimitError) Error() string {
	if e.Gzip {
		return fmt.Sprintf("the body is larger than the limit of %d bytes once decompressed", e.Limit)
	}
	return fmt.Sprintf("the body is larger than the limit of %d bytes", e.Limit)
}
