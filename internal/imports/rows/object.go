package rows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// problem is what is wrong with the bytes of one row, at offset off of them (-1: the row as a whole).
// syntax marks broken JSON, which is fatal in a JSON array but only a bad row in NDJSON.
type problem struct {
	off     int
	field   string
	message string
	syntax  bool
}

// checkText finds invalid UTF-8 or a NUL byte, which PostgreSQL's text cannot hold.
func checkText(b []byte) *problem {
	nul := bytes.IndexByte(b, 0)
	bad := -1
	if !utf8.Valid(b) {
		bad = invalidUTF8(b)
	}
	switch {
	case nul >= 0 && (bad < 0 || nul < bad):
		return &problem{off: nul, message: "contains a NUL byte"}
	case bad >= 0:
		return &problem{off: bad, message: "invalid UTF-8 (is the file saved as UTF-8?)"}
	}
	return nil
}

// invalidUTF8 is the offset of the first byte of b that is not valid UTF-8, or -1.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// decodeObject decodes one JSON object, with numbers as json.Number. b must hold exactly one
// value, with surrounding whitespace allowed.
//
// Broken syntax is a problem marked syntax, but a NUL byte is not, even where it breaks the
// syntax: it is a bad row, like invalid UTF-8 inside a string. Invalid UTF-8 elsewhere breaks
// the syntax.
func decodeObject(b []byte) (map[string]any, *problem) {
	var p objectParser
	m, ok := p.parseObject(b)
	switch {
	case ok && !p.dup:
	case ok && p.nested:
		return nil, &problem{off: -1, field: p.in, message: fmt.Sprintf("the member %q appears twice in an object in it", p.name)}
	case ok && p.name != "":
		return nil, &problem{off: -1, field: p.name, message: "appears twice in the object"}
	case ok:
		return nil, &problem{off: -1, message: `the member "" appears twice in the object`}
	default:
		var prob *problem
		if m, prob = decodeObjectStd(b); prob != nil {
			return nil, prob
		}
	}
	// "\u0000" decodes to a NUL, which PostgreSQL's text cannot hold either.
	if bytes.Contains(b, []byte(`\u0000`)) {
		for k, v := range m {
			if hasNUL(k) {
				return nil, &problem{off: -1, message: "a member name contains a NUL character (\\u0000)"}
			}
			if hasNUL(v) {
				return nil, &problem{off: -1, field: k, message: "contains a NUL character (\\u0000)"}
			}
		}
	}
	return m, nil
}

// decodeObjectStd is decodeObject by encoding/json, for what objectParser does not accept: it
// says what is wrong.
func decodeObjectStd(b []byte) (map[string]any, *problem) {
	start := 0
	for start < len(b) && isSpace(b[start]) {
		start++
	}
	if start < len(b) && b[start] != '{' {
		var raw json.RawMessage // checks the syntax, builds nothing
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, jsonProblem(b, err)
		}
		return nil, &problem{off: -1, message: "expected a JSON object, found " + kind(b[start])}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, jsonProblem(b, err)
	}
	if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		off := len(b) - len(rest)
		if b[off] == 0 {
			return nil, &problem{off: off, message: "contains a NUL byte"}
		}
		return nil, &problem{off: off, message: "unexpected data after the JSON object", syntax: true}
	}
	if p := checkText(b); p != nil { // a NUL would have broken the syntax: this is invalid UTF-8 in a string
		return nil, p
	}
	return m, nil
}

// kind names the JSON value that starts with c, when it is not an object.
func kind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case map[string]any:
		for k, e := range v {
			if hasNUL(k) || hasNUL(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasNUL(e) {
				return true
			}
		}
	}
	return false
}

// jsonProblem turns a decoding error into a problem at its offset in b.
func jsonProblem(b []byte, err error) *problem {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := int(se.Offset) - 1 // Offset counts the bytes read, the bad one included
		off = max(0, min(off, len(b)))
		switch {
		case off < len(b) && b[off] == 0:
			return &problem{off: off, message: "contains a NUL byte"}
		case off < len(b) && b[off] >= utf8.RuneSelf && invalidUTF8(b[off:min(off+utf8.UTFMax, len(b))]) == 0:
			return &problem{off: off, message: "invalid UTF-8 (is the file saved as UTF-8?)", syntax: true}
		}
		return &problem{off: off, message: "invalid JSON: " + se.Error(), syntax: true}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &problem{off: len(b), message: "the JSON object is not closed", syntax: true}
	}
	return &problem{off: 0, message: fmt.Sprintf("invalid JSON: %v", err), syntax: true}
}

// position is the line and (1-based, in characters) column of offset off of b, whose first byte
// is on line first.
func position(b []byte, first, off int) (line, col int) {
	off = min(off, len(b))
	line = first + bytes.Count(b[:off], newline)
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return line, utf8.RuneCount(b[start:off]) + 1
}
