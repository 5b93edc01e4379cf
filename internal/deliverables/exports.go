package deliverables

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportDeliverables streams the deliverables ListDeliverables would page through, in its order.
func (h *Handlers) ExportDeliverables(ctx context.Context, req api.ExportDeliverablesRequestObject) (api.ExportDeliverablesResponseObject, error) {
	p := imports.ListParams[api.ListDeliverablesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Deliverable", func(ctx context.Context, token *string) ([]api.Deliverable, string, error) {
		p.PageToken = token
		res, err := h.ListDeliverables(ctx, api.ListDeliverablesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListDeliverables200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list deliverables answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportDeliverables200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportDeliverables200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
