package stocktake

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
)

// The stocktaking report gathers, for people who read it rather than query it, what the catalogue
// and the statistics store hold: headline figures, the sources and their quality, what the
// observations cover, and the gaps. It is built by six statements whatever the size of the store
// (indicators with their coverage, the countries each covers, the headlines, the sources, the
// gap counts, the open gaps), inside one read-only repeatable-read transaction so that every
// number in it comes from the same snapshot.
//
// Archived rows never count, and neither do observations of an archived indicator or source: a
// report must not cite what its own source list leaves out.

// ReportHeadlinePlace is the country whose latest figure stands in for an indicator without a
// world-level one.
const ReportHeadlinePlace = "PE"

// ReportSource is a data source with its quality assessment: the three scores are all nil when
// it has not been assessed.
type ReportSource struct {
	ID                                      uuid.UUID
	Code                                    string
	TitleES, TitleEN                        *string
	Type, Access                            string
	Timeliness, Completeness, Comparability *int
	Caveats                                 []string
	Demo                                    bool
}

// QualityScore is the sum of the three scores (3–15), or nil when the source is not assessed.
func (s ReportSource) QualityScore() *int {
	if s.Timeliness == nil || s.Completeness == nil || s.Comparability == nil {
		return nil
	}
	sum := *s.Timeliness + *s.Completeness + *s.Comparability
	return &sum
}

// ReportHeadline is an indicator's headline figure: its latest world-level total, or else its
// latest total for ReportHeadlinePlace. Only totals (sex and age group "total") qualify, since
// the figure is shown without either.
type ReportHeadline struct {
	Indicator IndicatorRef
	PlaceKind string  // PlaceWorld or PlaceCountry
	Country   *string // with PlaceCountry
	Value     float64
	Period    string
	PeriodEnd time.Time
	Status    string
	Flags     []string
	Note      *string
	Source    ReportSource
	Demo      bool
}

// ReportCount is how many sources have one value of a vocabulary.
type ReportCount struct {
	Key   string
	Count int
}

// ReportSources describes the catalogue: every active source by code, counted by type and by
// access (every value of each vocabulary, in its order, even at zero), and the average scores
// of the assessed ones (nil when none is).
type ReportSources struct {
	Total                                                        int
	ByType, ByAccess                                             []ReportCount
	Assessed                                                     int
	AverageTimeliness, AverageCompleteness, AverageComparability *float64
	Items                                                        []ReportSource
}

// ReportRegionCoverage is how many of a world region's countries an indicator has data for.
type ReportRegionCoverage struct {
	Region         string // one of countries.WorldRegions
	Covered, Total int
}

// ReportCoverage is what the observations of one indicator cover. Years are those the periods
// start in; they are nil without observations.
type ReportCoverage struct {
	Indicator           IndicatorRef
	Observations        int64
	FirstYear, LastYear *int
	Countries           int                    // countries of residence with at least one observation
	Regions             []ReportRegionCoverage // every world region, in countries.WorldRegions order
	// Demo: the indicator, or one of the observations counted, is demo data.
	Demo bool
}

// ReportGapCount counts the gaps of one priority by status.
type ReportGapCount struct {
	Priority                     string
	Open, BeingAddressed, Closed int
}

// ReportGap is a data gap still to close.
type ReportGap struct {
	ID                                 uuid.UUID
	Code                               string
	DescriptionES, DescriptionEN       *string
	RecommendationES, RecommendationEN *string
	Priority, Status                   string
	Countries                          []string
	Demo                               bool
}

// ReportGaps counts every active gap by priority (high, medium, low) and status, and lists those
// not closed, by priority (high first) then code.
type ReportGaps struct {
	Total      int
	ByPriority []ReportGapCount
	Items      []ReportGap
	// Demo: one of the gaps counted is demo data.
	Demo bool
}

// Report is the stocktaking report.
type Report struct {
	GeneratedAt time.Time
	Headlines   []ReportHeadline // by indicator code
	Sources     ReportSources
	Coverage    []ReportCoverage // by indicator code
	Gaps        ReportGaps
	// ContainsDemo: some figure, indicator, source or gap the report shows or counts is demo data,
	// so readers must be warned that it is not all real.
	ContainsDemo bool
}

// Reporter builds the stocktaking report.
type Reporter struct{ db *database.DB }

// NewReporter returns a Reporter over db.
func NewReporter(db *database.DB) *Reporter { return &Reporter{db: db} }

// Report builds the report as the database stands now.
//
// Errors: only unexpected ones (the database failing).
func (r *Reporter) Report(ctx context.Context) (Report, error) {
	rep := Report{GeneratedAt: time.Now().UTC()}
	err := r.db.Conn(ctx).Transaction(func(tx *gorm.DB) error {
		coverage, err := reportCoverage(tx)
		if err != nil {
			return err
		}
		if rep.Headlines, err = reportHeadlines(tx, coverage); err != nil {
			return err
		}
		if rep.Sources, err = reportSources(tx); err != nil {
			return err
		}
		if rep.Gaps, err = reportGaps(tx); err != nil {
			return err
		}
		rep.Coverage = coverage
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Report{}, err
	}
	rep.ContainsDemo = rep.containsDemo()
	return rep, nil
}

func (rep Report) containsDemo() bool {
	if rep.Gaps.Demo {
		return true
	}
	for _, h := range rep.Headlines {
		if h.Demo || h.Source.Demo {
			return true
		}
	}
	for _, s := range rep.Sources.Items {
		if s.Demo {
			return true
		}
	}
	for _, c := range rep.Coverage {
		if c.Demo {
			return true
		}
	}
	return false
}

// reportActiveObservations joins the observations that count (active, of an active indicator and
// source) as o, with their indicator as i and source as s.
const reportActiveObservations = `observations o
    JOIN indicators i ON i.id = o.indicator_id AND i.archived_at IS NULL
    JOIN data_sources s ON s.id = o.source_id AND s.archived_at IS NULL`

// reportActiveCoverage is the coverage rollup (migration 00007: active observations counted per
// indicator, place, year and source) as r, restricted to active sources, ending in a WHERE
// clause a caller may extend with AND. Reading it rather than the observations keeps the report
// a few milliseconds at a million observations.
const reportActiveCoverage = `observation_coverage r
    JOIN data_sources s ON s.id = r.source_id AND s.archived_at IS NULL
    WHERE r.observations > 0`

// reportCoverage loads every active indicator, by code, with what its observations cover.
func reportCoverage(tx *gorm.DB) ([]ReportCoverage, error) {
	var rows []struct {
		IndicatorRef        `gorm:"embedded"`
		Demo                bool
		Observations        int64
		FirstYear, LastYear *int
	}
	if err := tx.Raw(`SELECT i.id, i.code, i.name_es, i.name_en, i.unit, i.measure,
		    i.demo OR coalesce(c.demo, false) AS demo, coalesce(c.observations, 0) AS observations,
		    c.first_year, c.last_year
		FROM indicators i
		LEFT JOIN (
		    SELECT r.indicator_id, sum(r.observations) AS observations, sum(r.demo_observations) > 0 AS demo,
		        min(r.year) AS first_year, max(r.year) AS last_year
		    FROM ` + reportActiveCoverage + `
		    GROUP BY r.indicator_id
		) c ON c.indicator_id = i.id
		WHERE i.archived_at IS NULL
		ORDER BY i.code`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("report coverage: %w", err)
	}
	covered, err := reportCountries(tx)
	if err != nil {
		return nil, err
	}
	sizes := countries.RegionSizes()
	out := make([]ReportCoverage, len(rows))
	for i, row := range rows {
		c := ReportCoverage{Indicator: row.IndicatorRef, Observations: row.Observations,
			FirstYear: row.FirstYear, LastYear: row.LastYear, Demo: row.Demo}
		perRegion := map[string]int{}
		for _, code := range covered[row.ID] {
			perRegion[countries.WorldRegion(code)]++
		}
		c.Countries = len(covered[row.ID])
		c.Regions = make([]ReportRegionCoverage, len(countries.WorldRegions))
		for j, region := range countries.WorldRegions {
			c.Regions[j] = ReportRegionCoverage{Region: region, Covered: perRegion[region], Total: sizes[region]}
		}
		out[i] = c
	}
	return out, nil
}

// reportCountries returns the countries of residence each indicator has observations for: at
// most one row per indicator and country, whatever the number of observations.
func reportCountries(tx *gorm.DB) (map[uuid.UUID][]string, error) {
	var rows []struct {
		IndicatorID uuid.UUID
		Country     string
	}
	if err := tx.Raw(`SELECT DISTINCT r.indicator_id, r.place_code AS country
		FROM ` + reportActiveCoverage + `
		AND r.place_kind = 'country'`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("report countries covered: %w", err)
	}
	out := map[uuid.UUID][]string{}
	for _, r := range rows {
		out[r.IndicatorID] = append(out[r.IndicatorID], r.Country)
	}
	return out, nil
}

// reportHeadlines picks each indicator's headline in one statement: among its totals for the
// world or ReportHeadlinePlace, world-level ones first, then the latest period end, then the
// preferred source — best quality assessment (unassessed last), then a final value before a
// provisional one before an estimate, then the source code. Headlines follow the order of
// indicators.
func reportHeadlines(tx *gorm.DB, indicators []ReportCoverage) ([]ReportHeadline, error) {
	var rows []struct {
		IndicatorID uuid.UUID
		PlaceKind   string
		PlaceCode   string
		Value       float64
		Period      string
		PeriodEnd   time.Time
		Status      string
		Flags       pq.StringArray `gorm:"type:text[]"`
		Note        *string
		Demo        bool
		Source      reportSourceRow `gorm:"embedded;embeddedPrefix:source_"`
	}
	if err := tx.Raw(`SELECT DISTINCT ON (o.indicator_id)
		    o.indicator_id, o.place_kind, o.place_code, o.value, o.period, o.period_end, o.status, o.flags,
		    o.note, o.demo, s.id AS source_id, s.code AS source_code, s.title_es AS source_title_es,
		    s.title_en AS source_title_en, s.type AS source_type, s.access AS source_access,
		    s.timeliness_score AS source_timeliness_score, s.completeness_score AS source_completeness_score,
		    s.comparability_score AS source_comparability_score, s.caveats AS source_caveats, s.demo AS source_demo
		FROM `+reportActiveObservations+`
		WHERE o.archived_at IS NULL AND o.sex = 'total' AND o.age_group = 'total'
		    AND (o.place_kind = 'world' OR (o.place_kind = 'country' AND o.place_code = ?))
		ORDER BY o.indicator_id, o.place_kind = 'world' DESC, o.period_end DESC,
		    s.timeliness_score + s.completeness_score + s.comparability_score DESC NULLS LAST,
		    CASE o.status WHEN 'final' THEN 0 WHEN 'provisional' THEN 1 ELSE 2 END, s.code, o.period_start`,
		ReportHeadlinePlace).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("report headlines: %w", err)
	}
	byIndicator := make(map[uuid.UUID]int, len(rows))
	for i, r := range rows {
		byIndicator[r.IndicatorID] = i
	}
	out := []ReportHeadline{}
	for _, c := range indicators {
		i, ok := byIndicator[c.Indicator.ID]
		if !ok {
			continue
		}
		r := rows[i]
		h := ReportHeadline{Indicator: c.Indicator, PlaceKind: r.PlaceKind, Value: r.Value, Period: r.Period,
			PeriodEnd: r.PeriodEnd.UTC(), Status: r.Status, Flags: append([]string{}, r.Flags...), Note: r.Note,
			Source: r.Source.source(), Demo: r.Demo}
		if r.PlaceKind == PlaceCountry {
			code := r.PlaceCode
			h.Country = &code
		}
		out = append(out, h)
	}
	return out, nil
}

// reportSourceRow is how a data source of the report reads from its table.
type reportSourceRow struct {
	ID                 uuid.UUID
	Code               string
	TitleES            *string `gorm:"column:title_es"`
	TitleEN            *string `gorm:"column:title_en"`
	Type, Access       string
	TimelinessScore    *int
	CompletenessScore  *int
	ComparabilityScore *int
	Caveats            pq.StringArray `gorm:"type:text[]"`
	Demo               bool
}

func (r reportSourceRow) source() ReportSource {
	return ReportSource{ID: r.ID, Code: r.Code, TitleES: r.TitleES, TitleEN: r.TitleEN, Type: r.Type, Access: r.Access,
		Timeliness: r.TimelinessScore, Completeness: r.CompletenessScore, Comparability: r.ComparabilityScore,
		Caveats: append([]string{}, r.Caveats...), Demo: r.Demo}
}

// reportSources loads every active source and counts them. A catalogue holds tens or hundreds of
// sources and the report lists each, so the counts are taken from that one list.
func reportSources(tx *gorm.DB) (ReportSources, error) {
	var rows []reportSourceRow
	if err := tx.Raw(`SELECT id, code, title_es, title_en, type, access, timeliness_score, completeness_score,
		    comparability_score, caveats, demo
		FROM data_sources WHERE archived_at IS NULL ORDER BY code`).Scan(&rows).Error; err != nil {
		return ReportSources{}, fmt.Errorf("report sources: %w", err)
	}
	out := ReportSources{Total: len(rows), Items: make([]ReportSource, len(rows))}
	byType, byAccess := map[string]int{}, map[string]int{}
	var timeliness, completeness, comparability int
	for i, r := range rows {
		s := r.source()
		out.Items[i] = s
		byType[s.Type]++
		byAccess[s.Access]++
		if s.QualityScore() != nil {
			out.Assessed++
			timeliness += *s.Timeliness
			completeness += *s.Completeness
			comparability += *s.Comparability
		}
	}
	out.ByType = reportCounts(SourceTypes, byType)
	out.ByAccess = reportCounts(SourceAccesses, byAccess)
	if out.Assessed > 0 {
		out.AverageTimeliness = reportAverage(timeliness, out.Assessed)
		out.AverageCompleteness = reportAverage(completeness, out.Assessed)
		out.AverageComparability = reportAverage(comparability, out.Assessed)
	}
	return out, nil
}

// reportCounts lists counts for every value of vocabulary, in its order.
func reportCounts(vocabulary []string, counts map[string]int) []ReportCount {
	out := make([]ReportCount, len(vocabulary))
	for i, k := range vocabulary {
		out[i] = ReportCount{Key: k, Count: counts[k]}
	}
	return out
}

func reportAverage(sum, n int) *float64 {
	avg := float64(sum) / float64(n)
	return &avg
}

// reportGaps counts the active gaps by priority and status, and lists those not closed.
func reportGaps(tx *gorm.DB) (ReportGaps, error) {
	var counts []struct {
		Priority, Status string
		N                int
		Demo             bool
	}
	if err := tx.Raw(`SELECT priority, status, count(*) AS n, bool_or(demo) AS demo
		FROM data_gaps WHERE archived_at IS NULL GROUP BY priority, status`).Scan(&counts).Error; err != nil {
		return ReportGaps{}, fmt.Errorf("report gap counts: %w", err)
	}
	out := ReportGaps{ByPriority: make([]ReportGapCount, len(GapPriorities))}
	for i, p := range GapPriorities {
		out.ByPriority[i].Priority = p
	}
	for _, c := range counts {
		i := slices.Index(GapPriorities, c.Priority)
		if i < 0 {
			continue // the table's check constraint allows only the three
		}
		switch c.Status {
		case "open":
			out.ByPriority[i].Open += c.N
		case "being_addressed":
			out.ByPriority[i].BeingAddressed += c.N
		case "closed":
			out.ByPriority[i].Closed += c.N
		}
		out.Total += c.N
		out.Demo = out.Demo || c.Demo
	}
	var rows []struct {
		ID               uuid.UUID
		Code             string
		DescriptionES    *string `gorm:"column:description_es"`
		DescriptionEN    *string `gorm:"column:description_en"`
		RecommendationES *string `gorm:"column:recommendation_es"`
		RecommendationEN *string `gorm:"column:recommendation_en"`
		Priority, Status string
		Countries        pq.StringArray `gorm:"type:text[]"`
		Demo             bool
	}
	if err := tx.Raw(`SELECT id, code, description_es, description_en, recommendation_es, recommendation_en,
		    priority, status, countries, demo
		FROM data_gaps WHERE archived_at IS NULL AND status <> 'closed'
		ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, code`).Scan(&rows).Error; err != nil {
		return ReportGaps{}, fmt.Errorf("report open gaps: %w", err)
	}
	out.Items = make([]ReportGap, len(rows))
	for i, r := range rows {
		out.Items[i] = ReportGap{ID: r.ID, Code: r.Code, DescriptionES: r.DescriptionES, DescriptionEN: r.DescriptionEN,
			RecommendationES: r.RecommendationES, RecommendationEN: r.RecommendationEN, Priority: r.Priority,
			Status: r.Status, Countries: append([]string{}, r.Countries...), Demo: r.Demo}
	}
	return out, nil
}
