// Package scope keeps the writers scoped to their own institution (editors, partners; see
// actor.ScopedToInstitution) to that institution's subtree, in one place for every resource they
// may write, so that the rule cannot drift from one resource to another.
package scope

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
)

// Tree answers whether a unit lies in another's subtree. institutions.Service implements it;
// resources take this interface rather than the institutions package, which keeps them testable
// and free of its dependencies.
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Authorize lets a scoped caller write only records of institution when that is its own
// institution or a unit below it; unscoped callers pass. A record of no institution is nobody's,
// so only unscoped callers write it, and so is anything written by a scoped caller that has no
// institution. refusal is the resource's own words for the refusal.
//
// Errors: Forbidden (with refusal as its message), and whatever tree returns.
func Authorize(ctx context.Context, tree Tree, institution *uuid.UUID, refusal string) error {
	a := actor.From(ctx)
	if !a.ScopedToInstitution() {
		return nil
	}
	if a.InstitutionID == nil || institution == nil {
		return apperr.New(apperr.Forbidden, "%s", refusal)
	}
	ok, err := tree.Within(ctx, *institution, *a.InstitutionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "%s", refusal)
	}
	return nil
}

// RequireUnscoped refuses scoped callers outright, for records that belong to no institution but
// to the whole action (shared vocabularies, legal instruments, scenarios). what names them in
// the refusal.
//
// Errors: Forbidden.
func RequireUnscoped(ctx context.Context, what string) error {
	if actor.From(ctx).ScopedToInstitution() {
		return apperr.New(apperr.Forbidden, "only coordinators, admins and importers may write %s", what)
	}
	return nil
}
