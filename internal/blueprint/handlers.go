// Package blueprint is the structured document of internal rules co-drafted article by article:
// chapters, articles, comments, suggestions, frozen versions, comparison and export.
package blueprint

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it);
// it limits editors' writes to blueprints of their own units' deliverables.
type Tree = scope.Tree

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree Tree) *Handlers { return &Handlers{db: db, tree: tree} }
