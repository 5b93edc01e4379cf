package mandates

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Comparison is what changes from a base scenario to another, per function and per unit.
type Comparison struct {
	BaseID, OtherID uuid.UUID
	Functions       []FunctionChanges // by function code; functions without changes are left out
	Units           []UnitBalance     // by unit code; units whose holdings do not change are left out
}

// FunctionChanges are the changes of one function.
type FunctionChanges struct {
	Function FunctionRef
	Changes  []ScenarioChange
}

// The kinds of ScenarioChange.
const (
	ChangeMoved        = "moved"         // Role moved from FromUnit to ToUnit (FromBasis, ToBasis)
	ChangeAdded        = "added"         // Unit gained Role (ToBasis)
	ChangeRemoved      = "removed"       // Unit lost Role (FromBasis)
	ChangeRoleChanged  = "role_changed"  // Unit's role went from FromRole to ToRole
	ChangeBasisChanged = "basis_changed" // Unit's basis for Role (its role in the other) went from FromBasis to ToBasis
)

// ScenarioChange is one change to a function's assignments. Which fields are set depends on
// Kind (see the Change* constants). When both the role and the basis of a unit change, the
// function has a role_changed and a basis_changed for it.
type ScenarioChange struct {
	Kind               string
	Role               string
	Unit               *UnitRef
	FromUnit, ToUnit   *UnitRef
	FromRole, ToRole   string
	FromBasis, ToBasis string
}

// UnitBalance is what a unit gains and loses: gained counts the assignments it holds in the
// other scenario and not in the base (added, and the arriving end of a move), lost the reverse;
// a role change is neither, but shows in ByRole.
type UnitBalance struct {
	Unit              UnitRef
	Gained, Lost, Net int
	// ByRole is the net change in functions held per role, indexed like anRoles.
	ByRole [len(anRoles)]int
}

// anCompared is one row of the comparison statement: a (function, unit) cell whose assignment
// differs between the scenarios. Roles and bases are empty where the scenario has none.
type anCompared struct {
	function              FunctionRef
	unit                  UnitRef
	unitRank              int
	baseRole, baseBasis   string
	otherRole, otherBasis string
}

// anRoles orders roles when moves are paired.
var anRoles = [...]string{"responsible", "accountable", "consulted", "informed"}

// Compare computes the changes from scenario base to scenario other within scope (see
// AnalysisScope; with a unit filter, only assignments of units in the subtree are compared). The
// two scenarios' active assignments are matched on (function, unit) in one FULL OUTER JOIN;
// grouping into functions and pairing removals with additions into moves happens here.
//
// Within a function, a removal and an addition of the same role at different units make a move;
// when there are several, they are paired in unit-code order (the first removed unit with the
// first added unit, and so on); what is left stays a removal or an addition. A function's
// changes come as: moves (by role, then pairing order), removals, additions, role changes, basis
// changes, each by unit code.
//
// Errors: NotFound (no such base scenario), Invalid (field with: no such other scenario; field
// unit_id: no such unit; see anUnknownReference).
func (a *Analyst) Compare(ctx context.Context, base, other uuid.UUID, scope AnalysisScope) (Comparison, error) {
	out := Comparison{BaseID: base, OtherID: other, Functions: []FunctionChanges{}, Units: []UnitBalance{}}
	var rows []anCompared
	err := a.read(ctx, func(tx pgx.Tx) error {
		if err := a.check(ctx, tx, base, &other, scope.UnitID); err != nil {
			return err
		}
		var err error
		rows, err = a.compared(ctx, tx, base, other, scope)
		return err
	})
	if err != nil {
		return Comparison{}, err
	}

	type balance struct {
		UnitBalance
		rank int
	}
	units := map[uuid.UUID]*balance{}
	unitOf := func(u UnitRef, rank int) *balance {
		b := units[u.ID]
		if b == nil {
			b = &balance{UnitBalance: UnitBalance{Unit: u}, rank: rank}
			units[u.ID] = b
		}
		return b
	}
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && rows[end].function.ID == rows[start].function.ID {
			end++
		}
		fc := FunctionChanges{Function: rows[start].function}
		var removed, added [len(anRoles)][]*anCompared
		var changed, rebased []ScenarioChange
		for i := start; i < end; i++ {
			r := &rows[i]
			switch {
			case r.baseRole == "":
				added[anRoleIndex(r.otherRole)] = append(added[anRoleIndex(r.otherRole)], r)
				b := unitOf(r.unit, r.unitRank)
				b.Gained++
				b.ByRole[anRoleIndex(r.otherRole)]++
			case r.otherRole == "":
				removed[anRoleIndex(r.baseRole)] = append(removed[anRoleIndex(r.baseRole)], r)
				b := unitOf(r.unit, r.unitRank)
				b.Lost++
				b.ByRole[anRoleIndex(r.baseRole)]--
			default:
				if r.baseRole != r.otherRole {
					changed = append(changed, ScenarioChange{Kind: ChangeRoleChanged, Unit: &r.unit, FromRole: r.baseRole, ToRole: r.otherRole})
					b := unitOf(r.unit, r.unitRank)
					b.ByRole[anRoleIndex(r.baseRole)]--
					b.ByRole[anRoleIndex(r.otherRole)]++
				}
				if r.baseBasis != r.otherBasis {
					rebased = append(rebased, ScenarioChange{Kind: ChangeBasisChanged, Unit: &r.unit, Role: r.otherRole,
						FromBasis: r.baseBasis, ToBasis: r.otherBasis})
				}
			}
		}
		// Moves first, then what is left unpaired: removals, then additions.
		for k := range anRoles {
			n := min(len(removed[k]), len(added[k]))
			for j := range n {
				from, to := removed[k][j], added[k][j]
				fc.Changes = append(fc.Changes, ScenarioChange{Kind: ChangeMoved, Role: anRoles[k], FromUnit: &from.unit, ToUnit: &to.unit,
					FromBasis: from.baseBasis, ToBasis: to.otherBasis})
			}
			removed[k], added[k] = removed[k][n:], added[k][n:]
		}
		fc.Changes = append(fc.Changes, anSingles(removed, ChangeRemoved)...)
		fc.Changes = append(fc.Changes, anSingles(added, ChangeAdded)...)
		fc.Changes = append(fc.Changes, changed...)
		fc.Changes = append(fc.Changes, rebased...)
		out.Functions = append(out.Functions, fc)
		start = end
	}

	list := make([]*balance, 0, len(units))
	for _, b := range units {
		list = append(list, b)
	}
	// Ranks are dense ranks of unit codes, so they order units as the database orders codes.
	slices.SortFunc(list, func(x, y *balance) int { return cmp.Compare(x.rank, y.rank) })
	for _, b := range list {
		b.Net = b.Gained - b.Lost
		out.Units = append(out.Units, b.UnitBalance)
	}
	return out, nil
}

// anSingles renders the unpaired additions or removals, in unit-code order across roles.
func anSingles(byRole [len(anRoles)][]*anCompared, kind string) []ScenarioChange {
	var all []*anCompared
	for _, rs := range byRole {
		all = append(all, rs...)
	}
	slices.SortFunc(all, func(x, y *anCompared) int { return cmp.Compare(x.unitRank, y.unitRank) })
	out := make([]ScenarioChange, len(all))
	for i, r := range all {
		c := ScenarioChange{Kind: kind, Unit: &r.unit}
		if kind == ChangeAdded {
			c.Role, c.ToBasis = r.otherRole, r.otherBasis
		} else {
			c.Role, c.FromBasis = r.baseRole, r.baseBasis
		}
		out[i] = c
	}
	return out
}

func anRoleIndex(role string) int {
	for i, r := range anRoles {
		if r == role {
			return i
		}
	}
	return len(anRoles) - 1
}

// comparisonSQL is the comparison statement: every (function, unit) whose active assignment in
// the two scenarios differs (present in one only, or with another role or basis), for functions
// in scope, by function code and unit code, with the unit's dense rank by code.
func comparisonSQL(base, other uuid.UUID, scope AnalysisScope) (string, []any) {
	var q anSQL
	sql := q.withMore(scope) + `d AS (
			SELECT coalesce(b.function_id, o.function_id) AS function_id, coalesce(b.institution_id, o.institution_id) AS institution_id,
				b.role AS base_role, b.basis AS base_basis, o.role AS other_role, o.basis AS other_basis
			FROM (SELECT a.function_id, a.institution_id, a.role, a.basis FROM mandate_assignments a WHERE ` + q.active(base, scope, "a") + `) b
			FULL JOIN (SELECT a.function_id, a.institution_id, a.role, a.basis FROM mandate_assignments a WHERE ` + q.active(other, scope, "a") + `) o
				ON o.function_id = b.function_id AND o.institution_id = b.institution_id
			WHERE b.role IS DISTINCT FROM o.role OR b.basis IS DISTINCT FROM o.basis
		)
		SELECT f.id, f.code, f.title_es, f.title_en, f.category, EXISTS (SELECT 1 FROM function_legal_bases lb WHERE lb.function_id = f.id),
			i.id, i.code, i.name_es, i.name_en, i.acronym, (dense_rank() OVER (ORDER BY i.code))::int,
			coalesce(d.base_role, ''), coalesce(d.base_basis, ''), coalesce(d.other_role, ''), coalesce(d.other_basis, '')
		FROM d JOIN functions f ON f.id = d.function_id AND ` + q.inScope(scope, "f") + `
		JOIN institutions i ON i.id = d.institution_id
		ORDER BY f.code, i.code`
	return sql, q.args
}

// compared runs the comparison statement.
func (a *Analyst) compared(ctx context.Context, tx pgx.Tx, base, other uuid.UUID, scope AnalysisScope) ([]anCompared, error) {
	sql, args := comparisonSQL(base, other, scope)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("compare scenarios: %w", err)
	}
	defer rows.Close()
	var out []anCompared
	for rows.Next() {
		var (
			r        anCompared
			fid, uid pgtype.UUID
		)
		if err := rows.Scan(&fid, &r.function.Code, &r.function.TitleES, &r.function.TitleEN, &r.function.Category,
			&r.function.HasLegalBasis, &uid, &r.unit.Code, &r.unit.NameES, &r.unit.NameEN, &r.unit.Acronym, &r.unitRank,
			&r.baseRole, &r.baseBasis, &r.otherRole, &r.otherBasis); err != nil {
			return nil, fmt.Errorf("compare scenarios: %w", err)
		}
		r.function.ID, r.unit.ID = fid.Bytes, uid.Bytes
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare scenarios: %w", err)
	}
	return out, nil
}
