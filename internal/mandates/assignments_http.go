package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// assignmentSnapshot is the API representation of an assignment; the audit trail records it.
func assignmentSnapshot(a Assignment) any { return assignmentAPI(a) }

func assignmentAPI(a Assignment) api.Assignment {
	return api.Assignment{
		Id: a.ID, ScenarioId: a.ScenarioID, FunctionId: a.FunctionID, InstitutionId: a.InstitutionID,
		Role: api.AssignmentRole(a.Role), Basis: api.AssignmentBasis(a.Basis), InstrumentId: a.InstrumentID,
		Article: a.Article, Evidence: a.Evidence, Notes: a.Notes, Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// assignmentWritable is the document a merge patch applies to. function_id is in it, but the
// patch schema does not allow changing it.
func assignmentWritable(a Assignment) api.AssignmentCreate {
	return api.AssignmentCreate{FunctionId: a.FunctionID, InstitutionId: a.InstitutionID, Role: api.AssignmentRole(a.Role),
		Basis: api.AssignmentBasis(a.Basis), InstrumentId: a.InstrumentID, Article: a.Article, Evidence: a.Evidence, Notes: a.Notes}
}

func assignmentFromAPI(in api.AssignmentCreate) AssignmentFields {
	return AssignmentFields{FunctionID: in.FunctionId, InstitutionID: in.InstitutionId, Role: string(in.Role),
		Basis: string(in.Basis), InstrumentID: in.InstrumentId, Article: in.Article, Evidence: in.Evidence, Notes: in.Notes}
}

func assignmentETag(a Assignment) *string {
	tag := etag.Of(a.Version)
	return &tag
}

func assignmentStrings[T ~string](in *[]T) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(*in))
	for i, v := range *in {
		out[i] = string(v)
	}
	return out
}

func (h *Handlers) assignmentService() *AssignmentService { return NewAssignmentService(h.db, h.tree) }

// ListAssignments lists the assignments of a scenario, oldest first.
func (h *Handlers) ListAssignments(ctx context.Context, req api.ListAssignmentsRequestObject) (api.ListAssignmentsResponseObject, error) {
	p := req.Params
	f := AssignmentFilter{FunctionID: p.FunctionId, InstitutionID: p.InstitutionId, Roles: assignmentStrings(p.Role),
		Bases: assignmentStrings(p.Basis), PageSize: paging.Size(p.PageSize)}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	items, next, err := h.assignmentService().List(ctx, req.Id, f)
	if err != nil {
		return nil, err
	}
	out := api.AssignmentPage{Items: make([]api.Assignment, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = assignmentAPI(it)
	}
	return api.ListAssignments200JSONResponse(out), nil
}

// CreateAssignment assigns a function to a unit in a draft scenario.
func (h *Handlers) CreateAssignment(ctx context.Context, req api.CreateAssignmentRequestObject) (api.CreateAssignmentResponseObject, error) {
	a, err := h.assignmentService().Create(ctx, req.Id, assignmentFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	location := "/v1/mandate-scenarios/" + a.ScenarioID.String() + "/assignments/" + a.ID.String()
	return api.CreateAssignment201JSONResponse{Body: assignmentAPI(a), Headers: api.CreateAssignment201ResponseHeaders{
		Location: &location, ETag: assignmentETag(a),
	}}, nil
}

// GetAssignment returns one assignment.
func (h *Handlers) GetAssignment(ctx context.Context, req api.GetAssignmentRequestObject) (api.GetAssignmentResponseObject, error) {
	a, err := h.assignmentService().Get(ctx, req.Id, req.AssignmentId)
	if err != nil {
		return nil, err
	}
	return api.GetAssignment200JSONResponse{Body: assignmentAPI(a), Headers: api.GetAssignment200ResponseHeaders{ETag: assignmentETag(a)}}, nil
}

// UpdateAssignment applies a JSON Merge Patch to an assignment of a draft scenario.
func (h *Handlers) UpdateAssignment(ctx context.Context, req api.UpdateAssignmentRequestObject) (api.UpdateAssignmentResponseObject, error) {
	a, err := h.assignmentService().Update(ctx, req.Id, req.AssignmentId, etag.IfMatch(req.Params.IfMatch), func(current Assignment) (AssignmentFields, error) {
		var next api.AssignmentCreate
		if err := mergepatch.Apply(assignmentWritable(current), *req.Body, &next); err != nil {
			return AssignmentFields{}, err
		}
		return assignmentFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateAssignment200JSONResponse{Body: assignmentAPI(a), Headers: api.UpdateAssignment200ResponseHeaders{ETag: assignmentETag(a)}}, nil
}

// ArchiveAssignment removes an assignment from a draft scenario.
func (h *Handlers) ArchiveAssignment(ctx context.Context, req api.ArchiveAssignmentRequestObject) (api.ArchiveAssignmentResponseObject, error) {
	if err := h.assignmentService().Archive(ctx, req.Id, req.AssignmentId, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveAssignment204Response{}, nil
}

// ListAssignmentHistory lists an assignment's audit events, newest first.
func (h *Handlers) ListAssignmentHistory(ctx context.Context, req api.ListAssignmentHistoryRequestObject) (api.ListAssignmentHistoryResponseObject, error) {
	if _, err := h.assignmentService().Get(ctx, req.Id, req.AssignmentId); err != nil {
		return nil, err
	}
	f := audit.Filter{ResourceType: "mandate_assignment", ResourceID: req.AssignmentId.String(), PageSize: paging.Size(req.Params.PageSize)}
	if req.Params.PageToken != nil {
		f.PageToken = *req.Params.PageToken
	}
	events, next, err := h.trail.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.AuditEventPage{Items: make([]api.AuditEvent, len(events)), NextPageToken: next}
	for i, ev := range events {
		out.Items[i] = audit.Represent(ev)
	}
	return api.ListAssignmentHistory200JSONResponse(out), nil
}
