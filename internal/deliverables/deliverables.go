package deliverables

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// Types lists the kinds of deliverable.
var Types = []string{"blueprint", "needs_assessment_report", "stocktaking_report", "practices_report",
	"event_report", "menu_of_services", "other"}

// Statuses lists the workflow's statuses, in workflow order.
var Statuses = []string{"planned", "in_progress", "in_review", "changes_requested", "approved", "published"}

// done are the statuses in which a deliverable can no longer be overdue.
var done = []string{"approved", "published"}

// Fields are the parts of a deliverable its writers set; the status is not one of them; it
// changes only through transitions. Demo marks demo data; only Create reads it.
type Fields struct {
	ActionID      *uuid.UUID
	Code          string
	Type          string
	TitleES       *string
	TitleEN       *string
	DescriptionES *string
	DescriptionEN *string
	OwnerUnitID   *uuid.UUID // the institution (unit) responsible for it
	DueDate       *time.Time // a calendar date
	FunctionIDs   []uuid.UUID
	PracticeIDs   []uuid.UUID
	EventIDs      []uuid.UUID
	GapIDs        []uuid.UUID // data gaps
	Demo          bool
}

// Deliverable is a stored deliverable. Overdue and LatestVersion are derived when it is read.
type Deliverable struct {
	ID uuid.UUID
	Fields
	Status        string
	Overdue       bool     // due before today (UTC) and neither approved nor published
	LatestVersion *Version // the newest document version, if any
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

// Validate checks the rules every deliverable obeys, whoever writes it, except that what it
// refers to exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *Fields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the deliverable is not valid")
	naturalkey.Check(e, "code", f.Code)
	if !slices.Contains(Types, f.Type) {
		e.WithField("type", "unknown type")
	}
	if blank(f.TitleES) && blank(f.TitleEN) {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func blank(s *string) bool { return s == nil || *s == "" }

// today is the current date in UTC, the day against which deliverables are overdue.
func today() time.Time { return day(time.Now()) }

// day is t's calendar date at midnight UTC, as a date column stores it.
func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// overdue reports whether a deliverable in status, due on due, is overdue on day on.
func overdue(due *time.Time, status string, on time.Time) bool {
	return due != nil && day(*due).Before(on) && !slices.Contains(done, status)
}

// row maps Deliverable to the deliverables table (the generated search column is never written).
type row struct {
	ID            uuid.UUID
	ActionID      *uuid.UUID
	Code          string
	Type          string
	TitleES       *string `gorm:"column:title_es"`
	TitleEN       *string `gorm:"column:title_en"`
	DescriptionES *string `gorm:"column:description_es"`
	DescriptionEN *string `gorm:"column:description_en"`
	OwnerUnitID   *uuid.UUID
	DueDate       *time.Time     `gorm:"type:date"`
	Status        string         `gorm:"default:planned"`
	FunctionIDs   pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	PracticeIDs   pq.StringArray `gorm:"column:practice_ids;type:uuid[]"`
	EventIDs      pq.StringArray `gorm:"column:event_ids;type:uuid[]"`
	GapIDs        pq.StringArray `gorm:"column:gap_ids;type:uuid[]"`
	Demo          bool
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (row) TableName() string { return "deliverables" }

func (r row) deliverable(latest *Version, on time.Time) Deliverable {
	f := Fields{ActionID: r.ActionID, Code: r.Code, Type: r.Type, TitleES: r.TitleES, TitleEN: r.TitleEN,
		DescriptionES: r.DescriptionES, DescriptionEN: r.DescriptionEN, OwnerUnitID: r.OwnerUnitID,
		FunctionIDs: refs.Parse(r.FunctionIDs), PracticeIDs: refs.Parse(r.PracticeIDs), EventIDs: refs.Parse(r.EventIDs),
		GapIDs: refs.Parse(r.GapIDs), Demo: r.Demo}
	if r.DueDate != nil {
		f.DueDate = new(day(*r.DueDate))
	}
	return Deliverable{ID: r.ID, Fields: f, Status: r.Status, Overdue: overdue(f.DueDate, r.Status, on),
		LatestVersion: latest, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *row) set(f Fields) {
	r.ActionID, r.Code, r.Type = f.ActionID, f.Code, f.Type
	r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN = f.TitleES, f.TitleEN, f.DescriptionES, f.DescriptionEN
	r.OwnerUnitID, r.DueDate = f.OwnerUnitID, nil
	if f.DueDate != nil {
		r.DueDate = new(day(*f.DueDate))
	}
	r.FunctionIDs, r.PracticeIDs = refs.Array(f.FunctionIDs), refs.Array(f.PracticeIDs)
	r.EventIDs, r.GapIDs = refs.Array(f.EventIDs), refs.Array(f.GapIDs)
}

// columns are the writable columns of r, for updates.
func (r *row) columns() map[string]any {
	return map[string]any{
		"action_id": r.ActionID, "code": r.Code, "type": r.Type, "title_es": r.TitleES, "title_en": r.TitleEN,
		"description_es": r.DescriptionES, "description_en": r.DescriptionEN, "owner_unit_id": r.OwnerUnitID,
		"due_date": r.DueDate, "function_ids": r.FunctionIDs, "practice_ids": r.PracticeIDs, "event_ids": r.EventIDs,
		"gap_ids": r.GapIDs, "version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}

// Service keeps the deliverables, their workflow and their reviews. Coordinators, admins,
// importers and the system write any deliverable; editors only those owned by their
// institution's subtree.
type Service struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Deliverable) any
}

// NewService returns a Service over db; tree answers the editors' owner checks. The audit trail
// records deliverables in their API representation.
func NewService(db *database.DB, tree scope.Tree) *Service {
	return &Service{db: db, tree: tree, snapshot: snapshot}
}

// authorize lets a scoped caller (editor) write only deliverables owned by its own institution
// or a unit below it; unscoped callers pass. A deliverable without an owner is nobody's.
//
// Errors: Forbidden.
func authorize(ctx context.Context, tree scope.Tree, owner *uuid.UUID) error {
	return scope.Authorize(ctx, tree, owner, "you may only write deliverables your own institution's units own")
}

// Get returns one deliverable, archived or not.
//
// Errors: NotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Deliverable, error) {
	return s.load(s.db.Conn(ctx), id)
}

func find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (row, error) {
	return database.Take[row](tx, database.LockIf(forUpdate), "deliverable "+id.String(), "id = ?", id)
}

// load reads deliverable id with its latest version.
func (s *Service) load(tx *gorm.DB, id uuid.UUID) (Deliverable, error) {
	r, err := find(tx, id, false)
	if err != nil {
		return Deliverable{}, err
	}
	return s.represent(tx, r)
}

// represent is the deliverable of r, with its latest version.
func (s *Service) represent(tx *gorm.DB, r row) (Deliverable, error) {
	latest, err := latestVersions(tx, []uuid.UUID{r.ID})
	if err != nil {
		return Deliverable{}, err
	}
	return r.deliverable(latest[r.ID], today()), nil
}

// lockLive locks deliverable id for a write: it must satisfy pre and not be archived, and the
// caller must be allowed to write it.
//
// Errors: NotFound, Forbidden, PreconditionFailed, Conflict (archived).
func (s *Service) lockLive(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (row, error) {
	r, err := find(tx, id, true)
	if err != nil {
		return row{}, err
	}
	if err := authorize(ctx, s.tree, r.OwnerUnitID); err != nil {
		return row{}, err
	}
	if err := pre.Check(r.Version); err != nil {
		return row{}, err
	}
	if r.ArchivedAt != nil {
		return row{}, apperr.New(apperr.Conflict, "deliverable %s is archived", id)
	}
	return r, nil
}

// Create stores a new, planned deliverable (marked as demo data when f.Demo).
//
// Errors: Forbidden (an editor, for a deliverable its institution's units do not own),
// Unprocessable (invalid fields, unknown action, owner, functions, practices, events or gaps),
// Conflict (code taken).
func (s *Service) Create(ctx context.Context, f Fields) (Deliverable, error) {
	if err := f.Validate(); err != nil {
		return Deliverable{}, err
	}
	var out Deliverable
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := checkReferences(tx, f, nil); err != nil {
			return err
		}
		if err := authorize(ctx, s.tree, f.OwnerUnitID); err != nil {
			return err
		}
		r := row{ID: uuid.Must(uuid.NewV7()), Status: "planned", Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return translate(err, f)
		}
		var err error
		if out, err = s.load(tx, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "deliverable.create", ResourceType: "deliverable",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of deliverable id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored, and the status cannot change here. An editor must be allowed both the current and the
// new owner.
//
// Errors: NotFound, Forbidden, PreconditionFailed, Conflict (archived, code taken),
// Unprocessable (invalid result, unknown references), and whatever change returns.
func (s *Service) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Deliverable) (Fields, error)) (Deliverable, error) {
	var out Deliverable
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lockLive(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		before, err := s.represent(tx, r)
		if err != nil {
			return err
		}
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := checkReferences(tx, f, &before); err != nil {
			return err
		}
		if !refs.Same(before.OwnerUnitID, f.OwnerUnitID) {
			if err := authorize(ctx, s.tree, f.OwnerUnitID); err != nil {
				return err
			}
		}
		r.set(f)
		r.Version++
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return translate(err, f)
		}
		if out, err = s.load(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "deliverable.update", ResourceType: "deliverable",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes deliverable id. Archiving an archived deliverable changes nothing.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (s *Service) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := find(tx, id, true)
		if err != nil {
			return err
		}
		if err := authorize(ctx, s.tree, r.OwnerUnitID); err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before, err := s.represent(tx, r)
		if err != nil {
			return err
		}
		return archive.Row[row](ctx, tx, "deliverable", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.load(tx, id)
			return s.snapshot(after), err
		})
	})
}

func translate(err error, f Fields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "deliverables_code_key" {
		return apperr.New(apperr.Conflict, "a deliverable with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.ForeignKeyViolation(err); ok {
		// The references were checked in this transaction; only a concurrent delete gets here.
		return apperr.New(apperr.Unprocessable, "the deliverable refers to what does not exist (%s)", c)
	}
	if c, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the deliverable breaks rule %s", c)
	}
	return fmt.Errorf("write deliverable %s: %w", f.Code, err)
}

// checkReferences refuses an action or owner unit that does not exist or is archived, and
// functions, practices, events and data gaps that do not exist, naming each by its position.
// What an update leaves as it was (before) is not checked again: archiving keeps what refers to
// it. Each table costs one statement whatever the length of its list.
//
// Errors: Unprocessable.
func checkReferences(tx *gorm.DB, f Fields, before *Deliverable) error {
	action, owner := f.ActionID, f.OwnerUnitID
	var kept Fields
	if before != nil {
		kept = before.Fields
		if refs.Same(before.ActionID, action) {
			action = nil
		}
		if refs.Same(before.OwnerUnitID, owner) {
			owner = nil
		}
	}
	return refs.Check(tx, "the deliverable refers to what does not exist",
		refs.List{Table: "actions", Field: "action_id", Missing: "no such action", ID: action, Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "institutions", Field: "owner_unit_id", Missing: "no such institution", ID: owner,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "functions", Field: "function_ids", Missing: "no such function", IDs: f.FunctionIDs, Kept: kept.FunctionIDs},
		refs.List{Table: "practices", Field: "practice_ids", Missing: "no such practice", IDs: f.PracticeIDs, Kept: kept.PracticeIDs},
		refs.List{Table: "events", Field: "event_ids", Missing: "no such event", IDs: f.EventIDs, Kept: kept.EventIDs},
		refs.List{Table: "data_gaps", Field: "gap_ids", Missing: "no such data gap", IDs: f.GapIDs, Kept: kept.GapIDs})
}

// Filter narrows Service.List. Empty values mean "any".
type Filter struct {
	Q               string
	Codes           []string
	ActionID        *uuid.UUID
	Types, Statuses []string
	OwnerUnitID     *uuid.UUID // owned by this unit or a unit below it
	DueFrom, DueTo  *time.Time // due on or after, on or before
	Overdue         *bool
	IncludeArchived bool
	OrderBy         string // due_date, code or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

// noDueDate sorts deliverables without a due date after every dated one.
const noDueDate = "infinity"

var orders = paging.Orders{
	"due_date":   {Field: "due_date", Column: "coalesce(due_date, '" + noDueDate + "'::date)", Type: "date"},
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of deliverables, each with its latest version, and the next page's token
// ("" on the last page), keyset-paged on (order column, id), in two statements whatever the
// page size.
//
// Errors: Invalid (bad page token).
func (s *Service) List(ctx context.Context, f Filter) ([]Deliverable, string, error) {
	tx := s.db.Conn(ctx)
	on := today()
	q := tx.Model(&row{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.ActionID != nil {
		q = q.Where("action_id = ?", *f.ActionID)
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.OwnerUnitID != nil {
		q = q.Where(`owner_unit_id IN (WITH RECURSIVE sub AS (
			SELECT id FROM institutions WHERE id = ?
			UNION SELECT i.id FROM institutions i JOIN sub ON i.parent_id = sub.id) SELECT id FROM sub)`, *f.OwnerUnitID)
	}
	if f.DueFrom != nil {
		q = q.Where("due_date >= ?", day(*f.DueFrom))
	}
	if f.DueTo != nil {
		q = q.Where("due_date <= ?", day(*f.DueTo))
	}
	if f.Overdue != nil {
		cond := "(due_date < ? AND status NOT IN ?)"
		if !*f.Overdue {
			cond = "NOT coalesce(" + cond + ", false)"
		}
		q = q.Where(cond, on, done)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := orders.Parse(f.OrderBy, "due_date")
	rows, next, err := paging.Page(q, o, "deliverables", f.PageToken, f.PageSize, func(r row) any {
		switch o.Field {
		case "code":
			return r.Code
		case "created_at":
			return r.CreatedAt
		}
		if r.DueDate == nil {
			return noDueDate
		}
		return r.DueDate.Format(time.DateOnly)
	}, func(r row) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	latest, err := latestVersions(tx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]Deliverable, len(rows))
	for i, r := range rows {
		out[i] = r.deliverable(latest[r.ID], on)
	}
	return out, next, nil
}
