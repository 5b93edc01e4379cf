package events

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) inputs() *InputService { return NewInputService(h.db, h.tree) }

// inputSnapshot is a consultation input as the audit trail records it: its API representation
// (as the caller whose write is recorded sees it).
func inputSnapshot(in Input) any { return inputToAPI(in) }

func inputToAPI(in Input) api.ConsultationInput {
	return api.ConsultationInput{
		Id: in.ID, EventId: in.EventID, ExternalId: in.ExternalID, Countries: append([]string{}, in.Countries...),
		Theme: in.Theme, Statement: api.LongLocalizedText{Es: in.Statement.ES, En: in.Statement.EN}, TimesRaised: in.TimesRaised,
		Priority: api.Level(in.Priority), Support: in.Support, SupportedByMe: in.SupportedByMe,
		ServiceIds: append([]uuid.UUID{}, in.ServiceIDs...), Demo: in.Demo, Version: in.Version,
		CreatedAt: in.CreatedAt.UTC(), UpdatedAt: in.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(in.ArchivedAt),
	}
}

// inputWritable is the document a merge patch of a consultation input applies to: its countries
// are always present, so a patch replaces them whole, and null clears them. The contract keeps
// event_id out of the patch.
func inputWritable(in Input) api.ConsultationInputCreate {
	codes := append([]string{}, in.Countries...)
	priority := api.Level(in.Priority)
	return api.ConsultationInputCreate{
		EventId: in.EventID, ExternalId: in.ExternalID, Countries: &codes, Theme: in.Theme,
		Statement:   api.LongLocalizedText{Es: in.Statement.ES, En: in.Statement.EN},
		TimesRaised: new(in.TimesRaised), Priority: &priority,
	}
}

func inputFromAPI(in api.ConsultationInputCreate) InputFields {
	f := InputFields{EventID: in.EventId, ExternalID: in.ExternalId, Theme: in.Theme,
		Statement: Text{ES: in.Statement.Es, EN: in.Statement.En}}
	if in.Countries != nil {
		f.Countries = append([]string{}, *in.Countries...)
	}
	if in.TimesRaised != nil {
		f.TimesRaised = *in.TimesRaised
	}
	if in.Priority != nil {
		f.Priority = string(*in.Priority)
	}
	return f
}

// ListConsultationInputs lists consultation inputs.
func (h *Handlers) ListConsultationInputs(ctx context.Context, req api.ListConsultationInputsRequestObject) (api.ListConsultationInputsResponseObject, error) {
	p := req.Params
	f := InputFilter{EventID: p.EventId, Priorities: apiconv.Strings(p.Priority), Answered: p.Answered,
		PageSize: paging.Size(p.PageSize)}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.Country != nil {
		f.Countries = *p.Country
	}
	if p.Theme != nil {
		f.Themes = *p.Theme
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
	items, next, err := h.inputs().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ConsultationInputPage{Items: make([]api.ConsultationInput, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = inputToAPI(it)
	}
	return api.ListConsultationInputs200JSONResponse(out), nil
}

// CreateConsultationInput records a consultation input.
func (h *Handlers) CreateConsultationInput(ctx context.Context, req api.CreateConsultationInputRequestObject) (api.CreateConsultationInputResponseObject, error) {
	in, err := h.inputs().Create(ctx, inputFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateConsultationInput201JSONResponse{Body: inputToAPI(in), Headers: api.CreateConsultationInput201ResponseHeaders{
		Location: new("/v1/consultation-inputs/" + in.ID.String()), ETag: new(etag.Of(in.Version)),
	}}, nil
}

// GetConsultationInput returns one consultation input.
func (h *Handlers) GetConsultationInput(ctx context.Context, req api.GetConsultationInputRequestObject) (api.GetConsultationInputResponseObject, error) {
	in, err := h.inputs().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetConsultationInput200JSONResponse{Body: inputToAPI(in),
		Headers: api.GetConsultationInput200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// UpdateConsultationInput applies a JSON Merge Patch (RFC 7396) to the input's writable
// representation and stores the result.
func (h *Handlers) UpdateConsultationInput(ctx context.Context, req api.UpdateConsultationInputRequestObject) (api.UpdateConsultationInputResponseObject, error) {
	in, err := h.inputs().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Input) (InputFields, error) {
		var next api.ConsultationInputCreate
		if err := mergepatch.Apply(inputWritable(current), *req.Body, &next); err != nil {
			return InputFields{}, err
		}
		return inputFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateConsultationInput200JSONResponse{Body: inputToAPI(in),
		Headers: api.UpdateConsultationInput200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// ArchiveConsultationInput archives a consultation input.
func (h *Handlers) ArchiveConsultationInput(ctx context.Context, req api.ArchiveConsultationInputRequestObject) (api.ArchiveConsultationInputResponseObject, error) {
	if err := h.inputs().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveConsultationInput204Response{}, nil
}

// SupportConsultationInput records the caller's support of an input.
func (h *Handlers) SupportConsultationInput(ctx context.Context, req api.SupportConsultationInputRequestObject) (api.SupportConsultationInputResponseObject, error) {
	in, err := h.inputs().Support(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.SupportConsultationInput201JSONResponse(inputToAPI(in)), nil
}

// WithdrawConsultationInputSupport withdraws the caller's support of an input.
func (h *Handlers) WithdrawConsultationInputSupport(ctx context.Context, req api.WithdrawConsultationInputSupportRequestObject) (api.WithdrawConsultationInputSupportResponseObject, error) {
	if err := h.inputs().Withdraw(ctx, req.Id); err != nil {
		return nil, err
	}
	return api.WithdrawConsultationInputSupport204Response{}, nil
}
