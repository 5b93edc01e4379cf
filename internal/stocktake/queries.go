package stocktake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
)

// The read models of the stocktake — series, aggregates and the coverage matrix — are computed
// by PostgreSQL in one statement each over the observations; Go only shapes the answer.

// Limits of what one query may answer, so that a careless request cannot ask for a
// hundred-megabyte document.
const (
	seriesMaxPoints  = 50_000
	coverageMaxYears = 100
	coverageMaxCells = 500_000
)

// preferredSourceOrder ranks the observations of one point (same place, period, sex and age
// group) from the preferred source down: the best quality assessment first (unassessed sources
// last), then a final value before a provisional one before an estimate, then the source code.
// It expects the observation as o and its source as s.
const preferredSourceOrder = `(s.timeliness_score + s.completeness_score + s.comparability_score) DESC NULLS LAST,
    CASE o.status WHEN 'final' THEN 0 WHEN 'provisional' THEN 1 ELSE 2 END, s.code`

// IndicatorRef is what a read model says about the indicator it is about.
type IndicatorRef struct {
	ID             uuid.UUID
	Code           string
	NameES, NameEN *string
	Unit           string
	Measure        string
}

// SourceRef is what a read model says about a source it cites.
type SourceRef struct {
	ID               uuid.UUID
	Code             string
	TitleES, TitleEN *string
	Type, Access     string
	QualityScore     *int // the sum of the three scores; nil when not assessed
	Demo             bool
	Archived         bool
}

// Queries answers the stocktake's read models.
type Queries struct{ db *database.DB }

// NewQueries returns the read models over db.
func NewQueries(db *database.DB) *Queries { return &Queries{db: db} }

// indicator loads the active indicator id.
//
// Errors: Unprocessable (unknown or archived indicator).
func (q *Queries) indicator(tx *gorm.DB, id uuid.UUID) (IndicatorRef, error) {
	refs, err := q.indicators(tx, []uuid.UUID{id})
	if err != nil {
		return IndicatorRef{}, err
	}
	return refs[0], nil
}

// indicators loads the active indicators ids, in code order, or every active indicator when
// ids is empty.
//
// Errors: Unprocessable (an unknown or archived indicator).
func (q *Queries) indicators(tx *gorm.DB, ids []uuid.UUID) ([]IndicatorRef, error) {
	var rows []struct {
		IndicatorRef `gorm:"embedded"`
		ArchivedAt   *time.Time
	}
	stmt := tx.Table("indicators").Select("id, code, name_es, name_en, unit, measure, archived_at").Order("code")
	if len(ids) > 0 {
		stmt = stmt.Where("id IN ?", ids)
	} else {
		stmt = stmt.Where("archived_at IS NULL")
	}
	if err := stmt.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load indicators: %w", err)
	}
	out := make([]IndicatorRef, 0, len(rows))
	for _, r := range rows {
		if r.ArchivedAt == nil {
			out = append(out, r.IndicatorRef)
		}
	}
	if len(ids) > 0 && len(out) != len(ids) {
		return nil, apperr.New(apperr.Unprocessable, "the query names an indicator that does not exist or is archived").
			WithField("indicator_id", "no such active indicator")
	}
	return out, nil
}

// sources loads the sources ids, in code order.
func (q *Queries) sources(tx *gorm.DB, ids []uuid.UUID) ([]SourceRef, error) {
	if len(ids) == 0 {
		return []SourceRef{}, nil
	}
	var out []SourceRef
	if err := tx.Table("data_sources").Select(`id, code, title_es, title_en, type, access, demo, archived_at IS NOT NULL AS archived,
		timeliness_score + completeness_score + comparability_score AS quality_score`).
		Where("id IN ?", ids).Order("code").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	return out, nil
}

// source checks that id names an active data source.
//
// Errors: Unprocessable.
func (q *Queries) source(tx *gorm.DB, id uuid.UUID) error {
	refs, err := q.sources(tx, []uuid.UUID{id})
	if err != nil {
		return err
	}
	if len(refs) == 0 || refs[0].Archived {
		return apperr.New(apperr.Unprocessable, "the query names a data source that does not exist or is archived").
			WithField("source_id", "no such active data source")
	}
	return nil
}

// checkCountries refuses codes that are not ISO 3166-1 countries.
//
// Errors: Unprocessable.
func checkCountries(codes []string) error {
	for i, c := range codes {
		if _, ok := countries.Lookup(c); !ok {
			return apperr.New(apperr.Unprocessable, "%q is not an ISO 3166-1 country", c).
				WithField(fmt.Sprintf("country.%d", i), "not an ISO 3166-1 country")
		}
	}
	return nil
}

// checkYears refuses a year range that ends before it starts.
//
// Errors: Invalid.
func checkYears(from, to *int) error {
	if from != nil && to != nil && *to < *from {
		return apperr.New(apperr.Invalid, "year_to (%d) is before year_from (%d)", *to, *from).WithField("year_to", "before year_from")
	}
	return nil
}

// yearBounds narrows stmt (observations as o) to periods starting in the years from–to.
func yearBounds(stmt *gorm.DB, from, to *int) *gorm.DB {
	if from != nil {
		stmt = stmt.Where("o.period_start >= make_date(?, 1, 1)", *from)
	}
	if to != nil {
		stmt = stmt.Where("o.period_start < make_date(?, 1, 1)", *to+1)
	}
	return stmt
}

// SeriesQuery chooses a series. Places: the Countries, the Regions and, with World, the
// world-level figures; none of them means every place with data. Empty Sex and AgeGroup mean
// "total"; a nil SourceID, each point from its preferred source.
type SeriesQuery struct {
	IndicatorID        uuid.UUID
	Countries, Regions []string
	World              bool
	SourceID           *uuid.UUID
	Sex, AgeGroup      string
	PeriodFrom         *time.Time // points whose period ends on or after
	PeriodTo           *time.Time // points whose period starts on or before
}

// Point is one value of a series.
type Point struct {
	ObservationID          uuid.UUID
	Period                 string
	PeriodStart, PeriodEnd time.Time
	Value                  float64
	Status                 string
	Flags                  []string
	SourceID               uuid.UUID
	Demo                   bool
}

// PlaceSeries is the series of one place.
type PlaceSeries struct {
	PlaceKind string
	PlaceCode string // "" for the world
	Points    []Point
}

// Series is one indicator over time, per place, with the sources its points come from.
type Series struct {
	Indicator IndicatorRef
	Sources   []SourceRef
	Places    []PlaceSeries
}

// Series returns one indicator over time for the chosen places, ordered by place (countries,
// regions, the world; each by code) and period.
//
// Errors: Unprocessable (unknown indicator, source or country; more than 50,000 points).
func (q *Queries) Series(ctx context.Context, sq SeriesQuery) (Series, error) {
	if err := checkCountries(sq.Countries); err != nil {
		return Series{}, err
	}
	tx := q.db.Conn(ctx)
	ind, err := q.indicator(tx, sq.IndicatorID)
	if err != nil {
		return Series{}, err
	}
	stmt := tx.Table("observations o").Joins("JOIN data_sources s ON s.id = o.source_id").
		Where("o.indicator_id = ? AND o.archived_at IS NULL AND s.archived_at IS NULL", sq.IndicatorID).
		Where("o.sex = ? AND o.age_group = ?", orTotal(sq.Sex), orTotal(sq.AgeGroup))
	if sq.SourceID != nil {
		if err := q.source(tx, *sq.SourceID); err != nil {
			return Series{}, err
		}
		stmt = stmt.Where("o.source_id = ?", *sq.SourceID)
	}
	if places, args := placeCondition(sq.Countries, sq.Regions, sq.World); places != "" {
		stmt = stmt.Where(places, args...)
	}
	if sq.PeriodFrom != nil {
		stmt = stmt.Where("o.period_end >= ?", sq.PeriodFrom.Format(time.DateOnly))
	}
	if sq.PeriodTo != nil {
		stmt = stmt.Where("o.period_start <= ?", sq.PeriodTo.Format(time.DateOnly))
	}
	var rows []struct {
		ID                     uuid.UUID
		PlaceKind, PlaceCode   string
		Period                 string
		PeriodStart, PeriodEnd time.Time
		Value                  float64
		Status                 string
		Flags                  pq.StringArray `gorm:"type:text[]"`
		SourceID               uuid.UUID
		Demo                   bool
	}
	if err := stmt.Select(`DISTINCT ON (o.place_kind, o.place_code, o.period_start, o.period_end)
			o.id, o.place_kind, o.place_code, o.period, o.period_start, o.period_end, o.value, o.status, o.flags, o.source_id, o.demo`).
		Order("o.place_kind, o.place_code, o.period_start, o.period_end, " + preferredSourceOrder).
		Limit(seriesMaxPoints + 1).Scan(&rows).Error; err != nil {
		return Series{}, fmt.Errorf("series of indicator %s: %w", sq.IndicatorID, err)
	}
	if len(rows) > seriesMaxPoints {
		return Series{}, apperr.New(apperr.Unprocessable, "the series has more than %d points: choose fewer places or a shorter period", seriesMaxPoints)
	}
	out := Series{Indicator: ind, Places: []PlaceSeries{}}
	var cited []uuid.UUID
	for _, r := range rows {
		n := len(out.Places)
		if n == 0 || out.Places[n-1].PlaceKind != r.PlaceKind || out.Places[n-1].PlaceCode != r.PlaceCode {
			out.Places = append(out.Places, PlaceSeries{PlaceKind: r.PlaceKind, PlaceCode: r.PlaceCode})
			n++
		}
		out.Places[n-1].Points = append(out.Places[n-1].Points, Point{ObservationID: r.ID, Period: r.Period,
			PeriodStart: r.PeriodStart.UTC(), PeriodEnd: r.PeriodEnd.UTC(), Value: r.Value, Status: r.Status,
			Flags: append([]string{}, r.Flags...), SourceID: r.SourceID, Demo: r.Demo})
		if !slices.Contains(cited, r.SourceID) {
			cited = append(cited, r.SourceID)
		}
	}
	out.Sources, err = q.sources(tx, cited)
	return out, err
}

func orTotal(s string) string {
	if s == "" {
		return "total"
	}
	return s
}

// placeCondition is the SQL condition (on observations as o) selecting the given places: any
// of the countries, the regions, and with world the world-level figures. "" selects every place.
func placeCondition(countries, regions []string, world bool) (string, []any) {
	var (
		or   []string
		args []any
	)
	if len(countries) > 0 {
		or = append(or, "(o.place_kind = 'country' AND o.place_code IN ?)")
		args = append(args, countries)
	}
	if len(regions) > 0 {
		or = append(or, "(o.place_kind = 'region' AND o.place_code IN ?)")
		args = append(args, regions)
	}
	if world {
		or = append(or, "o.place_kind = 'world'")
	}
	if len(or) == 0 {
		return "", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// Dimensions an aggregate may group by.
const (
	GroupCountry = "country"
	GroupRegion  = "region"
	GroupYear    = "year"
	GroupSex     = "sex"
	GroupSource  = "source"
)

// aggregateColumns are the columns of the picked observations each dimension groups by.
var aggregateColumns = map[string]string{
	GroupCountry: "place_code", GroupRegion: "place_code", GroupYear: "year", GroupSex: "sex", GroupSource: "source_id",
}

// AggregateQuery chooses what to aggregate. Empty Sexes mean "total" unless GroupBy has sex
// (then every sex); an empty AgeGroup, "total".
type AggregateQuery struct {
	IndicatorID        uuid.UUID
	GroupBy            []string
	Countries, Regions []string
	SourceID           *uuid.UUID
	Sexes              []string
	AgeGroup           string
	YearFrom, YearTo   *int
}

// Group is one group of an aggregate; only the dimensions grouped by are set.
type Group struct {
	Place    *string // country or region code
	Year     *int
	Sex      *string
	SourceID *uuid.UUID
	Total    float64
	Count    int64
	Latest   Latest
}

// Latest is the latest figure of a group (see the contract's StocktakeLatest).
type Latest struct {
	Value        float64
	Period       string
	PeriodEnd    time.Time
	SourceID     *uuid.UUID // nil when the figures summed come from several sources
	Observations int64
}

// Aggregate is an indicator's groups.
type Aggregate struct {
	Indicator IndicatorRef
	GroupBy   []string
	Sources   []SourceRef
	Groups    []Group
}

// Aggregate returns the totals and latest figures of one indicator, grouped, computed by
// PostgreSQL. Nothing is counted twice: see the contract's getStocktakeAggregates.
//
// Errors: Invalid (country and region together; year range backwards), Unprocessable (unknown
// indicator, source or country).
func (q *Queries) Aggregate(ctx context.Context, aq AggregateQuery) (Aggregate, error) {
	has := func(d string) bool { return slices.Contains(aq.GroupBy, d) }
	if has(GroupCountry) && has(GroupRegion) {
		return Aggregate{}, apperr.New(apperr.Invalid, "group by country or by region, not both").WithField("group_by", "country and region together")
	}
	if err := checkYears(aq.YearFrom, aq.YearTo); err != nil {
		return Aggregate{}, err
	}
	if err := checkCountries(aq.Countries); err != nil {
		return Aggregate{}, err
	}
	tx := q.db.Conn(ctx)
	ind, err := q.indicator(tx, aq.IndicatorID)
	if err != nil {
		return Aggregate{}, err
	}

	picked := tx.Table("observations o").Joins("JOIN data_sources s ON s.id = o.source_id").
		Where("o.indicator_id = ? AND o.archived_at IS NULL AND s.archived_at IS NULL", aq.IndicatorID).
		Where("o.age_group = ?", orTotal(aq.AgeGroup))
	if has(GroupRegion) {
		picked = picked.Where("o.place_kind = 'region'")
		if len(aq.Regions) > 0 {
			picked = picked.Where("o.place_code IN ?", aq.Regions)
		}
	} else {
		picked = picked.Where("o.place_kind = 'country'")
		if len(aq.Countries) > 0 {
			picked = picked.Where("o.place_code IN ?", aq.Countries)
		}
	}
	switch {
	case len(aq.Sexes) > 0:
		picked = picked.Where("o.sex IN ?", aq.Sexes)
	case !has(GroupSex):
		picked = picked.Where("o.sex = 'total'")
	}
	if aq.SourceID != nil {
		if err := q.source(tx, *aq.SourceID); err != nil {
			return Aggregate{}, err
		}
		picked = picked.Where("o.source_id = ?", *aq.SourceID)
	}
	picked = yearBounds(picked, aq.YearFrom, aq.YearTo)
	cols := "o.place_code, o.period, o.period_start, o.period_end, o.sex, o.age_group, o.source_id, o.value, extract(year FROM o.period_start)::int AS year"
	// One figure per place, period, sex and age group — from the preferred source — unless the
	// caller groups by source or names one.
	series := "place_code, sex, age_group, source_id"
	if !has(GroupSource) && aq.SourceID == nil {
		picked = picked.Select("DISTINCT ON (o.place_code, o.period_start, o.period_end, o.sex, o.age_group) " + cols).
			Order("o.place_code, o.period_start, o.period_end, o.sex, o.age_group, " + preferredSourceOrder)
		series = "place_code, sex, age_group"
	} else {
		picked = picked.Select(cols)
	}

	dims := make([]string, len(aq.GroupBy))
	for i, d := range aq.GroupBy {
		dims[i] = aggregateColumns[d]
	}
	keys := strings.Join(dims, ", ")
	latestCols := keys + ", value, period, period_start, period_end"
	if !has(GroupSource) {
		latestCols += ", source_id"
	}
	// latest: each series' most recent figure within its group.
	sql := `WITH picked AS (?),
latest AS (
    SELECT DISTINCT ON (` + keys + `, ` + series + `) ` + latestCols + `
    FROM picked ORDER BY ` + keys + `, ` + series + `, period_end DESC, period_start DESC
),
totals AS (SELECT ` + keys + `, sum(value) AS total, count(*) AS count FROM picked GROUP BY ` + keys + `),
latests AS (
    SELECT ` + keys + `, sum(value) AS latest_value, count(*) AS latest_observations,
        (array_agg(period ORDER BY period_end DESC, period_start DESC))[1] AS latest_period,
        max(period_end) AS latest_period_end,
        CASE WHEN count(DISTINCT source_id) = 1 THEN (array_agg(source_id))[1] END AS latest_source_id
    FROM latest GROUP BY ` + keys + `
)
SELECT * FROM totals JOIN latests USING (` + keys + `) ORDER BY ` + keys
	var rows []struct {
		PlaceCode          *string
		Year               *int
		Sex                *string
		SourceID           *uuid.UUID
		Total              float64
		Count              int64
		LatestValue        float64
		LatestObservations int64
		LatestPeriod       string
		LatestPeriodEnd    time.Time
		LatestSourceID     *uuid.UUID
	}
	if err := tx.Raw(sql, picked).Scan(&rows).Error; err != nil {
		return Aggregate{}, fmt.Errorf("aggregate indicator %s: %w", aq.IndicatorID, err)
	}
	out := Aggregate{Indicator: ind, GroupBy: aq.GroupBy, Groups: make([]Group, len(rows))}
	var cited []uuid.UUID
	cite := func(id *uuid.UUID) {
		if id != nil && !slices.Contains(cited, *id) {
			cited = append(cited, *id)
		}
	}
	for i, r := range rows {
		out.Groups[i] = Group{Place: r.PlaceCode, Year: r.Year, Sex: r.Sex, SourceID: r.SourceID, Total: r.Total, Count: r.Count,
			Latest: Latest{Value: r.LatestValue, Period: r.LatestPeriod, PeriodEnd: r.LatestPeriodEnd.UTC(),
				SourceID: r.LatestSourceID, Observations: r.LatestObservations}}
		cite(r.SourceID)
		cite(r.LatestSourceID)
	}
	out.Sources, err = q.sources(tx, cited)
	return out, err
}

// CoverageQuery chooses the span of the coverage matrix. Empty IndicatorIDs mean every active
// indicator; empty Countries, every country with data for any indicator; nil years, the first
// and last year with data for the chosen indicators.
type CoverageQuery struct {
	IndicatorIDs     []uuid.UUID
	Countries        []string
	YearFrom, YearTo *int
}

// Cell is one cell of the coverage matrix; SourceIDs is empty for an empty cell.
type Cell struct {
	IndicatorID uuid.UUID
	Country     string
	Year        int
	SourceIDs   []uuid.UUID
}

// Coverage is the coverage matrix: which sources cover each indicator, country and year.
type Coverage struct {
	Indicators []IndicatorRef
	Countries  []string
	Years      []int
	Sources    []SourceRef
	Covered    []Cell // in indicator, country, year order
	Empty      []Cell // likewise
}

// Coverage returns the coverage matrix of the chosen span. Observations of archived sources
// do not cover anything.
//
// Errors: Invalid (year range backwards or over 100 years), Unprocessable (unknown indicator or
// country; a matrix over 500,000 cells).
func (q *Queries) Coverage(ctx context.Context, cq CoverageQuery) (Coverage, error) {
	if err := checkYears(cq.YearFrom, cq.YearTo); err != nil {
		return Coverage{}, err
	}
	if cq.YearFrom != nil && cq.YearTo != nil && *cq.YearTo-*cq.YearFrom >= coverageMaxYears {
		return Coverage{}, apperr.New(apperr.Invalid, "the matrix spans at most %d years", coverageMaxYears).WithField("year_to", "too far from year_from")
	}
	if err := checkCountries(cq.Countries); err != nil {
		return Coverage{}, err
	}
	tx := q.db.Conn(ctx)
	inds, err := q.indicators(tx, cq.IndicatorIDs)
	if err != nil {
		return Coverage{}, err
	}
	out := Coverage{Indicators: inds, Countries: cq.Countries, Years: []int{}, Sources: []SourceRef{}, Covered: []Cell{}, Empty: []Cell{}}
	if len(inds) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(inds))
	for i, ind := range inds {
		ids[i] = ind.ID
	}
	if len(out.Countries) == 0 {
		if out.Countries, err = q.countriesWithData(tx); err != nil {
			return Coverage{}, err
		}
	} else {
		out.Countries = slices.Clone(out.Countries)
		slices.Sort(out.Countries)
		out.Countries = slices.Compact(out.Countries)
	}

	rows, err := q.coverageCells(ctx, ids, cq)
	if err != nil {
		return Coverage{}, err
	}

	// The sources cited, so that an archived one can be dropped.
	cited := map[uuid.UUID]bool{}
	for _, r := range rows {
		cited[r.SourceID] = true
	}
	srcs, err := q.sources(tx, mapKeys(cited))
	if err != nil {
		return Coverage{}, err
	}
	for _, s := range srcs {
		if s.Archived {
			delete(cited, s.ID)
			continue
		}
		out.Sources = append(out.Sources, s)
	}

	type key struct {
		ind     uuid.UUID
		country string
		year    int
	}
	covered := make(map[key][]uuid.UUID, len(rows))
	first, last := 0, 0
	for _, r := range rows {
		if !cited[r.SourceID] {
			continue
		}
		k := key{r.IndicatorID, r.Country, r.Year}
		covered[k] = append(covered[k], r.SourceID)
		if first == 0 || r.Year < first {
			first = r.Year
		}
		last = max(last, r.Year)
	}
	for _, s := range covered {
		slices.SortFunc(s, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	}
	if cq.YearFrom != nil {
		first = *cq.YearFrom
	}
	if cq.YearTo != nil {
		last = *cq.YearTo
	}
	if first == 0 || last == 0 {
		return out, nil // no data and no years asked for: an empty matrix
	}
	if last-first >= coverageMaxYears {
		first = last - coverageMaxYears + 1 // the most recent century of data
	}
	if cells := len(inds) * len(out.Countries) * (last - first + 1); cells > coverageMaxCells {
		return Coverage{}, apperr.New(apperr.Unprocessable, "the matrix would have %d cells (at most %d): choose fewer indicators, countries or years", cells, coverageMaxCells)
	}
	for y := first; y <= last; y++ {
		out.Years = append(out.Years, y)
	}
	for _, ind := range inds {
		for _, c := range out.Countries {
			for _, y := range out.Years {
				if s, ok := covered[key{ind.ID, c, y}]; ok {
					out.Covered = append(out.Covered, Cell{IndicatorID: ind.ID, Country: c, Year: y, SourceIDs: s})
				} else {
					out.Empty = append(out.Empty, Cell{IndicatorID: ind.ID, Country: c, Year: y})
				}
			}
		}
	}
	return out, nil
}

// coverageRow says that a source has data for an indicator, country and year.
type coverageRow struct {
	IndicatorID uuid.UUID
	Country     string
	Year        int
	SourceID    uuid.UUID
}

// coverageCells returns which sources have active data for the indicators ids, per country
// and year, within the span of cq: a read of the observation_coverage rollup (see migration
// 00007), not of the observations. It reads through pgx rather than GORM: a matrix has tens of
// thousands of (cell, source) rows, and scanning them by reflection cost as much as the query.
func (q *Queries) coverageCells(ctx context.Context, ids []uuid.UUID, cq CoverageQuery) ([]coverageRow, error) {
	sql := `SELECT indicator_id, place_code, year, source_id FROM observation_coverage
WHERE indicator_id = ANY($1) AND place_kind = 'country' AND observations > 0`
	args := []any{ids}
	if len(cq.Countries) > 0 {
		args = append(args, cq.Countries)
		sql += fmt.Sprintf(" AND place_code = ANY($%d)", len(args))
	}
	if cq.YearFrom != nil {
		args = append(args, *cq.YearFrom)
		sql += fmt.Sprintf(" AND year >= $%d", len(args))
	}
	if cq.YearTo != nil {
		args = append(args, *cq.YearTo)
		sql += fmt.Sprintf(" AND year <= $%d", len(args))
	}
	pgRows, err := q.db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer pgRows.Close()
	var out []coverageRow
	for pgRows.Next() {
		var r coverageRow
		if err := pgRows.Scan(&r.IndicatorID, &r.Country, &r.Year, &r.SourceID); err != nil {
			return nil, fmt.Errorf("coverage row: %w", err)
		}
		out = append(out, r)
	}
	if err := pgRows.Err(); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return out, nil
}

// countriesWithData returns, in code order, the countries of residence with at least one
// active observation of any indicator: a skip scan of the place index, one probe per country
// rather than a pass over every observation.
func (q *Queries) countriesWithData(tx *gorm.DB) ([]string, error) {
	var out []string
	err := tx.Raw(`WITH RECURSIVE c(code) AS (
    (SELECT place_code FROM observations WHERE place_kind = 'country' AND archived_at IS NULL ORDER BY place_code LIMIT 1)
    UNION ALL
    SELECT (SELECT place_code FROM observations
            WHERE place_kind = 'country' AND archived_at IS NULL AND place_code > c.code ORDER BY place_code LIMIT 1)
    FROM c WHERE c.code IS NOT NULL
)
SELECT code FROM c WHERE code IS NOT NULL`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("countries with data: %w", err)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
