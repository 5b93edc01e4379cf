package imports

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// GetImport answers one job. TODO(issue 7): the engine.
func (e *Engine) GetImport(ctx context.Context, req api.GetImportRequestObject) (api.GetImportResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not built yet")
}

// ListImports lists jobs.
func (e *Engine) ListImports(ctx context.Context, req api.ListImportsRequestObject) (api.ListImportsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not built yet")
}

// CancelImport cancels a job.
func (e *Engine) CancelImport(ctx context.Context, req api.CancelImportRequestObject) (api.CancelImportResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not built yet")
}
