// Package blueprint is the structured document of internal rules co-drafted article by article:
// chapters, articles, comments, suggestions, frozen versions, comparison and export.
package blueprint

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it);
// it limits editors' and partners' writes to their own institution.
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree Tree) *Handlers { return &Handlers{db: db, tree: tree} }

var errNotImplemented = errors.New("not implemented")
