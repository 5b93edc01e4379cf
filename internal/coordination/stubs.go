package coordination

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)









// ListCoordinationBodies is not built yet. TODO(issue 8).
func (h *Handlers) ListCoordinationBodies(ctx context.Context, req api.ListCoordinationBodiesRequestObject) (api.ListCoordinationBodiesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListCoordinationBodies is not built yet")
}

// CreateCoordinationBody is not built yet. TODO(issue 8).
func (h *Handlers) CreateCoordinationBody(ctx context.Context, req api.CreateCoordinationBodyRequestObject) (api.CreateCoordinationBodyResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateCoordinationBody is not built yet")
}

// ArchiveCoordinationBody is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveCoordinationBody(ctx context.Context, req api.ArchiveCoordinationBodyRequestObject) (api.ArchiveCoordinationBodyResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveCoordinationBody is not built yet")
}

// GetCoordinationBody is not built yet. TODO(issue 8).
func (h *Handlers) GetCoordinationBody(ctx context.Context, req api.GetCoordinationBodyRequestObject) (api.GetCoordinationBodyResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetCoordinationBody is not built yet")
}

// UpdateCoordinationBody is not built yet. TODO(issue 8).
func (h *Handlers) UpdateCoordinationBody(ctx context.Context, req api.UpdateCoordinationBodyRequestObject) (api.UpdateCoordinationBodyResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateCoordinationBody is not built yet")
}

// ListCoordinationMemberships is not built yet. TODO(issue 8).
func (h *Handlers) ListCoordinationMemberships(ctx context.Context, req api.ListCoordinationMembershipsRequestObject) (api.ListCoordinationMembershipsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListCoordinationMemberships is not built yet")
}

// CreateCoordinationMembership is not built yet. TODO(issue 8).
func (h *Handlers) CreateCoordinationMembership(ctx context.Context, req api.CreateCoordinationMembershipRequestObject) (api.CreateCoordinationMembershipResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateCoordinationMembership is not built yet")
}

// ArchiveCoordinationMembership is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveCoordinationMembership(ctx context.Context, req api.ArchiveCoordinationMembershipRequestObject) (api.ArchiveCoordinationMembershipResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveCoordinationMembership is not built yet")
}

// GetCoordinationMembership is not built yet. TODO(issue 8).
func (h *Handlers) GetCoordinationMembership(ctx context.Context, req api.GetCoordinationMembershipRequestObject) (api.GetCoordinationMembershipResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetCoordinationMembership is not built yet")
}

// UpdateCoordinationMembership is not built yet. TODO(issue 8).
func (h *Handlers) UpdateCoordinationMembership(ctx context.Context, req api.UpdateCoordinationMembershipRequestObject) (api.UpdateCoordinationMembershipResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateCoordinationMembership is not built yet")
}

// ListCoordinationSessions is not built yet. TODO(issue 8).
func (h *Handlers) ListCoordinationSessions(ctx context.Context, req api.ListCoordinationSessionsRequestObject) (api.ListCoordinationSessionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListCoordinationSessions is not built yet")
}

// CreateCoordinationSession is not built yet. TODO(issue 8).
func (h *Handlers) CreateCoordinationSession(ctx context.Context, req api.CreateCoordinationSessionRequestObject) (api.CreateCoordinationSessionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateCoordinationSession is not built yet")
}

// ArchiveCoordinationSession is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveCoordinationSession(ctx context.Context, req api.ArchiveCoordinationSessionRequestObject) (api.ArchiveCoordinationSessionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveCoordinationSession is not built yet")
}

// GetCoordinationSession is not built yet. TODO(issue 8).
func (h *Handlers) GetCoordinationSession(ctx context.Context, req api.GetCoordinationSessionRequestObject) (api.GetCoordinationSessionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetCoordinationSession is not built yet")
}

// UpdateCoordinationSession is not built yet. TODO(issue 8).
func (h *Handlers) UpdateCoordinationSession(ctx context.Context, req api.UpdateCoordinationSessionRequestObject) (api.UpdateCoordinationSessionResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateCoordinationSession is not built yet")
}

// DownloadSessionMinutes is not built yet. TODO(issue 8).
func (h *Handlers) DownloadSessionMinutes(ctx context.Context, req api.DownloadSessionMinutesRequestObject) (api.DownloadSessionMinutesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "DownloadSessionMinutes is not built yet")
}

// UploadSessionMinutes is not built yet. TODO(issue 8).
func (h *Handlers) UploadSessionMinutes(ctx context.Context, req api.UploadSessionMinutesRequestObject) (api.UploadSessionMinutesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UploadSessionMinutes is not built yet")
}

// ExportCoordinationBodies is not built yet. TODO(issue 8).
func (h *Handlers) ExportCoordinationBodies(ctx context.Context, req api.ExportCoordinationBodiesRequestObject) (api.ExportCoordinationBodiesResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportCoordinationBodies is not built yet")
}

// ExportCoordinationMemberships is not built yet. TODO(issue 8).
func (h *Handlers) ExportCoordinationMemberships(ctx context.Context, req api.ExportCoordinationMembershipsRequestObject) (api.ExportCoordinationMembershipsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportCoordinationMemberships is not built yet")
}

// ExportCoordinationSessions is not built yet. TODO(issue 8).
func (h *Handlers) ExportCoordinationSessions(ctx context.Context, req api.ExportCoordinationSessionsRequestObject) (api.ExportCoordinationSessionsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportCoordinationSessions is not built yet")
}

// ExportWorkPlans is not built yet. TODO(issue 8).
func (h *Handlers) ExportWorkPlans(ctx context.Context, req api.ExportWorkPlansRequestObject) (api.ExportWorkPlansResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportWorkPlans is not built yet")
}


// ListWorkPlans is not built yet. TODO(issue 8).
func (h *Handlers) ListWorkPlans(ctx context.Context, req api.ListWorkPlansRequestObject) (api.ListWorkPlansResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListWorkPlans is not built yet")
}

// CreateWorkPlan is not built yet. TODO(issue 8).
func (h *Handlers) CreateWorkPlan(ctx context.Context, req api.CreateWorkPlanRequestObject) (api.CreateWorkPlanResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateWorkPlan is not built yet")
}

// ArchiveWorkPlan is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveWorkPlan(ctx context.Context, req api.ArchiveWorkPlanRequestObject) (api.ArchiveWorkPlanResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveWorkPlan is not built yet")
}

// GetWorkPlan is not built yet. TODO(issue 8).
func (h *Handlers) GetWorkPlan(ctx context.Context, req api.GetWorkPlanRequestObject) (api.GetWorkPlanResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetWorkPlan is not built yet")
}

// UpdateWorkPlan is not built yet. TODO(issue 8).
func (h *Handlers) UpdateWorkPlan(ctx context.Context, req api.UpdateWorkPlanRequestObject) (api.UpdateWorkPlanResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateWorkPlan is not built yet")
}
