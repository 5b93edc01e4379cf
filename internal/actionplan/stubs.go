// Package actionplan is the plan of an action: the action, its expected results with their
// indicators, its activities, and the timeline that merges them with the deliverables.
package actionplan

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

// ListActions is not implemented yet.
func (h *Handlers) ListActions(ctx context.Context, req api.ListActionsRequestObject) (api.ListActionsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateAction is not implemented yet.
func (h *Handlers) CreateAction(ctx context.Context, req api.CreateActionRequestObject) (api.CreateActionResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveAction is not implemented yet.
func (h *Handlers) ArchiveAction(ctx context.Context, req api.ArchiveActionRequestObject) (api.ArchiveActionResponseObject, error) {
	return nil, errNotImplemented
}

// GetAction is not implemented yet.
func (h *Handlers) GetAction(ctx context.Context, req api.GetActionRequestObject) (api.GetActionResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateAction is not implemented yet.
func (h *Handlers) UpdateAction(ctx context.Context, req api.UpdateActionRequestObject) (api.UpdateActionResponseObject, error) {
	return nil, errNotImplemented
}

// GetActionTimeline is not implemented yet.
func (h *Handlers) GetActionTimeline(ctx context.Context, req api.GetActionTimelineRequestObject) (api.GetActionTimelineResponseObject, error) {
	return nil, errNotImplemented
}

// ListActivities is not implemented yet.
func (h *Handlers) ListActivities(ctx context.Context, req api.ListActivitiesRequestObject) (api.ListActivitiesResponseObject, error) {
	return nil, errNotImplemented
}

// CreateActivity is not implemented yet.
func (h *Handlers) CreateActivity(ctx context.Context, req api.CreateActivityRequestObject) (api.CreateActivityResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveActivity is not implemented yet.
func (h *Handlers) ArchiveActivity(ctx context.Context, req api.ArchiveActivityRequestObject) (api.ArchiveActivityResponseObject, error) {
	return nil, errNotImplemented
}

// GetActivity is not implemented yet.
func (h *Handlers) GetActivity(ctx context.Context, req api.GetActivityRequestObject) (api.GetActivityResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateActivity is not implemented yet.
func (h *Handlers) UpdateActivity(ctx context.Context, req api.UpdateActivityRequestObject) (api.UpdateActivityResponseObject, error) {
	return nil, errNotImplemented
}

// ListResults is not implemented yet.
func (h *Handlers) ListResults(ctx context.Context, req api.ListResultsRequestObject) (api.ListResultsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateResult is not implemented yet.
func (h *Handlers) CreateResult(ctx context.Context, req api.CreateResultRequestObject) (api.CreateResultResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveResult is not implemented yet.
func (h *Handlers) ArchiveResult(ctx context.Context, req api.ArchiveResultRequestObject) (api.ArchiveResultResponseObject, error) {
	return nil, errNotImplemented
}

// GetResult is not implemented yet.
func (h *Handlers) GetResult(ctx context.Context, req api.GetResultRequestObject) (api.GetResultResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateResult is not implemented yet.
func (h *Handlers) UpdateResult(ctx context.Context, req api.UpdateResultRequestObject) (api.UpdateResultResponseObject, error) {
	return nil, errNotImplemented
}
