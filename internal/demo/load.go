// Package demo loads the demonstration data set drawn from the action's source documents
// (shared/seeds): the units of Peru's Ministry of Foreign Affairs, partner agencies, peers and
// international organisations. Every record it creates is marked as demo data.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// Load creates the demo data set when the database has no institutions yet, in one
// transaction, and returns how many institutions it created (0 when there were some already).
func Load(ctx context.Context, db *database.DB, svc *institutions.Service) (int, error) {
	ctx = actor.With(ctx, actor.SystemActor)
	created := 0
	err := db.InTx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		n, err := svc.Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		ids := map[string]institutions.Institution{}
		for _, d := range Institutions {
			f := institutions.Fields{Code: d.Code, Kind: d.Kind, Tier: d.Tier, Status: d.Status,
				NameES: opt(d.NameES), NameEN: opt(d.NameEN), Acronym: opt(d.Acronym), Country: opt(d.Country),
				DescriptionEN: opt(d.Description)}
			if d.Parent != "" {
				p, ok := ids[d.Parent]
				if !ok {
					return fmt.Errorf("demo institution %s: parent %s is not listed before it", d.Code, d.Parent)
				}
				f.ParentID = &p.ID
			}
			if d.Established != "" {
				t, err := time.Parse(time.DateOnly, d.Established)
				if err != nil {
					return fmt.Errorf("demo institution %s: %w", d.Code, err)
				}
				f.EstablishedOn = &t
			}
			inst, err := svc.CreateDemo(ctx, f)
			if err != nil {
				return fmt.Errorf("demo institution %s: %w", d.Code, err)
			}
			ids[d.Code] = inst
			created++
		}
		units := make(map[string]uuid.UUID, len(ids))
		for code, inst := range ids {
			units[code] = inst.ID
		}
		for _, step := range []func(context.Context, *database.DB, *institutions.Service, map[string]uuid.UUID) error{
			loadMandates, loadStocktake, loadPractices, loadEvents, loadServiceMenu,
			loadActionPlan, loadDeliverables, loadActivities, loadBlueprint, loadCoordination, loadAgreements, loadMGI, loadTerritory,
		} {
			if err := step(ctx, db, svc, units); err != nil {
				return err
			}
		}
		return nil
	})
	return created, err
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
