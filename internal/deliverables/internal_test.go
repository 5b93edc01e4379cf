package deliverables

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/testdb"
)

func dlvHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// A download answers If-None-Match with the ETag by a 304, and any other tag by the file. The
// strict handler does not see If-None-Match yet (the contract does not declare it), so this
// drives the response itself.
func TestDocumentDownloadConditional(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	store := NewPostgresStore(db)
	data := []byte("%PDF-1.4\nsome bytes\n%%EOF\n")
	sum := dlvHash(data)
	if err := store.Put(ctx, sum, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	v := Version{ID: uuid.New(), Filename: "a.pdf", MediaType: MediaPDF, Size: int64(len(data)), SHA256: sum, UploadedAt: time.Now()}
	serve := func(ifNoneMatch, rangeHeader string) *httptest.ResponseRecorder {
		content, _, err := store.Open(ctx, sum)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		d := download{ctx: ctx, version: v, content: content, ifNoneMatch: ifNoneMatch, rangeHeader: rangeHeader, instance: "/x"}
		if err := d.VisitDownloadDocumentVersionResponse(rec); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	etag := strconv.Quote(sum)
	for _, c := range []struct {
		ifNoneMatch, rng string
		status           int
		body             string
	}{
		{etag, "", http.StatusNotModified, ""},
		{`"other", ` + etag, "", http.StatusNotModified, ""},
		{"*", "", http.StatusNotModified, ""},
		{`W/` + etag, "", http.StatusNotModified, ""}, // If-None-Match compares weakly
		{`"other"`, "", http.StatusOK, string(data)},
		{"", "bytes=0-3", http.StatusPartialContent, "%PDF"},
		{etag, "bytes=0-3", http.StatusNotModified, ""},
	} {
		rec := serve(c.ifNoneMatch, c.rng)
		if rec.Code != c.status || rec.Body.String() != c.body {
			t.Errorf("If-None-Match %q, Range %q: %d %q", c.ifNoneMatch, c.rng, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %q: ETag %q", c.ifNoneMatch, rec.Header().Get("ETag"))
		}
	}
	rec := serve("", "bytes=100-")
	if rec.Code != http.StatusRequestedRangeNotSatisfiable || rec.Header().Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(rec.Body.String(), `"status":416`) || strings.Contains(rec.Body.String(), "invalid range") {
		t.Errorf("416: %d %s %s", rec.Code, rec.Header(), rec.Body)
	}
}

// The handler bounds a version's note itself, as the contract does.
func TestDocumentNote(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, note string
		ok         bool
	}{
		{"empty", "", true},
		{"2000 characters of four bytes", strings.Repeat("🇵", 2000), true},
		{"2001 characters", strings.Repeat("a", 2001), false},
		{"2000 characters of four bytes and one more", strings.Repeat("🇵", 2000) + "a", false},
		{"not UTF-8", "nota \xff", false},
		{"a NUL", "nota\x00", false},
	} {
		got, err := readNote(strings.NewReader(c.note))
		if c.ok != (err == nil) || c.ok && c.note != "" && (got == nil || *got != c.note) || c.note == "" && got != nil {
			t.Errorf("%s: %v %v", c.name, got, err)
		}
	}
}
