package rows

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz tests hold the readers to the standard library where they do its work themselves,
// and to their own results whatever the chunks a body arrives in. `go test` runs the seeds; to
// search further: go test -run '^$' -fuzz FuzzCSVMatchesEncodingCSV ./internal/imports/rows/

var csvSeeds = []string{
	"a,b\n1,2\n3,4\n",
	"a;b\r\n1;\"2;3\"\r\n\r\n\"x\"\"y\";\"multi\nline\"\n",
	"a,b\n1,x\"y\n\"z\"w,1\n2,3\n",
	"a,b\n1,\"open\n2,3\n4,\"x\",5\n",
	"a,b\n1,\"never closed\n2,3\n",
	"\xEF\xBB\xBFa,b\n1\r2,3\r\n4,5\r",
	"a,b\n\"1\"\r2,3\n,\n1,2,3\n",
	"a,,a\n",
	"a\n\n\r\n\"\"\n",
	"a;b \n0;\"000\"\r\n0000000000000000000000", // found by fuzzing, as are the seeds below
}

var jsonSeeds = []string{
	"[{\"a\":1},\n {\"b\":[1,{\"c\":\"]}\\\"\"}]}, 2, \"x\", null]",
	"[]",
	"[{\"a\":\"\\u0000\"},{\"a\":1,\"a\":2}]",
	"[{\"a\":1},]",
	"[{\"a\":1}{\"a\":2}]",
	"[{\"a\":\"caf\xe9\"}, {\"a\":\n tru}]",
	"{\"a\":1}",
	"[1",
	"[{\"a\":0,\"a\"}]",
	"null",
}

var objectSeeds = []string{
	`{"a":1,"b":"x","c":[true,false,null,{"d":-0.5e+10}],"e":{}}`,
	`{"esc":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800\u0041\udc00x"}`,
	` {"a" : [ ] , "b":[1 ,2]} `,
	`{"a":1,"a":2}`,
	`{"a":{"b":1,"b":2}}`,
	`{"a":01}`,
	`{"a":1.}`,
	`{"a":"` + "\t" + `"}`,
	`{"a":tru}`,
	`{"a":1}x`,
	`[1]`,
	`{"\u0000":1}`,
	`{"":[0],"":[0]}`,
}

// agreeSeeds are bodies whose reading once depended on the size of the reads.
var agreeSeeds = []struct {
	format Format
	body   string
}{
	{CSV, "0000000000000000;"},
	{CSV, `""0000000000000000000000000000000000000000;`},
	{NDJSON, "                A00"},
	{CSV, `"""""""""""""""00000000000000000000000"""` + "\u050c"},
	{CSV, "0\n\"\"\uf71c"},
}

func FuzzObjectParser(f *testing.F) {
	for _, s := range objectSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p objectParser
		got, ok := p.parseObject(b)

		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var want map[string]any
		err := dec.Decode(&want)
		if err == nil && len(bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")) > 0 {
			err = errors.New("data after the value")
		}
		isObject := bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{"))
		switch {
		case ok && err != nil:
			t.Fatalf("parser accepts %q, encoding/json refuses it: %v", b, err)
		case ok && !reflect.DeepEqual(got, want):
			t.Fatalf("%q:\nparser       %#v\nencoding/json %#v", b, got, want)
		case !ok && err == nil && isObject && utf8.Valid(b):
			t.Fatalf("parser refuses %q, which encoding/json decodes", b)
		}
	})
}

func FuzzCSVMatchesEncodingCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), CSV, Options{MaxRowBytes: 1 << 20})
		body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		if len(body) == len(data) && (bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF"))) {
			if err == nil {
				t.Fatal("UTF-16 accepted")
			}
			return
		}
		cr := csv.NewReader(bytes.NewReader(body))
		cr.Comma = rune(detectComma(newInput(bytes.NewReader(body), 64<<10), 1<<20))
		header, cerr := cr.Read()
		var pe *csv.ParseError
		switch {
		case cerr == io.EOF:
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("encoding/csv finds no header, NewReader: %v", err)
			}
			return
		case errors.As(cerr, &pe):
			var be *BodyError
			if !errors.As(err, &be) {
				t.Fatalf("encoding/csv: %v; NewReader: %v", cerr, err)
			}
			return
		case cerr != nil:
			t.Fatal(cerr)
		}
		if err != nil {
			if !badHeader(header) {
				t.Fatalf("NewReader refuses header %q: %v", header, err)
			}
			return
		}
		if cols := r.Columns(); len(cols) != len(header) {
			t.Fatalf("columns %q, encoding/csv %q", cols, header)
		}
		for {
			rec, cerr := cr.Read()
			row, err := r.Next()
			var re *RowError
			var be *BodyError
			switch {
			case cerr == io.EOF:
				if err != io.EOF {
					t.Fatalf("encoding/csv ends, Next: %v %v", row, err)
				}
				return
			case errors.As(cerr, &pe) && (pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote):
				if errors.As(err, &be) { // a quote never closed: encoding/csv read to the end too
					if _, again := cr.Read(); again != io.EOF || be.Line < pe.StartLine {
						t.Fatalf("encoding/csv: %v, then %v; Next: %v", cerr, again, err)
					}
					return
				}
				if !errors.As(err, &re) || re.Line != pe.StartLine {
					t.Fatalf("encoding/csv: %v; Next: %v", cerr, err)
				}
			case errors.As(cerr, &pe) && pe.Err == csv.ErrFieldCount:
				if !errors.As(err, &re) || re.Line != pe.StartLine || !strings.Contains(re.Message, "fields, but the header has") {
					t.Fatalf("encoding/csv: %v; Next: %v", cerr, err)
				}
			case cerr != nil:
				t.Fatal(cerr)
			default:
				line, _ := cr.FieldPos(0)
				if errors.As(err, &re) {
					if re.Line != line || !slices.ContainsFunc(rec, func(s string) bool { return !utf8.ValidString(s) || strings.Contains(s, "\x00") }) {
						t.Fatalf("encoding/csv reads %q on line %d; Next: %v", rec, line, err)
					}
					continue
				}
				want := map[string]any{}
				for i, v := range rec {
					want[strings.TrimSpace(header[i])] = v
				}
				if err != nil || row.Line != line || !reflect.DeepEqual(row.Fields, want) {
					t.Fatalf("encoding/csv reads %q on line %d; Next: %v %v", rec, line, row, err)
				}
			}
		}
	})
}

// badHeader says whether NewReader must refuse a header encoding/csv reads.
func badHeader(header []string) bool {
	seen := map[string]bool{}
	for _, h := range header {
		name := strings.TrimSpace(h)
		if name == "" || seen[name] || !utf8.ValidString(h) || strings.Contains(h, "\x00") {
			return true
		}
		seen[name] = true
	}
	return false
}

func FuzzJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows []Row
		var rowErrs []*RowError
		var end error
		r, end := NewReader(bytes.NewReader(data), JSON, Options{MaxRowBytes: 1 << 20})
		for end == nil {
			row, err := r.Next()
			var re *RowError
			switch {
			case errors.As(err, &re):
				rowErrs = append(rowErrs, re)
			case err != nil:
				end = err
			default:
				rows = append(rows, row)
			}
		}
		body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		var be *BodyError
		var elems []json.RawMessage
		if !json.Valid(body) || !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("[")) || json.Unmarshal(body, &elems) != nil {
			// Not a JSON array: fatal, unless a NUL made it invalid (a bad row, not bad syntax).
			if !errors.As(end, &be) && !bytes.Contains(body, []byte{0}) {
				t.Fatalf("not a JSON array, but it ends with %v", end)
			}
			return
		}
		if end != io.EOF {
			t.Fatalf("a JSON array ends with %v", end)
		}
		i, e := 0, 0
		for _, raw := range elems {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var want map[string]any
			if raw[0] != '{' || dec.Decode(&want) != nil || !utf8.Valid(raw) || hasNUL(want) || hasDuplicate(raw) {
				if e == len(rowErrs) {
					t.Fatalf("element %s: no row error", raw)
				}
				e++
				continue
			}
			if i == len(rows) || !reflect.DeepEqual(rows[i].Fields, want) {
				t.Fatalf("element %s: rows %v", raw, rows[i:])
			}
			i++
		}
		if i != len(rows) || e != len(rowErrs) {
			t.Fatalf("%d elements; %d rows, %d row errors", len(elems), len(rows), len(rowErrs))
		}
	})
}

// hasDuplicate says whether an object in a valid JSON value repeats a member name.
func hasDuplicate(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var stack []map[string]bool // the names seen, per open object; nil for an array
	expectKey := func() bool { return len(stack) > 0 && stack[len(stack)-1] != nil }
	key := true
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, map[string]bool{})
			key = true
			continue
		case json.Delim('['):
			stack = append(stack, nil)
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			if s, ok := tok.(string); ok && expectKey() && key {
				if stack[len(stack)-1][s] {
					return true
				}
				stack[len(stack)-1][s] = true
				key = false
				continue
			}
		}
		key = expectKey() // after a value in an object, a name comes next
	}
}

var formats = []Format{NDJSON, CSV, JSON}

// FuzzReadersAgree holds every reader to giving the same rows and errors however the body is
// cut into reads, and never panicking.
func FuzzReadersAgree(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add(uint8(1), []byte(s))
	}
	for _, s := range jsonSeeds {
		f.Add(uint8(2), []byte(s))
		f.Add(uint8(0), []byte(strings.ReplaceAll(s, "},", "}\n")))
	}
	for _, s := range agreeSeeds {
		f.Add(uint8(slices.Index(formats, s.format)), []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		fm := formats[int(format)%len(formats)]
		o := Options{MaxRowBytes: 40}
		want := trace(t, bytes.NewReader(data), fm, o)
		for _, rd := range readers[1:] {
			o.bufSize = rd.buf
			if got := trace(t, rd.wrap(bytes.NewReader(data)), fm, o); !slices.Equal(got, want) {
				t.Fatalf("%s, read %s:\n got %q\nwant %q", fm, rd.name, got, want)
			}
		}
	})
}
