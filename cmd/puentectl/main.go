// Command puentectl administers a Puente database — migrations, users, API clients and signing
// keys, reading DATABASE_URL like the server does — and loads data into and out of a running
// server (import, export) with an API client's credentials, without touching the database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/app"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/config"
	"github.com/puente-mre/puente/internal/database"
)

const usage = `usage: puentectl <command>

  migrate up | down | status     apply, roll back one, or list migrations
  users create --email E --name N --role R [--role R] [--institution CODE] [--password P]
                                 create a user (password from --password or PUENTE_NEW_PASSWORD;
                                 generated and printed once when neither is set)
  clients create --client-id ID --name N --role R [--scope S] [--institution CODE]
                                 create an API client; its secret is printed once
  keys rotate                    start signing tokens with a new key; old keys verify until
                                 tokens they signed expire

  import FILE --resource R [--validate] [--strategy S] [--atomic A] [--key K] [--max-errors N]
         [--format F] [--idempotency-key K] [--no-wait]
                                 upload FILE to a running server, wait for the job, print its report
  export RESOURCE [--format ndjson|csv] [--output FILE] [--filter name=value ...]
                                 stream a resource from a running server
                                 (import and export use PUENTE_URL, PUENTE_CLIENT_ID and
                                 PUENTE_CLIENT_SECRET, not DATABASE_URL; -h for details)
`

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitStatus(err, os.Stderr))
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	// import and export talk HTTP to a server: dispatched before any database is opened.
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runImport(ctx, args[1:], out, errOut)
		case "export":
			return runExport(ctx, args[1:], out, errOut)
		}
	}
	if len(args) < 2 {
		fmt.Fprint(errOut, usage)
		return errors.New("missing command")
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	cfg.MigrateOnStart = false
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = actor.With(ctx, actor.SystemActor)

	switch args[0] + " " + args[1] {
	case "migrate up", "migrate down", "migrate status":
		return migrate(ctx, db, args[1], out)
	case "users create":
		return createUser(ctx, db, args[2:], out)
	case "clients create":
		return createClient(ctx, db, args[2:], out)
	case "keys rotate":
		keys, err := auth.NewKeys(ctx, db)
		if err != nil {
			return err
		}
		kid, err := keys.Rotate(ctx, cfg.AccessTokenTTL)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "now signing with key", kid)
		return nil
	}
	fmt.Fprint(errOut, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args[:2], " "))
}

func migrate(ctx context.Context, db *database.DB, verb string, out io.Writer) error {
	m, err := database.NewMigrator(db.SQL)
	if err != nil {
		return err
	}
	switch verb {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "applied %d migration(s)\n", n)
	case "down":
		return m.Down(ctx)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			fmt.Fprintf(out, "%-8s %s\n", s.State, s.Source.Path)
		}
	}
	return nil
}

func institutionID(ctx context.Context, db *database.DB, code string) (*uuid.UUID, error) {
	if code == "" {
		return nil, nil
	}
	var id uuid.UUID
	res := db.Conn(ctx).Raw(`SELECT id FROM institutions WHERE code = ?`, code).Scan(&id)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, fmt.Errorf("no institution with code %s", code)
	}
	return &id, nil
}

func createUser(ctx context.Context, db *database.DB, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	email := fs.String("email", "", "email (the login name)")
	name := fs.String("name", "", "display name")
	inst := fs.String("institution", "", "code of the user's institution")
	password := fs.String("password", os.Getenv("PUENTE_NEW_PASSWORD"), "password (at least 12 characters)")
	var roles multi
	fs.Var(&roles, "role", "role: admin, coordinator, editor, partner, viewer, importer (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	instID, err := institutionID(ctx, db, *inst)
	if err != nil {
		return err
	}
	pw, generated := *password, false
	if pw == "" {
		pw, generated = uuid.NewString(), true
	}
	u, err := auth.NewAccounts(db).CreateUser(ctx, auth.NewUser{Email: *email, Name: *name, Password: pw, Roles: roles, InstitutionID: instID})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created user %s (%s)\n", u.Email, u.ID)
	if generated {
		fmt.Fprintf(out, "password (shown once): %s\n", pw)
	}
	return nil
}

func createClient(ctx context.Context, db *database.DB, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("clients create", flag.ContinueOnError)
	clientID := fs.String("client-id", "", "client id")
	name := fs.String("name", "", "what the client is")
	inst := fs.String("institution", "", "code of the client's institution")
	var roles, scopes multi
	fs.Var(&roles, "role", "role (repeatable)")
	fs.Var(&scopes, "scope", "narrow the client to these scopes (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	instID, err := institutionID(ctx, db, *inst)
	if err != nil {
		return err
	}
	c, secret, err := auth.NewAccounts(db).CreateClient(ctx, auth.NewClient{ClientID: *clientID, Name: *name, Roles: roles, Scopes: scopes, InstitutionID: instID})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created client %s (%s)\nclient secret (shown once): %s\n", c.ClientID, c.ID, secret)
	return nil
}
