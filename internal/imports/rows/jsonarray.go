package rows

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jsonReader reads a JSON array of objects, one element at a time.
//
// It finds where each element ends itself — tracking strings, escapes and nesting, which is all
// that is needed to frame a value — and decodes the element alone, as NDJSON decodes a line
// (decodeObject). Memory is
// therefore bounded by MaxRowBytes, not by the largest element: an element over the limit is
// skipped without being kept, and reading goes on after it. (json.Decoder.Token/More would hold
// each whole element, however large, and stop for good at the first error.)
//
// An element that is well-formed JSON but not an object, or holds invalid UTF-8 or a NUL, or is
// too long, is a *RowError. Anything that is not JSON — between elements or inside one — is a
// fatal *BodyError at its line: once the syntax is broken, where the next element starts is a
// guess.
type jsonReader struct {
	in    *input
	max   int
	elem  []byte
	first bool  // no element read yet
	err   error // sticky: io.EOF or fatal
}

func newJSONReader(in *input, maxRow int) (*jsonReader, error) {
	r := &jsonReader{in: in, max: maxRow, first: true}
	if !in.skipSpace() {
		if err := in.fatal(); err != nil {
			return nil, err
		}
		return nil, &BodyError{Message: ErrEmpty.Error(), Err: ErrEmpty}
	}
	switch c := in.chunk()[0]; c {
	case '[':
		in.advance(1)
		return r, nil
	case '{':
		return nil, &BodyError{Line: in.line, Message: "the body is one JSON object; send an array of objects ([{…}, {…}]), or NDJSON (one object per line) as application/x-ndjson"}
	default:
		return nil, &BodyError{Line: in.line, Message: "expected a JSON array ([{…}, {…}]), found " + in.describe()}
	}
}

func (r *jsonReader) Columns() []string { return nil }

func (r *jsonReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	row, err := r.next()
	if err != nil {
		if _, ok := err.(*RowError); !ok {
			r.err = err
		}
	}
	return row, err
}

func (r *jsonReader) next() (Row, error) {
	if !r.in.skipSpace() {
		return Row{}, r.unexpectedEnd("the array is not closed (a ] is missing)")
	}
	switch c := r.in.chunk()[0]; {
	case c == ']':
		return Row{}, r.end()
	case r.first:
		r.first = false
	case c == ',':
		r.in.advance(1)
		if !r.in.skipSpace() {
			return Row{}, r.unexpectedEnd("the array is not closed (a ] is missing)")
		}
		if r.in.chunk()[0] == ']' {
			return Row{}, &BodyError{Line: r.in.line, Message: "a comma is not allowed after the last element of an array"}
		}
	default:
		return Row{}, &BodyError{Line: r.in.line, Message: "expected a comma or ] after an element, found " + r.in.describe()}
	}

	line := r.in.line
	tooLong, err := r.frame()
	if err != nil {
		return Row{}, err
	}
	// From here on a problem is this element's: the next one starts right after it.
	if tooLong {
		return Row{}, &RowError{Line: line, Message: fmt.Sprintf("the element is longer than %d bytes", r.max)}
	}
	m, p := decodeObject(r.elem)
	if p == nil {
		return Row{Line: line, Fields: m}, nil
	}
	at, _ := position(r.elem, line, max(p.off, 0))
	if p.syntax {
		return Row{}, &BodyError{Line: at, Message: p.message}
	}
	if at != line {
		p.message = fmt.Sprintf("%s (line %d)", p.message, at)
	}
	return Row{}, &RowError{Line: line, Field: p.field, Message: p.message}
}

// end checks that only whitespace follows the closing bracket.
func (r *jsonReader) end() error {
	r.in.advance(1)
	if r.in.skipSpace() {
		return &BodyError{Line: r.in.line, Message: "unexpected data after the end of the array: " + r.in.describe()}
	}
	if err := r.in.fatal(); err != nil {
		return err
	}
	return io.EOF
}

func (r *jsonReader) unexpectedEnd(what string) error {
	if err := r.in.fatal(); err != nil {
		return err
	}
	return &BodyError{Line: r.in.line, Message: "the body ends early: " + what}
}

// frame consumes one element into r.elem, or only past it when it is longer than max.
func (r *jsonReader) frame() (tooLong bool, err error) {
	r.elem = r.elem[:0]
	line := r.in.line
	depth := 0
	inString, escaped := false, false
	scalar := false // a number or literal: it ends at the first byte that cannot be part of it
	for started := false; r.in.fill(); {
		c := r.in.chunk()
		i := 0
		if !started {
			started = true
			switch c[0] {
			case '{', '[':
			case '"':
				inString, i = true, 1
			default:
				scalar = true
			}
		}
		done := false
	scan:
		for ; i < len(c); i++ {
			b := c[i]
			if inString {
				switch {
				case escaped:
					escaped = false
				case b == '\\':
					escaped = true
				case b == '"':
					inString = false
					if depth == 0 {
						i++
						done = true
						break scan
					}
				}
				continue
			}
			if scalar {
				switch b {
				case ' ', '\t', '\r', '\n', ',', ']', '}', '[', '{', '"', ':':
					done = true
					break scan
				}
				continue
			}
			switch b {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					i++
					done = true
					break scan
				}
			}
		}
		if !tooLong {
			if len(r.elem)+i > r.max {
				tooLong = true
			} else {
				r.elem = append(r.elem, c[:i]...)
			}
		}
		r.in.advance(i)
		if done {
			return tooLong, nil
		}
	}
	if scalar && r.in.fatal() == nil {
		return tooLong, nil // a scalar can end the body; the missing ] is found next
	}
	return false, r.unexpectedEnd("the element that starts on line " + strconv.Itoa(line) + " is not closed")
}

// describe shows the next character of the input for an error message.
func (in *input) describe() string {
	b := in.ensure(utf8.UTFMax)
	if len(b) == 0 {
		return "the end of the body"
	}
	c, n := utf8.DecodeRune(b)
	if c == utf8.RuneError && n == 1 {
		return fmt.Sprintf("the byte 0x%02X, which is not UTF-8", b[0])
	}
	return strconv.QuoteRune(c)
}
