package territory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
	"github.com/puente-mre/puente/internal/servicemenu"
)

// Bounds of a service point's texts, as the contract's.
const (
	maxAddress = 300
	maxNotes   = 2000
)

// PointFields are the parts of a service point its users write. Demo marks demo data; only Create
// reads it (the HTTP layer never sets it, and updates keep what is stored).
type PointFields struct {
	ServiceID  uuid.UUID // a service of the menu
	Region     string    // INEI UBIGEO department code, 01–25
	ProviderID uuid.UUID // the institution that delivers it there
	Channel    string    // one of servicemenu.Channels
	Address    *string
	Notes      *string
	Demo       bool
}

// Point is a stored service point: where a service of the menu is delivered locally.
type Point struct {
	records.Meta
	PointFields
}

// Validate checks the rules every service point obeys, whoever writes it, except that its
// service and provider exist and are active (the service checks that against the database). An
// empty or blank address or note is no address or note.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *PointFields) Validate() error {
	f.Address, f.Notes = blankless(f.Address), blankless(f.Notes)
	e := apperr.New(apperr.Unprocessable, "the service point is not valid")
	if f.ServiceID == uuid.Nil {
		e.WithField("service_id", "is required")
	}
	if f.ProviderID == uuid.Nil {
		e.WithField("provider_id", "is required")
	}
	if !IsRegion(f.Region) {
		e.WithField("region", "not a region: an INEI UBIGEO department code from 01 to 25")
	}
	if !slices.Contains(servicemenu.Channels, f.Channel) {
		e.WithField("channel", "unknown channel")
	}
	if f.Address != nil && utf8.RuneCountInString(*f.Address) > maxAddress {
		e.WithField("address", fmt.Sprintf("at most %d characters", maxAddress))
	}
	if f.Notes != nil && utf8.RuneCountInString(*f.Notes) > maxNotes {
		e.WithField("notes", fmt.Sprintf("at most %d characters", maxNotes))
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// blankless is s, or nil when s is missing or only white space.
func blankless(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

// pointRow maps Point to the service_points table (the generated search column is never
// written).
type pointRow struct {
	Base       records.Base `gorm:"embedded"`
	ServiceID  uuid.UUID
	Region     string
	ProviderID uuid.UUID
	Channel    string
	Address    *string
	Notes      *string
}

func (pointRow) TableName() string { return "service_points" }

func (r pointRow) point() Point {
	return Point{Meta: r.Base.Meta(), PointFields: PointFields{ServiceID: r.ServiceID, Region: r.Region, ProviderID: r.ProviderID,
		Channel: r.Channel, Address: r.Address, Notes: r.Notes, Demo: r.Base.Demo}}
}

func newPointRow(f PointFields, m records.Base) (pointRow, error) {
	return pointRow{Base: m, ServiceID: f.ServiceID, Region: f.Region, ProviderID: f.ProviderID, Channel: f.Channel,
		Address: f.Address, Notes: f.Notes}, nil
}

func (r pointRow) columns() map[string]any {
	return map[string]any{"service_id": r.ServiceID, "region": r.Region, "provider_id": r.ProviderID, "channel": r.Channel,
		"address": r.Address, "notes": r.Notes}
}

// Points keeps the service points. Coordinators, admins, importers and the system write any;
// editors and partners only those their own institution (or a unit below it) provides — before
// and after the write. That is why it is not a records.Store, whose writes refuse scoped callers:
// it wraps one for its rules (validate, build, check, translate, lists) and does the writes
// itself, with the provider's scope checked inside each write's transaction.
type Points struct {
	store records.Store[pointRow, Point, PointFields]
	tree  scope.Tree
}

// NewPoints returns Points over db; tree limits scoped writers to their institution's subtree.
// The audit trail records service points in their API representation.
func NewPoints(db *database.DB, tree scope.Tree) *Points {
	return &Points{tree: tree, store: pointStore(db)}
}

// pointStore is the records.Store of service points: their rules, in one place for the service
// and the importer.
func pointStore(db *database.DB) records.Store[pointRow, Point, PointFields] {
	return records.Store[pointRow, Point, PointFields]{
		DB: db, Table: "service_points", Resource: "service_point", What: "service point", Plural: "service points",
		Base: func(r pointRow) records.Base { return r.Base }, Decode: pointRow.point, Build: newPointRow,
		Columns: pointRow.columns, Validate: (*PointFields).Validate, Check: checkPointReferences,
		Translate: translatePoint, Demo: func(f PointFields) bool { return f.Demo }, Snapshot: pointSnapshot,
	}
}

// Get returns one service point, archived or not.
//
// Errors: NotFound.
func (p *Points) Get(ctx context.Context, id uuid.UUID) (Point, error) { return p.store.Get(ctx, id) }

// Create stores a new service point (marked as demo data when f.Demo).
//
// Errors: Unprocessable (invalid fields; unknown or archived service; unknown, archived or
// inactive provider), Forbidden (a scoped caller and a provider outside its institution's
// subtree), Conflict (the service already has a point in that region by that provider through
// that channel).
func (p *Points) Create(ctx context.Context, f PointFields) (Point, error) {
	var out Point
	s := p.store
	if err := s.Validate(&f); err != nil {
		return out, err
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := s.Check(tx, f, nil); err != nil {
			return err
		}
		if err := p.authorize(ctx, &f.ProviderID); err != nil {
			return err
		}
		r, err := s.Build(f, records.Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
		if err != nil {
			return err
		}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.Translate(err, f)
		}
		stored, err := s.Find(tx, r.Base.ID, false)
		if err != nil {
			return err
		}
		out = s.Decode(stored)
		return audit.Record(ctx, tx, audit.Change{Action: s.Resource + ".create", ResourceType: s.Resource,
			ResourceID: out.ID.String(), After: s.Snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of service point id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored. A scoped caller must be allowed both the current provider and the new one. What the
// point already referred to is not checked again: archiving its service keeps it editable.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, a duplicate),
// Unprocessable (invalid result, a new reference unknown, archived or inactive), and whatever
// change returns.
func (p *Points) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Point) (PointFields, error)) (Point, error) {
	var out Point
	s := p.store
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := p.lock(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		if r.Base.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "service point %s is archived", id)
		}
		before := s.Decode(r)
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := s.Validate(&f); err != nil {
			return err
		}
		if err := s.Check(tx, f, &before); err != nil {
			return err
		}
		if f.ProviderID != before.ProviderID {
			if err := p.authorize(ctx, &f.ProviderID); err != nil {
				return err
			}
		}
		next, err := s.Build(f, r.Base)
		if err != nil {
			return err
		}
		cols := s.Columns(next)
		cols["version"], cols["updated_at"] = r.Base.Version+1, gorm.Expr("now()")
		if err := tx.Model(new(pointRow)).Where("id = ?", id).Updates(cols).Error; err != nil {
			return s.Translate(err, f)
		}
		stored, err := s.Find(tx, id, false)
		if err != nil {
			return err
		}
		out = s.Decode(stored)
		return audit.Record(ctx, tx, audit.Change{Action: s.Resource + ".update", ResourceType: s.Resource,
			ResourceID: id.String(), Before: s.Snapshot(before), After: s.Snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes service point id. Archiving an archived point changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed.
func (p *Points) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	s := p.store
	return s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := p.lock(ctx, tx, id, pre)
		if err != nil || r.Base.ArchivedAt != nil {
			return err
		}
		return archive.Row[pointRow](ctx, tx, s.Resource, id, r.Base.Version, s.Snapshot(s.Decode(r)), func() (any, error) {
			after, err := s.Find(tx, id, false)
			return s.Snapshot(s.Decode(after)), err
		})
	})
}

// lock loads service point id for update, for a caller allowed to write it, if its version
// satisfies pre.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (p *Points) lock(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (pointRow, error) {
	r, err := p.store.Find(tx, id, true)
	if err != nil {
		return r, err
	}
	if err := p.authorize(ctx, &r.ProviderID); err != nil {
		return r, err
	}
	return r, pre.Check(r.Base.Version)
}

// authorize lets a scoped caller (editor, partner) write only the points its own institution or
// a unit below it provides.
//
// Errors: Forbidden.
func (p *Points) authorize(ctx context.Context, provider *uuid.UUID) error {
	return scope.Authorize(ctx, p.tree, provider, "you may only write service points your own institution provides")
}

// checkPointReferences refuses a service that does not exist or is archived and a provider that
// does not exist, is archived or is not active (dissolved, or only proposed). A reference an
// update leaves as it was is not checked again. Both cost one statement each at most.
//
// Errors: Unprocessable.
func checkPointReferences(tx *gorm.DB, f PointFields, before *Point) error {
	service, provider := &f.ServiceID, &f.ProviderID
	if before != nil && before.ServiceID == f.ServiceID {
		service = nil
	}
	if before != nil && before.ProviderID == f.ProviderID {
		provider = nil
	}
	return refs.Check(tx, "the service point refers to what does not exist or is not active",
		refs.List{Table: "services", Field: "service_id", Missing: "no such service", ID: service,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "institutions", Field: "provider_id", Missing: "no such institution", ID: provider,
			Refuse: providerRules})
}

// providerRules are why an existing institution may not newly provide a service point.
var providerRules = []refs.Rule{refs.Archived, {Where: "status = 'dissolved'", Says: "is dissolved"},
	{Where: "status <> 'active'", Says: "is not active"}}

// translatePoint turns the database's refusal of a write of f into the error its caller can act
// on: a duplicate is a 409, a broken check constraint a 422 on its field.
//
// Errors: Conflict, Unprocessable.
func translatePoint(err error, f PointFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "service_points_key" {
		return apperr.New(apperr.Conflict, "%s", duplicateMessage(f))
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the service point is not valid")
		switch c {
		case "service_points_region_check":
			return e.WithField("region", "not a region: an INEI UBIGEO department code from 01 to 25")
		case "service_points_channel_check":
			return e.WithField("channel", "unknown channel")
		}
		return apperr.New(apperr.Unprocessable, "the service point breaks rule %s", c)
	}
	return fmt.Errorf("write service point: %w", err)
}

// duplicateMessage says what a duplicate of f is.
func duplicateMessage(f PointFields) string {
	if f.ServiceID == uuid.Nil {
		return "the service already has a point in that region by that provider through that channel"
	}
	return fmt.Sprintf("service %s already has a point in region %s by provider %s through channel %s",
		f.ServiceID, f.Region, f.ProviderID, f.Channel)
}

// PointFilter narrows Points.List. Empty values mean "any".
type PointFilter struct {
	Q               string // over the address and the notes
	ServiceID       *uuid.UUID
	Regions         []string
	ProviderID      *uuid.UUID
	Channels        []string
	IncludeArchived bool
	OrderBy         string // region (the default) or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var pointOrders = paging.Orders{
	"region":     {Field: "region", Column: "region", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of service points and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (p *Points) List(ctx context.Context, f PointFilter) ([]Point, string, error) {
	q := p.store.DB.Conn(ctx).Model(&pointRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.ServiceID != nil {
		q = q.Where("service_id = ?", *f.ServiceID)
	}
	if len(f.Regions) > 0 {
		q = q.Where("region = ANY(?::text[])", pq.StringArray(f.Regions))
	}
	if f.ProviderID != nil {
		q = q.Where("provider_id = ?", *f.ProviderID)
	}
	if len(f.Channels) > 0 {
		q = q.Where("channel = ANY(?::text[])", pq.StringArray(f.Channels))
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := pointOrders.Parse(f.OrderBy, "region")
	rows, next, err := paging.Page(q, o, p.store.Table, f.PageToken, f.PageSize, func(r pointRow) any {
		if o.Field == "created_at" {
			return r.Base.CreatedAt
		}
		return r.Region
	}, func(r pointRow) uuid.UUID { return r.Base.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Point, len(rows))
	for i, r := range rows {
		out[i] = r.point()
	}
	return out, next, nil
}
