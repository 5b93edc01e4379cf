package events

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// EventTypes are the kinds of event the action holds.
var EventTypes = []string{"peer_learning_workshop", "diaspora_consultation", "co_drafting_session",
	"presentation", "training", "coordination_session"}

// agendaTimePattern is a local start time, HH:MM.
var agendaTimePattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Text is a text in Spanish and English, either of which may be missing. Its JSON form is the
// API's and the stored one.
type Text struct {
	ES *string `json:"es,omitempty"`
	EN *string `json:"en,omitempty"`
}

func (t Text) empty() bool { return evtBlank(t.ES) && evtBlank(t.EN) }

// AgendaItem is one point of an event's agenda.
type AgendaItem struct {
	Time  *string `json:"time,omitempty"` // local start time, HH:MM
	Title Text    `json:"title"`
}

// ParticipantCount is how many participants came from one country or one kind of institution.
type ParticipantCount struct {
	Country         *string `json:"country,omitempty"`
	InstitutionKind *string `json:"institution_kind,omitempty"`
	Count           int     `json:"count"`
}

// BySex splits the participants by sex.
type BySex struct {
	Female             *int `json:"female,omitempty"`
	Male               *int `json:"male,omitempty"`
	OtherOrUndisclosed *int `json:"other_or_undisclosed,omitempty"`
}

// Participants are the aggregate counts of who took part: an event never holds personal data,
// which is why this type has no room for a name. Its JSON form is the API's and the stored one.
type Participants struct {
	Total             int                `json:"total"`
	BySex             *BySex             `json:"by_sex,omitempty"`
	ByInstitutionKind []ParticipantCount `json:"by_institution_kind,omitempty"`
	ByCountry         []ParticipantCount `json:"by_country,omitempty"`
}

// EventFields are the parts of an event its users write. A nil EndDate means the event lasts
// its start date only. Demo marks demo data; only Create reads it (the HTTP layer never sets it,
// and updates keep what is stored).
type EventFields struct {
	Code         string
	Type         string
	Title        Text
	StartDate    time.Time
	EndDate      *time.Time
	Place        *string
	Country      *string // ISO 3166-1 alpha-2
	Online       bool
	OrganiserID  *uuid.UUID // an institution
	Agenda       []AgendaItem
	Participants *Participants
	PracticeIDs  []uuid.UUID // practices presented at the event
	Outputs      Text
	Notes        Text
	Demo         bool
}

// Event is a stored event; its EndDate is always set.
type Event struct {
	ID uuid.UUID
	EventFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every event obeys, whoever writes it, except that its organiser and
// practices exist (the service checks those against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *EventFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the event is not valid")
	naturalkey.Check(e, "code", f.Code)
	if !slices.Contains(EventTypes, f.Type) {
		e.WithField("type", "unknown event type")
	}
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if f.StartDate.IsZero() {
		e.WithField("start_date", "is required")
	}
	if f.EndDate != nil && f.EndDate.Before(f.StartDate) {
		e.WithField("end_date", "is before the start date")
	}
	if f.Country != nil {
		if _, ok := countries.Lookup(*f.Country); !ok {
			e.WithField("country", "not an ISO 3166-1 country")
		}
	}
	for i, it := range f.Agenda {
		if it.Title.empty() {
			e.WithField("agenda."+strconv.Itoa(i)+".title", "needs a Spanish or an English title")
		}
		if it.Time != nil && !agendaTimePattern.MatchString(*it.Time) {
			e.WithField("agenda."+strconv.Itoa(i)+".time", "must be HH:MM")
		}
	}
	if f.Participants != nil {
		f.Participants.validate(e)
	}
	for i, id := range f.PracticeIDs {
		if slices.Contains(f.PracticeIDs[:i], id) {
			e.WithField("practice_ids."+strconv.Itoa(i), "listed twice")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// validate adds to e what is wrong with the counts: no breakdown may count more people than the
// total, and each line of a breakdown names one country (or kind of institution) once.
func (p *Participants) validate(e *apperr.Error) {
	if p.Total < 0 {
		e.WithField("participants.total", "must not be negative")
	}
	if s := p.BySex; s != nil {
		sum := 0
		for _, n := range []*int{s.Female, s.Male, s.OtherOrUndisclosed} {
			if n != nil {
				if *n < 0 {
					e.WithField("participants.by_sex", "counts must not be negative")
				}
				sum += *n
			}
		}
		if sum > p.Total {
			e.WithField("participants.by_sex", fmt.Sprintf("counts %d people, more than the total of %d", sum, p.Total))
		}
	}
	p.breakdown(e, "by_institution_kind", "institution kind", p.ByInstitutionKind,
		func(c ParticipantCount) (*string, *string) { return c.InstitutionKind, c.Country },
		func(k string) bool { return slices.Contains(institutions.Kinds, k) })
	p.breakdown(e, "by_country", "country", p.ByCountry,
		func(c ParticipantCount) (*string, *string) { return c.Country, c.InstitutionKind },
		func(c string) bool { _, ok := countries.Lookup(c); return ok })
}

// breakdown adds to e what is wrong with one breakdown of the participants: each line names one
// known value (key; a line also naming the other breakdown's key is refused), a value once, and
// all the lines together count no more people than the total.
func (p *Participants) breakdown(e *apperr.Error, name, what string, lines []ParticipantCount,
	keys func(ParticipantCount) (key, other *string), known func(string) bool) {
	sum := 0
	var seen []string
	for i, l := range lines {
		field := "participants." + name + "." + strconv.Itoa(i)
		key, other := keys(l)
		switch {
		case key == nil:
			e.WithField(field, "names no "+what)
		case !known(*key):
			e.WithField(field, "unknown "+what+" "+*key)
		case slices.Contains(seen, *key):
			e.WithField(field, *key+" is counted twice")
		default:
			seen = append(seen, *key)
		}
		if other != nil {
			e.WithField(field, "counts by "+what+" only")
		}
		if l.Count < 0 {
			e.WithField(field, "count must not be negative")
		}
		sum += l.Count
	}
	if sum > p.Total {
		e.WithField("participants."+name, fmt.Sprintf("counts %d people, more than the total of %d", sum, p.Total))
	}
}

func evtBlank(s *string) bool { return s == nil || *s == "" }

// eventRow maps Event to the events table (the generated search column is never written).
type eventRow struct {
	ID           uuid.UUID
	Code         string
	Type         string
	TitleES      *string `gorm:"column:title_es"`
	TitleEN      *string `gorm:"column:title_en"`
	StartDate    time.Time
	EndDate      time.Time
	Place        *string
	Country      *string
	Online       bool
	OrganiserID  *uuid.UUID
	Agenda       json.RawMessage `gorm:"type:jsonb"`
	Participants json.RawMessage `gorm:"type:jsonb"`
	PracticeIDs  pq.StringArray  `gorm:"column:practice_ids;type:uuid[]"`
	OutputsES    *string         `gorm:"column:outputs_es"`
	OutputsEN    *string         `gorm:"column:outputs_en"`
	NotesES      *string         `gorm:"column:notes_es"`
	NotesEN      *string         `gorm:"column:notes_en"`
	Demo         bool
	Version      int64
	CreatedAt    time.Time `gorm:"default:now()"`
	UpdatedAt    time.Time `gorm:"default:now()"`
	ArchivedAt   *time.Time
}

func (eventRow) TableName() string { return "events" }

// event decodes the row. The JSON columns were written by set, so they always decode.
func (r eventRow) event() Event {
	f := EventFields{Code: r.Code, Type: r.Type, Title: Text{ES: r.TitleES, EN: r.TitleEN}, StartDate: r.StartDate,
		EndDate: new(r.EndDate), Place: r.Place, Country: r.Country, Online: r.Online, OrganiserID: r.OrganiserID,
		Agenda: []AgendaItem{}, PracticeIDs: refs.Parse(r.PracticeIDs), Outputs: Text{ES: r.OutputsES, EN: r.OutputsEN},
		Notes: Text{ES: r.NotesES, EN: r.NotesEN}, Demo: r.Demo}
	if len(r.Agenda) > 0 {
		_ = json.Unmarshal(r.Agenda, &f.Agenda)
	}
	if len(r.Participants) > 0 && string(r.Participants) != "null" {
		f.Participants = new(Participants)
		_ = json.Unmarshal(r.Participants, f.Participants)
	}
	return Event{ID: r.ID, EventFields: f, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ArchivedAt: r.ArchivedAt}
}

// evtDay is t's calendar date at midnight UTC, as a date column stores it.
func evtDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (r *eventRow) set(f EventFields) error {
	r.Code, r.Type, r.TitleES, r.TitleEN = f.Code, f.Type, f.Title.ES, f.Title.EN
	r.StartDate = evtDay(f.StartDate)
	r.EndDate = r.StartDate
	if f.EndDate != nil {
		r.EndDate = evtDay(*f.EndDate)
	}
	r.Place, r.Country, r.Online, r.OrganiserID = f.Place, f.Country, f.Online, f.OrganiserID
	agenda := f.Agenda
	if agenda == nil {
		agenda = []AgendaItem{}
	}
	var err error
	if r.Agenda, err = json.Marshal(agenda); err != nil {
		return fmt.Errorf("encode agenda: %w", err)
	}
	r.Participants = nil
	if f.Participants != nil {
		if r.Participants, err = json.Marshal(f.Participants); err != nil {
			return fmt.Errorf("encode participants: %w", err)
		}
	}
	r.PracticeIDs = refs.Array(f.PracticeIDs)
	r.OutputsES, r.OutputsEN, r.NotesES, r.NotesEN = f.Outputs.ES, f.Outputs.EN, f.Notes.ES, f.Notes.EN
	return nil
}

// columns are the writable columns of r, for updates.
func (r *eventRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "type": r.Type, "title_es": r.TitleES, "title_en": r.TitleEN, "start_date": r.StartDate,
		"end_date": r.EndDate, "place": r.Place, "country": r.Country, "online": r.Online, "organiser_id": r.OrganiserID,
		"agenda": r.Agenda, "participants": r.Participants, "practice_ids": r.PracticeIDs, "outputs_es": r.OutputsES,
		"outputs_en": r.OutputsEN, "notes_es": r.NotesES, "notes_en": r.NotesEN, "version": r.Version,
		"updated_at": gorm.Expr("now()"),
	}
}

// EventService keeps the record of events. Coordinators, admins, importers and the system write
// any event; editors and partners only those their institution's subtree organises.
type EventService struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Event) any
}

// NewEventService returns an EventService over db; tree answers the editors' and partners'
// organiser checks. The audit trail records events in their API representation.
func NewEventService(db *database.DB, tree scope.Tree) *EventService {
	return &EventService{db: db, tree: tree, snapshot: eventSnapshot}
}

// Get returns one event, archived or not.
//
// Errors: NotFound.
func (s *EventService) Get(ctx context.Context, id uuid.UUID) (Event, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Event{}, err
	}
	return r.event(), nil
}

func (s *EventService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (eventRow, error) {
	return database.Take[eventRow](tx, database.LockIf(forUpdate), "event "+id.String(), "id = ?", id)
}

// lock loads event id for a write, locked for update, once the caller may write it and its
// version satisfies pre.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (s *EventService) lock(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (eventRow, error) {
	r, err := s.find(tx, id, true)
	if err != nil {
		return r, err
	}
	if err := authorizeOrganiser(ctx, s.tree, r.OrganiserID); err != nil {
		return r, err
	}
	return r, pre.Check(r.Version)
}

// Create stores a new event (marked as demo data when f.Demo); its end date defaults to its start
// date.
//
// Errors: Forbidden (scoped caller, organiser outside its institution), Unprocessable (invalid
// fields, unknown or archived organiser or practices), Conflict (code taken).
func (s *EventService) Create(ctx context.Context, f EventFields) (Event, error) {
	if err := authorizeOrganiser(ctx, s.tree, f.OrganiserID); err != nil {
		return Event{}, err
	}
	if err := f.Validate(); err != nil {
		return Event{}, err
	}
	var out Event
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := checkEventReferences(tx, f, nil); err != nil {
			return err
		}
		r := eventRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		if err := r.set(f); err != nil {
			return err
		}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.event()
		return audit.Record(ctx, tx, audit.Change{Action: "event.create", ResourceType: "event",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of event id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the Demo mark it returns is ignored.
// Scoped callers must be allowed both the current and the new organiser.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result, unknown or archived organiser or newly linked practices), and whatever change
// returns.
func (s *EventService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Event) (EventFields, error)) (Event, error) {
	var out Event
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "event %s is archived", id)
		}
		before := r.event()
		f, err := change(before)
		if err != nil {
			return err
		}
		if !refs.Same(before.OrganiserID, f.OrganiserID) {
			if err := authorizeOrganiser(ctx, s.tree, f.OrganiserID); err != nil {
				return err
			}
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := checkEventReferences(tx, f, &before); err != nil {
			return err
		}
		if err := r.set(f); err != nil {
			return err
		}
		r.Version++
		if err := tx.Model(&eventRow{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.event()
		return audit.Record(ctx, tx, audit.Change{Action: "event.update", ResourceType: "event",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes event id. Archiving an archived event changes nothing. Its consultation
// inputs stay as they are, but no new input can name it.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *EventService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.event()
		return archive.Row[eventRow](ctx, tx, "event", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.event()), err
		})
	})
}

func (s *EventService) translate(err error, f EventFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "events_code_key" {
		return apperr.New(apperr.Conflict, "an event with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the organiser does not exist").WithField("organiser_id", "no such institution")
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the event is not valid")
		switch c {
		case "events_title_present":
			return e.WithField("title", "needs a Spanish or an English title")
		case "events_date_order":
			return e.WithField("end_date", "is before the start date")
		}
		return apperr.New(apperr.Unprocessable, "the event breaks one of its rules")
	}
	return fmt.Errorf("write event %s: %w", f.Code, err)
}

// authorizeOrganiser lets a scoped caller (editor, partner) write only events organised by its
// own institution or a unit below it; unscoped callers pass. An event with no organiser is
// outside every subtree.
//
// Errors: Forbidden.
func authorizeOrganiser(ctx context.Context, tree scope.Tree, organiser *uuid.UUID) error {
	return scope.Authorize(ctx, tree, organiser, "you may only write events your own institution organises")
}

// checkEventReferences refuses an organiser that does not exist or is archived, and practices
// that do not exist or are archived, naming each by its position. What an update leaves as it was
// (before) is not checked again: archiving an institution or a practice keeps what refers to it.
// The practices cost one statement whatever their number.
//
// Errors: Unprocessable.
func checkEventReferences(tx *gorm.DB, f EventFields, before *Event) error {
	organiser, kept := f.OrganiserID, []uuid.UUID(nil)
	if before != nil {
		kept = before.PracticeIDs
		if refs.Same(before.OrganiserID, organiser) {
			organiser = nil
		}
	}
	return refs.Check(tx, "the event refers to what does not exist",
		refs.List{Table: "institutions", Field: "organiser_id", Missing: "no such institution", ID: organiser,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "practices", Field: "practice_ids", Missing: "no such practice", IDs: f.PracticeIDs,
			Active: true, Kept: kept})
}

// EventFilter narrows EventService.List. Empty values mean "any".
type EventFilter struct {
	Q               string
	Codes           []string // natural keys
	Types           []string
	DateFrom        *time.Time // events ending on or after it
	DateTo          *time.Time // events starting on or before it
	OrganiserID     *uuid.UUID
	PracticeID      *uuid.UUID // events where it was presented
	IncludeArchived bool
	OrderBy         string // start_date, code or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var eventOrders = paging.Orders{
	"start_date": {Field: "start_date", Column: "start_date", Type: "date"},
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of events and the next page's token ("" on the last page), keyset-paged on
// (order column, id), in one statement. Without an order it lists the latest events first.
//
// Errors: Invalid (bad page token).
func (s *EventService) List(ctx context.Context, f EventFilter) ([]Event, string, error) {
	q := s.db.Conn(ctx).Model(&eventRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if f.DateFrom != nil {
		q = q.Where("end_date >= ?", evtDay(*f.DateFrom))
	}
	if f.DateTo != nil {
		q = q.Where("start_date <= ?", evtDay(*f.DateTo))
	}
	if f.OrganiserID != nil {
		q = q.Where("organiser_id = ?", *f.OrganiserID)
	}
	if f.PracticeID != nil {
		q = q.Where("practice_ids @> ARRAY[?]::uuid[]", f.PracticeID.String())
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	orderBy := f.OrderBy
	if orderBy == "" {
		orderBy = "-start_date"
	}
	o := eventOrders.Parse(orderBy, "start_date")
	rows, next, err := paging.Page(q, o, "events", f.PageToken, f.PageSize, func(r eventRow) any {
		switch o.Field {
		case "code":
			return r.Code
		case "created_at":
			return r.CreatedAt
		}
		return r.StartDate.Format(time.DateOnly)
	}, func(r eventRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, next, nil
}
