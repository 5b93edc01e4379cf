package events

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportEvents streams the events ListEvents would page through.
func (h *Handlers) ExportEvents(ctx context.Context, req api.ExportEventsRequestObject) (api.ExportEventsResponseObject, error) {
	p := imports.ListParams[api.ListEventsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Event", func(ctx context.Context, token *string) ([]api.Event, string, error) {
		p.PageToken = token
		res, err := h.ListEvents(ctx, api.ListEventsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListEvents200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list events answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportEvents200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportEvents200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportConsultationInputs streams the consultation inputs ListConsultationInputs would page
// through.
func (h *Handlers) ExportConsultationInputs(ctx context.Context, req api.ExportConsultationInputsRequestObject) (api.ExportConsultationInputsResponseObject, error) {
	p := imports.ListParams[api.ListConsultationInputsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "ConsultationInput", func(ctx context.Context, token *string) ([]api.ConsultationInput, string, error) {
		p.PageToken = token
		res, err := h.ListConsultationInputs(ctx, api.ListConsultationInputsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListConsultationInputs200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list consultation inputs answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportConsultationInputs200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportConsultationInputs200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
