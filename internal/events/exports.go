package events

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportEvents streams what ListEvents would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportEvents(ctx context.Context, req api.ExportEventsRequestObject) (api.ExportEventsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Events is not built yet")
}

// ExportConsultationInputs streams what ListConsultationInputs would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportConsultationInputs(ctx context.Context, req api.ExportConsultationInputsRequestObject) (api.ExportConsultationInputsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of ConsultationInputs is not built yet")
}
