package servicemenu

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"golang.org/x/text/language"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// Vocabularies of a service (the contract's ServiceTargetGroup, ServiceChannel, ServiceStatus).
var (
	TargetGroups = []string{"nationals_abroad", "returning_migrants", "students", "entrepreneurs", "workers",
		"associations", "nationals_in_distress", "families_in_peru", "investors", "descendants"}
	Channels = []string{"consulate", "online", "in_person_peru", "phone"}
	Statuses = []string{"existing", "proposed"}
)

// Fields are the parts of a service its users write. Demo marks demo data; only Create reads it
// (the HTTP layer never sets it, and updates keep what is stored).
type Fields struct {
	Code          string
	NameES        *string
	NameEN        *string
	DescriptionES *string
	DescriptionEN *string
	TargetGroups  []string
	ProviderID    *uuid.UUID // the unit that provides it; an existing institution
	Channels      []string
	InstrumentIDs []uuid.UUID // its legal basis as legal instruments; each must exist
	LegalBasisES  *string     // its legal basis in words
	LegalBasisEN  *string
	Status        string
	FeesES        *string
	FeesEN        *string
	Languages     []string    // ISO 639-1 codes
	InputIDs      []uuid.UUID // the consultation inputs it answers; each must exist
	FunctionIDs   []uuid.UUID // the mandate functions that deliver it; each must exist
	Demo          bool
}

// Service is a stored service of the menu.
type Service struct {
	ID uuid.UUID
	Fields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every service obeys, whoever writes it, except that what it refers to
// exists (the Menu checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *Fields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the service is not valid")
	naturalkey.Check(e, "code", f.Code)
	if empty(f.NameES) && empty(f.NameEN) {
		e.WithField("name", "needs a Spanish or an English name")
	}
	if !slices.Contains(Statuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	vocabulary(e, "target_groups", f.TargetGroups, TargetGroups, "unknown target group")
	vocabulary(e, "channels", f.Channels, Channels, "unknown channel")
	for i, l := range f.Languages {
		if msg := languageProblem(l); msg != "" {
			e.WithField("languages."+strconv.Itoa(i), msg)
		}
	}
	repeated(e, "languages", f.Languages)
	repeated(e, "instrument_ids", f.InstrumentIDs)
	repeated(e, "input_ids", f.InputIDs)
	repeated(e, "function_ids", f.FunctionIDs)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func empty(s *string) bool { return s == nil || *s == "" }

// vocabulary names each value of list outside words by its position, and each repeated value.
func vocabulary(e *apperr.Error, field string, list, words []string, unknown string) {
	for i, v := range list {
		if !slices.Contains(words, v) {
			e.WithField(field+"."+strconv.Itoa(i), unknown)
		}
	}
	repeated(e, field, list)
}

// repeated names each value of list that an earlier position already holds.
func repeated[T comparable](e *apperr.Error, field string, list []T) {
	for i, v := range list {
		if slices.Index(list, v) < i {
			e.WithField(field+"."+strconv.Itoa(i), "listed twice")
		}
	}
}

// languageProblem says what is wrong with an ISO 639-1 code, or "" when nothing is. The
// registry is golang.org/x/text's copy of the IANA language subtag registry (kept up to date
// with the module), not a list typed here; codes ISO withdrew in favour of another (iw, in, ji,
// jw, mo) are refused with their replacement, so one language has one code in the menu.
func languageProblem(code string) string {
	if len(code) != 2 {
		return "not an ISO 639-1 code (two lower-case letters)"
	}
	base, err := language.ParseBase(code)
	if err != nil || base.String() != code {
		return "not an ISO 639-1 language"
	}
	tag, err := language.Deprecated.Parse(code)
	if err != nil {
		return "not an ISO 639-1 language"
	}
	if current, _ := tag.Base(); current.String() != code {
		return "a withdrawn code: use " + current.String()
	}
	return ""
}

// serviceRow maps Service to the services table (the generated search column is never written).
type serviceRow struct {
	ID            uuid.UUID
	Code          string
	NameES        *string        `gorm:"column:name_es"`
	NameEN        *string        `gorm:"column:name_en"`
	DescriptionES *string        `gorm:"column:description_es"`
	DescriptionEN *string        `gorm:"column:description_en"`
	TargetGroups  pq.StringArray `gorm:"type:text[]"`
	ProviderID    *uuid.UUID
	Channels      pq.StringArray `gorm:"type:text[]"`
	InstrumentIDs pq.StringArray `gorm:"column:instrument_ids;type:uuid[]"`
	LegalBasisES  *string        `gorm:"column:legal_basis_es"`
	LegalBasisEN  *string        `gorm:"column:legal_basis_en"`
	Status        string
	FeesES        *string        `gorm:"column:fees_es"`
	FeesEN        *string        `gorm:"column:fees_en"`
	Languages     pq.StringArray `gorm:"type:text[]"`
	InputIDs      pq.StringArray `gorm:"column:input_ids;type:uuid[]"`
	FunctionIDs   pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	Demo          bool
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (serviceRow) TableName() string { return "services" }

func (r serviceRow) service() Service {
	f := Fields{Code: r.Code, NameES: r.NameES, NameEN: r.NameEN, DescriptionES: r.DescriptionES,
		DescriptionEN: r.DescriptionEN, TargetGroups: append([]string{}, r.TargetGroups...), ProviderID: r.ProviderID,
		Channels: append([]string{}, r.Channels...), InstrumentIDs: refs.Parse(r.InstrumentIDs), LegalBasisES: r.LegalBasisES,
		LegalBasisEN: r.LegalBasisEN, Status: r.Status, FeesES: r.FeesES, FeesEN: r.FeesEN,
		Languages: append([]string{}, r.Languages...), InputIDs: refs.Parse(r.InputIDs), FunctionIDs: refs.Parse(r.FunctionIDs),
		Demo: r.Demo}
	return Service{ID: r.ID, Fields: f, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ArchivedAt: r.ArchivedAt}
}

func (r *serviceRow) set(f Fields) {
	r.Code, r.NameES, r.NameEN, r.DescriptionES, r.DescriptionEN = f.Code, f.NameES, f.NameEN, f.DescriptionES, f.DescriptionEN
	r.TargetGroups, r.Channels = pq.StringArray(append([]string{}, f.TargetGroups...)), pq.StringArray(append([]string{}, f.Channels...))
	r.ProviderID, r.InstrumentIDs, r.LegalBasisES, r.LegalBasisEN = f.ProviderID, refs.Array(f.InstrumentIDs), f.LegalBasisES, f.LegalBasisEN
	r.Status, r.FeesES, r.FeesEN = f.Status, f.FeesES, f.FeesEN
	r.Languages = pq.StringArray(append([]string{}, f.Languages...))
	r.InputIDs, r.FunctionIDs = refs.Array(f.InputIDs), refs.Array(f.FunctionIDs)
}

// columns are the writable columns of r, for updates.
func (r *serviceRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "name_es": r.NameES, "name_en": r.NameEN, "description_es": r.DescriptionES,
		"description_en": r.DescriptionEN, "target_groups": r.TargetGroups, "provider_id": r.ProviderID,
		"channels": r.Channels, "instrument_ids": r.InstrumentIDs, "legal_basis_es": r.LegalBasisES,
		"legal_basis_en": r.LegalBasisEN, "status": r.Status, "fees_es": r.FeesES, "fees_en": r.FeesEN,
		"languages": r.Languages, "input_ids": r.InputIDs, "function_ids": r.FunctionIDs,
		"version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}

// Menu keeps the menu of services. Editors and partners write only services their own
// institution (or a unit below it) provides; coordinators, admins, importers and the system
// write any.
type Menu struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Service) any
}

// NewMenu returns a Menu over db; tree limits scoped writers to their institution's subtree. The
// audit trail records services in their API representation.
func NewMenu(db *database.DB, tree scope.Tree) *Menu {
	return &Menu{db: db, tree: tree, snapshot: snapshot}
}

// Get returns one service, archived or not.
//
// Errors: NotFound.
func (m *Menu) Get(ctx context.Context, id uuid.UUID) (Service, error) {
	r, err := m.find(m.db.Conn(ctx), id, false)
	if err != nil {
		return Service{}, err
	}
	return r.service(), nil
}

func (m *Menu) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (serviceRow, error) {
	return database.Take[serviceRow](tx, database.LockIf(forUpdate), "service "+id.String(), "id = ?", id)
}

// Create stores a new service (marked as demo data when f.Demo).
//
// Errors: Unprocessable (invalid fields; unknown, archived or dissolved provider; unknown
// instruments, inputs or functions), Forbidden (a scoped caller and a provider outside its
// institution's subtree, or none), Conflict (code taken).
func (m *Menu) Create(ctx context.Context, f Fields) (Service, error) {
	if err := f.Validate(); err != nil {
		return Service{}, err
	}
	var out Service
	err := m.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := checkReferences(tx, f, true); err != nil {
			return err
		}
		if err := m.authorize(ctx, f.ProviderID); err != nil {
			return err
		}
		r := serviceRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return translate(err, f)
		}
		stored, err := m.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.service()
		return audit.Record(ctx, tx, audit.Change{Action: "service.create", ResourceType: "service",
			ResourceID: out.ID.String(), After: m.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of service id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored. A scoped caller must be allowed both the current provider and the new one.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable
// (invalid result, unknown references, a new provider archived or dissolved), and whatever change
// returns.
func (m *Menu) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Service) (Fields, error)) (Service, error) {
	var out Service
	err := m.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := m.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "service %s is archived", id)
		}
		before := r.service()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		// A provider archived or dissolved since the service was written does not block edits
		// of the rest; only choosing one now does.
		moved := !refs.Same(before.ProviderID, f.ProviderID)
		if err := checkReferences(tx, f, moved); err != nil {
			return err
		}
		if moved {
			if err := m.authorize(ctx, f.ProviderID); err != nil {
				return err
			}
		}
		r.set(f)
		r.Version++
		if err := tx.Model(&serviceRow{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return translate(err, f)
		}
		stored, err := m.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.service()
		return audit.Record(ctx, tx, audit.Change{Action: "service.update", ResourceType: "service",
			ResourceID: id.String(), Before: m.snapshot(before), After: m.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes service id. Archiving an archived service changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (m *Menu) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return m.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := m.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.service()
		return archive.Row[serviceRow](ctx, tx, "service", id, r.Version, m.snapshot(before), func() (any, error) {
			after, err := m.find(tx, id, false)
			return m.snapshot(after.service()), err
		})
	})
}

// lock loads service id for update, for a caller allowed to write it, if its version satisfies
// pre.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (m *Menu) lock(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (serviceRow, error) {
	r, err := m.find(tx, id, true)
	if err != nil {
		return r, err
	}
	if err := m.authorize(ctx, r.ProviderID); err != nil {
		return r, err
	}
	return r, pre.Check(r.Version)
}

// authorize lets a scoped caller (editor, partner) write only services provided by its own
// institution or a unit below it; a service with no provider is nobody's, so only unscoped
// callers write it.
//
// Errors: Forbidden.
func (m *Menu) authorize(ctx context.Context, provider *uuid.UUID) error {
	return scope.Authorize(ctx, m.tree, provider, "you may only write services your own institution provides")
}

func translate(err error, f Fields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "services_code_key" {
		return apperr.New(apperr.Conflict, "a service with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the service is not valid")
		switch c {
		case "services_name_present":
			return e.WithField("name", "needs a Spanish or an English name")
		case "services_status_check":
			return e.WithField("status", "unknown status")
		}
		return apperr.New(apperr.Unprocessable, "the service breaks rule %s", c)
	}
	return fmt.Errorf("write service %s: %w", f.Code, err)
}

// checkReferences refuses a provider that does not exist (and, when checkProvider, one archived
// or dissolved) and instruments, consultation inputs and functions that do not exist, naming
// each unknown id by its position. Archived instruments, inputs and functions are still
// referable: archiving keeps what refers to them. Each list costs one statement whatever its
// length; an empty list costs none.
//
// Errors: Unprocessable.
func checkReferences(tx *gorm.DB, f Fields, checkProvider bool) error {
	provider := f.ProviderID
	if !checkProvider {
		provider = nil
	}
	return refs.Check(tx, "the service refers to what does not exist",
		refs.List{Table: "institutions", Field: "provider_id", Missing: "no such institution", ID: provider,
			Refuse: []refs.Rule{refs.Archived, {Where: "status = 'dissolved'", Says: "is dissolved"}}},
		refs.List{Table: "legal_instruments", Field: "instrument_ids", Missing: "no such legal instrument", IDs: f.InstrumentIDs},
		refs.List{Table: "consultation_inputs", Field: "input_ids", Missing: "no such consultation input", IDs: f.InputIDs},
		refs.List{Table: "functions", Field: "function_ids", Missing: "no such function", IDs: f.FunctionIDs})
}

// Filter narrows Menu.List. Empty values mean "any".
type Filter struct {
	Q            string
	Codes        []string // natural keys
	TargetGroups []string // the service is for any of these groups
	Channels     []string // the service is offered through any of these channels
	Statuses     []string
	ProviderID   *uuid.UUID
	InputID      *uuid.UUID // the service answers this consultation input
	FunctionID   *uuid.UUID // this mandate function delivers the service
	Regions      []string   // the service has an active service point in any of these regions
	// HasFunction false keeps the services no active mandate function delivers (the coverage
	// view); true the others. A function is active unless archived or retired: a proposed
	// function counts, as the proposed mandate it belongs to is what would deliver a proposed
	// service.
	HasFunction     *bool
	IncludeArchived bool
	OrderBy         string // code, created_at or updated_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var orders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	"updated_at": {Field: "updated_at", Column: "updated_at", Type: "timestamptz"},
}

// activeFunctions is the array of every active function's id, computed once per statement (an
// InitPlan), so that has_function=true is an overlap the GIN index on function_ids answers.
const activeFunctions = `ARRAY(SELECT id FROM functions WHERE archived_at IS NULL AND status <> 'retired')`

// List returns a page of services and the next page's token ("" on the last page), keyset-paged
// on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (m *Menu) List(ctx context.Context, f Filter) ([]Service, string, error) {
	q := m.db.Conn(ctx).Model(&serviceRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.TargetGroups) > 0 {
		q = q.Where("target_groups && ?::text[]", pq.StringArray(f.TargetGroups))
	}
	if len(f.Channels) > 0 {
		q = q.Where("channels && ?::text[]", pq.StringArray(f.Channels))
	}
	if f.ProviderID != nil {
		q = q.Where("provider_id = ?", *f.ProviderID)
	}
	if f.InputID != nil {
		q = q.Where("input_ids @> ARRAY[?]::uuid[]", f.InputID.String())
	}
	if f.FunctionID != nil {
		q = q.Where("function_ids @> ARRAY[?]::uuid[]", f.FunctionID.String())
	}
	if len(f.Regions) > 0 {
		// Read through the service points' (region, service_id) index of active points.
		q = q.Where(`EXISTS (SELECT 1 FROM service_points sp WHERE sp.service_id = services.id
			AND sp.region = ANY(?::text[]) AND sp.archived_at IS NULL)`, pq.StringArray(f.Regions))
	}
	if f.HasFunction != nil {
		if *f.HasFunction {
			q = q.Where("function_ids && " + activeFunctions)
		} else {
			q = q.Where("NOT (function_ids && " + activeFunctions + ")")
		}
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := orders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "services", f.PageToken, f.PageSize, func(r serviceRow) any {
		switch o.Field {
		case "created_at":
			return r.CreatedAt
		case "updated_at":
			return r.UpdatedAt
		}
		return r.Code
	}, func(r serviceRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Service, len(rows))
	for i, r := range rows {
		out[i] = r.service()
	}
	return out, next, nil
}
