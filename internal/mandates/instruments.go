package mandates

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"
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

// Types and statuses a legal instrument may have.
var (
	InstrumentTypes = []string{"law", "legislative_decree", "supreme_decree", "ministerial_resolution",
		"directive", "organisational_regulation"}
	InstrumentStatuses = []string{"in_force", "repealed", "draft"}
)

// InstrumentFields are the parts of a legal instrument its users write. Demo marks demo data; only
// Create reads it (the HTTP layer never sets it, and updates keep what is stored).
type InstrumentFields struct {
	Code     string
	Type     string
	Number   string
	TitleES  *string
	TitleEN  *string
	IssuerID *uuid.UUID
	IssuedOn *time.Time
	Status   string // in_force when empty
	URL      *string
	Notes    *string
	Demo     bool
}

// Instrument is a stored legal instrument.
type Instrument struct {
	ID uuid.UUID
	InstrumentFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every legal instrument obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *InstrumentFields) Validate() error {
	if f.Status == "" {
		f.Status = "in_force"
	}
	e := apperr.New(apperr.Unprocessable, "the legal instrument is not valid")
	naturalkey.Check(e, "code", f.Code)
	if !slices.Contains(InstrumentTypes, f.Type) {
		e.WithField("type", "unknown type")
	}
	if f.Number == "" || len([]rune(f.Number)) > 64 {
		e.WithField("number", "must be 1–64 characters")
	}
	if catalogEmpty(f.TitleES) && catalogEmpty(f.TitleEN) {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if !slices.Contains(InstrumentStatuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	if f.URL != nil {
		if u, err := url.Parse(*f.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			e.WithField("url", "must be an http or https URL")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func catalogEmpty(s *string) bool { return s == nil || *s == "" }

// instrumentRow maps Instrument to its table.
type instrumentRow struct {
	ID         uuid.UUID
	Code       string
	Type       string
	Number     string
	TitleES    *string `gorm:"column:title_es"`
	TitleEN    *string `gorm:"column:title_en"`
	IssuerID   *uuid.UUID
	IssuedOn   *time.Time `gorm:"type:date"`
	Status     string
	URL        *string `gorm:"column:url"`
	Notes      *string
	Demo       bool
	Version    int64
	CreatedAt  time.Time `gorm:"default:now()"`
	UpdatedAt  time.Time `gorm:"default:now()"`
	ArchivedAt *time.Time
}

func (instrumentRow) TableName() string { return "legal_instruments" }

func (r instrumentRow) instrument() Instrument {
	return Instrument{ID: r.ID, InstrumentFields: InstrumentFields{Code: r.Code, Type: r.Type, Number: r.Number,
		TitleES: r.TitleES, TitleEN: r.TitleEN, IssuerID: r.IssuerID, IssuedOn: r.IssuedOn, Status: r.Status,
		URL: r.URL, Notes: r.Notes, Demo: r.Demo},
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *instrumentRow) set(f InstrumentFields) {
	r.Code, r.Type, r.Number, r.TitleES, r.TitleEN = f.Code, f.Type, f.Number, f.TitleES, f.TitleEN
	r.IssuerID, r.IssuedOn, r.Status, r.URL, r.Notes = f.IssuerID, f.IssuedOn, f.Status, f.URL, f.Notes
}

// InstrumentService keeps the legal instruments. Only unscoped callers (coordinators, admins,
// importers, the system) write them.
type InstrumentService struct {
	db       *database.DB
	snapshot func(Instrument) any
}

// NewInstrumentService returns an InstrumentService over db. The audit trail records instruments
// in their API representation.
func NewInstrumentService(db *database.DB) *InstrumentService {
	return &InstrumentService{db: db, snapshot: instrumentSnapshot}
}

// Get returns one legal instrument, archived or not.
//
// Errors: NotFound.
func (s *InstrumentService) Get(ctx context.Context, id uuid.UUID) (Instrument, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Instrument{}, err
	}
	return r.instrument(), nil
}

func (s *InstrumentService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (instrumentRow, error) {
	return database.Take[instrumentRow](tx, database.LockIf(forUpdate), "legal instrument "+id.String(), "id = ?", id)
}

// Create stores a new legal instrument (marked as demo data when f.Demo).
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields, unknown or archived issuer),
// Conflict (code taken).
func (s *InstrumentService) Create(ctx context.Context, f InstrumentFields) (Instrument, error) {
	if err := scope.RequireUnscoped(ctx, "legal instruments"); err != nil {
		return Instrument{}, err
	}
	if err := f.Validate(); err != nil {
		return Instrument{}, err
	}
	var out Instrument
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if f.IssuerID != nil {
			if err := catalogCheckInstitution(tx, *f.IssuerID, "issuer_id"); err != nil {
				return err
			}
		}
		r := instrumentRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.instrument()
		return audit.Record(ctx, tx, audit.Change{Action: "legal_instrument.create", ResourceType: "legal_instrument",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of instrument id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result, unknown or archived issuer), and whatever change returns.
func (s *InstrumentService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Instrument) (InstrumentFields, error)) (Instrument, error) {
	if err := scope.RequireUnscoped(ctx, "legal instruments"); err != nil {
		return Instrument{}, err
	}
	var out Instrument
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "legal instrument %s is archived", id)
		}
		before := r.instrument()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if f.IssuerID != nil && !refs.Same(before.IssuerID, f.IssuerID) {
			if err := catalogCheckInstitution(tx, *f.IssuerID, "issuer_id"); err != nil {
				return err
			}
		}
		r.set(f)
		r.Version++
		res := tx.Model(&instrumentRow{}).Where("id = ?", id).Updates(map[string]any{
			"code": r.Code, "type": r.Type, "number": r.Number, "title_es": r.TitleES, "title_en": r.TitleEN,
			"issuer_id": r.IssuerID, "issued_on": r.IssuedOn, "status": r.Status, "url": r.URL, "notes": r.Notes,
			"version": r.Version, "updated_at": gorm.Expr("now()"),
		})
		if res.Error != nil {
			return s.translate(res.Error, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.instrument()
		return audit.Record(ctx, tx, audit.Change{Action: "legal_instrument.update", ResourceType: "legal_instrument",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes instrument id; functions and assignments that cite it keep citing it.
// Archiving an archived instrument changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *InstrumentService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, "legal instruments"); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.instrument()
		return archive.Row[instrumentRow](ctx, tx, "legal_instrument", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.instrument()), err
		})
	})
}

func (s *InstrumentService) translate(err error, f InstrumentFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "legal_instruments_code_key" {
		return apperr.New(apperr.Conflict, "a legal instrument with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the issuer does not exist").WithField("issuer_id", "no such institution")
	}
	if c, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the legal instrument breaks rule %s", c)
	}
	return fmt.Errorf("write legal instrument %s: %w", f.Code, err)
}

// catalogCheckInstitution refuses a reference to an institution that does not exist or is
// archived, naming field.
func catalogCheckInstitution(tx *gorm.DB, id uuid.UUID, field string) error {
	var p struct{ ArchivedAt *time.Time }
	res := tx.Table("institutions").Select("archived_at").Where("id = ?", id).Limit(1).Scan(&p)
	if res.Error != nil {
		return fmt.Errorf("load institution %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.Unprocessable, "institution %s does not exist", id).WithField(field, "no such institution")
	}
	if p.ArchivedAt != nil {
		return apperr.New(apperr.Unprocessable, "institution %s is archived", id).WithField(field, "is archived")
	}
	return nil
}

// InstrumentFilter narrows InstrumentService.List. Empty slices and nil pointers mean "any".
type InstrumentFilter struct {
	Q               string
	Types, Statuses []string
	IssuerID        *uuid.UUID
	IssuedFrom      *time.Time // inclusive
	IssuedTo        *time.Time // inclusive
	IncludeArchived bool
	OrderBy         string // code, issued_on or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

// instrumentNoDate stands for a missing issued_on in the order (and cursors): before every date.
const instrumentNoDate = "0001-01-01"

var instrumentOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"issued_on":  {Field: "issued_on", Column: "coalesce(issued_on, DATE '" + instrumentNoDate + "')", Type: "date"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of legal instruments and the next page's token ("" on the last page),
// keyset-paged on (order column, id).
//
// Errors: Invalid (bad page token).
func (s *InstrumentService) List(ctx context.Context, f InstrumentFilter) ([]Instrument, string, error) {
	q := s.db.Conn(ctx).Model(&instrumentRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.IssuerID != nil {
		q = q.Where("issuer_id = ?", *f.IssuerID)
	}
	if f.IssuedFrom != nil {
		q = q.Where("issued_on >= ?", *f.IssuedFrom)
	}
	if f.IssuedTo != nil {
		q = q.Where("issued_on <= ?", *f.IssuedTo)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := instrumentOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "legal-instruments", f.PageToken, f.PageSize, func(r instrumentRow) any {
		switch o.Field {
		case "issued_on":
			if r.IssuedOn == nil {
				return instrumentNoDate
			}
			return r.IssuedOn.Format(time.DateOnly)
		case "created_at":
			return r.CreatedAt
		}
		return r.Code
	}, func(r instrumentRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Instrument, len(rows))
	for i, r := range rows {
		out[i] = r.instrument()
	}
	return out, next, nil
}
