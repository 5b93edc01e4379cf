package events

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

func (h *Handlers) events() *EventService { return NewEventService(h.db, h.tree) }

// eventSnapshot is an event as the audit trail records it: its API representation.
func eventSnapshot(e Event) any { return eventToAPI(e) }

// evtText is the API form of an optional localized text: absent when neither language is given.
func evtText(t Text) *api.LongLocalizedText {
	if t.ES == nil && t.EN == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: t.ES, En: t.EN}
}

func evtTextFrom(t *api.LongLocalizedText) Text {
	if t == nil {
		return Text{}
	}
	return Text{ES: t.Es, EN: t.En}
}

// evtParticipants converts participants between the domain and the API, whose JSON forms are
// the same document by design (the domain type has the contract's field names).
func evtParticipants[T any](in any) (*T, error) {
	b, err := json.Marshal(in)
	if err != nil || string(b) == "null" {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("convert participants: %w", err)
	}
	return out, nil
}

func eventToAPI(e Event) api.Event {
	agenda := make([]api.AgendaItem, len(e.Agenda))
	for i, it := range e.Agenda {
		agenda[i] = api.AgendaItem{Time: it.Time, Title: api.LocalizedText{Es: it.Title.ES, En: it.Title.EN}}
	}
	// Stored participants were validated on the way in, so they always convert.
	participants, _ := evtParticipants[api.Participants](e.Participants)
	return api.Event{
		Id: e.ID, Code: e.Code, Type: api.EventType(e.Type), Title: api.LocalizedText{Es: e.Title.ES, En: e.Title.EN},
		StartDate: openapi_types.Date{Time: e.StartDate}, EndDate: openapi_types.Date{Time: *e.EndDate},
		Place: e.Place, Country: e.Country, Online: e.Online, OrganiserId: e.OrganiserID, Agenda: agenda,
		Participants: participants, PracticeIds: append([]uuid.UUID{}, e.PracticeIDs...),
		Outputs: evtText(e.Outputs), Notes: evtText(e.Notes), Demo: e.Demo, Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(e.ArchivedAt),
	}
}

// eventWritable is the document a merge patch of an event applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func eventWritable(e Event) api.EventCreate {
	agenda := eventToAPI(e).Agenda
	practices := append([]uuid.UUID{}, e.PracticeIDs...)
	participants, _ := evtParticipants[api.Participants](e.Participants)
	return api.EventCreate{
		Code: e.Code, Type: api.EventType(e.Type), Title: api.LocalizedText{Es: e.Title.ES, En: e.Title.EN},
		StartDate: openapi_types.Date{Time: e.StartDate}, EndDate: &openapi_types.Date{Time: *e.EndDate},
		Place: e.Place, Country: e.Country, Online: new(e.Online), OrganiserId: e.OrganiserID, Agenda: &agenda,
		Participants: participants, PracticeIds: &practices, Outputs: evtText(e.Outputs), Notes: evtText(e.Notes),
	}
}

func eventFromAPI(in api.EventCreate) (EventFields, error) {
	f := EventFields{
		Code: in.Code, Type: string(in.Type), Title: Text{ES: in.Title.Es, EN: in.Title.En}, StartDate: in.StartDate.Time,
		EndDate: apiconv.Day(in.EndDate), Place: in.Place, Country: in.Country, OrganiserID: in.OrganiserId,
		Outputs: evtTextFrom(in.Outputs), Notes: evtTextFrom(in.Notes),
	}
	if in.Online != nil {
		f.Online = *in.Online
	}
	if in.Agenda != nil {
		for _, it := range *in.Agenda {
			f.Agenda = append(f.Agenda, AgendaItem{Time: it.Time, Title: Text{ES: it.Title.Es, EN: it.Title.En}})
		}
	}
	if in.PracticeIds != nil {
		f.PracticeIDs = append([]uuid.UUID{}, *in.PracticeIds...)
	}
	var err error
	f.Participants, err = evtParticipants[Participants](in.Participants)
	return f, err
}

// ListEvents lists events.
func (h *Handlers) ListEvents(ctx context.Context, req api.ListEventsRequestObject) (api.ListEventsResponseObject, error) {
	p := req.Params
	f := EventFilter{Types: apiconv.Strings(p.Type), DateFrom: apiconv.Day(p.DateFrom), DateTo: apiconv.Day(p.DateTo),
		OrganiserID: p.OrganiserId, PracticeID: p.PracticeId, PageSize: paging.Size(p.PageSize)}
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
	items, next, err := h.events().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.EventPage{Items: make([]api.Event, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = eventToAPI(it)
	}
	return api.ListEvents200JSONResponse(out), nil
}

// CreateEvent records an event.
func (h *Handlers) CreateEvent(ctx context.Context, req api.CreateEventRequestObject) (api.CreateEventResponseObject, error) {
	f, err := eventFromAPI(*req.Body)
	if err != nil {
		return nil, err
	}
	e, err := h.events().Create(ctx, f)
	if err != nil {
		return nil, err
	}
	return api.CreateEvent201JSONResponse{Body: eventToAPI(e), Headers: api.CreateEvent201ResponseHeaders{
		Location: new("/v1/events/" + e.ID.String()), ETag: new(etag.Of(e.Version)),
	}}, nil
}

// GetEvent returns one event.
func (h *Handlers) GetEvent(ctx context.Context, req api.GetEventRequestObject) (api.GetEventResponseObject, error) {
	e, err := h.events().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetEvent200JSONResponse{Body: eventToAPI(e),
		Headers: api.GetEvent200ResponseHeaders{ETag: new(etag.Of(e.Version))}}, nil
}

// UpdateEvent applies a JSON Merge Patch (RFC 7396) to the event's writable representation and
// stores the result. The participants are replaced whole, as the contract says, not merged:
// counts merged field by field would mix two different tallies.
func (h *Handlers) UpdateEvent(ctx context.Context, req api.UpdateEventRequestObject) (api.UpdateEventResponseObject, error) {
	e, err := h.events().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Event) (EventFields, error) {
		var next api.EventCreate
		if err := mergepatch.Apply(eventWritable(current), *req.Body, &next); err != nil {
			return EventFields{}, err
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(*req.Body, &members); err != nil {
			return EventFields{}, err
		}
		if raw, ok := members["participants"]; ok {
			next.Participants = nil
			if err := json.Unmarshal(raw, &next.Participants); err != nil {
				return EventFields{}, err
			}
		}
		return eventFromAPI(next)
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateEvent200JSONResponse{Body: eventToAPI(e),
		Headers: api.UpdateEvent200ResponseHeaders{ETag: new(etag.Of(e.Version))}}, nil
}

// ArchiveEvent archives an event.
func (h *Handlers) ArchiveEvent(ctx context.Context, req api.ArchiveEventRequestObject) (api.ArchiveEventResponseObject, error) {
	if err := h.events().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveEvent204Response{}, nil
}
