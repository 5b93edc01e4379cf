package events

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
)

// storedEvent is the event a staged row s updates, as a lateral join: matched on its id (key
// "id") or else its code (key "code": a staged row's own id is new), so that the checks can leave
// alone what an update keeps, as checkEventReferences does.
const storedEvent = `LEFT JOIN LATERAL (SELECT t.id, t.organiser_id, t.practice_ids FROM events t
	WHERE t.id = s.id OR t.code = s.code ORDER BY t.id = s.id DESC LIMIT 1) t ON true`

// EventImport describes events to the importer: matched on their code (or id), checked with
// EventFields.Validate, their organiser and practices checked set-based as
// checkEventReferences checks them, owned by their organiser.
func EventImport() *imports.Resource {
	return &imports.Resource{
		Name: "events", Create: "EventCreate", Represent: "Event",
		WriteScope: auth.ScopePracticesWrite, Table: "events",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "type", Type: "text"},
			{Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "start_date", Type: "date"}, {Name: "end_date", Type: "date"}, {Name: "place", Type: "text"},
			{Name: "country", Type: "text"}, {Name: "online", Type: "boolean"}, {Name: "organiser_id", Type: "uuid"},
			{Name: "agenda", Type: "jsonb"}, {Name: "participants", Type: "jsonb"}, {Name: "practice_ids", Type: "uuid[]"},
			{Name: "outputs_es", Type: "text"}, {Name: "outputs_en", Type: "text"},
			{Name: "notes_es", Type: "text"}, {Name: "notes_en", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepareEvent,
		Checks: []imports.Check{
			// An archived organiser is refused only when the row chooses it now.
			{Field: "organiser_id", SQL: `
SELECT s.line, CASE WHEN o.id IS NULL THEN 'no such institution' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN institutions o ON o.id = s.organiser_id ` + storedEvent + `
WHERE s.organiser_id IS NOT NULL
  AND (o.id IS NULL OR (o.archived_at IS NOT NULL AND t.organiser_id IS DISTINCT FROM s.organiser_id))`},
			// A practice the event already names may have been archived since; others must be live.
			{Field: "practice_ids", SQL: `
SELECT s.line, 'no such practice: ' || u.ref
FROM %[1]s s CROSS JOIN LATERAL unnest(s.practice_ids) AS u(ref) LEFT JOIN practices p ON p.id = u.ref ` + storedEvent + `
WHERE (p.id IS NULL OR p.archived_at IS NOT NULL) AND NOT coalesce(u.ref = ANY(t.practice_ids), false)`},
		},
		Owner: `%[1]s.organiser_id`,
		Translate: func(err error) (string, string, bool) {
			return importField(NewEventService(nil, nil).translate(err, EventFields{}))
		},
	}
}

// prepareEvent decodes one row as CreateEvent decodes its body, checks it with Validate and
// returns its columns as Create stores them (the end date defaulting to the start date).
func prepareEvent(_ context.Context, doc []byte) ([]any, error) {
	var in api.EventCreate
	if err := json.Unmarshal(doc, &in); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	f, err := eventFromAPI(in)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var r eventRow
	if err := r.set(f); err != nil {
		return nil, err
	}
	var participants any
	if r.Participants != nil {
		participants = string(r.Participants)
	}
	return []any{uuid.Must(uuid.NewV7()), r.Code, r.Type, r.TitleES, r.TitleEN, r.StartDate, r.EndDate, r.Place,
		r.Country, r.Online, r.OrganiserID, string(r.Agenda), participants, append([]uuid.UUID{}, f.PracticeIDs...),
		r.OutputsES, r.OutputsEN, r.NotesES, r.NotesEN, f.Demo}, nil
}

// importField is the first field error of err, a service's translation of a database error, as
// the importer reports it on a row; ok is false when the translation names no field.
func importField(err error) (field, message string, ok bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return "", "", false
	}
	return e.Fields[0].Field, e.Fields[0].Message, true
}
