package blueprint

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
)

// BlueprintFields are the parts of a blueprint its users write. Demo marks demo data; only
// CreateBlueprint reads it.
type BlueprintFields struct {
	Code             string
	TitleES, TitleEN *string
	DeliverableID    *uuid.UUID // the deliverable (of type blueprint) this document is
	Demo             bool
}

// Blueprint is a stored blueprint: the header of a structured document of chapters and articles.
type Blueprint struct {
	ID uuid.UUID
	BlueprintFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every blueprint obeys except that its deliverable exists.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *BlueprintFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the blueprint is not valid")
	naturalkey.Check(e, "code", f.Code)
	if blank(f.TitleES) && blank(f.TitleEN) {
		e.WithField("title", "needs a Spanish or an English title")
	}
	return fieldErrors(e)
}

// blank reports whether an optional text is absent or only spaces.
func blank(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }

// fieldErrors is e when it names a field, else nil.
func fieldErrors(e *apperr.Error) error {
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

type blueprintRow struct {
	ID            uuid.UUID
	Code          string
	TitleES       *string `gorm:"column:title_es"`
	TitleEN       *string `gorm:"column:title_en"`
	DeliverableID *uuid.UUID
	Demo          bool
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (blueprintRow) TableName() string { return "blueprints" }

func (r blueprintRow) blueprint() Blueprint {
	return Blueprint{ID: r.ID, BlueprintFields: BlueprintFields{Code: r.Code, TitleES: r.TitleES, TitleEN: r.TitleEN,
		DeliverableID: r.DeliverableID, Demo: r.Demo}, Version: r.Version, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *blueprintRow) set(f BlueprintFields) {
	r.Code, r.TitleES, r.TitleEN, r.DeliverableID = f.Code, f.TitleES, f.TitleEN, f.DeliverableID
}

func findBlueprint(tx *gorm.DB, id uuid.UUID, lock database.Lock) (blueprintRow, error) {
	return database.Take[blueprintRow](tx, lock, "blueprint "+id.String(), "id = ?", id)
}

// TextService keeps the current text of blueprints: the blueprints themselves, their chapters
// and articles, and the comments and suggestions co-drafting produces.
//
// Who writes: the blueprint is the document of the deliverable it is linked to, so unscoped
// writers (coordinators, admins, importers, the system) write any blueprint, and editors only
// blueprints whose deliverable's owner unit lies in their own institution's subtree (a blueprint
// with no deliverable, or a deliverable with no owner, is theirs to read and comment only).
// Anyone who reads deliverables may comment and suggest.
//
// Every write that changes the structure (creating, archiving or reordering chapters and
// articles) first locks the blueprint row, so that concurrent writes keep positions dense.
type TextService struct {
	db   *database.DB
	tree scope.Tree
}

// NewTextService returns a TextService over db; tree decides editors' subtrees.
func NewTextService(db *database.DB, tree scope.Tree) *TextService {
	return &TextService{db: db, tree: tree}
}

// Blueprint returns one blueprint, archived or not.
//
// Errors: NotFound.
func (s *TextService) Blueprint(ctx context.Context, id uuid.UUID) (Blueprint, error) {
	r, err := findBlueprint(s.db.Conn(ctx), id, database.NoLock)
	return r.blueprint(), err
}

const blueprintRefusal = "editors write only blueprints of deliverables owned by their unit or one below it"

// authorizeDeliverable lets the caller write a blueprint linked to deliverable (nil: none).
// Unscoped callers cost no statement.
//
// Errors: Forbidden.
func (s *TextService) authorizeDeliverable(ctx context.Context, tx *gorm.DB, deliverable *uuid.UUID) error {
	if !actor.From(ctx).ScopedToInstitution() {
		return nil
	}
	var d struct{ OwnerUnitID *uuid.UUID }
	if deliverable != nil {
		if err := tx.Raw(`SELECT owner_unit_id FROM deliverables WHERE id = ?`, *deliverable).Scan(&d).Error; err != nil {
			return fmt.Errorf("load deliverable %s: %w", *deliverable, err)
		}
	}
	return scope.Authorize(ctx, s.tree, d.OwnerUnitID, blueprintRefusal)
}

// authorizeBlueprint lets the caller write the text of blueprint id (see TextService).
//
// Errors: Forbidden.
func (s *TextService) authorizeBlueprint(ctx context.Context, tx *gorm.DB, id uuid.UUID) error {
	if !actor.From(ctx).ScopedToInstitution() {
		return nil
	}
	var d struct{ OwnerUnitID *uuid.UUID }
	err := tx.Raw(`SELECT d.owner_unit_id FROM blueprints b JOIN deliverables d ON d.id = b.deliverable_id WHERE b.id = ?`, id).
		Scan(&d).Error
	if err != nil {
		return fmt.Errorf("load owner of blueprint %s: %w", id, err)
	}
	return scope.Authorize(ctx, s.tree, d.OwnerUnitID, blueprintRefusal)
}

// CreateBlueprint stores a new blueprint (marked demo when f.Demo).
//
// Errors: Forbidden (editor outside the deliverable's owner unit), Unprocessable (invalid fields,
// unknown, archived or non-blueprint deliverable), Conflict (code taken).
func (s *TextService) CreateBlueprint(ctx context.Context, f BlueprintFields) (Blueprint, error) {
	if err := f.Validate(); err != nil {
		return Blueprint{}, err
	}
	var out Blueprint
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := blueprintCheckDeliverable(tx, f.DeliverableID); err != nil {
			return err
		}
		if err := s.authorizeDeliverable(ctx, tx, f.DeliverableID); err != nil {
			return err
		}
		r := blueprintRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return blueprintTranslate(err, f)
		}
		stored, err := findBlueprint(tx, r.ID, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.blueprint()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint.create", ResourceType: "blueprint",
			ResourceID: out.ID.String(), After: blueprintSnapshot(out)})
	})
	return out, err
}

// UpdateBlueprint applies change to blueprint id if its version satisfies pre. Re-linking it to
// another deliverable needs the right to write both.
//
// Errors: NotFound, PreconditionFailed, Conflict (archived, code taken), Forbidden,
// Unprocessable, and whatever change returns.
func (s *TextService) UpdateBlueprint(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Blueprint) (BlueprintFields, error)) (Blueprint, error) {
	var out Blueprint
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findBlueprint(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "blueprint %s is archived", id)
		}
		if err := s.authorizeDeliverable(ctx, tx, r.DeliverableID); err != nil {
			return err
		}
		before := r.blueprint()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if !refs.Same(f.DeliverableID, r.DeliverableID) {
			if err := blueprintCheckDeliverable(tx, f.DeliverableID); err != nil {
				return err
			}
			if err := s.authorizeDeliverable(ctx, tx, f.DeliverableID); err != nil {
				return err
			}
		}
		r.set(f)
		err = tx.Model(&blueprintRow{}).Where("id = ?", id).Updates(map[string]any{
			"code": r.Code, "title_es": r.TitleES, "title_en": r.TitleEN, "deliverable_id": r.DeliverableID,
			"version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error
		if err != nil {
			return blueprintTranslate(err, f)
		}
		stored, err := findBlueprint(tx, id, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.blueprint()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint.update", ResourceType: "blueprint",
			ResourceID: id.String(), Before: blueprintSnapshot(before), After: blueprintSnapshot(out)})
	})
	return out, err
}

// ArchiveBlueprint soft-deletes blueprint id; its text stays readable (its outline, versions and
// export), but no longer changes. Archiving an archived blueprint changes nothing.
//
// Errors: NotFound, PreconditionFailed, Forbidden.
func (s *TextService) ArchiveBlueprint(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findBlueprint(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		if err := s.authorizeDeliverable(ctx, tx, r.DeliverableID); err != nil {
			return err
		}
		return archive.Row[blueprintRow](ctx, tx, "blueprint", id, r.Version, blueprintSnapshot(r.blueprint()), func() (any, error) {
			after, err := findBlueprint(tx, id, database.NoLock)
			return blueprintSnapshot(after.blueprint()), err
		})
	})
}

// blueprintCheckDeliverable refuses a deliverable that does not exist, is archived or is not a
// blueprint (a blueprint is the text of a blueprint deliverable, nothing else).
//
// Errors: Unprocessable.
func blueprintCheckDeliverable(tx *gorm.DB, deliverable *uuid.UUID) error {
	return refs.Check(tx, "the blueprint refers to what does not exist",
		refs.List{Table: "deliverables", Field: "deliverable_id", Missing: "no such deliverable", ID: deliverable,
			Refuse: []refs.Rule{refs.Archived, {Where: "type <> 'blueprint'", Says: "is not a blueprint deliverable"}}})
}

func blueprintTranslate(err error, f BlueprintFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "blueprints_code_key" {
		return apperr.New(apperr.Conflict, "a blueprint with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok && c == "blueprints_title_present" {
		return apperr.New(apperr.Unprocessable, "the blueprint is not valid").WithField("title", "needs a Spanish or an English title")
	}
	return fmt.Errorf("write blueprint %s: %w", f.Code, err)
}

// BlueprintFilter narrows ListBlueprints. Empty values mean "any".
type BlueprintFilter struct {
	Codes           []string
	DeliverableID   *uuid.UUID
	IncludeArchived bool
	OrderBy         string // code or created_at, "-" prefixed for descending
	PageSize        int
	PageToken       string
}

var blueprintOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// ListBlueprints returns a page of blueprints and the next page's token, in one statement.
//
// Errors: Invalid (bad page token).
func (s *TextService) ListBlueprints(ctx context.Context, f BlueprintFilter) ([]Blueprint, string, error) {
	q := s.db.Conn(ctx).Model(&blueprintRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if f.DeliverableID != nil {
		q = q.Where("deliverable_id = ?", *f.DeliverableID)
	}
	o := blueprintOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "blueprints", f.PageToken, f.PageSize, func(r blueprintRow) any {
		if o.Field == "created_at" {
			return r.CreatedAt
		}
		return r.Code
	}, func(r blueprintRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Blueprint, len(rows))
	for i, r := range rows {
		out[i] = r.blueprint()
	}
	return out, next, nil
}
