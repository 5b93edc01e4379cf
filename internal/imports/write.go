package imports

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// stageTable is the session's temporary staging table; one job uses a connection at a time.
const stageTable = "puente_import_stage"

// stageDDL creates the staging table for r's columns.
func stageDDL(r *Resource) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TEMP TABLE %s (line bigint NOT NULL", stageTable)
	for _, c := range r.Columns {
		fmt.Fprintf(&b, ", %s %s", c.Name, c.Type)
	}
	b.WriteString(")")
	return b.String()
}

// statements are the SQL of one resource and key, built once per job.
type statements struct {
	upsert, insert, update string
	classify               string // validate mode: how many rows would create and update
	exists, missing        string // strategy checks: rows whose key exists / does not
	owner                  string // scoped callers: rows not theirs
}

func (r *Resource) statements(key string, keyCols []string) statements {
	var names, changing []string
	for _, c := range r.Columns {
		names = append(names, c.Name)
		if !c.Keep && !contains(keyCols, c.Name) {
			changing = append(changing, c.Name)
		}
	}
	cols := strings.Join(names, ", ")
	prefixed := func(alias string, cs []string) string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = alias + "." + c
		}
		return strings.Join(out, ", ")
	}
	var match []string
	for _, k := range keyCols {
		match = append(match, fmt.Sprintf("t.%[1]s = s.%[1]s", k))
	}
	if r.KeyWhere != "" {
		match = append(match, r.KeyWhere)
	}
	on := strings.Join(match, " AND ")
	conflict := strings.Join(keyCols, ", ")
	if r.KeyWhere != "" {
		conflict += ") WHERE (" + strings.ReplaceAll(r.KeyWhere, "t.", "")
	}
	// ROW() so that one changing column compares as a row too.
	changed := fmt.Sprintf("(ROW(%s) IS DISTINCT FROM ROW(%s) OR t.archived_at IS NOT NULL)", prefixed("t", changing), prefixed("s", changing))
	var set, setFrom []string
	for _, c := range changing {
		set = append(set, fmt.Sprintf("%[1]s = EXCLUDED.%[1]s", c))
		setFrom = append(setFrom, fmt.Sprintf("%[1]s = s.%[1]s", c))
	}
	bump := "version = t.version + 1, updated_at = now(), archived_at = NULL"
	inRange := "s.line BETWEEN $1 AND $2"
	st := statements{
		insert: fmt.Sprintf(`WITH w AS (INSERT INTO %[1]s AS t (%[2]s) SELECT %[3]s FROM %[4]s s WHERE %[5]s ORDER BY s.line RETURNING 1)
SELECT count(*), 0::bigint FROM w`, r.Table, cols, prefixed("s", names), stageTable, inRange),
		classify: fmt.Sprintf(`SELECT count(*) FILTER (WHERE t.%[4]s IS NULL), count(*) FILTER (WHERE t.%[4]s IS NOT NULL AND %[5]s)
FROM %[2]s s LEFT JOIN %[1]s t ON %[3]s`, r.Table, stageTable, on, keyCols[0], changed),
		exists: fmt.Sprintf(`SELECT s.line, 'a record with this %[4]s already exists' FROM %[2]s s JOIN %[1]s t ON %[3]s`,
			r.Table, stageTable, on, keyLabel(key, keyCols)),
		missing: fmt.Sprintf(`SELECT s.line, 'no record has this %[4]s' FROM %[2]s s LEFT JOIN %[1]s t ON %[3]s WHERE t.%[5]s IS NULL`,
			r.Table, stageTable, on, keyLabel(key, keyCols), keyCols[0]),
	}
	if len(changing) == 0 {
		st.upsert = fmt.Sprintf(`WITH w AS (INSERT INTO %[1]s AS t (%[2]s) SELECT %[3]s FROM %[4]s s WHERE %[5]s ORDER BY s.line
ON CONFLICT (%[6]s) DO NOTHING RETURNING 1) SELECT count(*), 0::bigint FROM w`, r.Table, cols, prefixed("s", names), stageTable, inRange, conflict)
		st.update = `SELECT 0::bigint, 0::bigint`
	} else {
		st.upsert = upsertSQL(r.Table, cols, names, stageTable, inRange, conflict, set, bump, changing)
		st.update = fmt.Sprintf(`WITH w AS (UPDATE %[1]s AS t SET %[2]s, %[3]s FROM %[4]s s WHERE %[5]s AND %[6]s AND %[7]s RETURNING 1)
SELECT 0::bigint, count(*) FROM w`, r.Table, strings.Join(setFrom, ", "), bump, stageTable, inRange, on, changed)
	}
	if r.Owner != "" {
		st.owner = fmt.Sprintf(`SELECT s.line, 'you may only import records of your own institution' FROM %[2]s s LEFT JOIN %[1]s t ON %[3]s
WHERE NOT coalesce(%[4]s = ANY($1), false) OR (t.%[5]s IS NOT NULL AND NOT coalesce(%[6]s = ANY($1), false))`,
			r.Table, stageTable, on, fmt.Sprintf(r.Owner, "s"), keyCols[0], fmt.Sprintf(r.Owner, "t"))
	}
	return st
}

// upsertSQL inserts rows Lo..Hi, updating those whose key exists when a changing column differs
// (or the record is archived): an unchanged row is counted, not rewritten.
func upsertSQL(table, cols string, names []string, stage, inRange, conflict string, set []string, bump string, changing []string) string {
	var tc, ec []string
	for _, c := range changing {
		tc = append(tc, "t."+c)
		ec = append(ec, "EXCLUDED."+c)
	}
	var sc []string
	for _, n := range names {
		sc = append(sc, "s."+n)
	}
	return fmt.Sprintf(`WITH w AS (INSERT INTO %[1]s AS t (%[2]s) SELECT %[3]s FROM %[4]s s WHERE %[5]s ORDER BY s.line
ON CONFLICT (%[6]s) DO UPDATE SET %[7]s, %[8]s
WHERE ROW(%[9]s) IS DISTINCT FROM ROW(%[10]s) OR t.archived_at IS NOT NULL
RETURNING (t.xmax = 0) AS created)
SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM w`,
		table, cols, strings.Join(sc, ", "), stage, inRange, conflict,
		strings.Join(set, ", "), bump, strings.Join(tc, ", "), strings.Join(ec, ", "))
}

// keyLabel names a key in messages.
func keyLabel(key string, cols []string) string {
	if key == "code" && len(cols) > 1 {
		return strings.Join(cols, " and ")
	}
	return key
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Write is the generic set-based write of rows Lo..Hi of a staged batch, as its strategy says.
// Custom writes call it for the main table and add their own statements.
func Write(ctx context.Context, tx pgx.Tx, b *Batch) (Counts, error) {
	st := b.statements
	sql := st.upsert
	switch b.Strategy {
	case "create":
		sql = st.insert
	case "update":
		sql = st.update
	}
	var c Counts
	if err := tx.QueryRow(ctx, sql, b.Lo, b.Hi).Scan(&c.Created, &c.Updated); err != nil {
		return Counts{}, fmt.Errorf("write %s: %w", b.Resource.Name, err)
	}
	return c, nil
}

// isRowError reports a database error one row can cause (a constraint, a bad value), which the
// importer pins on its row, as opposed to a failure of the import itself.
func isRowError(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	return strings.HasPrefix(pe.Code, "23") || strings.HasPrefix(pe.Code, "22")
}

// rowMessage is what a row that trips err is told.
func (r *Resource) rowMessage(err error) (string, string) {
	if r.Translate != nil {
		if f, m, ok := r.Translate(err); ok {
			return f, m
		}
	}
	var pe *pgconn.PgError
	errors.As(err, &pe)
	switch {
	case pe == nil:
		return "", "could not be written"
	case pe.Code == "23505":
		return "", "conflicts with another record (a value that must be unique is taken)"
	case pe.Code == "23502":
		return pe.ColumnName, "is required"
	case pe.Code == "23503":
		return "", "refers to a record that does not exist"
	case pe.Code == "23514":
		return "", "breaks a rule of this kind of record"
	}
	return "", "has a value the database refuses"
}
