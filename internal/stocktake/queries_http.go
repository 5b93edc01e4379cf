package stocktake

import (
	"context"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
)

// GetStocktakeSeries returns one indicator over time, per place.
func (h *Handlers) GetStocktakeSeries(ctx context.Context, req api.GetStocktakeSeriesRequestObject) (api.GetStocktakeSeriesResponseObject, error) {
	p := req.Params
	sq := SeriesQuery{IndicatorID: p.IndicatorId, SourceID: p.SourceId,
		PeriodFrom: apiconv.Day(p.PeriodFrom), PeriodTo: apiconv.Day(p.PeriodTo)}
	if p.Country != nil {
		sq.Countries = *p.Country
	}
	if p.Region != nil {
		sq.Regions = *p.Region
	}
	if p.World != nil {
		sq.World = *p.World
	}
	if p.Sex != nil {
		sq.Sex = string(*p.Sex)
	}
	if p.AgeGroup != nil {
		sq.AgeGroup = *p.AgeGroup
	}
	s, err := NewQueries(h.db).Series(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := api.GetStocktakeSeries200JSONResponse{Indicator: indicatorRefToAPI(s.Indicator), Sources: sourceRefsToAPI(s.Sources),
		Series: make([]api.StocktakePlaceSeries, len(s.Places))}
	for i, ps := range s.Places {
		ser := api.StocktakePlaceSeries{PlaceKind: api.PlaceKind(ps.PlaceKind), Points: make([]api.StocktakePoint, len(ps.Points))}
		code := ps.PlaceCode
		switch ps.PlaceKind {
		case PlaceCountry:
			ser.Country = &code
		case PlaceRegion:
			ser.Region = &code
		}
		for j, pt := range ps.Points {
			ser.Points[j] = api.StocktakePoint{ObservationId: pt.ObservationID, Period: pt.Period,
				PeriodStart: openapi_types.Date{Time: pt.PeriodStart}, PeriodEnd: openapi_types.Date{Time: pt.PeriodEnd},
				Value: pt.Value, Status: api.ObservationStatus(pt.Status), Flags: flagsToAPI(pt.Flags), SourceId: pt.SourceID, Demo: pt.Demo}
		}
		out.Series[i] = ser
	}
	return out, nil
}

// GetStocktakeAggregates returns the totals and latest values of one indicator, grouped.
func (h *Handlers) GetStocktakeAggregates(ctx context.Context, req api.GetStocktakeAggregatesRequestObject) (api.GetStocktakeAggregatesResponseObject, error) {
	p := req.Params
	aq := AggregateQuery{IndicatorID: p.IndicatorId, GroupBy: apiconv.Strings(&p.GroupBy), SourceID: p.SourceId,
		Sexes: apiconv.Strings(p.Sex), YearFrom: p.YearFrom, YearTo: p.YearTo}
	if p.Country != nil {
		aq.Countries = *p.Country
	}
	if p.Region != nil {
		aq.Regions = *p.Region
	}
	if p.AgeGroup != nil {
		aq.AgeGroup = *p.AgeGroup
	}
	a, err := NewQueries(h.db).Aggregate(ctx, aq)
	if err != nil {
		return nil, err
	}
	out := api.GetStocktakeAggregates200JSONResponse{Indicator: indicatorRefToAPI(a.Indicator), GroupBy: a.GroupBy,
		Sources: sourceRefsToAPI(a.Sources), Groups: make([]api.StocktakeGroup, len(a.Groups))}
	byRegion := false
	for _, d := range a.GroupBy {
		byRegion = byRegion || d == GroupRegion
	}
	for i, g := range a.Groups {
		ag := api.StocktakeGroup{Year: g.Year, SourceId: g.SourceID, Total: g.Total, Count: g.Count,
			Latest: api.StocktakeLatest{Value: g.Latest.Value, Period: g.Latest.Period,
				PeriodEnd: openapi_types.Date{Time: g.Latest.PeriodEnd}, SourceId: g.Latest.SourceID, Observations: g.Latest.Observations}}
		if byRegion {
			ag.Region = g.Place
		} else {
			ag.Country = g.Place
		}
		if g.Sex != nil {
			sex := api.ObservationSex(*g.Sex)
			ag.Sex = &sex
		}
		out.Groups[i] = ag
	}
	return out, nil
}

// GetStocktakeCoverage returns the coverage matrix.
func (h *Handlers) GetStocktakeCoverage(ctx context.Context, req api.GetStocktakeCoverageRequestObject) (api.GetStocktakeCoverageResponseObject, error) {
	p := req.Params
	cq := CoverageQuery{YearFrom: p.YearFrom, YearTo: p.YearTo}
	if p.IndicatorId != nil {
		cq.IndicatorIDs = *p.IndicatorId
	}
	if p.Country != nil {
		cq.Countries = *p.Country
	}
	c, err := NewQueries(h.db).Coverage(ctx, cq)
	if err != nil {
		return nil, err
	}
	out := api.GetStocktakeCoverage200JSONResponse{Countries: c.Countries, Years: c.Years, Sources: sourceRefsToAPI(c.Sources),
		Indicators: make([]api.StocktakeIndicatorRef, len(c.Indicators)),
		Cells:      cellsToAPI(c.Covered), Empty: cellsToAPI(c.Empty),
		TotalCells: len(c.Covered) + len(c.Empty)}
	for i, ind := range c.Indicators {
		out.Indicators[i] = indicatorRefToAPI(ind)
	}
	return out, nil
}

func cellsToAPI(cells []Cell) []api.StocktakeCell {
	out := make([]api.StocktakeCell, len(cells))
	for i, c := range cells {
		out[i] = api.StocktakeCell{IndicatorId: c.IndicatorID, Country: c.Country, Year: c.Year}
		if len(c.SourceIDs) > 0 {
			ids := []uuid.UUID(c.SourceIDs)
			out[i].SourceIds = &ids
		}
	}
	return out
}

func indicatorRefToAPI(r IndicatorRef) api.StocktakeIndicatorRef {
	return api.StocktakeIndicatorRef{Id: r.ID, Code: r.Code, Name: api.LocalizedText{Es: r.NameES, En: r.NameEN},
		Unit: r.Unit, Measure: api.IndicatorMeasure(r.Measure)}
}

func sourceRefsToAPI(refs []SourceRef) []api.StocktakeSourceRef {
	out := make([]api.StocktakeSourceRef, len(refs))
	for i, r := range refs {
		out[i] = api.StocktakeSourceRef{Id: r.ID, Code: r.Code, Title: api.LocalizedText{Es: r.TitleES, En: r.TitleEN},
			Type: api.DataSourceType(r.Type), Access: api.DataSourceAccess(r.Access), QualityScore: r.QualityScore, Demo: r.Demo}
	}
	return out
}

func flagsToAPI(flags []string) []api.ObservationFlag {
	out := make([]api.ObservationFlag, len(flags))
	for i, f := range flags {
		out[i] = api.ObservationFlag(f)
	}
	return out
}
