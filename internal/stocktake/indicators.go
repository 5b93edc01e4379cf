package stocktake

import (
	"context"
	"fmt"
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
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// IndicatorMeasures are what an indicator may measure: people at a moment (stock), movements over
// a period (flow), an amount of money, or a count of things.
var IndicatorMeasures = []string{"stock", "flow", "money", "count"}

// IndicatorFields are the parts of an indicator its users write. Demo marks demo data; only
// Create reads it (the HTTP layer never sets it, and updates keep what is stored).
type IndicatorFields struct {
	Code         string
	NameES       *string
	NameEN       *string
	Unit         string
	DefinitionES *string
	DefinitionEN *string
	Measure      string
	Demo         bool
}

// Indicator is a stored indicator.
type Indicator struct {
	ID uuid.UUID
	IndicatorFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every indicator obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *IndicatorFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the indicator is not valid")
	naturalkey.Check(e, "code", f.Code)
	if indicatorEmpty(f.NameES) && indicatorEmpty(f.NameEN) {
		e.WithField("name", "needs a Spanish or an English name")
	}
	if n := len([]rune(f.Unit)); n == 0 || n > 64 {
		e.WithField("unit", "must be 1–64 characters")
	}
	if !slices.Contains(IndicatorMeasures, f.Measure) {
		e.WithField("measure", "unknown measure")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func indicatorEmpty(s *string) bool { return s == nil || *s == "" }

// indicatorRow maps Indicator to its table (the generated search column is never written).
type indicatorRow struct {
	ID           uuid.UUID
	Code         string
	NameES       *string `gorm:"column:name_es"`
	NameEN       *string `gorm:"column:name_en"`
	Unit         string
	DefinitionES *string `gorm:"column:definition_es"`
	DefinitionEN *string `gorm:"column:definition_en"`
	Measure      string
	Demo         bool
	Version      int64
	CreatedAt    time.Time `gorm:"default:now()"`
	UpdatedAt    time.Time `gorm:"default:now()"`
	ArchivedAt   *time.Time
}

func (indicatorRow) TableName() string { return "indicators" }

func (r indicatorRow) indicator() Indicator {
	return Indicator{ID: r.ID, IndicatorFields: IndicatorFields{Code: r.Code, NameES: r.NameES, NameEN: r.NameEN,
		Unit: r.Unit, DefinitionES: r.DefinitionES, DefinitionEN: r.DefinitionEN, Measure: r.Measure, Demo: r.Demo},
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *indicatorRow) set(f IndicatorFields) {
	r.Code, r.NameES, r.NameEN, r.Unit = f.Code, f.NameES, f.NameEN, f.Unit
	r.DefinitionES, r.DefinitionEN, r.Measure = f.DefinitionES, f.DefinitionEN, f.Measure
}

// IndicatorService keeps the indicators, the vocabulary every data source measures. Only unscoped
// callers (coordinators, admins, importers, the system) write them.
type IndicatorService struct {
	db       *database.DB
	snapshot func(Indicator) any
}

// NewIndicatorService returns an IndicatorService over db. The audit trail records indicators in
// their API representation.
func NewIndicatorService(db *database.DB) *IndicatorService {
	return &IndicatorService{db: db, snapshot: indicatorSnapshot}
}

// Get returns one indicator, archived or not.
//
// Errors: NotFound.
func (s *IndicatorService) Get(ctx context.Context, id uuid.UUID) (Indicator, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Indicator{}, err
	}
	return r.indicator(), nil
}

func (s *IndicatorService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (indicatorRow, error) {
	return database.Take[indicatorRow](tx, database.LockIf(forUpdate), "indicator "+id.String(), "id = ?", id)
}

// Create stores a new indicator (marked as demo data when f.Demo).
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields), Conflict (code taken).
func (s *IndicatorService) Create(ctx context.Context, f IndicatorFields) (Indicator, error) {
	if err := scope.RequireUnscoped(ctx, "indicators"); err != nil {
		return Indicator{}, err
	}
	if err := f.Validate(); err != nil {
		return Indicator{}, err
	}
	var out Indicator
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r := indicatorRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.indicator()
		return audit.Record(ctx, tx, audit.Change{Action: "indicator.create", ResourceType: "indicator",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of indicator id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result), and whatever change returns.
func (s *IndicatorService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Indicator) (IndicatorFields, error)) (Indicator, error) {
	if err := scope.RequireUnscoped(ctx, "indicators"); err != nil {
		return Indicator{}, err
	}
	var out Indicator
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "indicator %s is archived", id)
		}
		before := r.indicator()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		r.set(f)
		r.Version++
		res := tx.Model(&indicatorRow{}).Where("id = ?", id).Updates(map[string]any{
			"code": r.Code, "name_es": r.NameES, "name_en": r.NameEN, "unit": r.Unit,
			"definition_es": r.DefinitionES, "definition_en": r.DefinitionEN, "measure": r.Measure,
			"version": r.Version, "updated_at": gorm.Expr("now()"),
		})
		if res.Error != nil {
			return s.translate(res.Error, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.indicator()
		return audit.Record(ctx, tx, audit.Change{Action: "indicator.update", ResourceType: "indicator",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes indicator id; what refers to it keeps referring to it. Archiving an
// archived indicator changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *IndicatorService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, "indicators"); err != nil {
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
		before := r.indicator()
		return archive.Row[indicatorRow](ctx, tx, "indicator", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.indicator()), err
		})
	})
}

func (s *IndicatorService) translate(err error, f IndicatorFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "indicators_code_key" {
		return apperr.New(apperr.Conflict, "an indicator with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok {
		if c == "indicators_name_present" {
			return apperr.New(apperr.Unprocessable, "the indicator is not valid").WithField("name", "needs a Spanish or an English name")
		}
		return apperr.New(apperr.Unprocessable, "the indicator breaks rule %s", c)
	}
	return fmt.Errorf("write indicator %s: %w", f.Code, err)
}

// IndicatorFilter narrows IndicatorService.List. Empty slices mean "any".
type IndicatorFilter struct {
	Q               string
	Codes           []string // natural keys
	Measures        []string
	IncludeArchived bool
	OrderBy         string // code or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var indicatorOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of indicators and the next page's token ("" on the last page), keyset-paged
// on (order column, id).
//
// Errors: Invalid (bad page token).
func (s *IndicatorService) List(ctx context.Context, f IndicatorFilter) ([]Indicator, string, error) {
	q := s.db.Conn(ctx).Model(&indicatorRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Measures) > 0 {
		q = q.Where("measure IN ?", f.Measures)
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := indicatorOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "indicators", f.PageToken, f.PageSize, func(r indicatorRow) any {
		if o.Field == "created_at" {
			return r.CreatedAt
		}
		return r.Code
	}, func(r indicatorRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Indicator, len(rows))
	for i, r := range rows {
		out[i] = r.indicator()
	}
	return out, next, nil
}
