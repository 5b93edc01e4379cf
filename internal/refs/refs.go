// Package refs checks that the rows a write refers to exist before it is stored, so that every
// resource refuses a dangling reference the same way: one Unprocessable error naming each
// offending id by the request field that holds it (`function_ids.1`: "no such function"), rather
// than a foreign-key violation (uuid[] columns have none) naming only the first.
//
// It also holds the conversions between []uuid.UUID and the uuid[] columns those references are
// stored in.
package refs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
)

// List is the ids a write refers to in one table, and how to name those that do not qualify.
type List struct {
	Table   string // the table the ids are keys of
	Field   string // the request field holding them
	Missing string // what an id with no row is called, e.g. "no such function"

	// ID is the id of a single-valued field, named Field; IDs the ids of a list field, each named
	// Field.<position>. Set one of them; a nil ID or an empty IDs is nothing to check.
	ID  *uuid.UUID
	IDs []uuid.UUID

	// Active counts an archived row as missing, for references that must be live when made.
	Active bool
	// Kept are ids the record referred to already. They are not checked again, since archiving
	// a row keeps what refers to it; the others keep their positions in IDs.
	Kept []uuid.UUID
	// Refuse names an id whose row exists but matches a rule, by the first rule it matches.
	Refuse []Rule
}

// Rule refuses a row that matches Where, a constant SQL condition on the row's table (never
// built from input), saying Says.
type Rule struct{ Where, Says string }

// Archived refuses an archived row as archived rather than as missing (compare List.Active), for
// single references where telling the two apart helps the writer.
var Archived = Rule{Where: "archived_at IS NOT NULL", Says: "is archived"}

// Check returns an Unprocessable error with message naming every id of lists that has no row or
// that a rule refuses, in the order of lists and positions, or nil when all qualify. Lists of the
// same table under the same rules share one statement whatever their length; lists with nothing
// to check cost none.
//
// Errors: Unprocessable.
func Check(tx *gorm.DB, message string, lists ...List) error {
	var lookups []*lookup
	of := make([]*lookup, len(lists))
	for i, l := range lists {
		ids := l.unchecked()
		if len(ids) == 0 {
			continue
		}
		k := slices.IndexFunc(lookups, func(q *lookup) bool {
			return q.table == l.Table && q.active == l.Active && slices.Equal(q.refuse, l.Refuse)
		})
		if k < 0 {
			lookups = append(lookups, &lookup{table: l.Table, active: l.Active, refuse: l.Refuse})
			k = len(lookups) - 1
		}
		lookups[k].ids = append(lookups[k].ids, ids...)
		of[i] = lookups[k]
	}
	for _, q := range lookups {
		if err := q.run(tx); err != nil {
			return err
		}
	}
	e := apperr.New(apperr.Unprocessable, "%s", message)
	for i, l := range lists {
		if of[i] == nil {
			continue
		}
		for pos, id := range l.all() {
			if slices.Contains(l.Kept, id) {
				continue
			}
			field := l.Field
			if l.ID == nil {
				field += "." + strconv.Itoa(pos)
			}
			rule, found := of[i].found[id]
			switch {
			case !found:
				e.WithField(field, l.Missing)
			case rule > 0:
				e.WithField(field, l.Refuse[rule-1].Says)
			}
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// all is the ids of l, a single one or a list.
func (l List) all() []uuid.UUID {
	if l.ID != nil {
		return []uuid.UUID{*l.ID}
	}
	return l.IDs
}

// unchecked is the ids of l that are not kept.
func (l List) unchecked() []uuid.UUID {
	var out []uuid.UUID
	for _, id := range l.all() {
		if !slices.Contains(l.Kept, id) {
			out = append(out, id)
		}
	}
	return out
}

// lookup is one statement: which of ids have a row in table and which rule, if any, refuses it.
type lookup struct {
	table  string
	active bool
	refuse []Rule
	ids    []uuid.UUID
	found  map[uuid.UUID]int // the rows found: 0, or 1 + the index of the first rule refusing it
}

func (q *lookup) run(tx *gorm.DB) error {
	cols := "id"
	if len(q.refuse) > 0 {
		var c strings.Builder
		c.WriteString(", CASE")
		for i, r := range q.refuse {
			fmt.Fprintf(&c, " WHEN %s THEN %d", r.Where, i+1)
		}
		c.WriteString(" ELSE 0 END AS refused")
		cols += c.String()
	}
	stmt := tx.Table(q.table).Select(cols).Where("id = ANY(?::uuid[])", Array(q.ids))
	if q.active {
		stmt = stmt.Where("archived_at IS NULL")
	}
	var rows []struct {
		ID      uuid.UUID
		Refused int
	}
	if err := stmt.Scan(&rows).Error; err != nil {
		return fmt.Errorf("load %s: %w", q.table, err)
	}
	q.found = make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		q.found[r.ID] = r.Refused
	}
	return nil
}

// Array is ids as a PostgreSQL uuid[] value, as a column or an argument (cast it: `?::uuid[]`).
// It is never nil, as the array columns are NOT NULL.
func Array(ids []uuid.UUID) pq.StringArray {
	out := make(pq.StringArray, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// Parse is a stored uuid[] as ids, never nil. It panics on an invalid id, which PostgreSQL never
// returns from a uuid[] column.
func Parse(a pq.StringArray) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(a))
	for _, s := range a {
		out = append(out, uuid.MustParse(s))
	}
	return out
}

// Same reports whether two optional references name the same row (two nils do): a write that
// keeps a reference need not check or authorise it again.
func Same(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
