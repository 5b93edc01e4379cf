// Package servicemenu is the menu of services of interest to the diaspora, linked to the
// consultation inputs they answer and the mandate functions that deliver them.
package servicemenu

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

// ListServices is not implemented yet.
func (h *Handlers) ListServices(ctx context.Context, req api.ListServicesRequestObject) (api.ListServicesResponseObject, error) {
	return nil, errNotImplemented
}

// CreateService is not implemented yet.
func (h *Handlers) CreateService(ctx context.Context, req api.CreateServiceRequestObject) (api.CreateServiceResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveService is not implemented yet.
func (h *Handlers) ArchiveService(ctx context.Context, req api.ArchiveServiceRequestObject) (api.ArchiveServiceResponseObject, error) {
	return nil, errNotImplemented
}

// GetService is not implemented yet.
func (h *Handlers) GetService(ctx context.Context, req api.GetServiceRequestObject) (api.GetServiceResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateService is not implemented yet.
func (h *Handlers) UpdateService(ctx context.Context, req api.UpdateServiceRequestObject) (api.UpdateServiceResponseObject, error) {
	return nil, errNotImplemented
}
