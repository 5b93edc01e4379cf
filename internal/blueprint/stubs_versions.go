package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

// GetBlueprintVersion is not implemented yet.
func (h *Handlers) GetBlueprintVersion(ctx context.Context, req api.GetBlueprintVersionRequestObject) (api.GetBlueprintVersionResponseObject, error) {
	return nil, errNotImplemented
}

// CompareBlueprintVersions is not implemented yet.
func (h *Handlers) CompareBlueprintVersions(ctx context.Context, req api.CompareBlueprintVersionsRequestObject) (api.CompareBlueprintVersionsResponseObject, error) {
	return nil, errNotImplemented
}

// ExportBlueprint is not implemented yet.
func (h *Handlers) ExportBlueprint(ctx context.Context, req api.ExportBlueprintRequestObject) (api.ExportBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// GetBlueprintTraceability is not implemented yet.
func (h *Handlers) GetBlueprintTraceability(ctx context.Context, req api.GetBlueprintTraceabilityRequestObject) (api.GetBlueprintTraceabilityResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprintVersions is not implemented yet.
func (h *Handlers) ListBlueprintVersions(ctx context.Context, req api.ListBlueprintVersionsRequestObject) (api.ListBlueprintVersionsResponseObject, error) {
	return nil, errNotImplemented
}

// FreezeBlueprintVersion is not implemented yet.
func (h *Handlers) FreezeBlueprintVersion(ctx context.Context, req api.FreezeBlueprintVersionRequestObject) (api.FreezeBlueprintVersionResponseObject, error) {
	return nil, errNotImplemented
}
