package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/stocktake"
)

// demoAssessor is who made the quality assessments of the demo data sources: nobody, really.
const demoAssessor = "Puente demo (demo assessment, not an expert review)"

// loadStocktake creates the demo data sources, indicators, observations and data gaps through the
// stocktake services, so they obey the same rules and leave the same audit trail as anyone's
// writes. Like every record of the demo loader they are marked demo; the note of each observation
// says whether a seed states its value. units maps institution codes to ids.
func loadStocktake(ctx context.Context, db *database.DB, tree *institutions.Service, units map[string]uuid.UUID) error {
	sources := map[string]uuid.UUID{}
	ssvc := stocktake.NewSourceService(db, tree)
	for _, d := range StocktakeSources {
		f := stocktake.SourceFields{Code: d.Code, TitleES: opt(d.TitleES), TitleEN: opt(d.TitleEN),
			DescriptionES: opt(d.DescriptionES), DescriptionEN: opt(d.DescriptionEN), Type: d.Type,
			SpatialCoverage: d.SpatialCoverage, Periodicity: opt(d.Periodicity), Disaggregations: d.Disaggregations,
			Access: d.Access, Licence: opt(d.Licence), Format: opt(d.Format), LandingURL: opt(d.LandingURL),
			Caveats: d.Caveats, Demo: true}
		if d.Publisher != "" {
			id, ok := units[d.Publisher]
			if !ok {
				return fmt.Errorf("demo data source %s: unknown institution %s", d.Code, d.Publisher)
			}
			f.PublisherID = &id
		}
		if d.CoverageStart != "" {
			t, err := time.Parse(time.DateOnly, d.CoverageStart)
			if err != nil {
				return fmt.Errorf("demo data source %s: %w", d.Code, err)
			}
			f.CoverageStart = &t
		}
		if q := d.Quality; q != nil {
			f.Quality = &stocktake.SourceQuality{
				Timeliness:    stocktake.SourceScore{Score: q.Timeliness, Note: opt(q.TimelinessNote)},
				Completeness:  stocktake.SourceScore{Score: q.Completeness, Note: opt(q.CompletenessNote)},
				Comparability: stocktake.SourceScore{Score: q.Comparability, Note: opt(q.ComparabilityNote)},
				AssessedBy:    opt(demoAssessor),
			}
		}
		src, err := ssvc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo data source %s: %w", d.Code, err)
		}
		sources[d.Code] = src.ID
	}

	indicators := map[string]uuid.UUID{}
	isvc := stocktake.NewIndicatorService(db)
	for _, d := range StocktakeIndicators {
		ind, err := isvc.Create(ctx, stocktake.IndicatorFields{Code: d.Code, NameES: opt(d.NameES), NameEN: opt(d.NameEN),
			Unit: d.Unit, DefinitionES: opt(d.DefinitionES), DefinitionEN: opt(d.DefinitionEN), Measure: d.Measure, Demo: true})
		if err != nil {
			return fmt.Errorf("demo indicator %s: %w", d.Code, err)
		}
		indicators[d.Code] = ind.ID
	}

	osvc := stocktake.NewObservationService(db, tree)
	for _, d := range StocktakeObservations {
		name := fmt.Sprintf("demo observation %s/%s/%s/%s", d.Indicator, d.Source, d.Period, d.Country)
		// A value no seed states must say so first thing and is marked demo; one a seed states is
		// a fact, not demo, and must cite it.
		invented := strings.HasPrefix(d.Note, DemoValueNote)
		switch {
		case d.Seed == "" && !invented:
			return fmt.Errorf("%s: no seed states the value, so the note must begin %q", name, DemoValueNote)
		case d.Seed != "" && (invented || !strings.Contains(d.Note, "seed "+d.Seed)):
			return fmt.Errorf("%s: the note must cite seed %s, which states the value", name, d.Seed)
		}
		ind, ok := indicators[d.Indicator]
		if !ok {
			return fmt.Errorf("%s: unknown indicator", name)
		}
		src, ok := sources[d.Source]
		if !ok {
			return fmt.Errorf("%s: unknown data source", name)
		}
		f := stocktake.ObservationFields{IndicatorID: ind, SourceID: src, Period: d.Period, Value: d.Value,
			Status: d.Status, Flags: d.Flags, Note: opt(d.Note), Demo: d.Seed == ""}
		if d.Country == "" {
			f.PlaceKind = stocktake.PlaceWorld
		} else {
			f.PlaceKind, f.Country = stocktake.PlaceCountry, opt(d.Country)
		}
		if _, created, err := osvc.Upsert(ctx, f); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		} else if !created {
			return fmt.Errorf("%s: listed twice", name)
		}
	}

	gsvc := stocktake.NewGapService(db)
	for _, d := range StocktakeGaps {
		f := stocktake.GapFields{Code: d.Code, DescriptionES: opt(d.DescriptionES), DescriptionEN: opt(d.DescriptionEN),
			Countries: d.Countries, Groups: opt(d.Groups), RecommendationES: opt(d.RecommendationES),
			RecommendationEN: opt(d.RecommendationEN), Priority: d.Priority, Demo: true}
		for _, c := range d.Indicators {
			id, ok := indicators[c]
			if !ok {
				return fmt.Errorf("demo data gap %s: unknown indicator %s", d.Code, c)
			}
			f.IndicatorIDs = append(f.IndicatorIDs, id)
		}
		for _, c := range d.Sources {
			id, ok := sources[c]
			if !ok {
				return fmt.Errorf("demo data gap %s: unknown data source %s", d.Code, c)
			}
			f.SourceIDs = append(f.SourceIDs, id)
		}
		if _, err := gsvc.Create(ctx, f); err != nil {
			return fmt.Errorf("demo data gap %s: %w", d.Code, err)
		}
	}
	return nil
}
