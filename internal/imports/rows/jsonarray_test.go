package rows

import (
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	runCases(t, JSON, []bodyCase{
		{name: "elements at the lines they start on", body: "[\n  {\"a\": 1},\n  {\n    \"b\": [1, {\"c\": \"]}\\\"[{\"}]\n  }, {\"d\": 12345678901234567890}\n]\n", want: []string{
			`2 {"a":1}`,
			`3 {"b":[1,{"c":"]}\"[{"}]}`,
			`5 {"d":12345678901234567890}`,
		}},
		{name: "on one line", body: `[{"a":1},{"a":2}]`, want: []string{`1 {"a":1}`, `1 {"a":2}`}},
		{name: "empty array", body: " [ \n ] \n", want: nil},
		{name: "byte order mark", body: "\xEF\xBB\xBF[{\"a\":1}]", want: []string{`1 {"a":1}`}},

		{name: "not an object: that element only", body: "[1, \"x\", [2], null, false, {\"a\":1}, 2.5]", want: []string{
			`row error: line 1: expected a JSON object, found a number`,
			`row error: line 1: expected a JSON object, found a string`,
			`row error: line 1: expected a JSON object, found an array`,
			`row error: line 1: expected a JSON object, found null`,
			`row error: line 1: expected a JSON object, found a boolean`,
			`1 {"a":1}`,
			`row error: line 1: expected a JSON object, found a number`,
		}},
		{name: "invalid UTF-8 in a string: that element only", body: "[\n{\"a\":\"caf\xe9\"},\n{\"a\":2}]", want: []string{
			`row error: line 2: invalid UTF-8 (is the file saved as UTF-8?)`,
			`3 {"a":2}`,
		}},
		{name: "NUL: that element only", body: "[{\"a\":\n\"x\x00\"},\n{\"a\":2}]", want: []string{
			`row error: line 1: contains a NUL byte (line 2)`,
			`3 {"a":2}`,
		}},
		{name: "escaped NUL character", body: "[{\"a\":\"\\u0000\"},{\"a\":2}]", want: []string{
			`row error: line 1: field "a": contains a NUL character (\u0000)`,
			`1 {"a":2}`,
		}},
		{name: "element at the limit", o: Options{MaxRowBytes: 9}, body: "[{\"a\":\"x\"}, {\"a\":\"y\"}]", want: []string{
			`1 {"a":"x"}`,
			`1 {"a":"y"}`,
		}},
		{name: "element over the limit: skipped to its end", o: Options{MaxRowBytes: 20}, body: "[{\"a\":1},\n{\"long\": \"}]\\\"{[\", \"more\": [1,2,3]},\n{\"a\":3}]", want: []string{
			`1 {"a":1}`,
			`row error: line 2: the element is longer than 20 bytes`,
			`3 {"a":3}`,
		}},

		{name: "broken syntax in an element: fatal at its line", body: "[{\"a\":1},\n{\"a\":\n tru}, {\"a\":3}]", want: []string{
			`1 {"a":1}`,
			`body error: line 3: invalid JSON: invalid character '}' in literal true (expecting 'e')`,
		}},
		{name: "invalid UTF-8 between elements", body: "[{\"a\":1}\xff]", want: []string{
			`1 {"a":1}`,
			`body error: line 1: expected a comma or ] after an element, found the byte 0xFF, which is not UTF-8`,
		}},
		{name: "invalid UTF-8 outside a string", body: "[{\"a\":\n\xff}]", want: []string{
			`body error: line 2: invalid UTF-8 (is the file saved as UTF-8?)`,
		}},
		{name: "missing comma", body: "[{\"a\":1}\n{\"a\":2}]", want: []string{
			`1 {"a":1}`,
			`body error: line 2: expected a comma or ] after an element, found '{'`,
		}},
		{name: "trailing comma", body: "[{\"a\":1},\n]", want: []string{
			`1 {"a":1}`,
			`body error: line 2: a comma is not allowed after the last element of an array`,
		}},
		{name: "array not closed", body: "[{\"a\":1},\n{\"a\":2}\n", want: []string{
			`1 {"a":1}`,
			`2 {"a":2}`,
			`body error: line 3: the body ends early: the array is not closed (a ] is missing)`,
		}},
		{name: "element not closed", body: "[{\"a\":1},\n{\"a\":\n\"x\"\n", want: []string{
			`1 {"a":1}`,
			`body error: line 4: the body ends early: the element that starts on line 2 is not closed`,
		}},
		{name: "string not closed", body: "[{\"a\":\"x}]\n", want: []string{
			`body error: line 2: the body ends early: the element that starts on line 1 is not closed`,
		}},
		{name: "a number ends the body", body: "[1", want: []string{
			`row error: line 1: expected a JSON object, found a number`,
			`body error: line 1: the body ends early: the array is not closed`,
		}},
		{name: "data after the array", body: "[{\"a\":1}]\n\n{\"a\":2}", want: []string{
			`1 {"a":1}`,
			`body error: line 3: unexpected data after the end of the array: '{'`,
		}},
		{name: "one object, not an array", body: "\n{\"a\":1}", want: []string{
			`body error: line 2: the body is one JSON object; send an array of objects`,
		}},
		{name: "not JSON", body: "a,b\n1,2\n", want: []string{`body error: line 1: expected a JSON array ([{…}, {…}]), found 'a'`}},
		{name: "empty file", body: "", want: []string{`body error: the file is empty`}},
		{name: "only whitespace", body: " \n\t\r\n", want: []string{`body error: the file is empty`}},
	})
}

// TestJSONGeneratedLines proves an element deep in a file is reported at the line it starts on,
// with multi-line elements before it (every 7th spans two lines).
func TestJSONGeneratedLines(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace string
		good    int
		want    []string
	}{
		{"not an object", "[\"x\"],\n", 19_999, []string{`row error: line 9812: expected a JSON object, found an array`}},
		{"too long", `{"note":"` + strings.Repeat("{[\\\"", 20_000) + "\"},\n", 19_999, []string{`row error: line 9812: the element is longer than 65536 bytes`}},
		{"broken syntax", "{\"value\":\n1.5.2},\n", 8584, []string{`body error: line 9813: invalid JSON: invalid character '.' after object key:value pair`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &observations{format: JSON, rows: 20_000, multiline: true, replace: map[int]string{9812: tc.replace}}
			var errs []string
			good := 0
			for _, e := range trace(t, body, JSON, Options{}) {
				if strings.Contains(e, "error: ") {
					errs = append(errs, e)
				} else {
					good++
				}
			}
			if !matches(errs, tc.want) || good != tc.good {
				t.Fatalf("%d good rows, want %d; errors:\n got %q\nwant %q", good, tc.good, errs, tc.want)
			}
		})
	}
}
