package coordination

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) sessions() *SessionService { return NewSessionService(h.db) }

func attendanceAPI(in []Attendance) *[]api.AttendanceEntry {
	out := make([]api.AttendanceEntry, len(in))
	for i, a := range in {
		out[i] = api.AttendanceEntry{InstitutionId: a.InstitutionID, Present: a.Present, Delegates: a.Delegates}
	}
	return &out
}

func minutesAPI(m *Minutes) *api.SessionMinutes {
	if m == nil {
		return nil
	}
	return &api.SessionMinutes{FileName: m.FileName, MediaType: m.MediaType, Size: m.Size, Sha256: m.SHA256,
		UploadedAt: m.UploadedAt.UTC()}
}

func sessionToAPI(s Session) api.CoordinationSession {
	return api.CoordinationSession{
		Id: s.ID, BodyId: s.BodyID, Kind: api.SessionKind(s.Kind), Number: s.Number, HeldOn: apiDate(s.HeldOn),
		Place: s.Place, Agenda: textsAPI(s.Agenda), Attendance: attendanceAPI(s.Attendance), Notes: s.Notes.long(),
		Present: s.Present, Absent: s.Absent, Agreements: s.Agreements, Minutes: minutesAPI(s.Minutes), Demo: s.Demo,
		Version: s.Version, CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(s.ArchivedAt),
	}
}

// sessionWritable is the document a merge patch of a session applies to.
func sessionWritable(s Session) api.CoordinationSessionCreate {
	return api.CoordinationSessionCreate{BodyId: s.BodyID, Kind: api.SessionKind(s.Kind), Number: s.Number,
		HeldOn: apiDate(s.HeldOn), Place: s.Place, Agenda: textsAPI(s.Agenda), Attendance: attendanceAPI(s.Attendance),
		Notes: s.Notes.long()}
}

// sessionSnapshot is what the audit trail records of a session: its writable representation
// and what is known of its minutes (never their bytes).
func sessionSnapshot(s Session) any {
	return struct {
		api.CoordinationSessionCreate
		Minutes *api.SessionMinutes `json:"minutes"`
	}{sessionWritable(s), minutesAPI(s.Minutes)}
}

func sessionFromAPI(in api.CoordinationSessionCreate) SessionFields {
	f := SessionFields{BodyID: in.BodyId, Kind: string(in.Kind), Number: in.Number, HeldOn: in.HeldOn.Time, Place: in.Place,
		Agenda: textsOf(in.Agenda), Attendance: []Attendance{}, Notes: longTextOf(in.Notes)}
	if in.Attendance != nil {
		for _, a := range *in.Attendance {
			f.Attendance = append(f.Attendance, Attendance{InstitutionID: a.InstitutionId, Present: a.Present, Delegates: a.Delegates})
		}
	}
	return f
}

// ListCoordinationSessions lists sessions.
func (h *Handlers) ListCoordinationSessions(ctx context.Context, req api.ListCoordinationSessionsRequestObject) (api.ListCoordinationSessionsResponseObject, error) {
	p := req.Params
	f := SessionFilter{Page: pageOf(p.PageSize, p.PageToken, p.IncludeArchived, nil, p.OrderBy), Q: str(p.Q), BodyID: p.BodyId,
		Kinds: apiconv.Strings(p.Kind), HeldFrom: datePtr(p.HeldFrom), HeldTo: datePtr(p.HeldTo), AttendedBy: p.InstitutionId}
	items, next, err := h.sessions().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.CoordinationSessionPage{Items: make([]api.CoordinationSession, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = sessionToAPI(it)
	}
	return api.ListCoordinationSessions200JSONResponse(out), nil
}

// CreateCoordinationSession records a session.
func (h *Handlers) CreateCoordinationSession(ctx context.Context, req api.CreateCoordinationSessionRequestObject) (api.CreateCoordinationSessionResponseObject, error) {
	s, err := h.sessions().Create(ctx, sessionFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateCoordinationSession201JSONResponse{Body: sessionToAPI(s), Headers: api.CreateCoordinationSession201ResponseHeaders{
		Location: new("/v1/coordination-sessions/" + s.ID.String()), ETag: new(etag.Of(s.Version)),
	}}, nil
}

// GetCoordinationSession returns one session.
func (h *Handlers) GetCoordinationSession(ctx context.Context, req api.GetCoordinationSessionRequestObject) (api.GetCoordinationSessionResponseObject, error) {
	s, err := h.sessions().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetCoordinationSession200JSONResponse{Body: sessionToAPI(s),
		Headers: api.GetCoordinationSession200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// UpdateCoordinationSession applies a JSON Merge Patch to the session (its minutes are
// uploaded on their own).
func (h *Handlers) UpdateCoordinationSession(ctx context.Context, req api.UpdateCoordinationSessionRequestObject) (api.UpdateCoordinationSessionResponseObject, error) {
	s, err := h.sessions().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Session) (SessionFields, error) {
		var next api.CoordinationSessionCreate
		if err := mergepatch.Apply(sessionWritable(current), *req.Body, &next); err != nil {
			return SessionFields{}, err
		}
		return sessionFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateCoordinationSession200JSONResponse{Body: sessionToAPI(s),
		Headers: api.UpdateCoordinationSession200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// ArchiveCoordinationSession archives a session.
func (h *Handlers) ArchiveCoordinationSession(ctx context.Context, req api.ArchiveCoordinationSessionRequestObject) (api.ArchiveCoordinationSessionResponseObject, error) {
	if err := h.sessions().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveCoordinationSession204Response{}, nil
}
