package agreements

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// The stored states of an agreement. Overdue is not one of them: it is computed (not done and
// past its due date) whenever an agreement is read.
const (
	Pending    = "pending"
	InProgress = "in_progress"
	Done       = "done"
	Overdue    = "overdue"
)

// stored are the stored states, in workflow order.
var stored = []string{Pending, InProgress, Done}

// maxResponsible bounds the responsible institutions of an agreement, as the contract does.
const maxResponsible = 50

// Text is a text in Spanish and English, either of which may be missing.
type Text struct {
	ES *string
	EN *string
}

func blank(s *string) bool { return s == nil || *s == "" }

// Fields are the parts of an agreement its users write, plus the two its workflow keeps. Status
// is only read on create (its state when recorded: an import of past agreements); afterwards it
// changes only through Transition. DoneOn is the service's: the day it was done, set when the
// status is done and cleared otherwise. Demo marks demo data; only Create reads it.
type Fields struct {
	Code           string
	BodyID         uuid.UUID
	SessionID      *uuid.UUID // the session where it was reached, a session of BodyID
	Text           Text
	ResponsibleIDs []uuid.UUID // who must carry it out
	DueOn          *time.Time
	Status         string
	DoneOn         *time.Time
	Demo           bool
}

// Agreement is a stored agreement. Since is when it was reached: its session's date, else the
// day it was recorded.
type Agreement struct {
	records.Meta
	Fields
	Since time.Time
}

// day is t's calendar date at midnight UTC, as a date column stores it.
func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// today is the current date in UTC, the day against which agreements are overdue (the database
// runs in UTC too, so its current_date is the same day).
func today() time.Time { return day(time.Now()) }

// OverdueDays is how many days agreement a is past its due date on day on, or nil when it is
// not overdue (done, no due date, or not yet due).
func (a Agreement) OverdueDays(on time.Time) *int {
	if a.Status == Done || a.DueOn == nil || !day(*a.DueOn).Before(on) {
		return nil
	}
	n := int(on.Sub(day(*a.DueOn)).Hours() / 24)
	return &n
}

// Shown is the status a reader sees on day on: overdue when not done and past due, else the
// stored one.
func (a Agreement) Shown(on time.Time) string {
	if a.OverdueDays(on) != nil {
		return Overdue
	}
	return a.Status
}

// normalize applies what the service keeps: a new agreement is pending unless it says
// otherwise; a done one carries the day it was done (today when it is recorded as done), any
// other none.
func (f *Fields) normalize() {
	if f.Status == "" {
		f.Status = Pending
	}
	if f.DueOn != nil {
		d := day(*f.DueOn)
		f.DueOn = &d
	}
	switch {
	case f.Status != Done:
		f.DoneOn = nil
	case f.DoneOn == nil:
		t := today()
		f.DoneOn = &t
	default:
		d := day(*f.DoneOn)
		f.DoneOn = &d
	}
}

// Validate checks the rules every agreement obeys, whoever writes it, except those that need
// the database (its body, session and institutions exist).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *Fields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the agreement is not valid")
	naturalkey.Check(e, "code", f.Code)
	if f.BodyID == uuid.Nil {
		e.WithField("body_id", "is required")
	}
	if blank(f.Text.ES) && blank(f.Text.EN) {
		e.WithField("text", "needs a Spanish or an English text")
	}
	switch {
	case len(f.ResponsibleIDs) == 0:
		e.WithField("responsible_institution_ids", "needs at least one institution")
	case len(f.ResponsibleIDs) > maxResponsible:
		e.WithField("responsible_institution_ids", fmt.Sprintf("at most %d institutions", maxResponsible))
	}
	for i, id := range f.ResponsibleIDs {
		if slices.Index(f.ResponsibleIDs, id) < i {
			e.WithField("responsible_institution_ids."+strconv.Itoa(i), "listed twice")
		}
	}
	if !slices.Contains(stored, f.Status) {
		e.WithField("status", "must be pending, in_progress or done")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// row maps Agreement to the agreements table (the generated search column is never written).
type row struct {
	Base                      records.Base `gorm:"embedded"`
	Code                      string
	BodyID                    uuid.UUID
	SessionID                 *uuid.UUID
	TextES                    *string        `gorm:"column:text_es"`
	TextEN                    *string        `gorm:"column:text_en"`
	ResponsibleInstitutionIDs pq.StringArray `gorm:"column:responsible_institution_ids;type:uuid[]"`
	DueOn                     *time.Time
	Status                    string
	DoneOn                    *time.Time
}

func (row) TableName() string { return "agreements" }

// agreement decodes the row; Since is its recording day until complete finds its session's.
func (r row) agreement() Agreement {
	return Agreement{Meta: r.Base.Meta(), Since: day(r.Base.CreatedAt), Fields: Fields{
		Code: r.Code, BodyID: r.BodyID, SessionID: r.SessionID, Text: Text{ES: r.TextES, EN: r.TextEN},
		ResponsibleIDs: refs.Parse(r.ResponsibleInstitutionIDs), DueOn: r.DueOn, Status: r.Status, DoneOn: r.DoneOn,
		Demo: r.Base.Demo}}
}

func newRow(f Fields, m records.Base) (row, error) {
	return row{Base: m, Code: f.Code, BodyID: f.BodyID, SessionID: f.SessionID, TextES: f.Text.ES, TextEN: f.Text.EN,
		ResponsibleInstitutionIDs: refs.Array(f.ResponsibleIDs), DueOn: f.DueOn, Status: f.Status, DoneOn: f.DoneOn}, nil
}

// columns are what an update writes: never the status nor the day it was done, which only
// transitions change.
func (r row) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "body_id": r.BodyID, "session_id": r.SessionID, "text_es": r.TextES, "text_en": r.TextEN,
		"responsible_institution_ids": r.ResponsibleInstitutionIDs, "due_on": r.DueOn,
	}
}

// Service keeps the agreements of coordination bodies. Recording and changing an agreement is
// for unscoped callers (coordinators, admins, importers, the system), as for every record of the
// coordination; moving it through its workflow (Transition) is also open to the editors and
// partners of an institution responsible for it.
type Service struct {
	records.Store[row, Agreement, Fields]
	tree scope.Tree
}

// NewService returns a Service over db; tree answers which units lie below a scoped caller's
// institution. The audit trail records agreements as stored (no computed member).
func NewService(db *database.DB, tree scope.Tree) *Service {
	return &Service{Store: records.Store[row, Agreement, Fields]{
		DB: db, Table: "agreements", Resource: "agreement", What: "agreement", Plural: "agreements",
		Base: func(r row) records.Base { return r.Base }, Decode: row.agreement, Build: newRow, Columns: row.columns,
		Validate: func(f *Fields) error {
			f.normalize()
			return f.Validate()
		},
		Check:     checkReferences,
		Translate: translate,
		Demo:      func(f Fields) bool { return f.Demo }, Snapshot: snapshot,
	}, tree: tree}
}

func translate(err error, f Fields) error {
	return records.Refused(err, "agreement", f.Code, "agreements_code_key", map[string][2]string{
		"agreements_text_present":                      {"text", "needs a Spanish or an English text"},
		"agreements_responsible_institution_ids_check": {"responsible_institution_ids", "needs at least one institution"},
		"agreements_status_check":                      {"status", "must be pending, in_progress or done"},
	})
}

// checkReferences refuses a body that does not exist or is archived, a session that does not
// exist, is archived or is another body's, and responsible institutions that do not exist or
// are archived. What an update leaves as it was is not checked again (archiving an institution
// keeps the agreements it owes), except that a kept session must still be of the body.
//
// Errors: Unprocessable.
func checkReferences(tx *gorm.DB, f Fields, before *Agreement) error {
	body, kept := &f.BodyID, []uuid.UUID(nil)
	if before != nil {
		kept = before.ResponsibleIDs
		if before.BodyID == f.BodyID {
			body = nil
		}
	}
	err := refs.Check(tx, "the agreement refers to what does not exist",
		refs.List{Table: "coordination_bodies", Field: "body_id", Missing: "no such coordination body", ID: body,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "institutions", Field: "responsible_institution_ids", Missing: "no such institution",
			IDs: f.ResponsibleIDs, Kept: kept, Refuse: []refs.Rule{refs.Archived}})
	if err != nil || f.SessionID == nil {
		return err
	}
	if before != nil && refs.Same(before.SessionID, f.SessionID) && before.BodyID == f.BodyID {
		return nil
	}
	var s []struct {
		BodyID     uuid.UUID
		ArchivedAt *time.Time
	}
	if err := tx.Table("coordination_sessions").Select("body_id, archived_at").Where("id = ?", *f.SessionID).Scan(&s).Error; err != nil {
		return fmt.Errorf("load session %s: %w", *f.SessionID, err)
	}
	e := apperr.New(apperr.Unprocessable, "the agreement refers to what does not exist")
	switch {
	case len(s) == 0:
		e.WithField("session_id", "no such session")
	case s[0].BodyID != f.BodyID:
		e.WithField("session_id", "is a session of another body")
	case s[0].ArchivedAt != nil && (before == nil || !refs.Same(before.SessionID, f.SessionID)):
		e.WithField("session_id", "is archived")
	default:
		return nil
	}
	return e
}

// Get returns one agreement, archived or not.
//
// Errors: NotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Agreement, error) {
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return a, err
	}
	return s.one(ctx, a)
}

// Create records an agreement (pending unless f says otherwise).
//
// Errors: Forbidden (scoped caller), Unprocessable, Conflict (code taken).
func (s *Service) Create(ctx context.Context, f Fields) (Agreement, error) {
	a, err := s.Store.Create(ctx, f)
	if err != nil {
		return a, err
	}
	return s.one(ctx, a)
}

// Update changes what change returns of the agreement's fields; its status and the day it was
// done stay as they are (transitions move them).
//
// Errors: those of records.Store.Update.
func (s *Service) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Agreement) (Fields, error)) (Agreement, error) {
	a, err := s.Store.Update(ctx, id, pre, func(current Agreement) (Fields, error) {
		f, err := change(current)
		f.Status, f.DoneOn, f.Demo = current.Status, current.DoneOn, current.Demo
		return f, err
	})
	if err != nil {
		return a, err
	}
	return s.one(ctx, a)
}

func (s *Service) one(ctx context.Context, a Agreement) (Agreement, error) {
	list := []Agreement{a}
	if err := complete(s.DB.Conn(ctx), list); err != nil {
		return a, err
	}
	return list[0], nil
}

// complete sets Since of the agreements reached in a session to that session's date, in one
// statement whatever their number (none when no agreement names a session).
func complete(tx *gorm.DB, list []Agreement) error {
	var ids []uuid.UUID
	for _, a := range list {
		if a.SessionID != nil && !slices.Contains(ids, *a.SessionID) {
			ids = append(ids, *a.SessionID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var held []struct {
		ID     uuid.UUID
		HeldOn time.Time
	}
	if err := tx.Table("coordination_sessions").Select("id, held_on").Where("id = ANY(?::uuid[])", refs.Array(ids)).
		Scan(&held).Error; err != nil {
		return fmt.Errorf("load session dates: %w", err)
	}
	on := make(map[uuid.UUID]time.Time, len(held))
	for _, h := range held {
		on[h.ID] = day(h.HeldOn)
	}
	for i, a := range list {
		if a.SessionID != nil {
			if d, ok := on[*a.SessionID]; ok {
				list[i].Since = d
			}
		}
	}
	return nil
}

// orders are the orders of the list. Agreements with no due date come last by due date.
var orders = paging.Orders{
	"due_on":     {Field: "due_on", Column: "coalesce(due_on, '9999-12-31'::date)", Type: "date"},
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// noDueDate stands for a missing due date in the due_on order.
var noDueDate = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Filter narrows Service.List. Empty values mean "any".
type Filter struct {
	records.Page  // ordered by due_on (the default), code or created_at
	Q             string
	BodyID        *uuid.UUID
	SessionID     *uuid.UUID
	InstitutionID *uuid.UUID // agreements it is responsible for
	// Statuses as readers see them: overdue is not done and due before today, pending and
	// in_progress are those not overdue.
	Statuses       []string
	DueFrom, DueTo *time.Time
}

// statusConditions are the SQL conditions of each status as readers see it (current_date is
// UTC's, as the service's today).
var statusConditions = map[string]string{
	Overdue:    "(status <> 'done' AND due_on < current_date)",
	Pending:    "(status = 'pending' AND (due_on IS NULL OR due_on >= current_date))",
	InProgress: "(status = 'in_progress' AND (due_on IS NULL OR due_on >= current_date))",
	Done:       "(status = 'done')",
}

// List returns a page of agreements and the next page's token ("" on the last page), keyset-paged
// on (order column, id): one statement, and one more for the dates of the sessions the page's
// agreements were reached in.
//
// Errors: Invalid (bad page token, unknown status).
func (s *Service) List(ctx context.Context, f Filter) ([]Agreement, string, error) {
	tx := s.DB.Conn(ctx)
	q := tx.Model(&row{})
	if f.BodyID != nil {
		q = q.Where("body_id = ?", *f.BodyID)
	}
	if f.SessionID != nil {
		q = q.Where("session_id = ?", *f.SessionID)
	}
	if f.InstitutionID != nil {
		q = q.Where("responsible_institution_ids @> ARRAY[?::uuid]", f.InstitutionID.String())
	}
	if len(f.Statuses) > 0 {
		var conds []string
		for _, st := range f.Statuses {
			c, ok := statusConditions[st]
			if !ok {
				return nil, "", apperr.New(apperr.Invalid, "unknown status %q", st).WithField("query.status", "unknown status")
			}
			if !slices.Contains(conds, c) {
				conds = append(conds, c)
			}
		}
		cond := conds[0]
		for _, c := range conds[1:] {
			cond += " OR " + c
		}
		q = q.Where("(" + cond + ")")
	}
	if f.DueFrom != nil {
		q = q.Where("due_on >= ?", day(*f.DueFrom))
	}
	if f.DueTo != nil {
		q = q.Where("due_on <= ?", day(*f.DueTo))
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	list, next, err := s.Store.List(q, f.Page, orders, "due_on", func(r row) (string, time.Time) {
		if r.DueOn == nil {
			return r.Code, noDueDate
		}
		return r.Code, *r.DueOn
	})
	if err != nil {
		return nil, "", err
	}
	if err := complete(tx, list); err != nil {
		return nil, "", err
	}
	return list, next, nil
}
