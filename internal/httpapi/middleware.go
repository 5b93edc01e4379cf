package httpapi

import (
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/docs"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestContext takes the caller's X-Request-Id when it is sane (else makes one), echoes it,
// and puts it with the client IP on the request context for logs and the audit trail.
func requestContext() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			id := req.Header.Get(echo.HeaderXRequestID)
			if !requestIDPattern.MatchString(id) {
				id = uuid.Must(uuid.NewV7()).String()
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			c.SetRequest(req.WithContext(actor.WithRequest(req.Context(), actor.Request{ID: id, ClientIP: c.RealIP(), Accept: req.Header.Get(echo.HeaderAccept)})))
			return next(c)
		}
	}
}

// securityHeaders sets the headers every response carries. API responses are JSON that no
// browser should render or cache; the docs page gets its own CSP.
func securityHeaders() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
			if p := c.Request().URL.Path; p == docs.PagePath || len(p) > len(docs.PagePath) && p[:len(docs.PagePath)+1] == docs.PagePath+"/" {
				h.Set("Content-Security-Policy", docs.ContentSecurityPolicy)
			} else {
				h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}

// Metrics are the server's Prometheus instruments.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the HTTP instruments on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "puente_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "puente_http_request_duration_seconds", Help: "HTTP request latency by route, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
	}
	m.Registry.MustRegister(m.requests, m.latency)
	return m
}

// observe logs and measures each request once it has been answered. Errors are rendered here,
// not later, so that the status logged is the status sent.
func observe(m *Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			elapsed := time.Since(start)
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			status := c.Response().Status
			labels := prometheus.Labels{"route": route, "method": c.Request().Method, "status": strconv.Itoa(status)}
			m.requests.With(labels).Inc()
			m.latency.With(labels).Observe(elapsed.Seconds())
			req := c.Request()
			slog.LogAttrs(req.Context(), levelFor(status), "request",
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method),
				slog.String("route", route),
				slog.String("path", req.URL.Path),
				slog.Int("status", status),
				slog.Float64("latency_ms", float64(elapsed.Microseconds())/1000),
				slog.Int64("bytes", c.Response().Size),
				slog.String("client_ip", c.RealIP()),
				slog.String("actor", actor.From(req.Context()).ID),
			)
			return nil
		}
	}
}

func levelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
