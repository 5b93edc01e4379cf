package deliverables

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
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
)

// step is a move the workflow allows from some status.
type step struct {
	to string
	// approve: only holders of deliverables:approve (coordinators, admins) make it; otherwise
	// any writer of the deliverable (editors of the owner unit's subtree, coordinators, admins).
	approve bool
	// sendBack: a reviewer returning the work to its authors, who must be told why.
	sendBack bool
}

// workflow is the deliverables' workflow: planned → in_progress → in_review → approved →
// published, with a review that asks for changes sending the work back to its authors, who
// resume it or submit it again.
var workflow = map[string][]step{
	"planned":           {{to: "in_progress"}},
	"in_progress":       {{to: "in_review"}},
	"in_review":         {{to: "approved", approve: true}, {to: "changes_requested", approve: true, sendBack: true}},
	"changes_requested": {{to: "in_progress"}, {to: "in_review"}},
	"approved":          {{to: "published", approve: true}},
	"published":         {},
}

// Allowed lists the statuses the workflow allows a deliverable in status from to move to.
func Allowed(from string) []string {
	out := []string{}
	for _, st := range workflow[from] {
		out = append(out, st.to)
	}
	return out
}

// approver reports whether a may approve, request changes and publish.
func approver(a actor.Actor) bool {
	return a.Kind == actor.System || a.HasScope(auth.ScopeDeliverablesApprove)
}

// label names the actor in histories, reviews and versions as the audit trail does.
func label(a actor.Actor) string {
	for _, s := range []string{a.Label, a.ID} {
		if s != "" {
			return s
		}
	}
	return string(a.Kind)
}

// Transition is one recorded move of a deliverable through the workflow.
type Transition struct {
	ID         uuid.UUID
	From, To   string
	Comment    *string
	ReviewID   *uuid.UUID // the review the move acts on
	Actor      string
	OccurredAt time.Time
}

// transitionRow maps Transition to deliverable_transitions.
type transitionRow struct {
	ID            uuid.UUID
	DeliverableID uuid.UUID
	FromStatus    string
	ToStatus      string
	Comment       *string
	ReviewID      *uuid.UUID
	ActorLabel    string
	OccurredAt    time.Time `gorm:"default:clock_timestamp()"`
}

func (transitionRow) TableName() string { return "deliverable_transitions" }

func (r transitionRow) transition() Transition {
	return Transition{ID: r.ID, From: r.FromStatus, To: r.ToStatus, Comment: r.Comment, ReviewID: r.ReviewID,
		Actor: r.ActorLabel, OccurredAt: r.OccurredAt}
}

// Move is a requested transition.
type Move struct {
	To       string
	Comment  *string
	ReviewID *uuid.UUID // a review of the same deliverable
}

// Transition moves deliverable id as m says, if its version satisfies pre, records the move in
// its history and the audit trail, and returns the deliverable in its new status.
//
// Errors: NotFound, Forbidden (an editor outside the owner unit's subtree, or an approver's
// move by someone without deliverables:approve), PreconditionFailed, Conflict (archived, or a
// move the workflow does not allow from the current status: the problem's "allowed" member
// lists those it does), Unprocessable (changes requested without a comment, a review of
// another deliverable).
func (s *Service) Transition(ctx context.Context, id uuid.UUID, pre etag.Precondition, m Move) (Deliverable, error) {
	var out Deliverable
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "deliverable %s is archived", id)
		}
		i := slices.IndexFunc(workflow[r.Status], func(st step) bool { return st.to == m.To })
		if i < 0 {
			return apperr.New(apperr.Conflict, "a %s deliverable cannot move to %s; it can move to: %v", r.Status, m.To, Allowed(r.Status)).
				WithExtra("allowed", Allowed(r.Status))
		}
		st := workflow[r.Status][i]
		a := actor.From(ctx)
		if st.approve && !approver(a) {
			return apperr.New(apperr.Forbidden, "only holders of deliverables:approve (coordinators, admins) move a %s deliverable to %s", r.Status, m.To)
		}
		if err := authorize(ctx, s.tree, r.OwnerUnitID); err != nil {
			return err
		}
		if st.sendBack && blank(m.Comment) {
			return apperr.New(apperr.Unprocessable, "requesting changes needs a comment").
				WithField("comment", "say what the authors should change")
		}
		if m.ReviewID != nil {
			if err := checkOwn(tx, "deliverable_reviews", id, *m.ReviewID, "review_id", "no such review of this deliverable"); err != nil {
				return err
			}
		}
		before, err := s.represent(tx, r)
		if err != nil {
			return err
		}
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{"status": m.To, "version": r.Version + 1,
			"updated_at": gorm.Expr("now()")}).Error; err != nil {
			return fmt.Errorf("move deliverable %s to %s: %w", id, m.To, err)
		}
		t := transitionRow{ID: uuid.Must(uuid.NewV7()), DeliverableID: id, FromStatus: r.Status, ToStatus: m.To,
			Comment: m.Comment, ReviewID: m.ReviewID, ActorLabel: label(a)}
		if err := tx.Omit("OccurredAt").Create(&t).Error; err != nil {
			return fmt.Errorf("record transition of deliverable %s: %w", id, err)
		}
		if out, err = s.load(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "deliverable.transition", ResourceType: "deliverable",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// History returns the transitions of deliverable id, oldest first.
//
// Errors: NotFound.
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]Transition, error) {
	return children(s.db.Conn(ctx), id, "occurred_at, id", "history", transitionRow.transition)
}

// children returns the rows of R that belong to deliverable id, in order, each as conv makes it;
// what names them in errors.
//
// Errors: NotFound (no such deliverable).
func children[R, T any](tx *gorm.DB, id uuid.UUID, order, what string, conv func(R) T) ([]T, error) {
	if _, err := find(tx, id, false); err != nil {
		return nil, err
	}
	var rows []R
	if err := tx.Where("deliverable_id = ?", id).Order(order).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load %s of deliverable %s: %w", what, id, err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = conv(r)
	}
	return out, nil
}

// Verdicts lists what a review may conclude.
var Verdicts = []string{"approve", "changes_requested", "comment"}

// Review is a reviewer's judgement of a deliverable, or of one version of its document.
type Review struct {
	ID            uuid.UUID
	DeliverableID uuid.UUID
	Reviewer      string
	Verdict       string
	Comments      string
	VersionID     *uuid.UUID
	CreatedAt     time.Time
}

// reviewRow maps Review to deliverable_reviews.
type reviewRow struct {
	ID            uuid.UUID
	DeliverableID uuid.UUID
	Reviewer      string
	Verdict       string
	Comments      string
	VersionID     *uuid.UUID
	CreatedAt     time.Time `gorm:"default:now()"`
}

func (reviewRow) TableName() string { return "deliverable_reviews" }

func (r reviewRow) review() Review {
	return Review{ID: r.ID, DeliverableID: r.DeliverableID, Reviewer: r.Reviewer, Verdict: r.Verdict,
		Comments: r.Comments, VersionID: r.VersionID, CreatedAt: r.CreatedAt}
}

// ReviewFields are what a reviewer writes.
type ReviewFields struct {
	Verdict   string
	Comments  string
	VersionID *uuid.UUID // a version of the same deliverable
}

// Review records the caller's review of deliverable id. A verdict does not move the workflow:
// the approver's transition does, citing the review.
//
// Errors: NotFound, Forbidden (an editor outside the owner unit's subtree), Conflict (archived),
// Unprocessable (unknown verdict, no comments, a version of another deliverable).
func (s *Service) Review(ctx context.Context, id uuid.UUID, f ReviewFields) (Review, error) {
	e := apperr.New(apperr.Unprocessable, "the review is not valid")
	if !slices.Contains(Verdicts, f.Verdict) {
		e.WithField("verdict", "unknown verdict")
	}
	if f.Comments == "" {
		e.WithField("comments", "say what you found")
	}
	if len(e.Fields) > 0 {
		return Review{}, e
	}
	var out Review
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if _, err := s.lockLive(ctx, tx, id, etag.Precondition{}); err != nil {
			return err
		}
		if f.VersionID != nil {
			if err := checkOwn(tx, "document_versions", id, *f.VersionID, "version_id", "no such version of this deliverable's document"); err != nil {
				return err
			}
		}
		r := reviewRow{ID: uuid.Must(uuid.NewV7()), DeliverableID: id, Reviewer: label(actor.From(ctx)), Verdict: f.Verdict,
			Comments: f.Comments, VersionID: f.VersionID}
		if err := tx.Omit("CreatedAt").Create(&r).Error; err != nil {
			return fmt.Errorf("record review of deliverable %s: %w", id, err)
		}
		stored, err := database.Take[reviewRow](tx, database.NoLock, "review "+r.ID.String(), "id = ?", r.ID)
		if err != nil {
			return err
		}
		out = stored.review()
		return audit.Record(ctx, tx, audit.Change{Action: "deliverable_review.create", ResourceType: "deliverable_review",
			ResourceID: out.ID.String(), After: reviewSnapshot(out)})
	})
	return out, err
}

// Reviews returns the reviews of deliverable id, oldest first.
//
// Errors: NotFound.
func (s *Service) Reviews(ctx context.Context, id uuid.UUID) ([]Review, error) {
	return children(s.db.Conn(ctx), id, "created_at, id", "reviews", reviewRow.review)
}

// checkOwn refuses a row of table (a constant) that does not exist or belongs to another
// deliverable than id, naming field and saying missing.
//
// Errors: Unprocessable.
func checkOwn(tx *gorm.DB, table string, id, of uuid.UUID, field, missing string) error {
	var n int64
	if err := tx.Table(table).Where("id = ? AND deliverable_id = ?", of, id).Count(&n).Error; err != nil {
		return fmt.Errorf("look up %s %s: %w", table, of, err)
	}
	if n == 0 {
		return apperr.New(apperr.Unprocessable, "%s", missing).WithField(field, missing)
	}
	return nil
}
