package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// TODO(analysis): stubs, replaced by the real handlers.
func (h *Handlers) GetMandateAnalysis(ctx context.Context, req api.GetMandateAnalysisRequestObject) (api.GetMandateAnalysisResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetMandateMatrix(ctx context.Context, req api.GetMandateMatrixRequestObject) (api.GetMandateMatrixResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CompareMandateScenarios(ctx context.Context, req api.CompareMandateScenariosRequestObject) (api.CompareMandateScenariosResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
