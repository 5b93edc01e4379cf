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

func (h *Handlers) observations() *ObservationService { return NewObservationService(h.db, h.tree) }

// observationSnapshot is an observation as the audit trail records it: its API representation.
func observationSnapshot(o Observation) any { return observationToAPI(o) }

func observationToAPI(o Observation) api.Observation {
	return api.Observation{
		Id: o.ID, IndicatorId: o.IndicatorID, SourceId: o.SourceID, Period: o.Period,
		PeriodStart: openapi_types.Date{Time: o.PeriodStart}, PeriodEnd: openapi_types.Date{Time: o.PeriodEnd},
		PlaceKind: api.PlaceKind(o.PlaceKind), Country: o.Country, Region: o.Region, Sex: api.ObservationSex(o.Sex), AgeGroup: o.AgeGroup,
		Value: o.Value, Status: api.ObservationStatus(o.Status), Flags: flagsToAPI(o.Flags), Note: o.Note,
		Demo: o.Demo, Version: o.Version, CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(o.ArchivedAt),
	}
}

// observationWritable is the document a merge patch of an observation applies to (the contract's
// ObservationPatch: its value and annotations, never its dimensions).
type observationWritable struct {
	Value  float64  `json:"value"`
	Status string   `json:"status"`
	Flags  []string `json:"flags"`
	Note   *string  `json:"note"`
}

func observationFromAPI(in api.ObservationCreate) ObservationFields {
	f := ObservationFields{IndicatorID: in.IndicatorId, SourceID: in.SourceId, Period: in.Period,
		Country: in.Country, Region: in.Region, Value: in.Value, Flags: apiconv.Strings(in.Flags), Note: in.Note}
	if in.PlaceKind != nil {
		f.PlaceKind = string(*in.PlaceKind)
	}
	if in.Sex != nil {
		f.Sex = string(*in.Sex)
	}
	if in.AgeGroup != nil {
		f.AgeGroup = *in.AgeGroup
	}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	return f
}

// ListObservations lists observations.
func (h *Handlers) ListObservations(ctx context.Context, req api.ListObservationsRequestObject) (api.ListObservationsResponseObject, error) {
	p := req.Params
	f := ObservationFilter{
		IndicatorID: p.IndicatorId, SourceID: p.SourceId, Sexes: apiconv.Strings(p.Sex),
		Statuses: apiconv.Strings(p.Status), PeriodFrom: apiconv.Day(p.PeriodFrom), PeriodTo: apiconv.Day(p.PeriodTo),
		PageSize: paging.Size(p.PageSize), OrderBy: "period",
	}
	if p.Country != nil {
		f.Countries = *p.Country
	}
	if p.Region != nil {
		f.Regions = *p.Region
	}
	f.PlaceKinds = apiconv.Strings(p.PlaceKind)
	if p.AgeGroup != nil {
		f.AgeGroup = *p.AgeGroup
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
	items, next, err := h.observations().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ObservationPage{Items: make([]api.Observation, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = observationToAPI(it)
	}
	return api.ListObservations200JSONResponse(out), nil
}

// CreateObservation records an observation, or updates the one with the same dimensions.
func (h *Handlers) CreateObservation(ctx context.Context, req api.CreateObservationRequestObject) (api.CreateObservationResponseObject, error) {
	o, created, err := h.observations().Upsert(ctx, observationFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	location, tag := "/v1/observations/"+o.ID.String(), etag.Of(o.Version)
	if created {
		return api.CreateObservation201JSONResponse{Body: observationToAPI(o),
			Headers: api.CreateObservation201ResponseHeaders{Location: &location, ETag: &tag}}, nil
	}
	return api.CreateObservation200JSONResponse{Body: observationToAPI(o),
		Headers: api.CreateObservation200ResponseHeaders{Location: &location, ETag: &tag}}, nil
}

// GetObservation returns one observation.
func (h *Handlers) GetObservation(ctx context.Context, req api.GetObservationRequestObject) (api.GetObservationResponseObject, error) {
	o, err := h.observations().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetObservation200JSONResponse{Body: observationToAPI(o),
		Headers: api.GetObservation200ResponseHeaders{ETag: new(etag.Of(o.Version))}}, nil
}

// UpdateObservation applies a JSON Merge Patch (RFC 7396) to the observation's value and
// annotations and stores the result.
func (h *Handlers) UpdateObservation(ctx context.Context, req api.UpdateObservationRequestObject) (api.UpdateObservationResponseObject, error) {
	o, err := h.observations().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Observation) (ObservationFields, error) {
		var next observationWritable
		if err := mergepatch.Apply(observationWritable{Value: current.Value, Status: current.Status, Flags: current.Flags,
			Note: current.Note}, *req.Body, &next); err != nil {
			return ObservationFields{}, err
		}
		f := current.ObservationFields
		f.Value, f.Status, f.Flags, f.Note = next.Value, next.Status, next.Flags, next.Note
		return f, nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateObservation200JSONResponse{Body: observationToAPI(o),
		Headers: api.UpdateObservation200ResponseHeaders{ETag: new(etag.Of(o.Version))}}, nil
}

// ArchiveObservation archives an observation.
func (h *Handlers) ArchiveObservation(ctx context.Context, req api.ArchiveObservationRequestObject) (api.ArchiveObservationResponseObject, error) {
	if err := h.observations().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveObservation204Response{}, nil
}
