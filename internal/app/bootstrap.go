package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"

	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/demo"
)

// Bootstrap prepares an empty database for first use: demo data (unless switched off) and the
// first administrator. It changes nothing on a database that already has them, and replicas
// starting together take turns through an advisory lock. A generated admin password is written
// to out, once.
func (a *App) Bootstrap(ctx context.Context, out io.Writer) error {
	ctx = actor.With(ctx, actor.SystemActor)
	return a.DB.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('puente.bootstrap'))`).Error; err != nil {
			return fmt.Errorf("bootstrap lock: %w", err)
		}
		if a.cfg.DemoData {
			n, err := demo.Load(ctx, a.DB, a.Institutions)
			if err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
			if n > 0 {
				slog.InfoContext(ctx, "loaded demo data", "institutions", n)
			}
		}
		users, err := a.Accounts.CountUsers(ctx)
		if err != nil || users > 0 {
			return err
		}
		password, generated := a.cfg.AdminPassword, false
		if password == "" {
			raw := make([]byte, 18)
			if _, err := rand.Read(raw); err != nil {
				return err
			}
			password, generated = base64.RawURLEncoding.EncodeToString(raw), true
		}
		if _, err := a.Accounts.CreateUser(ctx, auth.NewUser{Email: a.cfg.AdminEmail, Name: "Administrator",
			Password: password, Roles: []string{string(actor.Admin)}}); err != nil {
			return fmt.Errorf("create admin: %w", err)
		}
		slog.InfoContext(ctx, "created administrator", "email", a.cfg.AdminEmail)
		if generated {
			fmt.Fprintf(out, "\n  Administrator created: %s\n  Password (shown once): %s\n\n", a.cfg.AdminEmail, password)
		}
		return nil
	})
}
