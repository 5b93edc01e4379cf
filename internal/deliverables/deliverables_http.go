package deliverables

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// snapshot is a deliverable as the audit trail records it: its API representation.
func snapshot(d Deliverable) any { return toAPI(d) }

// text is the API form of an optional localized text: absent when neither language is given.
func text(es, en *string) *api.LongLocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: es, En: en}
}

func ids(in []uuid.UUID) []uuid.UUID { return append([]uuid.UUID{}, in...) }

func toAPI(d Deliverable) api.Deliverable {
	out := api.Deliverable{
		Id: d.ID, ActionId: d.ActionID, Code: d.Code, Type: api.DeliverableType(d.Type),
		Title: api.LocalizedText{Es: d.TitleES, En: d.TitleEN}, Description: text(d.DescriptionES, d.DescriptionEN),
		OwnerUnitId: d.OwnerUnitID, DueDate: apiconv.Date(d.DueDate), Status: api.DeliverableStatus(d.Status),
		Overdue: d.Overdue, FunctionIds: ids(d.FunctionIDs), PracticeIds: ids(d.PracticeIDs), EventIds: ids(d.EventIDs),
		GapIds: ids(d.GapIDs), Demo: d.Demo, Version: d.Version, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(d.ArchivedAt),
	}
	if d.LatestVersion != nil {
		out.LatestVersion = new(versionToAPI(*d.LatestVersion))
	}
	return out
}

// writable is the document a merge patch of a deliverable applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func writable(d Deliverable) api.DeliverableCreate {
	return api.DeliverableCreate{
		ActionId: d.ActionID, Code: d.Code, Type: api.DeliverableType(d.Type),
		Title: api.LocalizedText{Es: d.TitleES, En: d.TitleEN}, Description: text(d.DescriptionES, d.DescriptionEN),
		OwnerUnitId: d.OwnerUnitID, DueDate: apiconv.Date(d.DueDate), FunctionIds: new(ids(d.FunctionIDs)),
		PracticeIds: new(ids(d.PracticeIDs)), EventIds: new(ids(d.EventIDs)), GapIds: new(ids(d.GapIDs)),
	}
}

func fromAPI(in api.DeliverableCreate) Fields {
	f := Fields{ActionID: in.ActionId, Code: in.Code, Type: string(in.Type), TitleES: in.Title.Es, TitleEN: in.Title.En,
		OwnerUnitID: in.OwnerUnitId, DueDate: apiconv.Day(in.DueDate), FunctionIDs: optIDs(in.FunctionIds),
		PracticeIDs: optIDs(in.PracticeIds), EventIDs: optIDs(in.EventIds), GapIDs: optIDs(in.GapIds)}
	if in.Description != nil {
		f.DescriptionES, f.DescriptionEN = in.Description.Es, in.Description.En
	}
	return f
}

// optIDs copies an optional list of ids (nil for none).
func optIDs(in *[]uuid.UUID) []uuid.UUID {
	if in == nil {
		return nil
	}
	return ids(*in)
}

// ListDeliverables lists deliverables.
func (h *Handlers) ListDeliverables(ctx context.Context, req api.ListDeliverablesRequestObject) (api.ListDeliverablesResponseObject, error) {
	p := req.Params
	f := Filter{ActionID: p.ActionId, Types: apiconv.Strings(p.Type), Statuses: apiconv.Strings(p.Status),
		OwnerUnitID: p.OwnerUnitId, DueFrom: apiconv.Day(p.DueFrom), DueTo: apiconv.Day(p.DueTo), Overdue: p.Overdue,
		PageSize: paging.Size(p.PageSize)}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Code != nil {
		f.Codes = *p.Code
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
	items, next, err := h.service().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.DeliverablePage{Items: make([]api.Deliverable, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = toAPI(it)
	}
	return api.ListDeliverables200JSONResponse(out), nil
}

// CreateDeliverable plans a deliverable.
func (h *Handlers) CreateDeliverable(ctx context.Context, req api.CreateDeliverableRequestObject) (api.CreateDeliverableResponseObject, error) {
	d, err := h.service().Create(ctx, fromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateDeliverable201JSONResponse{Body: toAPI(d), Headers: api.CreateDeliverable201ResponseHeaders{
		Location: new("/v1/deliverables/" + d.ID.String()), ETag: new(etag.Of(d.Version)),
	}}, nil
}

// GetDeliverable returns one deliverable.
func (h *Handlers) GetDeliverable(ctx context.Context, req api.GetDeliverableRequestObject) (api.GetDeliverableResponseObject, error) {
	d, err := h.service().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetDeliverable200JSONResponse{Body: toAPI(d),
		Headers: api.GetDeliverable200ResponseHeaders{ETag: new(etag.Of(d.Version))}}, nil
}

// UpdateDeliverable applies a JSON Merge Patch (RFC 7396) to the deliverable's writable
// representation and stores the result.
func (h *Handlers) UpdateDeliverable(ctx context.Context, req api.UpdateDeliverableRequestObject) (api.UpdateDeliverableResponseObject, error) {
	d, err := h.service().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Deliverable) (Fields, error) {
		var next api.DeliverableCreate
		if err := mergepatch.Apply(writable(current), *req.Body, &next); err != nil {
			return Fields{}, err
		}
		return fromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateDeliverable200JSONResponse{Body: toAPI(d),
		Headers: api.UpdateDeliverable200ResponseHeaders{ETag: new(etag.Of(d.Version))}}, nil
}

// ArchiveDeliverable archives a deliverable.
func (h *Handlers) ArchiveDeliverable(ctx context.Context, req api.ArchiveDeliverableRequestObject) (api.ArchiveDeliverableResponseObject, error) {
	if err := h.service().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveDeliverable204Response{}, nil
}
