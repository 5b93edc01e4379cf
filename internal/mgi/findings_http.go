package mgi

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) findings() *FindingService { return NewFindingService(h.db) }

func findingToAPI(f Finding) api.MgiFinding {
	return api.MgiFinding{
		Id: f.ID, AssessmentId: f.AssessmentID, Code: f.Code, Domain: api.MgiDomain(f.Domain), Kind: api.MgiFindingKind(f.Kind),
		Text: api.LongLocalizedText{Es: f.Text.ES, En: f.Text.EN}, IndicatorIds: idsAPI(f.IndicatorIDs),
		FunctionIds: idsAPI(f.FunctionIDs), ArticleIds: idsAPI(f.ArticleIDs), Answered: f.Answered(), Demo: f.Demo,
		Version: f.Version, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(f.ArchivedAt),
	}
}

// findingWritable is the document a merge patch of a finding applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func findingWritable(f Finding) api.MgiFindingCreate {
	return api.MgiFindingCreate{
		AssessmentId: f.AssessmentID, Code: f.Code, Domain: api.MgiDomain(f.Domain), Kind: api.MgiFindingKind(f.Kind),
		Text: api.LongLocalizedText{Es: f.Text.ES, En: f.Text.EN}, IndicatorIds: idsAPI(f.IndicatorIDs),
		FunctionIds: idsAPI(f.FunctionIDs), ArticleIds: idsAPI(f.ArticleIDs),
	}
}

func findingFromAPI(in api.MgiFindingCreate) FindingFields {
	return FindingFields{AssessmentID: in.AssessmentId, Code: in.Code, Domain: string(in.Domain), Kind: string(in.Kind),
		Text: Text{ES: in.Text.Es, EN: in.Text.En}, IndicatorIDs: ids(in.IndicatorIds), FunctionIDs: ids(in.FunctionIds),
		ArticleIDs: ids(in.ArticleIds)}
}

// ListMgiFindings lists findings.
func (h *Handlers) ListMgiFindings(ctx context.Context, req api.ListMgiFindingsRequestObject) (api.ListMgiFindingsResponseObject, error) {
	p := req.Params
	f := FindingFilter{Page: page(p.PageSize, p.PageToken, p.IncludeArchived, nil, p.OrderBy), AssessmentID: p.AssessmentId,
		Domains: apiconv.Strings(p.Domain), Kinds: apiconv.Strings(p.Kind), FunctionID: p.FunctionId, ArticleID: p.ArticleId,
		Answered: p.Answered}
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.findings().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.MgiFindingPage{Items: make([]api.MgiFinding, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = findingToAPI(it)
	}
	return api.ListMgiFindings200JSONResponse(out), nil
}

// CreateMgiFinding records a finding of an assessment.
func (h *Handlers) CreateMgiFinding(ctx context.Context, req api.CreateMgiFindingRequestObject) (api.CreateMgiFindingResponseObject, error) {
	f, err := h.findings().Create(ctx, findingFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateMgiFinding201JSONResponse{Body: findingToAPI(f), Headers: api.CreateMgiFinding201ResponseHeaders{
		Location: new("/v1/mgi-findings/" + f.ID.String()), ETag: new(etag.Of(f.Version)),
	}}, nil
}

// GetMgiFinding returns one finding.
func (h *Handlers) GetMgiFinding(ctx context.Context, req api.GetMgiFindingRequestObject) (api.GetMgiFindingResponseObject, error) {
	f, err := h.findings().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetMgiFinding200JSONResponse{Body: findingToAPI(f),
		Headers: api.GetMgiFinding200ResponseHeaders{ETag: new(etag.Of(f.Version))}}, nil
}

// UpdateMgiFinding applies a JSON Merge Patch (RFC 7396) to the finding's writable
// representation and stores the result.
func (h *Handlers) UpdateMgiFinding(ctx context.Context, req api.UpdateMgiFindingRequestObject) (api.UpdateMgiFindingResponseObject, error) {
	f, err := h.findings().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Finding) (FindingFields, error) {
		var next api.MgiFindingCreate
		if err := mergepatch.Apply(findingWritable(current), *req.Body, &next); err != nil {
			return FindingFields{}, err
		}
		return findingFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateMgiFinding200JSONResponse{Body: findingToAPI(f),
		Headers: api.UpdateMgiFinding200ResponseHeaders{ETag: new(etag.Of(f.Version))}}, nil
}

// ArchiveMgiFinding archives a finding.
func (h *Handlers) ArchiveMgiFinding(ctx context.Context, req api.ArchiveMgiFindingRequestObject) (api.ArchiveMgiFindingResponseObject, error) {
	if err := h.findings().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveMgiFinding204Response{}, nil
}
