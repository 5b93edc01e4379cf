package institutions

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportInstitutions streams what ListInstitutions would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportInstitutions(ctx context.Context, req api.ExportInstitutionsRequestObject) (api.ExportInstitutionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Institutions is not built yet")
}
