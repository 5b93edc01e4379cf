package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/events"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadEvents creates the demo events and consultation inputs through the events services, so they
// obey the same rules and leave the same audit trail as anyone's writes; all are marked demo. The
// workshop is linked to the practices it presented only when the practices demo data (loaded
// before) has them: a practice missing from it is left out, not invented here.
func loadEvents(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	practices, err := loadedPractices(ctx, db)
	if err != nil {
		return err
	}
	esvc := events.NewEventService(db, insts)
	codes := map[string]uuid.UUID{}
	for _, d := range Events {
		f, err := eventFields(d, units, practices)
		if err != nil {
			return fmt.Errorf("demo event %s: %w", d.Code, err)
		}
		ev, err := esvc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo event %s: %w", d.Code, err)
		}
		codes[d.Code] = ev.ID
	}
	isvc := events.NewInputService(db, insts)
	for i, d := range EventInputs {
		id, ok := codes[d.Event]
		if !ok {
			return fmt.Errorf("demo consultation input %d: unknown event %s", i, d.Event)
		}
		if _, err := isvc.Create(ctx, events.InputFields{EventID: id, Countries: d.Countries, Theme: opt(d.Theme),
			Statement: events.Text{ES: opt(d.StatementES), EN: opt(d.StatementEN)}, TimesRaised: d.TimesRaised,
			Priority: d.Priority, Demo: true}); err != nil {
			return fmt.Errorf("demo consultation input %d (%s): %w", i, d.Event, err)
		}
	}
	return nil
}

// loadedPractices maps the codes of the active practices the demo events present to their ids.
// It reads the table, not the practices package, so the events demo data depends on the practices
// only through the database.
func loadedPractices(ctx context.Context, db *database.DB) (map[string]uuid.UUID, error) {
	var codes []string
	for _, d := range Events {
		codes = append(codes, d.Practices...)
	}
	var rows []struct {
		ID   uuid.UUID
		Code string
	}
	if len(codes) == 0 {
		return nil, nil
	}
	if err := db.Conn(ctx).Table("practices").Select("id, code").Where("code IN ? AND archived_at IS NULL", codes).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load demo practices: %w", err)
	}
	out := make(map[string]uuid.UUID, len(rows))
	for _, r := range rows {
		out[r.Code] = r.ID
	}
	return out, nil
}

func eventFields(d Event, units map[string]uuid.UUID, practices map[string]uuid.UUID) (events.EventFields, error) {
	if !strings.HasPrefix(d.NotesEN, EventDemoNote) || !strings.HasPrefix(d.NotesES, "Datos de demostración: ") {
		return events.EventFields{}, fmt.Errorf("the notes must say first that the event is demo data")
	}
	organiser, ok := units[d.Organiser]
	if !ok {
		return events.EventFields{}, fmt.Errorf("unknown institution %s", d.Organiser)
	}
	start, err := time.Parse(time.DateOnly, d.Start)
	if err != nil {
		return events.EventFields{}, err
	}
	f := events.EventFields{Code: d.Code, Type: d.Type, Title: events.Text{ES: opt(d.TitleES), EN: opt(d.TitleEN)},
		StartDate: start, Place: opt(d.Place), Country: opt(d.Country), Online: d.Online, OrganiserID: &organiser,
		Outputs: events.Text{ES: opt(d.OutputsES), EN: opt(d.OutputsEN)},
		Notes:   events.Text{ES: opt(d.NotesES), EN: opt(d.NotesEN)}, Demo: true}
	if d.End != "" {
		end, err := time.Parse(time.DateOnly, d.End)
		if err != nil {
			return events.EventFields{}, err
		}
		f.EndDate = &end
	}
	for _, it := range d.Agenda {
		f.Agenda = append(f.Agenda, events.AgendaItem{Time: opt(it.Time), Title: events.Text{ES: opt(it.TitleES), EN: opt(it.TitleEN)}})
	}
	p := d.Participants
	f.Participants = &events.Participants{Total: p.Total, BySex: &events.BySex{Female: new(p.Female), Male: new(p.Male)}}
	for _, c := range p.ByInstitutionKind {
		f.Participants.ByInstitutionKind = append(f.Participants.ByInstitutionKind, events.ParticipantCount{InstitutionKind: opt(c.Key), Count: c.Count})
	}
	for _, c := range p.ByCountry {
		f.Participants.ByCountry = append(f.Participants.ByCountry, events.ParticipantCount{Country: opt(c.Key), Count: c.Count})
	}
	for _, code := range d.Practices {
		if id, ok := practices[code]; ok {
			f.PracticeIDs = append(f.PracticeIDs, id)
		}
	}
	return f, nil
}
