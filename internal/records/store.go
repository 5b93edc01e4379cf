// Package records is the shared life of a record resource whose writes belong to the whole
// action (no institution owns them): validation, reference checks, If-Match, the archived-record
// rule, the audit event in the write's own transaction, and keyset-paged lists. A service embeds
// a Store, so its Get, Create, Update and Archive are the Store's and cannot drift from its
// siblings'.
package records

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

// Base are the columns every record has besides its own. Rows hold it as a named embedded field,
// Base, tagged gorm:"embedded".
type Base struct {
	ID         uuid.UUID
	Demo       bool
	Version    int64
	CreatedAt  time.Time `gorm:"default:now()"`
	UpdatedAt  time.Time `gorm:"default:now()"`
	ArchivedAt *time.Time
}

// Meta is what every stored record carries besides its fields.
type Meta struct {
	ID         uuid.UUID
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Meta returns the record's meta data.
func (m Base) Meta() Meta {
	return Meta{ID: m.ID, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ArchivedAt: m.ArchivedAt}
}

// Store is what the services of such records share. R is the row, T the stored record, F its
// writable fields. Scoped callers (editors, partners) are refused its writes.
type Store[R, T, F any] struct {
	DB       *database.DB
	Table    string // also names the lists' page tokens
	Resource string // audit resource type and action prefix, e.g. "activity"
	What     string // how messages name one, e.g. "expected result"
	Plural   string // how the refusal to scoped callers names them
	Base     func(R) Base
	Decode   func(R) T
	// Build makes the row of f with the meta columns m (its id, demo mark and version).
	Build func(f F, m Base) (R, error)
	// Columns are the writable columns of a row, for updates (the store adds version and
	// updated_at).
	Columns func(R) map[string]any
	// Validate checks f and may normalise it (it gets a pointer for that).
	Validate func(*F) error
	// Check refuses what f refers to and may not (before is nil on create).
	Check func(tx *gorm.DB, f F, before *T) error
	// Translate turns a database refusal of f into an apperr.
	Translate func(err error, f F) error
	Demo      func(F) bool
	Snapshot  func(T) any
	// Complete fills what a record's representation computes on reading (counts, derived
	// dates) for a batch of records at once; Get, Create, Update and List apply it. Nil: nothing
	// is computed.
	Complete func(ctx context.Context, items []T) error
}

// Completed applies Complete to one record.
func (s Store[R, T, F]) Completed(ctx context.Context, x T) (T, error) {
	if s.Complete == nil {
		return x, nil
	}
	one := []T{x}
	err := s.Complete(ctx, one)
	return one[0], err
}

// Find loads record id, locked for update when forUpdate.
//
// Errors: NotFound.
func (s Store[R, T, F]) Find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (R, error) {
	return database.Take[R](tx, database.LockIf(forUpdate), s.What+" "+id.String(), "id = ?", id)
}

// lock loads record id for a write, locked for update, once its version satisfies pre.
//
// Errors: NotFound, PreconditionFailed.
func (s Store[R, T, F]) lock(tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (R, Base, error) {
	r, err := s.Find(tx, id, true)
	if err != nil {
		return r, Base{}, err
	}
	m := s.Base(r)
	return r, m, pre.Check(m.Version)
}

// Get returns one record, archived or not.
//
// Errors: NotFound.
func (s Store[R, T, F]) Get(ctx context.Context, id uuid.UUID) (T, error) {
	r, err := s.Find(s.DB.Conn(ctx), id, false)
	if err != nil {
		var zero T
		return zero, err
	}
	return s.Completed(ctx, s.Decode(r))
}

// Create stores a new record of f, marked as demo data when f says so.
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields, what it refers to does not
// exist or is archived), Conflict (code taken).
func (s Store[R, T, F]) Create(ctx context.Context, f F) (T, error) {
	var out T
	if err := scope.RequireUnscoped(ctx, s.Plural); err != nil {
		return out, err
	}
	if err := s.Validate(&f); err != nil {
		return out, err
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := s.Check(tx, f, nil); err != nil {
			return err
		}
		r, err := s.Build(f, Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
		if err != nil {
			return err
		}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.Translate(err, f)
		}
		stored, err := s.Find(tx, s.Base(r).ID, false)
		if err != nil {
			return err
		}
		out = s.Decode(stored)
		return audit.Record(ctx, tx, audit.Change{Action: s.Resource + ".create", ResourceType: s.Resource,
			ResourceID: s.Base(r).ID.String(), After: s.Snapshot(out)})
	})
	if err != nil {
		return out, err
	}
	return s.Completed(ctx, out)
}

// Update applies change to the current fields of record id, if its version satisfies pre. change
// runs inside the transaction, on the row locked for update; the demo mark it returns is ignored.
// What the record already referred to is not checked again: archiving what it refers to keeps
// the record editable.
//
// Errors: Forbidden (scoped caller), NotFound, PreconditionFailed, Conflict (archived, code
// taken), Unprocessable (invalid result, what it newly refers to does not exist or is archived),
// and whatever change returns.
func (s Store[R, T, F]) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(T) (F, error)) (T, error) {
	var out T
	if err := scope.RequireUnscoped(ctx, s.Plural); err != nil {
		return out, err
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, m, err := s.lock(tx, id, pre)
		if err != nil {
			return err
		}
		if m.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "%s %s is archived", s.What, id)
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
		next, err := s.Build(f, m)
		if err != nil {
			return err
		}
		cols := s.Columns(next)
		cols["version"], cols["updated_at"] = m.Version+1, gorm.Expr("now()")
		if err := tx.Model(new(R)).Where("id = ?", id).Updates(cols).Error; err != nil {
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
	if err != nil {
		return out, err
	}
	return s.Completed(ctx, out)
}

// Archive soft-deletes record id. Archiving an archived record changes nothing.
//
// Errors: Forbidden (scoped caller), NotFound, PreconditionFailed.
func (s Store[R, T, F]) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, s.Plural); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, m, err := s.lock(tx, id, pre)
		if err != nil || m.ArchivedAt != nil {
			return err
		}
		return archive.Row[R](ctx, tx, s.Resource, id, m.Version, s.Snapshot(s.Decode(r)), func() (any, error) {
			after, err := s.Find(tx, id, false)
			return s.Snapshot(s.Decode(after)), err
		})
	})
}

// Page is what every list takes besides its own filters.
type Page struct {
	Codes           []string // only these codes
	IncludeArchived bool
	OrderBy         string // one of the list's orders, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

// List returns a page of the rows q selects, narrowed by p, and the next page's token ("" on the
// last page), keyset-paged on (order column, id) in one statement. The orders are code,
// created_at and a start date; key reads a row's code and start date (zero when it has none).
//
// Errors: Invalid (bad page token).
func (s Store[R, T, F]) List(q *gorm.DB, p Page, orders paging.Orders, def string, key func(R) (string, time.Time)) ([]T, string, error) {
	if !p.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(p.Codes) > 0 {
		q = q.Where("code IN ?", p.Codes)
	}
	o := orders.Parse(p.OrderBy, def)
	rows, next, err := paging.Page(q, o, s.Table, p.PageToken, p.PageSize, func(r R) any {
		code, start := key(r)
		switch o.Field {
		case "code":
			return code
		case "created_at":
			return s.Base(r).CreatedAt
		}
		return start.Format(time.DateOnly)
	}, func(r R) uuid.UUID { return s.Base(r).ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = s.Decode(r)
	}
	if s.Complete != nil && len(out) > 0 {
		if err := s.Complete(q.Statement.Context, out); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// Refused turns the database's refusal of a write into the error its caller can act on: a taken
// code (constraint unique) is a 409 on field code, a broken check constraint the 422 checks maps
// it to (or a generic one). Anything else is unexpected and wrapped.
//
// Errors: Conflict, Unprocessable.
func Refused(err error, what, code, unique string, checks map[string][2]string) error {
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
