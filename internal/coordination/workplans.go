package coordination

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// PlanActivity is one activity of a work plan: what, who is responsible, when, how far along.
type PlanActivity struct {
	Title       Text
	Responsible []uuid.UUID // the institutions responsible, at least one
	StartDate   *time.Time
	EndDate     *time.Time
	Status      string // planned (the default), in_progress, done
}

// activityDoc is how an activity is stored in the plan's activities column: the API's form.
type activityDoc struct {
	Title       Text        `json:"title"`
	Responsible []uuid.UUID `json:"responsible_institution_ids"`
	StartDate   *string     `json:"start_date,omitempty"`
	EndDate     *string     `json:"end_date,omitempty"`
	Status      string      `json:"status"`
}

// WorkPlanFields are the parts of a work plan its users write.
type WorkPlanFields struct {
	Code                string
	BodyID              uuid.UUID // the body that approves it
	Title               Text
	PeriodStart         time.Time
	PeriodEnd           time.Time
	Status              string // draft (the default), approved, closed
	ApprovedOn          *time.Time
	ApprovedInSessionID *uuid.UUID // a session of its body
	Objectives          []Text
	Activities          []PlanActivity
	Demo                bool
}

// WorkPlan is a stored work plan.
type WorkPlan struct {
	Meta
	WorkPlanFields
}

// Institutions is every institution responsible for one of the plan's activities, each once,
// in the order they first appear: what the institution filter matches.
func (f WorkPlanFields) Institutions() []uuid.UUID {
	out := []uuid.UUID{}
	seen := map[uuid.UUID]bool{}
	for _, a := range f.Activities {
		for _, id := range a.Responsible {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Validate checks (and normalises: draft and planned by default) the rules every work plan
// obeys, except those that need the database.
//
// Errors: Unprocessable.
func (f *WorkPlanFields) Validate() error {
	e := invalid("work plan")
	naturalkey.Check(e, "code", f.Code)
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if f.PeriodStart.IsZero() {
		e.WithField("period_start", "is required")
	}
	if f.PeriodEnd.IsZero() {
		e.WithField("period_end", "is required")
	}
	f.PeriodStart, f.PeriodEnd, f.ApprovedOn = day(f.PeriodStart), day(f.PeriodEnd), dayPtr(f.ApprovedOn)
	if f.PeriodEnd.Before(f.PeriodStart) {
		e.WithField("period_end", "is before the period start")
	}
	if f.Status == "" {
		f.Status = "draft"
	}
	if f.Objectives == nil {
		f.Objectives = []Text{}
	}
	for i, o := range f.Objectives {
		if o.empty() {
			e.WithField("objectives."+strconv.Itoa(i), "needs a Spanish or an English text")
		}
	}
	if f.Activities == nil {
		f.Activities = []PlanActivity{}
	}
	for i := range f.Activities {
		a := &f.Activities[i]
		at := "activities." + strconv.Itoa(i)
		if a.Title.empty() {
			e.WithField(at+".title", "needs a Spanish or an English title")
		}
		if len(a.Responsible) == 0 {
			e.WithField(at+".responsible_institution_ids", "needs at least one institution")
		}
		if a.Status == "" {
			a.Status = "planned"
		}
		a.StartDate, a.EndDate = dayPtr(a.StartDate), dayPtr(a.EndDate)
		if a.StartDate != nil && a.EndDate != nil && a.EndDate.Before(*a.StartDate) {
			e.WithField(at+".end_date", "is before the start date")
		}
	}
	return done(e)
}

// workPlanRow maps WorkPlan to work_plans (the generated search column is never written).
type workPlanRow struct {
	Base                records.Base `gorm:"embedded"`
	Code                string
	BodyID              uuid.UUID
	TitleES             *string `gorm:"column:title_es"`
	TitleEN             *string `gorm:"column:title_en"`
	PeriodStart         time.Time
	PeriodEnd           time.Time
	Status              string
	ApprovedOn          *time.Time
	ApprovedInSessionID *uuid.UUID
	Objectives          json.RawMessage `gorm:"type:jsonb"`
	Activities          json.RawMessage `gorm:"type:jsonb"`
	InstitutionIDs      pq.StringArray  `gorm:"type:uuid[]"`
}

func (workPlanRow) TableName() string { return "work_plans" }

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return new(t.Format(time.DateOnly))
}

func parseDate(s *string) *time.Time {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return &t
}

// workPlan decodes the row. Its documents were written by newWorkPlanRow, so they decode.
func (r workPlanRow) workPlan() WorkPlan {
	f := WorkPlanFields{Code: r.Code, BodyID: r.BodyID, Title: Text{ES: r.TitleES, EN: r.TitleEN}, PeriodStart: r.PeriodStart,
		PeriodEnd: r.PeriodEnd, Status: r.Status, ApprovedOn: r.ApprovedOn, ApprovedInSessionID: r.ApprovedInSessionID,
		Objectives: []Text{}, Activities: []PlanActivity{}, Demo: r.Base.Demo}
	_ = json.Unmarshal(r.Objectives, &f.Objectives)
	var docs []activityDoc
	_ = json.Unmarshal(r.Activities, &docs)
	for _, d := range docs {
		resp := d.Responsible
		if resp == nil {
			resp = []uuid.UUID{}
		}
		f.Activities = append(f.Activities, PlanActivity{Title: d.Title, Responsible: resp, StartDate: parseDate(d.StartDate),
			EndDate: parseDate(d.EndDate), Status: d.Status})
	}
	return WorkPlan{Meta: r.Base.Meta(), WorkPlanFields: f}
}

func newWorkPlanRow(f WorkPlanFields, m records.Base) (workPlanRow, error) {
	objectives, err := json.Marshal(f.Objectives)
	if err != nil {
		return workPlanRow{}, fmt.Errorf("encode objectives: %w", err)
	}
	docs := make([]activityDoc, len(f.Activities))
	for i, a := range f.Activities {
		docs[i] = activityDoc{Title: a.Title, Responsible: a.Responsible, StartDate: dateString(a.StartDate),
			EndDate: dateString(a.EndDate), Status: a.Status}
	}
	activities, err := json.Marshal(docs)
	if err != nil {
		return workPlanRow{}, fmt.Errorf("encode activities: %w", err)
	}
	return workPlanRow{Base: m, Code: f.Code, BodyID: f.BodyID, TitleES: f.Title.ES, TitleEN: f.Title.EN,
		PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, Status: f.Status, ApprovedOn: f.ApprovedOn,
		ApprovedInSessionID: f.ApprovedInSessionID, Objectives: objectives, Activities: activities,
		InstitutionIDs: refs.Array(f.Institutions())}, nil
}

func (r workPlanRow) columns() map[string]any {
	return map[string]any{"code": r.Code, "body_id": r.BodyID, "title_es": r.TitleES, "title_en": r.TitleEN,
		"period_start": r.PeriodStart, "period_end": r.PeriodEnd, "status": r.Status, "approved_on": r.ApprovedOn,
		"approved_in_session_id": r.ApprovedInSessionID, "objectives": r.Objectives, "activities": r.Activities,
		"institution_ids": r.InstitutionIDs}
}

// WorkPlanService keeps the work plans. A plan's body must be live, the session that approved
// it one of its body's, and each activity's responsible institutions must exist; the plan's
// institution_ids column is kept as the union of the activities' responsible institutions.
type WorkPlanService struct {
	records.Store[workPlanRow, WorkPlan, WorkPlanFields]
}

// NewWorkPlanService returns a WorkPlanService over db.
func NewWorkPlanService(db *database.DB) *WorkPlanService {
	return &WorkPlanService{records.Store[workPlanRow, WorkPlan, WorkPlanFields]{
		DB: db, Table: "work_plans", Resource: "work_plan", What: "work plan", Plural: "work plans",
		Base: func(r workPlanRow) records.Base { return r.Base }, Decode: workPlanRow.workPlan, Build: newWorkPlanRow,
		Columns: workPlanRow.columns, Validate: (*WorkPlanFields).Validate, Check: checkWorkPlan,
		Translate: func(err error, f WorkPlanFields) error {
			return records.Refused(err, "work plan", f.Code, "work_plans_code_key", map[string][2]string{
				"work_plans_title_present": {"title", "needs a Spanish or an English title"},
				"work_plans_period":        {"period_end", "is before the period start"},
			})
		},
		Demo: func(f WorkPlanFields) bool { return f.Demo }, Snapshot: func(p WorkPlan) any { return workPlanWritable(p) },
	}}
}

// checkWorkPlan refuses a body, session or responsible institution that does not exist or is
// archived (those an update keeps are not checked again), and a session of another body.
//
// Errors: Unprocessable.
func checkWorkPlan(tx *gorm.DB, f WorkPlanFields, before *WorkPlan) error {
	body, session := &f.BodyID, f.ApprovedInSessionID
	var kept []uuid.UUID
	if before != nil {
		if before.BodyID == f.BodyID {
			body = nil
		}
		if refs.Same(before.ApprovedInSessionID, session) && before.BodyID == f.BodyID {
			session = nil
		}
		kept = before.Institutions()
	}
	lists := []refs.List{
		{Table: "coordination_bodies", Field: "body_id", Missing: "no such coordination body", ID: body, Refuse: []refs.Rule{refs.Archived}},
		{Table: "coordination_sessions", Field: "approved_in_session_id", Missing: "no such session", ID: session,
			Refuse: []refs.Rule{refs.Archived}},
	}
	for i, a := range f.Activities {
		lists = append(lists, refs.List{Table: "institutions", Field: "activities." + strconv.Itoa(i) + ".responsible_institution_ids",
			Missing: "no such institution", IDs: a.Responsible, Active: true, Kept: kept})
	}
	if err := refs.Check(tx, "the work plan refers to what does not exist", lists...); err != nil {
		return err
	}
	if session == nil {
		return nil
	}
	var of string
	if err := tx.Raw(`SELECT body_id::text FROM coordination_sessions WHERE id = ?`, *session).Scan(&of).Error; err != nil {
		return fmt.Errorf("load session %s: %w", *session, err)
	}
	if of != f.BodyID.String() {
		return apperr.New(apperr.Unprocessable, "the work plan is approved in a session of another body").
			WithField("approved_in_session_id", "is a session of another body")
	}
	return nil
}

// WorkPlanFilter narrows WorkPlanService.List. Empty values mean "any".
type WorkPlanFilter struct {
	Page          // ordered by period_start (the default), code or created_at
	Q             string
	BodyID        *uuid.UUID
	Statuses      []string
	InstitutionID *uuid.UUID // plans with an activity it is responsible for
}

var workPlanOrders = paging.Orders{
	"period_start": {Field: "period_start", Column: "period_start", Type: "date"},
	"code":         {Field: "code", Column: "code", Type: "text"},
	"created_at":   {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of work plans and the next page's token ("" on the last page), in one
// statement; the institution filter is served by the institution_ids GIN index.
//
// Errors: Invalid (bad page token).
func (s *WorkPlanService) List(ctx context.Context, f WorkPlanFilter) ([]WorkPlan, string, error) {
	q := s.DB.Conn(ctx).Model(&workPlanRow{})
	if f.BodyID != nil {
		q = q.Where("body_id = ?", *f.BodyID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.InstitutionID != nil {
		q = q.Where("institution_ids @> ARRAY[?]::uuid[]", f.InstitutionID.String())
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	return s.Store.List(q, f.Page, workPlanOrders, "period_start", func(r workPlanRow) (string, time.Time) { return r.Code, r.PeriodStart })
}
