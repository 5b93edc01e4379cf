package actionplan

import (
	"context"
	"fmt"
	"github.com/puente-mre/puente/internal/records"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/refs"
)

// Vocabularies of an activity.
var (
	ActivityTypes = []string{"needs_assessment", "data_compilation", "practice_review", "peer_learning_workshop",
		"diaspora_consultation", "co_drafting", "presentation", "coordination", "other"}
	ActivityStatuses = []string{"planned", "in_progress", "done", "cancelled"}
)

// Limits of an activity's links, as the contract states them.
const (
	maxActivityEvents       = 50
	maxActivityDeliverables = 20
)

// ActivityFields are the parts of an activity its users write. An empty Status means "planned".
// Demo marks demo data; only Create reads it.
type ActivityFields struct {
	ActionID       uuid.UUID
	Code           string // unique within the action
	Type           string
	Title          Text
	Description    Text
	StartDate      time.Time
	EndDate        time.Time
	Status         string
	Progress       int         // percent, 0–100; always 100 once the activity is done
	EventIDs       []uuid.UUID // the events the activity held
	DeliverableIDs []uuid.UUID // the deliverables it contributes to
	Demo           bool
}

// Activity is a stored activity of an action's plan.
type Activity struct {
	Meta
	ActivityFields
}

// normalize applies the defaults and the one rule that ties status to progress: a done activity
// is complete, so marking it done sets its progress to 100 whatever was sent (reopening it keeps
// the 100 until someone lowers it). Refusing "done at 60%" instead would make every client send
// both fields to close an activity.
func (f *ActivityFields) normalize() {
	if f.Status == "" {
		f.Status = "planned"
	}
	if f.Status == "done" {
		f.Progress = 100
	}
}

// Validate checks the rules every activity obeys, whoever writes it, except that its action,
// events and deliverables exist (the service checks those against the database). An empty Status
// is taken as "planned".
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *ActivityFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the activity is not valid")
	if f.ActionID == uuid.Nil {
		e.WithField("action_id", "is required")
	}
	if !planCodePattern.MatchString(f.Code) {
		e.WithField("code", "must be 1–32 letters, digits, dots or hyphens, starting with a letter or digit")
	}
	if !slices.Contains(ActivityTypes, f.Type) {
		e.WithField("type", "unknown activity type")
	}
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	aplDates(e, f.StartDate, f.EndDate)
	if f.Status != "" && !slices.Contains(ActivityStatuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	if f.Progress < 0 || f.Progress > 100 {
		e.WithField("progress", "must be 0–100")
	}
	aplLinks(e, "event_ids", f.EventIDs, maxActivityEvents)
	aplLinks(e, "deliverable_ids", f.DeliverableIDs, maxActivityDeliverables)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// aplLinks adds to e what is wrong with a list of ids: too many, or one listed twice.
func aplLinks(e *apperr.Error, field string, ids []uuid.UUID, most int) {
	if len(ids) > most {
		e.WithField(field, fmt.Sprintf("at most %d", most))
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			e.WithField(field+"."+strconv.Itoa(i), "listed twice")
		}
	}
}

// activityRow maps Activity to the activities table.
type activityRow struct {
	Base           records.Base `gorm:"embedded"`
	ActionID       uuid.UUID
	Code           string
	Type           string
	TitleES        *string `gorm:"column:title_es"`
	TitleEN        *string `gorm:"column:title_en"`
	DescriptionES  *string `gorm:"column:description_es"`
	DescriptionEN  *string `gorm:"column:description_en"`
	StartDate      time.Time
	EndDate        time.Time
	Status         string
	Progress       int
	EventIDs       pq.StringArray `gorm:"column:event_ids;type:uuid[]"`
	DeliverableIDs pq.StringArray `gorm:"column:deliverable_ids;type:uuid[]"`
}

func (activityRow) TableName() string { return "activities" }

func (r activityRow) activity() Activity {
	return Activity{Meta: r.Base.Meta(), ActivityFields: ActivityFields{ActionID: r.ActionID, Code: r.Code, Type: r.Type,
		Title: Text{ES: r.TitleES, EN: r.TitleEN}, Description: Text{ES: r.DescriptionES, EN: r.DescriptionEN},
		StartDate: r.StartDate, EndDate: r.EndDate, Status: r.Status, Progress: r.Progress,
		EventIDs: refs.Parse(r.EventIDs), DeliverableIDs: refs.Parse(r.DeliverableIDs), Demo: r.Base.Demo}}
}

func newActivityRow(f ActivityFields, m records.Base) (activityRow, error) {
	return activityRow{Base: m, ActionID: f.ActionID, Code: f.Code, Type: f.Type, TitleES: f.Title.ES,
		TitleEN: f.Title.EN, DescriptionES: f.Description.ES, DescriptionEN: f.Description.EN,
		StartDate: aplDay(f.StartDate), EndDate: aplDay(f.EndDate), Status: f.Status, Progress: f.Progress,
		EventIDs: refs.Array(f.EventIDs), DeliverableIDs: refs.Array(f.DeliverableIDs)}, nil
}

func (r activityRow) columns() map[string]any {
	return map[string]any{
		"action_id": r.ActionID, "code": r.Code, "type": r.Type, "title_es": r.TitleES, "title_en": r.TitleEN,
		"description_es": r.DescriptionES, "description_en": r.DescriptionEN, "start_date": r.StartDate,
		"end_date": r.EndDate, "status": r.Status, "progress": r.Progress, "event_ids": r.EventIDs,
		"deliverable_ids": r.DeliverableIDs,
	}
}

// ActivityService keeps the activities of actions. An activity belongs to the action, not to a
// unit, so — like the action — only unscoped callers write it; editors follow the plan, they do
// not change it. An activity is put under a live action, with a code of its own in that action;
// it is planned unless it says otherwise, and stored at 100% once done.
type ActivityService struct {
	records.Store[activityRow, Activity, ActivityFields]
}

// NewActivityService returns an ActivityService over db. The audit trail records activities in
// their API representation.
func NewActivityService(db *database.DB) *ActivityService {
	return &ActivityService{records.Store[activityRow, Activity, ActivityFields]{
		DB: db, Table: "activities", Resource: "activity", What: "activity", Plural: "activities",
		Base: func(r activityRow) records.Base { return r.Base }, Decode: activityRow.activity, Build: newActivityRow,
		Columns: activityRow.columns,
		Validate: func(f *ActivityFields) error {
			f.normalize()
			return f.Validate()
		},
		Check: checkActivityReferences,
		Translate: func(err error, f ActivityFields) error {
			return records.Refused(err, "activity", f.Code, "activities_code_key", map[string][2]string{
				"activities_title_present":  {"title", "needs a Spanish or an English title"},
				"activities_date_order":     {"end_date", "is before the start date"},
				"activities_type_check":     {"type", "unknown activity type"},
				"activities_status_check":   {"status", "unknown status"},
				"activities_progress_check": {"progress", "must be 0–100"},
			})
		},
		Demo: func(f ActivityFields) bool { return f.Demo }, Snapshot: activitySnapshot,
	}}
}

// checkActivityReferences refuses an action, events or deliverables that do not exist or are
// archived, naming each by its position. What an update leaves as it was is not checked again:
// archiving an event or a deliverable keeps what refers to it. Each table costs one statement
// whatever the number of ids.
//
// Errors: Unprocessable.
func checkActivityReferences(tx *gorm.DB, f ActivityFields, before *Activity) error {
	var action *uuid.UUID
	var events, deliverables []uuid.UUID
	if before != nil {
		action, events, deliverables = &before.ActionID, before.EventIDs, before.DeliverableIDs
	}
	return refs.Check(tx, "the activity refers to what does not exist", actionRef(f.ActionID, action),
		refs.List{Table: "events", Field: "event_ids", Missing: "no such event", IDs: f.EventIDs, Active: true, Kept: events},
		refs.List{Table: "deliverables", Field: "deliverable_ids", Missing: "no such deliverable", IDs: f.DeliverableIDs,
			Active: true, Kept: deliverables})
}

// ActivityFilter narrows ActivityService.List. Empty values mean "any".
type ActivityFilter struct {
	Page             // ordered by start_date (the default), code or created_at
	ActionID         *uuid.UUID
	Types, Statuses  []string
	DateFrom, DateTo *time.Time // activities ending on or after DateFrom, starting on or before DateTo
}

// List returns a page of activities and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *ActivityService) List(ctx context.Context, f ActivityFilter) ([]Activity, string, error) {
	q := s.DB.Conn(ctx).Model(&activityRow{})
	if f.ActionID != nil {
		q = q.Where("action_id = ?", *f.ActionID)
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.DateFrom != nil {
		q = q.Where("end_date >= ?", aplDay(*f.DateFrom))
	}
	if f.DateTo != nil {
		q = q.Where("start_date <= ?", aplDay(*f.DateTo))
	}
	return s.Store.List(q, f.Page, planOrders, "start_date", func(r activityRow) (string, time.Time) { return r.Code, r.StartDate })
}
