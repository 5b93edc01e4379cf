package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/internal/apperr"
)

// The contract uses these formats beyond kin-openapi's defaults (date, date-time). Without them a
// malformed UUID would reach the generated parameter binding, whose message names Go types.
func init() {
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
	openapi3.DefineStringFormatCallback("uri", func(s string) error {
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return errors.New("must be an absolute URI")
		}
		return nil
	})
}

// fromValidation turns what the request validator reports into an apperr, naming each
// offending field, or returns nil for errors that are not the validator's (404, 405).
func fromValidation(he *echo.HTTPError) error {
	if he.Internal == nil {
		return nil
	}
	// A body over the limit fails wherever it is first read; that is the answer, whatever else
	// the validator then concluded from the truncated request.
	var inner *echo.HTTPError
	if errors.As(he.Internal, &inner) && inner.Code == http.StatusRequestEntityTooLarge {
		return inner
	}
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(he.Internal, &sec) {
		return securityError(sec)
	}
	var reqErrs []*openapi3filter.RequestError
	var multi openapi3.MultiError
	if errors.As(he.Internal, &multi) {
		for _, e := range multi {
			var re *openapi3filter.RequestError
			if errors.As(e, &re) {
				reqErrs = append(reqErrs, re)
			} else if errors.As(e, &sec) {
				return securityError(sec)
			}
		}
	} else {
		var re *openapi3filter.RequestError
		if errors.As(he.Internal, &re) {
			reqErrs = append(reqErrs, re)
		}
	}
	if len(reqErrs) == 0 {
		return nil
	}
	out := apperr.New(apperr.Invalid, "the request does not match the API contract")
	for _, re := range reqErrs {
		if re.RequestBody != nil && strings.HasPrefix(re.Reason, "header Content-Type has unexpected value") {
			return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "this operation does not accept that Content-Type"}
		}
		out.Fields = append(out.Fields, fieldErrors(re)...)
	}
	return out
}

// securityError picks the most telling of the reasons no security requirement was met: a valid
// token without the scope (403) over a missing or bad token (401).
func securityError(sec *openapi3filter.SecurityRequirementsError) error {
	var first error
	for _, e := range sec.Errors {
		if apperr.Is(e, apperr.Forbidden) {
			return e
		}
		if first == nil && apperr.Is(e, apperr.Unauthenticated) {
			first = e
		}
	}
	if first != nil {
		return first
	}
	return apperr.New(apperr.Unauthenticated, "authentication is required")
}

func fieldErrors(re *openapi3filter.RequestError) []apperr.FieldError {
	prefix := "body"
	if re.Parameter != nil {
		prefix = re.Parameter.In + "." + re.Parameter.Name
	}
	var schemaErrs []*openapi3.SchemaError
	var multi openapi3.MultiError
	if errors.As(re.Err, &multi) {
		for _, e := range multi {
			var se *openapi3.SchemaError
			if errors.As(e, &se) {
				schemaErrs = append(schemaErrs, se)
			}
		}
	} else {
		var se *openapi3.SchemaError
		if errors.As(re.Err, &se) {
			schemaErrs = append(schemaErrs, se)
		}
	}
	if len(schemaErrs) == 0 {
		msg := re.Reason
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			msg = "is required"
		case re.RequestBody != nil && re.Err != nil && msg == "failed to decode request body":
			msg = "is not valid JSON for this operation"
		case msg == "" && re.Err != nil:
			msg = re.Err.Error()
		}
		return []apperr.FieldError{{Field: prefix, Message: msg}}
	}
	out := make([]apperr.FieldError, 0, len(schemaErrs))
	for _, se := range schemaErrs {
		field := prefix
		for _, part := range se.JSONPointer() {
			field += "." + part
		}
		out = append(out, apperr.FieldError{Field: field, Message: se.Reason})
	}
	return out
}
