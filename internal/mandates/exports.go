package mandates

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportLegalInstruments streams the legal instruments ListLegalInstruments would page through.
func (h *Handlers) ExportLegalInstruments(ctx context.Context, req api.ExportLegalInstrumentsRequestObject) (api.ExportLegalInstrumentsResponseObject, error) {
	p := imports.ListParams[api.ListLegalInstrumentsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "LegalInstrument", func(ctx context.Context, token *string) ([]api.LegalInstrument, string, error) {
		p.PageToken = token
		res, err := h.ListLegalInstruments(ctx, api.ListLegalInstrumentsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListLegalInstruments200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list legal instruments answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportLegalInstruments200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportLegalInstruments200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportFunctions streams the functions ListFunctions would page through.
func (h *Handlers) ExportFunctions(ctx context.Context, req api.ExportFunctionsRequestObject) (api.ExportFunctionsResponseObject, error) {
	p := imports.ListParams[api.ListFunctionsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Function", func(ctx context.Context, token *string) ([]api.Function, string, error) {
		p.PageToken = token
		res, err := h.ListFunctions(ctx, api.ListFunctionsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListFunctions200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list functions answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportFunctions200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportFunctions200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportMandateScenarios streams the mandate scenarios ListMandateScenarios would page through.
func (h *Handlers) ExportMandateScenarios(ctx context.Context, req api.ExportMandateScenariosRequestObject) (api.ExportMandateScenariosResponseObject, error) {
	p := imports.ListParams[api.ListMandateScenariosParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "MandateScenario", func(ctx context.Context, token *string) ([]api.MandateScenario, string, error) {
		p.PageToken = token
		res, err := h.ListMandateScenarios(ctx, api.ListMandateScenariosRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListMandateScenarios200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list mandate scenarios answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMandateScenarios200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMandateScenarios200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportMandateAssignments streams the assignments of one scenario ListAssignments would page through.
func (h *Handlers) ExportMandateAssignments(ctx context.Context, req api.ExportMandateAssignmentsRequestObject) (api.ExportMandateAssignmentsResponseObject, error) {
	p := imports.ListParams[api.ListAssignmentsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "Assignment", func(ctx context.Context, token *string) ([]api.Assignment, string, error) {
		p.PageToken = token
		res, err := h.ListAssignments(ctx, api.ListAssignmentsRequestObject{Id: req.Params.ScenarioId, Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListAssignments200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list assignments answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMandateAssignments200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMandateAssignments200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
