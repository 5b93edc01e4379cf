package httpapi

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// BodyLimits are the routes (Echo paths, e.g. "/v1/deliverables/:id/versions") whose bodies
	// are files, each with its own limit instead of MaxBodyBytes.
	BodyLimits map[string]int64
	// StreamPaths are routes whose body their handler streams: the contract's validator checks
	// their parameters and scopes but does not read the body, nor does the idempotency
	// middleware (the handler keeps its own keys).
	StreamPaths []string
	// Routes registers handlers the strict server does not have (for StreamPaths).
	Routes func(e *echo.Echo)
	// LongPaths are path prefixes (e.g. "/v1/exports/") of transfers that may take longer than
	// the server's read and write timeouts: large uploads and streamed downloads.
	LongPaths      []string
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
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: strconv.FormatInt(o.MaxBodyBytes, 10) + "B", Skipper: func(c echo.Context) bool { _, ok := o.BodyLimits[c.Path()]; return ok }}))
	for path, limit := range o.BodyLimits {
		e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit: strconv.FormatInt(limit, 10) + "B", Skipper: func(c echo.Context) bool { return c.Path() != path }}))
	}
	isStream := func(c echo.Context) bool { return slices.Contains(o.StreamPaths, c.Path()) }
	e.Use(unboundedTransfers(o.LongPaths))
	validator := func(excludeBody bool, skip func(echo.Context) bool) echo.MiddlewareFunc {
		return echomiddleware.OapiRequestValidatorWithOptions(spec, &echomiddleware.Options{
			Options: openapi3filter.Options{
				AuthenticationFunc: o.Authenticate,
				MultiError:         true,
				KeepValidatedValue: true,
				ExcludeRequestBody: excludeBody,
			},
			// Return the validator's error untouched; HandleError renders it.
			ErrorHandler:          func(_ echo.Context, err *echo.HTTPError) error { return err },
			MultiErrorHandler:     func(me openapi3.MultiError) *echo.HTTPError { return &echo.HTTPError{Code: 400, Internal: me} },
			SilenceServersWarning: true,
			Skipper:               skip,
		})
	}
	e.Use(validator(false, isStream))
	if len(o.StreamPaths) > 0 {
		// kin-openapi reads the whole body while checking security requirements (to hand it back
		// afterwards), even with ExcludeRequestBody: a streamed body is hidden from it.
		e.Use(hideBody(isStream), validator(true, func(c echo.Context) bool { return !isStream(c) }), restoreBody)
	}
	e.Use(o.AfterValidation...)
	e.Use(idempotency.Middleware(o.DB, isStream))

	api.RegisterHandlers(e, api.NewStrictHandler(server, nil))
	if o.Routes != nil {
		o.Routes(e)
	}
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

// unboundedTransfers lifts the server's read and write deadlines for requests under prefixes,
// whose bodies (a 1 GB import, an export of a million rows) take as long as the network does.
func unboundedTransfers(prefixes []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for _, p := range prefixes {
				if strings.HasPrefix(c.Path(), p) {
					rc := http.NewResponseController(c.Response().Writer)
					_ = rc.SetReadDeadline(time.Time{}) // not every writer supports it (tests' recorders)
					_ = rc.SetWriteDeadline(time.Time{})
					break
				}
			}
			return next(c)
		}
	}
}

const hiddenBody = "httpapi.hiddenBody"

// hideBody swaps the body of matching requests for an empty one until restoreBody.
func hideBody(match func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if match(c) {
				c.Set(hiddenBody, c.Request().Body)
				c.Request().Body = http.NoBody
			}
			return next(c)
		}
	}
}

// restoreBody gives back a body hideBody took.
func restoreBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if body, ok := c.Get(hiddenBody).(io.ReadCloser); ok {
			c.Request().Body = body
		}
		return next(c)
	}
}
