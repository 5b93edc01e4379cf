package mandates

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// Assignment roles (RACI) and bases.
var (
	AssignmentRoles = []string{"responsible", "accountable", "consulted", "informed"}
	AssignmentBases = []string{"de_jure", "de_facto"}
)

// AssignmentFields are the parts of an assignment its writers set. FunctionID is fixed once
// the assignment exists: to move a function, archive the assignment and create another.
type AssignmentFields struct {
	FunctionID, InstitutionID uuid.UUID
	Role, Basis               string
	InstrumentID              *uuid.UUID
	Article, Evidence, Notes  *string
}

// Assignment says that, in a scenario, a unit holds a function in a role, on a basis.
type Assignment struct {
	ID         uuid.UUID
	ScenarioID uuid.UUID
	AssignmentFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every assignment obeys, whoever writes it: a de jure assignment
// cites an instrument, a de facto one says what shows it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *AssignmentFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the assignment is not valid")
	if f.FunctionID == uuid.Nil {
		e.WithField("function_id", "is required")
	}
	if f.InstitutionID == uuid.Nil {
		e.WithField("institution_id", "is required")
	}
	if !slices.Contains(AssignmentRoles, f.Role) {
		e.WithField("role", "unknown role")
	}
	switch f.Basis {
	case "de_jure":
		if f.InstrumentID == nil {
			e.WithField("instrument_id", "a de jure assignment must cite the legal instrument that grounds it")
		}
	case "de_facto":
		if scenarioBlank(f.Evidence) {
			e.WithField("evidence", "a de facto assignment must say what shows the practice")
		}
	default:
		e.WithField("basis", "unknown basis")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// assignmentRow maps Assignment to its table.
type assignmentRow struct {
	ID            uuid.UUID
	ScenarioID    uuid.UUID
	FunctionID    uuid.UUID
	InstitutionID uuid.UUID
	Role          string
	Basis         string
	InstrumentID  *uuid.UUID
	Article       *string
	Evidence      *string
	Notes         *string
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (assignmentRow) TableName() string { return "mandate_assignments" }

func (r assignmentRow) assignment() Assignment {
	return Assignment{ID: r.ID, ScenarioID: r.ScenarioID, AssignmentFields: AssignmentFields{FunctionID: r.FunctionID,
		InstitutionID: r.InstitutionID, Role: r.Role, Basis: r.Basis, InstrumentID: r.InstrumentID, Article: r.Article,
		Evidence: r.Evidence, Notes: r.Notes}, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

// AssignmentService is the assignments application service. Editors write only assignments of
// units in their own institution's subtree.
type AssignmentService struct {
	db        *database.DB
	authorize func(ctx context.Context, unit *uuid.UUID) error
	snapshot  func(Assignment) any
}

// NewAssignmentService returns an AssignmentService over db; tree limits editors to their subtree.
func NewAssignmentService(db *database.DB, tree scope.Tree) *AssignmentService {
	h := &Handlers{db: db, tree: tree}
	return &AssignmentService{db: db, authorize: h.authorizeUnit, snapshot: assignmentSnapshot}
}

// Get returns assignment id of scenario scenarioID, archived or not.
//
// Errors: NotFound (also when the assignment belongs to another scenario).
func (s *AssignmentService) Get(ctx context.Context, scenarioID, id uuid.UUID) (Assignment, error) {
	r, err := findAssignment(s.db.Conn(ctx), scenarioID, id, false)
	if err != nil {
		return Assignment{}, err
	}
	return r.assignment(), nil
}

func findAssignment(tx *gorm.DB, scenarioID, id uuid.UUID, forUpdate bool) (assignmentRow, error) {
	return database.Take[assignmentRow](tx, database.LockIf(forUpdate), fmt.Sprintf("assignment %s in mandate scenario %s", id, scenarioID),
		"id = ? AND scenario_id = ?", id, scenarioID)
}

// draftScenario loads scenario id for an assignment write and refuses it unless it is an
// active draft. The row stays locked FOR SHARE until the write commits, so that an adoption
// (which locks it FOR UPDATE) cannot slip between the check and the write.
//
// Errors: NotFound, Conflict.
func draftScenario(tx *gorm.DB, id uuid.UUID) error {
	r, err := findScenario(tx, id, database.ForShare)
	if err != nil {
		return err
	}
	return r.editable()
}

// assignmentRefs names the referenced rows to check; nil ones are not checked.
type assignmentRefs struct {
	function, institution, instrument *uuid.UUID
}

// check verifies, in one statement, that each named row exists and is not archived.
//
// Errors: Unprocessable naming each bad field.
func (refs assignmentRefs) check(tx *gorm.DB) error {
	if refs.function == nil && refs.institution == nil && refs.instrument == nil {
		return nil
	}
	var got struct {
		Function, Institution, Instrument *bool
	}
	err := tx.Raw(`SELECT
			(SELECT archived_at IS NULL FROM functions WHERE id = ?) AS function,
			(SELECT archived_at IS NULL FROM institutions WHERE id = ?) AS institution,
			(SELECT archived_at IS NULL FROM legal_instruments WHERE id = ?) AS instrument`,
		refs.function, refs.institution, refs.instrument).Scan(&got).Error
	if err != nil {
		return fmt.Errorf("check assignment references: %w", err)
	}
	e := apperr.New(apperr.Unprocessable, "the assignment refers to records that do not exist or are archived")
	for _, c := range []struct {
		field, what string
		id          *uuid.UUID
		active      *bool
	}{
		{"function_id", "function", refs.function, got.Function},
		{"institution_id", "institution", refs.institution, got.Institution},
		{"instrument_id", "legal instrument", refs.instrument, got.Instrument},
	} {
		switch {
		case c.id == nil:
		case c.active == nil:
			e.WithField(c.field, "no such "+c.what)
		case !*c.active:
			e.WithField(c.field, "the "+c.what+" is archived")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// assignmentWriteError carries a failed INSERT or UPDATE out of its transaction, to be explained
// once the transaction (or savepoint) has rolled back and the connection can query again.
type assignmentWriteError struct{ err error }

func (e *assignmentWriteError) Error() string { return "write assignment: " + e.err.Error() }
func (e *assignmentWriteError) Unwrap() error { return e.err }

// Create stores a new assignment in draft scenario scenarioID.
//
// Errors: NotFound (scenario), Conflict (scenario archived or adopted; the unit already holds
// the function; the function already has an accountable unit), Unprocessable (invalid fields,
// unknown or archived function, institution or instrument), Forbidden (unit outside the
// caller's subtree).
func (s *AssignmentService) Create(ctx context.Context, scenarioID uuid.UUID, f AssignmentFields) (Assignment, error) {
	if err := f.Validate(); err != nil {
		return Assignment{}, err
	}
	var out Assignment
	r := assignmentRow{ID: uuid.Must(uuid.NewV7()), ScenarioID: scenarioID, Version: 1}
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := draftScenario(tx, scenarioID); err != nil {
			return err
		}
		if err := (assignmentRefs{&f.FunctionID, &f.InstitutionID, f.InstrumentID}).check(tx); err != nil {
			return err
		}
		if err := s.authorize(ctx, &f.InstitutionID); err != nil {
			return err
		}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return &assignmentWriteError{err}
		}
		stored, err := findAssignment(tx, scenarioID, r.ID, false)
		if err != nil {
			return err
		}
		out = stored.assignment()
		return audit.Record(ctx, tx, audit.Change{Action: "mandate_assignment.create", ResourceType: "mandate_assignment",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	if err != nil {
		return Assignment{}, s.translate(ctx, scenarioID, r.ID, f, err)
	}
	return out, nil
}

func (r *assignmentRow) set(f AssignmentFields) {
	r.FunctionID, r.InstitutionID, r.Role, r.Basis = f.FunctionID, f.InstitutionID, f.Role, f.Basis
	r.InstrumentID, r.Article, r.Evidence, r.Notes = f.InstrumentID, f.Article, f.Evidence, f.Notes
}

// Update applies change to the current fields of assignment id of draft scenario scenarioID, if
// its version satisfies pre. change runs inside the transaction, on the row locked for update.
// Only references that change are checked for existence; the function cannot change.
//
// Errors: NotFound, PreconditionFailed, Conflict (scenario archived or adopted, assignment
// archived, duplicate cell, second accountable), Unprocessable, Forbidden (current or new unit
// outside the caller's subtree), and whatever change returns.
func (s *AssignmentService) Update(ctx context.Context, scenarioID, id uuid.UUID, pre etag.Precondition, change func(Assignment) (AssignmentFields, error)) (Assignment, error) {
	var out Assignment
	var f AssignmentFields
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := draftScenario(tx, scenarioID); err != nil {
			return err
		}
		r, err := findAssignment(tx, scenarioID, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "assignment %s is archived", id)
		}
		before := r.assignment()
		if err := s.authorize(ctx, &before.InstitutionID); err != nil {
			return err
		}
		if f, err = change(before); err != nil {
			return err
		}
		if f.FunctionID != before.FunctionID {
			return apperr.New(apperr.Unprocessable, "an assignment's function cannot change").
				WithField("function_id", "cannot change; archive the assignment and create another")
		}
		if err := f.Validate(); err != nil {
			return err
		}
		var refs assignmentRefs
		if f.InstitutionID != before.InstitutionID {
			refs.institution = &f.InstitutionID
		}
		if f.InstrumentID != nil && (before.InstrumentID == nil || *f.InstrumentID != *before.InstrumentID) {
			refs.instrument = f.InstrumentID
		}
		if err := refs.check(tx); err != nil {
			return err
		}
		if refs.institution != nil {
			if err := s.authorize(ctx, refs.institution); err != nil {
				return err
			}
		}
		if err := tx.Model(&assignmentRow{}).Where("id = ?", id).Updates(map[string]any{
			"institution_id": f.InstitutionID, "role": f.Role, "basis": f.Basis, "instrument_id": f.InstrumentID,
			"article": f.Article, "evidence": f.Evidence, "notes": f.Notes,
			"version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error; err != nil {
			return &assignmentWriteError{err}
		}
		stored, err := findAssignment(tx, scenarioID, id, false)
		if err != nil {
			return err
		}
		out = stored.assignment()
		return audit.Record(ctx, tx, audit.Change{Action: "mandate_assignment.update", ResourceType: "mandate_assignment",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	if err != nil {
		return Assignment{}, s.translate(ctx, scenarioID, id, f, err)
	}
	return out, nil
}

// Archive removes assignment id from draft scenario scenarioID (soft delete; the history stays).
// Archiving an archived assignment changes nothing.
//
// Errors: NotFound, PreconditionFailed, Conflict (scenario archived or adopted), Forbidden.
func (s *AssignmentService) Archive(ctx context.Context, scenarioID, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := draftScenario(tx, scenarioID); err != nil {
			return err
		}
		r, err := findAssignment(tx, scenarioID, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		before := r.assignment()
		if err := s.authorize(ctx, &before.InstitutionID); err != nil {
			return err
		}
		return archive.Row[assignmentRow](ctx, tx, "mandate_assignment", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := findAssignment(tx, scenarioID, id, false)
			return s.snapshot(after.assignment()), err
		})
	})
}

// translate explains a failed write. Unique violations name the assignment already holding the
// cell, or the unit already accountable for the function; they are looked up here, after the
// write's transaction (or savepoint) has rolled back. self is the written assignment's id.
func (s *AssignmentService) translate(ctx context.Context, scenarioID, self uuid.UUID, f AssignmentFields, err error) error {
	var w *assignmentWriteError
	if !errors.As(err, &w) {
		return err
	}
	db := s.db.Conn(ctx)
	if c, ok := database.UniqueViolation(err); ok {
		switch c {
		case "mandate_assignments_cell_key":
			var existing []uuid.UUID
			if err := db.Model(&assignmentRow{}).Where(
				"scenario_id = ? AND function_id = ? AND institution_id = ? AND archived_at IS NULL AND id <> ?",
				scenarioID, f.FunctionID, f.InstitutionID, self).Limit(1).Pluck("id", &existing).Error; err != nil {
				return fmt.Errorf("find the conflicting assignment: %w", err)
			}
			e := apperr.New(apperr.Conflict, "the unit already holds this function in this scenario")
			if len(existing) > 0 {
				e = apperr.New(apperr.Conflict, "the unit already holds this function in this scenario: assignment %s", existing[0])
			}
			return e.WithField("institution_id", "already assigned this function")
		case "mandate_assignments_accountable_key":
			var existing []struct {
				ID   uuid.UUID
				Code string
			}
			if err := db.Raw(`SELECT a.id, i.code FROM mandate_assignments a JOIN institutions i ON i.id = a.institution_id
				WHERE a.scenario_id = ? AND a.function_id = ? AND a.role = 'accountable' AND a.archived_at IS NULL AND a.id <> ?
				LIMIT 1`, scenarioID, f.FunctionID, self).Scan(&existing).Error; err != nil {
				return fmt.Errorf("find the accountable assignment: %w", err)
			}
			e := apperr.New(apperr.Conflict, "the function already has an accountable unit in this scenario")
			if len(existing) > 0 {
				e = apperr.New(apperr.Conflict, "the function already has an accountable unit in this scenario: %s (assignment %s)",
					existing[0].Code, existing[0].ID)
			}
			return e.WithField("role", "only one unit may be accountable for a function")
		}
	}
	if c, ok := database.ForeignKeyViolation(err); ok {
		field := map[string]string{
			"mandate_assignments_function_id_fkey":    "function_id",
			"mandate_assignments_institution_id_fkey": "institution_id",
			"mandate_assignments_instrument_id_fkey":  "instrument_id",
		}[c]
		if field == "" {
			return apperr.New(apperr.NotFound, "mandate scenario %s not found", scenarioID)
		}
		return apperr.New(apperr.Unprocessable, "the assignment refers to a record that does not exist").WithField(field, "does not exist")
	}
	if c, ok := database.CheckViolation(err); ok {
		if c == "mandate_assignments_de_jure_cites" {
			return apperr.New(apperr.Unprocessable, "a de jure assignment must cite a legal instrument").
				WithField("instrument_id", "is required for a de jure assignment")
		}
		return apperr.New(apperr.Unprocessable, "the assignment breaks rule %s", c)
	}
	return err
}

// AssignmentFilter narrows List. Empty slices and nil pointers mean "any".
type AssignmentFilter struct {
	FunctionID, InstitutionID *uuid.UUID
	Roles, Bases              []string
	IncludeArchived           bool
	PageSize                  int
	PageToken                 string
}

var assignmentOrder = paging.Order{Field: "created_at", Column: "created_at", Type: "timestamptz"}

// List returns a page of the assignments of scenario scenarioID, oldest first, and the next
// page's token ("" on the last page).
//
// Errors: NotFound (scenario), Invalid (bad page token).
func (s *AssignmentService) List(ctx context.Context, scenarioID uuid.UUID, f AssignmentFilter) ([]Assignment, string, error) {
	db := s.db.Conn(ctx)
	if _, err := findScenario(db, scenarioID, database.NoLock); err != nil {
		return nil, "", err
	}
	q := db.Model(&assignmentRow{}).Where("scenario_id = ?", scenarioID)
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.FunctionID != nil {
		q = q.Where("function_id = ?", *f.FunctionID)
	}
	if f.InstitutionID != nil {
		q = q.Where("institution_id = ?", *f.InstitutionID)
	}
	if len(f.Roles) > 0 {
		q = q.Where("role IN ?", f.Roles)
	}
	if len(f.Bases) > 0 {
		q = q.Where("basis IN ?", f.Bases)
	}
	rows, next, err := paging.Page(q, assignmentOrder, "mandate_assignments:"+scenarioID.String(), f.PageToken, f.PageSize,
		func(r assignmentRow) any { return r.CreatedAt }, func(r assignmentRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Assignment, len(rows))
	for i, r := range rows {
		out[i] = r.assignment()
	}
	return out, next, nil
}
