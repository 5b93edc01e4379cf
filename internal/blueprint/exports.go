package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportBlueprints streams what ListBlueprints would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportBlueprints(ctx context.Context, req api.ExportBlueprintsRequestObject) (api.ExportBlueprintsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Blueprints is not built yet")
}

// ExportBlueprintChapters streams what ListBlueprintChapters would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportBlueprintChapters(ctx context.Context, req api.ExportBlueprintChaptersRequestObject) (api.ExportBlueprintChaptersResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of BlueprintChapters is not built yet")
}

// ExportBlueprintArticles streams what ListBlueprintArticles would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportBlueprintArticles(ctx context.Context, req api.ExportBlueprintArticlesRequestObject) (api.ExportBlueprintArticlesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of BlueprintArticles is not built yet")
}
