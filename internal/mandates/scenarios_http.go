package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// TODO(scenarios): stubs, replaced by the real handlers.
func (h *Handlers) ListMandateScenarios(ctx context.Context, req api.ListMandateScenariosRequestObject) (api.ListMandateScenariosResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateMandateScenario(ctx context.Context, req api.CreateMandateScenarioRequestObject) (api.CreateMandateScenarioResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetMandateScenario(ctx context.Context, req api.GetMandateScenarioRequestObject) (api.GetMandateScenarioResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateMandateScenario(ctx context.Context, req api.UpdateMandateScenarioRequestObject) (api.UpdateMandateScenarioResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveMandateScenario(ctx context.Context, req api.ArchiveMandateScenarioRequestObject) (api.ArchiveMandateScenarioResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) AdoptMandateScenario(ctx context.Context, req api.AdoptMandateScenarioRequestObject) (api.AdoptMandateScenarioResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
