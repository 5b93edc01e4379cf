package stocktake

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/scope"
)

// Vocabularies of an observation.
var (
	ObservationSexes    = []string{"female", "male", "total"}
	ObservationStatuses = []string{"estimate", "provisional", "final"}
	ObservationFlags    = []string{"doubted_unit", "doubted_value", "break_in_series"}
)

// observationNonNegative are the indicator measures whose values cannot be negative.
var observationNonNegative = []string{"stock", "count"}

var (
	observationYear     = regexp.MustCompile(`^[0-9]{4}$`)
	observationMonth    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)
	observationRange    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	observationRegion   = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[0-5])$`)
	observationAgeGroup = regexp.MustCompile(`^(total|[0-9]{1,3}-[0-9]{1,3}|[0-9]{1,3}\+)$`)
)

// ParsePeriod reads a period — a year ("2022"), a month ("2022-09") or a date range
// ("2022-01-01/2022-06-30") — into the first and last day it covers.
//
// Errors: Invalid on field period (bad shape, impossible date, end before start).
func ParsePeriod(p string) (start, end time.Time, err error) {
	start, end, why := observationParsePeriod(p)
	if why != "" {
		return time.Time{}, time.Time{}, apperr.New(apperr.Invalid, "the period %q is not a year, a month or a date range", p).WithField("period", why)
	}
	return start, end, nil
}

// observationParsePeriod is ParsePeriod, with what is wrong ("" when nothing is).
func observationParsePeriod(p string) (start, end time.Time, why string) {
	switch {
	case observationYear.MatchString(p):
		y, _ := strconv.Atoi(p)
		start = time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(1, 0, -1), ""
	case observationMonth.MatchString(p):
		t, err := time.Parse("2006-01", p)
		if err != nil {
			return start, end, "not a real month"
		}
		return t, t.AddDate(0, 1, -1), ""
	case observationRange.MatchString(p):
		from, to, _ := strings.Cut(p, "/")
		s, serr := time.Parse(time.DateOnly, from)
		e, eerr := time.Parse(time.DateOnly, to)
		if serr != nil || eerr != nil {
			return start, end, "not a real date"
		}
		if e.Before(s) {
			return start, end, "the range ends before it starts"
		}
		return s, e, ""
	}
	return start, end, `must be a year ("2022"), a month ("2022-09") or a date range ("2022-01-01/2022-06-30")`
}

// Kinds of place an observation is about.
const (
	PlaceCountry = "country" // a country of residence
	PlaceRegion  = "region"  // a Peruvian region of origin
	PlaceWorld   = "world"   // every country of residence: a total
)

// ObservationFields are the parts of an observation its writers send. Its dimensions — indicator,
// source, period, place, sex and age group — identify it. The place is a Country or a Region
// (exactly one; PlaceKind may then be left empty), or PlaceKind PlaceWorld with neither. Empty
// Sex and AgeGroup mean "total", an empty Status "estimate". Demo marks demo data; only an insert
// reads it.
type ObservationFields struct {
	IndicatorID, SourceID uuid.UUID
	Period                string
	PlaceKind             string
	Country, Region       *string
	Sex, AgeGroup         string
	Value                 float64
	Status                string
	Flags                 []string
	Note                  *string
	Demo                  bool
}

// Observation is a stored observation.
type Observation struct {
	ID uuid.UUID
	ObservationFields
	PeriodStart, PeriodEnd time.Time
	Version                int64
	CreatedAt              time.Time
	UpdatedAt              time.Time
	ArchivedAt             *time.Time
}

// defaults fills the dimensions and annotations the writer may leave out.
func (f *ObservationFields) defaults() {
	if f.Sex == "" {
		f.Sex = "total"
	}
	if f.AgeGroup == "" {
		f.AgeGroup = "total"
	}
	if f.Status == "" {
		f.Status = "estimate"
	}
	if f.Flags == nil {
		f.Flags = []string{}
	}
	if f.PlaceKind == "" {
		switch {
		case f.Country != nil && f.Region == nil:
			f.PlaceKind = PlaceCountry
		case f.Region != nil && f.Country == nil:
			f.PlaceKind = PlaceRegion
		}
	}
}

// Validate checks the rules every observation obeys, whoever writes it, and returns the period's
// first and last day. Whether the indicator and source exist is for the service to check.
//
// Errors: Invalid when the period is not a year, a month or a date range (as a malformed date
// would be); else Unprocessable, with one field error per broken rule.
func (f *ObservationFields) Validate() (start, end time.Time, err error) {
	start, end, err = ParsePeriod(f.Period)
	if err != nil {
		return start, end, err
	}
	e := apperr.New(apperr.Unprocessable, "the observation is not valid")
	switch {
	case f.Country != nil && f.Region != nil:
		e.WithField("country", "give a country of residence or a region of origin, not both")
	case f.PlaceKind == PlaceWorld && (f.Country != nil || f.Region != nil):
		e.WithField("place_kind", "a world-level observation has no country or region")
	case f.PlaceKind == PlaceCountry && f.Country == nil:
		e.WithField("country", "give the country of residence")
	case f.PlaceKind == PlaceRegion && f.Region == nil:
		e.WithField("region", "give the region of origin")
	case f.PlaceKind == "":
		e.WithField("country", `give a country of residence, a region of origin, or place_kind "world"`)
	case f.PlaceKind != PlaceWorld && f.PlaceKind != PlaceCountry && f.PlaceKind != PlaceRegion:
		e.WithField("place_kind", "unknown kind of place")
	case f.Country != nil:
		if _, ok := countries.Lookup(*f.Country); !ok {
			e.WithField("country", "not an ISO 3166-1 country")
		}
	case f.Region != nil:
		if !observationRegion.MatchString(*f.Region) {
			e.WithField("region", "not a Peruvian region (UBIGEO 01–25)")
		}
	}
	if !slices.Contains(ObservationSexes, f.Sex) {
		e.WithField("sex", "unknown sex")
	}
	if !observationAgeGroup.MatchString(f.AgeGroup) {
		e.WithField("age_group", `must be "total", a range such as "15-29" or an open group such as "65+"`)
	}
	if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
		e.WithField("value", "must be a finite number")
	}
	if !slices.Contains(ObservationStatuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	for i, fl := range f.Flags {
		if !slices.Contains(ObservationFlags, fl) {
			e.WithField("flags."+strconv.Itoa(i), "unknown flag")
		} else if slices.Index(f.Flags, fl) != i {
			e.WithField("flags."+strconv.Itoa(i), "given twice")
		}
	}
	if f.Note != nil && len([]rune(*f.Note)) > 2000 {
		e.WithField("note", "must be at most 2000 characters")
	}
	if len(e.Fields) > 0 {
		return time.Time{}, time.Time{}, e
	}
	return start, end, nil
}

// place is the stored place of f: its kind and code.
func (f *ObservationFields) place() (kind, code string) {
	switch {
	case f.Country != nil:
		return PlaceCountry, *f.Country
	case f.Region != nil:
		return PlaceRegion, *f.Region
	}
	return PlaceWorld, ""
}

// observationRow maps Observation to its table.
type observationRow struct {
	ID          uuid.UUID
	IndicatorID uuid.UUID
	SourceID    uuid.UUID
	Period      string
	PeriodStart time.Time `gorm:"type:date"`
	PeriodEnd   time.Time `gorm:"type:date"`
	PlaceKind   string
	PlaceCode   string
	Sex         string
	AgeGroup    string
	Value       float64
	Status      string
	Flags       pq.StringArray `gorm:"type:text[]"`
	Note        *string
	Demo        bool
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ArchivedAt  *time.Time
}

func (observationRow) TableName() string { return "observations" }

func (r observationRow) observation() Observation {
	f := ObservationFields{IndicatorID: r.IndicatorID, SourceID: r.SourceID, Period: r.Period, Sex: r.Sex,
		AgeGroup: r.AgeGroup, Value: r.Value, Status: r.Status, Flags: append([]string{}, r.Flags...),
		Note: r.Note, Demo: r.Demo}
	f.PlaceKind = r.PlaceKind
	code := r.PlaceCode
	switch r.PlaceKind {
	case PlaceCountry:
		f.Country = &code
	case PlaceRegion:
		f.Region = &code
	}
	return Observation{ID: r.ID, ObservationFields: f, PeriodStart: r.PeriodStart.UTC(), PeriodEnd: r.PeriodEnd.UTC(),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

// observationUpserted is a row the upsert returns, with whether it was inserted.
type observationUpserted struct {
	Row      observationRow `gorm:"embedded"`
	Inserted bool
}

// ObservationService keeps the observations. Coordinators, admins, importers and the system write
// any; editors and partners only those of sources their institution's subtree publishes.
type ObservationService struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Observation) any
}

// NewObservationService returns an ObservationService over db; tree answers the editors' and
// partners' publisher checks. The audit trail records observations in their API representation.
func NewObservationService(db *database.DB, tree scope.Tree) *ObservationService {
	return &ObservationService{db: db, tree: tree, snapshot: observationSnapshot}
}

// Get returns one observation, archived or not.
//
// Errors: NotFound.
func (s *ObservationService) Get(ctx context.Context, id uuid.UUID) (Observation, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Observation{}, err
	}
	return r.observation(), nil
}

func (s *ObservationService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (observationRow, error) {
	return database.Take[observationRow](tx, database.LockIf(forUpdate), "observation "+id.String(), "id = ?", id)
}

// observationRef is what a write needs of the indicator or source an observation refers to.
type observationRef struct {
	Found       bool
	ArchivedAt  *time.Time
	Measure     string     // indicators
	PublisherID *uuid.UUID // data sources
}

func observationLoad(tx *gorm.DB, table, cols string, id uuid.UUID) (observationRef, error) {
	var ref observationRef
	res := tx.Table(table).Select(cols).Where("id = ?", id).Limit(1).Scan(&ref)
	if res.Error != nil {
		return ref, fmt.Errorf("load %s %s: %w", table, id, res.Error)
	}
	ref.Found = res.RowsAffected > 0
	return ref, nil
}

// references loads the source (checking the caller may write its observations) and the
// indicator of f, and checks they are active and that the value suits the indicator's measure.
//
// Errors: Forbidden, Unprocessable.
func (s *ObservationService) references(ctx context.Context, tx *gorm.DB, f ObservationFields) error {
	src, err := observationLoad(tx, "data_sources", "publisher_id, archived_at", f.SourceID)
	if err != nil {
		return err
	}
	if src.Found {
		if err := authorizePublisher(ctx, s.tree, src.PublisherID); err != nil {
			return err
		}
	}
	ind, err := observationLoad(tx, "indicators", "measure, archived_at", f.IndicatorID)
	if err != nil {
		return err
	}
	e := apperr.New(apperr.Unprocessable, "the observation is not valid")
	switch {
	case !ind.Found:
		e.WithField("indicator_id", "no such indicator")
	case ind.ArchivedAt != nil:
		e.WithField("indicator_id", "the indicator is archived")
	case f.Value < 0 && slices.Contains(observationNonNegative, ind.Measure):
		e.WithField("value", "must not be negative for a "+ind.Measure+" indicator")
	}
	switch {
	case !src.Found:
		e.WithField("source_id", "no such data source")
	case src.ArchivedAt != nil:
		e.WithField("source_id", "the data source is archived")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

const observationUpsertSQL = `
INSERT INTO observations AS o (id, indicator_id, source_id, period, period_start, period_end, place_kind, place_code,
    sex, age_group, value, status, flags, note, demo)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS text[]), ?, ?)
ON CONFLICT ON CONSTRAINT observations_dimensions_key DO UPDATE SET
    value = EXCLUDED.value, status = EXCLUDED.status, flags = EXCLUDED.flags, note = EXCLUDED.note,
    version = o.version + 1, updated_at = now(), archived_at = NULL
RETURNING o.*, (o.xmax = 0) AS inserted`

// Upsert stores f as a new observation, or — when one with the same dimensions exists, archived
// or not — replaces its value, status, flags and note (reviving it if archived). created reports
// which. The audit trail records observation.create, or observation.update with the state before
// (read FOR UPDATE by dimensions first; a concurrent insert racing us leaves the update after-only).
//
// Errors: Forbidden (scoped caller, source of another institution), Unprocessable (invalid fields,
// unknown or archived indicator or source, negative stock or count).
func (s *ObservationService) Upsert(ctx context.Context, f ObservationFields) (Observation, bool, error) {
	f.defaults()
	start, end, err := f.Validate()
	if err != nil {
		return Observation{}, false, err
	}
	kind, code := f.place()
	var (
		out     Observation
		created bool
	)
	err = s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := s.references(ctx, tx, f); err != nil {
			return err
		}
		var before []observationRow
		if err := tx.Clauses(clause.Locking{Strength: string(database.ForUpdate)}).Where(
			"indicator_id = ? AND source_id = ? AND period_start = ? AND period_end = ? AND place_kind = ? AND place_code = ? AND sex = ? AND age_group = ?",
			f.IndicatorID, f.SourceID, start, end, kind, code, f.Sex, f.AgeGroup).Limit(1).Find(&before).Error; err != nil {
			return fmt.Errorf("load observation: %w", err)
		}
		var r observationUpserted
		if err := tx.Raw(observationUpsertSQL, uuid.Must(uuid.NewV7()), f.IndicatorID, f.SourceID, f.Period, start, end,
			kind, code, f.Sex, f.AgeGroup, f.Value, f.Status, pq.StringArray(f.Flags), f.Note, f.Demo).Scan(&r).Error; err != nil {
			return s.translate(err)
		}
		out, created = r.Row.observation(), r.Inserted
		change := audit.Change{Action: "observation.update", ResourceType: "observation", ResourceID: out.ID.String(),
			After: s.snapshot(out)}
		if created {
			change.Action = "observation.create"
		} else if len(before) > 0 {
			change.Before = s.snapshot(before[0].observation())
		}
		return audit.Record(ctx, tx, change)
	})
	return out, created, err
}

// Update applies change to the current fields of observation id, if its version satisfies pre.
// Only the value, status, flags and note change takes: the dimensions identify the observation
// and stay. change runs inside the transaction, on the row locked for update.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived), Unprocessable (invalid
// result, negative stock or count), and whatever change returns.
func (s *ObservationService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Observation) (ObservationFields, error)) (Observation, error) {
	var out Observation
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := s.authorize(ctx, tx, r.SourceID); err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "observation %s is archived", id)
		}
		before := r.observation()
		c, err := change(before)
		if err != nil {
			return err
		}
		f := before.ObservationFields
		f.Value, f.Status, f.Flags, f.Note = c.Value, c.Status, c.Flags, c.Note
		f.defaults()
		if _, _, err := f.Validate(); err != nil {
			return err
		}
		ind, err := observationLoad(tx, "indicators", "measure, archived_at", f.IndicatorID)
		if err != nil {
			return err
		}
		if f.Value < 0 && slices.Contains(observationNonNegative, ind.Measure) {
			return apperr.New(apperr.Unprocessable, "the observation is not valid").
				WithField("value", "must not be negative for a "+ind.Measure+" indicator")
		}
		if err := tx.Model(&observationRow{}).Where("id = ?", id).Updates(map[string]any{
			"value": f.Value, "status": f.Status, "flags": pq.StringArray(f.Flags), "note": f.Note,
			"version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error; err != nil {
			return s.translate(err)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.observation()
		return audit.Record(ctx, tx, audit.Change{Action: "observation.update", ResourceType: "observation",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes observation id. Archiving an archived observation changes nothing; sending
// its dimensions again revives it.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *ObservationService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := s.authorize(ctx, tx, r.SourceID); err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.observation()
		return archive.Row[observationRow](ctx, tx, "observation", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.observation()), err
		})
	})
}

// authorize checks the caller may write observations of source (loaded in tx).
func (s *ObservationService) authorize(ctx context.Context, tx *gorm.DB, source uuid.UUID) error {
	src, err := observationLoad(tx, "data_sources", "publisher_id, archived_at", source)
	if err != nil {
		return err
	}
	return authorizePublisher(ctx, s.tree, src.PublisherID)
}

func (s *ObservationService) translate(err error) error {
	if c, ok := database.ForeignKeyViolation(err); ok {
		field := "source_id"
		if strings.Contains(c, "indicator") {
			field = "indicator_id"
		}
		return apperr.New(apperr.Unprocessable, "the observation refers to what does not exist").WithField(field, "does not exist")
	}
	if c, ok := database.CheckViolation(err); ok {
		if c == "observations_period_order" {
			return apperr.New(apperr.Unprocessable, "the observation is not valid").WithField("period", "the range ends before it starts")
		}
		return apperr.New(apperr.Unprocessable, "the observation breaks rule %s", c)
	}
	return fmt.Errorf("write observation: %w", err)
}

// ObservationFilter narrows ObservationService.List. Empty values mean "any". Countries and
// Regions together select observations of either.
type ObservationFilter struct {
	IndicatorID, SourceID *uuid.UUID
	Countries, Regions    []string
	PlaceKinds            []string
	Sexes                 []string
	AgeGroup              string
	Statuses              []string
	PeriodFrom            *time.Time // period ends on or after
	PeriodTo              *time.Time // period starts on or before
	IncludeArchived       bool
	OrderBy               string // period or created_at, "-" prefixed for descending
	PageSize              int
	PageToken             string
}

var observationOrders = paging.Orders{
	"period":     {Field: "period", Column: "period_start", Type: "date"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of observations and the next page's token ("" on the last page),
// keyset-paged on (order column, id) in one statement, so deep pages cost what the first does.
//
// Errors: Invalid (bad page token).
func (s *ObservationService) List(ctx context.Context, f ObservationFilter) ([]Observation, string, error) {
	q := s.db.Conn(ctx).Model(&observationRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.IndicatorID != nil {
		q = q.Where("indicator_id = ?", *f.IndicatorID)
	}
	if f.SourceID != nil {
		q = q.Where("source_id = ?", *f.SourceID)
	}
	switch {
	case len(f.Countries) > 0 && len(f.Regions) > 0:
		q = q.Where("((place_kind = 'country' AND place_code IN ?) OR (place_kind = 'region' AND place_code IN ?))",
			f.Countries, f.Regions)
	case len(f.Countries) > 0:
		q = q.Where("place_kind = 'country' AND place_code IN ?", f.Countries)
	case len(f.Regions) > 0:
		q = q.Where("place_kind = 'region' AND place_code IN ?", f.Regions)
	}
	if len(f.PlaceKinds) > 0 {
		q = q.Where("place_kind IN ?", f.PlaceKinds)
	}
	if len(f.Sexes) > 0 {
		q = q.Where("sex IN ?", f.Sexes)
	}
	if f.AgeGroup != "" {
		q = q.Where("age_group = ?", f.AgeGroup)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.PeriodFrom != nil {
		longest, err := s.longestPeriod(ctx)
		if err != nil {
			return nil, "", err
		}
		q = q.Where("period_end >= ? AND period_start >= ?", f.PeriodFrom.Format(time.DateOnly),
			f.PeriodFrom.AddDate(0, 0, -longest).Format(time.DateOnly))
	}
	if f.PeriodTo != nil {
		q = q.Where("period_start <= ?", f.PeriodTo.Format(time.DateOnly))
	}
	o := observationOrders.Parse(f.OrderBy, "period")
	rows, next, err := paging.Page(q, o, "observations", f.PageToken, f.PageSize, func(r observationRow) any {
		if o.Field == "created_at" {
			return r.CreatedAt
		}
		return r.PeriodStart.UTC().Format(time.DateOnly)
	}, func(r observationRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Observation, len(rows))
	for i, r := range rows {
		out[i] = r.observation()
	}
	return out, next, nil
}

// longestPeriod returns how many days the longest stored period spans beyond its first day
// (0 when there are none): one probe of the period-length index. List adds it as a bound on
// period_start, which the list's indexes lead with, so that period_from costs an index range
// rather than a scan discarding every earlier row.
func (s *ObservationService) longestPeriod(ctx context.Context) (int, error) {
	var days *int
	if err := s.db.Conn(ctx).Raw(`SELECT max(period_end - period_start) FROM observations`).Scan(&days).Error; err != nil {
		return 0, fmt.Errorf("longest observation period: %w", err)
	}
	if days == nil {
		return 0, nil
	}
	return *days, nil
}
