package mgi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// FindingFields are the parts of a finding its users write. Demo marks demo data; only Create
// reads it.
type FindingFields struct {
	AssessmentID uuid.UUID
	Code         string // unique within the assessment
	Domain       string
	Kind         string // well_developed or area_for_development
	Text         Text
	IndicatorIDs []uuid.UUID // the MGI indicators it is about
	FunctionIDs  []uuid.UUID // mandate functions that answer it
	ArticleIDs   []uuid.UUID // blueprint articles that answer it
	Demo         bool
}

// Finding is a stored finding of an assessment.
type Finding struct {
	Meta
	FindingFields
}

// Answered reports whether a mandate function or a blueprint article answers the finding.
func (f FindingFields) Answered() bool { return len(f.FunctionIDs) > 0 || len(f.ArticleIDs) > 0 }

// answeredSQL is Answered over a findings row.
const answeredSQL = "(cardinality(function_ids) > 0 OR cardinality(article_ids) > 0)"

// Validate checks the rules every finding obeys, whoever writes it, except that what it refers
// to exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *FindingFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the MGI finding is not valid")
	if f.AssessmentID == uuid.Nil {
		e.WithField("assessment_id", "is required")
	}
	naturalkey.Check(e, "code", f.Code)
	if !slices.Contains(Domains, f.Domain) {
		e.WithField("domain", "unknown domain")
	}
	if !slices.Contains(FindingKinds, f.Kind) {
		e.WithField("kind", "must be well_developed or area_for_development")
	}
	if f.Text.empty() {
		e.WithField("text", "needs a Spanish or an English text")
	}
	links(e, "indicator_ids", f.IndicatorIDs)
	links(e, "function_ids", f.FunctionIDs)
	links(e, "article_ids", f.ArticleIDs)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// findingRow maps Finding to the mgi_findings table (the generated search column is never
// written).
type findingRow struct {
	Base         records.Base `gorm:"embedded"`
	AssessmentID uuid.UUID
	Code         string
	Domain       string
	Kind         string
	TextES       *string        `gorm:"column:text_es"`
	TextEN       *string        `gorm:"column:text_en"`
	IndicatorIDs pq.StringArray `gorm:"column:indicator_ids;type:uuid[]"`
	FunctionIDs  pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	ArticleIDs   pq.StringArray `gorm:"column:article_ids;type:uuid[]"`
}

func (findingRow) TableName() string { return "mgi_findings" }

func (r findingRow) finding() Finding {
	return Finding{Meta: r.Base.Meta(), FindingFields: FindingFields{AssessmentID: r.AssessmentID, Code: r.Code, Domain: r.Domain,
		Kind: r.Kind, Text: Text{ES: r.TextES, EN: r.TextEN}, IndicatorIDs: refs.Parse(r.IndicatorIDs),
		FunctionIDs: refs.Parse(r.FunctionIDs), ArticleIDs: refs.Parse(r.ArticleIDs), Demo: r.Base.Demo}}
}

func newFindingRow(f FindingFields, m records.Base) (findingRow, error) {
	return findingRow{Base: m, AssessmentID: f.AssessmentID, Code: f.Code, Domain: f.Domain, Kind: f.Kind, TextES: f.Text.ES,
		TextEN: f.Text.EN, IndicatorIDs: refs.Array(f.IndicatorIDs), FunctionIDs: refs.Array(f.FunctionIDs),
		ArticleIDs: refs.Array(f.ArticleIDs)}, nil
}

func (r findingRow) columns() map[string]any {
	return map[string]any{
		"assessment_id": r.AssessmentID, "code": r.Code, "domain": r.Domain, "kind": r.Kind, "text_es": r.TextES,
		"text_en": r.TextEN, "indicator_ids": r.IndicatorIDs, "function_ids": r.FunctionIDs, "article_ids": r.ArticleIDs,
	}
}

// FindingService keeps the findings of assessments: a code of its own within its assessment, put
// under a live assessment, about live indicators, answered by live mandate functions and
// blueprint articles when linked to them.
type FindingService struct {
	records.Store[findingRow, Finding, FindingFields]
}

// NewFindingService returns a FindingService over db. The audit trail records findings in their
// API representation.
func NewFindingService(db *database.DB) *FindingService {
	return &FindingService{records.Store[findingRow, Finding, FindingFields]{
		DB: db, Table: "mgi_findings", Resource: "mgi_finding", What: "MGI finding", Plural: "MGI findings",
		Base: func(r findingRow) records.Base { return r.Base }, Decode: findingRow.finding, Build: newFindingRow,
		Columns: findingRow.columns, Validate: (*FindingFields).Validate, Check: checkFindingReferences,
		Translate: translateFinding, Demo: func(f FindingFields) bool { return f.Demo },
		Snapshot: func(f Finding) any { return findingToAPI(f) },
	}}
}

// translateFinding turns the database's refusal of a finding into the error its writer can act
// on: a code its assessment already uses is a conflict.
func translateFinding(err error, f FindingFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "mgi_findings_key" {
		return apperr.New(apperr.Conflict, "MGI finding code %s is already in use in this assessment", f.Code).
			WithField("code", "already in use in this assessment")
	}
	return records.Refused(err, "MGI finding", f.Code, "", map[string][2]string{
		"mgi_findings_text_present": {"text", "needs a Spanish or an English text"},
		"mgi_findings_domain_check": {"domain", "unknown domain"},
		"mgi_findings_kind_check":   {"kind", "must be well_developed or area_for_development"},
	})
}

// checkFindingReferences refuses an assessment that does not exist or is archived, and
// indicators, functions and articles that do not exist or are archived, naming each by its
// position. What an update leaves as it was is not checked again. Each table costs one
// statement.
//
// Errors: Unprocessable.
func checkFindingReferences(tx *gorm.DB, f FindingFields, before *Finding) error {
	assessment := &f.AssessmentID
	var indicators, functions, articles []uuid.UUID
	if before != nil {
		if before.AssessmentID == f.AssessmentID {
			assessment = nil
		}
		indicators, functions, articles = before.IndicatorIDs, before.FunctionIDs, before.ArticleIDs
	}
	return refs.Check(tx, "the MGI finding refers to what does not exist",
		refs.List{Table: "mgi_assessments", Field: "assessment_id", Missing: "no such MGI assessment", ID: assessment,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "mgi_indicators", Field: "indicator_ids", Missing: "no such MGI indicator", IDs: f.IndicatorIDs,
			Active: true, Kept: indicators},
		refs.List{Table: "functions", Field: "function_ids", Missing: "no such function", IDs: f.FunctionIDs,
			Active: true, Kept: functions},
		refs.List{Table: "blueprint_articles", Field: "article_ids", Missing: "no such blueprint article", IDs: f.ArticleIDs,
			Active: true, Kept: articles})
}

// FindingFilter narrows FindingService.List. Empty values mean "any".
type FindingFilter struct {
	Page         // ordered by code (the default) or created_at
	Q            string
	AssessmentID *uuid.UUID
	Domains      []string
	Kinds        []string
	FunctionID   *uuid.UUID // answered by this mandate function
	ArticleID    *uuid.UUID // answered by this blueprint article
	Answered     *bool
}

// List returns a page of findings and the next page's token ("" on the last page), keyset-paged
// on (order column, id), in one statement. The function and article filters use the arrays' GIN
// indexes.
//
// Errors: Invalid (bad page token).
func (s *FindingService) List(ctx context.Context, f FindingFilter) ([]Finding, string, error) {
	q := s.DB.Conn(ctx).Model(&findingRow{})
	if f.AssessmentID != nil {
		q = q.Where("assessment_id = ?", *f.AssessmentID)
	}
	if len(f.Domains) > 0 {
		q = q.Where("domain IN ?", f.Domains)
	}
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if f.FunctionID != nil {
		q = q.Where("function_ids @> ?::uuid[]", refs.Array([]uuid.UUID{*f.FunctionID}))
	}
	if f.ArticleID != nil {
		q = q.Where("article_ids @> ?::uuid[]", refs.Array([]uuid.UUID{*f.ArticleID}))
	}
	if f.Answered != nil {
		q = q.Where(fmt.Sprintf("%s = ?", answeredSQL), *f.Answered)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	return s.Store.List(q, f.Page, codeOrders, "code", func(r findingRow) (string, time.Time) { return r.Code, time.Time{} })
}
