package deliverables

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/documents"
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

// uploadError is err as the HTTP layer answers it: see documents.UploadError.
func uploadError(err error) error { return documents.UploadError(err) }

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
	return documents.Download{Ctx: d.ctx, FileName: d.version.Filename, MediaType: d.version.MediaType,
		SHA256: d.version.SHA256, Content: d.content, Range: d.rangeHeader, IfNoneMatch: d.ifNoneMatch,
		Instance: d.instance}.Serve(w)
}
