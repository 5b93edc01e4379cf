// Package practices is the practice library: what peer institutions did, searchable in Spanish
// and English, faceted, and moved through an editorial workflow.
package practices

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

// ListPractices is not implemented yet.
func (h *Handlers) ListPractices(ctx context.Context, req api.ListPracticesRequestObject) (api.ListPracticesResponseObject, error) {
	return nil, errNotImplemented
}

// CreatePractice is not implemented yet.
func (h *Handlers) CreatePractice(ctx context.Context, req api.CreatePracticeRequestObject) (api.CreatePracticeResponseObject, error) {
	return nil, errNotImplemented
}

// ArchivePractice is not implemented yet.
func (h *Handlers) ArchivePractice(ctx context.Context, req api.ArchivePracticeRequestObject) (api.ArchivePracticeResponseObject, error) {
	return nil, errNotImplemented
}

// GetPractice is not implemented yet.
func (h *Handlers) GetPractice(ctx context.Context, req api.GetPracticeRequestObject) (api.GetPracticeResponseObject, error) {
	return nil, errNotImplemented
}

// UpdatePractice is not implemented yet.
func (h *Handlers) UpdatePractice(ctx context.Context, req api.UpdatePracticeRequestObject) (api.UpdatePracticeResponseObject, error) {
	return nil, errNotImplemented
}

// ListPracticeTransitions is not implemented yet.
func (h *Handlers) ListPracticeTransitions(ctx context.Context, req api.ListPracticeTransitionsRequestObject) (api.ListPracticeTransitionsResponseObject, error) {
	return nil, errNotImplemented
}

// TransitionPractice is not implemented yet.
func (h *Handlers) TransitionPractice(ctx context.Context, req api.TransitionPracticeRequestObject) (api.TransitionPracticeResponseObject, error) {
	return nil, errNotImplemented
}
