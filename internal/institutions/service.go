package institutions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/search"
)

// row maps Institution to its table.
type row struct {
	ID            uuid.UUID
	Code          string
	NameES        *string `gorm:"column:name_es"`
	NameEN        *string `gorm:"column:name_en"`
	Acronym       *string
	Kind          string
	ParentID      *uuid.UUID
	Country       *string
	Tier          string
	Status        string
	EstablishedOn *time.Time `gorm:"type:date"`
	DissolvedOn   *time.Time `gorm:"type:date"`
	DescriptionES *string    `gorm:"column:description_es"`
	DescriptionEN *string    `gorm:"column:description_en"`
	Website       *string
	Demo          bool
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (row) TableName() string { return "institutions" }

func (r row) institution() Institution {
	return Institution{ID: r.ID, Fields: Fields{Code: r.Code, NameES: r.NameES, NameEN: r.NameEN, Acronym: r.Acronym,
		Kind: r.Kind, ParentID: r.ParentID, Country: r.Country, Tier: r.Tier, Status: r.Status,
		EstablishedOn: r.EstablishedOn, DissolvedOn: r.DissolvedOn, DescriptionES: r.DescriptionES,
		DescriptionEN: r.DescriptionEN, Website: r.Website},
		Demo: r.Demo, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *row) set(f Fields) {
	r.Code, r.NameES, r.NameEN, r.Acronym, r.Kind = f.Code, f.NameES, f.NameEN, f.Acronym, f.Kind
	r.ParentID, r.Country, r.Tier, r.Status = f.ParentID, f.Country, f.Tier, f.Status
	r.EstablishedOn, r.DissolvedOn, r.DescriptionES, r.DescriptionEN, r.Website = f.EstablishedOn, f.DissolvedOn, f.DescriptionES, f.DescriptionEN, f.Website
}

// Snapshot renders an institution for the audit trail. The HTTP layer sets it to the API
// representation so that the trail reads like the API.
type Snapshot func(Institution) any

// Service is the institutions application service.
type Service struct {
	db       *database.DB
	snapshot Snapshot
}

// NewService returns a Service over db.
func NewService(db *database.DB, snapshot Snapshot) *Service {
	return &Service{db: db, snapshot: snapshot}
}

// Get returns one institution, archived or not.
//
// Errors: NotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Institution, error) {
	r, err := s.find(s.db.Conn(ctx), id, false)
	if err != nil {
		return Institution{}, err
	}
	return r.institution(), nil
}

func (s *Service) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (row, error) {
	return database.Take[row](tx, database.LockIf(forUpdate), "institution "+id.String(), "id = ?", id)
}

// Create stores a new institution.
//
// Errors: Unprocessable (invalid fields, unknown or archived parent), Conflict (code taken),
// Forbidden (outside the caller's institution).
func (s *Service) Create(ctx context.Context, f Fields) (Institution, error) {
	return s.create(ctx, f, false)
}

// CreateDemo stores a demo institution (marked as such), for the demo data loader.
func (s *Service) CreateDemo(ctx context.Context, f Fields) (Institution, error) {
	return s.create(ctx, f, true)
}

func (s *Service) create(ctx context.Context, f Fields, demo bool) (Institution, error) {
	if err := f.Validate(); err != nil {
		return Institution{}, err
	}
	var out Institution
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if f.ParentID == nil {
			if actor.From(ctx).ScopedToInstitution() {
				return apperr.New(apperr.Forbidden, "you may only create institutions inside your own institution")
			}
		} else {
			if err := lockTree(tx); err != nil {
				return err
			}
			if err := s.checkParent(tx, *f.ParentID); err != nil {
				return err
			}
			if err := s.authorize(ctx, tx, *f.ParentID); err != nil {
				return err
			}
		}
		r := row{ID: uuid.Must(uuid.NewV7()), Demo: demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		// Re-read for the database's timestamps.
		stored, err := s.find(tx, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.institution()
		return audit.Record(ctx, tx, audit.Change{Action: "institution.create", ResourceType: "institution",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of institution id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update.
//
// Errors: NotFound, PreconditionFailed, Conflict (archived, code taken), Unprocessable (invalid
// result, parent cycle, unknown parent), Forbidden, and whatever change returns.
func (s *Service) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Institution) (Fields, error)) (Institution, error) {
	var out Institution
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "institution %s is archived; restore it first", id)
		}
		before := r.institution()
		if err := s.authorize(ctx, tx, id); err != nil {
			return err
		}
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if !sameParent(before.ParentID, f.ParentID) {
			if err := s.checkMove(ctx, tx, id, f.ParentID); err != nil {
				return err
			}
		}
		r.set(f)
		r.Version++
		res := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{
			"code": r.Code, "name_es": r.NameES, "name_en": r.NameEN, "acronym": r.Acronym, "kind": r.Kind,
			"parent_id": r.ParentID, "country": r.Country, "tier": r.Tier, "status": r.Status,
			"established_on": r.EstablishedOn, "dissolved_on": r.DissolvedOn, "description_es": r.DescriptionES,
			"description_en": r.DescriptionEN, "website": r.Website, "version": r.Version, "updated_at": gorm.Expr("now()"),
		})
		if res.Error != nil {
			return s.translate(res.Error, f)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		out = stored.institution()
		return audit.Record(ctx, tx, audit.Change{Action: "institution.update", ResourceType: "institution",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes institution id. Archiving an archived institution changes nothing.
//
// Errors: NotFound, PreconditionFailed, Conflict (it has active children), Forbidden.
func (s *Service) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		if err := s.authorize(ctx, tx, id); err != nil {
			return err
		}
		var children int64
		if err := tx.Model(&row{}).Where("parent_id = ? AND archived_at IS NULL", id).Count(&children).Error; err != nil {
			return fmt.Errorf("count children: %w", err)
		}
		if children > 0 {
			return apperr.New(apperr.Conflict, "institution %s has %d active children; archive or move them first", id, children)
		}
		before := r.institution()
		return archive.Row[row](ctx, tx, "institution", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.institution()), err
		})
	})
}

// Restore undoes Archive. Restoring an institution that is not archived changes nothing.
//
// Errors: NotFound, PreconditionFailed, Unprocessable (its parent is archived), Forbidden.
func (s *Service) Restore(ctx context.Context, id uuid.UUID, pre etag.Precondition) (Institution, error) {
	var out Institution
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		out = r.institution()
		if r.ArchivedAt == nil {
			return nil
		}
		if err := s.authorize(ctx, tx, id); err != nil {
			return err
		}
		if r.ParentID != nil {
			if err := s.checkParent(tx, *r.ParentID); err != nil {
				return err
			}
		}
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{
			"archived_at": nil, "version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error; err != nil {
			return fmt.Errorf("restore institution: %w", err)
		}
		stored, err := s.find(tx, id, false)
		if err != nil {
			return err
		}
		before := out
		out = stored.institution()
		return audit.Record(ctx, tx, audit.Change{Action: "institution.restore", ResourceType: "institution",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

func sameParent(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func (s *Service) checkParent(tx *gorm.DB, parent uuid.UUID) error {
	var p struct{ ArchivedAt *time.Time }
	res := tx.Model(&row{}).Select("archived_at").Where("id = ?", parent).Limit(1).Scan(&p)
	if res.Error != nil {
		return fmt.Errorf("load parent: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.Unprocessable, "parent %s does not exist", parent).WithField("parent_id", "no such institution")
	}
	if p.ArchivedAt != nil {
		return apperr.New(apperr.Unprocessable, "parent %s is archived", parent).WithField("parent_id", "is archived")
	}
	return nil
}

// lockTree serialises the writes that read or change the tree (parent links and whether a
// parent is archived) with a transaction-scoped advisory lock: two concurrent moves could
// otherwise each pass the cycle check and together close a cycle, and a child could be created,
// moved or restored under a parent being archived. Writers take it before any row lock, so that
// they cannot deadlock on each other's rows (a move's foreign-key check locks the new parent).
func lockTree(tx *gorm.DB) error {
	if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('institutions.tree'))`).Error; err != nil {
		return fmt.Errorf("lock tree: %w", err)
	}
	return nil
}

// checkMove refuses a new parent that would put id under itself. The caller holds lockTree.
func (s *Service) checkMove(ctx context.Context, tx *gorm.DB, id uuid.UUID, parent *uuid.UUID) error {
	if parent == nil {
		if actor.From(ctx).ScopedToInstitution() {
			return apperr.New(apperr.Forbidden, "you may not make an institution a root")
		}
		return nil
	}
	if err := s.checkParent(tx, *parent); err != nil {
		return err
	}
	under, err := isWithin(tx, *parent, id)
	if err != nil {
		return err
	}
	if under {
		return apperr.New(apperr.Unprocessable, "moving %s under %s would make it its own ancestor", id, *parent).
			WithField("parent_id", "is the institution itself or one of its descendants")
	}
	return s.authorize(ctx, tx, *parent)
}

// isWithin reports whether node is root or one of root's descendants.
func isWithin(tx *gorm.DB, node, root uuid.UUID) (bool, error) {
	var found bool
	err := tx.Raw(`
		WITH RECURSIVE up AS (
			SELECT id, parent_id FROM institutions WHERE id = ?
			UNION
			SELECT i.id, i.parent_id FROM institutions i JOIN up ON i.id = up.parent_id
		)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = ?)`, node, root).Scan(&found).Error
	if err != nil {
		return false, fmt.Errorf("walk ancestors: %w", err)
	}
	return found, nil
}

// authorize lets editors and partners write only inside their own institution's subtree.
func (s *Service) authorize(ctx context.Context, tx *gorm.DB, target uuid.UUID) error {
	a := actor.From(ctx)
	if !a.ScopedToInstitution() {
		return nil
	}
	if a.InstitutionID == nil {
		return apperr.New(apperr.Forbidden, "your account belongs to no institution, so it may not write institutions")
	}
	ok, err := isWithin(tx, target, *a.InstitutionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "you may only write records of your own institution")
	}
	return nil
}

func (s *Service) translate(err error, f Fields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "institutions_code_key" {
		return apperr.New(apperr.Conflict, "an institution with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "parent does not exist").WithField("parent_id", "no such institution")
	}
	if c, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the institution breaks rule %s", c)
	}
	return fmt.Errorf("write institution %s: %w", f.Code, err)
}

// Ancestors returns the parents of id, root first.
//
// Errors: NotFound.
func (s *Service) Ancestors(ctx context.Context, id uuid.UUID) ([]Institution, error) {
	tx := s.db.Conn(ctx)
	if _, err := s.find(tx, id, false); err != nil {
		return nil, err
	}
	var rows []row
	err := tx.Raw(`
		WITH RECURSIVE up AS (
			SELECT parent_id, 1 AS depth FROM institutions WHERE id = ?
			UNION ALL
			SELECT i.parent_id, up.depth + 1 FROM institutions i JOIN up ON i.id = up.parent_id WHERE up.depth < 64
		)
		SELECT i.* FROM up JOIN institutions i ON i.id = up.parent_id ORDER BY up.depth DESC`, id).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("ancestors of %s: %w", id, err)
	}
	return institutionsOf(rows), nil
}

// Node is an institution in a subtree.
type Node struct {
	Depth int
	Institution
}

// Subtree returns id and its descendants up to maxDepth levels down, depth first with siblings
// by code.
//
// Errors: NotFound.
func (s *Service) Subtree(ctx context.Context, id uuid.UUID, maxDepth int, includeArchived bool) ([]Node, error) {
	tx := s.db.Conn(ctx)
	if _, err := s.find(tx, id, false); err != nil {
		return nil, err
	}
	archived := "AND i.archived_at IS NULL"
	if includeArchived {
		archived = ""
	}
	// row is unexported, so embedded anonymously GORM would skip it and scan only the depth.
	type nodeRow struct {
		Row   row `gorm:"embedded"`
		Depth int
	}
	var rows []nodeRow
	err := tx.Raw(`
		WITH RECURSIVE down AS (
			SELECT id, 0 AS depth, ARRAY[code] AS path FROM institutions WHERE id = ?
			UNION ALL
			SELECT i.id, down.depth + 1, down.path || i.code
			FROM institutions i JOIN down ON i.parent_id = down.id
			WHERE down.depth < ? `+archived+`
		)
		SELECT i.*, down.depth FROM down JOIN institutions i ON i.id = down.id ORDER BY down.path`, id, maxDepth).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("subtree of %s: %w", id, err)
	}
	out := make([]Node, len(rows))
	for i, r := range rows {
		out[i] = Node{Depth: r.Depth, Institution: r.Row.institution()}
	}
	return out, nil
}

func institutionsOf(rows []row) []Institution {
	out := make([]Institution, len(rows))
	for i, r := range rows {
		out[i] = r.institution()
	}
	return out
}

// Filter narrows List. Empty slices and nil pointers mean "any".
type Filter struct {
	Q                                 string
	Kinds, Countries, Tiers, Statuses []string
	ParentID                          *uuid.UUID
	RootsOnly                         bool
	IncludeArchived                   bool
	OrderBy                           string // code, created_at or updated_at, "-" prefixed for descending
	PageSize                          int
	PageToken                         string
}

var orders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	"updated_at": {Field: "updated_at", Column: "updated_at", Type: "timestamptz"},
}

// List returns a page of institutions and the next page's token ("" on the last page). Paging
// is keyset on (order column, id), so rows inserted while a client pages neither repeat nor
// shift the pages it has not read yet.
//
// Errors: Invalid (bad page token).
func (s *Service) List(ctx context.Context, f Filter) ([]Institution, string, error) {
	q := s.db.Conn(ctx).Model(&row{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if len(f.Countries) > 0 {
		q = q.Where("country IN ?", f.Countries)
	}
	if len(f.Tiers) > 0 {
		q = q.Where("tier IN ?", f.Tiers)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.ParentID != nil {
		q = q.Where("parent_id = ?", *f.ParentID)
	}
	if f.RootsOnly {
		q = q.Where("parent_id IS NULL")
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := orders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "institutions", f.PageToken, f.PageSize, func(r row) any {
		switch o.Field {
		case "created_at":
			return r.CreatedAt
		case "updated_at":
			return r.UpdatedAt
		}
		return r.Code
	}, func(r row) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	return institutionsOf(rows), next, nil
}

// ByCode returns the non-archived institution with code, for loaders that refer to parents by
// their natural key.
//
// Errors: NotFound.
func (s *Service) ByCode(ctx context.Context, code string) (Institution, error) {
	var r row
	err := s.db.Conn(ctx).Where("code = ?", code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Institution{}, apperr.New(apperr.NotFound, "institution %s not found", code)
	}
	if err != nil {
		return Institution{}, fmt.Errorf("load institution %s: %w", code, err)
	}
	return r.institution(), nil
}

// Count returns how many institutions exist, archived included.
func (s *Service) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.Conn(ctx).Model(&row{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count institutions: %w", err)
	}
	return n, nil
}

// Within reports whether node is root or lies below it, reading through the transaction in ctx
// when there is one. Other areas use it to limit editors to their institution's subtree.
func (s *Service) Within(ctx context.Context, node, root uuid.UUID) (bool, error) {
	return isWithin(s.db.Conn(ctx), node, root)
}
