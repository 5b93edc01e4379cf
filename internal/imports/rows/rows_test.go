package rows

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		contentType string
		want        Format
		err         string // a prefix of the error; "" for none
	}{
		{"application/x-ndjson", NDJSON, ""},
		{"application/ndjson; charset=utf-8", NDJSON, ""},
		{"text/csv", CSV, ""},
		{"Text/CSV; charset=UTF-8", CSV, ""},
		{"text/csv; header=present", CSV, ""},
		{"application/json;charset=utf8", JSON, ""},
		{"", "", "unsupported Content-Type: the request has no Content-Type; send application/x-ndjson, application/ndjson, text/csv or application/json"},
		{"text/plain", "", `unsupported Content-Type: "text/plain"; send application/x-ndjson, application/ndjson, text/csv or application/json`},
		{"application/vnd.ms-excel", "", `unsupported Content-Type: "application/vnd.ms-excel"; send`},
		{"text/csv; charset=windows-1252", "", `unsupported Content-Type: charset "windows-1252"; the body must be UTF-8`},
		{"text/csv; charset", "", `unsupported Content-Type: "text/csv; charset" cannot be parsed`},
	} {
		t.Run(tc.contentType, func(t *testing.T) {
			f, err := FormatOf(tc.contentType)
			if tc.err == "" {
				if err != nil || f != tc.want {
					t.Fatalf("FormatOf = %q, %v; want %q", f, err, tc.want)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrUnsupportedType) || !strings.HasPrefix(err.Error(), tc.err) {
				t.Fatalf("FormatOf = %q, %v; want an error starting %q wrapping ErrUnsupportedType", f, err, tc.err)
			}
		})
	}
}

func TestNewReaderRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Format
		o    Options
	}{
		{"unknown format", "xml", Options{}},
		{"negative row limit", CSV, Options{MaxRowBytes: -1}},
		{"negative body limit", CSV, Options{MaxBodyBytes: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewReader(strings.NewReader("a\n1\n"), tc.f, tc.o); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestEmptyIsErrEmpty(t *testing.T) {
	for _, f := range []Format{NDJSON, CSV, JSON} {
		_, err := NewReader(strings.NewReader("\xEF\xBB\xBF\n"), f, Options{})
		var be *BodyError
		if !errors.As(err, &be) || !errors.Is(err, ErrEmpty) {
			t.Errorf("%s: %v, want a *BodyError wrapping ErrEmpty", f, err)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	const body = "{\"a\":1}\n{\"a\":2}\n" // 16 bytes
	runCases(t, NDJSON, []bodyCase{
		{name: "at the limit", o: Options{MaxBodyBytes: 16}, body: body, want: []string{`1 {"a":1}`, `2 {"a":2}`}},
		{name: "one byte over", o: Options{MaxBodyBytes: 15}, body: body, want: []string{
			`1 {"a":1}`,
			`limit error: the body is larger than the limit of 15 bytes`,
		}},
		{name: "over before the first row", o: Options{MaxBodyBytes: 2}, body: body, want: []string{
			`limit error: the body is larger than the limit of 2 bytes`,
		}},
	})
	runCases(t, CSV, []bodyCase{
		{name: "CSV over the limit in the header", o: Options{MaxBodyBytes: 3}, body: "abcd\n", want: []string{
			`limit error: the body is larger than the limit of 3 bytes`,
		}},
	})
}

// TestLimitStopsAtTheLimit feeds a 2.4 GB body that does not say how long it is, generated as
// it is read, and checks reading stops at the limit, having taken at most one byte more.
func TestLimitStopsAtTheLimit(t *testing.T) {
	const limit = 8 << 20
	for _, f := range []Format{NDJSON, CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			body := &observations{format: f, rows: 12_000_000}
			got := trace(t, body, f, Options{MaxBodyBytes: limit})
			last := got[len(got)-1]
			if last != "limit error: the body is larger than the limit of 8388608 bytes" || len(got) < 30_000 {
				t.Fatalf("%d entries, last %q", len(got), last)
			}
			if body.produced > limit+1 {
				t.Fatalf("read %d bytes of the body, limit %d", body.produced, limit)
			}
		})
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGzip(t *testing.T) {
	ok := gzipped(t, "{\"a\":1}\n{\"a\":2}\n")
	corrupt := bytes.Clone(ok)
	corrupt[len(corrupt)-6] ^= 0xFF // the CRC-32
	for _, tc := range []struct {
		name string
		body []byte
		o    Options
		want []string
	}{
		{"inflated", ok, Options{}, []string{`1 {"a":1}`, `2 {"a":2}`}},
		{"two members", append(bytes.Clone(ok), gzipped(t, "{\"a\":3}\n")...), Options{}, []string{`1 {"a":1}`, `2 {"a":2}`, `3 {"a":3}`}},
		{"limit on the inflated bytes", ok, Options{MaxBodyBytes: 10}, []string{
			`1 {"a":1}`,
			`limit error: the body is larger than the limit of 10 bytes once decompressed`,
		}},
		{"too short for gzip", []byte("{}\n"), Options{}, []string{`body error: the body is not valid gzip data, though its Content-Encoding says gzip`}},
		{"not gzip", []byte("{\"a\":1}\n{\"a\":2}\n"), Options{}, []string{`body error: the body is not valid gzip data, though its Content-Encoding says gzip`}},
		// Streaming: rows inflated before the damage come out first.
		{"truncated", ok[:len(ok)-10], Options{}, []string{
			`1 {"a":1}`,
			`2 {"a":2}`,
			`body error: the gzip data ends early: the file is truncated`,
		}},
		{"corrupt", corrupt, Options{}, []string{
			`1 {"a":1}`,
			`2 {"a":2}`,
			`body error: the gzip data is corrupt`,
		}},
		{"garbage after a member", append(bytes.Clone(ok), "not gzip at all"...), Options{}, []string{
			`1 {"a":1}`,
			`2 {"a":2}`,
			`body error: the body is not valid gzip data`,
		}},
		{"no bytes at all", nil, Options{}, []string{`body error: the file is empty`}},
		{"gzip of nothing", gzipped(t, ""), Options{}, []string{`body error: the file is empty`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, rd := range readers {
				o := tc.o
				o.Gzip, o.bufSize = true, rd.buf
				got := trace(t, rd.wrap(bytes.NewReader(tc.body)), NDJSON, o)
				if !matches(got, tc.want) {
					t.Fatalf("read %s:\n got %q\nwant %q", rd.name, got, tc.want)
				}
			}
		})
	}
}

// bomb is a gzip body of many identical members, each inflating to 1 MiB of rows: 10 GiB in
// all, generated as it is read.
type bomb struct {
	member   []byte
	members  int
	produced int64
	r        bytes.Reader
}

func (b *bomb) Read(p []byte) (int, error) {
	if b.r.Len() == 0 {
		if b.members == 0 {
			return 0, io.EOF
		}
		b.members--
		b.r.Reset(b.member)
	}
	n, _ := b.r.Read(p)
	b.produced += int64(n)
	return n, nil
}

func TestGzipBombStopsAtTheLimit(t *testing.T) {
	const limit = 4 << 20
	row := `{"a":"` + strings.Repeat("x", 1015) + "\"}\n" // 1 KiB
	member := gzipped(t, strings.Repeat(row, 1024))       // 1 MiB inflated
	body := &bomb{member: member, members: 10 << 10}
	got := trace(t, body, NDJSON, Options{Gzip: true, MaxBodyBytes: limit})
	if last := got[len(got)-1]; last != "limit error: the body is larger than the limit of 4194304 bytes once decompressed" {
		t.Fatalf("last entry %q", last)
	}
	if len(got) != limit/len(row)+1 {
		t.Fatalf("%d entries, want %d rows and the limit", len(got), limit/len(row))
	}
	// 4 MiB inflated is 4 members; the gzip reader may read a little ahead of what it inflates.
	if body.produced > 6*int64(len(member)) {
		t.Fatalf("read %d compressed bytes, %d members' worth", body.produced, body.produced/int64(len(member)))
	}
}

// TestRequestErrors checks an error reading the request itself is returned as it is — wrapped,
// never taken for bad data or bad gzip — so the HTTP layer can tell a client gone away or its own
// http.MaxBytesReader from a bad file.
func TestRequestErrors(t *testing.T) {
	gone := errors.New("client went away")
	half := gzipped(t, strings.Repeat("{\"a\":1}\n", 1000))
	for _, tc := range []struct {
		name string
		body io.Reader
		gzip bool
		is   func(error) bool
	}{
		{"plain", io.MultiReader(strings.NewReader("{\"a\":1}\n"), iotest.ErrReader(gone)), false, func(err error) bool { return errors.Is(err, gone) }},
		{"gzip", io.MultiReader(bytes.NewReader(half[:len(half)/2]), iotest.ErrReader(gone)), true, func(err error) bool { return errors.Is(err, gone) }},
		{"before anything", iotest.ErrReader(gone), false, func(err error) bool { return errors.Is(err, gone) }},
		{"max bytes reader", http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(strings.Repeat("{\"a\":1}\n", 10))), 20), false, func(err error) bool {
			var mbe *http.MaxBytesError
			return errors.As(err, &mbe)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			r, err := NewReader(tc.body, NDJSON, Options{Gzip: tc.gzip})
			for err == nil {
				_, err = r.Next()
			}
			var be *BodyError
			var re *RowError
			if !tc.is(err) || errors.As(err, &be) || errors.As(err, &re) {
				t.Fatalf("error %v (%T)", err, err)
			}
		})
	}
}
