// Package servicemenu is the menu of services of interest to the diaspora, linked to the
// consultation inputs they answer, the mandate functions that deliver them and their legal basis.
package servicemenu

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
