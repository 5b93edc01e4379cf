package rows

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// csvReader reads RFC 4180 CSV with a header row, comma or semicolon separated.
//
// It parses records exactly as encoding/csv does with its defaults (FuzzCSVMatchesEncodingCSV
// holds it to that) but keeps at most MaxRowBytes of a record and knows, at every byte, whether
// it is inside a quoted field. encoding/csv cannot do either: it holds a whole record in memory,
// so a quote that is never closed makes it read the rest of the body — gigabytes — into one
// field. That knowledge is what decides recovery:
//   - a bare " in an unquoted field, or a " followed by something else than a separator or the
//     end of the line, is a *RowError; the rest of that physical line is skipped, as encoding/csv
//     does, and reading goes on with the next line.
//   - a record longer than MaxRowBytes is a *RowError; it is read to its real end (quotes and
//     all) without being kept, so the next record is read correctly.
//   - a quoted field still open at the end of the body is a fatal *BodyError naming the line
//     where it opened: the rest of the body was swallowed into it.
type csvReader struct {
	in     *input
	comma  byte
	max    int
	header []string
	buf    []byte // the current record's field contents
	ends   []int  // where each field ends in buf
	err    error  // sticky: io.EOF or fatal
}

// csvRecord is what readRecord learnt about a record besides its fields.
type csvRecord struct {
	line    int  // where it starts
	tooLong bool // over max: fields were not kept
	problem *csvProblem
}

// csvProblem is the first quoting problem in a record.
type csvProblem struct {
	line    int // where it is
	field   int // 0-based index of the field it is in
	message string
	// A closing quote followed by something else than a separator or the end of the line:
	after     []byte // what follows it, one character (a chunk may end inside it: see walk)
	quoteLine int    // where the quoted field opened
}

// text says what is wrong, for a person.
func (p *csvProblem) text(comma byte) string {
	if p.after == nil {
		return p.message
	}
	what := "a character"
	switch r, _ := utf8.DecodeRune(p.after); {
	case r == '\r':
		what = "a carriage return"
	case r != utf8.RuneError:
		what = strconv.QuoteRune(r)
	}
	if p.line != p.quoteLine {
		// The field opened on an earlier line: the likely cause is a quote left open there.
		return fmt.Sprintf(`the quoted field that opens on line %d runs to line %d, where a closing " is followed by %s; is a " missing on line %d?`, p.quoteLine, p.line, what, p.quoteLine)
	}
	return fmt.Sprintf(`a closing " is followed by %s instead of %q or the end of the line; double each " inside a quoted field ("")`, what, comma)
}

func newCSVReader(in *input, maxRow int) (*csvReader, error) {
	r := &csvReader{in: in, max: maxRow, comma: detectComma(in, maxRow)}
	rec, err := r.readRecord()
	switch {
	case err == io.EOF:
		return nil, &BodyError{Message: ErrEmpty.Error(), Err: ErrEmpty}
	case err != nil:
		return nil, err
	case rec.tooLong:
		return nil, &BodyError{Line: rec.line, Message: fmt.Sprintf("the header row is longer than %d bytes", r.max)}
	case rec.problem != nil:
		return nil, &BodyError{Line: rec.problem.line, Message: "the header row: " + rec.problem.text(r.comma)}
	}
	if p := checkText(r.buf); p != nil {
		at, _ := position(r.buf, rec.line, p.off)
		return nil, &BodyError{Line: at, Message: "the header row: " + p.message}
	}
	s := string(r.buf)
	seen := make(map[string]int, len(r.ends))
	start := 0
	for i, end := range r.ends {
		name := strings.TrimSpace(s[start:end])
		start = end
		if name == "" {
			return nil, &BodyError{Line: rec.line, Message: fmt.Sprintf("column %d of the header row has no name", i+1)}
		}
		if j, dup := seen[name]; dup {
			return nil, &BodyError{Line: rec.line, Message: fmt.Sprintf("columns %d and %d of the header row are both named %q", j+1, i+1, name)}
		}
		seen[name] = i
		r.header = append(r.header, name)
	}
	return r, nil
}

// detectComma picks the separator from the header line: a semicolon when it splits the line into
// more columns than a comma does, else a comma. Only separators outside quotes count. Blank
// lines before the header are consumed; the header line is looked at, not consumed: the read
// buffer grows to hold it, up to maxRow bytes and its line's end (a longer header is refused
// anyway).
func detectComma(in *input, maxRow int) byte {
	for {
		c := in.ensure(2)
		if len(c) > 0 && c[0] == '\n' {
			in.advance(1)
		} else if len(c) > 1 && c[0] == '\r' && c[1] == '\n' {
			in.advance(2)
		} else {
			break
		}
	}
	commas, semicolons, quoted := 0, 0, false
	window := maxRow + 2 // the header and its "\r\n", whatever the buffer holds
	for i := 0; ; {
		c := in.chunk() // more() keeps the chunk's start at index 0
		for ; i < len(c) && i < window; i++ {
			switch c[i] {
			case '"':
				quoted = !quoted
			case ',':
				if !quoted {
					commas++
				}
			case ';':
				if !quoted {
					semicolons++
				}
			case '\n':
				if !quoted {
					return pick(commas, semicolons)
				}
			}
		}
		if i == window || !in.more(window) {
			return pick(commas, semicolons)
		}
	}
}

func pick(commas, semicolons int) byte {
	if semicolons > commas {
		return ';'
	}
	return ','
}

func (r *csvReader) Columns() []string { return append([]string(nil), r.header...) }

func (r *csvReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	rec, err := r.readRecord()
	if err != nil {
		r.err = err
		return Row{}, err
	}
	if rec.tooLong {
		return Row{}, &RowError{Line: rec.line, Message: fmt.Sprintf("the record is longer than %d bytes", r.max)}
	}
	if p := rec.problem; p != nil {
		e := &RowError{Line: rec.line, Field: r.column(p.field), Message: p.text(r.comma)}
		if p.line != rec.line {
			e.Message = fmt.Sprintf("%s (line %d)", e.Message, p.line)
		}
		return Row{}, e
	}
	if len(r.ends) != len(r.header) {
		return Row{}, &RowError{Line: rec.line, Message: fmt.Sprintf("%d fields, but the header has %d columns", len(r.ends), len(r.header))}
	}
	if p := checkText(r.buf); p != nil {
		e := &RowError{Line: rec.line, Message: p.message}
		for i, end := range r.ends {
			if p.off < end {
				e.Field = r.header[i]
				break
			}
		}
		if at, _ := position(r.buf, rec.line, p.off); at != rec.line {
			e.Message = fmt.Sprintf("%s (line %d)", p.message, at)
		}
		return Row{}, e
	}
	s := string(r.buf) // one allocation for every field of the record
	fields := make(map[string]any, len(r.header))
	start := 0
	for i, end := range r.ends {
		fields[r.header[i]] = s[start:end]
		start = end
	}
	return Row{Line: rec.line, Fields: fields}, nil
}

// column names field i for an error; "" past the header.
func (r *csvReader) column(i int) string {
	if i < len(r.header) {
		return r.header[i]
	}
	return ""
}

// States of the record parser.
const (
	stRecordStart   = iota // before a record: blank lines are skipped
	stRecordStartCR        // a '\r' before a record: "\r\n" is a blank line, else data
	stFieldStart           // after a separator
	stUnquoted             // in an unquoted field
	stUnquotedCR           // a '\r' in an unquoted field: "\r\n" ends the record, else data
	stQuoted               // in a quoted field
	stQuotedCR             // a '\r' in a quoted field: "\r\n" is kept as "\n", else data
	stQuote                // a '"' in a quoted field: it closes the field, or doubles a quote
	stQuoteCR              // a '"' then '\r': must be "\r\n"
	stSkipLine             // after a problem: skip to the end of the line
)

// csvParse is the state of readRecord while it walks the current chunk.
type csvParse struct {
	r         *csvReader
	rec       csvRecord
	st        int
	start     int64 // offset in the body where the record starts
	quoteLine int   // where the quoted field being read opened
	c         []byte
	ln, lnAt  int // c[lnAt] is on line ln
}

// readRecord parses the next record into r.buf and r.ends. err is io.EOF after the last
// record, or fatal.
func (r *csvReader) readRecord() (csvRecord, error) {
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	p := csvParse{r: r, st: stRecordStart}
	for r.in.fill() {
		p.c, p.ln, p.lnAt = r.in.chunk(), r.in.line, 0
		if pr := p.rec.problem; pr != nil && pr.after != nil && !utf8.FullRune(pr.after) {
			// The character after a closing quote began at the end of the last chunk.
			pr.after = append(pr.after, p.c[:min(utf8.UTFMax-len(pr.after), len(p.c))]...)
		}
		if n, done := p.walk(); done {
			r.in.advance(n)
			return p.rec, nil
		}
		r.in.advance(len(p.c))
	}
	if err := r.in.fatal(); err != nil {
		return p.rec, err
	}
	// The end of the body ends the record, as a newline would.
	switch p.st {
	case stRecordStart, stRecordStartCR:
		return p.rec, io.EOF
	case stQuoted, stQuotedCR:
		return p.rec, &BodyError{Line: p.quoteLine, Message: `a quoted field opens on this line and is never closed, so the rest of the file was read into it (a closing " is missing)`}
	case stFieldStart, stUnquoted, stQuote:
		p.endField(0)
	case stUnquotedCR, stQuoteCR:
		p.endField(-1) // a '\r' just before the end is dropped, as encoding/csv does
	}
	return p.rec, nil
}

// walk parses p.c; it returns how many bytes the record took and true when it ended in p.c.
func (p *csvParse) walk() (int, bool) {
	c, r := p.c, p.r
	for i := 0; i < len(c); {
		switch p.st {
		case stRecordStart:
			switch c[i] {
			case '\n':
				i++
				continue
			case '\r':
				p.st = stRecordStartCR
				i++
				continue
			}
			p.rec.line, p.start = p.lineAt(i), r.in.off+int64(i)
			p.st = stFieldStart
		case stRecordStartCR:
			if c[i] == '\n' {
				p.st = stRecordStart
				i++
				continue
			}
			p.rec.line, p.start = p.lineAt(i), r.in.off+int64(i)-1
			p.keep(cr, i)
			p.st = stUnquoted
		case stFieldStart:
			if c[i] == '"' {
				p.quoteLine = p.lineAt(i)
				p.st = stQuoted
				i++
				continue
			}
			p.st = stUnquoted
		case stUnquoted:
			j := i
			for j < len(c) {
				if b := c[j]; b == r.comma || b == '\n' || b == '\r' || b == '"' {
					break
				}
				j++
			}
			p.keep(c[i:j], j)
			if i = j; i == len(c) {
				continue
			}
			switch c[i] {
			case '\n':
				p.endField(i)
				return i + 1, true
			case '\r':
				p.st = stUnquotedCR
			case '"':
				p.fail(i, `a " inside a field that is not quoted; quote the whole field and double each " in it ("")`)
			default:
				p.endField(i)
				p.st = stFieldStart
			}
			i++
		case stUnquotedCR:
			if c[i] == '\n' {
				p.endField(i - 1)
				return i + 1, true
			}
			p.keep(cr, i)
			p.st = stUnquoted
		case stQuoted:
			j := i
			for j < len(c) && c[j] != '"' && c[j] != '\r' {
				j++
			}
			p.keep(c[i:j], j)
			if i = j; i == len(c) {
				continue
			}
			if c[i] == '"' {
				p.st = stQuote
			} else {
				p.st = stQuotedCR
			}
			i++
		case stQuotedCR:
			if c[i] == '\n' {
				p.keep(newline, i+1)
				p.st = stQuoted
				i++
				continue
			}
			p.keep(cr, i)
			p.st = stQuoted
		case stQuote:
			switch c[i] {
			case '"':
				p.keep(c[i:i+1], i+1)
				p.st = stQuoted
			case r.comma:
				p.endField(i)
				p.st = stFieldStart
			case '\n':
				p.endField(i)
				return i + 1, true
			case '\r':
				p.st = stQuoteCR
			default:
				p.quoteProblem(i, c[i:min(i+utf8.UTFMax, len(c))])
				continue // the line is skipped from here
			}
			i++
		case stQuoteCR:
			if c[i] == '\n' {
				p.endField(i - 1)
				return i + 1, true
			}
			p.quoteProblem(i, cr)
		case stSkipLine:
			j := bytes.IndexByte(c[i:], '\n')
			if j < 0 {
				return len(c), false
			}
			return i + j + 1, true
		}
	}
	return len(c), false
}

var cr = []byte{'\r'}

// lineAt is the line of c[i]; i never goes back within a chunk.
func (p *csvParse) lineAt(i int) int {
	p.ln += bytes.Count(p.c[p.lnAt:i], newline)
	p.lnAt = i
	return p.ln
}

// tooLong marks the record too long when its raw bytes up to c[end] (exclusive) are over max.
func (p *csvParse) tooLong(end int) bool {
	if !p.rec.tooLong && p.r.in.off+int64(end)-p.start > int64(p.r.max) {
		p.rec.tooLong = true
	}
	return p.rec.tooLong
}

// keep appends field bytes that end just before c[end].
func (p *csvParse) keep(b []byte, end int) {
	if !p.tooLong(end) {
		p.r.buf = append(p.r.buf, b...)
	}
}

// endField ends a field just before c[at], a separator or the end of the line.
func (p *csvParse) endField(at int) {
	if !p.tooLong(at) {
		p.r.ends = append(p.r.ends, len(p.r.buf))
	}
}

// fail records the record's first problem, at c[i], and skips the rest of the line.
func (p *csvParse) fail(i int, message string) {
	p.st = stSkipLine
	if p.rec.problem == nil && !p.rec.tooLong {
		p.rec.problem = &csvProblem{line: p.lineAt(i), field: len(p.r.ends), message: message}
	}
}

// quoteProblem reports a closing quote followed by after (its beginning, at c[i]), which is
// neither a separator nor the end of the line.
func (p *csvParse) quoteProblem(i int, after []byte) {
	p.fail(i, "")
	if pr := p.rec.problem; pr != nil && pr.message == "" && pr.after == nil {
		pr.after, pr.quoteLine = append([]byte(nil), after...), p.quoteLine
	}
}
