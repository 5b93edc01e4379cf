// Package httpapi assembles Puente's HTTP server: Echo, the contract's request validation and
// authentication, middleware, and the one error handler that renders every failure as
// application/problem+json (RFC 9457).
package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/internal/apperr"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:            http.StatusBadRequest,
	apperr.Unauthenticated:    http.StatusUnauthorized,
	apperr.Forbidden:          http.StatusForbidden,
	apperr.NotFound:           http.StatusNotFound,
	apperr.Conflict:           http.StatusConflict,
	apperr.PreconditionFailed: http.StatusPreconditionFailed,
	apperr.Unprocessable:      http.StatusUnprocessableEntity,
	apperr.TooLarge:           http.StatusRequestEntityTooLarge,
	apperr.UnsupportedMedia:   http.StatusUnsupportedMediaType,
	apperr.TooManyRequests:    http.StatusTooManyRequests,
	apperr.Internal:           http.StatusInternalServerError,
}

// slugOf names problem types for statuses that do not come from an apperr code.
var slugOf = map[int]string{
	http.StatusBadRequest:            "invalid-request",
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusRequestEntityTooLarge: "payload-too-large",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusTooManyRequests:       "too-many-requests",
	http.StatusServiceUnavailable:    "unavailable",
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	extra     map[string]any
}

// MarshalJSON adds the extension members (such as OAuth's "error") beside the standard ones.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.extra) == 0 {
		return b, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.extra {
		m[k] = v
	}
	return json.Marshal(m)
}

// problemFor turns any error into a problem and the headers that go with it. Internal errors
// become a bare 500 whose detail names only the request id.
func problemFor(err error, requestID string) (Problem, http.Header) {
	hdr := http.Header{}
	var ae *apperr.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae) && ae.Code != apperr.Internal:
		status := statusOf[ae.Code]
		p := Problem{Type: "/problems/" + string(ae.Code), Title: http.StatusText(status), Status: status,
			Detail: ae.Message, Errors: ae.Fields, extra: ae.Extra}
		if ae.Code == apperr.Unauthenticated {
			hdr.Set("WWW-Authenticate", `Bearer realm="puente"`)
		}
		if ae.RetryAfter > 0 {
			hdr.Set("Retry-After", strconv.Itoa(int(math.Ceil(ae.RetryAfter.Seconds()))))
		}
		return p, hdr
	case errors.As(err, &he) && he.Code < 500:
		if inner := fromValidation(he); inner != nil {
			return problemFor(inner, requestID)
		}
		slug := slugOf[he.Code]
		if slug == "" {
			slug = "http-" + strconv.Itoa(he.Code)
		}
		p := Problem{Type: "/problems/" + slug, Title: http.StatusText(he.Code), Status: he.Code, Detail: detailOf(he)}
		if he.Code == http.StatusMethodNotAllowed {
			p.Detail = "this method is not allowed on this resource"
		}
		return p, hdr
	}
	return Problem{Type: "/problems/internal", Title: http.StatusText(http.StatusInternalServerError),
		Status: http.StatusInternalServerError,
		Detail: "an unexpected error occurred; quote request id " + requestID + " when reporting it"}, hdr
}

// detailOf uses an echo error's message only when it is a plain string Echo itself set.
func detailOf(he *echo.HTTPError) string {
	if s, ok := he.Message.(string); ok && he.Internal == nil {
		return s
	}
	return http.StatusText(he.Code)
}

// HandleError is Echo's HTTPErrorHandler: the only place an error becomes a response.
func HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	p, hdr := problemFor(err, rid)
	p.Instance = c.Request().URL.Path
	p.RequestID = rid
	if c.Path() == tokenPath && p.extra == nil && p.Status == http.StatusBadRequest {
		// OAuth clients look for an RFC 6749 error code on every token endpoint failure.
		p.extra = map[string]any{"error": "invalid_request", "error_description": p.Detail}
	}
	if p.Status >= 500 {
		slog.ErrorContext(c.Request().Context(), "request failed", "error", err, "request_id", rid,
			"method", c.Request().Method, "path", c.Request().URL.Path)
	}
	for k, v := range hdr {
		c.Response().Header()[k] = v
	}
	if allow, ok := c.Get(echo.ContextKeyHeaderAllow).(string); ok && allow != "" && p.Status == http.StatusMethodNotAllowed {
		// The router knows the path's methods; the contract validator that refused the request does not say them.
		c.Response().Header().Set(echo.HeaderAllow, allow)
	}
	body, merr := json.Marshal(p)
	if merr != nil {
		body = []byte(`{"type":"/problems/internal","title":"Internal Server Error","status":500}`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	_ = c.Blob(p.Status, "application/problem+json", body)
}

const tokenPath = "/v1/auth/token"
