package mandates

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Matrix is a scenario's function × unit grid: one row per function in scope, one column per
// unit holding at least one assignment in scope, both ordered by code. Empty cells are left out.
type Matrix struct {
	ScenarioID uuid.UUID
	Functions  []FunctionRef
	Units      []UnitRef
	Cells      []MatrixCell // by row, then column
}

// MatrixCell is one assignment: a row (F, index into Functions) and a column (U, into Units).
type MatrixCell struct {
	F, U  int
	Role  string
	Basis string
}

// The database encodes each cell as one letter: the role's initial, lower-case when de facto.
// The CSV export uses the same letters.
const anCellLetter = `CASE WHEN a.basis = 'de_jure' THEN
					CASE a.role WHEN 'responsible' THEN 'R' WHEN 'accountable' THEN 'A' WHEN 'consulted' THEN 'C' ELSE 'I' END
				ELSE
					CASE a.role WHEN 'responsible' THEN 'r' WHEN 'accountable' THEN 'a' WHEN 'consulted' THEN 'c' ELSE 'i' END
				END`

// anCells decodes the letters back into role and basis.
var anCells = func() (out [128]struct{ role, basis string }) {
	for _, c := range []struct {
		letter byte
		role   string
	}{{'R', "responsible"}, {'A', "accountable"}, {'C', "consulted"}, {'I', "informed"}} {
		out[c.letter] = struct{ role, basis string }{c.role, "de_jure"}
		out[c.letter+'a'-'A'] = struct{ role, basis string }{c.role, "de_facto"}
	}
	return out
}()

// anLetter is the CSV letter of a cell.
func anLetter(c MatrixCell) byte {
	var l byte
	switch c.Role {
	case "responsible":
		l = 'R'
	case "accountable":
		l = 'A'
	case "consulted":
		l = 'C'
	default:
		l = 'I'
	}
	if c.Basis == "de_facto" {
		l += 'a' - 'A'
	}
	return l
}

// matrixCellsSQL selects the cells: the scenario's active assignments in scope, as function,
// unit and letter.
func matrixCellsSQL(scenario uuid.UUID, s AnalysisScope) (string, []any) {
	var q anSQL
	sql := q.with(s) + `SELECT a.function_id, a.institution_id, ` + anCellLetter + `
		FROM mandate_assignments a JOIN functions f ON f.id = a.function_id
		WHERE ` + q.active(scenario, s, "a") + ` AND ` + q.inScope(s, "f")
	return sql, q.args
}

// matrixFunctionsSQL selects the functions in scope, by code.
func matrixFunctionsSQL(s AnalysisScope) (string, []any) {
	var q anSQL
	sql := `SELECT fx.id, fx.code, fx.title_es, fx.title_en, fx.category, fx.has_basis FROM ` + q.functions(s) + ` fx ORDER BY fx.code`
	return sql, q.args
}

// matrixUnitsSQL selects the given units, by code.
const matrixUnitsSQL = `SELECT id, code, name_es, name_en, acronym FROM institutions WHERE id = ANY($1::uuid[]) ORDER BY code`

// Matrix computes scenario's function × unit matrix within scope (see AnalysisScope): the cells
// (one scan of the scenario's assignments), the functions in scope, and the units the cells
// name, in three statements after the existence check. With a unit filter, the rows are the
// functions with at least one cell.
//
// Errors: NotFound (no such scenario), Invalid (field unit_id: no such unit; see
// anUnknownReference).
func (a *Analyst) Matrix(ctx context.Context, scenario uuid.UUID, scope AnalysisScope) (Matrix, error) {
	type cell struct {
		function, unit [16]byte
		letter         byte
	}
	var (
		cells     []cell
		functions []FunctionRef
		units     []UnitRef
	)
	err := a.read(ctx, func(tx pgx.Tx) error {
		if err := a.check(ctx, tx, scenario, nil, scope.UnitID); err != nil {
			return err
		}

		sql, args := matrixCellsSQL(scenario, scope)
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("matrix cells: %w", err)
		}
		var (
			fid, uid pgtype.UUID // binary, where uuid.UUID would be scanned through its text
			letter   string
			seen     = map[[16]byte]bool{}
			ids      []pgtype.UUID
		)
		for rows.Next() {
			if err := rows.Scan(&fid, &uid, &letter); err != nil {
				rows.Close()
				return fmt.Errorf("matrix cells: %w", err)
			}
			cells = append(cells, cell{function: fid.Bytes, unit: uid.Bytes, letter: letter[0]})
			if !seen[uid.Bytes] {
				seen[uid.Bytes] = true
				ids = append(ids, uid)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("matrix cells: %w", err)
		}

		sql, args = matrixFunctionsSQL(scope)
		rows, err = tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("matrix functions: %w", err)
		}
		for rows.Next() {
			var f FunctionRef
			if err := rows.Scan(&fid, &f.Code, &f.TitleES, &f.TitleEN, &f.Category, &f.HasLegalBasis); err != nil {
				rows.Close()
				return fmt.Errorf("matrix functions: %w", err)
			}
			f.ID = fid.Bytes
			functions = append(functions, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("matrix functions: %w", err)
		}

		rows, err = tx.Query(ctx, matrixUnitsSQL, ids)
		if err != nil {
			return fmt.Errorf("matrix units: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u UnitRef
			if err := rows.Scan(&uid, &u.Code, &u.NameES, &u.NameEN, &u.Acronym); err != nil {
				return fmt.Errorf("matrix units: %w", err)
			}
			u.ID = uid.Bytes
			units = append(units, u)
		}
		return rows.Err()
	})
	if err != nil {
		return Matrix{}, err
	}

	// Index rows and columns, place the cells, and drop rows without cells under a unit filter.
	out := Matrix{ScenarioID: scenario, Functions: []FunctionRef{}, Units: units, Cells: make([]MatrixCell, 0, len(cells))}
	if out.Units == nil {
		out.Units = []UnitRef{}
	}
	row := make(map[[16]byte]int, len(functions))
	for i, f := range functions {
		row[f.ID] = i
	}
	col := make(map[[16]byte]int, len(units))
	for i, u := range units {
		col[u.ID] = i
	}
	perRow := make([]int, len(functions)) // cells per row
	for _, c := range cells {
		perRow[row[c.function]]++
	}
	keep := make([]int, len(functions)) // new index of each row, -1 when dropped
	for i, f := range functions {
		if scope.UnitID != nil && perRow[i] == 0 {
			keep[i] = -1
			continue
		}
		keep[i] = len(out.Functions)
		out.Functions = append(out.Functions, f)
	}
	start, n := make([]int, len(functions)), 0
	for i, c := range perRow {
		start[i], n = n, n+c
	}
	out.Cells = out.Cells[:n]
	for _, c := range cells {
		r := row[c.function]
		l := anCells[c.letter&127]
		out.Cells[start[r]] = MatrixCell{F: keep[r], U: col[c.unit], Role: l.role, Basis: l.basis}
		start[r]++
	}
	for i, c := range perRow { // each row's cells by column
		end := start[i]
		slices.SortFunc(out.Cells[end-c:end], func(x, y MatrixCell) int { return x.U - y.U })
	}
	return out, nil
}

// WriteCSV writes m as CSV: a header (function_code, function_title_es, function_title_en,
// category, then one column per unit code), then one line per function whose unit columns hold
// R, A, C or I (lower-case when de facto), or nothing. The header and each line's text fields
// go through encoding/csv (which quotes what needs quoting); the unit columns, single letters
// that never need quoting, are appended directly, since a matrix can have millions of them.
func (m Matrix) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	header := make([]string, 0, 4+len(m.Units))
	header = append(header, "function_code", "function_title_es", "function_title_en", "category")
	for _, u := range m.Units {
		header = append(header, u.Code)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	// Each line is its text fields, then for each unit a comma and its letter, if any.
	var (
		fields  [4]string
		line    []byte
		text    bytes.Buffer
		fieldsW = csv.NewWriter(&text)
		next    int
	)
	for i, f := range m.Functions {
		fields[0], fields[1], fields[2], fields[3] = f.Code, anDeref(f.TitleES), anDeref(f.TitleEN), f.Category
		text.Reset()
		if err := fieldsW.Write(fields[:]); err != nil {
			return err
		}
		if fieldsW.Flush(); fieldsW.Error() != nil {
			return fieldsW.Error()
		}
		line = append(line[:0], bytes.TrimSuffix(text.Bytes(), []byte("\n"))...)
		col := 0
		for ; next < len(m.Cells) && m.Cells[next].F == i; next++ {
			c := m.Cells[next]
			for ; col <= c.U; col++ {
				line = append(line, ',')
			}
			line = append(line, anLetter(c))
		}
		for ; col < len(m.Units); col++ {
			line = append(line, ',')
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func anDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
