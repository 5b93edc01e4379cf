package territory

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve this area's operations of the contract.
type Handlers struct {
	db   *database.DB
	tree scope.Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree scope.Tree) *Handlers { return &Handlers{db: db, tree: tree} }

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource { return []*imports.Resource{ServicePointImport()} }
