package institutions

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// Handlers translate between the contract's types and the Service; they hold no rules.
type Handlers struct{ svc *Service }

// NewHandlers returns the institutions handlers.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }

// Represent is the API representation of an institution; the audit trail uses it too.
func Represent(i Institution) any { return toAPI(i) }

func toAPI(i Institution) api.Institution {
	out := api.Institution{
		Id: i.ID, Code: i.Code, Name: api.LocalizedText{Es: i.NameES, En: i.NameEN}, Acronym: i.Acronym,
		Kind: api.InstitutionKind(i.Kind), ParentId: i.ParentID, Country: i.Country,
		Tier: api.InstitutionTier(i.Tier), Status: api.InstitutionStatus(i.Status),
		EstablishedOn: apiconv.Date(i.EstablishedOn), DissolvedOn: apiconv.Date(i.DissolvedOn), Website: i.Website,
		Demo: i.Demo, Version: i.Version, CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(i.ArchivedAt),
	}
	if i.DescriptionES != nil || i.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: i.DescriptionES, En: i.DescriptionEN}
	}
	return out
}

// writable is the representation of the fields a client writes, the document a merge patch
// applies to.
func writable(i Institution) api.InstitutionCreate {
	status := api.InstitutionStatus(i.Status)
	out := api.InstitutionCreate{Code: i.Code, Name: api.LocalizedText{Es: i.NameES, En: i.NameEN}, Acronym: i.Acronym,
		Kind: api.InstitutionKind(i.Kind), ParentId: i.ParentID, Country: i.Country, Tier: api.InstitutionTier(i.Tier),
		Status: &status, EstablishedOn: apiconv.Date(i.EstablishedOn), DissolvedOn: apiconv.Date(i.DissolvedOn), Website: i.Website}
	if i.DescriptionES != nil || i.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: i.DescriptionES, En: i.DescriptionEN}
	}
	return out
}

func fromAPI(in api.InstitutionCreate) Fields {
	f := Fields{Code: in.Code, NameES: in.Name.Es, NameEN: in.Name.En, Acronym: in.Acronym, Kind: string(in.Kind),
		ParentID: in.ParentId, Country: in.Country, Tier: string(in.Tier), Website: in.Website,
		EstablishedOn: apiconv.Day(in.EstablishedOn), DissolvedOn: apiconv.Day(in.DissolvedOn)}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	if in.Description != nil {
		f.DescriptionES, f.DescriptionEN = in.Description.Es, in.Description.En
	}
	return f
}

// ListInstitutions lists institutions.
func (h *Handlers) ListInstitutions(ctx context.Context, req api.ListInstitutionsRequestObject) (api.ListInstitutionsResponseObject, error) {
	p := req.Params
	f := Filter{
		ParentID:  p.ParentId,
		PageSize:  paging.Size(p.PageSize),
		OrderBy:   "code",
		Kinds:     apiconv.Strings(p.Kind),
		Countries: apiconv.Strings(p.Country),
		Tiers:     apiconv.Strings(p.Tier),
		Statuses:  apiconv.Strings(p.Status),
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Root != nil {
		f.RootsOnly = *p.Root
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
	items, next, err := h.svc.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.InstitutionPage{Items: make([]api.Institution, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = toAPI(it)
	}
	return api.ListInstitutions200JSONResponse(out), nil
}

// CreateInstitution creates an institution.
func (h *Handlers) CreateInstitution(ctx context.Context, req api.CreateInstitutionRequestObject) (api.CreateInstitutionResponseObject, error) {
	inst, err := h.svc.Create(ctx, fromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateInstitution201JSONResponse{Body: toAPI(inst), Headers: api.CreateInstitution201ResponseHeaders{
		Location: new("/v1/institutions/" + inst.ID.String()), ETag: new(etag.Of(inst.Version)),
	}}, nil
}

// GetInstitution returns one institution.
func (h *Handlers) GetInstitution(ctx context.Context, req api.GetInstitutionRequestObject) (api.GetInstitutionResponseObject, error) {
	inst, err := h.svc.Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetInstitution200JSONResponse{Body: toAPI(inst), Headers: api.GetInstitution200ResponseHeaders{ETag: new(etag.Of(inst.Version))}}, nil
}

// UpdateInstitution applies a JSON Merge Patch (RFC 7396) to the institution's writable
// representation and stores the result.
func (h *Handlers) UpdateInstitution(ctx context.Context, req api.UpdateInstitutionRequestObject) (api.UpdateInstitutionResponseObject, error) {
	inst, err := h.svc.Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Institution) (Fields, error) {
		var next api.InstitutionCreate
		if err := mergepatch.Apply(writable(current), *req.Body, &next); err != nil {
			return Fields{}, err
		}
		return fromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateInstitution200JSONResponse{Body: toAPI(inst), Headers: api.UpdateInstitution200ResponseHeaders{ETag: new(etag.Of(inst.Version))}}, nil
}

// ArchiveInstitution archives an institution.
func (h *Handlers) ArchiveInstitution(ctx context.Context, req api.ArchiveInstitutionRequestObject) (api.ArchiveInstitutionResponseObject, error) {
	if err := h.svc.Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveInstitution204Response{}, nil
}

// RestoreInstitution restores an archived institution.
func (h *Handlers) RestoreInstitution(ctx context.Context, req api.RestoreInstitutionRequestObject) (api.RestoreInstitutionResponseObject, error) {
	inst, err := h.svc.Restore(ctx, req.Id, etag.IfMatch(req.Params.IfMatch))
	if err != nil {
		return nil, err
	}
	return api.RestoreInstitution200JSONResponse{Body: toAPI(inst), Headers: api.RestoreInstitution200ResponseHeaders{ETag: new(etag.Of(inst.Version))}}, nil
}

// ListInstitutionAncestors returns the parents, root first.
func (h *Handlers) ListInstitutionAncestors(ctx context.Context, req api.ListInstitutionAncestorsRequestObject) (api.ListInstitutionAncestorsResponseObject, error) {
	items, err := h.svc.Ancestors(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.InstitutionList{Items: make([]api.Institution, len(items))}
	for i, it := range items {
		out.Items[i] = toAPI(it)
	}
	return api.ListInstitutionAncestors200JSONResponse(out), nil
}

// ListInstitutionSubtree returns the institution and its descendants.
func (h *Handlers) ListInstitutionSubtree(ctx context.Context, req api.ListInstitutionSubtreeRequestObject) (api.ListInstitutionSubtreeResponseObject, error) {
	depth := 32
	if req.Params.MaxDepth != nil {
		depth = *req.Params.MaxDepth
	}
	archived := req.Params.IncludeArchived != nil && *req.Params.IncludeArchived
	nodes, err := h.svc.Subtree(ctx, req.Id, depth, archived)
	if err != nil {
		return nil, err
	}
	out := api.InstitutionTree{Items: make([]api.InstitutionNode, len(nodes))}
	for i, n := range nodes {
		out.Items[i] = api.InstitutionNode{Depth: n.Depth, Institution: toAPI(n.Institution)}
	}
	return api.ListInstitutionSubtree200JSONResponse(out), nil
}
