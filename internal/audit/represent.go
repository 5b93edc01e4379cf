package audit

import "github.com/puente-mre/puente/api"

// Represent is the API representation of an event, for every operation that lists events (the
// audit trail itself, and a resource's history).
func Represent(ev Event) api.AuditEvent {
	return api.AuditEvent{
		Id: ev.ID, OccurredAt: ev.OccurredAt.UTC(), Action: ev.Action, ResourceType: ev.ResourceType,
		ResourceId: ev.ResourceID, RequestId: ev.RequestID, ClientIp: ev.ClientIP,
		Actor:  api.AuditActor{Kind: api.AuditActorKind(ev.ActorKind), Id: ev.ActorID, Label: ev.ActorLabel},
		Before: object(ev.Before), After: object(ev.After),
	}
}
