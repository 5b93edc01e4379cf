package demo

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/servicemenu"
)

// loadServiceMenu creates the demo menu of services through the servicemenu service, so it obeys
// the same rules and leaves the same audit trail as anyone's writes; every service is marked
// demo. Functions and instruments come from the mandates demo data (loaded before) and must be
// there. Consultation inputs come from the events demo data, read from the table rather than
// the events package: a service is linked to those present and, when there are none, answers
// nothing rather than something invented here.
func loadServiceMenu(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	var functionCodes, instrumentCodes, eventCodes []string
	for _, d := range MenuServices {
		functionCodes = append(functionCodes, d.Functions...)
		instrumentCodes = append(instrumentCodes, d.Instruments...)
		for _, a := range d.Answers {
			eventCodes = append(eventCodes, a.Event)
		}
	}
	functions, err := menuCodeIDs(ctx, db, "functions", functionCodes)
	if err != nil {
		return err
	}
	instruments, err := menuCodeIDs(ctx, db, "legal_instruments", instrumentCodes)
	if err != nil {
		return err
	}
	inputs, err := menuInputs(ctx, db, eventCodes)
	if err != nil {
		return err
	}

	menu := servicemenu.NewMenu(db, insts)
	for _, d := range MenuServices {
		f := servicemenu.Fields{Code: d.Code, NameES: opt(d.NameES), NameEN: opt(d.NameEN),
			DescriptionES: opt(d.DescriptionES + " " + ServiceDemoNoteES), DescriptionEN: opt(d.DescriptionEN + " " + ServiceDemoNoteEN),
			TargetGroups: d.TargetGroups, Channels: d.Channels, LegalBasisES: opt(d.LegalBasisES),
			LegalBasisEN: opt(d.LegalBasisEN), Status: d.Status, Languages: d.Languages, Demo: true}
		if d.Provider != "" {
			id, ok := units[d.Provider]
			if !ok {
				return fmt.Errorf("demo service %s: unknown institution %s", d.Code, d.Provider)
			}
			f.ProviderID = &id
		}
		if f.FunctionIDs, err = menuResolve(d.Functions, functions, "function"); err != nil {
			return fmt.Errorf("demo service %s: %w", d.Code, err)
		}
		if f.InstrumentIDs, err = menuResolve(d.Instruments, instruments, "legal instrument"); err != nil {
			return fmt.Errorf("demo service %s: %w", d.Code, err)
		}
		for _, a := range d.Answers {
			f.InputIDs = append(f.InputIDs, inputs[a]...)
		}
		if _, err := menu.Create(ctx, f); err != nil {
			return fmt.Errorf("demo service %s: %w", d.Code, err)
		}
	}
	return nil
}

// menuResolve is the ids of codes in ids, in order; a code missing from ids is an error.
func menuResolve(codes []string, ids map[string]uuid.UUID, what string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, len(codes))
	for _, c := range codes {
		id, ok := ids[c]
		if !ok {
			return nil, fmt.Errorf("unknown %s %s", what, c)
		}
		out = append(out, id)
	}
	return out, nil
}

// menuCodeIDs maps the codes of table's records among codes to their ids, in one statement.
func menuCodeIDs(ctx context.Context, db *database.DB, table string, codes []string) (map[string]uuid.UUID, error) {
	out := map[string]uuid.UUID{}
	if len(codes) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   uuid.UUID
		Code string
	}
	if err := db.Conn(ctx).Table(table).Select("id, code").Where("code IN ?", codes).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load demo %s: %w", table, err)
	}
	for _, r := range rows {
		out[r.Code] = r.ID
	}
	return out, nil
}

// menuInputs maps (event code, theme) to the ids of the active consultation inputs of those
// events with that theme, in one statement; pairs with no input are simply absent.
func menuInputs(ctx context.Context, db *database.DB, eventCodes []string) (map[MenuAnswer][]uuid.UUID, error) {
	out := map[MenuAnswer][]uuid.UUID{}
	if len(eventCodes) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    uuid.UUID
		Event string
		Theme string
	}
	if err := db.Conn(ctx).Raw(`SELECT ci.id, e.code AS event, ci.theme FROM consultation_inputs ci
		JOIN events e ON e.id = ci.event_id
		WHERE e.code IN ? AND ci.theme IS NOT NULL AND ci.archived_at IS NULL
		ORDER BY ci.created_at, ci.id`, eventCodes).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load demo consultation inputs: %w", err)
	}
	for _, r := range rows {
		k := MenuAnswer{Event: r.Event, Theme: r.Theme}
		out[k] = append(out[k], r.ID)
	}
	return out, nil
}
