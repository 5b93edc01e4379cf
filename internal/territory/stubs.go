package territory

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportServicePoints is not built yet. TODO(issue 8).
func (h *Handlers) ExportServicePoints(ctx context.Context, req api.ExportServicePointsRequestObject) (api.ExportServicePointsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportServicePoints is not built yet")
}

// ListRegions is not built yet. TODO(issue 8).
func (h *Handlers) ListRegions(ctx context.Context, req api.ListRegionsRequestObject) (api.ListRegionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListRegions is not built yet")
}

// ListServicePoints is not built yet. TODO(issue 8).
func (h *Handlers) ListServicePoints(ctx context.Context, req api.ListServicePointsRequestObject) (api.ListServicePointsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListServicePoints is not built yet")
}

// CreateServicePoint is not built yet. TODO(issue 8).
func (h *Handlers) CreateServicePoint(ctx context.Context, req api.CreateServicePointRequestObject) (api.CreateServicePointResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateServicePoint is not built yet")
}

// ArchiveServicePoint is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveServicePoint(ctx context.Context, req api.ArchiveServicePointRequestObject) (api.ArchiveServicePointResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveServicePoint is not built yet")
}

// GetServicePoint is not built yet. TODO(issue 8).
func (h *Handlers) GetServicePoint(ctx context.Context, req api.GetServicePointRequestObject) (api.GetServicePointResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetServicePoint is not built yet")
}

// UpdateServicePoint is not built yet. TODO(issue 8).
func (h *Handlers) UpdateServicePoint(ctx context.Context, req api.UpdateServicePointRequestObject) (api.UpdateServicePointResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateServicePoint is not built yet")
}
