package mgi

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

// ExportMgiAnswers is not built yet. TODO(issue 8).
func (h *Handlers) ExportMgiAnswers(ctx context.Context, req api.ExportMgiAnswersRequestObject) (api.ExportMgiAnswersResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportMgiAnswers is not built yet")
}

// ExportMgiAssessments is not built yet. TODO(issue 8).
func (h *Handlers) ExportMgiAssessments(ctx context.Context, req api.ExportMgiAssessmentsRequestObject) (api.ExportMgiAssessmentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportMgiAssessments is not built yet")
}

// ExportMgiFindings is not built yet. TODO(issue 8).
func (h *Handlers) ExportMgiFindings(ctx context.Context, req api.ExportMgiFindingsRequestObject) (api.ExportMgiFindingsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportMgiFindings is not built yet")
}

// ExportMgiIndicators is not built yet. TODO(issue 8).
func (h *Handlers) ExportMgiIndicators(ctx context.Context, req api.ExportMgiIndicatorsRequestObject) (api.ExportMgiIndicatorsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ExportMgiIndicators is not built yet")
}

// ListMgiAnswers is not built yet. TODO(issue 8).
func (h *Handlers) ListMgiAnswers(ctx context.Context, req api.ListMgiAnswersRequestObject) (api.ListMgiAnswersResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListMgiAnswers is not built yet")
}

// CreateMgiAnswer is not built yet. TODO(issue 8).
func (h *Handlers) CreateMgiAnswer(ctx context.Context, req api.CreateMgiAnswerRequestObject) (api.CreateMgiAnswerResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateMgiAnswer is not built yet")
}

// ArchiveMgiAnswer is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveMgiAnswer(ctx context.Context, req api.ArchiveMgiAnswerRequestObject) (api.ArchiveMgiAnswerResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveMgiAnswer is not built yet")
}

// GetMgiAnswer is not built yet. TODO(issue 8).
func (h *Handlers) GetMgiAnswer(ctx context.Context, req api.GetMgiAnswerRequestObject) (api.GetMgiAnswerResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetMgiAnswer is not built yet")
}

// UpdateMgiAnswer is not built yet. TODO(issue 8).
func (h *Handlers) UpdateMgiAnswer(ctx context.Context, req api.UpdateMgiAnswerRequestObject) (api.UpdateMgiAnswerResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateMgiAnswer is not built yet")
}

// ListMgiAssessments is not built yet. TODO(issue 8).
func (h *Handlers) ListMgiAssessments(ctx context.Context, req api.ListMgiAssessmentsRequestObject) (api.ListMgiAssessmentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListMgiAssessments is not built yet")
}

// CreateMgiAssessment is not built yet. TODO(issue 8).
func (h *Handlers) CreateMgiAssessment(ctx context.Context, req api.CreateMgiAssessmentRequestObject) (api.CreateMgiAssessmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateMgiAssessment is not built yet")
}

// CompareMgiAssessments is not built yet. TODO(issue 8).
func (h *Handlers) CompareMgiAssessments(ctx context.Context, req api.CompareMgiAssessmentsRequestObject) (api.CompareMgiAssessmentsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CompareMgiAssessments is not built yet")
}

// ArchiveMgiAssessment is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveMgiAssessment(ctx context.Context, req api.ArchiveMgiAssessmentRequestObject) (api.ArchiveMgiAssessmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveMgiAssessment is not built yet")
}

// GetMgiAssessment is not built yet. TODO(issue 8).
func (h *Handlers) GetMgiAssessment(ctx context.Context, req api.GetMgiAssessmentRequestObject) (api.GetMgiAssessmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetMgiAssessment is not built yet")
}

// UpdateMgiAssessment is not built yet. TODO(issue 8).
func (h *Handlers) UpdateMgiAssessment(ctx context.Context, req api.UpdateMgiAssessmentRequestObject) (api.UpdateMgiAssessmentResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateMgiAssessment is not built yet")
}

// ListMgiFindings is not built yet. TODO(issue 8).
func (h *Handlers) ListMgiFindings(ctx context.Context, req api.ListMgiFindingsRequestObject) (api.ListMgiFindingsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListMgiFindings is not built yet")
}

// CreateMgiFinding is not built yet. TODO(issue 8).
func (h *Handlers) CreateMgiFinding(ctx context.Context, req api.CreateMgiFindingRequestObject) (api.CreateMgiFindingResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateMgiFinding is not built yet")
}

// ArchiveMgiFinding is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveMgiFinding(ctx context.Context, req api.ArchiveMgiFindingRequestObject) (api.ArchiveMgiFindingResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveMgiFinding is not built yet")
}

// GetMgiFinding is not built yet. TODO(issue 8).
func (h *Handlers) GetMgiFinding(ctx context.Context, req api.GetMgiFindingRequestObject) (api.GetMgiFindingResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetMgiFinding is not built yet")
}

// UpdateMgiFinding is not built yet. TODO(issue 8).
func (h *Handlers) UpdateMgiFinding(ctx context.Context, req api.UpdateMgiFindingRequestObject) (api.UpdateMgiFindingResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateMgiFinding is not built yet")
}

// ListMgiIndicators is not built yet. TODO(issue 8).
func (h *Handlers) ListMgiIndicators(ctx context.Context, req api.ListMgiIndicatorsRequestObject) (api.ListMgiIndicatorsResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ListMgiIndicators is not built yet")
}

// CreateMgiIndicator is not built yet. TODO(issue 8).
func (h *Handlers) CreateMgiIndicator(ctx context.Context, req api.CreateMgiIndicatorRequestObject) (api.CreateMgiIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "CreateMgiIndicator is not built yet")
}

// ArchiveMgiIndicator is not built yet. TODO(issue 8).
func (h *Handlers) ArchiveMgiIndicator(ctx context.Context, req api.ArchiveMgiIndicatorRequestObject) (api.ArchiveMgiIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "ArchiveMgiIndicator is not built yet")
}

// GetMgiIndicator is not built yet. TODO(issue 8).
func (h *Handlers) GetMgiIndicator(ctx context.Context, req api.GetMgiIndicatorRequestObject) (api.GetMgiIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "GetMgiIndicator is not built yet")
}

// UpdateMgiIndicator is not built yet. TODO(issue 8).
func (h *Handlers) UpdateMgiIndicator(ctx context.Context, req api.UpdateMgiIndicatorRequestObject) (api.UpdateMgiIndicatorResponseObject, error) {
	return nil, apperr.New(apperr.Internal, "UpdateMgiIndicator is not built yet")
}
