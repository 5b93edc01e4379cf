// Package events records the events where knowledge was exchanged and what the diaspora asked
// for at them (consultation inputs, which people support).
package events

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

// ListConsultationInputs is not implemented yet.
func (h *Handlers) ListConsultationInputs(ctx context.Context, req api.ListConsultationInputsRequestObject) (api.ListConsultationInputsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateConsultationInput is not implemented yet.
func (h *Handlers) CreateConsultationInput(ctx context.Context, req api.CreateConsultationInputRequestObject) (api.CreateConsultationInputResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveConsultationInput is not implemented yet.
func (h *Handlers) ArchiveConsultationInput(ctx context.Context, req api.ArchiveConsultationInputRequestObject) (api.ArchiveConsultationInputResponseObject, error) {
	return nil, errNotImplemented
}

// GetConsultationInput is not implemented yet.
func (h *Handlers) GetConsultationInput(ctx context.Context, req api.GetConsultationInputRequestObject) (api.GetConsultationInputResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateConsultationInput is not implemented yet.
func (h *Handlers) UpdateConsultationInput(ctx context.Context, req api.UpdateConsultationInputRequestObject) (api.UpdateConsultationInputResponseObject, error) {
	return nil, errNotImplemented
}

// WithdrawConsultationInputSupport is not implemented yet.
func (h *Handlers) WithdrawConsultationInputSupport(ctx context.Context, req api.WithdrawConsultationInputSupportRequestObject) (api.WithdrawConsultationInputSupportResponseObject, error) {
	return nil, errNotImplemented
}

// SupportConsultationInput is not implemented yet.
func (h *Handlers) SupportConsultationInput(ctx context.Context, req api.SupportConsultationInputRequestObject) (api.SupportConsultationInputResponseObject, error) {
	return nil, errNotImplemented
}

// ListEvents is not implemented yet.
func (h *Handlers) ListEvents(ctx context.Context, req api.ListEventsRequestObject) (api.ListEventsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateEvent is not implemented yet.
func (h *Handlers) CreateEvent(ctx context.Context, req api.CreateEventRequestObject) (api.CreateEventResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveEvent is not implemented yet.
func (h *Handlers) ArchiveEvent(ctx context.Context, req api.ArchiveEventRequestObject) (api.ArchiveEventResponseObject, error) {
	return nil, errNotImplemented
}

// GetEvent is not implemented yet.
func (h *Handlers) GetEvent(ctx context.Context, req api.GetEventRequestObject) (api.GetEventResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateEvent is not implemented yet.
func (h *Handlers) UpdateEvent(ctx context.Context, req api.UpdateEventRequestObject) (api.UpdateEventResponseObject, error) {
	return nil, errNotImplemented
}
