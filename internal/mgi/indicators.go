package mgi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/search"
)

// IndicatorFields are the parts of an indicator of the framework its users write. Demo marks
// demo data; only Create reads it (the HTTP layer never sets it, and updates keep what is
// stored).
type IndicatorFields struct {
	Code     string
	Domain   string
	Text     Text
	Position int // its place in the framework, for display; 0 by default
	Demo     bool
}

// Indicator is a stored indicator of the framework.
type Indicator struct {
	Meta
	IndicatorFields
}

// Validate checks the rules every indicator obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *IndicatorFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the MGI indicator is not valid")
	naturalkey.Check(e, "code", f.Code)
	if !slices.Contains(Domains, f.Domain) {
		e.WithField("domain", "unknown domain")
	}
	if f.Text.empty() {
		e.WithField("text", "needs a Spanish or an English text")
	}
	if f.Position < 0 || f.Position > maxPosition {
		e.WithField("position", fmt.Sprintf("must be 0–%d", maxPosition))
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// indicatorRow maps Indicator to the mgi_indicators table (the generated search column is never
// written).
type indicatorRow struct {
	Base     records.Base `gorm:"embedded"`
	Code     string
	Domain   string
	TextES   *string `gorm:"column:text_es"`
	TextEN   *string `gorm:"column:text_en"`
	Position int
}

func (indicatorRow) TableName() string { return "mgi_indicators" }

func (r indicatorRow) indicator() Indicator {
	return Indicator{Meta: r.Base.Meta(), IndicatorFields: IndicatorFields{Code: r.Code, Domain: r.Domain,
		Text: Text{ES: r.TextES, EN: r.TextEN}, Position: r.Position, Demo: r.Base.Demo}}
}

func newIndicatorRow(f IndicatorFields, m records.Base) (indicatorRow, error) {
	return indicatorRow{Base: m, Code: f.Code, Domain: f.Domain, TextES: f.Text.ES, TextEN: f.Text.EN, Position: f.Position}, nil
}

func (r indicatorRow) columns() map[string]any {
	return map[string]any{"code": r.Code, "domain": r.Domain, "text_es": r.TextES, "text_en": r.TextEN, "position": r.Position}
}

// IndicatorService keeps the framework's indicators. The framework is data: an admin loads or
// replaces it by importing a file (see LoadFramework for the demo's); only unscoped callers
// write it.
type IndicatorService struct {
	records.Store[indicatorRow, Indicator, IndicatorFields]
}

// NewIndicatorService returns an IndicatorService over db. The audit trail records indicators in
// their API representation.
func NewIndicatorService(db *database.DB) *IndicatorService {
	return &IndicatorService{records.Store[indicatorRow, Indicator, IndicatorFields]{
		DB: db, Table: "mgi_indicators", Resource: "mgi_indicator", What: "MGI indicator", Plural: "MGI indicators",
		Base: func(r indicatorRow) records.Base { return r.Base }, Decode: indicatorRow.indicator, Build: newIndicatorRow,
		Columns: indicatorRow.columns, Validate: (*IndicatorFields).Validate,
		Check: func(*gorm.DB, IndicatorFields, *Indicator) error { return nil },
		Translate: func(err error, f IndicatorFields) error {
			return records.Refused(err, "MGI indicator", f.Code, "mgi_indicators_code_key", map[string][2]string{
				"mgi_indicators_text_present": {"text", "needs a Spanish or an English text"},
				"mgi_indicators_domain_check": {"domain", "unknown domain"},
			})
		},
		Demo: func(f IndicatorFields) bool { return f.Demo }, Snapshot: func(i Indicator) any { return indicatorToAPI(i) },
	}}
}

// IndicatorFilter narrows IndicatorService.List. Empty values mean "any".
type IndicatorFilter struct {
	Page    // ordered by code (the default) or created_at
	Q       string
	Domains []string
}

// List returns a page of indicators and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *IndicatorService) List(ctx context.Context, f IndicatorFilter) ([]Indicator, string, error) {
	q := s.DB.Conn(ctx).Model(&indicatorRow{})
	if len(f.Domains) > 0 {
		q = q.Where("domain IN ?", f.Domains)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	return s.Store.List(q, f.Page, codeOrders, "code", func(r indicatorRow) (string, time.Time) { return r.Code, time.Time{} })
}
