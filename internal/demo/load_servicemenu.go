package demo

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadServiceMenu loads the demo data of its area (not written yet).
func loadServiceMenu(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	return nil
}
