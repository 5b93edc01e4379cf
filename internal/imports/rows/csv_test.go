package rows

import (
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	runCases(t, CSV, []bodyCase{
		{name: "comma, LF", body: "a,b\n1,2\n3,4\n", want: []string{
			`2 {"a":"1","b":"2"}`,
			`3 {"a":"3","b":"4"}`,
		}},
		{name: "CRLF", body: "a,b\r\n1,2\r\n3,4\r\n", want: []string{
			`2 {"a":"1","b":"2"}`,
			`3 {"a":"3","b":"4"}`,
		}},
		{name: "no newline at the end", body: "a,b\n1,2", want: []string{`2 {"a":"1","b":"2"}`}},
		{name: "a carriage return at the very end is dropped", body: "a,b\n1,2\r", want: []string{`2 {"a":"1","b":"2"}`}},
		{name: "a lone carriage return is data", body: "a,b\n1\r2,3\n", want: []string{`2 {"a":"1\r2","b":"3"}`}},
		{name: "byte order mark stripped", body: "\xEF\xBB\xBFcode,name\nPE,Perú\n", want: []string{
			`2 {"code":"PE","name":"Perú"}`,
		}},
		{name: "semicolon: splits the header into more columns", body: "país;valor\nPerú;1,5\nChile;2\n", want: []string{
			`2 {"país":"Perú","valor":"1,5"}`,
			`3 {"país":"Chile","valor":"2"}`,
		}},
		{name: "a tie is a comma", body: "a;b,c\n1;2,3\n", want: []string{`2 {"a;b":"1;2","c":"3"}`}},
		{name: "a one-column header is a comma", body: "name\nLima, Perú\n", want: []string{
			`row error: line 2: 2 fields, but the header has 1 columns`,
		}},
		{name: "separators inside quotes do not count", body: "\"a,b,c\";d;e\n1;2;3\n", want: []string{
			`2 {"a,b,c":"1","d":"2","e":"3"}`,
		}},
		{name: "blank lines before the header", body: "\n\r\na;b\n1;2\n", want: []string{`4 {"a":"1","b":"2"}`}},
		{name: "quoted fields with separators, quotes and newlines", body: "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\nkept as lf\"\n5,6\n", want: []string{
			`2 {"a":"x,y","b":"say \"hi\""}`,
			`3 {"a":"two\nlines","b":"crlf\nkept as lf"}`,
			`6 {"a":"5","b":"6"}`,
		}},
		{name: "empty cells are empty strings", body: "a,b,c\n,,\n\"\",x,\n", want: []string{
			`2 {"a":"","b":"","c":""}`,
			`3 {"a":"","b":"x","c":""}`,
		}},
		{name: "blank lines are skipped, lines still counted", body: "a,b\n\n1,2\n\r\n\n3,4\n\n", want: []string{
			`3 {"a":"1","b":"2"}`,
			`6 {"a":"3","b":"4"}`,
		}},
		{name: "header only: no rows", body: "a,b\n", want: nil},
		{name: "column names trimmed, cells not", body: " a , b\n 1 , 2 \n", want: []string{`2 {"a":" 1 ","b":" 2 "}`}},

		{name: "wrong number of fields: that row only", body: "a,b\n1,2,3\n4\n5,6\n", want: []string{
			`row error: line 2: 3 fields, but the header has 2 columns`,
			`row error: line 3: 1 fields, but the header has 2 columns`,
			`4 {"a":"5","b":"6"}`,
		}},
		{name: "bare quote: that row, then the next line", body: "a,b\n1,2\n3,x\"y\n5,6\n", want: []string{
			`2 {"a":"1","b":"2"}`,
			`row error: line 3: field "b": a " inside a field that is not quoted`,
			`4 {"a":"5","b":"6"}`,
		}},
		{name: "quote after a closing quote: that row, then the next line", body: "a,b\n\"x\"y,2\n5,6\n", want: []string{
			`row error: line 2: field "a": a closing " is followed by 'y' instead of ',' or the end of the line`,
			`3 {"a":"5","b":"6"}`,
		}},
		{name: "closing quote then a lone carriage return", body: "a,b\n1,\"x\"\ry\n5,6\n", want: []string{
			`row error: line 2: field "b": a closing " is followed by a carriage return`,
			`3 {"a":"5","b":"6"}`,
		}},
		{name: "quote left open, closed lines later", body: "a,b\n1,\"open\n2,3\n4,\"x\",5\n6,7\n", want: []string{
			`row error: line 2: field "b": the quoted field that opens on line 2 runs to line 4, where a closing " is followed by 'x'; is a " missing on line 2? (line 4)`,
			`5 {"a":"6","b":"7"}`,
		}},
		{name: "quote never closed: fatal at the line it opens", body: "a,b\n1,2\n3,\"open\n4,5\n6,7\n", want: []string{
			`2 {"a":"1","b":"2"}`,
			`body error: line 3: a quoted field opens on this line and is never closed`,
		}},

		{name: "invalid UTF-8 in a cell", body: "a,b\n1,caf\xe9\n2,ok\n", want: []string{
			`row error: line 2: field "b": invalid UTF-8 (is the file saved as UTF-8?)`,
			`3 {"a":"2","b":"ok"}`,
		}},
		{name: "invalid UTF-8 on the second line of a quoted cell", body: "a,b\n1,\"x\ny\xff\"\n", want: []string{
			`row error: line 2: field "b": invalid UTF-8 (is the file saved as UTF-8?) (line 3)`,
		}},
		{name: "NUL in a cell", body: "a,b\nx\x00y,1\n2,3\n", want: []string{
			`row error: line 2: field "a": contains a NUL byte`,
			`3 {"a":"2","b":"3"}`,
		}},

		{name: "row at the limit", o: Options{MaxRowBytes: 7}, body: "a,b\n\"1\",234\r\n5,6\n", want: []string{
			`2 {"a":"1","b":"234"}`,
			`3 {"a":"5","b":"6"}`,
		}},
		{name: "row one byte over the limit", o: Options{MaxRowBytes: 7}, body: "a,b\n\"1\",2345\n5,6\n", want: []string{
			`row error: line 2: the record is longer than 7 bytes`,
			`3 {"a":"5","b":"6"}`,
		}},
		{name: "a long quoted row is skipped to its real end", o: Options{MaxRowBytes: 8}, body: "a,b\n1,\"long, \"\"quoted\"\"\nand on,\n\"\n2,3\n", want: []string{
			`row error: line 2: the record is longer than 8 bytes`,
			`5 {"a":"2","b":"3"}`,
		}},
		{name: "separators alone count toward the limit", o: Options{MaxRowBytes: 4}, body: "a,b\n,,,,,,,,,,\n1,2\n", want: []string{
			`row error: line 2: the record is longer than 4 bytes`,
			`3 {"a":"1","b":"2"}`,
		}},

		{name: "empty file", body: "", want: []string{`body error: the file is empty`}},
		{name: "only a byte order mark", body: "\xEF\xBB\xBF", want: []string{`body error: the file is empty`}},
		{name: "only blank lines", body: "\n\r\n\n", want: []string{`body error: the file is empty`}},
		{name: "UTF-16", body: "\xFF\xFEa\x00,\x00b\x00", want: []string{`body error: line 1: the file is UTF-16; save it as UTF-8`}},
		{name: "duplicate column", body: "a,b,a\n1,2,3\n", want: []string{`body error: line 1: columns 1 and 3 of the header row are both named "a"`}},
		{name: "duplicate once trimmed", body: "a, a\n1,2\n", want: []string{`body error: line 1: columns 1 and 2 of the header row are both named "a"`}},
		{name: "empty column name", body: "a,,b\n1,2,3\n", want: []string{`body error: line 1: column 2 of the header row has no name`}},
		{name: "trailing separator in the header", body: "a,b,\n1,2,\n", want: []string{`body error: line 1: column 3 of the header row has no name`}},
		{name: "bad quoting in the header", body: "a,b\"c\n1,2\n", want: []string{`body error: line 1: the header row: a " inside a field that is not quoted`}},
		{name: "header not UTF-8", body: "a,d\xeda\n1,2\n", want: []string{`body error: line 1: the header row: invalid UTF-8`}},
		{name: "header over the limit", o: Options{MaxRowBytes: 3}, body: "abcd\n1\n", want: []string{`body error: line 1: the header row is longer than 3 bytes`}},
	})
}

// TestCSVGeneratedLines proves the line of a broken row deep in a file is the line an editor
// shows, with quoted newlines before it (every 7th row spans two lines).
func TestCSVGeneratedLines(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rows    int // the row starting on line 9812 is the 8585th
		replace string
		good    int // rows read
		want    []string
	}{
		{"bare quote", 20_000, "x,y,2020,PE,total,total,1,final,a \"quoted\" word\n", 19_999, []string{
			`row error: line 9812: field "note": a " inside a field that is not quoted`,
		}},
		{"quote after a closing quote", 20_000, "x,y,2020,PE,total,total,\"1\"0,final,n\n", 19_999, []string{
			`row error: line 9812: field "value": a closing " is followed by '0'`,
		}},
		{"wrong number of fields", 20_000, "x,y,2020,PE,total,total,1,final\n", 19_999, []string{
			`row error: line 9812: 8 fields, but the header has 9 columns`,
		}},
		// The next quoted field closes the open one; its line is then skipped, and the rest of
		// that two-line row has a bare quote. Reading goes on, two rows short.
		{"quote left open, closed by the next row", 20_000, "x,y,2020,PE,total,total,1,final,\"open\n", 19_998, []string{
			`row error: line 9812: field "note": the quoted field that opens on line 9812 runs to line 9813, where a closing " is followed by 'r'; is a " missing on line 9812? (line 9813)`,
			`row error: line 9814: field "indicator_id": a " inside a field that is not quoted`,
		}},
		{"quote never closed", 8585, "x,y,2020,PE,total,total,1,final,\"never closed\n", 8584, []string{
			`body error: line 9812: a quoted field opens on this line and is never closed`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &observations{format: CSV, rows: tc.rows, multiline: true, replace: map[int]string{9812: tc.replace}}
			var errs []string
			good := 0
			for _, e := range trace(t, body, CSV, Options{}) {
				if strings.Contains(e, "error: ") {
					errs = append(errs, e)
				} else {
					good++
				}
			}
			if !matches(errs, tc.want) {
				t.Fatalf("errors:\n got %q\nwant %q", errs, tc.want)
			}
			if good != tc.good {
				t.Fatalf("%d good rows, want %d", good, tc.good)
			}
		})
	}
}
