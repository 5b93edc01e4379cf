package demo

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadAgreements loads this area's demo data. TODO(issue 8): agreements of the demo bodies.
func loadAgreements(ctx context.Context, db *database.DB, svc *institutions.Service, units map[string]uuid.UUID) error {
	return nil
}
