package mgi

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) indicators() *IndicatorService { return NewIndicatorService(h.db) }

func indicatorToAPI(i Indicator) api.MgiIndicator {
	return api.MgiIndicator{
		Id: i.ID, Code: i.Code, Domain: api.MgiDomain(i.Domain), Text: api.LongLocalizedText{Es: i.Text.ES, En: i.Text.EN},
		Position: new(i.Position), Demo: i.Demo, Version: i.Version, CreatedAt: i.CreatedAt.UTC(),
		UpdatedAt: i.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(i.ArchivedAt),
	}
}

// indicatorWritable is the document a merge patch of an indicator applies to (a null position
// puts it back to 0).
func indicatorWritable(i Indicator) api.MgiIndicatorCreate {
	return api.MgiIndicatorCreate{Code: i.Code, Domain: api.MgiDomain(i.Domain),
		Text: api.LongLocalizedText{Es: i.Text.ES, En: i.Text.EN}, Position: new(i.Position)}
}

func indicatorFromAPI(in api.MgiIndicatorCreate) IndicatorFields {
	f := IndicatorFields{Code: in.Code, Domain: string(in.Domain), Text: Text{ES: in.Text.Es, EN: in.Text.En}}
	if in.Position != nil {
		f.Position = *in.Position
	}
	return f
}

// ListMgiIndicators lists the framework's indicators.
func (h *Handlers) ListMgiIndicators(ctx context.Context, req api.ListMgiIndicatorsRequestObject) (api.ListMgiIndicatorsResponseObject, error) {
	p := req.Params
	f := IndicatorFilter{Page: page(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), Domains: apiconv.Strings(p.Domain)}
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.indicators().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.MgiIndicatorPage{Items: make([]api.MgiIndicator, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = indicatorToAPI(it)
	}
	return api.ListMgiIndicators200JSONResponse(out), nil
}

// CreateMgiIndicator adds an indicator to the framework.
func (h *Handlers) CreateMgiIndicator(ctx context.Context, req api.CreateMgiIndicatorRequestObject) (api.CreateMgiIndicatorResponseObject, error) {
	i, err := h.indicators().Create(ctx, indicatorFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateMgiIndicator201JSONResponse{Body: indicatorToAPI(i), Headers: api.CreateMgiIndicator201ResponseHeaders{
		Location: new("/v1/mgi-indicators/" + i.ID.String()), ETag: new(etag.Of(i.Version)),
	}}, nil
}

// GetMgiIndicator returns one indicator.
func (h *Handlers) GetMgiIndicator(ctx context.Context, req api.GetMgiIndicatorRequestObject) (api.GetMgiIndicatorResponseObject, error) {
	i, err := h.indicators().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetMgiIndicator200JSONResponse{Body: indicatorToAPI(i),
		Headers: api.GetMgiIndicator200ResponseHeaders{ETag: new(etag.Of(i.Version))}}, nil
}

// UpdateMgiIndicator applies a JSON Merge Patch (RFC 7396) to the indicator's writable
// representation and stores the result.
func (h *Handlers) UpdateMgiIndicator(ctx context.Context, req api.UpdateMgiIndicatorRequestObject) (api.UpdateMgiIndicatorResponseObject, error) {
	i, err := h.indicators().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Indicator) (IndicatorFields, error) {
		var next api.MgiIndicatorCreate
		if err := mergepatch.Apply(indicatorWritable(current), *req.Body, &next); err != nil {
			return IndicatorFields{}, err
		}
		return indicatorFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateMgiIndicator200JSONResponse{Body: indicatorToAPI(i),
		Headers: api.UpdateMgiIndicator200ResponseHeaders{ETag: new(etag.Of(i.Version))}}, nil
}

// ArchiveMgiIndicator archives an indicator. Answers and findings that refer to it keep it.
func (h *Handlers) ArchiveMgiIndicator(ctx context.Context, req api.ArchiveMgiIndicatorRequestObject) (api.ArchiveMgiIndicatorResponseObject, error) {
	if err := h.indicators().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveMgiIndicator204Response{}, nil
}
