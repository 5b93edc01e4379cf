package refs_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/testdb"
)

// fixture is a database with two tables of its own, so that the test depends on no resource's
// schema: things, some archived and one closed, and others.
type fixture struct {
	db                              *database.DB
	live, archived, closed          uuid.UUID
	liveOther, unknown, alsoUnknown uuid.UUID
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{db: testdb.New(t), live: uuid.New(), archived: uuid.New(), closed: uuid.New(),
		liveOther: uuid.New(), unknown: uuid.New(), alsoUnknown: uuid.New()}
	for _, sql := range []string{
		`CREATE TABLE things (id uuid PRIMARY KEY, status text NOT NULL, archived_at timestamptz)`,
		`CREATE TABLE others (id uuid PRIMARY KEY, archived_at timestamptz)`,
	} {
		if err := f.db.Conn(context.Background()).Exec(sql).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := f.db.Conn(context.Background()).Exec(`INSERT INTO things VALUES
		(?, 'open', NULL), (?, 'open', now()), (?, 'closed', NULL)`, f.live, f.archived, f.closed).Error; err != nil {
		t.Fatalf("insert things: %v", err)
	}
	if err := f.db.Conn(context.Background()).Exec(`INSERT INTO others VALUES (?, NULL)`, f.liveOther).Error; err != nil {
		t.Fatalf("insert others: %v", err)
	}
	return f
}

// check runs refs.Check and returns the fields it names (nil when it passes) and the statements
// it cost.
func (f fixture) check(t *testing.T, lists ...refs.List) ([]apperr.FieldError, int64) {
	t.Helper()
	tx := f.db.Conn(context.Background())
	start := f.db.Queries()
	err := refs.Check(tx, "the thing refers to what does not exist", lists...)
	n := f.db.Queries() - start
	if err == nil {
		return nil, n
	}
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Unprocessable || e.Message != "the thing refers to what does not exist" {
		t.Fatalf("want an Unprocessable error with the caller's message, got %v", err)
	}
	return e.Fields, n
}

// fields is the field errors named by pairs of field and message.
func fields(pairs ...string) []apperr.FieldError {
	var out []apperr.FieldError
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, apperr.FieldError{Field: pairs[i], Message: pairs[i+1]})
	}
	return out
}

func TestCheck(t *testing.T) {
	f := newFixture(t)
	things := func(l refs.List) refs.List {
		l.Table, l.Missing = "things", "no such thing"
		if l.Field == "" {
			l.Field = "thing_ids"
		}
		return l
	}
	closed := refs.Rule{Where: "status = 'closed'", Says: "is closed"}
	for _, c := range []struct {
		name       string
		lists      []refs.List
		want       []apperr.FieldError
		statements int64
	}{
		{"every id exists: archived rows are still referable",
			[]refs.List{things(refs.List{IDs: []uuid.UUID{f.live, f.archived, f.closed}})}, nil, 1},
		{"missing ids are named by position",
			[]refs.List{things(refs.List{IDs: []uuid.UUID{f.live, f.unknown, f.archived, f.alsoUnknown}})},
			fields("thing_ids.1", "no such thing", "thing_ids.3", "no such thing"), 1},
		{"Active counts archived rows as missing",
			[]refs.List{things(refs.List{IDs: []uuid.UUID{f.archived, f.live}, Active: true})},
			fields("thing_ids.0", "no such thing"), 1},
		{"a single id is named by its field alone",
			[]refs.List{things(refs.List{Field: "thing_id", ID: &f.unknown})},
			fields("thing_id", "no such thing"), 1},
		{"a rule names a row it refuses; missing still wins",
			[]refs.List{things(refs.List{IDs: []uuid.UUID{f.archived, f.closed, f.live, f.unknown},
				Refuse: []refs.Rule{refs.Archived, closed}})},
			fields("thing_ids.0", "is archived", "thing_ids.1", "is closed", "thing_ids.3", "no such thing"), 1},
		{"the first matching rule names the row",
			[]refs.List{things(refs.List{Field: "thing_id", ID: &f.closed, Refuse: []refs.Rule{closed, refs.Archived}})},
			fields("thing_id", "is closed"), 1},
		{"kept ids are not checked again, and the others keep their positions",
			[]refs.List{things(refs.List{IDs: []uuid.UUID{f.archived, f.unknown, f.alsoUnknown}, Active: true,
				Kept: []uuid.UUID{f.archived, f.unknown}})},
			fields("thing_ids.2", "no such thing"), 1},
		{"fields come in the order of lists",
			[]refs.List{
				things(refs.List{Field: "thing_id", ID: &f.unknown}),
				{Table: "others", Field: "other_ids", Missing: "no such other", IDs: []uuid.UUID{f.liveOther, f.live}},
				things(refs.List{IDs: []uuid.UUID{f.alsoUnknown}}),
			},
			fields("thing_id", "no such thing", "other_ids.1", "no such other", "thing_ids.0", "no such thing"), 2},
		{"lists of one table under the same rules share a statement",
			[]refs.List{things(refs.List{Field: "thing_id", ID: &f.live}), things(refs.List{IDs: []uuid.UUID{f.closed}})}, nil, 1},
		{"lists of one table under different rules do not",
			[]refs.List{things(refs.List{Field: "thing_id", ID: &f.live, Active: true}), things(refs.List{IDs: []uuid.UUID{f.closed}})}, nil, 2},
		{"empty lists, nil ids and kept ids cost no statement",
			[]refs.List{
				things(refs.List{}),
				things(refs.List{Field: "thing_id", ID: nil}),
				things(refs.List{IDs: []uuid.UUID{f.unknown}, Kept: []uuid.UUID{f.unknown}}),
			}, nil, 0},
		{"no lists cost no statement", nil, nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, n := f.check(t, c.lists...)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("fields: got %v, want %v", got, c.want)
			}
			if n != c.statements {
				t.Errorf("cost %d statements, want %d", n, c.statements)
			}
		})
	}
}

// A failing statement is an internal error, not a refusal.
func TestCheckFailure(t *testing.T) {
	f := newFixture(t)
	err := refs.Check(f.db.Conn(context.Background()), "x",
		refs.List{Table: "no_such_table", Field: "ids", Missing: "no such row", IDs: []uuid.UUID{f.live}})
	if err == nil || apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("want an internal error, got %v", err)
	}
}

// Check runs inside the caller's transaction: it sees what the transaction wrote.
func TestCheckInTransaction(t *testing.T) {
	f := newFixture(t)
	fresh := uuid.New()
	err := f.db.InTx(context.Background(), func(_ context.Context, tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO things VALUES (?, 'open', NULL)`, fresh).Error; err != nil {
			return err
		}
		return refs.Check(tx, "x", refs.List{Table: "things", Field: "thing_id", Missing: "no such thing", ID: &fresh})
	})
	if err != nil {
		t.Fatalf("a row written in the transaction is missing: %v", err)
	}
}

func TestArrayParse(t *testing.T) {
	if a := refs.Array(nil); a == nil || len(a) != 0 {
		t.Errorf("Array(nil) = %#v, want an empty, non-nil array (the columns are NOT NULL)", a)
	}
	if ids := refs.Parse(nil); ids == nil || len(ids) != 0 {
		t.Errorf("Parse(nil) = %#v, want an empty, non-nil slice", ids)
	}
	ids := []uuid.UUID{uuid.New(), uuid.New()}
	if got := refs.Parse(refs.Array(ids)); !reflect.DeepEqual(got, ids) {
		t.Errorf("round trip: got %v, want %v", got, ids)
	}
}

func TestSame(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	a2 := a
	for _, c := range []struct {
		x, y *uuid.UUID
		want bool
	}{
		{nil, nil, true}, {&a, nil, false}, {nil, &a, false}, {&a, &a2, true}, {&a, &b, false},
	} {
		if got := refs.Same(c.x, c.y); got != c.want {
			t.Errorf("Same(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}
