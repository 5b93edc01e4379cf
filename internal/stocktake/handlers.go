// Package stocktake records what data exists about the diaspora: the catalogue of data sources
// (in the spirit of DCAT-AP), the indicators they measure, and — in later steps — the
// observations scripted loads fill, the coverage they give and the gaps they leave.
package stocktake

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve the stocktake operations of the contract.
type Handlers struct {
	db   *database.DB
	tree scope.Tree
}

// NewHandlers returns the stocktake handlers.
func NewHandlers(db *database.DB, tree scope.Tree) *Handlers { return &Handlers{db: db, tree: tree} }

// authorizePublisher lets a scoped caller (editor, partner) write only data sources published
// by its own institution or a unit below it; unscoped callers pass.
//
// Errors: Forbidden.
func authorizePublisher(ctx context.Context, tree scope.Tree, publisher *uuid.UUID) error {
	return scope.Authorize(ctx, tree, publisher, "you may only write data sources your own institution publishes")
}
