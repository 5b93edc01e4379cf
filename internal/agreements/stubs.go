package agreements

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ListAgreements is not built yet. TODO(issue 8).
func (h *Handlers) ListAgreements(ctx context.Context, req api.ListAgreementsRequestObject) (api.ListAgreementsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListAgreements is not built yet")
}

// CreateAgreement is not built yet. TODO(issue 8).
func (h *Handlers) CreateAgreement(ctx context.Context, req api.CreateAgreementRequestObject) (api.CreateAgreementResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateAgreement is not built yet")
}

// GetAgreementFollowUp is not built yet. TODO(issue 8).
func (h *Handlers) GetAgreementFollowUp(ctx context.Context, req api.GetAgreementFollowUpRequestObject) (api.GetAgreementFollowUpResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetAgreementFollowUp is not built yet")
}

// ArchiveAgreement is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveAgreement(ctx context.Context, req api.ArchiveAgreementRequestObject) (api.ArchiveAgreementResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveAgreement is not built yet")
}

// GetAgreement is not built yet. TODO(issue 8).
func (h *Handlers) GetAgreement(ctx context.Context, req api.GetAgreementRequestObject) (api.GetAgreementResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetAgreement is not built yet")
}

// UpdateAgreement is not built yet. TODO(issue 8).
func (h *Handlers) UpdateAgreement(ctx context.Context, req api.UpdateAgreementRequestObject) (api.UpdateAgreementResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateAgreement is not built yet")
}

// ListAgreementTransitions is not built yet. TODO(issue 8).
func (h *Handlers) ListAgreementTransitions(ctx context.Context, req api.ListAgreementTransitionsRequestObject) (api.ListAgreementTransitionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListAgreementTransitions is not built yet")
}

// TransitionAgreement is not built yet. TODO(issue 8).
func (h *Handlers) TransitionAgreement(ctx context.Context, req api.TransitionAgreementRequestObject) (api.TransitionAgreementResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "TransitionAgreement is not built yet")
}

// ExportAgreements is not built yet. TODO(issue 8).
func (h *Handlers) ExportAgreements(ctx context.Context, req api.ExportAgreementsRequestObject) (api.ExportAgreementsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportAgreements is not built yet")
}
