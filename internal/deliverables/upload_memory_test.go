package deliverables_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/deliverables"
)

// TestDocumentUploadMemory measures what uploading a 20 MB document costs the server in memory:
// the bytes allocated by the upload and the peak of the live heap above where it started. It
// runs only when asked (apitest needs a *testing.T, so it cannot be a benchmark):
//
//	PUENTE_MEASURE_UPLOAD=1 PUENTE_TEST_DATABASE_URL="$(scripts/devdb.sh url postgres)" \
//	  go test -count=1 -run TestDocumentUploadMemory -v ./internal/deliverables/
//
// The client runs in the same process; its multipart body is built before measuring and sent
// from memory without copies.
func TestDocumentUploadMemory(t *testing.T) {
	if os.Getenv("PUENTE_MEASURE_UPLOAD") == "" {
		t.Skip("set PUENTE_MEASURE_UPLOAD=1 to measure")
	}
	cfg := apitest.Config()
	cfg.MaxUploadBytes = 25 << 20
	w := dlvWorldIn(t, apitest.NewWith(t, cfg))
	d := w.deliverable(t, w.body("DLV-MEMORY", w.pim))
	const size = 20 << 20
	for i := range 3 {
		file := dlvPDF(size + i) // distinct bytes each time, so each is stored
		body, ct := dlvMultipart(t, dlvPart{name: "file", filename: "big.pdf", body: file})
		dlvMeasure(t, fmt.Sprintf("through HTTP, upload %d of a %d MiB file", i+1, size>>20), func() {
			res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + d.ID + "/versions",
				Token: w.admin, Body: body, ContentType: ct})
			if res.Status != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.Status, res.Body)
			}
		})
	}
	// The service alone (receiving, spooling, hashing, detecting, storing): what the handler adds
	// to what the contract validator costs.
	docs := deliverables.NewDocuments(w.env.DB, w.env.App.Institutions, deliverables.NewPostgresStore(w.env.DB), 25<<20)
	ctx := actor.With(context.Background(), actor.SystemActor)
	id := uuid.MustParse(d.ID)
	for i := range 3 {
		file := dlvPDF(size + 10 + i)
		dlvMeasure(t, fmt.Sprintf("service alone, upload %d of a %d MiB file", i+1, size>>20), func() {
			f, err := docs.Receive(bytes.NewReader(file), "big.pdf")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := docs.Upload(ctx, id, f, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// dlvMeasure logs how long do takes, how much it allocates and how far the heap rises above where
// it started while it runs (sampled every 2 ms). The collector runs at every 5% of growth
// meanwhile, so that the heap measured is close to what is live.
func dlvMeasure(t *testing.T, what string, do func()) {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	start := time.Now()
	do()
	elapsed := time.Since(start)
	close(stop)
	<-done
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	mb := func(n uint64) float64 { return float64(n) / (1 << 20) }
	t.Logf("%s: %d ms, %.1f MiB allocated, live heap peaked %.1f MiB above its start", what, elapsed.Milliseconds(),
		mb(after.TotalAlloc-before.TotalAlloc), mb(max(peak.Load(), before.HeapAlloc)-before.HeapAlloc))
}
