package documents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/httpapi"
)

// Download is a stored document as net/http's ServeContent sends it: ranges (206 with
// Content-Range, or 416) and If-None-Match (304) against the ETag, which is the SHA-256. The
// bytes are fetched from the store as they are sent, only those of the range asked for.
type Download struct {
	Ctx       context.Context
	FileName  string
	MediaType string
	SHA256    string
	Content   io.ReadSeekCloser
	// Range and IfNoneMatch are the request's headers, empty when absent or not honoured.
	Range, IfNoneMatch string
	// Instance is the request's path, for problems.
	Instance string
}

// Serve writes the document to w and closes its content.
func (d Download) Serve(w http.ResponseWriter) error {
	defer d.Content.Close()
	h := w.Header()
	h.Set("Content-Type", ServedType(d.MediaType))
	h.Set("Content-Disposition", Disposition(d.FileName))
	h.Set("ETag", strconv.Quote(d.SHA256))
	// A copy may be kept (it is the reader's own document) but must be revalidated: the ETag
	// makes that a 304.
	h.Set("Cache-Control", "private, no-cache")
	r, err := http.NewRequestWithContext(d.Ctx, http.MethodGet, d.Instance, nil)
	if err != nil {
		return err
	}
	if d.Range != "" {
		r.Header.Set("Range", d.Range)
	}
	if d.IfNoneMatch != "" {
		r.Header.Set("If-None-Match", d.IfNoneMatch)
	}
	http.ServeContent(&problemWriter{ResponseWriter: w, instance: d.Instance, requestID: actor.RequestFrom(d.Ctx).ID}, r,
		"", time.Time{}, d.Content)
	return nil
}

// ServedType is the Content-Type a document is sent with: Markdown says its charset.
func ServedType(media string) string {
	if media == MediaMarkdown {
		return media + "; charset=utf-8"
	}
	return media
}

// Disposition is the Content-Disposition of a download of a file named name (RFC 6266): an
// ASCII fallback name for old clients and, when that is not the name itself, the exact name in
// UTF-8 (RFC 8187).
func Disposition(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	v := `attachment; filename="` + fallback + `"`
	if fallback == name {
		return v
	}
	var b strings.Builder
	for _, c := range []byte(name) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return v + "; filename*=UTF-8''" + b.String()
}

// problemWriter turns the plain-text errors ServeContent writes (416 for a range outside the
// file) into problem documents, as every error of the API is.
type problemWriter struct {
	http.ResponseWriter
	instance, requestID string
	failed              bool
}

func (p *problemWriter) WriteHeader(code int) {
	if code < http.StatusBadRequest {
		p.ResponseWriter.WriteHeader(code)
		return
	}
	p.failed = true
	slug, detail := "http-"+strconv.Itoa(code), http.StatusText(code)
	if code == http.StatusRequestedRangeNotSatisfiable {
		slug, detail = "range-not-satisfiable", "the range asked for is not within the file; Content-Range gives its size"
	}
	body, _ := json.Marshal(httpapi.Problem{Type: "/problems/" + slug, Title: http.StatusText(code), Status: code,
		Detail: detail, Instance: p.instance, RequestID: p.requestID})
	h := p.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	p.ResponseWriter.WriteHeader(code)
	_, _ = p.ResponseWriter.Write(body)
}

// Write drops what ServeContent writes after an error: the problem is the body.
func (p *problemWriter) Write(b []byte) (int, error) {
	if p.failed {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

// UploadError is err as the HTTP layer answers it: a refused file as 413 or 415, a body that
// could not be read as the body limit's own 413 or a 400.
func UploadError(err error) error {
	var (
		refusal *Refusal
		read    *ReadError
		limit   *echo.HTTPError
	)
	switch {
	case errors.As(err, &refusal) && refusal.TooLarge:
		return apperr.New(apperr.TooLarge, "%s", refusal.Message)
	case errors.As(err, &refusal):
		return apperr.New(apperr.UnsupportedMedia, "%s", refusal.Message)
	case errors.As(err, &limit):
		return limit
	case errors.As(err, &read):
		return apperr.Wrap(err, apperr.Invalid, "the multipart body could not be read").
			WithField("body", "is not well-formed multipart/form-data")
	}
	return err
}
