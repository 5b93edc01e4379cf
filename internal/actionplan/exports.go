package actionplan

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportActions streams the actions ListActions would page through, in its order.
func (h *Handlers) ExportActions(ctx context.Context, req api.ExportActionsRequestObject) (api.ExportActionsResponseObject, error) {
	p := imports.ListParams[api.ListActionsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Action", func(ctx context.Context, token *string) ([]api.Action, string, error) {
		p.PageToken = token
		res, err := h.ListActions(ctx, api.ListActionsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListActions200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list actions answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportActions200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportActions200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportResults streams the expected results ListResults would page through, in its order.
func (h *Handlers) ExportResults(ctx context.Context, req api.ExportResultsRequestObject) (api.ExportResultsResponseObject, error) {
	p := imports.ListParams[api.ListResultsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Result", func(ctx context.Context, token *string) ([]api.Result, string, error) {
		p.PageToken = token
		res, err := h.ListResults(ctx, api.ListResultsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListResults200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list expected results answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportResults200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportResults200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportActivities streams the activities ListActivities would page through, in its order.
func (h *Handlers) ExportActivities(ctx context.Context, req api.ExportActivitiesRequestObject) (api.ExportActivitiesResponseObject, error) {
	p := imports.ListParams[api.ListActivitiesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Activity", func(ctx context.Context, token *string) ([]api.Activity, string, error) {
		p.PageToken = token
		res, err := h.ListActivities(ctx, api.ListActivitiesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListActivities200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list activities answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportActivities200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportActivities200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
