// Package imports loads records in bulk from scripts and exports them back: a streamed body is
// checked row by row with the same rules as each resource's create endpoint, staged with COPY
// and written with one set-based statement per batch, as a job whose state lives in the
// database. Each resource area describes its records to it with a Resource; the importer knows
// no resource by name.
package imports

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Resource tells the importer how rows of one kind of record are checked and written.
//
// A row goes through three gates, the same a create request goes through: the contract's
// Create schema (types, enums, lengths, required members), Prepare (the resource's own Validate,
// on the decoded create body), and Checks (what needs the database: references, ownership),
// which run set-based over a batch staged in a temporary table.
type Resource struct {
	// Name is the resource as the API names it: the import's resource parameter and the last
	// segment of its export path ("observations").
	Name string
	// Create and Represent name the contract's create-body schema and representation schema.
	// Rows are checked against Create; members only Represent has (id, version, timestamps,
	// computed members) are accepted and ignored, so an export imports back.
	Create, Represent string
	// WriteScope is the scope a caller needs to write these records one by one; importing them
	// needs it too.
	WriteScope string
	// Table is the table written.
	Table string
	// Keys maps each key the resource supports ("code", "external_id", "id") to the columns that
	// match a row to a record. The columns must carry a unique constraint or index. DefaultKey is
	// used when the import names none.
	Keys       map[string][]string
	DefaultKey string
	// KeyWhere narrows which stored records a key matches, for a key unique only among some rows
	// (a partial unique index): an SQL condition over the stored record's alias t, such as
	// "t.archived_at IS NULL". It is the index's predicate in ON CONFLICT too.
	KeyWhere string
	// Columns are what Prepare returns for each row, in order. The first must be "id": Prepare
	// gives every row a new time-ordered id, which a record keeps only when the row creates it
	// (unless the key is "id", when the row's own id is used).
	Columns []Column
	// Prepare decodes one row (a JSON object that already satisfies the Create schema, with
	// nulls removed) and returns its column values, or an error: an *apperr.Error whose field
	// errors become the row's errors, as its create endpoint's would.
	Prepare func(ctx context.Context, doc []byte) ([]any, error)
	// Checks run over each staged batch before it is written.
	Checks []Check
	// Owner is an SQL expression giving the institution that owns a record, written over the
	// alias %[1]s, which is the staged row and also (for rows that update) the stored record —
	// so it may only use columns of Table. Editors and partners import only rows whose owner,
	// before and after, is their institution or a unit below it. Empty: they cannot import
	// this resource at all.
	Owner string
	// Write replaces the generic set-based write, for records that need more than one table or
	// statement (child tables, positions, rules only a write can check). Nil: the generic
	// upsert, insert or update, as the strategy says. A dry run (mode=validate) runs it too, in
	// the transaction it rolls back, so what it refuses a dry run refuses.
	Write func(ctx context.Context, tx pgx.Tx, w *Batch) (Counts, error)
	// Translate turns a database error from a write of one row into the field and message the
	// row is reported with (a unique or check constraint the Checks did not foresee). Nil, or ok
	// false: a generic message.
	Translate func(err error) (field, message string, ok bool)
}

// Column is one staged and written column.
type Column struct {
	Name string
	// Type is the PostgreSQL type of the staging column ("uuid", "text", "text[]", "jsonb",
	// "date", "double precision", "boolean", "integer", "bigint", "numeric").
	Type string
	// Keep columns are written when a record is created and never changed by an update (id,
	// demo, the key itself).
	Keep bool
}

// Check is one set-based rule. SQL selects the lines of the rows that break it, and a message
// for each: `SELECT s.line, 'no such indicator' FROM %[1]s s LEFT JOIN … WHERE …`, where %[1]s
// is the staging table. Rows it selects are refused with Field and the message.
type Check struct {
	Field string
	SQL   string
}

// Counts are what a batch did. A custom Write reports Created and Updated; the importer works
// out Unchanged.
type Counts struct {
	Created, Updated, Unchanged int64
}

// Batch is a staged batch, as a custom Write sees it.
type Batch struct {
	// Stage is the staging table's name: the batch's rows with a "line" column and Columns.
	Stage string
	// Key is the columns rows are matched on; Strategy is "create", "update" or "upsert".
	Key      []string
	Strategy string
	// Lines bound the rows to write: those with Lo <= line <= Hi. The importer narrows them to
	// find which row a failing statement trips on.
	Lo, Hi int64
	// Resource is the resource being written.
	Resource *Resource

	statements statements
}

// Registry is the set of importable resources, by name.
type Registry map[string]*Resource

// Register adds resources; a name given twice is a programming error.
func (r Registry) Register(rs ...*Resource) {
	for _, res := range rs {
		if _, dup := r[res.Name]; dup {
			panic("imports: resource " + res.Name + " registered twice")
		}
		r[res.Name] = res
	}
}

// errNoKey is returned for a key the resource does not support.
var errNoKey = errors.New("key not supported")

// keyColumns returns the columns of key, or the default key's when key is empty.
func (r *Resource) keyColumns(key string) (string, []string, error) {
	if key == "" {
		key = r.DefaultKey
	}
	cols, ok := r.Keys[key]
	if !ok {
		return key, nil, errNoKey
	}
	return key, cols, nil
}
