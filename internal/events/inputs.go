package events

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// Priorities a consultation input may have.
var Priorities = []string{"high", "medium", "low"}

// tagPattern is the contract's Tag: a theme.
var tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// InputFields are the parts of a consultation input its users write. A zero TimesRaised means
// once and an empty Priority "medium". The event an input came from never changes: updates keep
// the stored EventID whatever change returns, as they keep Demo. ExternalID is the id the input
// has in the system it came from (a survey tool, a spreadsheet): unique when set, and what
// imports match inputs on.
type InputFields struct {
	EventID     uuid.UUID
	ExternalID  *string
	Countries   []string // ISO 3166-1 alpha-2 codes of the countries of residence of those who raised it
	Theme       *string  // a Tag
	Statement   Text
	TimesRaised int
	Priority    string
	Demo        bool
}

// Input is a stored consultation input, as one caller sees it: Support counts everyone who
// supports it, SupportedByMe says whether the caller does, and ServiceIDs are the active services
// that answer it.
type Input struct {
	ID uuid.UUID
	InputFields
	Support       int64
	SupportedByMe bool
	ServiceIDs    []uuid.UUID
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

// Validate checks the rules every consultation input obeys, except that its event exists (the
// service checks that against the database). A zero TimesRaised is taken as 1 and an empty
// Priority as "medium".
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *InputFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the consultation input is not valid")
	if f.Statement.empty() {
		e.WithField("statement", "needs a Spanish or an English statement")
	}
	if f.TimesRaised < 0 {
		e.WithField("times_raised", "must be at least 1")
	}
	if f.Priority != "" && !slices.Contains(Priorities, f.Priority) {
		e.WithField("priority", "unknown priority")
	}
	if f.Theme != nil && !tagPattern.MatchString(*f.Theme) {
		e.WithField("theme", "must be 1–32 lower-case letters, digits or hyphens, starting with a letter or digit")
	}
	for i, c := range f.Countries {
		field := "countries." + strconv.Itoa(i)
		if _, ok := countries.Lookup(c); !ok {
			e.WithField(field, "not an ISO 3166-1 country")
		} else if slices.Contains(f.Countries[:i], c) {
			e.WithField(field, "listed twice")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// inputRow maps Input to the consultation_inputs table (the generated search column is never
// written; support only by Support and Withdraw).
type inputRow struct {
	ID          uuid.UUID
	EventID     uuid.UUID
	ExternalID  *string
	Countries   pq.StringArray `gorm:"type:text[]"`
	Theme       *string
	StatementES *string `gorm:"column:statement_es"`
	StatementEN *string `gorm:"column:statement_en"`
	TimesRaised int
	Priority    string
	Support     int64
	Demo        bool
	Version     int64
	CreatedAt   time.Time `gorm:"default:now()"`
	UpdatedAt   time.Time `gorm:"default:now()"`
	ArchivedAt  *time.Time
}

func (inputRow) TableName() string { return "consultation_inputs" }

// input is the row without what depends on the caller and on the services (see enrich).
func (r inputRow) input() Input {
	f := InputFields{EventID: r.EventID, ExternalID: r.ExternalID, Countries: append([]string{}, r.Countries...),
		Theme: r.Theme, Statement: Text{ES: r.StatementES, EN: r.StatementEN}, TimesRaised: r.TimesRaised,
		Priority: r.Priority, Demo: r.Demo}
	return Input{ID: r.ID, InputFields: f, Support: r.Support, ServiceIDs: []uuid.UUID{}, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *inputRow) set(f InputFields) {
	r.ExternalID = f.ExternalID
	r.Countries = pq.StringArray(append([]string{}, f.Countries...))
	r.Theme, r.StatementES, r.StatementEN = f.Theme, f.Statement.ES, f.Statement.EN
	r.TimesRaised, r.Priority = max(f.TimesRaised, 1), f.Priority
	if r.Priority == "" {
		r.Priority = "medium"
	}
}

// columns are the writable columns of r, for updates.
func (r *inputRow) columns() map[string]any {
	return map[string]any{
		"external_id": r.ExternalID, "countries": r.Countries, "theme": r.Theme, "statement_es": r.StatementES,
		"statement_en": r.StatementEN, "times_raised": r.TimesRaised, "priority": r.Priority, "version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}

// InputService keeps the consultation inputs and who supports them. Coordinators, admins,
// importers and the system write any input; editors and partners only those of events their
// institution's subtree organises. Any signed-in person may support an input.
type InputService struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Input) any
}

// NewInputService returns an InputService over db; tree answers the editors' and partners'
// organiser checks. The audit trail records inputs in their API representation.
func NewInputService(db *database.DB, tree scope.Tree) *InputService {
	return &InputService{db: db, tree: tree, snapshot: inputSnapshot}
}

// Get returns one consultation input, archived or not, as the caller sees it.
//
// Errors: NotFound.
func (s *InputService) Get(ctx context.Context, id uuid.UUID) (Input, error) {
	return s.load(ctx, s.db.Conn(ctx), id)
}

// load reads input id with what the caller and the services add to it, through tx.
func (s *InputService) load(ctx context.Context, tx *gorm.DB, id uuid.UUID) (Input, error) {
	r, err := s.find(tx, id, false)
	if err != nil {
		return Input{}, err
	}
	out, err := enrich(ctx, tx, []inputRow{r})
	if err != nil {
		return Input{}, err
	}
	return out[0], nil
}

func (s *InputService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (inputRow, error) {
	return database.Take[inputRow](tx, database.LockIf(forUpdate), "consultation input "+id.String(), "id = ?", id)
}

// enrich turns rows into inputs as the caller sees them: whether the caller supports each and
// which active services answer each, for the whole page in one statement.
func enrich(ctx context.Context, tx *gorm.DB, rows []inputRow) ([]Input, error) {
	out := make([]Input, len(rows))
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		out[i], ids[i] = r.input(), r.ID
	}
	if len(rows) == 0 {
		return out, nil
	}
	var extra []struct {
		ID       uuid.UUID
		Mine     bool
		Services pq.StringArray `gorm:"type:uuid[]"`
	}
	if err := tx.Raw(`
		SELECT x.id,
			EXISTS (SELECT 1 FROM consultation_input_supports s WHERE s.input_id = x.id AND s.user_id = ?) AS mine,
			ARRAY (SELECT sv.id FROM services sv WHERE sv.archived_at IS NULL AND sv.input_ids @> ARRAY[x.id]
				ORDER BY sv.code, sv.id) AS services
		FROM unnest(?::uuid[]) AS x(id)`, supporterID(ctx), refs.Array(ids)).Scan(&extra).Error; err != nil {
		return nil, fmt.Errorf("load supports and services of consultation inputs: %w", err)
	}
	at := make(map[uuid.UUID]int, len(out))
	for i, in := range out {
		at[in.ID] = i
	}
	for _, x := range extra {
		in := &out[at[x.ID]]
		in.SupportedByMe, in.ServiceIDs = x.Mine, refs.Parse(x.Services)
	}
	return out, nil
}

// supporterID is who the caller is as a supporter: a person's user id, or "" for anyone who cannot
// support (API clients, the system), who then supports nothing.
func supporterID(ctx context.Context) string {
	if a := actor.From(ctx); a.Kind == actor.User {
		return a.ID
	}
	return ""
}

// inputEvent loads the event an input came from, for its organiser and whether it is archived.
func inputEvent(tx *gorm.DB, id uuid.UUID, lock database.Lock) (eventRow, error) {
	return database.Take[eventRow](tx.Select("id", "organiser_id", "archived_at"), lock, "event "+id.String(), "id = ?", id)
}

// Create stores a new consultation input (marked as demo data when f.Demo) of an active event.
//
// Errors: Forbidden (scoped caller, event organised outside its institution), Unprocessable
// (invalid fields, unknown or archived event), Conflict (external id taken).
func (s *InputService) Create(ctx context.Context, f InputFields) (Input, error) {
	if err := f.Validate(); err != nil {
		return Input{}, err
	}
	var out Input
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		// FOR SHARE: the event cannot be archived while an input is being added to it.
		ev, err := inputEvent(tx, f.EventID, database.ForShare)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Unprocessable, "the event %s does not exist", f.EventID).WithField("event_id", "no such event")
		}
		if err != nil {
			return err
		}
		if ev.ArchivedAt != nil {
			return apperr.New(apperr.Unprocessable, "the event %s is archived", f.EventID).WithField("event_id", "is archived")
		}
		if err := authorizeOrganiser(ctx, s.tree, ev.OrganiserID); err != nil {
			return err
		}
		r := inputRow{ID: uuid.Must(uuid.NewV7()), EventID: f.EventID, Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return translateInput(err, f)
		}
		if out, err = s.load(ctx, tx, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "consultation_input.create", ResourceType: "consultation_input",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// translateInput turns a write's database error into what the caller is told: a taken external
// id is a conflict.
func translateInput(err error, f InputFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == inputExternalIDKey {
		return apperr.New(apperr.Conflict, "a consultation input with external id %s already exists", *f.ExternalID).
			WithField("external_id", "already in use")
	}
	return fmt.Errorf("write consultation input: %w", err)
}

// inputExternalIDKey is the unique constraint on consultation inputs' external ids.
const inputExternalIDKey = "consultation_inputs_external_id_key"

// lock loads input id for a write, locked for update, once the caller may write it (a scoped
// caller only inputs of events its institution's subtree organises) and its version satisfies pre.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (s *InputService) lock(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (inputRow, error) {
	r, err := s.find(tx, id, true)
	if err != nil {
		return r, err
	}
	if actor.From(ctx).ScopedToInstitution() {
		ev, err := inputEvent(tx, r.EventID, database.NoLock)
		if err != nil {
			return r, err
		}
		if err := authorizeOrganiser(ctx, s.tree, ev.OrganiserID); err != nil {
			return r, err
		}
	}
	return r, pre.Check(r.Version)
}

// Update applies change to the current fields of input id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the event and the Demo mark it
// returns are ignored.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, external id taken),
// Unprocessable (invalid result), and whatever change returns.
func (s *InputService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Input) (InputFields, error)) (Input, error) {
	var out Input
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "consultation input %s is archived", id)
		}
		before, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		r.set(f)
		r.Version++
		if err := tx.Model(&inputRow{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return translateInput(err, f)
		}
		if out, err = s.load(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "consultation_input.update", ResourceType: "consultation_input",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes input id. Archiving an archived input changes nothing. Its supports stay,
// but no one can add or withdraw one any more.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (s *InputService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		return archive.Row[inputRow](ctx, tx, "consultation_input", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.load(ctx, tx, id)
			return s.snapshot(after), err
		})
	})
}

// supportable locks input id for a change of its support and returns it as the caller sees it.
// Only people support: an API client or the system has no one to count. Taking the row lock first
// orders every support and withdrawal of one input the same way, so they cannot deadlock.
//
// Errors: Forbidden (not a signed-in person), NotFound (unknown or archived input).
func (s *InputService) supportable(ctx context.Context, tx *gorm.DB, id uuid.UUID) (Input, error) {
	if supporterID(ctx) == "" {
		return Input{}, apperr.New(apperr.Forbidden, "only a signed-in person can support a consultation input")
	}
	r, err := s.find(tx, id, true)
	if err != nil {
		return Input{}, err
	}
	if r.ArchivedAt != nil {
		return Input{}, apperr.New(apperr.NotFound, "consultation input %s not found", id)
	}
	out, err := enrich(ctx, tx, []inputRow{r})
	if err != nil {
		return Input{}, err
	}
	return out[0], nil
}

// Support records that the caller supports input id and counts it, in one transaction. Support
// is not an edit: the input's version (and so its ETag) stays.
//
// Errors: Forbidden (not a signed-in person), NotFound (unknown or archived input), Conflict (the
// caller supports it already).
func (s *InputService) Support(ctx context.Context, id uuid.UUID) (Input, error) {
	var out Input
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		before, err := s.supportable(ctx, tx, id)
		if err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO consultation_input_supports (input_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			id, supporterID(ctx))
		if res.Error != nil {
			return fmt.Errorf("support consultation input %s: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.Conflict, "you already support consultation input %s", id)
		}
		if err := s.count(tx, id, "support + 1"); err != nil {
			return err
		}
		if out, err = s.load(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "consultation_input.support", ResourceType: "consultation_input",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Withdraw removes the caller's support of input id, if there was one, and counts it. Withdrawing
// a support that does not exist changes nothing and records nothing.
//
// Errors: Forbidden (not a signed-in person), NotFound (unknown or archived input).
func (s *InputService) Withdraw(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		before, err := s.supportable(ctx, tx, id)
		if err != nil {
			return err
		}
		res := tx.Exec(`DELETE FROM consultation_input_supports WHERE input_id = ? AND user_id = ?`, id, supporterID(ctx))
		if res.Error != nil {
			return fmt.Errorf("withdraw support of consultation input %s: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		if err := s.count(tx, id, "support - 1"); err != nil {
			return err
		}
		after, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "consultation_input.withdraw_support",
			ResourceType: "consultation_input", ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(after)})
	})
}

// count sets the support of input id to expr (its current support plus or minus one).
func (s *InputService) count(tx *gorm.DB, id uuid.UUID, expr string) error {
	if err := tx.Model(&inputRow{}).Where("id = ?", id).UpdateColumn("support", gorm.Expr(expr)).Error; err != nil {
		return fmt.Errorf("count supports of consultation input %s: %w", id, err)
	}
	return nil
}

// InputFilter narrows InputService.List. Empty values mean "any".
type InputFilter struct {
	Q               string
	EventID         *uuid.UUID
	Countries       []string // raised by residents of any of them
	Themes          []string
	Priorities      []string
	Answered        *bool // whether an active service answers it
	IncludeArchived bool
	OrderBy         string // support, times_raised or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var inputOrders = paging.Orders{
	"support":      {Field: "support", Column: "support", Type: "bigint"},
	"times_raised": {Field: "times_raised", Column: "times_raised", Type: "integer"},
	"created_at":   {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of consultation inputs as the caller sees them and the next page's token
// ("" on the last page), keyset-paged on (order column, id): one statement for the page, one for
// what the caller and the services add to it.
//
// Errors: Invalid (bad page token).
func (s *InputService) List(ctx context.Context, f InputFilter) ([]Input, string, error) {
	conn := s.db.Conn(ctx)
	q := conn.Model(&inputRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.EventID != nil {
		q = q.Where("event_id = ?", *f.EventID)
	}
	if len(f.Countries) > 0 {
		q = q.Where("countries && ?::text[]", pq.StringArray(f.Countries))
	}
	if len(f.Themes) > 0 {
		q = q.Where("theme IN ?", f.Themes)
	}
	if len(f.Priorities) > 0 {
		q = q.Where("priority IN ?", f.Priorities)
	}
	if f.Answered != nil {
		answered := `EXISTS (SELECT 1 FROM services sv WHERE sv.archived_at IS NULL
			AND sv.input_ids @> ARRAY[consultation_inputs.id])`
		if !*f.Answered {
			answered = "NOT " + answered
		}
		q = q.Where(answered)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := inputOrders.Parse(f.OrderBy, "created_at")
	rows, next, err := paging.Page(q, o, "consultation-inputs", f.PageToken, f.PageSize, func(r inputRow) any {
		switch o.Field {
		case "support":
			return r.Support
		case "times_raised":
			return r.TimesRaised
		}
		return r.CreatedAt
	}, func(r inputRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out, err := enrich(ctx, conn, rows)
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}
