package deliverables

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/httpapi"
)

func versionToAPI(v Version) api.DocumentVersion {
	return api.DocumentVersion{Id: v.ID, DeliverableId: v.DeliverableID, Number: v.Number, Filename: v.Filename,
		MediaType: v.MediaType, Size: v.Size, Sha256: v.SHA256, Note: v.Note, UploadedBy: v.UploadedBy,
		UploadedAt: v.UploadedAt.UTC()}
}

// contentPath is where the bytes of version v of deliverable id are downloaded.
func contentPath(id, v uuid.UUID) string {
	return "/v1/deliverables/" + id.String() + "/versions/" + v.String() + "/content"
}

// ListDocumentVersions lists a deliverable's document versions, newest first.
func (h *Handlers) ListDocumentVersions(ctx context.Context, req api.ListDocumentVersionsRequestObject) (api.ListDocumentVersionsResponseObject, error) {
	vs, err := h.documents().List(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.DocumentVersionList{Items: make([]api.DocumentVersion, len(vs))}
	for i, v := range vs {
		out.Items[i] = versionToAPI(v)
	}
	return api.ListDocumentVersions200JSONResponse(out), nil
}

// maxNote bounds a version's note, in characters (the contract's maxLength).
const maxNote = 2000

// UploadDocumentVersion stores the uploaded file as the deliverable's next document version.
// The parts are read in the order they come: the file is received (spooled, hashed, its type
// detected) whether the note precedes it or follows it, and stored once every part is read.
func (h *Handlers) UploadDocumentVersion(ctx context.Context, req api.UploadDocumentVersionRequestObject) (api.UploadDocumentVersionResponseObject, error) {
	docs := h.documents()
	// Refuse what no file could make acceptable before reading one.
	if err := docs.CheckWritable(ctx, req.Id); err != nil {
		return nil, err
	}
	var (
		file *File
		note *string
	)
	defer func() {
		if file != nil {
			_ = file.Close()
		}
	}()
	for {
		part, err := req.Body.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, uploadError(&ReadError{Err: err})
		}
		switch part.FormName() {
		case "file":
			if file != nil {
				return nil, apperr.New(apperr.Invalid, "send one file per version").WithField("body.file", "is given more than once")
			}
			if file, err = docs.Receive(part, part.FileName()); err != nil {
				return nil, uploadError(err)
			}
		case "note":
			if note, err = readNote(part); err != nil {
				return nil, uploadError(err)
			}
		default:
			return nil, apperr.New(apperr.Invalid, "the form has a part %q it does not define", part.FormName()).
				WithField("body."+part.FormName(), "is not a part of this form")
		}
		_ = part.Close()
	}
	if file == nil {
		return nil, apperr.New(apperr.Invalid, "the request has no file").WithField("body.file", "is required")
	}
	v, err := docs.Upload(ctx, req.Id, file, note)
	if err != nil {
		return nil, err
	}
	return api.UploadDocumentVersion201JSONResponse{Body: versionToAPI(v), Headers: api.UploadDocumentVersion201ResponseHeaders{
		Location: new(contentPath(req.Id, v.ID)), ETag: new(strconv.Quote(v.SHA256)),
	}}, nil
}

// readNote reads a version's note: UTF-8 text of at most maxNote characters, nil when empty.
//
// Errors: Unprocessable, *ReadError.
func readNote(r io.Reader) (*string, error) {
	b, err := io.ReadAll(io.LimitReader(r, utf8.UTFMax*maxNote+1))
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	tooLong := apperr.New(apperr.Unprocessable, "the note is too long").WithField("note", fmt.Sprintf("at most %d characters", maxNote))
	switch {
	case len(b) > utf8.UTFMax*maxNote:
		return nil, tooLong
	case !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0:
		return nil, apperr.New(apperr.Unprocessable, "the note is not text").WithField("note", "must be UTF-8 text")
	case utf8.RuneCount(b) > maxNote:
		return nil, tooLong
	case len(b) == 0:
		return nil, nil
	}
	return new(string(b)), nil
}

// uploadError is err as the HTTP layer answers it: a refused file as 413 or 415, a body that
// could not be read as the body limit's own 413 or a 400.
func uploadError(err error) error {
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

// DownloadDocumentVersion sends a version's bytes, whole or the range asked for.
func (h *Handlers) DownloadDocumentVersion(ctx context.Context, req api.DownloadDocumentVersionRequestObject) (api.DownloadDocumentVersionResponseObject, error) {
	v, content, err := h.documents().Open(ctx, req.Id, req.VersionId)
	if err != nil {
		return nil, err
	}
	d := download{ctx: ctx, version: v, content: content, instance: contentPath(req.Id, req.VersionId)}
	// A range in a unit other than bytes must be ignored (RFC 9110 §14.2); ServeContent would
	// refuse it. Unit names are case-insensitive.
	if r := req.Params.Range; r != nil && len(*r) > len("bytes=") && strings.EqualFold((*r)[:len("bytes=")], "bytes=") {
		d.rangeHeader = "bytes=" + (*r)[len("bytes="):]
	}
	if m := req.Params.IfNoneMatch; m != nil {
		d.ifNoneMatch = *m
	}
	return d, nil
}

// download is a version's bytes as net/http's ServeContent sends them: ranges (206 with
// Content-Range, or 416), If-None-Match (304) against the ETag, which is the SHA-256. The bytes
// are fetched from the store as they are sent, only those of the range asked for.
type download struct {
	ctx                      context.Context
	version                  Version
	content                  io.ReadSeekCloser
	rangeHeader, ifNoneMatch string
	instance                 string // the request's path, for problems
}

func (d download) VisitDownloadDocumentVersionResponse(w http.ResponseWriter) error {
	defer d.content.Close()
	h := w.Header()
	h.Set("Content-Type", servedType(d.version.MediaType))
	h.Set("Content-Disposition", disposition(d.version.Filename))
	h.Set("ETag", strconv.Quote(d.version.SHA256))
	// A copy may be kept (it is the reader's own document) but must be revalidated: the ETag
	// makes that a 304.
	h.Set("Cache-Control", "private, no-cache")
	r, err := http.NewRequestWithContext(d.ctx, http.MethodGet, d.instance, nil)
	if err != nil {
		return err
	}
	if d.rangeHeader != "" {
		r.Header.Set("Range", d.rangeHeader)
	}
	if d.ifNoneMatch != "" {
		r.Header.Set("If-None-Match", d.ifNoneMatch)
	}
	http.ServeContent(&problemWriter{ResponseWriter: w, instance: d.instance, requestID: actor.RequestFrom(d.ctx).ID}, r,
		"", time.Time{}, d.content)
	return nil
}

// servedType is the Content-Type a version is sent with: Markdown says its charset.
func servedType(media string) string {
	if media == MediaMarkdown {
		return media + "; charset=utf-8"
	}
	return media
}

// disposition is the Content-Disposition of a download of a file named name (RFC 6266): an
// ASCII fallback name for old clients and, when that is not the name itself, the exact name in
// UTF-8 (RFC 8187).
func disposition(name string) string {
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
