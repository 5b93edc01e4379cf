package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportLegalInstruments streams what ListLegalInstruments would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportLegalInstruments(ctx context.Context, req api.ExportLegalInstrumentsRequestObject) (api.ExportLegalInstrumentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of LegalInstruments is not built yet")
}

// ExportFunctions streams what ListFunctions would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportFunctions(ctx context.Context, req api.ExportFunctionsRequestObject) (api.ExportFunctionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Functions is not built yet")
}

// ExportMandateScenarios streams what ListMandateScenarios would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportMandateScenarios(ctx context.Context, req api.ExportMandateScenariosRequestObject) (api.ExportMandateScenariosResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of MandateScenarios is not built yet")
}

// ExportMandateAssignments streams what ListMandateAssignments would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportMandateAssignments(ctx context.Context, req api.ExportMandateAssignmentsRequestObject) (api.ExportMandateAssignmentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of MandateAssignments is not built yet")
}
