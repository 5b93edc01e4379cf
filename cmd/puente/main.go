// Command puente is the Puente API server. With no arguments it reads its configuration from
// the environment (see the README), migrates the database, loads demo data into an empty one,
// and serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/puente-mre/puente/internal/app"
	"github.com/puente-mre/puente/internal/config"
)

func main() {
	if err := run(); err != nil {
		slog.Error("puente stopped", "error", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	slog.SetDefault(app.NewLogger(cfg.LogLevel))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := app.New(ctx, cfg, db)
	if err != nil {
		return err
	}
	if err := a.Bootstrap(ctx, os.Stdout); err != nil {
		return err
	}
	return a.Serve(ctx)
}
