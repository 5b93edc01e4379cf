package coordination

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// KindRoundTable is the kind of a regional round table, the one kind tied to a region.
const KindRoundTable = "regional_round_table"

// BodyFields are the parts of a coordination body its users write. Demo marks demo data; only
// Create reads it.
type BodyFields struct {
	Code          string
	Name          Text
	Kind          string
	ParentID      *uuid.UUID // the body it belongs to
	LegalBasisID  *uuid.UUID // the legal instrument that creates it
	Mandate       Text
	Status        string // active (the default), inactive, dissolved
	Region        *string
	EstablishedOn *time.Time
	Demo          bool
}

// Body is a stored coordination body, with what is computed of it: its live (not archived)
// children and its current memberships.
type Body struct {
	Meta
	BodyFields
	Children, Members int
}

// Validate checks (and normalises: status active by default) the rules every body obeys,
// except those that need the database (its parent, legal basis and place in the tree).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *BodyFields) Validate() error {
	e := invalid("coordination body")
	naturalkey.Check(e, "code", f.Code)
	if f.Name.empty() {
		e.WithField("name", "needs a Spanish or an English name")
	}
	if f.Status == "" {
		f.Status = "active"
	}
	if f.Region != nil && *f.Region == "" {
		f.Region = nil
	}
	if f.Kind == KindRoundTable && f.Region == nil {
		e.WithField("region", "is required for a regional round table")
	}
	f.EstablishedOn = dayPtr(f.EstablishedOn)
	return done(e)
}

// bodyRow maps Body to coordination_bodies (the generated search column is never written).
type bodyRow struct {
	Base          records.Base `gorm:"embedded"`
	Code          string
	NameES        *string `gorm:"column:name_es"`
	NameEN        *string `gorm:"column:name_en"`
	Kind          string
	ParentID      *uuid.UUID
	LegalBasisID  *uuid.UUID
	MandateES     *string `gorm:"column:mandate_es"`
	MandateEN     *string `gorm:"column:mandate_en"`
	Status        string
	Region        *string
	EstablishedOn *time.Time
}

func (bodyRow) TableName() string { return "coordination_bodies" }

func (r bodyRow) body() Body {
	return Body{Meta: r.Base.Meta(), BodyFields: BodyFields{Code: r.Code, Name: Text{ES: r.NameES, EN: r.NameEN}, Kind: r.Kind,
		ParentID: r.ParentID, LegalBasisID: r.LegalBasisID, Mandate: Text{ES: r.MandateES, EN: r.MandateEN}, Status: r.Status,
		Region: r.Region, EstablishedOn: r.EstablishedOn, Demo: r.Base.Demo}}
}

func newBodyRow(f BodyFields, m records.Base) (bodyRow, error) {
	return bodyRow{Base: m, Code: f.Code, NameES: f.Name.ES, NameEN: f.Name.EN, Kind: f.Kind, ParentID: f.ParentID,
		LegalBasisID: f.LegalBasisID, MandateES: f.Mandate.ES, MandateEN: f.Mandate.EN, Status: f.Status, Region: f.Region,
		EstablishedOn: f.EstablishedOn}, nil
}

func (r bodyRow) columns() map[string]any {
	return map[string]any{"code": r.Code, "name_es": r.NameES, "name_en": r.NameEN, "kind": r.Kind, "parent_id": r.ParentID,
		"legal_basis_id": r.LegalBasisID, "mandate_es": r.MandateES, "mandate_en": r.MandateEN, "status": r.Status,
		"region": r.Region, "established_on": r.EstablishedOn}
}

// BodyService keeps the coordination bodies: a tree through parent_id, in which no body is its
// own ancestor; a regional round table has a region; its parent and legal basis must be live
// when set (one it already had may since have been archived).
type BodyService struct {
	records.Store[bodyRow, Body, BodyFields]
}

// NewBodyService returns a BodyService over db. The audit trail records bodies in their
// writable API representation (without the computed counts).
func NewBodyService(db *database.DB) *BodyService {
	s := &BodyService{records.Store[bodyRow, Body, BodyFields]{
		DB: db, Table: "coordination_bodies", Resource: "coordination_body", What: "coordination body",
		Plural: "coordination bodies",
		Base:   func(r bodyRow) records.Base { return r.Base }, Decode: bodyRow.body, Build: newBodyRow,
		Columns: bodyRow.columns, Validate: (*BodyFields).Validate, Check: checkBody,
		Translate: func(err error, f BodyFields) error {
			return records.Refused(err, "coordination body", f.Code, "coordination_bodies_code_key", map[string][2]string{
				"coordination_bodies_name_present":       {"name", "needs a Spanish or an English name"},
				"coordination_bodies_round_table_region": {"region", "is required for a regional round table"},
				"coordination_bodies_not_own_parent":     {"parent_id", "is the body itself"},
				"coordination_bodies_region_check":       {"region", "is not a region code"},
			})
		},
		Demo: func(f BodyFields) bool { return f.Demo }, Snapshot: func(b Body) any { return bodyWritable(b) },
	}}
	s.Store.Complete = s.count
	return s
}

// checkBody refuses a parent or legal basis that does not exist or is archived (one an update
// keeps is not checked again), and a parent that would make the body its own ancestor.
//
// Errors: Unprocessable.
func checkBody(tx *gorm.DB, f BodyFields, before *Body) error {
	parent, basis := f.ParentID, f.LegalBasisID
	if before != nil && refs.Same(before.ParentID, parent) {
		parent = nil
	}
	if before != nil && refs.Same(before.LegalBasisID, basis) {
		basis = nil
	}
	if err := refs.Check(tx, "the coordination body refers to what does not exist",
		refs.List{Table: "coordination_bodies", Field: "parent_id", Missing: "no such coordination body", ID: parent,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "legal_instruments", Field: "legal_basis_id", Missing: "no such legal instrument", ID: basis,
			Refuse: []refs.Rule{refs.Archived}}); err != nil {
		return err
	}
	if before == nil || parent == nil {
		return nil
	}
	if *parent == before.ID {
		return apperr.New(apperr.Unprocessable, "a coordination body cannot belong to itself").WithField("parent_id", "is the body itself")
	}
	var cycle bool
	if err := tx.Raw(`WITH RECURSIVE up(id, parent_id) AS (
			SELECT id, parent_id FROM coordination_bodies WHERE id = ?
			UNION
			SELECT b.id, b.parent_id FROM coordination_bodies b JOIN up ON b.id = up.parent_id
		) SELECT EXISTS (SELECT 1 FROM up WHERE id = ?)`, *parent, before.ID).Scan(&cycle).Error; err != nil {
		return fmt.Errorf("walk up from coordination body %s: %w", *parent, err)
	}
	if cycle {
		return apperr.New(apperr.Unprocessable, "a coordination body cannot be its own ancestor").
			WithField("parent_id", "is a body below this one")
	}
	return nil
}

// bodyCounts computes the counts of bodies ids in one statement: live children (not archived)
// through the parent index, and memberships that hold today through the membership key.
const bodyCounts = `
SELECT b.id,
	(SELECT count(*) FROM coordination_bodies c WHERE c.parent_id = b.id AND c.archived_at IS NULL) AS children,
	(SELECT count(*) FROM coordination_memberships m WHERE m.body_id = b.id AND m.archived_at IS NULL
		AND m.from_date <= current_date AND (m.to_date IS NULL OR m.to_date >= current_date)) AS members
FROM unnest(?::uuid[]) AS b(id)`

// count fills in the counts of bodies, in one statement whatever their number.
func (s *BodyService) count(ctx context.Context, bodies []Body) error {
	if len(bodies) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(bodies))
	for i, b := range bodies {
		ids[i] = b.ID
	}
	var rows []struct {
		ID                uuid.UUID
		Children, Members int
	}
	if err := s.DB.Conn(ctx).Raw(bodyCounts, refs.Array(ids)).Scan(&rows).Error; err != nil {
		return fmt.Errorf("count below coordination bodies: %w", err)
	}
	by := make(map[uuid.UUID]int, len(rows))
	for i, r := range rows {
		by[r.ID] = i
	}
	for i := range bodies {
		if k, ok := by[bodies[i].ID]; ok {
			bodies[i].Children, bodies[i].Members = rows[k].Children, rows[k].Members
		}
	}
	return nil
}

// BodyFilter narrows BodyService.List. Empty values mean "any".
type BodyFilter struct {
	Page     // ordered by code (the default) or created_at
	Q        string
	Kinds    []string
	Statuses []string
	ParentID *uuid.UUID
	Root     bool // only bodies with no parent
	Regions  []string
}

var bodyOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of bodies with their counts and the next page's token ("" on the last
// page): one statement for the page, one for the counts of all its bodies.
//
// Errors: Invalid (bad page token).
func (s *BodyService) List(ctx context.Context, f BodyFilter) ([]Body, string, error) {
	q := s.DB.Conn(ctx).Model(&bodyRow{})
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.ParentID != nil {
		q = q.Where("parent_id = ?", *f.ParentID)
	}
	if f.Root {
		q = q.Where("parent_id IS NULL")
	}
	if len(f.Regions) > 0 {
		q = q.Where("region IN ?", f.Regions)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	items, next, err := s.Store.List(q, f.Page, bodyOrders, "code", func(r bodyRow) (string, time.Time) { return r.Code, time.Time{} })
	return items, next, err
}
