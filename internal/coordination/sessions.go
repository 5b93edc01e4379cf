package coordination

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// Attendance is whether one institution attended a session, and how many people it sent: a
// count, never names. Its JSON form is the API's and the stored one.
type Attendance struct {
	InstitutionID uuid.UUID `json:"institution_id"`
	Present       bool      `json:"present"`
	Delegates     *int      `json:"delegates,omitempty"`
}

// SessionFields are the parts of a session its users write. Sessions are numbered per body and
// kind.
type SessionFields struct {
	BodyID     uuid.UUID
	Kind       string // ordinary, extraordinary, extended
	Number     int
	HeldOn     time.Time
	Place      *string
	Agenda     []Text
	Attendance []Attendance // one entry per institution
	Notes      Text
	Demo       bool
}

// Minutes is what is known of a session's minutes document; its bytes are in the document
// store, under SHA256.
type Minutes struct {
	FileName   string
	MediaType  string
	Size       int64
	SHA256     string
	UploadedAt time.Time
}

// Session is a stored session, with its minutes when uploaded and what is computed of it: the
// institutions present and absent, and the live agreements reached in it.
type Session struct {
	Meta
	SessionFields
	Minutes                     *Minutes
	Present, Absent, Agreements int
}

// Validate checks the rules every session obeys, except those that need the database (its body,
// the institutions that attended).
//
// Errors: Unprocessable.
func (f *SessionFields) Validate() error {
	e := invalid("session")
	if f.HeldOn.IsZero() {
		e.WithField("held_on", "is required")
	}
	f.HeldOn = day(f.HeldOn)
	if f.Number < 1 {
		e.WithField("number", "must be 1 or more")
	}
	if f.Agenda == nil {
		f.Agenda = []Text{}
	}
	for i, a := range f.Agenda {
		if a.empty() {
			e.WithField("agenda."+strconv.Itoa(i), "needs a Spanish or an English text")
		}
	}
	if f.Attendance == nil {
		f.Attendance = []Attendance{}
	}
	seen := make(map[uuid.UUID]bool, len(f.Attendance))
	for i, a := range f.Attendance {
		if seen[a.InstitutionID] {
			e.WithField("attendance."+strconv.Itoa(i)+".institution_id", "is listed more than once")
		}
		seen[a.InstitutionID] = true
	}
	return done(e)
}

// sessionRow maps Session to coordination_sessions.
type sessionRow struct {
	Base              records.Base `gorm:"embedded"`
	BodyID            uuid.UUID
	Kind              string
	Number            int
	HeldOn            time.Time
	Place             *string
	Agenda            json.RawMessage `gorm:"type:jsonb"`
	Attendance        json.RawMessage `gorm:"type:jsonb"`
	NotesES           *string         `gorm:"column:notes_es"`
	NotesEN           *string         `gorm:"column:notes_en"`
	MinutesSHA256     *string         `gorm:"column:minutes_sha256"`
	MinutesFileName   *string
	MinutesMediaType  *string
	MinutesSize       *int64
	MinutesUploadedAt *time.Time
}

func (sessionRow) TableName() string { return "coordination_sessions" }

// session decodes the row. Agenda and attendance were written by newSessionRow (or checked by
// the import against the same schema), so they always decode.
func (r sessionRow) session() Session {
	f := SessionFields{BodyID: r.BodyID, Kind: r.Kind, Number: r.Number, HeldOn: r.HeldOn, Place: r.Place,
		Agenda: []Text{}, Attendance: []Attendance{}, Notes: Text{ES: r.NotesES, EN: r.NotesEN}, Demo: r.Base.Demo}
	_ = json.Unmarshal(r.Agenda, &f.Agenda)
	_ = json.Unmarshal(r.Attendance, &f.Attendance)
	s := Session{Meta: r.Base.Meta(), SessionFields: f}
	for _, a := range f.Attendance {
		if a.Present {
			s.Present++
		} else {
			s.Absent++
		}
	}
	if r.MinutesSHA256 != nil {
		s.Minutes = &Minutes{SHA256: *r.MinutesSHA256, FileName: str(r.MinutesFileName), MediaType: str(r.MinutesMediaType)}
		if r.MinutesSize != nil {
			s.Minutes.Size = *r.MinutesSize
		}
		if r.MinutesUploadedAt != nil {
			s.Minutes.UploadedAt = *r.MinutesUploadedAt
		}
	}
	return s
}

func newSessionRow(f SessionFields, m records.Base) (sessionRow, error) {
	agenda, err := json.Marshal(f.Agenda)
	if err != nil {
		return sessionRow{}, fmt.Errorf("encode agenda: %w", err)
	}
	attendance, err := json.Marshal(f.Attendance)
	if err != nil {
		return sessionRow{}, fmt.Errorf("encode attendance: %w", err)
	}
	return sessionRow{Base: m, BodyID: f.BodyID, Kind: f.Kind, Number: f.Number, HeldOn: f.HeldOn, Place: f.Place,
		Agenda: agenda, Attendance: attendance, NotesES: f.Notes.ES, NotesEN: f.Notes.EN}, nil
}

// columns are the writable columns: the minutes are written by their upload only.
func (r sessionRow) columns() map[string]any {
	return map[string]any{"body_id": r.BodyID, "kind": r.Kind, "number": r.Number, "held_on": r.HeldOn, "place": r.Place,
		"agenda": r.Agenda, "attendance": r.Attendance, "notes_es": r.NotesES, "notes_en": r.NotesEN}
}

// SessionService keeps the sessions: numbered once per body and kind, their attendance one
// entry per existing institution.
type SessionService struct {
	records.Store[sessionRow, Session, SessionFields]
}

// NewSessionService returns a SessionService over db.
func NewSessionService(db *database.DB) *SessionService {
	s := &SessionService{records.Store[sessionRow, Session, SessionFields]{
		DB: db, Table: "coordination_sessions", Resource: "coordination_session", What: "session",
		Plural: "coordination sessions",
		Base:   func(r sessionRow) records.Base { return r.Base }, Decode: sessionRow.session, Build: newSessionRow,
		Columns: sessionRow.columns, Validate: (*SessionFields).Validate, Check: checkSession,
		Translate: translateSession, Demo: func(f SessionFields) bool { return f.Demo },
		Snapshot: sessionSnapshot,
	}}
	s.Store.Complete = s.count
	return s
}

// translateSession turns the database's refusal of a session into a 409 (its number taken) or
// a 422.
//
// Errors: Conflict, Unprocessable.
func translateSession(err error, f SessionFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "coordination_sessions_key" {
		return apperr.New(apperr.Conflict, "the body already has %s session number %d", f.Kind, f.Number).
			WithField("number", "already used for this body and kind")
	}
	return records.Refused(err, "session", "", "", nil)
}

// checkSession refuses a body that does not exist or is archived, and attendance of an
// institution that does not exist or is archived. What an update keeps (its body, institutions
// that already attended) is not checked again.
//
// Errors: Unprocessable.
func checkSession(tx *gorm.DB, f SessionFields, before *Session) error {
	body := &f.BodyID
	var kept []uuid.UUID
	if before != nil {
		if before.BodyID == f.BodyID {
			body = nil
		}
		for _, a := range before.Attendance {
			kept = append(kept, a.InstitutionID)
		}
	}
	lists := []refs.List{{Table: "coordination_bodies", Field: "body_id", Missing: "no such coordination body", ID: body,
		Refuse: []refs.Rule{refs.Archived}}}
	for i, a := range f.Attendance {
		lists = append(lists, refs.List{Table: "institutions", Field: "attendance." + strconv.Itoa(i) + ".institution_id",
			Missing: "no such institution", ID: &a.InstitutionID, Kept: kept, Refuse: []refs.Rule{refs.Archived}})
	}
	return refs.Check(tx, "the session refers to what does not exist", lists...)
}

// sessionAgreements counts the live agreements reached in sessions ids, in one statement
// (through the agreements' session index).
const sessionAgreements = `
SELECT s.id, (SELECT count(*) FROM agreements a WHERE a.session_id = s.id AND a.archived_at IS NULL) AS agreements
FROM unnest(?::uuid[]) AS s(id)`

func (s *SessionService) count(ctx context.Context, sessions []Session) error {
	if len(sessions) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(sessions))
	for i, x := range sessions {
		ids[i] = x.ID
	}
	var rows []struct {
		ID         uuid.UUID
		Agreements int
	}
	if err := s.DB.Conn(ctx).Raw(sessionAgreements, refs.Array(ids)).Scan(&rows).Error; err != nil {
		return fmt.Errorf("count agreements of sessions: %w", err)
	}
	by := make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		by[r.ID] = r.Agreements
	}
	for i := range sessions {
		sessions[i].Agreements = by[sessions[i].ID]
	}
	return nil
}

// SessionFilter narrows SessionService.List. Empty values mean "any".
type SessionFilter struct {
	Page              // ordered by held_on (the default) or created_at
	Q          string // full text over the place, the notes and the agenda
	BodyID     *uuid.UUID
	Kinds      []string
	HeldFrom   *time.Time
	HeldTo     *time.Time
	AttendedBy *uuid.UUID // sessions this institution attended (was present at)
}

var sessionOrders = paging.Orders{
	"held_on":    {Field: "held_on", Column: "held_on", Type: "date"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of sessions with their counts and the next page's token ("" on the last
// page): one statement for the page, one for the agreements of all its sessions. The
// institution filter is served by the attendance GIN index.
//
// Errors: Invalid (bad page token).
func (s *SessionService) List(ctx context.Context, f SessionFilter) ([]Session, string, error) {
	q := s.DB.Conn(ctx).Model(&sessionRow{})
	if f.BodyID != nil {
		q = q.Where("body_id = ?", *f.BodyID)
	}
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if f.HeldFrom != nil {
		q = q.Where("held_on >= ?", day(*f.HeldFrom))
	}
	if f.HeldTo != nil {
		q = q.Where("held_on <= ?", day(*f.HeldTo))
	}
	if f.AttendedBy != nil {
		doc, err := json.Marshal([]map[string]any{{"institution_id": f.AttendedBy.String(), "present": true}})
		if err != nil {
			return nil, "", fmt.Errorf("encode attendance filter: %w", err)
		}
		q = q.Where("attendance @> ?::jsonb", string(doc))
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	items, next, err := s.Store.List(q, f.Page, sessionOrders, "held_on", func(r sessionRow) (string, time.Time) { return "", r.HeldOn })
	return items, next, err
}
