package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) functions() *FunctionService { return NewFunctionService(h.db, h.tree) }

// functionSnapshot is a function as the audit trail records it: its API representation, legal
// bases and tags included.
func functionSnapshot(f Function) any { return functionToAPI(f) }

func functionToAPI(f Function) api.Function {
	out := api.Function{
		Id: f.ID, Code: f.Code, Title: api.LocalizedText{Es: f.TitleES, En: f.TitleEN},
		Category: api.FunctionCategory(f.Category), LegalBases: legalBasesToAPI(f.LegalBases),
		Status: api.FunctionStatus(f.Status), Tags: append([]api.Tag{}, f.Tags...), OwnerInstitutionId: f.OwnerInstitutionID,
		Demo: f.Demo, Version: f.Version, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(f.ArchivedAt),
	}
	if f.DescriptionES != nil || f.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: f.DescriptionES, En: f.DescriptionEN}
	}
	return out
}

func legalBasesToAPI(in []LegalBasis) []api.LegalBasis {
	out := make([]api.LegalBasis, len(in))
	for i, b := range in {
		out[i] = api.LegalBasis{InstrumentId: b.InstrumentID, Article: b.Article}
	}
	return out
}

// functionWritable is the document a merge patch of a function applies to. Lists are absent
// when empty, so that a patch's null and an empty list both leave none.
func functionWritable(f Function) api.FunctionCreate {
	status := api.FunctionStatus(f.Status)
	out := api.FunctionCreate{Code: f.Code, Title: api.LocalizedText{Es: f.TitleES, En: f.TitleEN},
		Category: api.FunctionCategory(f.Category), Status: &status, OwnerInstitutionId: f.OwnerInstitutionID}
	if f.DescriptionES != nil || f.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: f.DescriptionES, En: f.DescriptionEN}
	}
	if len(f.LegalBases) > 0 {
		out.LegalBases = new(legalBasesToAPI(f.LegalBases))
	}
	if len(f.Tags) > 0 {
		out.Tags = new(append([]api.Tag{}, f.Tags...))
	}
	return out
}

func functionFromAPI(in api.FunctionCreate) FunctionFields {
	f := FunctionFields{Code: in.Code, TitleES: in.Title.Es, TitleEN: in.Title.En, Category: string(in.Category),
		OwnerInstitutionID: in.OwnerInstitutionId}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	if in.Description != nil {
		f.DescriptionES, f.DescriptionEN = in.Description.Es, in.Description.En
	}
	if in.LegalBases != nil {
		f.LegalBases = make([]LegalBasis, len(*in.LegalBases))
		for i, b := range *in.LegalBases {
			f.LegalBases[i] = LegalBasis{InstrumentID: b.InstrumentId, Article: b.Article}
		}
	}
	if in.Tags != nil {
		f.Tags = append([]string{}, *in.Tags...)
	}
	return f
}

// ListFunctions lists functions with their legal bases.
func (h *Handlers) ListFunctions(ctx context.Context, req api.ListFunctionsRequestObject) (api.ListFunctionsResponseObject, error) {
	p := req.Params
	f := FunctionFilter{
		Categories: apiconv.Strings(p.Category), Statuses: apiconv.Strings(p.Status),
		OwnerInstitutionID: p.OwnerInstitutionId, InstrumentID: p.InstrumentId,
		PageSize: paging.Size(p.PageSize), OrderBy: "code",
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Tag != nil {
		f.Tag = *p.Tag
	}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.OrderBy != nil {
		f.OrderBy = string(*p.OrderBy)
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	items, next, err := h.functions().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.FunctionPage{Items: make([]api.Function, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = functionToAPI(it)
	}
	return api.ListFunctions200JSONResponse(out), nil
}

// CreateFunction defines a function.
func (h *Handlers) CreateFunction(ctx context.Context, req api.CreateFunctionRequestObject) (api.CreateFunctionResponseObject, error) {
	fn, err := h.functions().Create(ctx, functionFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateFunction201JSONResponse{Body: functionToAPI(fn), Headers: api.CreateFunction201ResponseHeaders{
		Location: new("/v1/functions/" + fn.ID.String()), ETag: new(etag.Of(fn.Version)),
	}}, nil
}

// GetFunction returns one function.
func (h *Handlers) GetFunction(ctx context.Context, req api.GetFunctionRequestObject) (api.GetFunctionResponseObject, error) {
	fn, err := h.functions().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetFunction200JSONResponse{Body: functionToAPI(fn),
		Headers: api.GetFunction200ResponseHeaders{ETag: new(etag.Of(fn.Version))}}, nil
}

// UpdateFunction applies a JSON Merge Patch (RFC 7396) to the function's writable
// representation; legal_bases and tags, when present, replace the lists (null clears them).
func (h *Handlers) UpdateFunction(ctx context.Context, req api.UpdateFunctionRequestObject) (api.UpdateFunctionResponseObject, error) {
	fn, err := h.functions().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Function) (FunctionFields, error) {
		var next api.FunctionCreate
		if err := mergepatch.Apply(functionWritable(current), *req.Body, &next); err != nil {
			return FunctionFields{}, err
		}
		return functionFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateFunction200JSONResponse{Body: functionToAPI(fn),
		Headers: api.UpdateFunction200ResponseHeaders{ETag: new(etag.Of(fn.Version))}}, nil
}

// ArchiveFunction archives a function.
func (h *Handlers) ArchiveFunction(ctx context.Context, req api.ArchiveFunctionRequestObject) (api.ArchiveFunctionResponseObject, error) {
	if err := h.functions().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveFunction204Response{}, nil
}
