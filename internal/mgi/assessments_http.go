package mgi

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) assessments() *AssessmentService { return NewAssessmentService(h.db) }

func conventionsAPI(in []Convention) *[]api.Convention {
	out := make([]api.Convention, len(in))
	for i, c := range in {
		out[i] = api.Convention{Name: c.Name, Ratified: c.Ratified, Year: c.Year}
	}
	return &out
}

func assessmentToAPI(a Assessment, t Tally) api.MgiAssessment {
	return api.MgiAssessment{
		Id: a.ID, Code: a.Code, Country: a.Country, Year: a.Year, Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN},
		PublishedOn: apiconv.Date(a.PublishedOn), SourceId: a.SourceID, Conventions: conventionsAPI(a.Conventions),
		Notes: textAPI(a.Notes), Answers: t.Answers, Findings: t.Findings, Demo: a.Demo, Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// assessmentWritable is the document a merge patch of an assessment applies to: its conventions
// are always present, so a patch replaces the table whole, and null clears it.
func assessmentWritable(a Assessment) api.MgiAssessmentCreate {
	return api.MgiAssessmentCreate{
		Code: a.Code, Country: a.Country, Year: a.Year, Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN},
		PublishedOn: apiconv.Date(a.PublishedOn), SourceId: a.SourceID, Conventions: conventionsAPI(a.Conventions),
		Notes: textAPI(a.Notes),
	}
}

func assessmentFromAPI(in api.MgiAssessmentCreate) AssessmentFields {
	f := AssessmentFields{Code: in.Code, Country: in.Country, Year: in.Year, Title: Text{ES: in.Title.Es, EN: in.Title.En},
		PublishedOn: apiconv.Day(in.PublishedOn), SourceID: in.SourceId, Notes: textFrom(in.Notes)}
	if in.Conventions != nil {
		for _, c := range *in.Conventions {
			f.Conventions = append(f.Conventions, Convention{Name: c.Name, Ratified: c.Ratified, Year: c.Year})
		}
	}
	return f
}

// represent is a as the API renders it, with its answers and findings counted.
func (h *Handlers) represent(ctx context.Context, a Assessment) (api.MgiAssessment, error) {
	t, err := Tallies(h.db.Conn(ctx), []uuid.UUID{a.ID})
	if err != nil {
		return api.MgiAssessment{}, err
	}
	return assessmentToAPI(a, t[a.ID]), nil
}

// ListMgiAssessments lists assessments, each with its answers and findings counted (one more
// statement per page).
func (h *Handlers) ListMgiAssessments(ctx context.Context, req api.ListMgiAssessmentsRequestObject) (api.ListMgiAssessmentsResponseObject, error) {
	p := req.Params
	f := AssessmentFilter{Page: page(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), Year: p.Year}
	if p.Country != nil {
		f.Countries = *p.Country
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.assessments().List(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	tallies, err := Tallies(h.db.Conn(ctx), ids)
	if err != nil {
		return nil, err
	}
	out := api.MgiAssessmentPage{Items: make([]api.MgiAssessment, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = assessmentToAPI(it, tallies[it.ID])
	}
	return api.ListMgiAssessments200JSONResponse(out), nil
}

// CreateMgiAssessment records an assessment.
func (h *Handlers) CreateMgiAssessment(ctx context.Context, req api.CreateMgiAssessmentRequestObject) (api.CreateMgiAssessmentResponseObject, error) {
	a, err := h.assessments().Create(ctx, assessmentFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	body, err := h.represent(ctx, a)
	if err != nil {
		return nil, err
	}
	return api.CreateMgiAssessment201JSONResponse{Body: body, Headers: api.CreateMgiAssessment201ResponseHeaders{
		Location: new("/v1/mgi-assessments/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetMgiAssessment returns one assessment.
func (h *Handlers) GetMgiAssessment(ctx context.Context, req api.GetMgiAssessmentRequestObject) (api.GetMgiAssessmentResponseObject, error) {
	a, err := h.assessments().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	body, err := h.represent(ctx, a)
	if err != nil {
		return nil, err
	}
	return api.GetMgiAssessment200JSONResponse{Body: body,
		Headers: api.GetMgiAssessment200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateMgiAssessment applies a JSON Merge Patch (RFC 7396) to the assessment's writable
// representation and stores the result.
func (h *Handlers) UpdateMgiAssessment(ctx context.Context, req api.UpdateMgiAssessmentRequestObject) (api.UpdateMgiAssessmentResponseObject, error) {
	a, err := h.assessments().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Assessment) (AssessmentFields, error) {
		var next api.MgiAssessmentCreate
		if err := mergepatch.Apply(assessmentWritable(current), *req.Body, &next); err != nil {
			return AssessmentFields{}, err
		}
		return assessmentFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	body, err := h.represent(ctx, a)
	if err != nil {
		return nil, err
	}
	return api.UpdateMgiAssessment200JSONResponse{Body: body,
		Headers: api.UpdateMgiAssessment200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveMgiAssessment archives an assessment.
func (h *Handlers) ArchiveMgiAssessment(ctx context.Context, req api.ArchiveMgiAssessmentRequestObject) (api.ArchiveMgiAssessmentResponseObject, error) {
	if err := h.assessments().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveMgiAssessment204Response{}, nil
}
