// Package audit appends events to the audit trail and lists them. Record must be called with the
// context of the write's transaction, so the event and the write commit or fail together.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/paging"
)

// Event is one audit row.
type Event struct {
	ID           uuid.UUID
	OccurredAt   time.Time
	ActorKind    string
	ActorID      *string
	ActorLabel   *string
	Action       string
	ResourceType string
	ResourceID   *string
	Before       json.RawMessage `gorm:"type:jsonb"`
	After        json.RawMessage `gorm:"type:jsonb"`
	RequestID    *string
	ClientIP     *string
}

// TableName maps Event to its table.
func (Event) TableName() string { return "audit_events" }

// Change describes what a write did. Before and After are marshalled to JSON as given: pass the
// API representation so the trail reads like the API.
type Change struct {
	Action       string // "<resource>.<verb>", e.g. institution.update
	ResourceType string
	ResourceID   string
	Before       any
	After        any
}

// Trail reads the audit trail.
type Trail struct{ db *database.DB }

// NewTrail returns a Trail over db.
func NewTrail(db *database.DB) *Trail { return &Trail{db: db} }

// Record appends an event for c to tx, attributed to the actor and request in ctx. Taking the
// write's own transaction is the point: the event exists exactly when the write does.
func Record(ctx context.Context, tx *gorm.DB, c Change) error {
	ev, err := newEvent(ctx, c)
	if err != nil {
		return err
	}
	// occurred_at comes from the database clock so that events from all replicas order together.
	if err := tx.Omit("OccurredAt").Create(&ev).Error; err != nil {
		return fmt.Errorf("record audit event %s: %w", c.Action, err)
	}
	return nil
}

// Execer is a pgx connection or transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// RecordPgx is Record for writes made through pgx (bulk imports), in their transaction tx.
func RecordPgx(ctx context.Context, tx Execer, c Change) error {
	ev, err := newEvent(ctx, c)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (id, actor_kind, actor_id, actor_label, action, resource_type,
    resource_id, before, after, request_id, client_ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		ev.ID, ev.ActorKind, ev.ActorID, ev.ActorLabel, ev.Action, ev.ResourceType, ev.ResourceID,
		nullJSON(ev.Before), nullJSON(ev.After), ev.RequestID, ev.ClientIP); err != nil {
		return fmt.Errorf("record audit event %s: %w", c.Action, err)
	}
	return nil
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func newEvent(ctx context.Context, c Change) (Event, error) {
	a := actor.From(ctx)
	r := actor.RequestFrom(ctx)
	ev := Event{
		ID:           uuid.Must(uuid.NewV7()),
		ActorKind:    string(a.Kind),
		ActorID:      nonEmpty(a.ID),
		ActorLabel:   nonEmpty(a.Label),
		Action:       c.Action,
		ResourceType: c.ResourceType,
		ResourceID:   nonEmpty(c.ResourceID),
		RequestID:    nonEmpty(r.ID),
		ClientIP:     nonEmpty(r.ClientIP),
	}
	var err error
	if ev.Before, err = marshal(c.Before); err != nil {
		return ev, err
	}
	if ev.After, err = marshal(c.After); err != nil {
		return ev, err
	}
	return ev, nil
}

func marshal(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal audit state: %w", err)
	}
	return b, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Filter narrows List.
type Filter struct {
	ResourceType, ResourceID, ActorID, Action string
	From, To                                  *time.Time
	PageSize                                  int
	PageToken                                 string
}

var newestFirst = paging.Order{Field: "occurred_at", Column: "occurred_at", Type: "timestamptz", Desc: true}

// List returns events newest first, and the token of the next page ("" on the last).
//
// Errors: Invalid for a bad page token.
func (t *Trail) List(ctx context.Context, f Filter) ([]Event, string, error) {
	q := t.db.Conn(ctx).Model(&Event{})
	if f.ResourceType != "" {
		q = q.Where("resource_type = ?", f.ResourceType)
	}
	if f.ResourceID != "" {
		q = q.Where("resource_id = ?", f.ResourceID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.From != nil {
		q = q.Where("occurred_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("occurred_at < ?", *f.To)
	}
	events, next, err := paging.Page(q, newestFirst, "audit", f.PageToken, f.PageSize,
		func(e Event) any { return e.OccurredAt }, func(e Event) uuid.UUID { return e.ID })
	if err != nil {
		return nil, "", err
	}
	return events, next, nil
}
