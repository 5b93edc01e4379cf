package rows

import (
	"bytes"
	"io"
	"strconv"
)

// observations is a body of observation-like rows, generated while it is read: it never holds
// more than one row, so it can stand for a body of any size.
type observations struct {
	format Format
	rows   int // how many rows to write
	// multiline makes every 7th note carry a separator, a quote and a newline, so CSV lines and
	// rows part ways and JSON elements span lines.
	multiline bool
	// replace maps a line to the raw text (newline included) written instead of the row that
	// would start on it.
	replace map[int]string

	row      int   // rows written
	line     int   // the line the next row starts on
	produced int64 // bytes handed out
	buf      []byte
	pos      int
	state    int // 0 nothing written, 1 writing rows, 2 done
}

var obsCountries = []string{"ES", "US", "AR", "CL", "IT", "JP", "CH", "DE", "VE", "BR", "MX", "CA", "FR"}
var obsSexes = []string{"female", "male", "total"}
var obsAges = []string{"total", "0-14", "15-24", "25-34", "35-44", "45-64", "65+"}
var obsStatuses = []string{"estimate", "provisional", "final"}

const obsHeader = "indicator_id,source_id,period,country,sex,age_group,value,status,note\n"

func (o *observations) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if o.pos == len(o.buf) {
			if !o.next() {
				break
			}
		}
		c := copy(p[n:], o.buf[o.pos:])
		o.pos += c
		n += c
	}
	o.produced += int64(n)
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// next puts the next piece of the body in buf; false at the end.
func (o *observations) next() bool {
	o.buf, o.pos = o.buf[:0], 0
	switch o.state {
	case 0:
		o.state, o.line = 1, 2
		switch o.format {
		case CSV:
			o.buf = append(o.buf, obsHeader...)
		case JSON:
			o.buf = append(o.buf, "[\n"...)
		default:
			o.line = 1
		}
		return true
	case 2:
		return false
	}
	if o.row == o.rows {
		o.state = 2
		if o.format == JSON {
			o.buf = append(o.buf, "]\n"...)
			return true
		}
		return false
	}
	if s, ok := o.replace[o.line]; ok {
		o.buf = append(o.buf, s...)
	} else {
		o.buf = o.appendRow(o.buf, o.row)
		if o.format == JSON && o.row < o.rows-1 {
			o.buf = append(o.buf[:len(o.buf)-1], ",\n"...)
		}
	}
	o.row++
	o.line += bytes.Count(o.buf, newline)
	return true
}

// appendRow appends row i, newline included.
func (o *observations) appendRow(b []byte, i int) []byte {
	indicator := "6f1c1f9e-2b7a-4c3e-9d1a-0a5b" + strconv.Itoa(100000000 + i%50)[1:]
	source := "0b8e2c4d-51f3-4a6b-8c7d-9e0f1a2b3c4d"
	period := strconv.Itoa(2000 + i%25)
	note := "INEI, Encuesta de peruanos en el exterior"
	if o.multiline && i%7 == 3 {
		note = "revisado; ver \"anexo 2\",\nfila " + strconv.Itoa(i)
	}
	value := strconv.AppendFloat(nil, float64(i%100000)*1.25, 'f', -1, 64)
	switch o.format {
	case CSV:
		b = append(b, indicator...)
		b = append(b, ',')
		b = append(b, source...)
		b = append(b, ',')
		b = append(b, period...)
		b = append(b, ',')
		b = append(b, obsCountries[i%len(obsCountries)]...)
		b = append(b, ',')
		b = append(b, obsSexes[i%len(obsSexes)]...)
		b = append(b, ',')
		b = append(b, obsAges[i%len(obsAges)]...)
		b = append(b, ',')
		b = append(b, value...)
		b = append(b, ',')
		b = append(b, obsStatuses[i%len(obsStatuses)]...)
		b = append(b, ',', '"')
		for _, c := range []byte(note) {
			if c == '"' {
				b = append(b, '"')
			}
			b = append(b, c)
		}
		return append(b, '"', '\n')
	default:
		b = append(b, `{"indicator_id":"`...)
		b = append(b, indicator...)
		b = append(b, `","source_id":"`...)
		b = append(b, source...)
		b = append(b, `","period":"`...)
		b = append(b, period...)
		b = append(b, `","country":"`...)
		b = append(b, obsCountries[i%len(obsCountries)]...)
		b = append(b, `","sex":"`...)
		b = append(b, obsSexes[i%len(obsSexes)]...)
		b = append(b, `","age_group":"`...)
		b = append(b, obsAges[i%len(obsAges)]...)
		b = append(b, `","value":`...)
		b = append(b, value...)
		b = append(b, `,"status":"`...)
		b = append(b, obsStatuses[i%len(obsStatuses)]...)
		b = append(b, `","note":`...)
		b = strconv.AppendQuote(b, note)
		if o.format == JSON && o.multiline && i%7 == 3 {
			b = append(b, "\n"...) // the element's closing brace on a line of its own
		}
		return append(b, "}\n"...)
	}
}
