package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) text() *TextService { return NewTextService(h.db, h.tree) }

// localized is the API form of an optional short text: absent when neither language is given.
func localized(es, en *string) *api.LocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LocalizedText{Es: es, En: en}
}

// orEmpty is the languages of an optional short text (none when absent).
func orEmpty(t *api.LocalizedText) (es, en *string) {
	if t == nil {
		return nil, nil
	}
	return t.Es, t.En
}

// blueprintSnapshot is a blueprint as the audit trail records it: its API representation.
func blueprintSnapshot(b Blueprint) any { return blueprintToAPI(b) }

func blueprintToAPI(b Blueprint) api.Blueprint {
	return api.Blueprint{Id: b.ID, Code: b.Code, Title: api.LocalizedText{Es: b.TitleES, En: b.TitleEN},
		DeliverableId: b.DeliverableID, Demo: b.Demo, Version: b.Version, CreatedAt: b.CreatedAt.UTC(),
		UpdatedAt: b.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(b.ArchivedAt)}
}

func blueprintFromAPI(in api.BlueprintCreate) BlueprintFields {
	return BlueprintFields{Code: in.Code, TitleES: in.Title.Es, TitleEN: in.Title.En, DeliverableID: in.DeliverableId}
}

// ListBlueprints lists blueprints.
func (h *Handlers) ListBlueprints(ctx context.Context, req api.ListBlueprintsRequestObject) (api.ListBlueprintsResponseObject, error) {
	p := req.Params
	f := BlueprintFilter{DeliverableID: p.DeliverableId, PageSize: paging.Size(p.PageSize)}
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
	items, next, err := h.text().ListBlueprints(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintPage{Items: make([]api.Blueprint, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = blueprintToAPI(it)
	}
	return api.ListBlueprints200JSONResponse(out), nil
}

// CreateBlueprint creates a blueprint.
func (h *Handlers) CreateBlueprint(ctx context.Context, req api.CreateBlueprintRequestObject) (api.CreateBlueprintResponseObject, error) {
	b, err := h.text().CreateBlueprint(ctx, blueprintFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateBlueprint201JSONResponse{Body: blueprintToAPI(b), Headers: api.CreateBlueprint201ResponseHeaders{
		Location: new("/v1/blueprints/" + b.ID.String()), ETag: new(etag.Of(b.Version)),
	}}, nil
}

// GetBlueprint returns one blueprint.
func (h *Handlers) GetBlueprint(ctx context.Context, req api.GetBlueprintRequestObject) (api.GetBlueprintResponseObject, error) {
	b, err := h.text().Blueprint(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetBlueprint200JSONResponse{Body: blueprintToAPI(b),
		Headers: api.GetBlueprint200ResponseHeaders{ETag: new(etag.Of(b.Version))}}, nil
}

// UpdateBlueprint applies a JSON Merge Patch to the blueprint's writable representation.
func (h *Handlers) UpdateBlueprint(ctx context.Context, req api.UpdateBlueprintRequestObject) (api.UpdateBlueprintResponseObject, error) {
	b, err := h.text().UpdateBlueprint(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Blueprint) (BlueprintFields, error) {
		var next api.BlueprintCreate
		writable := api.BlueprintCreate{Code: current.Code, Title: api.LocalizedText{Es: current.TitleES, En: current.TitleEN},
			DeliverableId: current.DeliverableID}
		if err := mergepatch.Apply(writable, *req.Body, &next); err != nil {
			return BlueprintFields{}, err
		}
		return blueprintFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateBlueprint200JSONResponse{Body: blueprintToAPI(b),
		Headers: api.UpdateBlueprint200ResponseHeaders{ETag: new(etag.Of(b.Version))}}, nil
}

// ArchiveBlueprint archives a blueprint.
func (h *Handlers) ArchiveBlueprint(ctx context.Context, req api.ArchiveBlueprintRequestObject) (api.ArchiveBlueprintResponseObject, error) {
	if err := h.text().ArchiveBlueprint(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveBlueprint204Response{}, nil
}
