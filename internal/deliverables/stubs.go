// Package deliverables records what the action delivers: each deliverable with its workflow,
// reviews and the versions of its document.
package deliverables

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/database"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it);
// it limits editors' and partners' writes to their own institution.
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree Tree) *Handlers { return &Handlers{db: db, tree: tree} }

var errNotImplemented = errors.New("not implemented")

// ListDeliverables is not implemented yet.
func (h *Handlers) ListDeliverables(ctx context.Context, req api.ListDeliverablesRequestObject) (api.ListDeliverablesResponseObject, error) {
	return nil, errNotImplemented
}

// CreateDeliverable is not implemented yet.
func (h *Handlers) CreateDeliverable(ctx context.Context, req api.CreateDeliverableRequestObject) (api.CreateDeliverableResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveDeliverable is not implemented yet.
func (h *Handlers) ArchiveDeliverable(ctx context.Context, req api.ArchiveDeliverableRequestObject) (api.ArchiveDeliverableResponseObject, error) {
	return nil, errNotImplemented
}

// GetDeliverable is not implemented yet.
func (h *Handlers) GetDeliverable(ctx context.Context, req api.GetDeliverableRequestObject) (api.GetDeliverableResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateDeliverable is not implemented yet.
func (h *Handlers) UpdateDeliverable(ctx context.Context, req api.UpdateDeliverableRequestObject) (api.UpdateDeliverableResponseObject, error) {
	return nil, errNotImplemented
}

// ListDeliverableReviews is not implemented yet.
func (h *Handlers) ListDeliverableReviews(ctx context.Context, req api.ListDeliverableReviewsRequestObject) (api.ListDeliverableReviewsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateDeliverableReview is not implemented yet.
func (h *Handlers) CreateDeliverableReview(ctx context.Context, req api.CreateDeliverableReviewRequestObject) (api.CreateDeliverableReviewResponseObject, error) {
	return nil, errNotImplemented
}

// ListDeliverableTransitions is not implemented yet.
func (h *Handlers) ListDeliverableTransitions(ctx context.Context, req api.ListDeliverableTransitionsRequestObject) (api.ListDeliverableTransitionsResponseObject, error) {
	return nil, errNotImplemented
}

// TransitionDeliverable is not implemented yet.
func (h *Handlers) TransitionDeliverable(ctx context.Context, req api.TransitionDeliverableRequestObject) (api.TransitionDeliverableResponseObject, error) {
	return nil, errNotImplemented
}

// ListDocumentVersions is not implemented yet.
func (h *Handlers) ListDocumentVersions(ctx context.Context, req api.ListDocumentVersionsRequestObject) (api.ListDocumentVersionsResponseObject, error) {
	return nil, errNotImplemented
}

// UploadDocumentVersion is not implemented yet.
func (h *Handlers) UploadDocumentVersion(ctx context.Context, req api.UploadDocumentVersionRequestObject) (api.UploadDocumentVersionResponseObject, error) {
	return nil, errNotImplemented
}

// DownloadDocumentVersion is not implemented yet.
func (h *Handlers) DownloadDocumentVersion(ctx context.Context, req api.DownloadDocumentVersionRequestObject) (api.DownloadDocumentVersionResponseObject, error) {
	return nil, errNotImplemented
}
