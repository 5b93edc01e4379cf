package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// The read models (mandates, stocktake) are measured from a single client: each request is sent
// after the previous one is answered, so the figures are the latency one user sees, not
// throughput under contention.

// latency is one scenario measured from a single client.
type latency struct {
	result
	p95 time.Duration
}

// singleClient measures each scenario against the server at url: warmup requests, then up to
// measured ones, within limit per scenario. One sub-benchmark per scenario reports req/s, p50
// and p95.
func singleClient(b *testing.B, url, token string, scenarios []scenario, warmup, measured int, limit time.Duration) map[string]latency {
	results := map[string]latency{}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			t := &target{name: "puente", url: url, token: token,
				client: &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}}
			defer t.client.CloseIdleConnections()
			deadline := time.Now().Add(limit)
			if _, _, _, err := t.send(sc, 0, warmup, 1, deadline); err != nil {
				b.Fatalf("%s warm-up: %v", sc.name, err)
			}
			lats, elapsed, size, err := t.send(sc, warmup, measured, 1, deadline)
			if err != nil {
				b.Fatalf("%s: %v", sc.name, err)
			}
			if len(lats) == 0 {
				b.Fatalf("%s: no request completed within %s", sc.name, limit)
			}
			if len(lats) < measured {
				b.Logf("%s: time limit reached, measured %d of %d requests", sc.name, len(lats), measured)
			}
			slices.Sort(lats)
			pct := func(p int) time.Duration { return lats[(len(lats)-1)*p/100] }
			r := latency{result: result{requests: len(lats), elapsed: elapsed, p50: pct(50), p99: pct(99), bytes: size / int64(len(lats))}, p95: pct(95)}
			results[sc.name] = r
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(r.rps(), "req/s")
			b.ReportMetric(ms(r.p50), "p50-ms")
			b.ReportMetric(ms(r.p95), "p95-ms")
		})
	}
	return results
}

// printLatencies prints one row per measured scenario, in order, with a verdict against target
// for the targeted ones.
func printLatencies(scenarios []scenario, results map[string]latency, target time.Duration, targeted map[string]bool) {
	fmt.Printf("%-20s %8s %8s %8s %8s %10s  %s\n", "", "p50 ms", "p95 ms", "p99 ms", "req/s", "body KB", "p95 target")
	for _, sc := range scenarios {
		r, ok := results[sc.name]
		if !ok {
			continue
		}
		verdict := ""
		if targeted[sc.name] {
			verdict = fmt.Sprintf("< %d ms: PASS", target.Milliseconds())
			if r.p95 >= target {
				verdict = fmt.Sprintf("< %d ms: over", target.Milliseconds())
			}
		}
		fmt.Printf("%-20s %8.1f %8.1f %8.1f %8.1f %10.1f  %s\n", sc.name, ms(r.p50), ms(r.p95), ms(r.p99), r.rps(), float64(r.bytes)/1024, verdict)
	}
}

// getJSON GETs url with token (none when empty), fails b unless the answer is 200, and decodes
// it into v.
func getJSON(b *testing.B, url, token string, v any) {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d: %.300s", url, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		b.Fatalf("GET %s: %v", url, err)
	}
}
