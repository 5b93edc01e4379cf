package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) instruments() *InstrumentService { return NewInstrumentService(h.db) }

// instrumentSnapshot is an instrument as the audit trail records it: its API representation.
func instrumentSnapshot(i Instrument) any { return instrumentToAPI(i) }

func instrumentToAPI(i Instrument) api.LegalInstrument {
	return api.LegalInstrument{
		Id: i.ID, Code: i.Code, Type: api.LegalInstrumentType(i.Type), Number: i.Number,
		Title: api.LocalizedText{Es: i.TitleES, En: i.TitleEN}, IssuerId: i.IssuerID, IssuedOn: apiconv.Date(i.IssuedOn),
		Status: api.LegalInstrumentStatus(i.Status), Url: i.URL, Notes: i.Notes, Demo: i.Demo, Version: i.Version,
		CreatedAt: i.CreatedAt.UTC(), UpdatedAt: i.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(i.ArchivedAt),
	}
}

// instrumentWritable is the document a merge patch of an instrument applies to.
func instrumentWritable(i Instrument) api.LegalInstrumentCreate {
	status := api.LegalInstrumentStatus(i.Status)
	return api.LegalInstrumentCreate{Code: i.Code, Type: api.LegalInstrumentType(i.Type), Number: i.Number,
		Title: api.LocalizedText{Es: i.TitleES, En: i.TitleEN}, IssuerId: i.IssuerID, IssuedOn: apiconv.Date(i.IssuedOn),
		Status: &status, Url: i.URL, Notes: i.Notes}
}

func instrumentFromAPI(in api.LegalInstrumentCreate) InstrumentFields {
	f := InstrumentFields{Code: in.Code, Type: string(in.Type), Number: in.Number, TitleES: in.Title.Es, TitleEN: in.Title.En,
		IssuerID: in.IssuerId, IssuedOn: apiconv.Day(in.IssuedOn), URL: in.Url, Notes: in.Notes}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	return f
}

// ListLegalInstruments lists legal instruments.
func (h *Handlers) ListLegalInstruments(ctx context.Context, req api.ListLegalInstrumentsRequestObject) (api.ListLegalInstrumentsResponseObject, error) {
	p := req.Params
	f := InstrumentFilter{
		Types: apiconv.Strings(p.Type), Statuses: apiconv.Strings(p.Status), IssuerID: p.IssuerId,
		IssuedFrom: apiconv.Day(p.IssuedFrom), IssuedTo: apiconv.Day(p.IssuedTo),
		PageSize: paging.Size(p.PageSize), OrderBy: "code",
	}
	if p.Q != nil {
		f.Q = *p.Q
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
	items, next, err := h.instruments().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.LegalInstrumentPage{Items: make([]api.LegalInstrument, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = instrumentToAPI(it)
	}
	return api.ListLegalInstruments200JSONResponse(out), nil
}

// CreateLegalInstrument records a legal instrument.
func (h *Handlers) CreateLegalInstrument(ctx context.Context, req api.CreateLegalInstrumentRequestObject) (api.CreateLegalInstrumentResponseObject, error) {
	in, err := h.instruments().Create(ctx, instrumentFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateLegalInstrument201JSONResponse{Body: instrumentToAPI(in), Headers: api.CreateLegalInstrument201ResponseHeaders{
		Location: new("/v1/legal-instruments/" + in.ID.String()), ETag: new(etag.Of(in.Version)),
	}}, nil
}

// GetLegalInstrument returns one legal instrument.
func (h *Handlers) GetLegalInstrument(ctx context.Context, req api.GetLegalInstrumentRequestObject) (api.GetLegalInstrumentResponseObject, error) {
	in, err := h.instruments().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetLegalInstrument200JSONResponse{Body: instrumentToAPI(in),
		Headers: api.GetLegalInstrument200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// UpdateLegalInstrument applies a JSON Merge Patch (RFC 7396) to the instrument's writable
// representation and stores the result.
func (h *Handlers) UpdateLegalInstrument(ctx context.Context, req api.UpdateLegalInstrumentRequestObject) (api.UpdateLegalInstrumentResponseObject, error) {
	in, err := h.instruments().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Instrument) (InstrumentFields, error) {
		var next api.LegalInstrumentCreate
		if err := mergepatch.Apply(instrumentWritable(current), *req.Body, &next); err != nil {
			return InstrumentFields{}, err
		}
		return instrumentFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateLegalInstrument200JSONResponse{Body: instrumentToAPI(in),
		Headers: api.UpdateLegalInstrument200ResponseHeaders{ETag: new(etag.Of(in.Version))}}, nil
}

// ArchiveLegalInstrument archives a legal instrument.
func (h *Handlers) ArchiveLegalInstrument(ctx context.Context, req api.ArchiveLegalInstrumentRequestObject) (api.ArchiveLegalInstrumentResponseObject, error) {
	if err := h.instruments().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveLegalInstrument204Response{}, nil
}
