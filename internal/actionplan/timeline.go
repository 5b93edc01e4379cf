package actionplan

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
)

// TimelineItem is one dated entry of an action's timeline: an activity (Date its start, EndDate
// its end) or a deliverable (Date its due date).
type TimelineItem struct {
	Kind     string // activity or deliverable
	ID       uuid.UUID
	Code     string
	Title    Text
	Date     time.Time
	EndDate  *time.Time
	Status   string
	Progress *int // an activity's
	Overdue  bool
}

// Timeline is an action's plan in date order, as it stood on Today.
type Timeline struct {
	ActionID uuid.UUID
	Today    time.Time
	Items    []TimelineItem
}

// timelineQuery merges the action's live activities (by start date) and its live deliverables
// that have a due date (by due date) in one statement, each side on its (action_id, date) index.
// An item is overdue when its end or due date is before today and it is not finished: an activity
// neither done nor cancelled, a deliverable neither approved nor published. On one date the
// activities come first, then the deliverables, each by code.
const timelineQuery = `
SELECT 'activity' AS kind, id, code, title_es, title_en, start_date AS date, end_date, status, progress::int AS progress,
       (end_date < CAST(@today AS date) AND status NOT IN ('done', 'cancelled')) AS overdue
  FROM activities WHERE action_id = @action AND archived_at IS NULL
UNION ALL
SELECT 'deliverable', id, code, title_es, title_en, due_date, NULL::date, status, NULL::int,
       (due_date < CAST(@today AS date) AND status NOT IN ('approved', 'published'))
  FROM deliverables WHERE action_id = @action AND archived_at IS NULL AND due_date IS NOT NULL
ORDER BY date, kind, code, id`

// Timeline returns the plan of action id (archived or not) as it stands on today's date: its
// activities and deliverable due dates in date order, with overdue flags. It costs two
// statements: one finds the action, one reads the plan.
//
// Errors: NotFound.
func (s *ActionService) Timeline(ctx context.Context, id uuid.UUID, today time.Time) (Timeline, error) {
	tx := s.DB.Conn(ctx)
	if _, err := s.Store.Find(tx, id, false); err != nil {
		return Timeline{}, err
	}
	today = aplDay(today)
	var rows []struct {
		Kind             string
		ID               uuid.UUID
		Code             string
		TitleES, TitleEN *string
		Date             time.Time
		EndDate          *time.Time
		Status           string
		Progress         *int
		Overdue          bool
	}
	if err := tx.Raw(timelineQuery, map[string]any{"action": id, "today": today.Format(time.DateOnly)}).
		Scan(&rows).Error; err != nil {
		return Timeline{}, fmt.Errorf("read the timeline of action %s: %w", id, err)
	}
	out := Timeline{ActionID: id, Today: today, Items: make([]TimelineItem, len(rows))}
	for i, r := range rows {
		out.Items[i] = TimelineItem{Kind: r.Kind, ID: r.ID, Code: r.Code, Title: Text{ES: r.TitleES, EN: r.TitleEN},
			Date: r.Date, EndDate: r.EndDate, Status: r.Status, Progress: r.Progress, Overdue: r.Overdue}
	}
	return out, nil
}

// GetActionTimeline returns an action's timeline as it stands today (UTC).
func (h *Handlers) GetActionTimeline(ctx context.Context, req api.GetActionTimelineRequestObject) (api.GetActionTimelineResponseObject, error) {
	tl, err := h.actions().Timeline(ctx, req.Id, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	out := api.ActionTimeline{ActionId: tl.ActionID, Today: openapi_types.Date{Time: tl.Today},
		Items: make([]api.TimelineItem, len(tl.Items))}
	for i, it := range tl.Items {
		out.Items[i] = api.TimelineItem{Kind: api.TimelineItemKind(it.Kind), Id: it.ID, Code: it.Code,
			Title: api.LocalizedText{Es: it.Title.ES, En: it.Title.EN}, Date: openapi_types.Date{Time: it.Date},
			EndDate: apiconv.Date(it.EndDate), Status: it.Status, Progress: it.Progress, Overdue: it.Overdue}
	}
	return api.GetActionTimeline200JSONResponse(out), nil
}
