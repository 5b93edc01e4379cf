package mgi

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) answers() *AnswerService { return NewAnswerService(h.db) }

func answerToAPI(a Answer) api.MgiAnswer {
	return api.MgiAnswer{
		Id: a.ID, AssessmentId: a.AssessmentID, IndicatorId: a.IndicatorID, Answer: api.MgiAnswerValue(a.Answer),
		Note: textAPI(a.Note), InstrumentIds: idsAPI(a.InstrumentIDs), InstitutionIds: idsAPI(a.InstitutionIDs),
		IndicatorCode: a.IndicatorCode, Domain: api.MgiDomain(a.Domain), Demo: a.Demo, Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// answerWritable is the document a merge patch of an answer applies to: its evidence lists are
// always present, so a patch replaces them whole, and null clears them.
func answerWritable(a Answer) api.MgiAnswerCreate {
	return api.MgiAnswerCreate{
		AssessmentId: a.AssessmentID, IndicatorId: a.IndicatorID, Answer: api.MgiAnswerValue(a.Answer), Note: textAPI(a.Note),
		InstrumentIds: idsAPI(a.InstrumentIDs), InstitutionIds: idsAPI(a.InstitutionIDs),
	}
}

func answerFromAPI(in api.MgiAnswerCreate) AnswerFields {
	return AnswerFields{AssessmentID: in.AssessmentId, IndicatorID: in.IndicatorId, Answer: string(in.Answer),
		Note: textFrom(in.Note), InstrumentIDs: ids(in.InstrumentIds), InstitutionIDs: ids(in.InstitutionIds)}
}

// ListMgiAnswers lists answers, each with its indicator's code and domain, in one statement per
// page.
func (h *Handlers) ListMgiAnswers(ctx context.Context, req api.ListMgiAnswersRequestObject) (api.ListMgiAnswersResponseObject, error) {
	p := req.Params
	f := AnswerFilter{Page: page(p.PageSize, p.PageToken, p.IncludeArchived, nil, p.OrderBy), AssessmentID: p.AssessmentId,
		IndicatorID: p.IndicatorId, Answers: apiconv.Strings(p.Answer), Domains: apiconv.Strings(p.Domain)}
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.answers().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.MgiAnswerPage{Items: make([]api.MgiAnswer, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = answerToAPI(it)
	}
	return api.ListMgiAnswers200JSONResponse(out), nil
}

// CreateMgiAnswer records how an assessment answered an indicator.
func (h *Handlers) CreateMgiAnswer(ctx context.Context, req api.CreateMgiAnswerRequestObject) (api.CreateMgiAnswerResponseObject, error) {
	a, err := h.answers().Create(ctx, answerFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateMgiAnswer201JSONResponse{Body: answerToAPI(a), Headers: api.CreateMgiAnswer201ResponseHeaders{
		Location: new("/v1/mgi-answers/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetMgiAnswer returns one answer.
func (h *Handlers) GetMgiAnswer(ctx context.Context, req api.GetMgiAnswerRequestObject) (api.GetMgiAnswerResponseObject, error) {
	a, err := h.answers().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetMgiAnswer200JSONResponse{Body: answerToAPI(a),
		Headers: api.GetMgiAnswer200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateMgiAnswer applies a JSON Merge Patch (RFC 7396) to the answer's writable representation
// and stores the result.
func (h *Handlers) UpdateMgiAnswer(ctx context.Context, req api.UpdateMgiAnswerRequestObject) (api.UpdateMgiAnswerResponseObject, error) {
	a, err := h.answers().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Answer) (AnswerFields, error) {
		var next api.MgiAnswerCreate
		if err := mergepatch.Apply(answerWritable(current), *req.Body, &next); err != nil {
			return AnswerFields{}, err
		}
		return answerFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateMgiAnswer200JSONResponse{Body: answerToAPI(a),
		Headers: api.UpdateMgiAnswer200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveMgiAnswer archives an answer.
func (h *Handlers) ArchiveMgiAnswer(ctx context.Context, req api.ArchiveMgiAnswerRequestObject) (api.ArchiveMgiAnswerResponseObject, error) {
	if err := h.answers().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveMgiAnswer204Response{}, nil
}
