package actionplan

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/puente-mre/puente/internal/records"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// maxObjectives bounds the specific objectives of an action, as the contract does.
const maxObjectives = 20

// ActionFields are the parts of an action its users write. Demo marks demo data; only Create
// reads it (the HTTP layer never sets it, and updates keep what is stored).
type ActionFields struct {
	Code               string
	Title              Text
	BeneficiaryID      *uuid.UUID // the beneficiary institution
	StartDate          time.Time
	EndDate            time.Time
	GeneralObjective   Text
	SpecificObjectives []Text
	Demo               bool
}

// Action is a stored action: the frame the results, activities and deliverables belong to.
type Action struct {
	Meta
	ActionFields
}

// Validate checks the rules every action obeys, whoever writes it, except that its beneficiary
// exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *ActionFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the action is not valid")
	naturalkey.Check(e, "code", f.Code)
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	aplDates(e, f.StartDate, f.EndDate)
	if len(f.SpecificObjectives) > maxObjectives {
		e.WithField("specific_objectives", fmt.Sprintf("at most %d objectives", maxObjectives))
	}
	for i, o := range f.SpecificObjectives {
		if o.empty() {
			e.WithField("specific_objectives."+strconv.Itoa(i), "needs a Spanish or an English text")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// actionRow maps Action to the actions table (the generated search column is never written).
type actionRow struct {
	Base               records.Base `gorm:"embedded"`
	Code               string
	TitleES            *string `gorm:"column:title_es"`
	TitleEN            *string `gorm:"column:title_en"`
	BeneficiaryID      *uuid.UUID
	StartDate          time.Time
	EndDate            time.Time
	GeneralObjectiveES *string         `gorm:"column:general_objective_es"`
	GeneralObjectiveEN *string         `gorm:"column:general_objective_en"`
	SpecificObjectives json.RawMessage `gorm:"type:jsonb"`
}

func (actionRow) TableName() string { return "actions" }

// action decodes the row. The objectives were written by newActionRow, so they always decode.
func (r actionRow) action() Action {
	f := ActionFields{Code: r.Code, Title: Text{ES: r.TitleES, EN: r.TitleEN}, BeneficiaryID: r.BeneficiaryID,
		StartDate: r.StartDate, EndDate: r.EndDate, GeneralObjective: Text{ES: r.GeneralObjectiveES, EN: r.GeneralObjectiveEN},
		SpecificObjectives: []Text{}, Demo: r.Base.Demo}
	_ = json.Unmarshal(r.SpecificObjectives, &f.SpecificObjectives)
	return Action{Meta: r.Base.Meta(), ActionFields: f}
}

func newActionRow(f ActionFields, m records.Base) (actionRow, error) {
	objectives := f.SpecificObjectives
	if objectives == nil {
		objectives = []Text{}
	}
	doc, err := json.Marshal(objectives)
	if err != nil {
		return actionRow{}, fmt.Errorf("encode specific objectives: %w", err)
	}
	return actionRow{Base: m, Code: f.Code, TitleES: f.Title.ES, TitleEN: f.Title.EN, BeneficiaryID: f.BeneficiaryID,
		StartDate: aplDay(f.StartDate), EndDate: aplDay(f.EndDate), GeneralObjectiveES: f.GeneralObjective.ES,
		GeneralObjectiveEN: f.GeneralObjective.EN, SpecificObjectives: doc}, nil
}

func (r actionRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "title_es": r.TitleES, "title_en": r.TitleEN, "beneficiary_id": r.BeneficiaryID,
		"start_date": r.StartDate, "end_date": r.EndDate, "general_objective_es": r.GeneralObjectiveES,
		"general_objective_en": r.GeneralObjectiveEN, "specific_objectives": r.SpecificObjectives,
	}
}

// ActionService keeps the actions. An action is the frame of the whole plan, not a unit's
// record, so only unscoped callers (coordinators, admins, importers, the system) write them. Its
// beneficiary must be a live institution when set; archiving an action leaves its results and
// activities as they are, but nothing new can be put under it.
type ActionService struct {
	records.Store[actionRow, Action, ActionFields]
}

// NewActionService returns an ActionService over db. The audit trail records actions in their
// API representation.
func NewActionService(db *database.DB) *ActionService {
	return &ActionService{records.Store[actionRow, Action, ActionFields]{
		DB: db, Table: "actions", Resource: "action", What: "action", Plural: "actions",
		Base: func(r actionRow) records.Base { return r.Base }, Decode: actionRow.action, Build: newActionRow,
		Columns: actionRow.columns, Validate: (*ActionFields).Validate, Check: checkActionReferences,
		Translate: func(err error, f ActionFields) error {
			return records.Refused(err, "action", f.Code, "actions_code_key", map[string][2]string{
				"actions_title_present": {"title", "needs a Spanish or an English title"},
				"actions_date_order":    {"end_date", "is before the start date"},
			})
		},
		Demo: func(f ActionFields) bool { return f.Demo }, Snapshot: actionSnapshot,
	}}
}

// checkActionReferences refuses a beneficiary that does not exist or is archived. One an update
// leaves as it was is not checked again: archiving an institution keeps what refers to it.
//
// Errors: Unprocessable.
func checkActionReferences(tx *gorm.DB, f ActionFields, before *Action) error {
	beneficiary := f.BeneficiaryID
	if before != nil && refs.Same(before.BeneficiaryID, beneficiary) {
		beneficiary = nil
	}
	return refs.Check(tx, "the action refers to what does not exist",
		refs.List{Table: "institutions", Field: "beneficiary_id", Missing: "no such institution", ID: beneficiary,
			Refuse: []refs.Rule{refs.Archived}})
}

// ActionFilter narrows ActionService.List. Empty values mean "any".
type ActionFilter struct {
	Page          // ordered by start_date (the default: -start_date), code or created_at
	Q             string
	BeneficiaryID *uuid.UUID
}

// List returns a page of actions and the next page's token ("" on the last page), keyset-paged
// on (order column, id), in one statement. Without an order it lists the latest actions first.
//
// Errors: Invalid (bad page token).
func (s *ActionService) List(ctx context.Context, f ActionFilter) ([]Action, string, error) {
	q := s.DB.Conn(ctx).Model(&actionRow{})
	if f.BeneficiaryID != nil {
		q = q.Where("beneficiary_id = ?", *f.BeneficiaryID)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	if f.OrderBy == "" {
		f.OrderBy = "-start_date"
	}
	return s.Store.List(q, f.Page, planOrders, "start_date", func(r actionRow) (string, time.Time) { return r.Code, r.StartDate })
}
