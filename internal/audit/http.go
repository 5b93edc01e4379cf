package audit

import (
	"context"
	"encoding/json"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/paging"
)

// Handlers serve the audit trail.
type Handlers struct{ trail *Trail }

// NewHandlers returns the audit handlers.
func NewHandlers(trail *Trail) *Handlers { return &Handlers{trail: trail} }

// ListAuditEvents lists events, newest first.
func (h *Handlers) ListAuditEvents(ctx context.Context, req api.ListAuditEventsRequestObject) (api.ListAuditEventsResponseObject, error) {
	p := req.Params
	f := Filter{PageSize: paging.Size(p.PageSize), From: p.OccurredFrom, To: p.OccurredTo}
	for dst, src := range map[*string]*string{&f.ResourceType: p.ResourceType, &f.ResourceID: p.ResourceId,
		&f.ActorID: p.ActorId, &f.Action: p.Action, &f.PageToken: p.PageToken} {
		if src != nil {
			*dst = *src
		}
	}
	events, next, err := h.trail.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.AuditEventPage{Items: make([]api.AuditEvent, len(events)), NextPageToken: next}
	for i, ev := range events {
		out.Items[i] = Represent(ev)
	}
	return api.ListAuditEvents200JSONResponse(out), nil
}

func object(raw json.RawMessage) *map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return &m
}
