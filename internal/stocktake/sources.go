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

// Vocabularies of a data source.
var (
	SourceTypes = []string{"census", "household_survey", "administrative_register", "consular_register",
		"international_estimate", "study"}
	SourceAccesses        = []string{"public", "on_request", "restricted"}
	SourcePeriodicities   = []string{"one_off", "continuous", "monthly", "quarterly", "annual", "biennial", "irregular"}
	SourceDisaggregations = []string{"sex", "age", "country_of_residence", "region_of_origin", "education",
		"occupation", "migration_status"}
	SourceCaveats = []string{"proxy_definition", "modelled", "reference_year_mismatch", "stock_vs_flow", "registry_coverage"}
)

// SourceScore is one dimension of a quality assessment: 1 (poor) to 5 (excellent), with a note.
type SourceScore struct {
	Score int
	Note  *string
}

// SourceQuality is a quality assessment: all three scores, or none at all (a nil *SourceQuality).
type SourceQuality struct {
	Timeliness, Completeness, Comparability SourceScore
	AssessedBy                              *string
	AssessedOn                              *time.Time
}

// SourceFields are the parts of a data source its users write. Demo marks demo data; only Create
// reads it (the HTTP layer never sets it, and updates keep what is stored).
type SourceFields struct {
	Code            string
	TitleES         *string
	TitleEN         *string
	DescriptionES   *string
	DescriptionEN   *string
	PublisherID     *uuid.UUID
	Type            string
	CoverageStart   *time.Time
	CoverageEnd     *time.Time // nil while the source is still produced
	SpatialCoverage []string   // ISO 3166-1 alpha-2 codes
	Periodicity     *string
	Disaggregations []string
	Access          string
	Licence         *string
	Format          *string
	LandingURL      *string
	LastUpdated     *time.Time
	ContactName     *string
	ContactEmail    *string
	Quality         *SourceQuality
	Caveats         []string
	Demo            bool
}

// Source is a stored data source.
type Source struct {
	ID uuid.UUID
	SourceFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every data source obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *SourceFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the data source is not valid")
	naturalkey.Check(e, "code", f.Code)
	if sourceEmpty(f.TitleES) && sourceEmpty(f.TitleEN) {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if !slices.Contains(SourceTypes, f.Type) {
		e.WithField("type", "unknown type")
	}
	if !slices.Contains(SourceAccesses, f.Access) {
		e.WithField("access", "unknown access")
	}
	if f.Periodicity != nil && !slices.Contains(SourcePeriodicities, *f.Periodicity) {
		e.WithField("periodicity", "unknown periodicity")
	}
	if f.CoverageEnd != nil {
		switch {
		case f.CoverageStart == nil:
			e.WithField("temporal_coverage.start", "a coverage with an end needs a start")
		case f.CoverageEnd.Before(*f.CoverageStart):
			e.WithField("temporal_coverage.end", "must not be before the start")
		}
	}
	for i, c := range f.SpatialCoverage {
		if _, ok := countries.Lookup(c); !ok {
			e.WithField("spatial_coverage."+strconv.Itoa(i), "not an ISO 3166-1 country")
		}
	}
	for i, d := range f.Disaggregations {
		if !slices.Contains(SourceDisaggregations, d) {
			e.WithField("disaggregations."+strconv.Itoa(i), "unknown disaggregation")
		}
	}
	for i, c := range f.Caveats {
		if !slices.Contains(SourceCaveats, c) {
			e.WithField("caveats."+strconv.Itoa(i), "unknown caveat")
		}
	}
	if q := f.Quality; q != nil {
		for _, d := range []struct {
			name  string
			score int
		}{{"timeliness", q.Timeliness.Score}, {"completeness", q.Completeness.Score}, {"comparability", q.Comparability.Score}} {
			if d.score < 1 || d.score > 5 {
				e.WithField("quality."+d.name+".score", "a quality assessment needs all three scores, each 1 to 5")
			}
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func sourceEmpty(s *string) bool { return s == nil || *s == "" }

// sourceRow maps Source to the data_sources table.
type sourceRow struct {
	ID                 uuid.UUID
	Code               string
	TitleES            *string `gorm:"column:title_es"`
	TitleEN            *string `gorm:"column:title_en"`
	DescriptionES      *string `gorm:"column:description_es"`
	DescriptionEN      *string `gorm:"column:description_en"`
	PublisherID        *uuid.UUID
	Type               string
	CoverageStart      *time.Time     `gorm:"type:date"`
	CoverageEnd        *time.Time     `gorm:"type:date"`
	SpatialCoverage    pq.StringArray `gorm:"type:text[]"`
	Periodicity        *string
	Disaggregations    pq.StringArray `gorm:"type:text[]"`
	Access             string
	Licence            *string
	Format             *string
	LandingURL         *string    `gorm:"column:landing_url"`
	LastUpdated        *time.Time `gorm:"type:date"`
	ContactName        *string
	ContactEmail       *string
	TimelinessScore    *int16
	TimelinessNote     *string
	CompletenessScore  *int16
	CompletenessNote   *string
	ComparabilityScore *int16
	ComparabilityNote  *string
	AssessedBy         *string
	AssessedOn         *time.Time     `gorm:"type:date"`
	Caveats            pq.StringArray `gorm:"type:text[]"`
	Demo               bool
	Version            int64
	CreatedAt          time.Time `gorm:"default:now()"`
	UpdatedAt          time.Time `gorm:"default:now()"`
	ArchivedAt         *time.Time
}

func (sourceRow) TableName() string { return "data_sources" }

func (r sourceRow) source() Source {
	f := SourceFields{Code: r.Code, TitleES: r.TitleES, TitleEN: r.TitleEN, DescriptionES: r.DescriptionES,
		DescriptionEN: r.DescriptionEN, PublisherID: r.PublisherID, Type: r.Type, CoverageStart: r.CoverageStart,
		CoverageEnd: r.CoverageEnd, SpatialCoverage: sourceList(r.SpatialCoverage), Periodicity: r.Periodicity,
		Disaggregations: sourceList(r.Disaggregations), Access: r.Access, Licence: r.Licence, Format: r.Format,
		LandingURL: r.LandingURL, LastUpdated: r.LastUpdated, ContactName: r.ContactName, ContactEmail: r.ContactEmail,
		Caveats: sourceList(r.Caveats), Demo: r.Demo}
	if r.TimelinessScore != nil && r.CompletenessScore != nil && r.ComparabilityScore != nil {
		f.Quality = &SourceQuality{
			Timeliness:    SourceScore{Score: int(*r.TimelinessScore), Note: r.TimelinessNote},
			Completeness:  SourceScore{Score: int(*r.CompletenessScore), Note: r.CompletenessNote},
			Comparability: SourceScore{Score: int(*r.ComparabilityScore), Note: r.ComparabilityNote},
			AssessedBy:    r.AssessedBy, AssessedOn: r.AssessedOn,
		}
	}
	return Source{ID: r.ID, SourceFields: f, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ArchivedAt: r.ArchivedAt}
}

// sourceList copies a stored array, never returning nil.
func sourceList(a pq.StringArray) []string { return append([]string{}, a...) }

func sourceScore(s SourceScore) *int16 { v := int16(s.Score); return &v }

func (r *sourceRow) set(f SourceFields) {
	r.Code, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN = f.Code, f.TitleES, f.TitleEN, f.DescriptionES, f.DescriptionEN
	r.PublisherID, r.Type, r.CoverageStart, r.CoverageEnd = f.PublisherID, f.Type, f.CoverageStart, f.CoverageEnd
	// The array columns are NOT NULL: never store a nil slice.
	r.SpatialCoverage = pq.StringArray(sourceList(f.SpatialCoverage))
	r.Disaggregations = pq.StringArray(sourceList(f.Disaggregations))
	r.Caveats = pq.StringArray(sourceList(f.Caveats))
	r.Periodicity, r.Access, r.Licence, r.Format, r.LandingURL = f.Periodicity, f.Access, f.Licence, f.Format, f.LandingURL
	r.LastUpdated, r.ContactName, r.ContactEmail = f.LastUpdated, f.ContactName, f.ContactEmail
	r.TimelinessScore, r.TimelinessNote, r.CompletenessScore, r.CompletenessNote = nil, nil, nil, nil
	r.ComparabilityScore, r.ComparabilityNote, r.AssessedBy, r.AssessedOn = nil, nil, nil, nil
	if q := f.Quality; q != nil {
		r.TimelinessScore, r.TimelinessNote = sourceScore(q.Timeliness), q.Timeliness.Note
		r.CompletenessScore, r.CompletenessNote = sourceScore(q.Completeness), q.Completeness.Note
		r.ComparabilityScore, r.ComparabilityNote = sourceScore(q.Comparability), q.Comparability.Note
		r.AssessedBy, r.AssessedOn = q.AssessedBy, q.AssessedOn
	}
}

// columns are the writable columns of r, for updates.
func (r *sourceRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "title_es": r.TitleES, "title_en": r.TitleEN, "description_es": r.DescriptionES,
		"description_en": r.DescriptionEN, "publisher_id": r.PublisherID, "type": r.Type,
		"coverage_start": r.CoverageStart, "coverage_end": r.CoverageEnd, "spatial_coverage": r.SpatialCoverage,
		"periodicity": r.Periodicity, "disaggregations": r.Disaggregations, "access": r.Access, "licence": r.Licence,
		"format": r.Format, "landing_url": r.LandingURL, "last_updated": r.LastUpdated, "contact_name": r.ContactName,
		"contact_email": r.ContactEmail, "timeliness_score": r.TimelinessScore, "timeliness_note": r.TimelinessNote,
		"completeness_score": r.CompletenessScore, "completeness_note": r.CompletenessNote,
		"comparability_score": r.ComparabilityScore, "comparability_note": r.ComparabilityNote,
		"assessed_by": r.AssessedBy, "assessed_on": r.AssessedOn, "caveats": r.Caveats,
		"version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}

// SourceService keeps the catalogue of data sources. Coordinators, admins, importers and the
// system write any source; editors and partners only those their institution's subtree publishes.
type SourceService struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Source) any
}

// NewSourceService returns a SourceService over db; tree answers the editors' and partners'
// publisher checks. The audit trail records sources in their API representation.
func NewSourceService(db *database.DB, tree scope.Tree) *SourceService {
	return &SourceService{db: db, tree: tree, snapshot: sourceSnapshot}
}

// Get returns one data source, archived or not.
//
// Errors: NotFound.
func (s *SourceService) Get(ctx context.Context, id uuid.UUID) (Source, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Source{}, err
	}
	return r.source(), nil
}

func (s *SourceService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (sourceRow, error) {
	return database.Take[sourceRow](tx, database.LockIf(forUpdate), "data source "+id.String(), "id = ?", id)
}

// Create stores a new data source (marked as demo data when f.Demo).
//
// Errors: Forbidden (scoped caller, publisher outside its institution), Unprocessable (invalid
// fields, unknown, archived or inactive publisher), Conflict (code taken).
func (s *SourceService) Create(ctx context.Context, f SourceFields) (Source, error) {
	if err := authorizePublisher(ctx, s.tree, f.PublisherID); err != nil {
		return Source{}, err
	}
	if err := f.Validate(); err != nil {
		return Source{}, err
	}
	var out Source
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if f.PublisherID != nil {
			if err := sourceCheckPublisher(tx, *f.PublisherID); err != nil {
				return err
			}
		}
		r := sourceRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.source()
		return audit.Record(ctx, tx, audit.Change{Action: "data_source.create", ResourceType: "data_source",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of source id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the Demo mark it returns is ignored.
// Scoped callers must be allowed both the current and the new publisher.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result, unknown, archived or inactive publisher), and whatever change returns.
func (s *SourceService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Source) (SourceFields, error)) (Source, error) {
	var out Source
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := authorizePublisher(ctx, s.tree, r.PublisherID); err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "data source %s is archived", id)
		}
		before := r.source()
		f, err := change(before)
		if err != nil {
			return err
		}
		changed := !refs.Same(before.PublisherID, f.PublisherID)
		if changed {
			if err := authorizePublisher(ctx, s.tree, f.PublisherID); err != nil {
				return err
			}
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if changed && f.PublisherID != nil {
			if err := sourceCheckPublisher(tx, *f.PublisherID); err != nil {
				return err
			}
		}
		r.set(f)
		r.Version++
		if err := tx.Model(&sourceRow{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.source()
		return audit.Record(ctx, tx, audit.Change{Action: "data_source.update", ResourceType: "data_source",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes source id. Archiving an archived source changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *SourceService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := authorizePublisher(ctx, s.tree, r.PublisherID); err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.source()
		return archive.Row[sourceRow](ctx, tx, "data_source", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.source()), err
		})
	})
}

func (s *SourceService) translate(err error, f SourceFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "data_sources_code_key" {
		return apperr.New(apperr.Conflict, "a data source with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the publisher does not exist").WithField("publisher_id", "no such institution")
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the data source is not valid")
		switch c {
		case "data_sources_coverage_order":
			return e.WithField("temporal_coverage.end", "must not be before the start")
		case "data_sources_title_present":
			return e.WithField("title", "needs a Spanish or an English title")
		case "data_sources_quality_whole":
			return e.WithField("quality", "needs all three scores")
		}
		return apperr.New(apperr.Unprocessable, "the data source breaks one of its rules")
	}
	return fmt.Errorf("write data source %s: %w", f.Code, err)
}

// sourceCheckPublisher refuses a publisher that does not exist, is archived or is not active.
func sourceCheckPublisher(tx *gorm.DB, id uuid.UUID) error {
	var p struct {
		Status     string
		ArchivedAt *time.Time
	}
	res := tx.Table("institutions").Select("status, archived_at").Where("id = ?", id).Limit(1).Scan(&p)
	if res.Error != nil {
		return fmt.Errorf("load institution %s: %w", id, res.Error)
	}
	e := apperr.New(apperr.Unprocessable, "the publisher %s cannot publish data sources", id)
	switch {
	case res.RowsAffected == 0:
		return e.WithField("publisher_id", "no such institution")
	case p.ArchivedAt != nil:
		return e.WithField("publisher_id", "is archived")
	case p.Status != "active":
		return e.WithField("publisher_id", "is not active (status "+p.Status+")")
	}
	return nil
}

// SourceFilter narrows SourceService.List. Empty values mean "any".
type SourceFilter struct {
	Q               string
	Codes           []string // natural keys
	Types, Accesses []string
	PublisherID     *uuid.UUID
	Country         string // spatial coverage includes it
	Disaggregation  string
	Caveat          string
	IncludeArchived bool
	OrderBy         string // code, created_at or updated_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var sourceOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	"updated_at": {Field: "updated_at", Column: "updated_at", Type: "timestamptz"},
}

// List returns a page of data sources and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *SourceService) List(ctx context.Context, f SourceFilter) ([]Source, string, error) {
	q := s.db.Conn(ctx).Model(&sourceRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if len(f.Accesses) > 0 {
		q = q.Where("access IN ?", f.Accesses)
	}
	if f.PublisherID != nil {
		q = q.Where("publisher_id = ?", *f.PublisherID)
	}
	if f.Country != "" {
		q = q.Where("spatial_coverage @> ARRAY[?]::text[]", f.Country)
	}
	if f.Disaggregation != "" {
		q = q.Where("disaggregations @> ARRAY[?]::text[]", f.Disaggregation)
	}
	if f.Caveat != "" {
		q = q.Where("caveats @> ARRAY[?]::text[]", f.Caveat)
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := sourceOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "data-sources", f.PageToken, f.PageSize, func(r sourceRow) any {
		switch o.Field {
		case "created_at":
			return r.CreatedAt
		case "updated_at":
			return r.UpdatedAt
		}
		return r.Code
	}, func(r sourceRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Source, len(rows))
	for i, r := range rows {
		out[i] = r.source()
	}
	return out, next, nil
}
