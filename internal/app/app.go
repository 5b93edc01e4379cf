// Package app wires Puente together: it builds every service over one database and composes
// their handlers into the one server the contract describes. cmd/puente and the tests both
// start Puente through it, so tests exercise exactly what production runs.
package app

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/agreements"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/blueprint"
	"github.com/puente-mre/puente/internal/config"
	"github.com/puente-mre/puente/internal/coordination"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/deliverables"
	"github.com/puente-mre/puente/internal/events"
	"github.com/puente-mre/puente/internal/httpapi"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/mandates"
	"github.com/puente-mre/puente/internal/mgi"
	"github.com/puente-mre/puente/internal/practices"
	"github.com/puente-mre/puente/internal/servicemenu"
	"github.com/puente-mre/puente/internal/stocktake"
	"github.com/puente-mre/puente/internal/territory"
)

// Aliases give each area's handlers a distinct embedded-field name in server.
type (
	authHandlers         = auth.Handlers
	institutionHandlers  = institutions.Handlers
	auditHandlers        = audit.Handlers
	mandateHandlers      = mandates.Handlers
	stocktakeHandlers    = stocktake.Handlers
	practiceHandlers     = practices.Handlers
	eventHandlers        = events.Handlers
	serviceHandlers      = servicemenu.Handlers
	actionPlanHandlers   = actionplan.Handlers
	deliverableHandlers  = deliverables.Handlers
	blueprintHandlers    = blueprint.Handlers
	importHandlers       = imports.Engine
	coordinationHandlers = coordination.Handlers
	agreementHandlers    = agreements.Handlers
	mgiHandlers          = mgi.Handlers
	territoryHandlers    = territory.Handlers
)

// server is the contract's StrictServerInterface, assembled from each area's handlers.
type server struct {
	*authHandlers
	*institutionHandlers
	*auditHandlers
	*mandateHandlers
	*stocktakeHandlers
	*practiceHandlers
	*eventHandlers
	*serviceHandlers
	*actionPlanHandlers
	*deliverableHandlers
	*blueprintHandlers
	*importHandlers
	*coordinationHandlers
	*agreementHandlers
	*mgiHandlers
	*territoryHandlers
	*httpapi.Operations
}

var _ api.StrictServerInterface = (*server)(nil)

// App is Puente assembled: its HTTP handler and the services behind it.
type App struct {
	Echo         *echo.Echo
	DB           *database.DB
	Accounts     *auth.Accounts
	Keys         *auth.Keys
	Tokens       *auth.Tokens
	Institutions *institutions.Service
	Imports      *imports.Engine
	cfg          config.Config
}

// New builds the application over db, which must already be migrated.
func New(ctx context.Context, cfg config.Config, db *database.DB) (*App, error) {
	migrator, err := database.NewMigrator(db.SQL)
	if err != nil {
		return nil, err
	}
	keys, err := auth.NewKeys(ctx, db)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(ctx, keys, auth.TokenSettings{
		Issuer: cfg.Issuer, Audience: cfg.Audience, AccessTTL: cfg.AccessTokenTTL,
		External: auth.ExternalProvider{JWKSURL: cfg.ExternalJWKSURL, Issuer: cfg.ExternalIssuer, Audience: cfg.ExternalAudience,
			RolesClaim: cfg.ExternalRolesClaim, InstitutionClaim: cfg.ExternalInstitutionClaim},
	})
	if err != nil {
		return nil, err
	}
	accounts := auth.NewAccounts(db)
	grants, err := auth.NewGrants(ctx, db, accounts, tokens, cfg.RefreshTokenTTL)
	if err != nil {
		return nil, err
	}
	insts := institutions.NewService(db, institutions.Represent)

	metrics := httpapi.NewMetrics()
	metrics.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registerPoolMetrics(metrics.Registry, db)
	registry := imports.Registry{}
	for _, rs := range [][]*imports.Resource{institutions.ImportResources(), mandates.ImportResources(),
		stocktake.ImportResources(), practices.ImportResources(), events.ImportResources(), servicemenu.ImportResources(),
		actionplan.ImportResources(), deliverables.ImportResources(), blueprint.ImportResources(),
		coordination.ImportResources(), agreements.ImportResources(), mgi.ImportResources(), territory.ImportResources()} {
		registry.Register(rs...)
	}
	engine, err := imports.New(ctx, db, registry, imports.Options{MaxBodyBytes: cfg.MaxImportBytes, Workers: cfg.ImportWorkers,
		SpoolDir: cfg.ImportDir, BatchSize: cfg.ImportBatchSize})
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	ops, err := httpapi.NewOperations(db, migrator, metrics)
	if err != nil {
		return nil, err
	}
	e, err := httpapi.New(&server{
		authHandlers:         auth.NewHandlers(grants, keys),
		institutionHandlers:  institutions.NewHandlers(insts),
		auditHandlers:        audit.NewHandlers(audit.NewTrail(db)),
		mandateHandlers:      mandates.NewHandlers(db, insts, audit.NewTrail(db)),
		stocktakeHandlers:    stocktake.NewHandlers(db, insts),
		practiceHandlers:     practices.NewHandlers(db, insts),
		eventHandlers:        events.NewHandlers(db, insts),
		serviceHandlers:      servicemenu.NewHandlers(db, insts),
		actionPlanHandlers:   actionplan.NewHandlers(db, insts),
		deliverableHandlers:  deliverables.NewHandlers(db, insts, deliverables.WithMaxUploadBytes(cfg.MaxUploadBytes)),
		blueprintHandlers:    blueprint.NewHandlers(db, insts),
		importHandlers:       engine,
		coordinationHandlers: coordination.NewHandlers(db, insts, coordination.WithMaxUploadBytes(cfg.MaxUploadBytes)),
		agreementHandlers:    agreements.NewHandlers(db, insts),
		mgiHandlers:          mgi.NewHandlers(db, insts),
		territoryHandlers:    territory.NewHandlers(db, insts),
		Operations:           ops,
	}, httpapi.Options{
		MaxBodyBytes: cfg.MaxBodyBytes,
		BodyLimits: map[string]int64{"/v1/deliverables/:id/versions": cfg.MaxUploadBytes,
			"/v1/coordination-sessions/:id/minutes": cfg.MaxUploadBytes, imports.Path: cfg.MaxImportBytes},
		StreamPaths: []string{imports.Path},
		LongPaths:   []string{imports.Path, "/v1/exports/"},
		Routes:      func(e *echo.Echo) { e.POST(imports.Path, engine.Create) },
		CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.TrustedProxies,
		Authenticate: tokens.Authenticate, AfterValidation: []echo.MiddlewareFunc{auth.ToRequestContext()},
		Metrics: metrics, DB: db,
	})
	if err != nil {
		return nil, fmt.Errorf("http server: %w", err)
	}
	return &App{Echo: e, DB: db, Accounts: accounts, Keys: keys, Tokens: tokens, Institutions: insts, Imports: engine, cfg: cfg}, nil
}

// registerPoolMetrics exposes the pgx pool's state.
func registerPoolMetrics(reg *prometheus.Registry, db *database.DB) {
	gauge := func(name, help string, f func() float64) {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "puente_db_pool_" + name, Help: help}, f))
	}
	gauge("max_conns", "Maximum connections in the pool.", func() float64 { return float64(db.Pool.Stat().MaxConns()) })
	gauge("total_conns", "Open connections.", func() float64 { return float64(db.Pool.Stat().TotalConns()) })
	gauge("acquired_conns", "Connections in use.", func() float64 { return float64(db.Pool.Stat().AcquiredConns()) })
	gauge("idle_conns", "Idle connections.", func() float64 { return float64(db.Pool.Stat().IdleConns()) })
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "puente_db_pool_acquires_total", Help: "Connection acquisitions."},
		func() float64 { return float64(db.Pool.Stat().AcquireCount()) }))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "puente_db_pool_empty_acquires_total", Help: "Acquisitions that had to wait for a connection."},
		func() float64 { return float64(db.Pool.Stat().EmptyAcquireCount()) }))
}
