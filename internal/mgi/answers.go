package mgi

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// AnswerFields are the parts of an answer its users write. Demo marks demo data; only Create
// reads it.
type AnswerFields struct {
	AssessmentID   uuid.UUID
	IndicatorID    uuid.UUID // answered once per assessment
	Answer         string    // absent, partial or complete
	Note           Text
	InstrumentIDs  []uuid.UUID // legal instruments that evidence it
	InstitutionIDs []uuid.UUID // institutions that evidence it
	Demo           bool
}

// Answer is a stored answer, with the code and domain of its indicator.
type Answer struct {
	Meta
	AnswerFields
	IndicatorCode string
	Domain        string
}

// Validate checks the rules every answer obeys, whoever writes it, except that what it refers
// to exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *AnswerFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the MGI answer is not valid")
	if f.AssessmentID == uuid.Nil {
		e.WithField("assessment_id", "is required")
	}
	if f.IndicatorID == uuid.Nil {
		e.WithField("indicator_id", "is required")
	}
	if !slices.Contains(Answers, f.Answer) {
		e.WithField("answer", "must be absent, partial or complete")
	}
	links(e, "instrument_ids", f.InstrumentIDs)
	links(e, "institution_ids", f.InstitutionIDs)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// answerRow maps Answer to the mgi_answers table (the generated search column is never written).
type answerRow struct {
	Base           records.Base `gorm:"embedded"`
	AssessmentID   uuid.UUID
	IndicatorID    uuid.UUID
	Answer         string
	NoteES         *string        `gorm:"column:note_es"`
	NoteEN         *string        `gorm:"column:note_en"`
	InstrumentIDs  pq.StringArray `gorm:"column:instrument_ids;type:uuid[]"`
	InstitutionIDs pq.StringArray `gorm:"column:institution_ids;type:uuid[]"`
}

func (answerRow) TableName() string { return "mgi_answers" }

func (r answerRow) answer() Answer {
	return Answer{Meta: r.Base.Meta(), AnswerFields: AnswerFields{AssessmentID: r.AssessmentID, IndicatorID: r.IndicatorID,
		Answer: r.Answer, Note: Text{ES: r.NoteES, EN: r.NoteEN}, InstrumentIDs: refs.Parse(r.InstrumentIDs),
		InstitutionIDs: refs.Parse(r.InstitutionIDs), Demo: r.Base.Demo}}
}

// answerViewRow is an answer as the lists read it: from answersView, with its indicator's code
// and domain.
type answerViewRow struct {
	Row           answerRow `gorm:"embedded"`
	IndicatorCode string
	Domain        string
}

// answersView is the answers with their indicator's code and domain, under the table's own name
// so that the list's conditions and the keyset paging apply to it unchanged. Its only "AS" is the
// last: gorm takes the alias of a table expression from the first.
const answersView = `(SELECT a.*, i.code indicator_code, i.domain FROM mgi_answers a
  JOIN mgi_indicators i ON i.id = a.indicator_id) AS mgi_answers`

func newAnswerRow(f AnswerFields, m records.Base) (answerRow, error) {
	return answerRow{Base: m, AssessmentID: f.AssessmentID, IndicatorID: f.IndicatorID, Answer: f.Answer, NoteES: f.Note.ES,
		NoteEN: f.Note.EN, InstrumentIDs: refs.Array(f.InstrumentIDs), InstitutionIDs: refs.Array(f.InstitutionIDs)}, nil
}

func (r answerRow) columns() map[string]any {
	return map[string]any{
		"assessment_id": r.AssessmentID, "indicator_id": r.IndicatorID, "answer": r.Answer, "note_es": r.NoteES,
		"note_en": r.NoteEN, "instrument_ids": r.InstrumentIDs, "institution_ids": r.InstitutionIDs,
	}
}

// AnswerService keeps the answers of assessments. An indicator is answered once per assessment;
// the assessment and indicator must be live when an answer is put under them, and the evidence
// (legal instruments, institutions) must exist and be live when it is cited.
type AnswerService struct {
	records.Store[answerRow, Answer, AnswerFields]
}

// NewAnswerService returns an AnswerService over db. The audit trail records answers in their
// writable representation.
func NewAnswerService(db *database.DB) *AnswerService {
	return &AnswerService{records.Store[answerRow, Answer, AnswerFields]{
		DB: db, Table: "mgi_answers", Resource: "mgi_answer", What: "MGI answer", Plural: "MGI answers",
		Base: func(r answerRow) records.Base { return r.Base }, Decode: answerRow.answer, Build: newAnswerRow,
		Columns: answerRow.columns, Validate: (*AnswerFields).Validate, Check: checkAnswerReferences,
		Translate: translateAnswer, Demo: func(f AnswerFields) bool { return f.Demo },
		Snapshot: func(a Answer) any { return answerWritable(a) },
	}}
}

// translateAnswer turns the database's refusal of an answer into the error its writer can act
// on: a second answer to one indicator in one assessment is a conflict.
func translateAnswer(err error, f AnswerFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "mgi_answers_key" {
		return apperr.New(apperr.Conflict, "the assessment already answers this indicator").
			WithField("indicator_id", "already answered in this assessment")
	}
	if _, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the MGI answer is not valid").WithField("answer", "must be absent, partial or complete")
	}
	return fmt.Errorf("write MGI answer: %w", err)
}

// checkAnswerReferences refuses an assessment or indicator that does not exist or is archived,
// and evidence that does not exist or is archived, naming each by its position. What an update
// leaves as it was is not checked again. Each table costs one statement.
//
// Errors: Unprocessable.
func checkAnswerReferences(tx *gorm.DB, f AnswerFields, before *Answer) error {
	assessment, indicator := &f.AssessmentID, &f.IndicatorID
	var instruments, institutions []uuid.UUID
	if before != nil {
		if before.AssessmentID == f.AssessmentID {
			assessment = nil
		}
		if before.IndicatorID == f.IndicatorID {
			indicator = nil
		}
		instruments, institutions = before.InstrumentIDs, before.InstitutionIDs
	}
	return refs.Check(tx, "the MGI answer refers to what does not exist",
		refs.List{Table: "mgi_assessments", Field: "assessment_id", Missing: "no such MGI assessment", ID: assessment,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "mgi_indicators", Field: "indicator_id", Missing: "no such MGI indicator", ID: indicator,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "legal_instruments", Field: "instrument_ids", Missing: "no such legal instrument", IDs: f.InstrumentIDs,
			Active: true, Kept: instruments},
		refs.List{Table: "institutions", Field: "institution_ids", Missing: "no such institution", IDs: f.InstitutionIDs,
			Active: true, Kept: institutions})
}

// withIndicator fills in the code and domain of a's indicator.
func (s *AnswerService) withIndicator(ctx context.Context, a Answer) (Answer, error) {
	var row struct{ Code, Domain string }
	if err := s.DB.Conn(ctx).Raw(`SELECT code, domain FROM mgi_indicators WHERE id = ?`, a.IndicatorID).Scan(&row).Error; err != nil {
		return a, fmt.Errorf("load MGI indicator %s: %w", a.IndicatorID, err)
	}
	a.IndicatorCode, a.Domain = row.Code, row.Domain
	return a, nil
}

// Get returns one answer, archived or not, with its indicator's code and domain.
//
// Errors: NotFound.
func (s *AnswerService) Get(ctx context.Context, id uuid.UUID) (Answer, error) {
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return a, err
	}
	return s.withIndicator(ctx, a)
}

// Create stores a new answer (see records.Store.Create) and returns it with its indicator's code
// and domain.
func (s *AnswerService) Create(ctx context.Context, f AnswerFields) (Answer, error) {
	a, err := s.Store.Create(ctx, f)
	if err != nil {
		return a, err
	}
	return s.withIndicator(ctx, a)
}

// Update changes an answer (see records.Store.Update) and returns it with its indicator's code
// and domain.
func (s *AnswerService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Answer) (AnswerFields, error)) (Answer, error) {
	a, err := s.Store.Update(ctx, id, pre, change)
	if err != nil {
		return a, err
	}
	return s.withIndicator(ctx, a)
}

// AnswerFilter narrows AnswerService.List. Empty values mean "any".
type AnswerFilter struct {
	Page                // ordered by created_at (the only order)
	Q            string // over the note
	AssessmentID *uuid.UUID
	IndicatorID  *uuid.UUID
	Answers      []string
	Domains      []string // of the indicator answered
}

// List returns a page of answers with their indicators' codes and domains and the next page's
// token ("" on the last page), keyset-paged on (created_at, id), in one statement (the store's
// list reads one table; this one reads the answers joined to their indicators).
//
// Errors: Invalid (bad page token).
func (s *AnswerService) List(ctx context.Context, f AnswerFilter) ([]Answer, string, error) {
	q := s.DB.Conn(ctx).Table(answersView)
	if f.AssessmentID != nil {
		q = q.Where("assessment_id = ?", *f.AssessmentID)
	}
	if f.IndicatorID != nil {
		q = q.Where("indicator_id = ?", *f.IndicatorID)
	}
	if len(f.Answers) > 0 {
		q = q.Where("answer IN ?", f.Answers)
	}
	if len(f.Domains) > 0 {
		q = q.Where("domain IN ?", f.Domains)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	o := createdOrders.Parse(f.OrderBy, "created_at")
	rows, next, err := paging.Page(q, o, s.Table, f.PageToken, f.PageSize,
		func(r answerViewRow) any { return r.Row.Base.CreatedAt }, func(r answerViewRow) uuid.UUID { return r.Row.Base.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Answer, len(rows))
	for i, r := range rows {
		out[i] = r.Row.answer()
		out[i].IndicatorCode, out[i].Domain = r.IndicatorCode, r.Domain
	}
	return out, next, nil
}
