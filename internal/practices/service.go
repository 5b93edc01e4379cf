package practices

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
)

// Service keeps the practice library.
//
// Who sees what: editorial roles (admins, coordinators, editors, importers) and the system see
// every practice; everyone else only published ones, except that a partner also sees the
// practices its own institution's subtree implements, which are the ones it may write — so a
// partner can follow its own draft through review. What is not visible is not found.
//
// Who writes what: practices:write holders (the validator checks the scope) may write; editors
// and partners only practices implemented inside their own institution's subtree. Writers who
// cannot review edit and archive drafts only: once submitted, a practice changes through the
// workflow, and a reviewer (practices:review: coordinators, admins) must send it back first
// (403 meanwhile: it is the reviewers' to change). Reviewers may correct a practice in any
// status; a correction to a published practice keeps it published (the audit trail records it).
type Service struct {
	db       *database.DB
	tree     scope.Tree
	snapshot func(Practice) any
}

// NewService returns a Service over db. tree limits scoped writers to their subtree. The audit
// trail records practices in their API representation.
func NewService(db *database.DB, tree scope.Tree) *Service {
	return &Service{db: db, tree: tree, snapshot: snapshot}
}

// editorial reports whether a sees practices in every editorial status.
func editorial(a actor.Actor) bool {
	return a.Kind == actor.System || a.HasRole(actor.Admin) || a.HasRole(actor.Coordinator) ||
		a.HasRole(actor.Editor) || a.HasRole(actor.Importer)
}

// reviewer reports whether a may validate, publish, send back and withdraw practices.
func reviewer(a actor.Actor) bool {
	return a.Kind == actor.System || a.HasScope(auth.ScopePracticesReview)
}

// ownerPartner is the institution whose subtree's unpublished practices a sees, when a is a
// partner without an editorial role.
func ownerPartner(a actor.Actor) *uuid.UUID {
	if editorial(a) || !a.HasRole(actor.Partner) {
		return nil
	}
	return a.InstitutionID
}

// visible reports whether the caller may see r.
func (s *Service) visible(ctx context.Context, r row) (bool, error) {
	a := actor.From(ctx)
	if r.Status == "published" || editorial(a) {
		return true, nil
	}
	root := ownerPartner(a)
	if root == nil || r.InstitutionID == nil {
		return false, nil
	}
	return s.tree.Within(ctx, *r.InstitutionID, *root)
}

// authorize lets a scoped caller (editor, partner) write only practices implemented by its own
// institution or a unit below it; unscoped callers pass.
//
// Errors: Forbidden.
func (s *Service) authorize(ctx context.Context, institution *uuid.UUID) error {
	return scope.Authorize(ctx, s.tree, institution, "you may only write practices your own institution implements")
}

func (s *Service) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (row, error) {
	return database.Take[row](tx, database.LockIf(forUpdate), "practice "+id.String(), "id = ?", id)
}

// findVisible loads practice id (locked for update when asked) if the caller may see it.
//
// Errors: NotFound.
func (s *Service) findVisible(ctx context.Context, tx *gorm.DB, id uuid.UUID, forUpdate bool) (row, error) {
	r, err := s.find(tx, id, forUpdate)
	if err != nil {
		return row{}, err
	}
	ok, err := s.visible(ctx, r)
	if err != nil {
		return row{}, err
	}
	if !ok {
		return row{}, apperr.New(apperr.NotFound, "practice %s not found", id)
	}
	return r, nil
}

// lock loads practice id locked for update and checks that the caller may change it: it sees
// it, it may write its institution's practices, and its version satisfies pre.
//
// Errors: NotFound, Forbidden, PreconditionFailed.
func (s *Service) lock(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (row, error) {
	r, err := s.findVisible(ctx, tx, id, true)
	if err != nil {
		return row{}, err
	}
	if err := s.authorize(ctx, r.InstitutionID); err != nil {
		return row{}, err
	}
	if err := pre.Check(r.Version); err != nil {
		return row{}, err
	}
	return r, nil
}

// lockLive is lock, refusing an archived practice.
//
// Errors: NotFound, Forbidden, PreconditionFailed, Conflict.
func (s *Service) lockLive(ctx context.Context, tx *gorm.DB, id uuid.UUID, pre etag.Precondition) (row, error) {
	r, err := s.lock(ctx, tx, id, pre)
	if err == nil && r.ArchivedAt != nil {
		err = apperr.New(apperr.Conflict, "practice %s is archived", r.ID)
	}
	return r, err
}

// editable returns r as a practice if the caller may edit or archive it: writers who cannot
// review change drafts only.
//
// Errors: Forbidden.
func editable(ctx context.Context, r row) (Practice, error) {
	if r.Status != "draft" && !reviewer(actor.From(ctx)) {
		return Practice{}, apperr.New(apperr.Forbidden, "practice %s is %s: only reviewers change it now; ask one to send it back to draft", r.ID, r.Status)
	}
	return r.practice()
}

// Get returns one practice, archived or not, if the caller may see it.
//
// Errors: NotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Practice, error) {
	r, err := s.findVisible(ctx, s.db.Conn(ctx), id, false)
	if err != nil {
		return Practice{}, err
	}
	return r.practice()
}

// Create stores a new practice as a draft (marked as demo data when f.Demo).
//
// Errors: Forbidden (scoped caller, institution outside its subtree), Unprocessable (invalid
// fields, unknown institutions), Conflict (code taken).
func (s *Service) Create(ctx context.Context, f Fields) (Practice, error) {
	if err := s.authorize(ctx, f.InstitutionID); err != nil {
		return Practice{}, err
	}
	if err := f.Validate(); err != nil {
		return Practice{}, err
	}
	var out Practice
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := checkInstitutions(tx, f); err != nil {
			return err
		}
		r := row{ID: uuid.Must(uuid.NewV7()), Status: "draft", Demo: f.Demo, Version: 1}
		if err := r.set(f); err != nil {
			return err
		}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return translate(err, f)
		}
		var err error
		if out, err = s.reload(tx, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "practice.create", ResourceType: "practice",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

func (s *Service) reload(tx *gorm.DB, id uuid.UUID) (Practice, error) {
	r, err := s.find(tx, id, false)
	if err != nil {
		return Practice{}, err
	}
	return r.practice()
}

// Update applies change to the current fields of practice id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the Demo mark it returns is
// ignored, and the status stays as it is. Scoped callers must be allowed both the current and
// the new implementing institution.
//
// Errors: NotFound (or not visible), Forbidden (outside the caller's subtree, or under review or
// published and the caller cannot review), PreconditionFailed, Conflict (archived, code taken),
// Unprocessable (invalid result, unknown institutions), and whatever change returns.
func (s *Service) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Practice) (Fields, error)) (Practice, error) {
	var out Practice
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lockLive(ctx, tx, id, pre)
		if err != nil {
			return err
		}
		before, err := editable(ctx, r)
		if err != nil {
			return err
		}
		f, err := change(before)
		if err != nil {
			return err
		}
		if !refs.Same(before.InstitutionID, f.InstitutionID) {
			if err := s.authorize(ctx, f.InstitutionID); err != nil {
				return err
			}
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := checkInstitutions(tx, f); err != nil {
			return err
		}
		if err := r.set(f); err != nil {
			return err
		}
		r.Version++
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(r.columns()).Error; err != nil {
			return translate(err, f)
		}
		if out, err = s.reload(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "practice.update", ResourceType: "practice",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes practice id. Archiving an archived practice changes nothing.
//
// Errors: NotFound (or not visible), Forbidden (outside the caller's subtree, or under review or
// published and the caller cannot review), PreconditionFailed.
func (s *Service) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.lock(ctx, tx, id, pre)
		if err != nil || r.ArchivedAt != nil {
			return err
		}
		before, err := editable(ctx, r)
		if err != nil {
			return err
		}
		return archive.Row[row](ctx, tx, "practice", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.reload(tx, id)
			return s.snapshot(after), err
		})
	})
}

func translate(err error, f Fields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "practices_code_key" {
		return apperr.New(apperr.Conflict, "a practice with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.CheckViolation(err); ok {
		e := apperr.New(apperr.Unprocessable, "the practice is not valid")
		switch c {
		case "practices_title_present":
			return e.WithField("title", "needs a Spanish or an English title")
		case "practices_national_country":
			return e.WithField("country", "a national practice, and only a national one, has a country")
		case "practices_period_order":
			return e.WithField("period_end", "is before period_start")
		case "practices_gcm_range":
			return e.WithField("gcm_objectives", "the Global Compact has objectives 1 to 23")
		}
		return apperr.New(apperr.Unprocessable, "the practice breaks rule %s", c)
	}
	return fmt.Errorf("write practice %s: %w", f.Code, err)
}

// checkInstitutions refuses an implementing institution or partners that do not exist (archived
// ones are still referable: a practice records what an institution did), naming each unknown id
// by its field. One statement whatever the number of partners.
//
// Errors: Unprocessable.
func checkInstitutions(tx *gorm.DB, f Fields) error {
	return refs.Check(tx, "the practice refers to institutions that do not exist",
		refs.List{Table: "institutions", Field: "institution_id", Missing: "no such institution", ID: f.InstitutionID},
		refs.List{Table: "institutions", Field: "partner_ids", Missing: "no such institution", IDs: f.PartnerIDs})
}
