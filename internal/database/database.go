// Package database opens Puente's PostgreSQL pool, runs its migrations and carries transactions
// through a context so that a write, its audit event and its idempotency record commit together.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/puente-mre/puente/internal/apperr"
)

// DB is the pool, seen three ways: pgx for bulk copies, database/sql for migrations, GORM for
// everything else. All three share one set of connections.
type DB struct {
	Pool    *pgxpool.Pool
	SQL     *sql.DB
	gorm    *gorm.DB
	queries *atomic.Int64
}

// Queries returns how many statements this pool has sent. Tests use it to prove that an
// endpoint's query count does not grow with the data (no query per row).
func (db *DB) Queries() int64 { return db.queries.Load() }

// queryCounter is a pgx tracer that counts statements.
type queryCounter struct{ n *atomic.Int64 }

func (c queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// Options tune the pool.
type Options struct {
	MaxConns         int
	StatementTimeout time.Duration
}

// Open connects and pings. The statement timeout is set per connection so that no query, even
// one a bug makes slow, holds a connection for long.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = int32(opts.MaxConns)
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "puente"
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	queries := new(atomic.Int64)
	cfg.ConnConfig.Tracer = queryCounter{n: queries}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		// Name the model's columns instead of SELECT *: tables carry generated columns (search
		// vectors) that no Go struct reads, and shipping them costs real time on lists.
		QueryFields:    true,
		TranslateError: false,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	return &DB{Pool: pool, SQL: sqlDB, gorm: gdb, queries: queries}, nil
}

// Close releases every connection.
func (db *DB) Close() {
	_ = db.SQL.Close()
	db.Pool.Close()
}

type txKey struct{}

// Conn returns the transaction carried by ctx, or the pool; either way bound to ctx.
func (db *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.gorm.WithContext(ctx)
}

// InTx runs fn in a transaction. Inside an outer transaction (one carried by ctx) it runs in a
// savepoint of it instead, so the outer caller still decides whether everything commits.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *gorm.DB) error) error {
	return db.Conn(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx), tx)
	})
}

// Begin starts a transaction and returns a context carrying it, for callers (such as the
// idempotency middleware) that must decide on commit after fn-shaped code has run.
func (db *DB) Begin(ctx context.Context) (context.Context, *gorm.DB, error) {
	tx := db.gorm.WithContext(ctx).Begin()
	if tx.Error != nil {
		return ctx, nil, fmt.Errorf("begin: %w", tx.Error)
	}
	return context.WithValue(ctx, txKey{}, tx), tx, nil
}

// PostgreSQL error codes Puente reacts to.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
)

// UniqueViolation reports whether err is a unique-constraint violation, and of which constraint.
func UniqueViolation(err error) (constraint string, ok bool) {
	return pgCode(err, codeUniqueViolation)
}

// ForeignKeyViolation reports whether err is a foreign-key violation, and of which constraint.
func ForeignKeyViolation(err error) (constraint string, ok bool) {
	return pgCode(err, codeForeignKeyViolation)
}

// CheckViolation reports whether err is a check-constraint violation, and of which constraint.
func CheckViolation(err error) (constraint string, ok bool) {
	return pgCode(err, codeCheckViolation)
}

func pgCode(err error, code string) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == code {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// Lock is the row lock Take takes: none, FOR UPDATE or FOR SHARE (inside a transaction).
type Lock string

// Row locks.
const (
	NoLock    Lock = ""
	ForUpdate Lock = "UPDATE"
	ForShare  Lock = "SHARE"
)

// LockIf is ForUpdate when update, else NoLock.
func LockIf(update bool) Lock {
	if update {
		return ForUpdate
	}
	return NoLock
}

// Take loads the one T matching where, with lock. A missing row is an apperr NotFound naming
// what, e.g. "institution 0192…".
func Take[T any](tx *gorm.DB, lock Lock, what, where string, args ...any) (T, error) {
	var v T
	q := tx
	if lock != NoLock {
		q = q.Clauses(clause.Locking{Strength: string(lock)})
	}
	err := q.Where(where, args...).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, apperr.New(apperr.NotFound, "%s not found", what)
	}
	if err != nil {
		return v, fmt.Errorf("load %s: %w", what, err)
	}
	return v, nil
}
