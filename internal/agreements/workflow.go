package agreements

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/scope"
)

// Allowed lists the states an agreement in state from may move to: any other stored state
// (a done agreement may be reopened).
func Allowed(from string) []string {
	out := []string{}
	for _, st := range stored {
		if st != from {
			out = append(out, st)
		}
	}
	return out
}

// Transition is one recorded move of an agreement.
type Transition struct {
	ID          uuid.UUID
	AgreementID uuid.UUID
	From, To    string
	Note        *string
	Actor       string
	At          time.Time
}

// transitionRow maps Transition to agreement_transitions.
type transitionRow struct {
	ID          uuid.UUID
	AgreementID uuid.UUID
	FromStatus  string
	ToStatus    string
	Note        *string
	ActorLabel  string
	At          time.Time
}

func (transitionRow) TableName() string { return "agreement_transitions" }

// label names the actor in the history as the audit trail does.
func label(a actor.Actor) string {
	for _, s := range []string{a.Label, a.ID} {
		if s != "" {
			return s
		}
	}
	return string(a.Kind)
}

// authorize lets a scoped caller (editor, partner) move only the agreements one of whose
// responsible institutions is its institution or a unit below it; unscoped callers pass.
//
// Errors: Forbidden, and whatever the tree returns.
func (s *Service) authorize(ctx context.Context, responsible []uuid.UUID) error {
	const refusal = "you may only move the agreements your institution (or a unit below it) is responsible for"
	if !actor.From(ctx).ScopedToInstitution() {
		return nil
	}
	for _, id := range responsible {
		err := scope.Authorize(ctx, s.tree, &id, refusal)
		if err == nil {
			return nil
		}
		if !apperr.Is(err, apperr.Forbidden) {
			return err
		}
	}
	return apperr.New(apperr.Forbidden, "%s", refusal)
}

// Transition moves agreement id to state to, if its version satisfies pre, records the move
// (with note) in the agreement's history and the audit trail, and returns the agreement. Moving
// to done sets the day it was done to today; moving away from done clears it.
//
// Errors: NotFound, Forbidden (a scoped caller whose institution is not responsible for it),
// PreconditionFailed, Conflict (archived, or already in state to: the problem's "allowed" member
// lists the moves it can make), Unprocessable (an unknown state).
func (s *Service) Transition(ctx context.Context, id uuid.UUID, pre etag.Precondition, to string, note *string) (Agreement, error) {
	var out Agreement
	if note != nil && strings.TrimSpace(*note) == "" {
		note = nil
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.Find(tx, id, true)
		if err != nil {
			return err
		}
		before := r.agreement()
		if err := s.authorize(ctx, before.ResponsibleIDs); err != nil {
			return err
		}
		if err := pre.Check(r.Base.Version); err != nil {
			return err
		}
		if r.Base.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "agreement %s is archived", id)
		}
		if !slices.Contains(stored, to) {
			return apperr.New(apperr.Unprocessable, "an agreement cannot move to %q", to).
				WithField("to", "must be pending, in_progress or done")
		}
		if to == r.Status {
			return apperr.New(apperr.Conflict, "the agreement is %s already; it can move to: %v", r.Status, Allowed(r.Status)).
				WithExtra("allowed", Allowed(r.Status))
		}
		var doneOn *time.Time
		if to == Done {
			t := today()
			doneOn = &t
		}
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{"status": to, "done_on": doneOn,
			"version": r.Base.Version + 1, "updated_at": gorm.Expr("now()")}).Error; err != nil {
			return fmt.Errorf("move agreement %s to %s: %w", id, to, err)
		}
		if err := tx.Exec(`INSERT INTO agreement_transitions (id, agreement_id, from_status, to_status, note, actor_label, at)
VALUES (?, ?, ?, ?, ?, ?, clock_timestamp())`, uuid.Must(uuid.NewV7()), id, r.Status, to, note, label(actor.From(ctx))).Error; err != nil {
			return fmt.Errorf("record the move of agreement %s: %w", id, err)
		}
		after, err := s.Find(tx, id, false)
		if err != nil {
			return err
		}
		out = after.agreement()
		return audit.Record(ctx, tx, audit.Change{Action: "agreement.transition", ResourceType: "agreement",
			ResourceID: id.String(), Before: snapshot(before), After: snapshot(out)})
	})
	if err != nil {
		return out, err
	}
	return s.one(ctx, out)
}

// History returns the moves of agreement id (archived or not), oldest first.
//
// Errors: NotFound.
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]Transition, error) {
	tx := s.DB.Conn(ctx)
	if _, err := s.Find(tx, id, false); err != nil {
		return nil, err
	}
	var rows []transitionRow
	if err := tx.Where("agreement_id = ?", id).Order("at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load the history of agreement %s: %w", id, err)
	}
	out := make([]Transition, len(rows))
	for i, r := range rows {
		out[i] = Transition{ID: r.ID, AgreementID: r.AgreementID, From: r.FromStatus, To: r.ToStatus, Note: r.Note,
			Actor: r.ActorLabel, At: r.At}
	}
	return out, nil
}
