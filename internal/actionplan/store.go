package actionplan

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/scope"
)

// rowMeta are the columns every record of the plan has besides its own. Rows hold it as a named
// embedded field (Base): GORM skips an anonymous field of an unexported type.
type rowMeta struct {
	ID         uuid.UUID
	Demo       bool
	Version    int64
	CreatedAt  time.Time `gorm:"default:now()"`
	UpdatedAt  time.Time `gorm:"default:now()"`
	ArchivedAt *time.Time
}

// Meta is what every stored record of the plan carries besides its fields.
type Meta struct {
	ID         uuid.UUID
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

func (m rowMeta) meta() Meta {
	return Meta{ID: m.ID, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ArchivedAt: m.ArchivedAt}
}

// store is what the services of the action, its results and its activities share — the refusal
// of scoped callers, validation, reference checks, If-Match, the archived-record rule, the audit
// event in the write's own transaction, and keyset-paged lists — so the three cannot drift apart.
// Each service embeds one, so its Get, Create, Update and Archive are the store's. R is the row,
// T the stored record, F its writable fields.
type store[R, T, F any] struct {
	db       *database.DB
	table    string // also names the lists' page tokens
	resource string // audit resource type and action prefix, e.g. "activity"
	what     string // how messages name one, e.g. "expected result"
	plural   string // how the refusal to scoped callers names them
	meta     func(R) rowMeta
	decode   func(R) T
	// build makes the row of f with the meta columns m (its id, demo mark and version).
	build func(f F, m rowMeta) (R, error)
	// columns are the writable columns of a row, for updates (the store adds version and
	// updated_at).
	columns func(R) map[string]any
	// validate checks f and may normalise it (it gets a pointer for that).
	validate func(*F) error
	// check refuses what f refers to and may not (before is nil on create).
	check func(tx *gorm.DB, f F, before *T) error
	// translate turns a database refusal of f into an apperr.
	translate func(err error, f F) error
	demo      func(F) bool
	snapshot  func(T) any
}

func (s store[R, T, F]) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (R, error) {
	return database.Take[R](tx, database.LockIf(forUpdate), s.what+" "+id.String(), "id = ?", id)
}

// lock loads record id for a write, locked for update, once its version satisfies pre.
//
// Errors: NotFound, PreconditionFailed.
func (s store[R, T, F]) lock(tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (R, rowMeta, error) {
	r, err := s.find(tx, id, true)
	if err != nil {
		return r, rowMeta{}, err
	}
	m := s.meta(r)
	return r, m, pre.Check(m.Version)
}

// Get returns one record, archived or not.
//
// Errors: NotFound.
func (s store[R, T, F]) Get(ctx context.Context, id uuid.UUID) (T, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		var zero T
		return zero, err
	}
	return s.decode(r), nil
}

// Create stores a new record of f, marked as demo data when f says so.
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields, what it refers to does not
// exist or is archived), Conflict (code taken).
func (s store[R, T, F]) Create(ctx context.Context, f F) (T, error) {
	var out T
	if err := scope.RequireUnscoped(ctx, s.plural); err != nil {
		return out, err
	}
	if err := s.validate(&f); err != nil {
		return out, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := s.check(tx, f, nil); err != nil {
			return err
		}
		r, err := s.build(f, rowMeta{ID: uuid.Must(uuid.NewV7()), Demo: s.demo(f), Version: 1})
		if err != nil {
			return err
		}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, s.meta(r).ID, false)
		if err != nil {
			return err
		}
		out = s.decode(stored)
		return audit.Record(ctx, tx, audit.Change{Action: s.resource + ".create", ResourceType: s.resource,
			ResourceID: s.meta(r).ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of record id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the demo mark it returns is ignored.
// What the record already referred to is not checked again: archiving what it refers to keeps
// the record editable.
//
// Errors: Forbidden (scoped caller), NotFound, PreconditionFailed, Conflict (archived, code
// taken), Unprocessable (invalid result, what it newly refers to does not exist or is archived),
// and whatever change returns.
func (s store[R, T, F]) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(T) (F, error)) (T, error) {
	var out T
	if err := scope.RequireUnscoped(ctx, s.plural); err != nil {
		return out, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, m, err := s.lock(tx, id, pre)
		if err != nil {
			return err
		}
		if m.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "%s %s is archived", s.what, id)
		}
		before := s.decode(r)
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := s.validate(&f); err != nil {
			return err
		}
		if err := s.check(tx, f, &before); err != nil {
			return err
		}
		next, err := s.build(f, m)
		if err != nil {
			return err
		}
		cols := s.columns(next)
		cols["version"], cols["updated_at"] = m.Version+1, gorm.Expr("now()")
		if err := tx.Model(new(R)).Where("id = ?", id).Updates(cols).Error; err != nil {
			return s.translate(err, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = s.decode(stored)
		return audit.Record(ctx, tx, audit.Change{Action: s.resource + ".update", ResourceType: s.resource,
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes record id. Archiving an archived record changes nothing.
//
// Errors: Forbidden (scoped caller), NotFound, PreconditionFailed.
func (s store[R, T, F]) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, s.plural); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, m, err := s.lock(tx, id, pre)
		if err != nil || m.ArchivedAt != nil {
			return err
		}
		return archive.Row[R](ctx, tx, s.resource, id, m.Version, s.snapshot(s.decode(r)), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(s.decode(after)), err
		})
	})
}

// Page is what every list of the plan takes besides its own filters.
type Page struct {
	Codes           []string // only these codes
	IncludeArchived bool
	OrderBy         string // one of the list's orders, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

// list returns a page of the rows q selects, narrowed by p, and the next page's token ("" on the
// last page), keyset-paged on (order column, id) in one statement. The orders are code,
// created_at and a start date; key reads a row's code and start date (zero when it has none).
//
// Errors: Invalid (bad page token).
func (s store[R, T, F]) list(q *gorm.DB, p Page, orders paging.Orders, def string, key func(R) (string, time.Time)) ([]T, string, error) {
	if !p.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(p.Codes) > 0 {
		q = q.Where("code IN ?", p.Codes)
	}
	o := orders.Parse(p.OrderBy, def)
	rows, next, err := paging.Page(q, o, s.table, p.PageToken, p.PageSize, func(r R) any {
		code, start := key(r)
		switch o.Field {
		case "code":
			return code
		case "created_at":
			return s.meta(r).CreatedAt
		}
		return start.Format(time.DateOnly)
	}, func(r R) uuid.UUID { return s.meta(r).ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = s.decode(r)
	}
	return out, next, nil
}

// planOrders are the orders of the lists with a start date.
var planOrders = paging.Orders{
	"start_date": {Field: "start_date", Column: "start_date", Type: "date"},
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// refused turns the database's refusal of a write into the error its caller can act on: a taken
// code (constraint unique) is a 409 on field code, a broken check constraint the 422 checks maps
// it to (or a generic one). Anything else is unexpected and wrapped.
//
// Errors: Conflict, Unprocessable.
func refused(err error, what, code, unique string, checks map[string][2]string) error {
	if c, ok := database.UniqueViolation(err); ok && c == unique {
		return apperr.New(apperr.Conflict, "%s code %s is already in use", what, code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok {
		if fm, ok := checks[c]; ok {
			return apperr.New(apperr.Unprocessable, "the %s is not valid", what).WithField(fm[0], fm[1])
		}
		return apperr.New(apperr.Unprocessable, "the %s breaks one of its rules", what)
	}
	return fmt.Errorf("write %s %s: %w", what, code, err)
}
