package coordination

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// MembershipFields are the parts of a membership its users write: which institution sits in
// which body, in which role, from when to when (no end while it lasts).
type MembershipFields struct {
	BodyID        uuid.UUID
	InstitutionID uuid.UUID
	Role          string
	FromDate      time.Time
	ToDate        *time.Time
	Notes         *string
	Demo          bool
}

// Membership is a stored membership; Current says whether it holds today.
type Membership struct {
	Meta
	MembershipFields
	Current bool
}

// HoldsOn says whether the membership holds on date d (a calendar date).
func (f MembershipFields) HoldsOn(d time.Time) bool {
	return !f.FromDate.After(d) && (f.ToDate == nil || !f.ToDate.Before(d))
}

// Validate checks the rules every membership obeys, except that its body and institution exist.
//
// Errors: Unprocessable.
func (f *MembershipFields) Validate() error {
	e := invalid("membership")
	if f.FromDate.IsZero() {
		e.WithField("from_date", "is required")
	}
	f.FromDate, f.ToDate = day(f.FromDate), dayPtr(f.ToDate)
	if f.ToDate != nil && f.ToDate.Before(f.FromDate) {
		e.WithField("to_date", "is before the from date")
	}
	return done(e)
}

// membershipRow maps Membership to coordination_memberships.
type membershipRow struct {
	Base          records.Base `gorm:"embedded"`
	BodyID        uuid.UUID
	InstitutionID uuid.UUID
	Role          string
	FromDate      time.Time
	ToDate        *time.Time
	Notes         *string
}

func (membershipRow) TableName() string { return "coordination_memberships" }

func (r membershipRow) membership() Membership {
	f := MembershipFields{BodyID: r.BodyID, InstitutionID: r.InstitutionID, Role: r.Role, FromDate: r.FromDate,
		ToDate: r.ToDate, Notes: r.Notes, Demo: r.Base.Demo}
	return Membership{Meta: r.Base.Meta(), MembershipFields: f, Current: r.Base.ArchivedAt == nil && f.HoldsOn(today())}
}

func newMembershipRow(f MembershipFields, m records.Base) (membershipRow, error) {
	return membershipRow{Base: m, BodyID: f.BodyID, InstitutionID: f.InstitutionID, Role: f.Role, FromDate: f.FromDate,
		ToDate: f.ToDate, Notes: f.Notes}, nil
}

func (r membershipRow) columns() map[string]any {
	return map[string]any{"body_id": r.BodyID, "institution_id": r.InstitutionID, "role": r.Role, "from_date": r.FromDate,
		"to_date": r.ToDate, "notes": r.Notes}
}

// MembershipService keeps the memberships. An institution holds a role in a body from a date
// once: the same body, institution, role and from date twice is a conflict.
type MembershipService struct {
	records.Store[membershipRow, Membership, MembershipFields]
}

// NewMembershipService returns a MembershipService over db.
func NewMembershipService(db *database.DB) *MembershipService {
	return &MembershipService{records.Store[membershipRow, Membership, MembershipFields]{
		DB: db, Table: "coordination_memberships", Resource: "coordination_membership", What: "membership",
		Plural: "coordination memberships",
		Base:   func(r membershipRow) records.Base { return r.Base }, Decode: membershipRow.membership, Build: newMembershipRow,
		Columns: membershipRow.columns, Validate: (*MembershipFields).Validate, Check: checkMembership,
		Translate: translateMembership, Demo: func(f MembershipFields) bool { return f.Demo },
		Snapshot: func(m Membership) any { return membershipWritable(m) },
	}}
}

// translateMembership turns the database's refusal of a membership into a 409 (the key taken)
// or a 422.
//
// Errors: Conflict, Unprocessable.
func translateMembership(err error, f MembershipFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "coordination_memberships_key" {
		return apperr.New(apperr.Conflict, "the institution already holds this role in this body from %s", f.FromDate.Format(time.DateOnly)).
			WithField("from_date", "already recorded for this body, institution and role")
	}
	return records.Refused(err, "membership", "", "", map[string][2]string{
		"coordination_memberships_dates": {"to_date", "is before the from date"},
	})
}

// checkMembership refuses a body or institution that does not exist or is archived (one an
// update keeps is not checked again).
//
// Errors: Unprocessable.
func checkMembership(tx *gorm.DB, f MembershipFields, before *Membership) error {
	body, inst := &f.BodyID, &f.InstitutionID
	if before != nil && before.BodyID == f.BodyID {
		body = nil
	}
	if before != nil && before.InstitutionID == f.InstitutionID {
		inst = nil
	}
	return refs.Check(tx, "the membership refers to what does not exist",
		refs.List{Table: "coordination_bodies", Field: "body_id", Missing: "no such coordination body", ID: body,
			Refuse: []refs.Rule{refs.Archived}},
		refs.List{Table: "institutions", Field: "institution_id", Missing: "no such institution", ID: inst,
			Refuse: []refs.Rule{refs.Archived}})
}

// MembershipFilter narrows MembershipService.List. Empty values mean "any".
type MembershipFilter struct {
	Page                 // ordered by from_date (the default) or created_at
	Q             string // full text over the notes
	BodyID        *uuid.UUID
	InstitutionID *uuid.UUID
	Roles         []string
	ActiveOn      *time.Time // memberships that hold on this date
}

var membershipOrders = paging.Orders{
	"from_date":  {Field: "from_date", Column: "from_date", Type: "date"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}

// List returns a page of memberships and the next page's token ("" on the last page), in one
// statement.
//
// Errors: Invalid (bad page token).
func (s *MembershipService) List(ctx context.Context, f MembershipFilter) ([]Membership, string, error) {
	q := s.DB.Conn(ctx).Model(&membershipRow{})
	if f.BodyID != nil {
		q = q.Where("body_id = ?", *f.BodyID)
	}
	if f.InstitutionID != nil {
		q = q.Where("institution_id = ?", *f.InstitutionID)
	}
	if len(f.Roles) > 0 {
		q = q.Where("role IN ?", f.Roles)
	}
	if f.ActiveOn != nil {
		d := day(*f.ActiveOn)
		q = q.Where("from_date <= ? AND (to_date IS NULL OR to_date >= ?)", d, d)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	return s.Store.List(q, f.Page, membershipOrders, "from_date", func(r membershipRow) (string, time.Time) { return "", r.FromDate })
}
