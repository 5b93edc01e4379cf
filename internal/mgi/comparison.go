package mgi

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// Changes an indicator can show between two assessments: its answer rose or fell on the scale
// absent < partial < complete, stayed, or it is answered only in the later (added) or only in the
// earlier one (removed).
const (
	Improved  = "improved"
	Regressed = "regressed"
	Unchanged = "unchanged"
	Added     = "added"
	Removed   = "removed"
)

// Move is how one indicator's answer moved between two assessments. From or To is "" where that
// assessment does not answer it.
type Move struct {
	IndicatorID uuid.UUID
	Code        string
	Domain      string
	From, To    string
	Change      string
}

// Comparison is what moved between two assessments of one country: every indicator either
// answers, by code, and how many moved which way.
type Comparison struct {
	From, To Assessment
	Moves    []Move
	Summary  map[string]int
}

// change is how an answer moved from from to to ("" meaning not answered).
func change(from, to string) string {
	switch {
	case from == "":
		return Added
	case to == "":
		return Removed
	}
	switch a, b := slices.Index(Answers, from), slices.Index(Answers, to); {
	case b > a:
		return Improved
	case b < a:
		return Regressed
	}
	return Unchanged
}

// Compare compares assessment from with assessment to, which must assess the same country.
// Archived answers count as not answered. The moves are read in one statement.
//
// Errors: NotFound (either assessment), Unprocessable (different countries).
func Compare(ctx context.Context, db *database.DB, from, to uuid.UUID) (Comparison, error) {
	svc := NewAssessmentService(db)
	var out Comparison
	var err error
	if out.From, err = svc.Get(ctx, from); err != nil {
		return out, err
	}
	if out.To, err = svc.Get(ctx, to); err != nil {
		return out, err
	}
	if out.From.Country != out.To.Country {
		return out, apperr.New(apperr.Unprocessable, "only two assessments of one country compare").
			WithField("query.to", fmt.Sprintf("assesses %s, not %s", out.To.Country, out.From.Country))
	}
	var rows []struct {
		ID                   uuid.UUID
		Code, Domain         string
		FromAnswer, ToAnswer *string
	}
	err = db.Conn(ctx).Raw(`
SELECT i.id, i.code, i.domain, f.answer AS from_answer, t.answer AS to_answer
FROM (SELECT indicator_id, answer FROM mgi_answers WHERE assessment_id = ? AND archived_at IS NULL) f
FULL JOIN (SELECT indicator_id, answer FROM mgi_answers WHERE assessment_id = ? AND archived_at IS NULL) t
  ON t.indicator_id = f.indicator_id
JOIN mgi_indicators i ON i.id = coalesce(f.indicator_id, t.indicator_id)
ORDER BY i.code, i.id`, from, to).Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("compare MGI assessments: %w", err)
	}
	out.Summary = map[string]int{Improved: 0, Regressed: 0, Unchanged: 0, Added: 0, Removed: 0}
	out.Moves = make([]Move, len(rows))
	for i, r := range rows {
		m := Move{IndicatorID: r.ID, Code: r.Code, Domain: r.Domain}
		if r.FromAnswer != nil {
			m.From = *r.FromAnswer
		}
		if r.ToAnswer != nil {
			m.To = *r.ToAnswer
		}
		m.Change = change(m.From, m.To)
		out.Summary[m.Change]++
		out.Moves[i] = m
	}
	return out, nil
}

func answerValue(s string) *api.MgiAnswerValue {
	if s == "" {
		return nil
	}
	v := api.MgiAnswerValue(s)
	return &v
}

// CompareMgiAssessments says what moved between two assessments of one country, indicator by
// indicator; the summary counts every indicator, changed_only leaves the unchanged ones out of
// the items.
func (h *Handlers) CompareMgiAssessments(ctx context.Context, req api.CompareMgiAssessmentsRequestObject) (api.CompareMgiAssessmentsResponseObject, error) {
	c, err := Compare(ctx, h.db, req.Params.From, req.Params.To)
	if err != nil {
		return nil, err
	}
	tallies, err := Tallies(h.db.Conn(ctx), []uuid.UUID{c.From.ID, c.To.ID})
	if err != nil {
		return nil, err
	}
	out := api.MgiComparison{From: assessmentToAPI(c.From, tallies[c.From.ID]), To: assessmentToAPI(c.To, tallies[c.To.ID]),
		Items: []api.MgiComparisonItem{}}
	out.Summary.Improved, out.Summary.Regressed, out.Summary.Unchanged = c.Summary[Improved], c.Summary[Regressed], c.Summary[Unchanged]
	out.Summary.Added, out.Summary.Removed = c.Summary[Added], c.Summary[Removed]
	changedOnly := req.Params.ChangedOnly != nil && *req.Params.ChangedOnly
	for _, m := range c.Moves {
		if changedOnly && m.Change == Unchanged {
			continue
		}
		out.Items = append(out.Items, api.MgiComparisonItem{IndicatorId: m.IndicatorID, Code: m.Code, Domain: api.MgiDomain(m.Domain),
			From: answerValue(m.From), To: answerValue(m.To), Change: api.MgiComparisonItemChange(m.Change)})
	}
	return api.CompareMgiAssessments200JSONResponse(out), nil
}
