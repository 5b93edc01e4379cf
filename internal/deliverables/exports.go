package deliverables

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportDeliverables streams what ListDeliverables would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportDeliverables(ctx context.Context, req api.ExportDeliverablesRequestObject) (api.ExportDeliverablesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Deliverables is not built yet")
}
