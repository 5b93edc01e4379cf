package stocktake

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportObservations streams the observations ListObservations would page through.
func (h *Handlers) ExportObservations(ctx context.Context, req api.ExportObservationsRequestObject) (api.ExportObservationsResponseObject, error) {
	p := imports.ListParams[api.ListObservationsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Observation", func(ctx context.Context, token *string) ([]api.Observation, string, error) {
		p.PageToken = token
		res, err := h.ListObservations(ctx, api.ListObservationsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListObservations200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list observations answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportObservations200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportObservations200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportDataSources streams what ListDataSources would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportDataSources(ctx context.Context, req api.ExportDataSourcesRequestObject) (api.ExportDataSourcesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of DataSources is not built yet")
}

// ExportIndicators streams what ListIndicators would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportIndicators(ctx context.Context, req api.ExportIndicatorsRequestObject) (api.ExportIndicatorsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of Indicators is not built yet")
}

// ExportDataGaps streams what ListDataGaps would page through. TODO(issue 7): implement like stocktake.ExportObservations.
func (h *Handlers) ExportDataGaps(ctx context.Context, req api.ExportDataGapsRequestObject) (api.ExportDataGapsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "export of DataGaps is not built yet")
}
