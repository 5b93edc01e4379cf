package coordination

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) bodies() *BodyService { return NewBodyService(h.db) }

func bodyToAPI(b Body) api.CoordinationBody {
	status := api.CoordinationBodyStatus(b.Status)
	return api.CoordinationBody{
		Id: b.ID, Code: b.Code, Name: b.Name.api(), Kind: api.CoordinationBodyKind(b.Kind), ParentId: b.ParentID,
		LegalBasisId: b.LegalBasisID, Mandate: b.Mandate.long(), Status: &status, Region: b.Region,
		EstablishedOn: apiDatePtr(b.EstablishedOn), Children: b.Children, Members: b.Members, Demo: b.Demo,
		Version: b.Version, CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(b.ArchivedAt),
	}
}

// bodyWritable is the document a merge patch of a body applies to, and what the audit trail
// records of it.
func bodyWritable(b Body) api.CoordinationBodyCreate {
	status := api.CoordinationBodyStatus(b.Status)
	return api.CoordinationBodyCreate{
		Code: b.Code, Name: b.Name.api(), Kind: api.CoordinationBodyKind(b.Kind), ParentId: b.ParentID,
		LegalBasisId: b.LegalBasisID, Mandate: b.Mandate.long(), Status: &status, Region: b.Region,
		EstablishedOn: apiDatePtr(b.EstablishedOn),
	}
}

func bodyFromAPI(in api.CoordinationBodyCreate) BodyFields {
	f := BodyFields{Code: in.Code, Name: textOf(in.Name), Kind: string(in.Kind), ParentID: in.ParentId,
		LegalBasisID: in.LegalBasisId, Mandate: longTextOf(in.Mandate), Region: in.Region, EstablishedOn: datePtr(in.EstablishedOn)}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	return f
}

// ListCoordinationBodies lists coordination bodies.
func (h *Handlers) ListCoordinationBodies(ctx context.Context, req api.ListCoordinationBodiesRequestObject) (api.ListCoordinationBodiesResponseObject, error) {
	p := req.Params
	f := BodyFilter{Page: pageOf(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), Q: str(p.Q),
		Kinds: apiconv.Strings(p.Kind), Statuses: apiconv.Strings(p.Status), ParentID: p.ParentId,
		Root: p.Root != nil && *p.Root}
	if p.Region != nil {
		f.Regions = *p.Region
	}
	items, next, err := h.bodies().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.CoordinationBodyPage{Items: make([]api.CoordinationBody, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = bodyToAPI(it)
	}
	return api.ListCoordinationBodies200JSONResponse(out), nil
}

// CreateCoordinationBody records a coordination body.
func (h *Handlers) CreateCoordinationBody(ctx context.Context, req api.CreateCoordinationBodyRequestObject) (api.CreateCoordinationBodyResponseObject, error) {
	b, err := h.bodies().Create(ctx, bodyFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateCoordinationBody201JSONResponse{Body: bodyToAPI(b), Headers: api.CreateCoordinationBody201ResponseHeaders{
		Location: new("/v1/coordination-bodies/" + b.ID.String()), ETag: new(etag.Of(b.Version)),
	}}, nil
}

// GetCoordinationBody returns one coordination body.
func (h *Handlers) GetCoordinationBody(ctx context.Context, req api.GetCoordinationBodyRequestObject) (api.GetCoordinationBodyResponseObject, error) {
	b, err := h.bodies().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetCoordinationBody200JSONResponse{Body: bodyToAPI(b),
		Headers: api.GetCoordinationBody200ResponseHeaders{ETag: new(etag.Of(b.Version))}}, nil
}

// UpdateCoordinationBody applies a JSON Merge Patch (RFC 7396) to the body's writable
// representation and stores the result.
func (h *Handlers) UpdateCoordinationBody(ctx context.Context, req api.UpdateCoordinationBodyRequestObject) (api.UpdateCoordinationBodyResponseObject, error) {
	b, err := h.bodies().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Body) (BodyFields, error) {
		var next api.CoordinationBodyCreate
		if err := mergepatch.Apply(bodyWritable(current), *req.Body, &next); err != nil {
			return BodyFields{}, err
		}
		return bodyFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateCoordinationBody200JSONResponse{Body: bodyToAPI(b),
		Headers: api.UpdateCoordinationBody200ResponseHeaders{ETag: new(etag.Of(b.Version))}}, nil
}

// ArchiveCoordinationBody archives a coordination body.
func (h *Handlers) ArchiveCoordinationBody(ctx context.Context, req api.ArchiveCoordinationBodyRequestObject) (api.ArchiveCoordinationBodyResponseObject, error) {
	if err := h.bodies().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveCoordinationBody204Response{}, nil
}
