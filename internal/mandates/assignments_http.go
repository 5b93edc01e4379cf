package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// TODO(assignments): stubs, replaced by the real handlers.
func (h *Handlers) ListAssignments(ctx context.Context, req api.ListAssignmentsRequestObject) (api.ListAssignmentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) CreateAssignment(ctx context.Context, req api.CreateAssignmentRequestObject) (api.CreateAssignmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) GetAssignment(ctx context.Context, req api.GetAssignmentRequestObject) (api.GetAssignmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) UpdateAssignment(ctx context.Context, req api.UpdateAssignmentRequestObject) (api.UpdateAssignmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ArchiveAssignment(ctx context.Context, req api.ArchiveAssignmentRequestObject) (api.ArchiveAssignmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}

func (h *Handlers) ListAssignmentHistory(ctx context.Context, req api.ListAssignmentHistoryRequestObject) (api.ListAssignmentHistoryResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "not implemented")
}
