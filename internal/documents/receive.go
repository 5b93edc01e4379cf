package documents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/puente-mre/puente/internal/apperr"
)

// The document types accepted, as detected from their bytes.
const (
	MediaPDF      = "application/pdf"
	MediaDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MediaODT      = "application/vnd.oasis.opendocument.text"
	MediaMarkdown = "text/markdown"
)

// extensions are the file name endings of each accepted type; the first names files that came
// without a name.
var extensions = map[string][]string{
	MediaPDF: {".pdf"}, MediaDOCX: {".docx"}, MediaODT: {".odt"}, MediaMarkdown: {".md", ".markdown"},
}

// Refusal is an upload refused for what its file is rather than for what the request says:
// too large (the HTTP layer answers 413) or of a type not accepted (415).
type Refusal struct {
	TooLarge bool // else the file's type is not accepted
	Message  string
}

func (r *Refusal) Error() string { return r.Message }

// ReadError is an upload that could not be read: the request's body broke off, was malformed or
// was longer than the server accepts.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "read upload: " + e.Err.Error() }

func (e *ReadError) Unwrap() error { return e.Err }

// source tags the errors of reading an upload as the upload's, not the spool's.
type source struct{ r io.Reader }

func (s source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &ReadError{Err: err}
	}
	return n, err
}

// File is an uploaded file received in full and found acceptable, waiting to be stored. Close
// it once done.
type File struct {
	Name      string
	MediaType string
	Size      int64
	SHA256    string
	spool     *spool
}

// Close releases what holds the file's bytes.
func (f *File) Close() error { return f.spool.Close() }

// Reader reads the file's bytes from their start, for storing them.
func (f *File) Reader() (io.Reader, error) { return f.spool.reader() }

// Receive reads a whole file named name (as its uploader called it) from r, refusing one of
// more than maxUpload bytes, keeping about a
// megabyte of it in memory at most (the rest goes to a temporary file), computes its SHA-256,
// and detects its type from its bytes: a PDF, a DOCX, an ODT, or Markdown (valid UTF-8 text
// whose name ends in .md or .markdown).
//
// Errors: *Refusal (more than the maximum upload size, or a type not accepted), Unprocessable
// (empty), *ReadError (reading r failed).
func Receive(r io.Reader, name string, maxUpload int64) (*File, error) {
	sp := &spool{}
	sum := sha256.New()
	text := &textCheck{valid: true}
	n, err := io.Copy(io.MultiWriter(sp, sum, text), io.LimitReader(source{r}, maxUpload+1))
	fail := func(err error) (*File, error) {
		_ = sp.Close()
		return nil, err
	}
	switch {
	case err != nil:
		return fail(err)
	case n > maxUpload:
		return fail(&Refusal{TooLarge: true, Message: fmt.Sprintf("the file is larger than the %d bytes allowed", maxUpload)})
	case n == 0:
		return fail(apperr.New(apperr.Unprocessable, "the file is empty").WithField("file", "is empty"))
	}
	head, err := sp.head(mimetypeLimit)
	if err != nil {
		return fail(err)
	}
	media, err := detect(head, name, text.text())
	if err != nil {
		return fail(err)
	}
	return &File{Name: fileName(name, media), MediaType: media, Size: n, SHA256: hex.EncodeToString(sum.Sum(nil)), spool: sp}, nil
}

// mimetypeLimit is how much of a file's start mimetype reads to detect its type.
const mimetypeLimit = 4096

// detect names the accepted type of a file from its first bytes (head), its name and whether
// the whole of it is UTF-8 text.
//
// Errors: *Refusal.
func detect(head []byte, name string, text bool) (string, error) {
	m := mimetype.Detect(head)
	for _, t := range []string{MediaPDF, MediaDOCX, MediaODT} {
		if m.Is(t) {
			return t, nil
		}
	}
	isText := false
	for p := m; p != nil; p = p.Parent() {
		isText = isText || p.Is("text/plain")
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case isText && text && slices.Contains(extensions[MediaMarkdown], ext):
		return MediaMarkdown, nil
	case isText && text:
		return "", &Refusal{Message: "a text file is accepted only as Markdown, with a name ending in .md or .markdown"}
	case isText:
		return "", &Refusal{Message: "a text file is accepted only as Markdown in valid UTF-8; this one is not valid UTF-8 text"}
	}
	detected, _, _ := strings.Cut(m.String(), ";")
	return "", &Refusal{Message: fmt.Sprintf("the file is %s; only PDF, DOCX, ODT and Markdown documents are accepted", detected)}
}

// maxFileName bounds stored file names, in bytes.
const maxFileName = 255

// fileName is the name a document is stored under: the uploader's, without control characters
// and at most maxFileName bytes (its extension kept), or "document" with the type's extension
// when nothing is left.
func fileName(name, media string) string {
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name))
	if name == "" {
		return "document" + extensions[media][0]
	}
	if len(name) <= maxFileName {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	stem := name[:maxFileName-len(ext)]
	for !utf8.ValidString(stem) {
		stem = stem[:len(stem)-1]
	}
	return stem + ext
}

// spoolMemory is how much of an upload a spool keeps in memory before it moves to a file.
const spoolMemory = 1 << 20

// spool holds a file being received: in memory while small, in a temporary file beyond
// spoolMemory bytes.
type spool struct {
	mem  bytes.Buffer
	file *os.File
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) <= spoolMemory {
		return s.mem.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "puente-upload-*")
		if err != nil {
			return 0, fmt.Errorf("spool upload: %w", err)
		}
		s.file = f
		if _, err := s.mem.WriteTo(f); err != nil {
			return 0, fmt.Errorf("spool upload: %w", err)
		}
		s.mem = bytes.Buffer{}
	}
	return s.file.Write(p)
}

// head returns the first n bytes held (fewer if the file is shorter).
func (s *spool) head(n int) ([]byte, error) {
	if s.file == nil {
		return s.mem.Bytes()[:min(n, s.mem.Len())], nil
	}
	b := make([]byte, n)
	k, err := s.file.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read spooled upload: %w", err)
	}
	return b[:k], nil
}

// reader reads what is held from its start.
func (s *spool) reader() (io.Reader, error) {
	if s.file == nil {
		return bytes.NewReader(s.mem.Bytes()), nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind spooled upload: %w", err)
	}
	return s.file, nil
}

// Close drops what is held.
func (s *spool) Close() error {
	s.mem = bytes.Buffer{}
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	s.file = nil
	return errors.Join(err, os.Remove(name))
}

// textCheck tells whether what is written to it is text: valid UTF-8 without the bytes that
// mark binary data (WHATWG MIME Sniffing's binary data bytes, the same test mimetype makes on a
// file's start, here made on all of it).
type textCheck struct {
	valid bool
	carry []byte // the start of a character the last write cut
}

func (c *textCheck) Write(p []byte) (int, error) {
	n := len(p)
	for len(c.carry) > 0 && len(p) > 0 && c.valid {
		c.carry, p = append(c.carry, p[0]), p[1:]
		if utf8.FullRune(c.carry) {
			r, size := utf8.DecodeRune(c.carry)
			c.valid = !(r == utf8.RuneError && size <= 1) && size == len(c.carry)
			c.carry = c.carry[:0]
		}
	}
	if !c.valid || len(p) == 0 {
		return n, nil
	}
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	c.valid = utf8.Valid(p[:cut]) && !slices.ContainsFunc(p[:cut], binaryByte)
	c.carry = append(c.carry, p[cut:]...)
	return n, nil
}

// text reports whether everything written was text, the last character included.
func (c *textCheck) text() bool { return c.valid && len(c.carry) == 0 }

func binaryByte(b byte) bool {
	return b <= 0x08 || b == 0x0B || 0x0E <= b && b <= 0x1A || 0x1C <= b && b <= 0x1F
}
