package mgi

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportMgiIndicators streams the indicators ListMgiIndicators would page through, in its order:
// the framework file an admin can edit and import back.
func (h *Handlers) ExportMgiIndicators(ctx context.Context, req api.ExportMgiIndicatorsRequestObject) (api.ExportMgiIndicatorsResponseObject, error) {
	p := imports.ListParams[api.ListMgiIndicatorsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "MgiIndicator", func(ctx context.Context, token *string) ([]api.MgiIndicator, string, error) {
		p.PageToken = token
		res, err := h.ListMgiIndicators(ctx, api.ListMgiIndicatorsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListMgiIndicators200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list MGI indicators answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMgiIndicators200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMgiIndicators200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportMgiAssessments streams the assessments ListMgiAssessments would page through, in its
// order.
func (h *Handlers) ExportMgiAssessments(ctx context.Context, req api.ExportMgiAssessmentsRequestObject) (api.ExportMgiAssessmentsResponseObject, error) {
	p := imports.ListParams[api.ListMgiAssessmentsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "MgiAssessment", func(ctx context.Context, token *string) ([]api.MgiAssessment, string, error) {
		p.PageToken = token
		res, err := h.ListMgiAssessments(ctx, api.ListMgiAssessmentsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListMgiAssessments200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list MGI assessments answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMgiAssessments200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMgiAssessments200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportMgiAnswers streams the answers ListMgiAnswers would page through, in its order.
func (h *Handlers) ExportMgiAnswers(ctx context.Context, req api.ExportMgiAnswersRequestObject) (api.ExportMgiAnswersResponseObject, error) {
	p := imports.ListParams[api.ListMgiAnswersParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "MgiAnswer", func(ctx context.Context, token *string) ([]api.MgiAnswer, string, error) {
		p.PageToken = token
		res, err := h.ListMgiAnswers(ctx, api.ListMgiAnswersRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListMgiAnswers200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list MGI answers answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMgiAnswers200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMgiAnswers200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportMgiFindings streams the findings ListMgiFindings would page through, in its order.
func (h *Handlers) ExportMgiFindings(ctx context.Context, req api.ExportMgiFindingsRequestObject) (api.ExportMgiFindingsResponseObject, error) {
	p := imports.ListParams[api.ListMgiFindingsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "MgiFinding", func(ctx context.Context, token *string) ([]api.MgiFinding, string, error) {
		p.PageToken = token
		res, err := h.ListMgiFindings(ctx, api.ListMgiFindingsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListMgiFindings200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list MGI findings answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportMgiFindings200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportMgiFindings200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
