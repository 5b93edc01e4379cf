package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/practices"
)

// loadPractices creates the demo practices through the practice library's service and moves
// each through the editorial workflow to its status, so they obey the same rules and leave the
// same history and audit trail as anyone's. Every one is marked demo (see Practices). units maps
// institution codes to ids.
func loadPractices(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	svc := practices.NewService(db, insts)
	for _, d := range Practices {
		f, err := practiceFields(d, units)
		if err != nil {
			return err
		}
		p, err := svc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo practice %s: %w", d.Code, err)
		}
		n := slices.Index(practices.Statuses, d.Status)
		if n < 0 {
			return fmt.Errorf("demo practice %s: unknown status %s", d.Code, d.Status)
		}
		// draft → submitted → validated → published, as far as the record's status.
		for _, to := range practices.Statuses[1 : n+1] {
			if p, err = svc.Transition(ctx, p.ID, etag.Precondition{}, to, nil); err != nil {
				return fmt.Errorf("demo practice %s to %s: %w", d.Code, to, err)
			}
		}
		if p.Status != d.Status {
			return fmt.Errorf("demo practice %s: ended %s, want %s", d.Code, p.Status, d.Status)
		}
	}
	return nil
}

func practiceFields(d PracticeRecord, units map[string]uuid.UUID) (practices.Fields, error) {
	f := practices.Fields{
		Code: d.Code, Title: practiceText(d.TitleES, d.TitleEN), Summary: practiceText(d.SummaryES, d.SummaryEN),
		Description: practiceText(d.DescriptionES, d.DescriptionEN), Scope: d.Scope, Country: opt(d.Country), Type: d.Type,
		Themes: d.Themes, Migof: d.Migof, GcmObjectives: d.GcmObjectives, SdgTargets: d.SdgTargets,
		TargetPopulation: practiceText(d.TargetPopulationES, d.TargetPopulationEN), Outcomes: practiceText(d.OutcomesES, d.OutcomesEN),
		LessonsLearned: practiceText(d.LessonsES, d.LessonsEN), Demo: true,
	}
	unit := func(code string) (*uuid.UUID, error) {
		id, ok := units[code]
		if !ok {
			return nil, fmt.Errorf("demo practice %s: unknown institution %s", d.Code, code)
		}
		return &id, nil
	}
	if d.Institution != "" {
		id, err := unit(d.Institution)
		if err != nil {
			return f, err
		}
		f.InstitutionID = id
	}
	for _, code := range d.Partners {
		id, err := unit(code)
		if err != nil {
			return f, err
		}
		f.PartnerIDs = append(f.PartnerIDs, *id)
	}
	for name, s := range map[string]struct {
		in  string
		out **time.Time
	}{"period_start": {d.PeriodStart, &f.PeriodStart}, "period_end": {d.PeriodEnd, &f.PeriodEnd}} {
		if s.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, s.in)
		if err != nil {
			return f, fmt.Errorf("demo practice %s %s: %w", d.Code, name, err)
		}
		*s.out = &t
	}
	if d.Transferability != "" {
		f.Transferability = &practices.Transferability{Level: d.Transferability, Rationale: practiceText(d.RationaleES, d.RationaleEN)}
	}
	for _, s := range d.Sources {
		f.Sources = append(f.Sources, practices.Citation{Citation: s.Citation, URL: opt(s.URL)})
	}
	return f, nil
}

// practiceText is a practice text from its Spanish and English forms ("" for absent).
func practiceText(es, en string) practices.Text { return practices.Text{ES: opt(es), EN: opt(en)} }
