package mandates

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/internal/imports"
)

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{InstrumentImport(), FunctionImport(), ScenarioImport(), AssignmentImport()}
}

// refCheck refuses rows whose column names no row of table, or an archived one that the stored
// record the row writes did not name already: archiving a record keeps what refers to it, and
// the services check a reference again only when it changes. stored is that record, as a FROM
// clause with its alias k, correlated with the staged row s ("functions k WHERE k.id = s.id OR
// k.code = s.code"). what names the referenced record in messages.
func refCheck(field, column, table, what, stored string) imports.Check {
	return imports.Check{Field: field, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such %[4]s' ELSE 'the %[4]s is archived' END
FROM %%[1]s s LEFT JOIN %[3]s r ON r.id = s.%[2]s
WHERE s.%[2]s IS NOT NULL AND (r.id IS NULL OR (r.archived_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM %[5]s AND k.%[2]s = s.%[2]s)))`, field, column, table, what, stored)}
}

// storedByCode is the stored record a staged row of a table with a code writes: the one with
// its id (key=id) or, since with key=code the row's id is new, the one with its code.
func storedByCode(table string) string {
	return table + " k WHERE (k.id = s.id OR k.code = s.code)"
}

// tableWrite is the importer's set-based write (imports.Write) for tables it cannot write
// alone: staged columns the table has not (skip), and a key whose unique index covers active
// rows only (activeKey: an archived record keeps its key, and a row with that key creates a new
// record, as the single-record endpoint does after an archive). Key "id" is always the primary
// key.
type tableWrite struct {
	table     string
	skip      []string
	activeKey bool
}

// write writes rows b.Lo..b.Hi of the stage as b.Strategy says and counts what it did:
// unchanged rows are neither rewritten nor counted.
func (w tableWrite) write(ctx context.Context, tx pgx.Tx, b *imports.Batch) (imports.Counts, error) {
	var names, changing []string
	for _, c := range b.Resource.Columns {
		if slices.Contains(w.skip, c.Name) {
			continue
		}
		names = append(names, c.Name)
		if !c.Keep && !slices.Contains(b.Key, c.Name) {
			changing = append(changing, c.Name)
		}
	}
	active := w.activeKey && !slices.Equal(b.Key, []string{"id"})
	prefixed := func(alias string, cs []string) string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = alias + "." + c
		}
		return strings.Join(out, ", ")
	}
	assign := func(from string) string {
		out := make([]string, len(changing))
		for i, c := range changing {
			out[i] = c + " = " + from + "." + c
		}
		return strings.Join(out, ", ")
	}
	bump := "version = t.version + 1, updated_at = now(), archived_at = NULL"
	changed := fmt.Sprintf("(ROW(%s) IS DISTINCT FROM ROW(%s) OR t.archived_at IS NOT NULL)", prefixed("t", changing), prefixed("s", changing))
	insert := fmt.Sprintf("INSERT INTO %s AS t (%s) SELECT %s FROM %s s WHERE s.line BETWEEN $1 AND $2 ORDER BY s.line",
		w.table, strings.Join(names, ", "), prefixed("s", names), b.Stage)
	var sql string
	switch b.Strategy {
	case "create":
		sql = "WITH w AS (" + insert + " RETURNING 1) SELECT count(*), 0::bigint FROM w"
	case "update":
		where := keyMatch(b.Key)
		if active {
			where += " AND t.archived_at IS NULL"
		}
		sql = fmt.Sprintf(`WITH w AS (UPDATE %s AS t SET %s, %s FROM %s s WHERE s.line BETWEEN $1 AND $2 AND %s AND %s RETURNING 1)
SELECT 0::bigint, count(*) FROM w`, w.table, assign("s"), bump, b.Stage, where, changed)
	default:
		conflict := "(" + strings.Join(b.Key, ", ") + ")"
		if active {
			conflict += " WHERE archived_at IS NULL" // infers the partial unique index
		}
		sql = fmt.Sprintf(`WITH w AS (%s ON CONFLICT %s DO UPDATE SET %s, %s
WHERE ROW(%s) IS DISTINCT FROM ROW(%s) OR t.archived_at IS NOT NULL
RETURNING (t.xmax = 0) AS created)
SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM w`,
			insert, conflict, assign("EXCLUDED"), bump, prefixed("t", changing), prefixed("EXCLUDED", changing))
	}
	var c imports.Counts
	if err := tx.QueryRow(ctx, sql, b.Lo, b.Hi).Scan(&c.Created, &c.Updated); err != nil {
		return imports.Counts{}, fmt.Errorf("write %s: %w", b.Resource.Name, err)
	}
	return c, nil
}

// keyMatch is the condition matching a stored record t to a staged row s on key columns.
func keyMatch(key []string) string {
	out := make([]string, len(key))
	for i, k := range key {
		out[i] = fmt.Sprintf("t.%[1]s = s.%[1]s", k)
	}
	return strings.Join(out, " AND ")
}
