package servicemenu

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) menu() *Menu { return NewMenu(h.db, h.tree) }

// snapshot is a service as the audit trail records it: its API representation.
func snapshot(s Service) any { return toAPI(s) }

// text is the API form of an optional localized text: absent when neither language is given.
func text(es, en *string) *api.LongLocalizedText {
	if es == nil && en == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: es, En: en}
}

// untext is the two languages of an optional localized text.
func untext(t *api.LongLocalizedText) (es, en *string) {
	if t == nil {
		return nil, nil
	}
	return t.Es, t.En
}

func enums[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func toAPI(s Service) api.Service {
	return api.Service{
		Id: s.ID, Code: s.Code, Name: api.LocalizedText{Es: s.NameES, En: s.NameEN},
		Description: text(s.DescriptionES, s.DescriptionEN), TargetGroups: enums[api.ServiceTargetGroup](s.TargetGroups),
		ProviderId: s.ProviderID, Channels: enums[api.ServiceChannel](s.Channels),
		InstrumentIds: append([]uuid.UUID{}, s.InstrumentIDs...), LegalBasis: text(s.LegalBasisES, s.LegalBasisEN),
		Status: api.ServiceStatus(s.Status), Fees: text(s.FeesES, s.FeesEN), Languages: append([]string{}, s.Languages...),
		InputIds: append([]uuid.UUID{}, s.InputIDs...), FunctionIds: append([]uuid.UUID{}, s.FunctionIDs...),
		Demo: s.Demo, Version: s.Version, CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(s.ArchivedAt),
	}
}

// writable is the document a merge patch of a service applies to: its lists are always present,
// so a patch replaces them whole, and null clears them.
func writable(s Service) api.ServiceCreate {
	groups := enums[api.ServiceTargetGroup](s.TargetGroups)
	channels := enums[api.ServiceChannel](s.Channels)
	instruments := append([]uuid.UUID{}, s.InstrumentIDs...)
	languages := append([]string{}, s.Languages...)
	inputs := append([]uuid.UUID{}, s.InputIDs...)
	functions := append([]uuid.UUID{}, s.FunctionIDs...)
	return api.ServiceCreate{
		Code: s.Code, Name: api.LocalizedText{Es: s.NameES, En: s.NameEN}, Description: text(s.DescriptionES, s.DescriptionEN),
		TargetGroups: &groups, ProviderId: s.ProviderID, Channels: &channels, InstrumentIds: &instruments,
		LegalBasis: text(s.LegalBasisES, s.LegalBasisEN), Status: api.ServiceStatus(s.Status),
		Fees: text(s.FeesES, s.FeesEN), Languages: &languages, InputIds: &inputs, FunctionIds: &functions,
	}
}

func fromAPI(in api.ServiceCreate) Fields {
	f := Fields{Code: in.Code, NameES: in.Name.Es, NameEN: in.Name.En, ProviderID: in.ProviderId, Status: string(in.Status),
		TargetGroups: apiconv.Strings(in.TargetGroups), Channels: apiconv.Strings(in.Channels)}
	f.DescriptionES, f.DescriptionEN = untext(in.Description)
	f.LegalBasisES, f.LegalBasisEN = untext(in.LegalBasis)
	f.FeesES, f.FeesEN = untext(in.Fees)
	if in.InstrumentIds != nil {
		f.InstrumentIDs = append([]uuid.UUID{}, *in.InstrumentIds...)
	}
	if in.Languages != nil {
		f.Languages = append([]string{}, *in.Languages...)
	}
	if in.InputIds != nil {
		f.InputIDs = append([]uuid.UUID{}, *in.InputIds...)
	}
	if in.FunctionIds != nil {
		f.FunctionIDs = append([]uuid.UUID{}, *in.FunctionIds...)
	}
	return f
}

// ListServices lists the menu of services.
func (h *Handlers) ListServices(ctx context.Context, req api.ListServicesRequestObject) (api.ListServicesResponseObject, error) {
	p := req.Params
	f := Filter{
		TargetGroups: apiconv.Strings(p.TargetGroup), Channels: apiconv.Strings(p.Channel),
		Statuses: apiconv.Strings(p.Status), ProviderID: p.ProviderId, InputID: p.InputId, FunctionID: p.FunctionId,
		HasFunction: p.HasFunction, PageSize: paging.Size(p.PageSize), OrderBy: "code",
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Code != nil {
		f.Codes = *p.Code
	}
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
	items, next, err := h.menu().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ServicePage{Items: make([]api.Service, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = toAPI(it)
	}
	return api.ListServices200JSONResponse(out), nil
}

// CreateService adds a service to the menu.
func (h *Handlers) CreateService(ctx context.Context, req api.CreateServiceRequestObject) (api.CreateServiceResponseObject, error) {
	s, err := h.menu().Create(ctx, fromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateService201JSONResponse{Body: toAPI(s), Headers: api.CreateService201ResponseHeaders{
		Location: new("/v1/services/" + s.ID.String()), ETag: new(etag.Of(s.Version)),
	}}, nil
}

// GetService returns one service.
func (h *Handlers) GetService(ctx context.Context, req api.GetServiceRequestObject) (api.GetServiceResponseObject, error) {
	s, err := h.menu().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetService200JSONResponse{Body: toAPI(s),
		Headers: api.GetService200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// UpdateService applies a JSON Merge Patch (RFC 7396) to the service's writable representation
// and stores the result.
func (h *Handlers) UpdateService(ctx context.Context, req api.UpdateServiceRequestObject) (api.UpdateServiceResponseObject, error) {
	s, err := h.menu().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Service) (Fields, error) {
		var next api.ServiceCreate
		if err := mergepatch.Apply(writable(current), *req.Body, &next); err != nil {
			return Fields{}, err
		}
		return fromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateService200JSONResponse{Body: toAPI(s),
		Headers: api.UpdateService200ResponseHeaders{ETag: new(etag.Of(s.Version))}}, nil
}

// ArchiveService archives a service.
func (h *Handlers) ArchiveService(ctx context.Context, req api.ArchiveServiceRequestObject) (api.ArchiveServiceResponseObject, error) {
	if err := h.menu().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveService204Response{}, nil
}
