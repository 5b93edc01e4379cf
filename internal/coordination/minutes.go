package coordination

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/documents"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/scope"
)

// MinutesService keeps sessions' minutes: one document per session (an upload replaces it),
// received, typed and stored as deliverables' documents are, its bytes in the same store.
type MinutesService struct {
	sessions  *SessionService
	store     documents.Store
	maxUpload int64
}

// NewMinutesService returns the minutes of the sessions of sessions, with their bytes in store
// and no file larger than maxUpload bytes.
func NewMinutesService(sessions *SessionService, store documents.Store, maxUpload int64) *MinutesService {
	return &MinutesService{sessions: sessions, store: store, maxUpload: maxUpload}
}

func (h *Handlers) minutes() *MinutesService {
	return NewMinutesService(h.sessions(), h.store, h.maxUpload)
}

// CheckWritable tells whether the caller may upload the minutes of session id, before a file
// is read for nothing. Upload checks again.
//
// Errors: Forbidden (scoped caller), NotFound, Conflict (archived).
func (m *MinutesService) CheckWritable(ctx context.Context, id uuid.UUID) error {
	if err := scope.RequireUnscoped(ctx, m.sessions.Plural); err != nil {
		return err
	}
	s, err := m.sessions.Store.Get(ctx, id)
	if err == nil && s.ArchivedAt != nil {
		err = apperr.New(apperr.Conflict, "session %s is archived", id)
	}
	return err
}

// Receive reads an uploaded file; see documents.Receive.
func (m *MinutesService) Receive(r io.Reader, name string) (*documents.File, error) {
	return documents.Receive(r, name, m.maxUpload)
}

// Upload stores file as the minutes of session id, replacing any it had. The session's version
// changes, and the audit trail records the minutes' metadata, never their bytes.
//
// Errors: Forbidden (scoped caller), NotFound, Conflict (archived).
func (m *MinutesService) Upload(ctx context.Context, id uuid.UUID, file *documents.File) (Session, error) {
	if err := scope.RequireUnscoped(ctx, m.sessions.Plural); err != nil {
		return Session{}, err
	}
	s := m.sessions.Store
	var out Session
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.Find(tx, id, true)
		if err != nil {
			return err
		}
		if r.Base.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "session %s is archived", id)
		}
		before := r.session()
		content, err := file.Reader()
		if err != nil {
			return err
		}
		if err := m.store.Put(ctx, file.SHA256, content, file.Size); err != nil {
			return err
		}
		if err := tx.Model(&sessionRow{}).Where("id = ?", id).Updates(map[string]any{
			"minutes_sha256": file.SHA256, "minutes_file_name": file.Name, "minutes_media_type": file.MediaType,
			"minutes_size": file.Size, "minutes_uploaded_at": gorm.Expr("now()"),
			"version": r.Base.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error; err != nil {
			return fmt.Errorf("record minutes of session %s: %w", id, err)
		}
		after, err := s.Find(tx, id, false)
		if err != nil {
			return err
		}
		out = after.session()
		return audit.Record(ctx, tx, audit.Change{Action: "coordination_session.minutes", ResourceType: s.Resource,
			ResourceID: id.String(), Before: sessionSnapshot(before), After: sessionSnapshot(out)})
	})
	if err != nil {
		return Session{}, err
	}
	return m.sessions.Completed(ctx, out)
}

// Open returns the minutes of session id and a reader of their bytes, which the caller closes.
//
// Errors: NotFound (no such session, or none uploaded).
func (m *MinutesService) Open(ctx context.Context, id uuid.UUID) (Minutes, io.ReadSeekCloser, error) {
	s, err := m.sessions.Store.Get(ctx, id)
	if err != nil {
		return Minutes{}, nil, err
	}
	if s.Minutes == nil {
		return Minutes{}, nil, apperr.New(apperr.NotFound, "session %s has no minutes yet", id)
	}
	content, size, err := m.store.Open(ctx, s.Minutes.SHA256)
	if err != nil {
		return Minutes{}, nil, fmt.Errorf("open minutes of session %s: %w", id, err)
	}
	if size != s.Minutes.Size {
		_ = content.Close()
		return Minutes{}, nil, fmt.Errorf("open minutes of session %s: stored %d bytes, expected %d", id, size, s.Minutes.Size)
	}
	return *s.Minutes, content, nil
}

// minutesPath is where the minutes of session id are uploaded and downloaded.
func minutesPath(id uuid.UUID) string { return "/v1/coordination-sessions/" + id.String() + "/minutes" }

// UploadSessionMinutes stores the uploaded file as the session's minutes.
func (h *Handlers) UploadSessionMinutes(ctx context.Context, req api.UploadSessionMinutesRequestObject) (api.UploadSessionMinutesResponseObject, error) {
	svc := h.minutes()
	// Refuse what no file could make acceptable before reading one.
	if err := svc.CheckWritable(ctx, req.Id); err != nil {
		return nil, err
	}
	var file *documents.File
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
			return nil, documents.UploadError(&documents.ReadError{Err: err})
		}
		if part.FormName() != "file" {
			return nil, apperr.New(apperr.Invalid, "the form has a part %q it does not define", part.FormName()).
				WithField("body."+part.FormName(), "is not a part of this form")
		}
		if file != nil {
			return nil, apperr.New(apperr.Invalid, "send one file of minutes").WithField("body.file", "is given more than once")
		}
		if file, err = svc.Receive(part, part.FileName()); err != nil {
			return nil, documents.UploadError(err)
		}
		_ = part.Close()
	}
	if file == nil {
		return nil, apperr.New(apperr.Invalid, "the request has no file").WithField("body.file", "is required")
	}
	s, err := svc.Upload(ctx, req.Id, file)
	if err != nil {
		return nil, err
	}
	return api.UploadSessionMinutes200JSONResponse{Body: sessionToAPI(s),
		Headers: api.UploadSessionMinutes200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// DownloadSessionMinutes sends the session's minutes, with their type, file name and an ETag
// that is their SHA-256.
func (h *Handlers) DownloadSessionMinutes(ctx context.Context, req api.DownloadSessionMinutesRequestObject) (api.DownloadSessionMinutesResponseObject, error) {
	m, content, err := h.minutes().Open(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return minutesDownload{documents.Download{Ctx: ctx, FileName: m.FileName, MediaType: m.MediaType, SHA256: m.SHA256,
		Content: content, Instance: minutesPath(req.Id)}}, nil
}

// minutesDownload sends the whole document (the contract offers no ranges for minutes).
type minutesDownload struct{ d documents.Download }

func (m minutesDownload) VisitDownloadSessionMinutesResponse(w http.ResponseWriter) error {
	return m.d.Serve(w)
}
