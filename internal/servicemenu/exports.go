package servicemenu

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportServices streams what ListServices would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportServices(ctx context.Context, req api.ExportServicesRequestObject) (api.ExportServicesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Services is not built yet")
}
