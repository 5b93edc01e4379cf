package stocktake

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) sources() *SourceService { return NewSourceService(h.db, h.tree) }

// sourceSnapshot is a data source as the audit trail records it: its API representation.
func sourceSnapshot(s Source) any { return sourceToAPI(s) }

func sourceEnums[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func sourceDescription(es, en *string) *api.LongLocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: es, En: en}
}

func sourceTemporal(f SourceFields) *api.TemporalCoverage {
	if f.CoverageStart == nil {
		return nil
	}
	return &api.TemporalCoverage{Start: openapi_types.Date{Time: *f.CoverageStart}, End: apiconv.Date(f.CoverageEnd)}
}

func sourceContact(f SourceFields) *api.ContactPoint {
	if f.ContactName == nil && f.ContactEmail == nil {
		return nil
	}
	c := &api.ContactPoint{Name: f.ContactName}
	if f.ContactEmail != nil {
		e := openapi_types.Email(*f.ContactEmail)
		c.Email = &e
	}
	return c
}

func sourceQualityToAPI(q *SourceQuality) *api.QualityAssessment {
	if q == nil {
		return nil
	}
	return &api.QualityAssessment{
		Timeliness:    api.QualityScore{Score: q.Timeliness.Score, Note: q.Timeliness.Note},
		Completeness:  api.QualityScore{Score: q.Completeness.Score, Note: q.Completeness.Note},
		Comparability: api.QualityScore{Score: q.Comparability.Score, Note: q.Comparability.Note},
		AssessedBy:    q.AssessedBy, AssessedOn: apiconv.Date(q.AssessedOn),
	}
}

func sourcePeriodicity(p *string) *api.Periodicity {
	if p == nil {
		return nil
	}
	v := api.Periodicity(*p)
	return &v
}

func sourceToAPI(s Source) api.DataSource {
	return api.DataSource{
		Id: s.ID, Code: s.Code, Title: api.LocalizedText{Es: s.TitleES, En: s.TitleEN},
		Description: sourceDescription(s.DescriptionES, s.DescriptionEN), PublisherId: s.PublisherID,
		Type: api.DataSourceType(s.Type), TemporalCoverage: sourceTemporal(s.SourceFields),
		SpatialCoverage: append([]string{}, s.SpatialCoverage...), Periodicity: sourcePeriodicity(s.Periodicity),
		Disaggregations: sourceEnums[api.Disaggregation](s.Disaggregations), Access: api.DataSourceAccess(s.Access),
		Licence: s.Licence, Format: s.Format, LandingUrl: s.LandingURL, LastUpdated: apiconv.Date(s.LastUpdated),
		ContactPoint: sourceContact(s.SourceFields), Quality: sourceQualityToAPI(s.Quality),
		Caveats: sourceEnums[api.DataCaveat](s.Caveats), Demo: s.Demo, Version: s.Version,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(s.ArchivedAt),
	}
}

// sourceWritable is the document a merge patch of a data source applies to.
func sourceWritable(s Source) api.DataSourceCreate {
	spatial := append([]string{}, s.SpatialCoverage...)
	disaggregations := sourceEnums[api.Disaggregation](s.Disaggregations)
	caveats := sourceEnums[api.DataCaveat](s.Caveats)
	return api.DataSourceCreate{
		Code: s.Code, Title: api.LocalizedText{Es: s.TitleES, En: s.TitleEN},
		Description: sourceDescription(s.DescriptionES, s.DescriptionEN), PublisherId: s.PublisherID,
		Type: api.DataSourceType(s.Type), TemporalCoverage: sourceTemporal(s.SourceFields),
		SpatialCoverage: &spatial, Periodicity: sourcePeriodicity(s.Periodicity), Disaggregations: &disaggregations,
		Access: api.DataSourceAccess(s.Access), Licence: s.Licence, Format: s.Format, LandingUrl: s.LandingURL,
		LastUpdated: apiconv.Date(s.LastUpdated), ContactPoint: sourceContact(s.SourceFields),
		Quality: sourceQualityToAPI(s.Quality), Caveats: &caveats,
	}
}

func sourceFromAPI(in api.DataSourceCreate) SourceFields {
	f := SourceFields{
		Code: in.Code, TitleES: in.Title.Es, TitleEN: in.Title.En, PublisherID: in.PublisherId, Type: string(in.Type),
		SpatialCoverage: apiconv.Strings(in.SpatialCoverage), Disaggregations: apiconv.Strings(in.Disaggregations),
		Access: string(in.Access), Licence: in.Licence, Format: in.Format, LandingURL: in.LandingUrl,
		LastUpdated: apiconv.Day(in.LastUpdated), Caveats: apiconv.Strings(in.Caveats),
	}
	if in.Description != nil {
		f.DescriptionES, f.DescriptionEN = in.Description.Es, in.Description.En
	}
	if t := in.TemporalCoverage; t != nil {
		// A merge patch can leave a coverage without its start: that decodes to the zero date,
		// which Validate then refuses as a missing start rather than storing year 1.
		if !t.Start.IsZero() {
			start := t.Start.Time
			f.CoverageStart = &start
		}
		f.CoverageEnd = apiconv.Day(t.End)
	}
	if in.Periodicity != nil {
		p := string(*in.Periodicity)
		f.Periodicity = &p
	}
	if c := in.ContactPoint; c != nil {
		f.ContactName = c.Name
		if c.Email != nil {
			e := string(*c.Email)
			f.ContactEmail = &e
		}
	}
	if q := in.Quality; q != nil {
		f.Quality = &SourceQuality{
			Timeliness:    SourceScore{Score: q.Timeliness.Score, Note: q.Timeliness.Note},
			Completeness:  SourceScore{Score: q.Completeness.Score, Note: q.Completeness.Note},
			Comparability: SourceScore{Score: q.Comparability.Score, Note: q.Comparability.Note},
			AssessedBy:    q.AssessedBy, AssessedOn: apiconv.Day(q.AssessedOn),
		}
	}
	return f
}

// ListDataSources lists data sources.
func (h *Handlers) ListDataSources(ctx context.Context, req api.ListDataSourcesRequestObject) (api.ListDataSourcesResponseObject, error) {
	p := req.Params
	f := SourceFilter{
		Types: apiconv.Strings(p.Type), Accesses: apiconv.Strings(p.Access), PublisherID: p.PublisherId,
		PageSize: paging.Size(p.PageSize), OrderBy: "code",
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
	if p.Disaggregation != nil {
		f.Disaggregation = string(*p.Disaggregation)
	}
	if p.Caveat != nil {
		f.Caveat = string(*p.Caveat)
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
	items, next, err := h.sources().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.DataSourcePage{Items: make([]api.DataSource, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = sourceToAPI(it)
	}
	return api.ListDataSources200JSONResponse(out), nil
}

// CreateDataSource records a data source.
func (h *Handlers) CreateDataSource(ctx context.Context, req api.CreateDataSourceRequestObject) (api.CreateDataSourceResponseObject, error) {
	s, err := h.sources().Create(ctx, sourceFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateDataSource201JSONResponse{Body: sourceToAPI(s), Headers: api.CreateDataSource201ResponseHeaders{
		Location: new("/v1/data-sources/" + s.ID.String()), ETag: new(etag.Of(s.Version)),
	}}, nil
}

// GetDataSource returns one data source.
func (h *Handlers) GetDataSource(ctx context.Context, req api.GetDataSourceRequestObject) (api.GetDataSourceResponseObject, error) {
	s, err := h.sources().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetDataSource200JSONResponse{Body: sourceToAPI(s),
		Headers: api.GetDataSource200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// UpdateDataSource applies a JSON Merge Patch (RFC 7396) to the source's writable representation
// and stores the result.
func (h *Handlers) UpdateDataSource(ctx context.Context, req api.UpdateDataSourceRequestObject) (api.UpdateDataSourceResponseObject, error) {
	s, err := h.sources().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Source) (SourceFields, error) {
		var next api.DataSourceCreate
		if err := mergepatch.Apply(sourceWritable(current), *req.Body, &next); err != nil {
			return SourceFields{}, err
		}
		return sourceFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateDataSource200JSONResponse{Body: sourceToAPI(s),
		Headers: api.UpdateDataSource200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// ArchiveDataSource archives a data source.
func (h *Handlers) ArchiveDataSource(ctx context.Context, req api.ArchiveDataSourceRequestObject) (api.ArchiveDataSourceResponseObject, error) {
	if err := h.sources().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveDataSource204Response{}, nil
}
