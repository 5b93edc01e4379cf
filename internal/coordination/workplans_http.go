package coordination

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) workPlans() *WorkPlanService { return NewWorkPlanService(h.db) }

func activitiesAPI(in []PlanActivity) *[]api.WorkPlanActivity {
	out := make([]api.WorkPlanActivity, len(in))
	for i, a := range in {
		status := api.WorkPlanActivityStatus(a.Status)
		out[i] = api.WorkPlanActivity{Title: a.Title.api(), ResponsibleInstitutionIds: a.Responsible,
			StartDate: apiDatePtr(a.StartDate), EndDate: apiDatePtr(a.EndDate), Status: &status}
	}
	return &out
}

func workPlanToAPI(p WorkPlan) api.WorkPlan {
	status := api.WorkPlanStatus(p.Status)
	return api.WorkPlan{
		Id: p.ID, Code: p.Code, BodyId: p.BodyID, Title: p.Title.api(), PeriodStart: apiDate(p.PeriodStart),
		PeriodEnd: apiDate(p.PeriodEnd), Status: &status, ApprovedOn: apiDatePtr(p.ApprovedOn),
		ApprovedInSessionId: p.ApprovedInSessionID, Objectives: textsAPI(p.Objectives), Activities: activitiesAPI(p.Activities),
		Demo: p.Demo, Version: p.Version, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(p.ArchivedAt),
	}
}

// workPlanWritable is the document a merge patch of a work plan applies to, and what the audit
// trail records of it.
func workPlanWritable(p WorkPlan) api.WorkPlanCreate {
	status := api.WorkPlanStatus(p.Status)
	return api.WorkPlanCreate{Code: p.Code, BodyId: p.BodyID, Title: p.Title.api(), PeriodStart: apiDate(p.PeriodStart),
		PeriodEnd: apiDate(p.PeriodEnd), Status: &status, ApprovedOn: apiDatePtr(p.ApprovedOn),
		ApprovedInSessionId: p.ApprovedInSessionID, Objectives: textsAPI(p.Objectives), Activities: activitiesAPI(p.Activities)}
}

func workPlanFromAPI(in api.WorkPlanCreate) WorkPlanFields {
	f := WorkPlanFields{Code: in.Code, BodyID: in.BodyId, Title: textOf(in.Title), PeriodStart: in.PeriodStart.Time,
		PeriodEnd: in.PeriodEnd.Time, ApprovedOn: datePtr(in.ApprovedOn), ApprovedInSessionID: in.ApprovedInSessionId,
		Objectives: textsOf(in.Objectives), Activities: []PlanActivity{}}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	if in.Activities != nil {
		for _, a := range *in.Activities {
			pa := PlanActivity{Title: textOf(a.Title), Responsible: a.ResponsibleInstitutionIds, StartDate: datePtr(a.StartDate),
				EndDate: datePtr(a.EndDate)}
			if a.Status != nil {
				pa.Status = string(*a.Status)
			}
			f.Activities = append(f.Activities, pa)
		}
	}
	return f
}

// ListWorkPlans lists work plans.
func (h *Handlers) ListWorkPlans(ctx context.Context, req api.ListWorkPlansRequestObject) (api.ListWorkPlansResponseObject, error) {
	p := req.Params
	f := WorkPlanFilter{Page: pageOf(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), Q: str(p.Q),
		BodyID: p.BodyId, Statuses: apiconv.Strings(p.Status), InstitutionID: p.InstitutionId}
	items, next, err := h.workPlans().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.WorkPlanPage{Items: make([]api.WorkPlan, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = workPlanToAPI(it)
	}
	return api.ListWorkPlans200JSONResponse(out), nil
}

// CreateWorkPlan records a work plan.
func (h *Handlers) CreateWorkPlan(ctx context.Context, req api.CreateWorkPlanRequestObject) (api.CreateWorkPlanResponseObject, error) {
	p, err := h.workPlans().Create(ctx, workPlanFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateWorkPlan201JSONResponse{Body: workPlanToAPI(p), Headers: api.CreateWorkPlan201ResponseHeaders{
		Location: new("/v1/work-plans/" + p.ID.String()), ETag: new(etag.Of(p.Version)),
	}}, nil
}

// GetWorkPlan returns one work plan.
func (h *Handlers) GetWorkPlan(ctx context.Context, req api.GetWorkPlanRequestObject) (api.GetWorkPlanResponseObject, error) {
	p, err := h.workPlans().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetWorkPlan200JSONResponse{Body: workPlanToAPI(p),
		Headers: api.GetWorkPlan200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// UpdateWorkPlan applies a JSON Merge Patch to the work plan; activities are replaced whole.
func (h *Handlers) UpdateWorkPlan(ctx context.Context, req api.UpdateWorkPlanRequestObject) (api.UpdateWorkPlanResponseObject, error) {
	p, err := h.workPlans().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current WorkPlan) (WorkPlanFields, error) {
		var next api.WorkPlanCreate
		if err := mergepatch.Apply(workPlanWritable(current), *req.Body, &next); err != nil {
			return WorkPlanFields{}, err
		}
		return workPlanFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateWorkPlan200JSONResponse{Body: workPlanToAPI(p),
		Headers: api.UpdateWorkPlan200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// ArchiveWorkPlan archives a work plan.
func (h *Handlers) ArchiveWorkPlan(ctx context.Context, req api.ArchiveWorkPlanRequestObject) (api.ArchiveWorkPlanResponseObject, error) {
	if err := h.workPlans().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveWorkPlan204Response{}, nil
}
