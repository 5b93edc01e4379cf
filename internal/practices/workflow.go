package practices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/etag"
)

// step is a transition the editorial workflow allows from some status.
type step struct {
	to string
	// review: only reviewers (practices:review) make it; otherwise any writer of the practice.
	review bool
	// sendBack: a reviewer returning work to its authors, who must be told why.
	sendBack bool
}

// workflow is the editorial workflow: draft → submitted → validated → published, with reviewers
// sending submitted and validated practices back to draft and withdrawing published ones.
var workflow = map[string][]step{
	"draft":     {{to: "submitted"}},
	"submitted": {{to: "validated", review: true}, {to: "draft", review: true, sendBack: true}},
	"validated": {{to: "published", review: true}, {to: "draft", review: true, sendBack: true}},
	"published": {{to: "draft", review: true}},
}

// Allowed lists the statuses the workflow allows a practice in status from to move to.
func Allowed(from string) []string {
	out := []string{}
	for _, st := range workflow[from] {
		out = append(out, st.to)
	}
	return out
}

// Transition is one recorded move of a practice through the workflow.
type Transition struct {
	From, To   string
	Comment    *string
	Actor      string
	OccurredAt time.Time
}

// transitionRow maps Transition to practice_transitions.
type transitionRow struct {
	ID         uuid.UUID
	PracticeID uuid.UUID
	FromStatus string
	ToStatus   string
	Comment    *string
	ActorLabel string
	OccurredAt time.Time `gorm:"default:clock_timestamp()"`
}

func (transitionRow) TableName() string { return "practice_transitions" }

// label names the actor in the editorial history as the audit trail does.
func label(a actor.Actor) string {
	for _, s := range []string{a.Label, a.ID} {
		if s != "" {
			return s
		}
	}
	return string(a.Kind)
}

// Transition moves practice id to status to, if its version satisfies pre, records the move in
// the practice's history and the audit trail, and returns the practice. Sending a practice back
// to draft needs a comment, which becomes its review_comment until it is submitted again; a
// withdrawal's comment, if any, does too.
//
// Errors: NotFound (or not visible), Forbidden (not a writer of the practice, or a reviewer's
// move by someone who cannot review), PreconditionFailed, Conflict (archived, or a move the
// workflow does not allow from the current status: the problem's "allowed" member lists those
// it does), Unprocessable (a send-back without a comment).
func (s *Service) Transition(ctx context.Context, id uuid.UUID, pre etag.Precondition, to string, comment *string) (Practice, error) {
	var out Practice
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lockLive(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(workflow[r.Status], func(st step) bool { return st.to == to })
		if i < 0 {
			return apperr.New(apperr.Conflict, "a %s practice cannot move to %s; it can move to: %v", r.Status, to, Allowed(r.Status)).
				WithExtra("allowed", Allowed(r.Status))
		}
		st := workflow[r.Status][i]
		a := actor.From(ctx)
		if st.review && !reviewer(a) {
			return apperr.New(apperr.Forbidden, "only reviewers (coordinators, admins) move a %s practice to %s", r.Status, to)
		}
		if st.sendBack && blank(comment) {
			return apperr.New(apperr.Unprocessable, "sending a practice back to draft needs a comment").
				WithField("comment", "say what the authors should change")
		}
		before, err := r.practice()
		if err != nil {
			return err
		}
		review := r.ReviewComment
		switch {
		case to == "draft":
			review = comment
		case to == "submitted":
			review = nil
		}
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{"status": to, "review_comment": review,
			"version": r.Version + 1, "updated_at": gorm.Expr("now()")}).Error; err != nil {
			return fmt.Errorf("move practice %s to %s: %w", id, to, err)
		}
		t := transitionRow{ID: uuid.Must(uuid.NewV7()), PracticeID: id, FromStatus: r.Status, ToStatus: to,
			Comment: comment, ActorLabel: label(a)}
		if err := tx.Omit("OccurredAt").Create(&t).Error; err != nil {
			return fmt.Errorf("record transition of practice %s: %w", id, err)
		}
		if out, err = s.reload(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "practice.transition", ResourceType: "practice",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// History returns the transitions of practice id, oldest first.
//
// Errors: NotFound (or not visible).
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]Transition, error) {
	tx := s.db.Conn(ctx)
	if _, err := s.findVisible(ctx, tx, id, false); err != nil {
		return nil, err
	}
	var rows []transitionRow
	if err := tx.Where("practice_id = ?", id).Order("occurred_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load history of practice %s: %w", id, err)
	}
	out := make([]Transition, len(rows))
	for i, r := range rows {
		out[i] = Transition{From: r.FromStatus, To: r.ToStatus, Comment: r.Comment, Actor: r.ActorLabel, OccurredAt: r.OccurredAt}
	}
	return out, nil
}
