// Package mandates records who does what: legal instruments, the functions (competences) they
// ground, scenarios of how functions are distributed among units, the assignments that make up
// each scenario, and the analysis of a scenario (overlaps, gaps, contingency work), its matrix
// and its comparison with another. This is the area the action exists for: delimiting PIM's
// mandate against SSN and PCN.
package mandates

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve the mandates operations of the contract.
type Handlers struct {
	db    *database.DB
	tree  scope.Tree
	trail *audit.Trail
}

// NewHandlers returns the mandates handlers.
func NewHandlers(db *database.DB, tree scope.Tree, trail *audit.Trail) *Handlers {
	return &Handlers{db: db, tree: tree, trail: trail}
}

// authorizeUnit lets a scoped caller (an editor) write only records of units in its own
// institution's subtree; unscoped callers pass. A nil unit is outside every subtree.
//
// Errors: Forbidden.
func (h *Handlers) authorizeUnit(ctx context.Context, unit *uuid.UUID) error {
	return scope.Authorize(ctx, h.tree, unit, "you may only write records of your own institution")
}
