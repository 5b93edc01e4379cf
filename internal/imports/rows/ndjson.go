package rows

import (
	"bytes"
	"fmt"
	"io"
)

// ndjsonReader reads one JSON object per line. Blank lines are skipped; every problem with a
// line, broken JSON included, is a *RowError for that line alone.
type ndjsonReader struct {
	in   *input
	max  int
	acc  []byte // a line that spans buffer refills, up to max+1 bytes (room for a '\r')
	seen bool   // a line that is not blank was read
	err  error  // sticky: io.EOF or fatal
}

func newNDJSONReader(in *input, maxRow int) (*ndjsonReader, error) {
	if in.blank(maxRow + 2) {
		if err := in.fatal(); err != nil {
			return nil, err
		}
		return nil, &BodyError{Message: ErrEmpty.Error(), Err: ErrEmpty}
	}
	return &ndjsonReader{in: in, max: maxRow}, nil
}

func (r *ndjsonReader) Columns() []string { return nil }

func (r *ndjsonReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		line := r.in.line
		b, tooLong, ok := r.readLine()
		if !ok {
			r.err = r.in.fatal()
			switch {
			case r.err != nil:
			case !r.seen: // blank, but more than NewReader looked at
				r.err = &BodyError{Message: ErrEmpty.Error(), Err: ErrEmpty}
			default:
				r.err = io.EOF
			}
			return Row{}, r.err
		}
		if tooLong {
			r.seen = true
			return Row{}, &RowError{Line: line, Message: fmt.Sprintf("the line is longer than %d bytes", r.max)}
		}
		if len(bytes.TrimLeft(b, " \t\r")) == 0 {
			continue
		}
		r.seen = true
		m, p := decodeObject(b)
		if p != nil {
			msg := p.message
			if p.off >= 0 {
				_, col := position(b, line, p.off)
				msg = fmt.Sprintf("%s at column %d", msg, col)
			}
			if p.syntax && p.off >= len(b) {
				msg += " (in NDJSON each object is on one line)"
			}
			return Row{}, &RowError{Line: line, Field: p.field, Message: msg}
		}
		return Row{Line: line, Fields: m}, nil
	}
}

// readLine returns the next line without its "\n" or "\r\n". A line longer than max is skipped
// to its end without being kept (tooLong). The line may alias the input buffer: it is valid
// until the next read. ok is false at the end of the body or on an error.
func (r *ndjsonReader) readLine() (line []byte, tooLong, ok bool) {
	r.acc = r.acc[:0]
	seen := false
	for r.in.fill() {
		seen = true
		c := r.in.chunk()
		i := bytes.IndexByte(c, '\n')
		if i < 0 {
			r.keep(c, &tooLong)
			r.in.advance(len(c))
			continue
		}
		if len(r.acc) == 0 && !tooLong { // the whole line is in the buffer: no copy
			line = c[:i]
			tooLong = len(line) > r.max+1
		} else {
			r.keep(c[:i], &tooLong)
			line = r.acc
		}
		r.in.advance(i + 1)
		return r.trim(line, tooLong)
	}
	if !seen || r.in.fatal() != nil {
		return nil, false, false
	}
	return r.trim(r.acc, tooLong) // the last line has no newline
}

// keep appends part of a line to acc unless the line is already too long.
func (r *ndjsonReader) keep(b []byte, tooLong *bool) {
	if *tooLong {
		return
	}
	if len(r.acc)+len(b) > r.max+1 {
		*tooLong = true
		return
	}
	r.acc = append(r.acc, b...)
}

func (r *ndjsonReader) trim(line []byte, tooLong bool) ([]byte, bool, bool) {
	if tooLong {
		return nil, true, true
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, len(line) > r.max, true
}
