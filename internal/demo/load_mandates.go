package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/mandates"
)

// demoNote marks demo records whose table has no demo flag (assignments).
const demoNote = "Demo data drawn from the action's source documents."

// loadMandates creates the demo legal instruments, functions and scenarios through the mandates
// services, so they obey the same rules and leave the same audit trail as anyone's writes.
// units maps institution codes to ids.
func loadMandates(ctx context.Context, db *database.DB, tree *institutions.Service, units map[string]uuid.UUID) error {
	unit := func(code string) (*uuid.UUID, error) {
		if code == "" {
			return nil, nil
		}
		id, ok := units[code]
		if !ok {
			return nil, fmt.Errorf("unknown institution %s", code)
		}
		return &id, nil
	}

	instruments := map[string]uuid.UUID{}
	isvc := mandates.NewInstrumentService(db)
	for _, d := range LegalInstruments {
		issuer, err := unit(d.Issuer)
		if err != nil {
			return fmt.Errorf("demo instrument %s: %w", d.Code, err)
		}
		f := mandates.InstrumentFields{Code: d.Code, Type: d.Type, Number: d.Number, TitleES: opt(d.TitleES),
			TitleEN: opt(d.TitleEN), IssuerID: issuer, Status: d.Status, URL: opt(d.URL), Notes: opt(d.Notes), Demo: true}
		if d.IssuedOn != "" {
			t, err := time.Parse(time.DateOnly, d.IssuedOn)
			if err != nil {
				return fmt.Errorf("demo instrument %s: %w", d.Code, err)
			}
			f.IssuedOn = &t
		}
		inst, err := isvc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo instrument %s: %w", d.Code, err)
		}
		instruments[d.Code] = inst.ID
	}
	instrument := func(code string) (*uuid.UUID, error) {
		if code == "" {
			return nil, nil
		}
		id, ok := instruments[code]
		if !ok {
			return nil, fmt.Errorf("unknown instrument %s", code)
		}
		return &id, nil
	}

	functions := map[string]uuid.UUID{}
	fsvc := mandates.NewFunctionService(db, tree)
	for _, d := range Functions {
		owner, err := unit(d.Owner)
		if err != nil {
			return fmt.Errorf("demo function %s: %w", d.Code, err)
		}
		f := mandates.FunctionFields{Code: d.Code, TitleES: opt(d.TitleES), TitleEN: opt(d.TitleEN),
			DescriptionEN: opt(d.DescriptionEN), Category: d.Category, Status: d.Status, OwnerInstitutionID: owner,
			Tags: d.Tags, Demo: true}
		for _, b := range d.Bases {
			id, err := instrument(b.Instrument)
			if err != nil || id == nil {
				return fmt.Errorf("demo function %s: basis %q: %v", d.Code, b.Instrument, err)
			}
			f.LegalBases = append(f.LegalBases, mandates.LegalBasis{InstrumentID: *id, Article: opt(b.Article)})
		}
		fn, err := fsvc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo function %s: %w", d.Code, err)
		}
		functions[d.Code] = fn.ID
	}

	ssvc := mandates.NewScenarioService(db)
	asvc := mandates.NewAssignmentService(db, tree)
	for _, d := range Scenarios {
		sc, err := ssvc.Create(ctx, mandates.ScenarioFields{Code: d.Code, NameES: opt(d.NameES), NameEN: opt(d.NameEN),
			DescriptionEN: opt(d.DescriptionEN), Kind: d.Kind, Demo: true}, nil)
		if err != nil {
			return fmt.Errorf("demo scenario %s: %w", d.Code, err)
		}
		for _, a := range d.Assignments {
			fn, ok := functions[a.Function]
			if !ok {
				return fmt.Errorf("demo scenario %s: unknown function %s", d.Code, a.Function)
			}
			u, err := unit(a.Unit)
			if err != nil || u == nil {
				return fmt.Errorf("demo scenario %s: unit %q: %v", d.Code, a.Unit, err)
			}
			inst, err := instrument(a.Instrument)
			if err != nil {
				return fmt.Errorf("demo scenario %s: %w", d.Code, err)
			}
			note := demoNote
			if _, err := asvc.Create(ctx, sc.ID, mandates.AssignmentFields{FunctionID: fn, InstitutionID: *u, Role: a.Role,
				Basis: a.Basis, InstrumentID: inst, Article: opt(a.Article), Evidence: opt(a.Evidence), Notes: &note}); err != nil {
				return fmt.Errorf("demo scenario %s: %s at %s: %w", d.Code, a.Function, a.Unit, err)
			}
		}
	}
	return nil
}
