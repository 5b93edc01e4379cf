package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// TODO(instruments): stubs, replaced by the real handlers.
func (h *Handlers) ListLegalInstruments(ctx context.Context, req api.ListLegalInstrumentsRequestObject) (api.ListLegalInstrumentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateLegalInstrument(ctx context.Context, req api.CreateLegalInstrumentRequestObject) (api.CreateLegalInstrumentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetLegalInstrument(ctx context.Context, req api.GetLegalInstrumentRequestObject) (api.GetLegalInstrumentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateLegalInstrument(ctx context.Context, req api.UpdateLegalInstrumentRequestObject) (api.UpdateLegalInstrumentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveLegalInstrument(ctx context.Context, req api.ArchiveLegalInstrumentRequestObject) (api.ArchiveLegalInstrumentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
