// Package mandates records who does what: legal instruments, the functions (competences) they
// ground, scenarios of how functions are distributed among units, the assignments that make up
// each scenario, and the analysis of a scenario (overlaps, gaps, contingency work), its matrix
// and its comparison with another. This is the area the action exists for: delimiting PIM's
// mandate against SSN and PCN.
package mandates

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it).
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Handlers serve the mandates operations of the contract.
type Handlers struct {
	db    *database.DB
	tree  Tree
	trail *audit.Trail
}

// NewHandlers returns the mandates handlers.
func NewHandlers(db *database.DB, tree Tree, trail *audit.Trail) *Handlers {
	return &Handlers{db: db, tree: tree, trail: trail}
}

// requireUnscoped refuses callers whose writes are limited to their own institution (editors,
// partners): legal instruments and scenarios concern the whole action.
//
// Errors: Forbidden.
func requireUnscoped(ctx context.Context, what string) error {
	if actor.From(ctx).ScopedToInstitution() {
		return apperr.New(apperr.Forbidden, "only coordinators, admins and importers may write %s", what)
	}
	return nil
}

// authorizeUnit lets a scoped caller (an editor) write only records of units in its own
// institution's subtree; unscoped callers pass. A nil unit is outside every subtree.
//
// Errors: Forbidden.
func (h *Handlers) authorizeUnit(ctx context.Context, unit *uuid.UUID) error {
	a := actor.From(ctx)
	if !a.ScopedToInstitution() {
		return nil
	}
	if a.InstitutionID == nil || unit == nil {
		return apperr.New(apperr.Forbidden, "you may only write records of your own institution")
	}
	ok, err := h.tree.Within(ctx, *unit, *a.InstitutionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "you may only write records of your own institution")
	}
	return nil
}
