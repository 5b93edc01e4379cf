package institutions

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportInstitutions streams the institutions ListInstitutions would page through.
func (h *Handlers) ExportInstitutions(ctx context.Context, req api.ExportInstitutionsRequestObject) (api.ExportInstitutionsResponseObject, error) {
	p := imports.ListParams[api.ListInstitutionsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Institution", func(ctx context.Context, token *string) ([]api.Institution, string, error) {
		p.PageToken = token
		res, err := h.ListInstitutions(ctx, api.ListInstitutionsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListInstitutions200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list institutions answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportInstitutions200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportInstitutions200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
