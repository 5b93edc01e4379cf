package practices

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportPractices streams the practices ListPractices would page through: those the caller
// sees, with the list's filters.
func (h *Handlers) ExportPractices(ctx context.Context, req api.ExportPracticesRequestObject) (api.ExportPracticesResponseObject, error) {
	p := imports.ListParams[api.ListPracticesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Practice", func(ctx context.Context, token *string) ([]api.Practice, string, error) {
		p.PageToken = token
		res, err := h.ListPractices(ctx, api.ListPracticesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListPractices200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list practices answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportPractices200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportPractices200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
