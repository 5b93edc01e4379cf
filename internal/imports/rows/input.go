package rows

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// body is the request body, inflated when it is gzip, stopped at the limit. Its errors are
// io.EOF, *LimitError, *BodyError (bad gzip) or a wrapped error of the request itself.
type body struct {
	src   io.Reader // the request body, its errors marked as sourceError
	r     io.Reader // src, or a gzip reader over src once the header is read
	gzip  bool
	limit int64 // 0: none
	n     int64 // inflated bytes handed out
	err   error // sticky: once fatal, always fatal
}

// sourceError marks an error of the request body itself, so it is never mistaken for bad gzip.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

func newBody(r io.Reader, gz bool, limit int64) *body {
	src := sourceReader{r}
	b := &body{src: src, gzip: gz, limit: limit}
	if !gz {
		b.r = src
	}
	return b
}

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.r == nil { // gzip: read the header on first use, so its errors come out of Read too
		zr, err := gzip.NewReader(b.src)
		var se *sourceError
		switch {
		case err == io.EOF || errors.As(err, &se):
			b.err = b.classify(err)
			return 0, b.err
		case err != nil: // too short for a header counts as not gzip, not as truncated
			b.err = &BodyError{Message: notGzip, Err: err}
			return 0, b.err
		}
		b.r = zr
	}
	if b.limit > 0 && int64(len(p)) > b.limit-b.n+1 {
		// Ask for one byte past the limit at most: enough to tell "exactly at the limit" from
		// "over it", never more — a 2 GB body or a zip bomb is not read past that byte.
		p = p[:b.limit-b.n+1]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.limit > 0 && b.n > b.limit {
		n -= int(b.n - b.limit)
		b.n = b.limit
		b.err = &LimitError{Limit: b.limit, Gzip: b.gzip}
		return n, b.err
	}
	if err != nil {
		err = b.classify(err)
		if err != io.EOF {
			b.err = err
		}
	}
	return n, err
}

const notGzip = "the body is not valid gzip data, though its Content-Encoding says gzip"

// classify turns a read error into the package's vocabulary.
func (b *body) classify(err error) error {
	if err == io.EOF {
		return err
	}
	var se *sourceError
	if errors.As(err, &se) {
		return fmt.Errorf("read body: %w", se.err)
	}
	if !b.gzip {
		return fmt.Errorf("read body: %w", err)
	}
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, gzip.ErrHeader):
		return &BodyError{Message: notGzip, Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &BodyError{Message: "the gzip data ends early: the file is truncated (was the upload cut short?)", Err: err}
	case errors.Is(err, gzip.ErrChecksum), errors.As(err, &corrupt):
		return &BodyError{Message: "the gzip data is corrupt", Err: err}
	}
	return &BodyError{Message: "the gzip data cannot be read: " + err.Error(), Err: err}
}

// input is a read buffer over the body that counts lines. Parsers look at chunk(), consume with
// advance(n), and ask fill() for more once a chunk is used up; line is the line of chunk()[0].
type input struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	line int   // 1-based line of buf[pos]
	off  int64 // offset in the body of buf[pos]
	err  error // io.EOF or fatal, returned once the buffered bytes are consumed
}

func newInput(r io.Reader, size int) *input {
	return &input{r: r, buf: make([]byte, size), line: 1}
}

var newline = []byte{'\n'}

// chunk is the unconsumed buffered data.
func (in *input) chunk() []byte { return in.buf[in.pos:in.end] }

// advance consumes n bytes of chunk().
func (in *input) advance(n int) {
	in.line += bytes.Count(in.buf[in.pos:in.pos+n], newline)
	in.pos += n
	in.off += int64(n)
}

// fill makes chunk() non-empty, reading if it is empty; false at the end of the body or on an
// error, which in.err then holds.
func (in *input) fill() bool {
	if in.pos < in.end {
		return true
	}
	in.pos, in.end = 0, 0
	return in.read()
}

// more reads more data after what chunk() holds, moving it to the front of the buffer first
// and growing the buffer up to upTo bytes if it must; false when the buffer is full, at the end
// of the body or on an error.
func (in *input) more(upTo int) bool {
	if in.pos > 0 {
		in.end = copy(in.buf, in.buf[in.pos:in.end])
		in.pos = 0
	}
	if in.end == len(in.buf) {
		if len(in.buf) >= upTo {
			return false
		}
		in.buf = append(in.buf, make([]byte, min(len(in.buf), upTo-len(in.buf)))...)
	}
	return in.read()
}

func (in *input) read() bool {
	if in.err != nil {
		return false
	}
	for range 100 {
		n, err := in.r.Read(in.buf[in.end:])
		in.end += n
		if err != nil {
			in.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	in.err = fmt.Errorf("read body: %w", io.ErrNoProgress)
	return false
}

// ensure tries to have n bytes in chunk(); fewer only at the end of the body or on an error.
func (in *input) ensure(n int) []byte {
	for in.end-in.pos < n && in.more(n) {
	}
	return in.chunk()
}

// fatal is the error that ended the input: nil at a clean end.
func (in *input) fatal() error {
	if in.err == io.EOF {
		return nil
	}
	return in.err
}

// skipBOM consumes a UTF-8 byte order mark and refuses a UTF-16 one.
func (in *input) skipBOM() error {
	c := in.ensure(3)
	switch {
	case bytes.HasPrefix(c, []byte("\xEF\xBB\xBF")):
		in.advance(3)
	case bytes.HasPrefix(c, []byte("\xFF\xFE")), bytes.HasPrefix(c, []byte("\xFE\xFF")):
		return &BodyError{Line: 1, Message: "the file is UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)"}
	}
	return nil // an error reading is the format reader's to report, after the bytes before it
}

// skipSpace consumes JSON whitespace; false at the end of the body or on an error.
func (in *input) skipSpace() bool {
	for in.fill() {
		c := in.chunk()
		i := 0
		for i < len(c) && isSpace(c[i]) {
			i++
		}
		in.advance(i)
		if i < len(c) {
			return true
		}
	}
	return false
}

// blank says whether the body holds only JSON whitespace, looking at up to window bytes
// without consuming them. It is false when anything else is found, or when window bytes of
// whitespace are.
func (in *input) blank(window int) bool {
	for i := 0; ; {
		c := in.chunk() // more() keeps the chunk's start at index 0
		for ; i < len(c) && i < window; i++ {
			if !isSpace(c[i]) {
				return false
			}
		}
		if i == window {
			return false
		}
		if !in.more(window) {
			return true
		}
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
