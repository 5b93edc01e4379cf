package territory

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) points() *Points { return NewPoints(h.db, h.tree) }

// pointSnapshot is a service point as the audit trail records it: its API representation.
func pointSnapshot(p Point) any { return pointToAPI(p) }

func pointToAPI(p Point) api.ServicePoint {
	return api.ServicePoint{
		Id: p.ID, ServiceId: p.ServiceID, Region: p.Region, ProviderId: p.ProviderID, Channel: api.ServiceChannel(p.Channel),
		Address: p.Address, Notes: p.Notes, Demo: p.Demo, Version: p.Version, CreatedAt: p.CreatedAt.UTC(),
		UpdatedAt: p.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(p.ArchivedAt),
	}
}

// pointWritable is the document a merge patch of a service point applies to.
func pointWritable(p Point) api.ServicePointCreate {
	return api.ServicePointCreate{ServiceId: p.ServiceID, Region: p.Region, ProviderId: p.ProviderID,
		Channel: api.ServiceChannel(p.Channel), Address: p.Address, Notes: p.Notes}
}

func pointFromAPI(in api.ServicePointCreate) PointFields {
	return PointFields{ServiceID: in.ServiceId, Region: in.Region, ProviderID: in.ProviderId, Channel: string(in.Channel),
		Address: in.Address, Notes: in.Notes}
}

// ListServicePoints lists service points.
func (h *Handlers) ListServicePoints(ctx context.Context, req api.ListServicePointsRequestObject) (api.ListServicePointsResponseObject, error) {
	p := req.Params
	f := PointFilter{ServiceID: p.ServiceId, ProviderID: p.ProviderId, Channels: apiconv.Strings(p.Channel),
		PageSize: paging.Size(p.PageSize)}
	if p.Region != nil {
		f.Regions = *p.Region
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
	if p.Q != nil {
		f.Q = *p.Q
	}
	items, next, err := h.points().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ServicePointPage{Items: make([]api.ServicePoint, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = pointToAPI(it)
	}
	return api.ListServicePoints200JSONResponse(out), nil
}

// CreateServicePoint records where a service is delivered locally.
func (h *Handlers) CreateServicePoint(ctx context.Context, req api.CreateServicePointRequestObject) (api.CreateServicePointResponseObject, error) {
	p, err := h.points().Create(ctx, pointFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateServicePoint201JSONResponse{Body: pointToAPI(p), Headers: api.CreateServicePoint201ResponseHeaders{
		Location: new("/v1/service-points/" + p.ID.String()), ETag: new(etag.Of(p.Version)),
	}}, nil
}

// GetServicePoint returns one service point.
func (h *Handlers) GetServicePoint(ctx context.Context, req api.GetServicePointRequestObject) (api.GetServicePointResponseObject, error) {
	p, err := h.points().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetServicePoint200JSONResponse{Body: pointToAPI(p),
		Headers: api.GetServicePoint200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// UpdateServicePoint applies a JSON Merge Patch (RFC 7396) to the service point's writable
// representation and stores the result.
func (h *Handlers) UpdateServicePoint(ctx context.Context, req api.UpdateServicePointRequestObject) (api.UpdateServicePointResponseObject, error) {
	p, err := h.points().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Point) (PointFields, error) {
		var next api.ServicePointCreate
		if err := mergepatch.Apply(pointWritable(current), *req.Body, &next); err != nil {
			return PointFields{}, err
		}
		return pointFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateServicePoint200JSONResponse{Body: pointToAPI(p),
		Headers: api.UpdateServicePoint200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// ArchiveServicePoint archives a service point.
func (h *Handlers) ArchiveServicePoint(ctx context.Context, req api.ArchiveServicePointRequestObject) (api.ArchiveServicePointResponseObject, error) {
	if err := h.points().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveServicePoint204Response{}, nil
}
