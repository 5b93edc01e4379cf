package httpapi

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	echomiddleware "github.com/oapi-codegen/echo-middleware"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/idempotency"
)

// Options configure the HTTP server.
type Options struct {
	MaxBodyBytes int64
	// UploadPaths are the routes (Echo paths, e.g. "/v1/deliverables/:id/versions") whose bodies
	// are files, allowed up to MaxUploadBytes instead of MaxBodyBytes.
	UploadPaths    []string
	MaxUploadBytes int64
	CORSOrigins    []string
	TrustedProxies []netip.Prefix
	Authenticate   openapi3filter.AuthenticationFunc
	// AfterValidation run once the request is known to be valid and authenticated.
	AfterValidation []echo.MiddlewareFunc
	Metrics         *Metrics
	DB              *database.DB
}

// New assembles Echo around the strict server: request context, logging and metrics, security
// headers, CORS, body limit, validation and authentication against openapi.yaml, idempotency.
func New(server api.StrictServerInterface, o Options) (*echo.Echo, error) {
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("load embedded spec: %w", err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = HandleError
	e.IPExtractor = ipExtractor(o.TrustedProxies)

	e.Use(requestContext())
	e.Use(observe(o.Metrics))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, LogErrorFunc: logPanic}))
	e.Use(securityHeaders())
	if len(o.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  o.CORSOrigins,
			AllowHeaders:  []string{"Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-Id"},
			ExposeHeaders: []string{"ETag", "Location", "X-Request-Id", "Retry-After", "Idempotent-Replayed"},
			MaxAge:        600,
		}))
	}
	isUpload := func(c echo.Context) bool { return slices.Contains(o.UploadPaths, c.Path()) }
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: strconv.FormatInt(o.MaxBodyBytes, 10) + "B", Skipper: isUpload}))
	if len(o.UploadPaths) > 0 {
		e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit: strconv.FormatInt(o.MaxUploadBytes, 10) + "B", Skipper: func(c echo.Context) bool { return !isUpload(c) }}))
	}
	e.Use(echomiddleware.OapiRequestValidatorWithOptions(spec, &echomiddleware.Options{
		Options: openapi3filter.Options{
			AuthenticationFunc: o.Authenticate,
			MultiError:         true,
			KeepValidatedValue: true,
		},
		// Return the validator's error untouched; HandleError renders it.
		ErrorHandler:          func(_ echo.Context, err *echo.HTTPError) error { return err },
		MultiErrorHandler:     func(me openapi3.MultiError) *echo.HTTPError { return &echo.HTTPError{Code: 400, Internal: me} },
		SilenceServersWarning: true,
	}))
	e.Use(o.AfterValidation...)
	e.Use(idempotency.Middleware(o.DB))

	api.RegisterHandlers(e, api.NewStrictHandler(server, nil))
	return e, nil
}

// ipExtractor takes the peer's address, unless the peer is a trusted proxy, in which case
// X-Forwarded-For is believed.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := make([]echo.TrustOption, 0, len(trusted)+3)
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	for _, p := range trusted {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
