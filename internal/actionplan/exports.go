package actionplan

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportActions streams what ListActions would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportActions(ctx context.Context, req api.ExportActionsRequestObject) (api.ExportActionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Actions is not built yet")
}

// ExportResults streams what ListResults would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportResults(ctx context.Context, req api.ExportResultsRequestObject) (api.ExportResultsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Results is not built yet")
}

// ExportActivities streams what ListActivities would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportActivities(ctx context.Context, req api.ExportActivitiesRequestObject) (api.ExportActivitiesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Activities is not built yet")
}
