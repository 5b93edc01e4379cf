package territory

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportServicePoints streams the service points ListServicePoints would page through, in its
// order.
func (h *Handlers) ExportServicePoints(ctx context.Context, req api.ExportServicePointsRequestObject) (api.ExportServicePointsResponseObject, error) {
	p := imports.ListParams[api.ListServicePointsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "ServicePoint", func(ctx context.Context, token *string) ([]api.ServicePoint, string, error) {
		p.PageToken = token
		res, err := h.ListServicePoints(ctx, api.ListServicePointsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListServicePoints200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list service points answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportServicePoints200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportServicePoints200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
