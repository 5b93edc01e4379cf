package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/testdb"
)

func TestAdministration(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	t.Setenv("DATABASE_URL", url)
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, &out, io.Discard)
		return out.String(), err
	}

	out, err := cli("migrate", "status")
	if err != nil || !strings.Contains(out, "applied") || !strings.Contains(out, "00001_foundation.sql") {
		t.Fatalf("migrate status: %v\n%s", err, out)
	}

	out, err = cli("users", "create", "--email", "ana@rree.test", "--name", "Ana", "--role", "editor")
	if err != nil || !regexp.MustCompile(`password \(shown once\): \S{12,}`).MatchString(out) {
		t.Fatalf("users create: %v\n%s", err, out)
	}
	var n int64
	db.Conn(ctx).Raw(`SELECT count(*) FROM users WHERE email = 'ana@rree.test' AND roles = '{editor}'`).Scan(&n)
	if n != 1 {
		t.Fatalf("user row: %d", n)
	}
	if _, err := cli("users", "create", "--email", "ana@rree.test", "--name", "Ana", "--role", "editor"); err == nil {
		t.Fatal("a duplicate email must fail")
	}
	if _, err := cli("users", "create", "--email", "bob@rree.test", "--name", "Bob", "--role", "wizard"); err == nil {
		t.Fatal("an unknown role must fail")
	}
	if _, err := cli("users", "create", "--email", "bob@rree.test", "--name", "Bob", "--role", "viewer", "--institution", "NOPE"); err == nil {
		t.Fatal("an unknown institution must fail")
	}

	out, err = cli("clients", "create", "--client-id", "inei-loader", "--name", "INEI", "--role", "importer", "--scope", "institutions:read")
	if err != nil || !strings.Contains(out, "client secret (shown once): ") {
		t.Fatalf("clients create: %v\n%s", err, out)
	}
	secret := strings.TrimSpace(out[strings.Index(out, "once): ")+len("once): "):])
	var stored struct{ SecretHash []byte }
	db.Conn(ctx).Raw(`SELECT secret_hash FROM api_clients WHERE client_id = 'inei-loader'`).Scan(&stored)
	if len(stored.SecretHash) != 32 || len(secret) < 40 || bytes.Contains(stored.SecretHash, []byte(secret)) {
		t.Fatalf("the secret must be stored hashed only")
	}
	if _, err := cli("clients", "create", "--client-id", "x", "--name", "X", "--role", "viewer", "--scope", "institutions:write"); err == nil {
		t.Fatal("a scope beyond the role must fail")
	}

	out, err = cli("keys", "rotate")
	if err != nil || !strings.Contains(out, "now signing with key") {
		t.Fatalf("keys rotate: %v\n%s", err, out)
	}
	db.Conn(ctx).Raw(`SELECT count(DISTINCT action) FROM audit_events WHERE action IN ('user.create', 'api_client.create', 'signing_key.rotate') AND actor_kind = 'system'`).Scan(&n)
	if n != 3 {
		t.Fatalf("want the 3 kinds of CLI write audited, got %d", n)
	}
	if _, err := cli("frobnicate", "now"); err == nil {
		t.Fatal("an unknown command must fail")
	}
}
