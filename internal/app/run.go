package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/puente-mre/puente/internal/config"
	"github.com/puente-mre/puente/internal/database"
)

// Open connects to the configured database and, unless switched off, migrates it.
func Open(ctx context.Context, cfg config.Config) (*database.DB, error) {
	if cfg.DatabaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set (make run finds or starts a local PostgreSQL for you)")
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, database.Options{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout})
	if err != nil {
		return nil, err
	}
	if cfg.MigrateOnStart {
		m, err := database.NewMigrator(db.SQL)
		if err != nil {
			db.Close()
			return nil, err
		}
		n, err := m.Up(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if n > 0 {
			slog.InfoContext(ctx, "applied migrations", "count", n)
		}
	}
	return db, nil
}

// Serve answers HTTP on the configured address until ctx ends, then stops accepting, lets
// in-flight requests finish (up to the shutdown timeout) and returns.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{
		Addr:              a.cfg.HTTPAddr,
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go a.sweep(ctx)
	errc := make(chan error, 1)
	go func() {
		slog.Info("serving", "addr", a.cfg.HTTPAddr)
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down", "timeout", a.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	a.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close stops background work: running imports end as interrupted (an atomic one writing
// nothing) and record it.
func (a *App) Close() { a.Imports.Close() }

// sweep deletes expired idempotency keys and refresh tokens every hour.
func (a *App) sweep(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, q := range []string{
				`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`,
				`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`,
				`DELETE FROM login_throttle WHERE window_started_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
			} {
				if err := a.DB.Conn(ctx).Exec(q).Error; err != nil {
					slog.WarnContext(ctx, "sweep failed", "error", err)
				}
			}
		}
	}
}

// NewLogger returns the JSON logger for level ("debug", "info", "warn", "error").
func NewLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
