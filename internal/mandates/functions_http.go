package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// TODO(functions): stubs, replaced by the real handlers.
func (h *Handlers) ListFunctions(ctx context.Context, req api.ListFunctionsRequestObject) (api.ListFunctionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateFunction(ctx context.Context, req api.CreateFunctionRequestObject) (api.CreateFunctionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetFunction(ctx context.Context, req api.GetFunctionRequestObject) (api.GetFunctionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateFunction(ctx context.Context, req api.UpdateFunctionRequestObject) (api.UpdateFunctionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveFunction(ctx context.Context, req api.ArchiveFunctionRequestObject) (api.ArchiveFunctionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
