// Package agreements keeps the agreements coordination bodies reach (who must carry each out, by
// when, and where it stands), their workflow — pending, in progress, done, with a history;
// overdue is computed, never stored — and the follow-up of what each institution owes.
package agreements

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve this area's operations of the contract.
type Handlers struct {
	db   *database.DB
	tree scope.Tree
}

// NewHandlers returns the handlers; tree scopes the moves editors and partners may make.
func NewHandlers(db *database.DB, tree scope.Tree) *Handlers { return &Handlers{db: db, tree: tree} }

func (h *Handlers) service() *Service { return NewService(h.db, h.tree) }
