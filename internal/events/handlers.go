// Package events records the events where knowledge was exchanged and what the diaspora asked
// for at them (consultation inputs, which people support).
package events

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree scope.Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree scope.Tree) *Handlers { return &Handlers{db: db, tree: tree} }
