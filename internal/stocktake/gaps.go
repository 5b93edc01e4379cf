package stocktake

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
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// Vocabularies of a data gap.
var (
	GapPriorities = []string{"high", "medium", "low"}
	GapStatuses   = []string{"open", "being_addressed", "closed"}
)

// GapFields are the parts of a data gap its users write. An empty Status means "open". Demo marks
// demo data; only Create reads it (the HTTP layer never sets it, and updates keep what is stored).
type GapFields struct {
	Code             string
	DescriptionES    *string
	DescriptionEN    *string
	IndicatorIDs     []uuid.UUID // indicators the gap concerns; each must exist
	SourceIDs        []uuid.UUID // data sources the gap concerns; each must exist
	Countries        []string    // ISO 3166-1 alpha-2 codes
	Groups           *string     // population groups it concerns, in words
	RecommendationES *string
	RecommendationEN *string
	Priority         string
	Status           string
	Demo             bool
}

// Gap is a stored data gap: something the stocktake should know about the diaspora and does not.
type Gap struct {
	ID uuid.UUID
	GapFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every data gap obeys, whoever writes it, except that its indicators
// and sources exist (the service checks those against the database). An empty Status is taken as
// "open".
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *GapFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the data gap is not valid")
	naturalkey.Check(e, "code", f.Code)
	if gapEmpty(f.DescriptionES) && gapEmpty(f.DescriptionEN) {
		e.WithField("description", "needs a Spanish or an English description")
	}
	if !slices.Contains(GapPriorities, f.Priority) {
		e.WithField("priority", "unknown priority")
	}
	if f.Status != "" && !slices.Contains(GapStatuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	for i, c := range f.Countries {
		if _, ok := countries.Lookup(c); !ok {
			e.WithField("countries."+strconv.Itoa(i), "not an ISO 3166-1 country")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func gapEmpty(s *string) bool { return s == nil || *s == "" }

// gapRow maps Gap to the data_gaps table (the generated search column is never written).
type gapRow struct {
	ID               uuid.UUID
	Code             string
	DescriptionES    *string        `gorm:"column:description_es"`
	DescriptionEN    *string        `gorm:"column:description_en"`
	IndicatorIDs     pq.StringArray `gorm:"column:indicator_ids;type:uuid[]"`
	SourceIDs        pq.StringArray `gorm:"column:source_ids;type:uuid[]"`
	Countries        pq.StringArray `gorm:"type:text[]"`
	Groups           *string
	RecommendationES *string `gorm:"column:recommendation_es"`
	RecommendationEN *string `gorm:"column:recommendation_en"`
	Priority         string
	Status           string
	Demo             bool
	Version          int64
	CreatedAt        time.Time `gorm:"default:now()"`
	UpdatedAt        time.Time `gorm:"default:now()"`
	ArchivedAt       *time.Time
}

func (gapRow) TableName() string { return "data_gaps" }

func (r gapRow) gap() Gap {
	f := GapFields{Code: r.Code, DescriptionES: r.DescriptionES, DescriptionEN: r.DescriptionEN,
		IndicatorIDs: refs.Parse(r.IndicatorIDs), SourceIDs: refs.Parse(r.SourceIDs), Countries: append([]string{}, r.Countries...),
		Groups: r.Groups, RecommendationES: r.RecommendationES, RecommendationEN: r.RecommendationEN,
		Priority: r.Priority, Status: r.Status, Demo: r.Demo}
	return Gap{ID: r.ID, GapFields: f, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ArchivedAt: r.ArchivedAt}
}

func (r *gapRow) set(f GapFields) {
	r.Code, r.DescriptionES, r.DescriptionEN = f.Code, f.DescriptionES, f.DescriptionEN
	r.IndicatorIDs, r.SourceIDs = refs.Array(f.IndicatorIDs), refs.Array(f.SourceIDs)
	r.Countries = pq.StringArray(append([]string{}, f.Countries...))
	r.Groups, r.RecommendationES, r.RecommendationEN = f.Groups, f.RecommendationES, f.RecommendationEN
	r.Priority, r.Status = f.Priority, f.Status
	if r.Status == "" {
		r.Status = "open"
	}
}

// columns are the writable columns of r, for updates.
func (r *gapRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "description_es": r.DescriptionES, "description_en": r.DescriptionEN,
		"indicator_ids": r.IndicatorIDs, "source_ids": r.SourceIDs, "countries": r.Countries, "groups": r.Groups,
		"recommendation_es": r.RecommendationES, "recommendation_en": r.RecommendationEN,
		"priority": r.Priority, "status": r.Status, "version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}

// GapService keeps the data gaps of the stocktake. A gap concerns the whole stocktake, so only
// unscoped callers (coordinators, admins, importers, the system) write them.
type GapService struct {
	db       *database.DB
	snapshot func(Gap) any
}

// NewGapService returns a GapService over db. The audit trail records gaps in their API
// representation.
func NewGapService(db *database.DB) *GapService {
	return &GapService{db: db, snapshot: gapSnapshot}
}

// Get returns one data gap, archived or not.
//
// Errors: NotFound.
func (s *GapService) Get(ctx context.Context, id uuid.UUID) (Gap, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Gap{}, err
	}
	return r.gap(), nil
}

func (s *GapService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (gapRow, error) {
	return database.Take[gapRow](tx, database.LockIf(forUpdate), "data gap "+id.String(), "id = ?", id)
}

// Create stores a new data gap (marked as demo data when f.Demo), open unless f.Status says
// otherwise.
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields, unknown indicators or
// sources), Conflict (code taken).
func (s *GapService) Create(ctx context.Context, f GapFields) (Gap, error) {
	if err := scope.RequireUnscoped(ctx, "data gaps"); err != nil {
		return Gap{}, err
	}
	if err := f.Validate(); err != nil {
		return Gap{}, err
	}
	var out Gap
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := gapCheckReferences(tx, f); err != nil {
			return err
		}
		r := gapRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.gap()
		return audit.Record(ctx, tx, audit.Change{Action: "data_gap.create", ResourceType: "data_gap",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of gap id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the Demo mark it returns is ignored.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result, unknown indicators or sources), and whatever change returns.
func (s *GapService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Gap) (GapFields, error)) (Gap, error) {
	if err := scope.RequireUnscoped(ctx, "data gaps"); err != nil {
		return Gap{}, err
	}
	var out Gap
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "data gap %s is archived", id)
		}
		before := r.gap()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := gapCheckReferences(tx, f); err != nil {
			return err
		}
		r.set(f)
		r.Version++
		if err := tx.Model(&gapRow{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.gap()
		return audit.Record(ctx, tx, audit.Change{Action: "data_gap.update", ResourceType: "data_gap",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes gap id. Archiving an archived gap changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *GapService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, "data gaps"); err != nil {
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
		before := r.gap()
		return archive.Row[gapRow](ctx, tx, "data_gap", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.gap()), err
		})
	})
}

func (s *GapService) translate(err error, f GapFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "data_gaps_code_key" {
		return apperr.New(apperr.Conflict, "a data gap with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the data gap is not valid")
		switch c {
		case "data_gaps_description_present":
			return e.WithField("description", "needs a Spanish or an English description")
		case "data_gaps_priority_check":
			return e.WithField("priority", "unknown priority")
		case "data_gaps_status_check":
			return e.WithField("status", "unknown status")
		}
		return apperr.New(apperr.Unprocessable, "the data gap breaks rule %s", c)
	}
	return fmt.Errorf("write data gap %s: %w", f.Code, err)
}

// gapCheckReferences refuses indicators and sources that do not exist (archived ones are still
// referable: archiving keeps what refers to them), naming each unknown id by its position. Each
// list costs one statement whatever its length; an empty list costs none.
//
// Errors: Unprocessable.
func gapCheckReferences(tx *gorm.DB, f GapFields) error {
	return refs.Check(tx, "the data gap refers to what does not exist",
		refs.List{Table: "indicators", Field: "indicator_ids", Missing: "no such indicator", IDs: f.IndicatorIDs},
		refs.List{Table: "data_sources", Field: "source_ids", Missing: "no such data source", IDs: f.SourceIDs})
}

// GapFilter narrows GapService.List. Empty values mean "any".
type GapFilter struct {
	Q                    string
	Codes                []string // natural keys
	Priorities, Statuses []string
	IndicatorID          *uuid.UUID // the gap concerns this indicator
	SourceID             *uuid.UUID // the gap concerns this source
	Country              string     // the gap concerns this country
	IncludeArchived      bool
	OrderBy              string // code, created_at or updated_at, "-" prefixed for descending
	PageSize             int
	PageToken            string
}

var gapOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	"updated_at": {Field: "updated_at", Column: "updated_at", Type: "timestamptz"},
}

// List returns a page of data gaps and the next page's token ("" on the last page), keyset-paged
// on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *GapService) List(ctx context.Context, f GapFilter) ([]Gap, string, error) {
	q := s.db.Conn(ctx).Model(&gapRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Priorities) > 0 {
		q = q.Where("priority IN ?", f.Priorities)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.IndicatorID != nil {
		q = q.Where("indicator_ids @> ARRAY[?]::uuid[]", f.IndicatorID.String())
	}
	if f.SourceID != nil {
		q = q.Where("source_ids @> ARRAY[?]::uuid[]", f.SourceID.String())
	}
	if f.Country != "" {
		q = q.Where("countries @> ARRAY[?]::text[]", f.Country)
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := gapOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "data-gaps", f.PageToken, f.PageSize, func(r gapRow) any {
		switch o.Field {
		case "created_at":
			return r.CreatedAt
		case "updated_at":
			return r.UpdatedAt
		}
		return r.Code
	}, func(r gapRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Gap, len(rows))
	for i, r := range rows {
		out[i] = r.gap()
	}
	return out, next, nil
}
