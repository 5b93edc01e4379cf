package stocktake

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) gaps() *GapService { return NewGapService(h.db) }

// gapSnapshot is a data gap as the audit trail records it: its API representation.
func gapSnapshot(g Gap) any { return gapToAPI(g) }

// gapText is the API form of an optional localized text: absent when neither language is given.
func gapText(es, en *string) *api.LongLocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: es, En: en}
}

func gapToAPI(g Gap) api.DataGap {
	return api.DataGap{
		Id: g.ID, Code: g.Code, Description: api.LongLocalizedText{Es: g.DescriptionES, En: g.DescriptionEN},
		IndicatorIds: append([]uuid.UUID{}, g.IndicatorIDs...), SourceIds: append([]uuid.UUID{}, g.SourceIDs...),
		Countries: append([]string{}, g.Countries...), Groups: g.Groups,
		Recommendation: gapText(g.RecommendationES, g.RecommendationEN), Priority: api.GapPriority(g.Priority),
		Status: api.GapStatus(g.Status), Demo: g.Demo, Version: g.Version, CreatedAt: g.CreatedAt.UTC(),
		UpdatedAt: g.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(g.ArchivedAt),
	}
}

// gapWritable is the document a merge patch of a data gap applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func gapWritable(g Gap) api.DataGapCreate {
	indicators := append([]uuid.UUID{}, g.IndicatorIDs...)
	sources := append([]uuid.UUID{}, g.SourceIDs...)
	codes := append([]string{}, g.Countries...)
	status := api.GapStatus(g.Status)
	return api.DataGapCreate{
		Code: g.Code, Description: api.LongLocalizedText{Es: g.DescriptionES, En: g.DescriptionEN},
		IndicatorIds: &indicators, SourceIds: &sources, Countries: &codes, Groups: g.Groups,
		Recommendation: gapText(g.RecommendationES, g.RecommendationEN), Priority: api.GapPriority(g.Priority),
		Status: &status,
	}
}

func gapFromAPI(in api.DataGapCreate) GapFields {
	f := GapFields{
		Code: in.Code, DescriptionES: in.Description.Es, DescriptionEN: in.Description.En, Groups: in.Groups,
		Priority: string(in.Priority),
	}
	if in.IndicatorIds != nil {
		f.IndicatorIDs = append([]uuid.UUID{}, *in.IndicatorIds...)
	}
	if in.SourceIds != nil {
		f.SourceIDs = append([]uuid.UUID{}, *in.SourceIds...)
	}
	if in.Countries != nil {
		f.Countries = append([]string{}, *in.Countries...)
	}
	if in.Recommendation != nil {
		f.RecommendationES, f.RecommendationEN = in.Recommendation.Es, in.Recommendation.En
	}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	return f
}

// ListDataGaps lists data gaps.
func (h *Handlers) ListDataGaps(ctx context.Context, req api.ListDataGapsRequestObject) (api.ListDataGapsResponseObject, error) {
	p := req.Params
	f := GapFilter{
		Priorities: apiconv.Strings(p.Priority), Statuses: apiconv.Strings(p.Status), IndicatorID: p.IndicatorId,
		SourceID: p.SourceId, PageSize: paging.Size(p.PageSize), OrderBy: "code",
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Code != nil {
		f.Codes = *p.Code
	}
	if p.Country != nil {
		f.Country = *p.Country
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
	items, next, err := h.gaps().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.DataGapPage{Items: make([]api.DataGap, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = gapToAPI(it)
	}
	return api.ListDataGaps200JSONResponse(out), nil
}

// CreateDataGap records a data gap.
func (h *Handlers) CreateDataGap(ctx context.Context, req api.CreateDataGapRequestObject) (api.CreateDataGapResponseObject, error) {
	g, err := h.gaps().Create(ctx, gapFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateDataGap201JSONResponse{Body: gapToAPI(g), Headers: api.CreateDataGap201ResponseHeaders{
		Location: new("/v1/data-gaps/" + g.ID.String()), ETag: new(etag.Of(g.Version)),
	}}, nil
}

// GetDataGap returns one data gap.
func (h *Handlers) GetDataGap(ctx context.Context, req api.GetDataGapRequestObject) (api.GetDataGapResponseObject, error) {
	g, err := h.gaps().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetDataGap200JSONResponse{Body: gapToAPI(g),
		Headers: api.GetDataGap200ResponseHeaders{ETag: new(etag.Of(g.Version))}}, nil
}

// UpdateDataGap applies a JSON Merge Patch (RFC 7396) to the gap's writable representation and
// stores the result.
func (h *Handlers) UpdateDataGap(ctx context.Context, req api.UpdateDataGapRequestObject) (api.UpdateDataGapResponseObject, error) {
	g, err := h.gaps().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Gap) (GapFields, error) {
		var next api.DataGapCreate
		if err := mergepatch.Apply(gapWritable(current), *req.Body, &next); err != nil {
			return GapFields{}, err
		}
		return gapFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateDataGap200JSONResponse{Body: gapToAPI(g),
		Headers: api.UpdateDataGap200ResponseHeaders{ETag: new(etag.Of(g.Version))}}, nil
}

// ArchiveDataGap archives a data gap.
func (h *Handlers) ArchiveDataGap(ctx context.Context, req api.ArchiveDataGapRequestObject) (api.ArchiveDataGapResponseObject, error) {
	if err := h.gaps().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveDataGap204Response{}, nil
}
