package blueprint

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportBlueprints streams the blueprints ListBlueprints would page through, in its order.
func (h *Handlers) ExportBlueprints(ctx context.Context, req api.ExportBlueprintsRequestObject) (api.ExportBlueprintsResponseObject, error) {
	p := imports.ListParams[api.ListBlueprintsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Blueprint", func(ctx context.Context, token *string) ([]api.Blueprint, string, error) {
		p.PageToken = token
		res, err := h.ListBlueprints(ctx, api.ListBlueprintsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListBlueprints200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list blueprints answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportBlueprints200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportBlueprints200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportBlueprintChapters streams the blueprint chapters ListBlueprintChapters would page through, in its order.
func (h *Handlers) ExportBlueprintChapters(ctx context.Context, req api.ExportBlueprintChaptersRequestObject) (api.ExportBlueprintChaptersResponseObject, error) {
	p := imports.ListParams[api.ListBlueprintChaptersParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "BlueprintChapter", func(ctx context.Context, token *string) ([]api.BlueprintChapter, string, error) {
		p.PageToken = token
		res, err := h.ListBlueprintChapters(ctx, api.ListBlueprintChaptersRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListBlueprintChapters200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list blueprint chapters answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportBlueprintChapters200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportBlueprintChapters200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportBlueprintArticles streams the blueprint articles ListBlueprintArticles would page through, in its order.
func (h *Handlers) ExportBlueprintArticles(ctx context.Context, req api.ExportBlueprintArticlesRequestObject) (api.ExportBlueprintArticlesResponseObject, error) {
	p := imports.ListParams[api.ListBlueprintArticlesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "BlueprintArticle", func(ctx context.Context, token *string) ([]api.BlueprintArticle, string, error) {
		p.PageToken = token
		res, err := h.ListBlueprintArticles(ctx, api.ListBlueprintArticlesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListBlueprintArticles200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list blueprint articles answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportBlueprintArticles200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportBlueprintArticles200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
