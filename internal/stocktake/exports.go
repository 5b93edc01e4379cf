package stocktake

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
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

// ExportDataSources streams the data sources ListDataSources would page through.
func (h *Handlers) ExportDataSources(ctx context.Context, req api.ExportDataSourcesRequestObject) (api.ExportDataSourcesResponseObject, error) {
	p := imports.ListParams[api.ListDataSourcesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "DataSource", func(ctx context.Context, token *string) ([]api.DataSource, string, error) {
		p.PageToken = token
		res, err := h.ListDataSources(ctx, api.ListDataSourcesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListDataSources200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list data sources answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportDataSources200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportDataSources200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportIndicators streams the indicators ListIndicators would page through.
func (h *Handlers) ExportIndicators(ctx context.Context, req api.ExportIndicatorsRequestObject) (api.ExportIndicatorsResponseObject, error) {
	p := imports.ListParams[api.ListIndicatorsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Indicator", func(ctx context.Context, token *string) ([]api.Indicator, string, error) {
		p.PageToken = token
		res, err := h.ListIndicators(ctx, api.ListIndicatorsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListIndicators200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list indicators answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportIndicators200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportIndicators200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportDataGaps streams the data gaps ListDataGaps would page through.
func (h *Handlers) ExportDataGaps(ctx context.Context, req api.ExportDataGapsRequestObject) (api.ExportDataGapsResponseObject, error) {
	p := imports.ListParams[api.ListDataGapsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "DataGap", func(ctx context.Context, token *string) ([]api.DataGap, string, error) {
		p.PageToken = token
		res, err := h.ListDataGaps(ctx, api.ListDataGapsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListDataGaps200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list data gaps answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportDataGaps200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportDataGaps200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
