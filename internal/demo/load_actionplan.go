package demo

import (
	"context"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadActionPlan loads demo data of its area (not written yet).
func loadActionPlan(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	return nil
}

// loadActivities loads demo data of its area (not written yet).
func loadActivities(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	return nil
}
