package rows

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNDJSON(t *testing.T) {
	long := `{"note":"` + strings.Repeat("x", 90) + `"}` // 101 bytes
	runCases(t, NDJSON, []bodyCase{
		{name: "objects", body: "{\"a\":1}\n{\"b\":\"x\",\"c\":[1,{\"d\":null}]}\n", want: []string{
			`1 {"a":1}`,
			`2 {"b":"x","c":[1,{"d":null}]}`,
		}},
		{name: "numbers keep every digit", body: `{"big":12345678901234567890,"exact":0.1000000000000000055511151231257827}`, want: []string{
			`1 {"big":12345678901234567890,"exact":0.1000000000000000055511151231257827}`,
		}},
		{name: "blank lines skipped, lines still counted", body: "\n  \n{\"a\":1}\n\t\r\n\n{\"a\":2}\n\n", want: []string{
			`3 {"a":1}`,
			`6 {"a":2}`,
		}},
		{name: "CRLF", body: "{\"a\":1}\r\n{\"a\":2}\r\n", want: []string{`1 {"a":1}`, `2 {"a":2}`}},
		{name: "no newline at the end", body: "{\"a\":1}\n{\"a\":2}", want: []string{`1 {"a":1}`, `2 {"a":2}`}},
		{name: "byte order mark", body: "\xEF\xBB\xBF{\"a\":1}\n", want: []string{`1 {"a":1}`}},
		{name: "indented object", body: "  {\"a\":1}  \n", want: []string{`1 {"a":1}`}},

		{name: "not an object: that line only", body: "[1,2]\n\"x\"\n3\nnull\ntrue\n{\"a\":1}\n", want: []string{
			`row error: line 1: expected a JSON object, found an array`,
			`row error: line 2: expected a JSON object, found a string`,
			`row error: line 3: expected a JSON object, found a number`,
			`row error: line 4: expected a JSON object, found null`,
			`row error: line 5: expected a JSON object, found a boolean`,
			`6 {"a":1}`,
		}},
		{name: "broken JSON: that line only, with the column", body: "{\"a\":1}\n{\"é\":tru}\n{\"a\":3}\n", want: []string{
			`1 {"a":1}`,
			`row error: line 2: invalid JSON: invalid character '}' in literal true (expecting 'e') at column 9`,
			`3 {"a":3}`,
		}},
		{name: "two objects on a line", body: "{\"a\":1} {\"a\":2}\n", want: []string{
			`row error: line 1: unexpected data after the JSON object at column 9`,
		}},
		{name: "pretty-printed JSON sent as NDJSON", body: "{\n  \"a\": 1\n}\n", want: []string{
			`row error: line 1: the JSON object is not closed at column 2 (in NDJSON each object is on one line)`,
			`row error: line 2: invalid JSON: invalid character ':' after top-level value at column 6`,
			`row error: line 3: invalid JSON: invalid character '}' looking for beginning of value at column 1`,
		}},

		{name: "a member twice: that line only", body: "{\"a\":1,\"a\":2}\n{\"a\":{\"b\":1,\"b\":2},\"c\":3}\n{\"\":1,\"\":2}\n{\"a\":[{\"b\":1},{\"b\":2}]}\n", want: []string{
			`row error: line 1: field "a": appears twice in the object`,
			`row error: line 2: field "a": the member "b" appears twice in an object in it`,
			`row error: line 3: the member "" appears twice in the object`,
			`4 {"a":[{"b":1},{"b":2}]}`,
		}},
		{name: "invalid UTF-8 in a string", body: "{\"a\":\"caf\xe9\"}\n{\"a\":2}\n", want: []string{
			`row error: line 1: invalid UTF-8 (is the file saved as UTF-8?) at column 10`,
			`2 {"a":2}`,
		}},
		{name: "invalid UTF-8 outside a string", body: "{\"a\":\xff}\n{\"a\":2}\n", want: []string{
			`row error: line 1: invalid UTF-8 (is the file saved as UTF-8?) at column 6`,
			`2 {"a":2}`,
		}},
		{name: "NUL byte", body: "{\"a\":\"x\x00\"}\n{\"a\":2}\n", want: []string{
			`row error: line 1: contains a NUL byte at column 8`,
			`2 {"a":2}`,
		}},
		{name: "escaped NUL character", body: "{\"a\":1,\"b\":\"x\\u0000\"}\n{\"c\":\"\\\\u0000 is fine\"}\n", want: []string{
			`row error: line 1: field "b": contains a NUL character (\u0000)`,
			`2 {"c":"\\u0000 is fine"}`,
		}},

		{name: "line at the limit", o: Options{MaxRowBytes: 101}, body: long + "\r\n" + long + "\n", want: []string{
			`1 {"note":"` + strings.Repeat("x", 90) + `"}`,
			`2 {"note":"` + strings.Repeat("x", 90) + `"}`,
		}},
		{name: "line over the limit: skipped to its end", o: Options{MaxRowBytes: 100}, body: "{\"a\":1}\n" + long + "\n{\"a\":3}\n" + long, want: []string{
			`1 {"a":1}`,
			`row error: line 2: the line is longer than 100 bytes`,
			`3 {"a":3}`,
			`row error: line 4: the line is longer than 100 bytes`,
		}},

		{name: "empty file", body: "", want: []string{`body error: the file is empty`}},
		{name: "only blank lines", body: "\n \r\n\t\n", want: []string{`body error: the file is empty`}},
		{name: "more blank lines than NewReader looks at", o: Options{MaxRowBytes: 4}, body: "\n\n\n\n\n\n\n\n", want: []string{`body error: the file is empty`}},
		{name: "UTF-16", body: "\xFE\xFF\x00{", want: []string{`body error: line 1: the file is UTF-16`}},
	})
}

func TestNDJSONNumbersAreJSONNumbers(t *testing.T) {
	r, err := NewReader(strings.NewReader(`{"n":1.50,"m":{"k":[2]}}`), NDJSON, Options{})
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := row.Fields["n"].(json.Number); !ok || n != "1.50" {
		t.Fatalf("n = %#v, want json.Number(\"1.50\")", row.Fields["n"])
	}
	if k := row.Fields["m"].(map[string]any)["k"].([]any)[0]; k != json.Number("2") {
		t.Fatalf("nested number = %#v", k)
	}
	if r.Columns() != nil {
		t.Fatalf("Columns() = %v, want nil", r.Columns())
	}
}

// TestNDJSONGeneratedLines proves a bad line deep in a file is reported at its own line.
func TestNDJSONGeneratedLines(t *testing.T) {
	body := &observations{format: NDJSON, rows: 20_000, replace: map[int]string{
		9812:  `{"indicator_id":"x","value":1.5,,"note":"y"}` + "\n",
		15000: "[1,2]\n",
		17001: `{"note":"` + strings.Repeat("é", 40_000) + `"}` + "\n",
	}}
	var errs []string
	good := 0
	for _, e := range trace(t, body, NDJSON, Options{}) {
		if strings.Contains(e, "error: ") {
			errs = append(errs, e)
		} else {
			good++
		}
	}
	want := []string{
		`row error: line 9812: invalid JSON: invalid character ',' looking for beginning of object key string at column 33`,
		`row error: line 15000: expected a JSON object, found an array`,
		`row error: line 17001: the line is longer than 65536 bytes`,
	}
	if !matches(errs, want) || good != 19_997 {
		t.Fatalf("%d good rows, errors:\n got %q\nwant %q", good, errs, want)
	}
}
