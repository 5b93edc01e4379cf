package servicemenu

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportServices streams the services ListServices would page through.
func (h *Handlers) ExportServices(ctx context.Context, req api.ExportServicesRequestObject) (api.ExportServicesResponseObject, error) {
	p := imports.ListParams[api.ListServicesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Service", func(ctx context.Context, token *string) ([]api.Service, string, error) {
		p.PageToken = token
		res, err := h.ListServices(ctx, api.ListServicesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListServices200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list services answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportServices200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportServices200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
