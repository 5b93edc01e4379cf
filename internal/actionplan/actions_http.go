package actionplan

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) actions() *ActionService { return NewActionService(h.db) }

// actionSnapshot is an action as the audit trail records it: its API representation.
func actionSnapshot(a Action) any { return actionToAPI(a) }

// aplText is the API form of an optional localized text: absent when neither language is given.
func aplText(t Text) *api.LongLocalizedText {
	if t.ES == nil && t.EN == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: t.ES, En: t.EN}
}

func aplTextFrom(t *api.LongLocalizedText) Text {
	if t == nil {
		return Text{}
	}
	return Text{ES: t.Es, EN: t.En}
}

func aplObjectives(in []Text) []api.LongLocalizedText {
	out := make([]api.LongLocalizedText, len(in))
	for i, o := range in {
		out[i] = api.LongLocalizedText{Es: o.ES, En: o.EN}
	}
	return out
}

func actionToAPI(a Action) api.Action {
	return api.Action{
		Id: a.ID, Code: a.Code, Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN}, BeneficiaryId: a.BeneficiaryID,
		StartDate: openapi_types.Date{Time: a.StartDate}, EndDate: openapi_types.Date{Time: a.EndDate},
		GeneralObjective: aplText(a.GeneralObjective), SpecificObjectives: aplObjectives(a.SpecificObjectives),
		Demo: a.Demo, Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// actionWritable is the document a merge patch of an action applies to: its objectives are always
// present, so a patch replaces them whole, and null clears them.
func actionWritable(a Action) api.ActionCreate {
	objectives := aplObjectives(a.SpecificObjectives)
	return api.ActionCreate{
		Code: a.Code, Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN}, BeneficiaryId: a.BeneficiaryID,
		StartDate: openapi_types.Date{Time: a.StartDate}, EndDate: openapi_types.Date{Time: a.EndDate},
		GeneralObjective: aplText(a.GeneralObjective), SpecificObjectives: &objectives,
	}
}

func actionFromAPI(in api.ActionCreate) ActionFields {
	f := ActionFields{
		Code: in.Code, Title: Text{ES: in.Title.Es, EN: in.Title.En}, BeneficiaryID: in.BeneficiaryId,
		StartDate: in.StartDate.Time, EndDate: in.EndDate.Time, GeneralObjective: aplTextFrom(in.GeneralObjective),
	}
	if in.SpecificObjectives != nil {
		for _, o := range *in.SpecificObjectives {
			f.SpecificObjectives = append(f.SpecificObjectives, Text{ES: o.Es, EN: o.En})
		}
	}
	return f
}

// aplPage reads the query parameters every list of the plan has.
func aplPage[O ~string](size *int, token *string, archived *bool, codes *[]string, order *O) Page {
	p := Page{PageSize: paging.Size(size)}
	if token != nil {
		p.PageToken = *token
	}
	if archived != nil {
		p.IncludeArchived = *archived
	}
	if codes != nil {
		p.Codes = *codes
	}
	if order != nil {
		p.OrderBy = string(*order)
	}
	return p
}

// ListActions lists actions.
func (h *Handlers) ListActions(ctx context.Context, req api.ListActionsRequestObject) (api.ListActionsResponseObject, error) {
	p := req.Params
	f := ActionFilter{Page: aplPage(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), BeneficiaryID: p.BeneficiaryId}
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.actions().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ActionPage{Items: make([]api.Action, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = actionToAPI(it)
	}
	return api.ListActions200JSONResponse(out), nil
}

// CreateAction records an action.
func (h *Handlers) CreateAction(ctx context.Context, req api.CreateActionRequestObject) (api.CreateActionResponseObject, error) {
	a, err := h.actions().Create(ctx, actionFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateAction201JSONResponse{Body: actionToAPI(a), Headers: api.CreateAction201ResponseHeaders{
		Location: new("/v1/actions/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetAction returns one action.
func (h *Handlers) GetAction(ctx context.Context, req api.GetActionRequestObject) (api.GetActionResponseObject, error) {
	a, err := h.actions().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetAction200JSONResponse{Body: actionToAPI(a),
		Headers: api.GetAction200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateAction applies a JSON Merge Patch (RFC 7396) to the action's writable representation and
// stores the result.
func (h *Handlers) UpdateAction(ctx context.Context, req api.UpdateActionRequestObject) (api.UpdateActionResponseObject, error) {
	a, err := h.actions().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Action) (ActionFields, error) {
		var next api.ActionCreate
		if err := mergepatch.Apply(actionWritable(current), *req.Body, &next); err != nil {
			return ActionFields{}, err
		}
		return actionFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateAction200JSONResponse{Body: actionToAPI(a),
		Headers: api.UpdateAction200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveAction archives an action.
func (h *Handlers) ArchiveAction(ctx context.Context, req api.ArchiveActionRequestObject) (api.ArchiveActionResponseObject, error) {
	if err := h.actions().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveAction204Response{}, nil
}
