package stocktake

import (
	"context"
	"errors"

	"github.com/puente-mre/puente/api"
)

// GetStocktakeSeries returns one indicator over time, per place.
func (h *Handlers) GetStocktakeSeries(ctx context.Context, req api.GetStocktakeSeriesRequestObject) (api.GetStocktakeSeriesResponseObject, error) {
	return nil, errors.New("not implemented")
}

// GetStocktakeAggregates returns the totals and latest values of one indicator, grouped.
func (h *Handlers) GetStocktakeAggregates(ctx context.Context, req api.GetStocktakeAggregatesRequestObject) (api.GetStocktakeAggregatesResponseObject, error) {
	return nil, errors.New("not implemented")
}

// GetStocktakeCoverage returns the coverage matrix.
func (h *Handlers) GetStocktakeCoverage(ctx context.Context, req api.GetStocktakeCoverageRequestObject) (api.GetStocktakeCoverageResponseObject, error) {
	return nil, errors.New("not implemented")
}
