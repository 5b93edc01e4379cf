package rows

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeat is n copies of b, generated as they are read.
type repeat struct {
	b   []byte
	n   int64
	pos int
}

func (r *repeat) Read(p []byte) (int, error) {
	total := 0
	for total < len(p) && r.n > 0 {
		c := copy(p[total:], r.b[r.pos:])
		total += c
		if r.pos += c; r.pos == len(r.b) {
			r.pos = 0
			r.n--
		}
	}
	if total == 0 {
		return 0, io.EOF
	}
	return total, nil
}

// rowsFor is how many generated rows make a body of about size bytes.
func rowsFor(f Format, size int64) int {
	sample := &observations{format: f, rows: 1000, multiline: true}
	n, _ := io.Copy(io.Discard, sample)
	return int(size * 1000 / n)
}

// TestMemoryStaysSmall reads 200 MB bodies — good ones, and ones whose single broken or huge row
// would make a naive reader hold all of it — and checks the heap in use never grows by 16 MB.
func TestMemoryStaysSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1.2 GB")
	}
	const size = 200 << 20
	const maxGrowth = 16 << 20
	for _, tc := range []struct {
		name  string
		f     Format
		body  func() io.Reader
		good  int // rows, at least
		fatal bool
	}{
		{"NDJSON", NDJSON, func() io.Reader {
			return &observations{format: NDJSON, rows: rowsFor(NDJSON, size), multiline: true}
		}, 800_000, false},
		{"CSV", CSV, func() io.Reader { return &observations{format: CSV, rows: rowsFor(CSV, size), multiline: true} }, 800_000, false},
		{"JSON", JSON, func() io.Reader { return &observations{format: JSON, rows: rowsFor(JSON, size), multiline: true} }, 800_000, false},
		{"NDJSON, one 200 MB line", NDJSON, func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"a":1}`+"\n"+`{"note":"`), &repeat{b: []byte("abcdefgh"), n: size / 8}, strings.NewReader("\"}\n{\"a\":2}\n"))
		}, 2, false},
		{"JSON, one 200 MB element", JSON, func() io.Reader {
			return io.MultiReader(strings.NewReader(`[{"a":1},{"note":[`), &repeat{b: []byte(`"}]\"",`), n: size / 8}, strings.NewReader(`1]},{"a":2}]`))
		}, 2, false},
		{"CSV, a quote never closed on line 2", CSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("a,b\n1,\"open\n"), &repeat{b: []byte("2,3\n4,5\n"), n: size / 8})
		}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body()
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			base, peak := m.HeapInuse, m.HeapInuse
			sample := func() {
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			r, err := NewReader(body, tc.f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			good, bad := 0, 0
			for i := 1; ; i++ {
				_, err = r.Next()
				if i%20_000 == 0 {
					sample()
				}
				var re *RowError
				if errors.As(err, &re) {
					bad++
					continue
				}
				if err != nil {
					break
				}
				good++
			}
			sample()
			var be *BodyError
			if tc.fatal != errors.As(err, &be) || !tc.fatal && err != io.EOF {
				t.Fatalf("ended with %v", err)
			}
			if good < tc.good {
				t.Fatalf("%d rows, want %d at least", good, tc.good)
			}
			t.Logf("%d rows, %d bad; heap in use grew by %.1f MB at most", good, bad, float64(peak-base)/(1<<20))
			if peak-base > maxGrowth {
				t.Fatalf("heap in use grew by %d bytes, more than %d", peak-base, maxGrowth)
			}
		})
	}
}
