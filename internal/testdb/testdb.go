// Package testdb gives each test its own migrated PostgreSQL database, cloned from a template
// that is migrated once per set of migrations, so test packages run in parallel without sharing
// data. It talks to a real server: PUENTE_TEST_DATABASE_URL (set by `make test`), else whatever
// scripts/devdb.sh finds or starts.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/internal/database"
)

var (
	setupOnce sync.Once
	adminURL  string
	template  string
	setupErr  error
)

// New returns a fresh, migrated, empty database for t; it is dropped when t ends.
func New(t testing.TB) *database.DB {
	t.Helper()
	db, _ := NewWithURL(t)
	return db
}

// NewWithURL is New, also returning the database's URL for code that connects by itself.
func NewWithURL(t testing.TB) (*database.DB, string) {
	t.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	ctx := context.Background()
	name := "puente_test_" + randomHex(6)
	if err := adminExec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	dbURL := withDatabase(adminURL, name)
	db, err := database.Open(ctx, dbURL, database.Options{MaxConns: 10, StatementTimeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		_ = adminExec(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return db, dbURL
}

func setup() error {
	adminURL = os.Getenv("PUENTE_TEST_DATABASE_URL")
	if adminURL == "" {
		u, err := devdbURL()
		if err != nil {
			return err
		}
		adminURL = u
	}
	fp, err := database.Fingerprint()
	if err != nil {
		return err
	}
	template = "puente_template_" + fp
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	// Test binaries of several packages start at once; one of them builds the template.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('puente.testdb.template'))`); err != nil {
		return err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtext('puente.testdb.template'))`)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_building"
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+building); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	db, err := database.Open(ctx, withDatabase(adminURL, building), database.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	m, err := database.NewMigrator(db.SQL)
	if err == nil {
		_, err = m.Up(ctx)
	}
	db.Close()
	if err != nil {
		return err
	}
	// Renamed only once complete, so a crash never leaves a half-migrated template behind.
	_, err = conn.Exec(ctx, `ALTER DATABASE `+building+` RENAME TO `+template)
	return err
}

func adminExec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// devdbURL asks the project's script for a server, from the module root.
func devdbURL() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
	out, err := exec.Command(filepath.Join(dir, "scripts", "devdb.sh"), "url", "postgres").Output()
	if err != nil {
		return "", fmt.Errorf("scripts/devdb.sh: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the database"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
