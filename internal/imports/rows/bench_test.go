package rows

import (
	"encoding/csv"
	"io"
	"testing"
)

// The benchmarks read b.N observation rows generated as they are read; one op is one row, so
// -benchtime=1000000x reads a million. Generating the body is part of the time.
//
//	go test -run '^$' -bench . -benchmem -benchtime=1000000x ./internal/imports/rows/

func BenchmarkNDJSON(b *testing.B) { benchmarkFormat(b, NDJSON) }
func BenchmarkCSV(b *testing.B)    { benchmarkFormat(b, CSV) }
func BenchmarkJSON(b *testing.B)   { benchmarkFormat(b, JSON) }

func benchmarkFormat(b *testing.B, f Format) {
	body := &observations{format: f, rows: b.N}
	b.ReportAllocs()
	r, err := NewReader(body, f, Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n += len(row.Fields)
	}
	if n != b.N*9 {
		b.Fatalf("%d fields, want %d", n, b.N*9)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(body.produced)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// BenchmarkCSVEncodingCSV is the baseline: encoding/csv reading the same rows into the same maps.
func BenchmarkCSVEncodingCSV(b *testing.B) {
	body := &observations{format: CSV, rows: b.N}
	b.ReportAllocs()
	cr := csv.NewReader(body)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		b.Fatal(err)
	}
	header = append([]string(nil), header...)
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		fields := make(map[string]any, len(header))
		for i, v := range rec {
			fields[header[i]] = v
		}
		n += len(fields)
	}
	if n != b.N*9 {
		b.Fatalf("%d fields, want %d", n, b.N*9)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkGenerate is what generating the body costs, to subtract from the others.
func BenchmarkGenerate(b *testing.B) {
	body := &observations{format: NDJSON, rows: b.N}
	if _, err := io.Copy(io.Discard, body); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkNDJSONEncodingJSON is the baseline for objectParser: the same lines decoded by
// encoding/json (json.Decoder with UseNumber), as decodeObject does for what the parser refuses.
func BenchmarkNDJSONEncodingJSON(b *testing.B) {
	body := &observations{format: NDJSON, rows: b.N}
	b.ReportAllocs()
	r := &ndjsonReader{in: newInput(newBody(body, false, 0), 64<<10), max: DefaultMaxRowBytes}
	n := 0
	for {
		line, _, ok := r.readLine()
		if !ok {
			break
		}
		m, p := decodeObjectStd(line)
		if p != nil {
			b.Fatal(p.message)
		}
		n += len(m)
	}
	if n != b.N*9 {
		b.Fatalf("%d fields, want %d", n, b.N*9)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
