package practices

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportPractices streams what ListPractices would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportPractices(ctx context.Context, req api.ExportPracticesRequestObject) (api.ExportPracticesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Practices is not built yet")
}
