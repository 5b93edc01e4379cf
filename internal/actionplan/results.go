package actionplan

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/puente-mre/puente/internal/records"
	"math"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
)

// planCodePattern is the code of a result or an activity, unique within its action (the
// contract's pattern: shorter than a natural key, and lower case allowed, as in "R1" or "a5").
var planCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$`)

// Limits of a result's indicators, as the contract states them.
const (
	maxIndicators       = 50
	maxIndicatorCodeLen = 64
	maxIndicatorUnitLen = 50
)

// Indicator measures an expected result: where it started (Baseline), where it should get
// (Target) and where it is (Actual, as measured on MeasuredOn), in Unit.
type Indicator struct {
	Code       string
	Name       Text
	Unit       *string
	Baseline   *float64
	Target     *float64
	Actual     *float64
	MeasuredOn *time.Time
}

// Progress is how far the indicator has come from its baseline towards its target, 0 to 1:
// (actual − baseline) / (target − baseline), clamped, so a move away from the target counts as
// 0 and overshooting as 1; a target below the baseline (something to reduce) works the same way.
// It is nil when a figure is missing or the target is the baseline (there is no way to go).
func (i Indicator) Progress() *float64 {
	if i.Baseline == nil || i.Target == nil || i.Actual == nil || *i.Target == *i.Baseline {
		return nil
	}
	p := (*i.Actual - *i.Baseline) / (*i.Target - *i.Baseline)
	if math.IsNaN(p) { // infinite differences of figures near the float64 limits
		return nil
	}
	p = min(max(p, 0), 1)
	return &p
}

// ResultFields are the parts of an expected result its users write. Demo marks demo data; only
// Create reads it.
type ResultFields struct {
	ActionID   uuid.UUID
	Code       string // unique within the action
	Statement  Text
	Indicators []Indicator
	Demo       bool
}

// Result is a stored expected result of an action.
type Result struct {
	Meta
	ResultFields
}

// Progress is the mean progress of the indicators that have one, nil when none has.
func (r Result) Progress() *float64 {
	sum, n := 0.0, 0
	for _, i := range r.Indicators {
		if p := i.Progress(); p != nil {
			sum += *p
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return new(sum / float64(n))
}

// Validate checks the rules every expected result obeys, whoever writes it, except that its
// action exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *ResultFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the expected result is not valid")
	if f.ActionID == uuid.Nil {
		e.WithField("action_id", "is required")
	}
	if !planCodePattern.MatchString(f.Code) {
		e.WithField("code", "must be 1–32 letters, digits, dots or hyphens, starting with a letter or digit")
	}
	if f.Statement.empty() {
		e.WithField("statement", "needs a Spanish or an English statement")
	}
	if len(f.Indicators) > maxIndicators {
		e.WithField("indicators", fmt.Sprintf("at most %d indicators", maxIndicators))
	}
	for i, ind := range f.Indicators {
		field := "indicators." + strconv.Itoa(i)
		switch {
		case ind.Code == "" || utf8.RuneCountInString(ind.Code) > maxIndicatorCodeLen:
			e.WithField(field+".code", fmt.Sprintf("must be 1–%d characters", maxIndicatorCodeLen))
		case slices.ContainsFunc(f.Indicators[:i], func(o Indicator) bool { return o.Code == ind.Code }):
			e.WithField(field+".code", ind.Code+" is listed twice")
		}
		if ind.Name.empty() {
			e.WithField(field+".name", "needs a Spanish or an English name")
		}
		if ind.Unit != nil && utf8.RuneCountInString(*ind.Unit) > maxIndicatorUnitLen {
			e.WithField(field+".unit", fmt.Sprintf("at most %d characters", maxIndicatorUnitLen))
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// indicatorDoc is an indicator as the results.indicators column stores it (dates as YYYY-MM-DD).
type indicatorDoc struct {
	Code       string   `json:"code"`
	Name       Text     `json:"name"`
	Unit       *string  `json:"unit,omitempty"`
	Baseline   *float64 `json:"baseline,omitempty"`
	Target     *float64 `json:"target,omitempty"`
	Actual     *float64 `json:"actual,omitempty"`
	MeasuredOn *string  `json:"measured_on,omitempty"`
}

// resultRow maps Result to the results table.
type resultRow struct {
	Base        records.Base `gorm:"embedded"`
	ActionID    uuid.UUID
	Code        string
	StatementES *string         `gorm:"column:statement_es"`
	StatementEN *string         `gorm:"column:statement_en"`
	Indicators  json.RawMessage `gorm:"type:jsonb"`
}

func (resultRow) TableName() string { return "results" }

// result decodes the row. The indicators were written by newResultRow, so they always decode.
func (r resultRow) result() Result {
	var docs []indicatorDoc
	_ = json.Unmarshal(r.Indicators, &docs)
	inds := make([]Indicator, len(docs))
	for i, d := range docs {
		inds[i] = Indicator{Code: d.Code, Name: d.Name, Unit: d.Unit, Baseline: d.Baseline, Target: d.Target, Actual: d.Actual}
		if d.MeasuredOn != nil {
			if t, err := time.Parse(time.DateOnly, *d.MeasuredOn); err == nil {
				inds[i].MeasuredOn = &t
			}
		}
	}
	return Result{Meta: r.Base.Meta(), ResultFields: ResultFields{ActionID: r.ActionID, Code: r.Code,
		Statement: Text{ES: r.StatementES, EN: r.StatementEN}, Indicators: inds, Demo: r.Base.Demo}}
}

func newResultRow(f ResultFields, m records.Base) (resultRow, error) {
	docs := make([]indicatorDoc, len(f.Indicators))
	for i, ind := range f.Indicators {
		docs[i] = indicatorDoc{Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Baseline: ind.Baseline, Target: ind.Target,
			Actual: ind.Actual}
		if ind.MeasuredOn != nil {
			docs[i].MeasuredOn = new(ind.MeasuredOn.Format(time.DateOnly))
		}
	}
	doc, err := json.Marshal(docs)
	if err != nil {
		return resultRow{}, fmt.Errorf("encode indicators: %w", err)
	}
	return resultRow{Base: m, ActionID: f.ActionID, Code: f.Code, StatementES: f.Statement.ES,
		StatementEN: f.Statement.EN, Indicators: doc}, nil
}

func (r resultRow) columns() map[string]any {
	return map[string]any{"action_id": r.ActionID, "code": r.Code, "statement_es": r.StatementES,
		"statement_en": r.StatementEN, "indicators": r.Indicators}
}

// ResultService keeps the expected results of actions, with their indicators. Like the action
// they belong to, only unscoped callers write them. A result is put under a live action, with a
// code of its own in that action.
type ResultService struct {
	records.Store[resultRow, Result, ResultFields]
}

// NewResultService returns a ResultService over db. The audit trail records results in their API
// representation.
func NewResultService(db *database.DB) *ResultService {
	return &ResultService{records.Store[resultRow, Result, ResultFields]{
		DB: db, Table: "results", Resource: "result", What: "expected result", Plural: "expected results",
		Base: func(r resultRow) records.Base { return r.Base }, Decode: resultRow.result, Build: newResultRow,
		Columns: resultRow.columns, Validate: (*ResultFields).Validate,
		Check: func(tx *gorm.DB, f ResultFields, before *Result) error {
			var action *uuid.UUID
			if before != nil {
				action = &before.ActionID
			}
			return refs.Check(tx, "the expected result refers to what does not exist", actionRef(f.ActionID, action))
		},
		Translate: func(err error, f ResultFields) error {
			return records.Refused(err, "expected result", f.Code, "results_code_key", map[string][2]string{
				"results_statement_present": {"statement", "needs a Spanish or an English statement"},
			})
		},
		Demo: func(f ResultFields) bool { return f.Demo }, Snapshot: resultSnapshot,
	}}
}

// actionRef is the reference of a record to the action it is put under: the action must exist and
// not be archived. before is the action the record is under already, which needs no check
// (archiving an action keeps what it holds editable).
func actionRef(action uuid.UUID, before *uuid.UUID) refs.List {
	l := refs.List{Table: "actions", Field: "action_id", Missing: "no such action", Refuse: []refs.Rule{refs.Archived}}
	if before == nil || *before != action {
		l.ID = &action
	}
	return l
}

// ResultFilter narrows ResultService.List. Empty values mean "any".
type ResultFilter struct {
	Page     // ordered by code (the default) or created_at
	ActionID *uuid.UUID
}

var resultOrders = paging.Orders{"code": planOrders["code"], "created_at": planOrders["created_at"]}

// List returns a page of expected results and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *ResultService) List(ctx context.Context, f ResultFilter) ([]Result, string, error) {
	q := s.DB.Conn(ctx).Model(&resultRow{})
	if f.ActionID != nil {
		q = q.Where("action_id = ?", *f.ActionID)
	}
	return s.Store.List(q, f.Page, resultOrders, "code", func(r resultRow) (string, time.Time) { return r.Code, time.Time{} })
}
