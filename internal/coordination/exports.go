package coordination

import (
	"context"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportCoordinationBodies streams the coordination bodies ListCoordinationBodies would page through.
func (h *Handlers) ExportCoordinationBodies(ctx context.Context, req api.ExportCoordinationBodiesRequestObject) (api.ExportCoordinationBodiesResponseObject, error) {
	p := imports.ListParams[api.ListCoordinationBodiesParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "CoordinationBody", func(ctx context.Context, token *string) ([]api.CoordinationBody, string, error) {
		p.PageToken = token
		res, err := h.ListCoordinationBodies(ctx, api.ListCoordinationBodiesRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListCoordinationBodies200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list coordination bodies answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportCoordinationBodies200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportCoordinationBodies200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportCoordinationMemberships streams the coordination memberships ListCoordinationMemberships would page through.
func (h *Handlers) ExportCoordinationMemberships(ctx context.Context, req api.ExportCoordinationMembershipsRequestObject) (api.ExportCoordinationMembershipsResponseObject, error) {
	p := imports.ListParams[api.ListCoordinationMembershipsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "CoordinationMembership", func(ctx context.Context, token *string) ([]api.CoordinationMembership, string, error) {
		p.PageToken = token
		res, err := h.ListCoordinationMemberships(ctx, api.ListCoordinationMembershipsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListCoordinationMemberships200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list coordination memberships answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportCoordinationMemberships200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportCoordinationMemberships200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportCoordinationSessions streams the coordination sessions ListCoordinationSessions would page through.
func (h *Handlers) ExportCoordinationSessions(ctx context.Context, req api.ExportCoordinationSessionsRequestObject) (api.ExportCoordinationSessionsResponseObject, error) {
	p := imports.ListParams[api.ListCoordinationSessionsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "CoordinationSession", func(ctx context.Context, token *string) ([]api.CoordinationSession, string, error) {
		p.PageToken = token
		res, err := h.ListCoordinationSessions(ctx, api.ListCoordinationSessionsRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListCoordinationSessions200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list coordination sessions answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportCoordinationSessions200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportCoordinationSessions200ApplicationxNdjsonResponse{Body: out.Body}, nil
}

// ExportWorkPlans streams the work plans ListWorkPlans would page through.
func (h *Handlers) ExportWorkPlans(ctx context.Context, req api.ExportWorkPlansRequestObject) (api.ExportWorkPlansResponseObject, error) {
	p := imports.ListParams[api.ListWorkPlansParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	out, err := imports.Stream(ctx, req.Params.Format, "WorkPlan", func(ctx context.Context, token *string) ([]api.WorkPlan, string, error) {
		p.PageToken = token
		res, err := h.ListWorkPlans(ctx, api.ListWorkPlansRequestObject{Params: p})
		if err != nil {
			return nil, "", err
		}
		page, ok := res.(api.ListWorkPlans200JSONResponse)
		if !ok {
			return nil, "", fmt.Errorf("list work plans answered %T", res)
		}
		return page.Items, page.NextPageToken, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportWorkPlans200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportWorkPlans200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
