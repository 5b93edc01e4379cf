package mandates

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
	"github.com/puente-mre/puente/internal/scope"
)

// Scenario kinds and statuses.
var (
	ScenarioKinds    = []string{"as_is", "proposed"}
	ScenarioStatuses = []string{"draft", "adopted"}
)

// ScenarioFields are the parts of a scenario its writers set. Demo is honoured on create only.
type ScenarioFields struct {
	Code          string
	NameES        *string
	NameEN        *string
	DescriptionES *string
	DescriptionEN *string
	Kind          string
	Demo          bool
}

// Scenario is a stored distribution of functions among units: the as-is one or a proposal.
// A draft is edited freely; adoption freezes it and its assignments.
type Scenario struct {
	ID uuid.UUID
	ScenarioFields
	Status       string
	CopiedFromID *uuid.UUID
	AdoptedAt    *time.Time
	AdoptedBy    *string
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ArchivedAt   *time.Time
}

// Validate checks the rules every scenario obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *ScenarioFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the scenario is not valid")
	naturalkey.Check(e, "code", f.Code)
	if scenarioBlank(f.NameES) && scenarioBlank(f.NameEN) {
		e.WithField("name", "needs a Spanish or an English name")
	}
	if !slices.Contains(ScenarioKinds, f.Kind) {
		e.WithField("kind", "unknown kind")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func scenarioBlank(s *string) bool { return s == nil || *s == "" }

// scenarioRow maps Scenario to its table.
type scenarioRow struct {
	ID            uuid.UUID
	Code          string
	NameES        *string `gorm:"column:name_es"`
	NameEN        *string `gorm:"column:name_en"`
	DescriptionES *string `gorm:"column:description_es"`
	DescriptionEN *string `gorm:"column:description_en"`
	Kind          string
	Status        string
	CopiedFromID  *uuid.UUID
	AdoptedAt     *time.Time
	AdoptedBy     *string
	Demo          bool
	Version       int64
	CreatedAt     time.Time `gorm:"default:now()"`
	UpdatedAt     time.Time `gorm:"default:now()"`
	ArchivedAt    *time.Time
}

func (scenarioRow) TableName() string { return "mandate_scenarios" }

func (r scenarioRow) scenario() Scenario {
	return Scenario{ID: r.ID, ScenarioFields: ScenarioFields{Code: r.Code, NameES: r.NameES, NameEN: r.NameEN,
		DescriptionES: r.DescriptionES, DescriptionEN: r.DescriptionEN, Kind: r.Kind, Demo: r.Demo},
		Status: r.Status, CopiedFromID: r.CopiedFromID, AdoptedAt: r.AdoptedAt, AdoptedBy: r.AdoptedBy,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

// ScenarioService is the scenarios application service. Only unscoped callers (coordinators,
// admins, importers, the system) write scenarios.
type ScenarioService struct {
	db       *database.DB
	snapshot func(Scenario) any
}

// NewScenarioService returns a ScenarioService over db.
func NewScenarioService(db *database.DB) *ScenarioService {
	return &ScenarioService{db: db, snapshot: scenarioSnapshot}
}

// Get returns one scenario, archived or not.
//
// Errors: NotFound.
func (s *ScenarioService) Get(ctx context.Context, id uuid.UUID) (Scenario, error) {
	r, err := findScenario(s.db.Conn(ctx), id, database.NoLock)
	if err != nil {
		return Scenario{}, err
	}
	return r.scenario(), nil
}

// findScenario loads scenario id, locked with lock ("UPDATE", "SHARE" or "" for none).
func findScenario(tx *gorm.DB, id uuid.UUID, lock database.Lock) (scenarioRow, error) {
	return database.Take[scenarioRow](tx, lock, "mandate scenario "+id.String(), "id = ?", id)
}

// editable refuses changes to an archived or an adopted scenario.
//
// Errors: Conflict.
func (r scenarioRow) editable() error {
	if r.ArchivedAt != nil {
		return apperr.New(apperr.Conflict, "mandate scenario %s is archived", r.ID)
	}
	if r.Status == "adopted" {
		return apperr.New(apperr.Conflict, "mandate scenario %s is adopted and therefore read-only", r.ID)
	}
	return nil
}

// Create stores a new draft scenario. With copyFrom, every active assignment of that scenario is
// copied into the new one (new ids, same cells, roles, bases and notes) in the same transaction.
//
// Errors: Forbidden (scoped caller), Unprocessable (invalid fields, unknown or archived
// copyFrom), Conflict (code taken).
func (s *ScenarioService) Create(ctx context.Context, f ScenarioFields, copyFrom *uuid.UUID) (Scenario, error) {
	if err := scope.RequireUnscoped(ctx, "mandate scenarios"); err != nil {
		return Scenario{}, err
	}
	if err := f.Validate(); err != nil {
		return Scenario{}, err
	}
	var out Scenario
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if copyFrom != nil {
			// Shared: the source cannot be adopted or edited as a scenario meanwhile.
			src, err := findScenario(tx, *copyFrom, database.ForShare)
			if apperr.Is(err, apperr.NotFound) {
				return apperr.New(apperr.Unprocessable, "mandate scenario %s does not exist", *copyFrom).
					WithField("copy_from_id", "no such scenario")
			}
			if err != nil {
				return err
			}
			if src.ArchivedAt != nil {
				return apperr.New(apperr.Unprocessable, "mandate scenario %s is archived", *copyFrom).
					WithField("copy_from_id", "is archived")
			}
		}
		r := scenarioRow{ID: uuid.Must(uuid.NewV7()), Code: f.Code, NameES: f.NameES, NameEN: f.NameEN,
			DescriptionES: f.DescriptionES, DescriptionEN: f.DescriptionEN, Kind: f.Kind, Status: "draft",
			CopiedFromID: copyFrom, Demo: f.Demo, Version: 1}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		var copied int64
		if copyFrom != nil {
			res := tx.Exec(`
				INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis,
					instrument_id, article, evidence, notes)
				SELECT uuid_v7(), ?, function_id, institution_id, role, basis, instrument_id, article, evidence, notes
				FROM mandate_assignments
				WHERE scenario_id = ? AND archived_at IS NULL
				ORDER BY created_at, id`, r.ID, *copyFrom)
			if res.Error != nil {
				return fmt.Errorf("copy assignments of scenario %s: %w", *copyFrom, res.Error)
			}
			copied = res.RowsAffected
		}
		stored, err := findScenario(tx, r.ID, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.scenario()
		after := s.snapshot(out)
		if copyFrom != nil {
			if after, err = scenarioWithCount(after, copied); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{Action: "mandate_scenario.create", ResourceType: "mandate_scenario",
			ResourceID: out.ID.String(), After: after})
	})
	return out, err
}

// scenarioWithCount adds the number of copied assignments to a scenario's audit snapshot.
func scenarioWithCount(snapshot any, copied int64) (any, error) {
	b, err := json.Marshal(snapshot)
	if err != nil {
		return nil, fmt.Errorf("marshal scenario snapshot: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("unmarshal scenario snapshot: %w", err)
	}
	m["copied_assignments"] = copied
	return m, nil
}

// Update applies change to the current fields of draft scenario id, if its version satisfies
// pre. change runs inside the transaction, on the row locked for update. Demo is kept.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (archived, adopted, code taken),
// Unprocessable, and whatever change returns.
func (s *ScenarioService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Scenario) (ScenarioFields, error)) (Scenario, error) {
	if err := scope.RequireUnscoped(ctx, "mandate scenarios"); err != nil {
		return Scenario{}, err
	}
	var out Scenario
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findScenario(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if err := r.editable(); err != nil {
			return err
		}
		before := r.scenario()
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		res := tx.Model(&scenarioRow{}).Where("id = ?", id).Updates(map[string]any{
			"code": f.Code, "name_es": f.NameES, "name_en": f.NameEN, "description_es": f.DescriptionES,
			"description_en": f.DescriptionEN, "kind": f.Kind, "version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		})
		if res.Error != nil {
			return s.translate(res.Error, f)
		}
		stored, err := findScenario(tx, id, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.scenario()
		return audit.Record(ctx, tx, audit.Change{Action: "mandate_scenario.update", ResourceType: "mandate_scenario",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes draft scenario id. Archiving an archived scenario changes nothing.
//
// Errors: Forbidden, NotFound, PreconditionFailed, Conflict (adopted).
func (s *ScenarioService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	if err := scope.RequireUnscoped(ctx, "mandate scenarios"); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findScenario(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		if r.Status == "adopted" {
			return apperr.New(apperr.Conflict, "mandate scenario %s is adopted and cannot be archived", id)
		}
		before := r.scenario()
		return archive.Row[scenarioRow](ctx, tx, "mandate_scenario", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := findScenario(tx, id, database.NoLock)
			return s.snapshot(after.scenario()), err
		})
	})
}

// Adopt freezes draft scenario id: it becomes adopted, with when and by whom, and neither it nor
// its assignments can change afterwards. Who may adopt is the contract's mandates:adopt scope.
//
// Errors: NotFound, PreconditionFailed, Conflict (archived, already adopted).
func (s *ScenarioService) Adopt(ctx context.Context, id uuid.UUID, pre etag.Precondition) (Scenario, error) {
	var out Scenario
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		// FOR UPDATE waits for assignment writes in flight (they hold the row FOR SHARE), and
		// makes later ones see the adoption.
		r, err := findScenario(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "mandate scenario %s is archived", id)
		}
		if r.Status == "adopted" {
			return apperr.New(apperr.Conflict, "mandate scenario %s is already adopted", id)
		}
		before := r.scenario()
		if err := tx.Model(&scenarioRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": "adopted", "adopted_at": gorm.Expr("now()"), "adopted_by": scenarioAdopter(actor.From(ctx)),
			"version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error; err != nil {
			return fmt.Errorf("adopt mandate scenario: %w", err)
		}
		stored, err := findScenario(tx, id, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.scenario()
		return audit.Record(ctx, tx, audit.Change{Action: "mandate_scenario.adopt", ResourceType: "mandate_scenario",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// scenarioAdopter names the actor as the audit trail does: its label, else its id, else its kind.
func scenarioAdopter(a actor.Actor) string {
	switch {
	case a.Label != "":
		return a.Label
	case a.ID != "":
		return a.ID
	}
	return string(a.Kind)
}

func (s *ScenarioService) translate(err error, f ScenarioFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "mandate_scenarios_code_key" {
		return apperr.New(apperr.Conflict, "a mandate scenario with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if _, ok := database.ForeignKeyViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the scenario to copy from does not exist").WithField("copy_from_id", "no such scenario")
	}
	if c, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the scenario breaks rule %s", c)
	}
	return fmt.Errorf("write mandate scenario %s: %w", f.Code, err)
}

// ScenarioFilter narrows List. Empty strings mean "any".
type ScenarioFilter struct {
	Kind, Status    string
	IncludeArchived bool
	PageSize        int
	PageToken       string
}

var scenarioOrders = paging.Orders{"code": {Field: "code", Column: "code", Type: "text"}}

// List returns a page of scenarios by code and the next page's token ("" on the last page).
//
// Errors: Invalid (bad page token).
func (s *ScenarioService) List(ctx context.Context, f ScenarioFilter) ([]Scenario, string, error) {
	q := s.db.Conn(ctx).Model(&scenarioRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	rows, next, err := paging.Page(q, scenarioOrders.Parse("code", "code"), "mandate_scenarios", f.PageToken, f.PageSize,
		func(r scenarioRow) any { return r.Code }, func(r scenarioRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	out := make([]Scenario, len(rows))
	for i, r := range rows {
		out[i] = r.scenario()
	}
	return out, next, nil
}
