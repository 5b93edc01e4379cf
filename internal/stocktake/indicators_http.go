package stocktake

import (
	"context"
	"sync"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) indicators() *IndicatorService { return NewIndicatorService(h.db) }

// indicatorSnapshot is an indicator as the audit trail records it: its API representation.
func indicatorSnapshot(i Indicator) any { return indicatorToAPI(i) }

// indicatorDefinition is the API form of a definition: absent when neither language is given.
func indicatorDefinition(es, en *string) *api.LongLocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: es, En: en}
}

func indicatorToAPI(i Indicator) api.Indicator {
	return api.Indicator{
		Id: i.ID, Code: i.Code, Name: api.LocalizedText{Es: i.NameES, En: i.NameEN}, Unit: i.Unit,
		Definition: indicatorDefinition(i.DefinitionES, i.DefinitionEN), Measure: api.IndicatorMeasure(i.Measure),
		Demo: i.Demo, Version: i.Version, CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(i.ArchivedAt),
	}
}

// indicatorWritable is the document a merge patch of an indicator applies to.
func indicatorWritable(i Indicator) api.IndicatorCreate {
	return api.IndicatorCreate{Code: i.Code, Name: api.LocalizedText{Es: i.NameES, En: i.NameEN}, Unit: i.Unit,
		Definition: indicatorDefinition(i.DefinitionES, i.DefinitionEN), Measure: api.IndicatorMeasure(i.Measure)}
}

func indicatorFromAPI(in api.IndicatorCreate) IndicatorFields {
	f := IndicatorFields{Code: in.Code, NameES: in.Name.Es, NameEN: in.Name.En, Unit: in.Unit, Measure: string(in.Measure)}
	if in.Definition != nil {
		f.DefinitionES, f.DefinitionEN = in.Definition.Es, in.Definition.En
	}
	return f
}

// ListIndicators lists indicators.
func (h *Handlers) ListIndicators(ctx context.Context, req api.ListIndicatorsRequestObject) (api.ListIndicatorsResponseObject, error) {
	p := req.Params
	f := IndicatorFilter{Measures: apiconv.Strings(p.Measure), PageSize: paging.Size(p.PageSize), OrderBy: "code"}
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
	items, next, err := h.indicators().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.IndicatorPage{Items: make([]api.Indicator, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = indicatorToAPI(it)
	}
	return api.ListIndicators200JSONResponse(out), nil
}

// CreateIndicator records an indicator.
func (h *Handlers) CreateIndicator(ctx context.Context, req api.CreateIndicatorRequestObject) (api.CreateIndicatorResponseObject, error) {
	in, err := h.indicators().Create(ctx, indicatorFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateIndicator201JSONResponse{Body: indicatorToAPI(in), Headers: api.CreateIndicator201ResponseHeaders{
		Location: new("/v1/indicators/" + in.ID.String()), ETag: new(etag.Of(in.Version)),
	}}, nil
}

// GetIndicator returns one indicator.
func (h *Handlers) GetIndicator(ctx context.Context, req api.GetIndicatorRequestObject) (api.GetIndicatorResponseObject, error) {
	in, err := h.indicators().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetIndicator200JSONResponse{Body: indicatorToAPI(in),
		Headers: api.GetIndicator200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// UpdateIndicator applies a JSON Merge Patch (RFC 7396) to the indicator's writable
// representation and stores the result.
func (h *Handlers) UpdateIndicator(ctx context.Context, req api.UpdateIndicatorRequestObject) (api.UpdateIndicatorResponseObject, error) {
	in, err := h.indicators().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Indicator) (IndicatorFields, error) {
		var next api.IndicatorCreate
		if err := mergepatch.Apply(indicatorWritable(current), *req.Body, &next); err != nil {
			return IndicatorFields{}, err
		}
		return indicatorFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateIndicator200JSONResponse{Body: indicatorToAPI(in),
		Headers: api.UpdateIndicator200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// ArchiveIndicator archives an indicator.
func (h *Handlers) ArchiveIndicator(ctx context.Context, req api.ArchiveIndicatorRequestObject) (api.ArchiveIndicatorResponseObject, error) {
	if err := h.indicators().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveIndicator204Response{}, nil
}

// indicatorCountryList is the response of ListCountries, built once: the list never changes.
var indicatorCountryList = sync.OnceValue(func() api.CountryList {
	all := countries.All()
	out := api.CountryList{Items: make([]api.Country, len(all))}
	for i, c := range all {
		out.Items[i] = api.Country{Code: c.Code, Name: api.LocalizedText{Es: new(c.NameES), En: new(c.NameEN)}}
	}
	return out
})

// ListCountries returns every ISO 3166-1 country with its Spanish and English names, by code.
func (h *Handlers) ListCountries(ctx context.Context, req api.ListCountriesRequestObject) (api.ListCountriesResponseObject, error) {
	return api.ListCountries200JSONResponse(indicatorCountryList()), nil
}
