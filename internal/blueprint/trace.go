package blueprint

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/refs"
)

// TraceRef names a record that informed an article: its id, its code, its title in Spanish and
// English (either may be absent).
type TraceRef struct {
	ID               uuid.UUID
	Code             string
	TitleES, TitleEN *string
}

// ArticleTrace is what informed one article: the functions and units it regulates and, through
// those functions, the active services that deliver them, the consultation inputs those services
// answer, and the practices and data gaps linked to the active deliverables that list them.
type ArticleTrace struct {
	ArticleID          uuid.UUID
	Number             string
	Functions, Units   []TraceRef
	Services           []TraceRef
	ConsultationInputs []TraceRef
	Practices, Gaps    []TraceRef
}

// traceTitleMax is the longest title a TraceRef carries (the contract's LocalizedText), and
// traceCodeWords how many words of a statement stand for the code of a consultation input that
// has no theme.
const (
	traceTitleMax  = 500
	traceCodeWords = 8
)

// Traceability returns the trace of every article of blueprint id's current text, in reading
// order; each list is ordered by code. It costs at most nine statements whatever the size of the
// blueprint and of what it links to: two for the text, four for the functions, units, services
// and deliverables the articles reach, three for the inputs, practices and gaps those reach.
// Archived functions and units an article still names are listed; archived services,
// deliverables, inputs, practices and gaps are not.
//
// Errors: NotFound.
func (s *VersionService) Traceability(ctx context.Context, id uuid.UUID) ([]ArticleTrace, error) {
	db := s.db.Conn(ctx)
	outline, err := LoadOutline(ctx, db, id)
	if err != nil {
		return nil, err
	}
	var functionIDs, unitIDs []uuid.UUID
	for _, c := range outline.Chapters {
		for _, a := range c.Articles {
			functionIDs = append(functionIDs, a.FunctionIDs...)
			unitIDs = append(unitIDs, a.UnitIDs...)
		}
	}
	functions, err := traceRefs(db, `SELECT id, code, title_es, title_en FROM functions WHERE id = ANY(?::uuid[])`, functionIDs)
	if err != nil {
		return nil, err
	}
	units, err := traceRefs(db, `SELECT id, code, name_es AS title_es, name_en AS title_en FROM institutions WHERE id = ANY(?::uuid[])`, unitIDs)
	if err != nil {
		return nil, err
	}
	var services, deliverables []traceLinked
	if len(functionIDs) == 0 {
		return traceArticles(outline, functions, units, nil, nil, nil, nil, nil), nil
	}
	err = db.Raw(`SELECT id, code, name_es AS title_es, name_en AS title_en, function_ids, input_ids AS first_ids
FROM services WHERE archived_at IS NULL AND function_ids && ?::uuid[]`, refs.Array(functionIDs)).Scan(&services).Error
	if err != nil {
		return nil, fmt.Errorf("load services of blueprint %s: %w", id, err)
	}
	err = db.Raw(`SELECT id, code, function_ids, practice_ids AS first_ids, gap_ids AS second_ids
FROM deliverables WHERE archived_at IS NULL AND function_ids && ?::uuid[]`, refs.Array(functionIDs)).Scan(&deliverables).Error
	if err != nil {
		return nil, fmt.Errorf("load deliverables of blueprint %s: %w", id, err)
	}
	var inputIDs, practiceIDs, gapIDs []uuid.UUID
	for _, sv := range services {
		inputIDs = append(inputIDs, refs.Parse(sv.FirstIDs)...)
	}
	for _, d := range deliverables {
		practiceIDs = append(practiceIDs, refs.Parse(d.FirstIDs)...)
		gapIDs = append(gapIDs, refs.Parse(d.SecondIDs)...)
	}
	inputs, err := traceInputs(db, inputIDs)
	if err != nil {
		return nil, err
	}
	practices, err := traceRefs(db, `SELECT id, code, title_es, title_en FROM practices
WHERE archived_at IS NULL AND id = ANY(?::uuid[])`, practiceIDs)
	if err != nil {
		return nil, err
	}
	gaps, err := traceRefs(db, `SELECT id, code, description_es AS title_es, description_en AS title_en FROM data_gaps
WHERE archived_at IS NULL AND id = ANY(?::uuid[])`, gapIDs)
	if err != nil {
		return nil, err
	}

	return traceArticles(outline, functions, units, services, deliverables, inputs, practices, gaps), nil
}

// traceArticles assembles the trace of each article of outline from the records read.
func traceArticles(outline Outline, functions, units map[uuid.UUID]TraceRef, services, deliverables []traceLinked,
	inputs, practices, gaps map[uuid.UUID]TraceRef) []ArticleTrace {
	serviceRefs := make(map[uuid.UUID]TraceRef, len(services))
	for _, sv := range services {
		serviceRefs[sv.ID] = TraceRef{ID: sv.ID, Code: sv.Code, TitleES: traceShort(sv.TitleES), TitleEN: traceShort(sv.TitleEN)}
	}
	out := []ArticleTrace{}
	for _, c := range outline.Chapters {
		for _, a := range c.Articles {
			var serviceIDs, inputIDs, practiceIDs, gapIDs []uuid.UUID
			for _, sv := range services {
				if sv.regulates(a.FunctionIDs) {
					serviceIDs = append(serviceIDs, sv.ID)
					inputIDs = append(inputIDs, refs.Parse(sv.FirstIDs)...)
				}
			}
			for _, d := range deliverables {
				if d.regulates(a.FunctionIDs) {
					practiceIDs = append(practiceIDs, refs.Parse(d.FirstIDs)...)
					gapIDs = append(gapIDs, refs.Parse(d.SecondIDs)...)
				}
			}
			out = append(out, ArticleTrace{ArticleID: a.ID, Number: a.Number,
				Functions: pickRefs(functions, a.FunctionIDs), Units: pickRefs(units, a.UnitIDs),
				Services: pickRefs(serviceRefs, serviceIDs), ConsultationInputs: pickRefs(inputs, inputIDs),
				Practices: pickRefs(practices, practiceIDs), Gaps: pickRefs(gaps, gapIDs)})
		}
	}
	return out
}

// traceLinked is a service or a deliverable with the functions it concerns and the ids it links
// to: a service's consultation inputs (FirstIDs); a deliverable's practices (FirstIDs) and data
// gaps (SecondIDs).
type traceLinked struct {
	ID                  uuid.UUID
	Code                string
	TitleES             *string        `gorm:"column:title_es"`
	TitleEN             *string        `gorm:"column:title_en"`
	FunctionIDs         pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	FirstIDs, SecondIDs pq.StringArray `gorm:"type:uuid[]"`
}

// regulates reports whether l concerns any of functions.
func (l traceLinked) regulates(functions []uuid.UUID) bool {
	for _, f := range functions {
		if slices.Contains(l.FunctionIDs, f.String()) {
			return true
		}
	}
	return false
}

// traceRefs runs query (selecting id, code, title_es, title_en for the ids given as its one
// argument) and indexes the records by id; no ids cost no statement.
func traceRefs(db *gorm.DB, query string, ids []uuid.UUID) (map[uuid.UUID]TraceRef, error) {
	out := map[uuid.UUID]TraceRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      uuid.UUID
		Code    string
		TitleES *string `gorm:"column:title_es"`
		TitleEN *string `gorm:"column:title_en"`
	}
	if err := db.Raw(query, refs.Array(ids)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load traced records: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = TraceRef{ID: r.ID, Code: r.Code, TitleES: traceShort(r.TitleES), TitleEN: traceShort(r.TitleEN)}
	}
	return out, nil
}

// traceInputs reads consultation inputs, which have no code: their theme stands for it, or the
// first words of their statement when they have none; their statement is their title.
func traceInputs(db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]TraceRef, error) {
	out := map[uuid.UUID]TraceRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID                       uuid.UUID
		Theme                    *string
		StatementES, StatementEN *string
	}
	err := db.Raw(`SELECT id, theme, statement_es, statement_en FROM consultation_inputs
WHERE archived_at IS NULL AND id = ANY(?::uuid[])`, refs.Array(ids)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load consultation inputs: %w", err)
	}
	for _, r := range rows {
		code := deref(r.Theme)
		if strings.TrimSpace(code) == "" {
			code = traceWords(deref(r.StatementES)+" "+deref(r.StatementEN), traceCodeWords)
		}
		out[r.ID] = TraceRef{ID: r.ID, Code: code, TitleES: traceShort(r.StatementES), TitleEN: traceShort(r.StatementEN)}
	}
	return out, nil
}

// pickRefs is the records of ids found in known, each once, ordered by code then id.
func pickRefs(known map[uuid.UUID]TraceRef, ids []uuid.UUID) []TraceRef {
	out := []TraceRef{}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if r, ok := known[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b TraceRef) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return strings.Compare(a.ID.String(), b.ID.String())
	})
	return out
}

// traceShort keeps a title within traceTitleMax characters, cutting at a word with an ellipsis.
// An empty title is none.
func traceShort(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	r := []rune(strings.TrimSpace(*s))
	if len(r) <= traceTitleMax {
		out := string(r)
		return &out
	}
	cut := string(r[:traceTitleMax-1])
	if i := strings.LastIndexFunc(cut, func(c rune) bool { return c == ' ' }); i > 0 {
		cut = cut[:i]
	}
	out := strings.TrimRight(cut, " ,;:.") + "…"
	return &out
}

// traceWords is the first n words of s, with an ellipsis when there are more.
func traceWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:n], " ") + "…"
}
