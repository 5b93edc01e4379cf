package stocktake

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

func (h *Handlers) ListDataSources(ctx context.Context, req api.ListDataSourcesRequestObject) (api.ListDataSourcesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateDataSource(ctx context.Context, req api.CreateDataSourceRequestObject) (api.CreateDataSourceResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetDataSource(ctx context.Context, req api.GetDataSourceRequestObject) (api.GetDataSourceResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateDataSource(ctx context.Context, req api.UpdateDataSourceRequestObject) (api.UpdateDataSourceResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveDataSource(ctx context.Context, req api.ArchiveDataSourceRequestObject) (api.ArchiveDataSourceResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
