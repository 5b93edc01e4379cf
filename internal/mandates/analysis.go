package mandates

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// The analysis, the matrix and the comparison are read models computed in the database. Each
// request runs the same statements whatever the number of functions, units and assignments, in
// one read-only repeatable-read transaction so that they all see one snapshot:
//
//	analysis   BEGIN; SET LOCAL jit = off; existence check; one scan of the scenario's
//	           assignments aggregated per function and per unit (grouping sets); the responsible
//	           units of the overlapping functions and the contingent assignments, both found
//	           through the index on function_id from the function ids the aggregate returned;
//	           COMMIT (7 statements);
//	matrix     BEGIN; SET; check; the cells (one scan); the functions; the units the cells name,
//	           by id; COMMIT (7);
//	comparison BEGIN; SET; check; one FULL OUTER JOIN of the two scenarios; COMMIT (5).
//
// Go only assembles the results (and orders what SQL ranked). They read through pgx directly
// (database.DB.Pool) rather than GORM: result sets hold thousands of rows with arrays, and these
// reads never join a caller's write transaction.
//
// What the benchmark (internal/bench, BenchmarkMandates) taught: a scenario's assignments are
// scanned at most once per statement and joined to plain or derived tables, never through a
// materialized CTE (writing and re-reading 50,000 rows that way doubled the analysis's time);
// and JIT compilation is switched off, because these plans are costed high enough to trigger
// it and compiling them took tens of milliseconds on every request, more than it saves on a few
// tens of thousands of rows.

// AnalysisScope narrows an analysis, matrix or comparison.
//
// The functions in scope are those whose status is current or proposed and that are not
// archived, limited to Categories when given. The assignments in scope are the scenario's active
// (not archived) assignments of those functions.
//
// With UnitID, only assignments of that unit and the units below it count, and the function set
// shrinks to the in-scope functions that have at least one such assignment: the analysis then
// describes that part of the tree, so an overlap means two responsible units inside the subtree
// and a gap means nobody inside the subtree is responsible (or accountable) for a function the
// subtree works on. Functions the subtree does not touch at all are not its gaps.
type AnalysisScope struct {
	UnitID     *uuid.UUID
	Categories []string
}

// FunctionRef names a function in an analysis.
type FunctionRef struct {
	ID               uuid.UUID
	Code             string
	TitleES, TitleEN *string
	Category         string
	// HasLegalBasis: the function itself cites at least one legal instrument.
	HasLegalBasis bool
}

// UnitRef names a unit (institution) in an analysis.
type UnitRef struct {
	ID                      uuid.UUID
	Code                    string
	NameES, NameEN, Acronym *string
}

// Analysis is a scenario's overlaps, gaps, contingency work and per-unit summary.
type Analysis struct {
	ScenarioID  uuid.UUID
	Totals      AnalysisTotals
	Overlaps    []Overlap              // by function code
	Gaps        []Gap                  // by function code
	Contingency []ContingentAssignment // by function code, then unit code
	Units       []UnitSummary          // by unit code
}

// AnalysisTotals counts what an analysis found.
type AnalysisTotals struct {
	Functions   int // functions in scope
	Assignments int // assignments in scope
	Overlaps    int
	Gaps        int
	Contingency int
}

// Overlap is a function with more than one responsible unit.
type Overlap struct {
	Function FunctionRef
	Units    []UnitRef // the responsible units, by code
}

// Gap is a function with no responsible unit, no accountable unit, or neither.
type Gap struct {
	Function FunctionRef
	Missing  []string // "responsible", "accountable", in that order
}

// ContingentAssignment is de facto work on a function that has no legal basis.
type ContingentAssignment struct {
	AssignmentID uuid.UUID
	Function     FunctionRef
	Unit         UnitRef
	Role         string
	Evidence     *string
}

// UnitSummary is what one unit holds in a scenario.
type UnitSummary struct {
	Unit UnitRef
	// Functions is the number of distinct functions the unit holds any role in. A unit holds at
	// most one active assignment per function and scenario (mandate_assignments_cell_key), so it
	// is also the number of its assignments.
	Functions                                     int
	Responsible, Accountable, Consulted, Informed int
	DeJure, DeFacto                               int
	// LegalBasisShare is the share of the unit's functions that have a legal basis (0 when it
	// holds none).
	LegalBasisShare float64
}

// Analyst computes analyses, matrices and comparisons of scenarios.
type Analyst struct{ db *database.DB }

// NewAnalyst returns an Analyst over db.
func NewAnalyst(db *database.DB) *Analyst { return &Analyst{db: db} }

// anSQL builds a statement and its positional arguments together.
type anSQL struct {
	args       []any
	categories string // the categories' placeholder, once added
}

// arg adds v and returns its placeholder.
func (q *anSQL) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// with is the start of a statement that needs no WITH clause of its own: the sub clause (the
// unit filter's subtree) when there is a unit filter, else nothing.
func (q *anSQL) with(s AnalysisScope) string {
	if s.UnitID == nil {
		return ""
	}
	return `WITH RECURSIVE sub AS (
			SELECT id FROM institutions WHERE id = ` + q.arg(*s.UnitID) + `
			UNION
			SELECT i.id FROM institutions i JOIN sub ON i.parent_id = sub.id
		) `
}

// withMore is the start of a statement that adds WITH clauses of its own after it: "WITH " or
// "WITH RECURSIVE sub AS (...), ".
func (q *anSQL) withMore(s AnalysisScope) string {
	if s.UnitID == nil {
		return "WITH "
	}
	return q.with(s) + ", "
}

// inScope is the condition that function alias f is in scope: current or proposed, not
// archived, and of one of the categories when they are given.
func (q *anSQL) inScope(s AnalysisScope, f string) string {
	cond := f + ".status IN ('current', 'proposed') AND " + f + ".archived_at IS NULL"
	if len(s.Categories) > 0 {
		if q.categories == "" {
			q.categories = q.arg(s.Categories)
		}
		cond += " AND " + f + ".category = ANY(" + q.categories + "::text[])"
	}
	return cond
}

// functions is a derived table of the functions in scope, with has_basis. OFFSET 0 keeps the
// planner from flattening it: joined to assignments, it is then one small hash table (functions
// with their legal-basis flag) probed once per assignment, instead of two joins per assignment.
func (q *anSQL) functions(s AnalysisScope) string {
	return `(SELECT f.id, f.code, f.title_es, f.title_en, f.category, lb.function_id IS NOT NULL AS has_basis
			FROM functions f LEFT JOIN (SELECT DISTINCT function_id FROM function_legal_bases) lb ON lb.function_id = f.id
			WHERE ` + q.inScope(s, "f") + ` OFFSET 0)`
}

// active is the condition that assignment alias a is one of scenario's active assignments (in
// the unit filter's subtree).
func (q *anSQL) active(scenario uuid.UUID, s AnalysisScope, a string) string {
	cond := a + ".scenario_id = " + q.arg(scenario) + " AND " + a + ".archived_at IS NULL"
	if s.UnitID != nil {
		cond += " AND " + a + ".institution_id IN (SELECT id FROM sub)"
	}
	return cond
}

// read runs fn in a read-only repeatable-read transaction without JIT (see above).
func (a *Analyst) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := a.db.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin analysis: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SET LOCAL jit = off"); err != nil {
		return fmt.Errorf("begin analysis: %w", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("end analysis: %w", err)
	}
	return nil
}

// anUnknownReference is the error code for an unknown `with` scenario or `unit_id` unit: the
// request is well-formed but names nothing.
const anUnknownReference = apperr.Unprocessable

// check makes sure the scenario (and the other scenario and the unit, when given) exist, in one
// statement.
//
// Errors: NotFound (scenario); anUnknownReference (field "with" for other, "unit_id" for the
// unit), both fields at once when both are unknown.
func (a *Analyst) check(ctx context.Context, tx pgx.Tx, scenario uuid.UUID, other, unit *uuid.UUID) error {
	var q anSQL
	sql := "SELECT EXISTS (SELECT 1 FROM mandate_scenarios WHERE id = " + q.arg(scenario) + ")"
	if other != nil {
		sql += ", EXISTS (SELECT 1 FROM mandate_scenarios WHERE id = " + q.arg(*other) + ")"
	} else {
		sql += ", true"
	}
	if unit != nil {
		sql += ", EXISTS (SELECT 1 FROM institutions WHERE id = " + q.arg(*unit) + ")"
	} else {
		sql += ", true"
	}
	var okScenario, okOther, okUnit bool
	if err := tx.QueryRow(ctx, sql, q.args...).Scan(&okScenario, &okOther, &okUnit); err != nil {
		return fmt.Errorf("check scenario %s: %w", scenario, err)
	}
	if !okScenario {
		return apperr.New(apperr.NotFound, "scenario %s not found", scenario)
	}
	if okOther && okUnit {
		return nil
	}
	e := apperr.New(anUnknownReference, "unknown scenario or unit")
	if !okOther {
		e.WithField("with", "no such scenario")
	}
	if !okUnit {
		e.WithField("unit_id", "no such unit")
	}
	return e
}

// The counts the analysis aggregates per function and per unit, in this order (1-based in SQL).
const anCounts = `ARRAY[count(*), count(*) FILTER (WHERE a.role = 'responsible'), count(*) FILTER (WHERE a.role = 'accountable'),
				count(*) FILTER (WHERE a.role = 'consulted'), count(*) FILTER (WHERE a.role = 'informed'),
				count(*) FILTER (WHERE a.basis = 'de_jure'), count(*) FILTER (WHERE a.basis = 'de_facto'),
				count(*) FILTER (WHERE fx.has_basis)]::int[]`

const (
	anAll = iota
	anResponsible
	anAccountable
	anConsulted
	anInformed
	anDeJure
	anDeFacto
	anBased
)

// analysisSQL is the analysis's aggregate statement: one scan of the scenario's assignments in
// scope, aggregated both per function and per unit (grouping sets), then
//
//	F rows: the functions in scope that are an overlap, a gap or have contingent work, plus the
//	        first function by code (so that the totals come back even when nothing is wrong),
//	        by code: id, code, titles, category, has_basis, their counts (NULL when the function
//	        has no assignment), and on every row the totals (functions and assignments in scope);
//	U rows: the units holding assignments in scope, by code: id, code, names, acronym, counts.
func analysisSQL(scenario uuid.UUID, s AnalysisScope) (string, []any) {
	var q anSQL
	join := "LEFT JOIN"
	if s.UnitID != nil {
		join = "JOIN" // only the functions the subtree works on
	}
	sql := q.withMore(s) + `g AS MATERIALIZED (
			SELECT GROUPING(a.institution_id) AS per_function, a.function_id, a.institution_id, ` + anCounts + ` AS nums
			FROM mandate_assignments a JOIN ` + q.functions(s) + ` fx ON fx.id = a.function_id
			WHERE ` + q.active(scenario, s, "a") + `
			GROUP BY GROUPING SETS ((a.function_id), (a.institution_id))
		),
		fs AS (
			SELECT fx.id, fx.code, fx.title_es, fx.title_en, fx.category, fx.has_basis, g.nums,
				count(*) OVER () AS functions, sum(g.nums[1]) OVER () AS assignments, row_number() OVER (ORDER BY fx.code) AS rn
			FROM ` + q.functions(s) + ` fx ` + join + ` g ON g.function_id = fx.id AND g.per_function = 1
		)
		SELECT 'F' AS k, fs.id, fs.code, fs.title_es, fs.title_en, fs.category, fs.has_basis, fs.nums,
			fs.functions::int, coalesce(fs.assignments, 0)::int
		FROM fs
		WHERE fs.rn = 1 OR fs.nums IS NULL OR fs.nums[2] <> 1 OR fs.nums[3] = 0 OR (NOT fs.has_basis AND fs.nums[7] > 0)
		UNION ALL
		SELECT 'U', i.id, i.code, i.name_es, i.name_en, i.acronym, NULL, g.nums, NULL, NULL
		FROM g JOIN institutions i ON i.id = g.institution_id
		WHERE g.per_function = 0
		ORDER BY k, code`
	return sql, q.args
}

// contingencySQL selects the de facto assignments of the given functions (those in scope without
// a legal basis that have de facto assignments: the contingent work). Passing the functions found
// by the aggregate statement lets the index on function_id find the rows, instead of another
// scan of the scenario.
func contingencySQL(scenario uuid.UUID, s AnalysisScope, functions []pgtype.UUID) (string, []any) {
	var q anSQL
	sql := q.with(s) + `SELECT a.id, a.function_id, a.institution_id, a.role, a.evidence FROM mandate_assignments a
		WHERE ` + q.active(scenario, s, "a") + ` AND a.basis = 'de_facto' AND a.function_id = ANY(` + q.arg(functions) + `::uuid[])`
	return sql, q.args
}

// responsibleSQL selects the responsible units of the given functions (the overlaps), through the
// index on function_id.
func responsibleSQL(scenario uuid.UUID, s AnalysisScope, functions []pgtype.UUID) (string, []any) {
	var q anSQL
	sql := q.with(s) + `SELECT a.function_id, a.institution_id FROM mandate_assignments a
		WHERE ` + q.active(scenario, s, "a") + ` AND a.role = 'responsible' AND a.function_id = ANY(` + q.arg(functions) + `::uuid[])`
	return sql, q.args
}

// Analyze computes the analysis of scenario within scope. Archived scenarios can be analysed.
//
// Errors: NotFound (no such scenario), Invalid (field unit_id: no such unit; see
// anUnknownReference).
func (a *Analyst) Analyze(ctx context.Context, scenario uuid.UUID, scope AnalysisScope) (Analysis, error) {
	out := Analysis{ScenarioID: scenario, Overlaps: []Overlap{}, Gaps: []Gap{}, Contingency: []ContingentAssignment{}, Units: []UnitSummary{}}
	type problem struct {
		function FunctionRef
		counts   []int32 // nil: no assignment
	}
	var (
		problems   []problem
		functions  = map[uuid.UUID]int{} // position in problems
		units      = map[uuid.UUID]int{} // position in out.Units
		overlaps   []pgtype.UUID
		contingent []pgtype.UUID
		resp       = map[uuid.UUID][]int{} // overlapping function → its responsible units' positions
		xs         []ContingentAssignment
		xUnits     []uuid.UUID
	)
	err := a.read(ctx, func(tx pgx.Tx) error {
		if err := a.check(ctx, tx, scenario, nil, scope.UnitID); err != nil {
			return err
		}

		sql, args := analysisSQL(scenario, scope)
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("analyse scenario: %w", err)
		}
		var (
			k                  string
			id                 pgtype.UUID // binary, where uuid.UUID would be scanned through its text
			code               string
			s1, s2, s3         *string
			based              *bool
			nums               []int32
			nFunctions, nAsgmt *int32
		)
		for rows.Next() {
			nums = nil
			if err := rows.Scan(&k, &id, &code, &s1, &s2, &s3, &based, &nums, &nFunctions, &nAsgmt); err != nil {
				rows.Close()
				return fmt.Errorf("analyse scenario: %w", err)
			}
			if k == "U" {
				u := UnitSummary{Unit: UnitRef{ID: id.Bytes, Code: code, NameES: s1, NameEN: s2, Acronym: s3},
					Functions: int(nums[anAll]), Responsible: int(nums[anResponsible]), Accountable: int(nums[anAccountable]),
					Consulted: int(nums[anConsulted]), Informed: int(nums[anInformed]), DeJure: int(nums[anDeJure]), DeFacto: int(nums[anDeFacto])}
				if u.Functions > 0 {
					u.LegalBasisShare = float64(nums[anBased]) / float64(u.Functions)
				}
				units[u.Unit.ID] = len(out.Units)
				out.Units = append(out.Units, u)
				continue
			}
			out.Totals.Functions, out.Totals.Assignments = int(*nFunctions), int(*nAsgmt)
			f := FunctionRef{ID: id.Bytes, Code: code, TitleES: s1, TitleEN: s2, Category: *s3, HasLegalBasis: *based}
			functions[f.ID] = len(problems)
			problems = append(problems, problem{function: f, counts: nums})
			if nums != nil && nums[anResponsible] > 1 {
				overlaps = append(overlaps, id)
			}
			if nums != nil && !f.HasLegalBasis && nums[anDeFacto] > 0 {
				contingent = append(contingent, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("analyse scenario: %w", err)
		}

		sql, args = responsibleSQL(scenario, scope, overlaps)
		rows, err = tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("analyse overlaps: %w", err)
		}
		var fid, uid pgtype.UUID
		for rows.Next() {
			if err := rows.Scan(&fid, &uid); err != nil {
				rows.Close()
				return fmt.Errorf("analyse overlaps: %w", err)
			}
			resp[fid.Bytes] = append(resp[fid.Bytes], units[uid.Bytes])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("analyse overlaps: %w", err)
		}

		sql, args = contingencySQL(scenario, scope, contingent)
		rows, err = tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("analyse contingency: %w", err)
		}
		defer rows.Close()
		var (
			aid  pgtype.UUID
			role string
			ev   *string
		)
		for rows.Next() {
			if err := rows.Scan(&aid, &fid, &uid, &role, &ev); err != nil {
				return fmt.Errorf("analyse contingency: %w", err)
			}
			xs = append(xs, ContingentAssignment{AssignmentID: aid.Bytes, Function: FunctionRef{ID: fid.Bytes}, Role: role, Evidence: ev})
			xUnits = append(xUnits, uid.Bytes)
		}
		return rows.Err()
	})
	if err != nil {
		return Analysis{}, err
	}

	// Overlaps and gaps, by function code (problems are). The first function is there for the
	// totals, whether it is a problem or not.
	for _, p := range problems {
		var c [anBased + 1]int32
		copy(c[:], p.counts)
		if c[anResponsible] > 1 {
			at := resp[p.function.ID]
			slices.Sort(at) // units are by code
			o := Overlap{Function: p.function, Units: make([]UnitRef, len(at))}
			for i, u := range at {
				o.Units[i] = out.Units[u].Unit
			}
			out.Overlaps = append(out.Overlaps, o)
		}
		var missing []string
		if c[anResponsible] == 0 {
			missing = append(missing, "responsible")
		}
		if c[anAccountable] == 0 {
			missing = append(missing, "accountable")
		}
		if missing != nil {
			out.Gaps = append(out.Gaps, Gap{Function: p.function, Missing: missing})
		}
	}

	// Contingency, by function code then unit code. Contingent functions and their units are
	// among the F and U rows.
	type key struct{ function, unit, i int }
	order := make([]key, len(xs))
	for i := range xs {
		f, u := functions[xs[i].Function.ID], units[xUnits[i]]
		order[i] = key{f, u, i}
		xs[i].Function, xs[i].Unit = problems[f].function, out.Units[u].Unit
	}
	slices.SortFunc(order, func(x, y key) int {
		if x.function != y.function {
			return x.function - y.function
		}
		return x.unit - y.unit
	})
	out.Contingency = make([]ContingentAssignment, len(xs))
	for k, o := range order {
		out.Contingency[k] = xs[o.i]
	}
	out.Totals.Overlaps, out.Totals.Gaps, out.Totals.Contingency = len(out.Overlaps), len(out.Gaps), len(out.Contingency)
	return out, nil
}
