package stocktake

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

func (h *Handlers) ListIndicators(ctx context.Context, req api.ListIndicatorsRequestObject) (api.ListIndicatorsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateIndicator(ctx context.Context, req api.CreateIndicatorRequestObject) (api.CreateIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetIndicator(ctx context.Context, req api.GetIndicatorRequestObject) (api.GetIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateIndicator(ctx context.Context, req api.UpdateIndicatorRequestObject) (api.UpdateIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveIndicator(ctx context.Context, req api.ArchiveIndicatorRequestObject) (api.ArchiveIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ListCountries(ctx context.Context, req api.ListCountriesRequestObject) (api.ListCountriesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
