// Package stocktake records what data exists about the diaspora: the catalogue of data sources
// (in the spirit of DCAT-AP), the indicators they measure, and — in later steps — the
// observations scripted loads fill, the coverage they give and the gaps they leave.
package stocktake

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it).
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Handlers serve the stocktake operations of the contract.
type Handlers struct {
	db   *database.DB
	tree Tree
}

// NewHandlers returns the stocktake handlers.
func NewHandlers(db *database.DB, tree Tree) *Handlers { return &Handlers{db: db, tree: tree} }

// requireUnscoped refuses callers whose writes are limited to their own institution (editors,
// partners): indicators are a vocabulary shared by every source.
//
// Errors: Forbidden.
func requireUnscoped(ctx context.Context, what string) error {
	if actor.From(ctx).ScopedToInstitution() {
		return apperr.New(apperr.Forbidden, "only coordinators, admins and importers may write %s", what)
	}
	return nil
}

// authorizePublisher lets a scoped caller (editor, partner) write only data sources published
// by its own institution or a unit below it; unscoped callers pass.
//
// Errors: Forbidden.
func authorizePublisher(ctx context.Context, tree Tree, publisher *uuid.UUID) error {
	a := actor.From(ctx)
	if !a.ScopedToInstitution() {
		return nil
	}
	if a.InstitutionID == nil || publisher == nil {
		return apperr.New(apperr.Forbidden, "you may only write data sources your own institution publishes")
	}
	ok, err := tree.Within(ctx, *publisher, *a.InstitutionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "you may only write data sources your own institution publishes")
	}
	return nil
}
