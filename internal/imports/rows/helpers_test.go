package rows

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// trace reads body to the end and describes what came out, one entry per row or error:
//
//	2 {"a":"1"}                  a row: its line and its fields as JSON
//	row error: line 3: …         a *RowError (reading goes on)
//	body error: line 4: …        a fatal *BodyError, from NewReader or Next (reading stops)
//	limit error: …               a *LimitError
//	error: …                     any other error
func trace(t *testing.T, body io.Reader, f Format, o Options) []string {
	t.Helper()
	r, err := NewReader(body, f, o)
	if err != nil {
		return []string{describeErr(err)}
	}
	var out []string
	for range 100_000 {
		row, err := r.Next()
		if err == io.EOF {
			if _, again := r.Next(); again != io.EOF {
				t.Fatalf("Next after io.EOF = %v, want io.EOF again", again)
			}
			return out
		}
		if err != nil {
			out = append(out, describeErr(err))
			var re *RowError
			if errors.As(err, &re) {
				continue
			}
			if _, again := r.Next(); again != err {
				t.Fatalf("Next after %v = %v, want the same error again", err, again)
			}
			return out
		}
		fields, jerr := json.Marshal(row.Fields) // keys sorted; json.Number stays as written
		if jerr != nil {
			t.Fatalf("marshal %v: %v", row.Fields, jerr)
		}
		out = append(out, fmt.Sprintf("%d %s", row.Line, fields))
	}
	t.Fatal("no end after 100000 reads")
	return nil
}

func describeErr(err error) string {
	var re *RowError
	var be *BodyError
	var le *LimitError
	switch {
	case errors.As(err, &re):
		return "row error: " + err.Error()
	case errors.As(err, &be):
		return "body error: " + err.Error()
	case errors.As(err, &le):
		return "limit error: " + err.Error()
	}
	return "error: " + err.Error()
}

// readers are the ways a body can arrive: whole, one byte at a time, in halves, with the last
// bytes together with io.EOF, and through a 16-byte buffer that makes every row cross a refill.
var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
	buf  int
}{
	{"whole", func(r io.Reader) io.Reader { return r }, 0},
	{"one byte", iotest.OneByteReader, 0},
	{"halves", iotest.HalfReader, 0},
	{"data with EOF", iotest.DataErrReader, 0},
	{"small buffer", func(r io.Reader) io.Reader { return r }, 16},
}

// bodyCase is one body and what reading it must give.
type bodyCase struct {
	name string
	body string
	o    Options
	// want: one entry per row or error (see trace); an error entry matches when it is a prefix
	// of what came out, so it can stop after the line and the gist of the message.
	want []string
}

// runCases reads every case through every reader and checks each gives want.
func runCases(t *testing.T, f Format, cases []bodyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, rd := range readers {
				o := tc.o
				o.bufSize = rd.buf
				got := trace(t, rd.wrap(strings.NewReader(tc.body)), f, o)
				if !matches(got, tc.want) {
					t.Fatalf("read %s:\n got %s\nwant %s", rd.name, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
				}
			}
		})
	}
}

func matches(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		isRow := want[i] != "" && want[i][0] >= '0' && want[i][0] <= '9'
		if isRow && got[i] != want[i] || !isRow && !strings.HasPrefix(got[i], want[i]) {
			return false
		}
	}
	return true
}
