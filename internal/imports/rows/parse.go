package rows

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// objectParser decodes one JSON object the way encoding/json decodes it into any with
// UseNumber, four times as fast: it reads the row once, copies it once into a string, and
// slices member names, strings without escapes and numbers out of that copy, without
// reflection. encoding/json spends 50 allocations on an observation row; this spends a dozen,
// and the readers would otherwise be capped near 250,000 rows/s.
//
// It only accepts. On anything it does not accept it gives up, and decodeObject has
// encoding/json decide and explain, so error messages — and, should this parser ever refuse
// something valid, the result — stay encoding/json's. FuzzObjectParser holds it to that: on
// every input it accepts, encoding/json accepts and decodes the same value.
//
// It also notes a member name that appears twice in an object (p.dup), which encoding/json lets
// pass, keeping the last value: decodeObject makes it a bad row, since which value the sender
// meant cannot be known.
type objectParser struct {
	s      string
	i      int
	depth  int
	top    string // the top-level member being read
	dup    bool   // a member name was found twice in an object:
	name   string // … this one
	nested bool   // … inside the value of a top-level member,
	in     string // … this one
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// parseObject decodes b; ok is false when b is not valid UTF-8, not a JSON object, or broken.
// When it is ok, p.dup says whether an object in it repeats a member name.
func (p *objectParser) parseObject(b []byte) (m map[string]any, ok bool) {
	if !utf8.Valid(b) {
		return nil, false
	}
	*p = objectParser{s: string(b)}
	p.space()
	if p.i == len(p.s) || p.s[p.i] != '{' {
		return nil, false
	}
	v, ok := p.object()
	if !ok {
		return nil, false
	}
	if p.space(); p.i != len(p.s) {
		return nil, false
	}
	return v, true
}

func (p *objectParser) space() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

// object reads an object; p.s[p.i] is '{'.
func (p *objectParser) object() (map[string]any, bool) {
	if p.depth++; p.depth > maxDepth {
		return nil, false
	}
	p.i++
	m := make(map[string]any)
	if p.space(); p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return m, true
	}
	for {
		if p.i == len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		k, ok := p.string()
		if !ok {
			return nil, false
		}
		if _, dup := m[k]; dup && !p.dup {
			p.dup, p.name = true, k
			p.nested, p.in = p.depth > 1, p.top
		}
		if p.space(); p.i == len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		if p.depth == 1 {
			p.top = k
		}
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		m[k] = v
		if p.space(); p.i == len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.space()
		case '}':
			p.i++
			p.depth--
			return m, true
		default:
			return nil, false
		}
	}
}

// array reads an array; p.s[p.i] is '['.
func (p *objectParser) array() ([]any, bool) {
	if p.depth++; p.depth > maxDepth {
		return nil, false
	}
	p.i++
	a := []any{}
	if p.space(); p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return a, true
	}
	for {
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if p.space(); p.i == len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return a, true
		default:
			return nil, false
		}
	}
}

// value reads any value, after optional whitespace.
func (p *objectParser) value() (any, bool) {
	if p.space(); p.i == len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *objectParser) literal(word string) bool {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return false
	}
	p.i += len(word)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as written.
func (p *objectParser) number() (json.Number, bool) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return "", false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return "", false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return "", false
		}
	}
	return json.Number(p.s[start:p.i]), true
}

func (p *objectParser) digits() int {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// string reads a string; p.s[p.i] is '"'. Without escapes it is a slice of p.s.
func (p *objectParser) string() (string, bool) {
	p.i++
	start := p.i
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			return p.s[start : p.i-1], true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", false
		}
		p.i++
	}
	return "", false
}

// escaped reads the rest of a string that has escapes, from its first backslash at p.i, as
// encoding/json unquotes it: a lone or broken surrogate becomes U+FFFD.
func (p *objectParser) escaped(start int) (string, bool) {
	b := make([]byte, 0, p.i-start+16)
	b = append(b, p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 == len(p.s) {
			return "", false
		}
		p.i += 2
		switch p.s[p.i-1] {
		case '"', '\\', '/':
			b = append(b, p.s[p.i-1])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				save := p.i
				r2 := rune(-1)
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					p.i += 2
					if r2, ok = p.hex4(); !ok {
						r2 = -1
					}
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
				} else {
					r, p.i = utf8.RuneError, save // the next escape is read on its own
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (p *objectParser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}
