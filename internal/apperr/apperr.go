// Package apperr is Puente's one error vocabulary. Domain code returns these; the HTTP layer maps
// each Code to a status in one table and shows Message, never the wrapped cause.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error by what the caller can do about it.
type Code string

const (
	Invalid            Code = "invalid"                // the request is malformed or breaks the contract
	Unauthenticated    Code = "unauthenticated"        // no or bad credentials
	Forbidden          Code = "forbidden"              // authenticated, not allowed
	NotFound           Code = "not-found"              // no such resource
	Conflict           Code = "conflict"               // clashes with current state (duplicate key, archived)
	PreconditionFailed Code = "precondition-failed"    // If-Match did not match
	Unprocessable      Code = "unprocessable"          // well-formed but breaks a domain rule
	TooLarge           Code = "payload-too-large"      // the body (or a file in it) is over the limit
	UnsupportedMedia   Code = "unsupported-media-type" // the body (or a file in it) is of a type not accepted
	TooManyRequests    Code = "too-many-requests"      // throttled
	Internal           Code = "internal"               // our fault; details stay in the logs
)

// FieldError names one offending field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an application error. Message is safe to show to callers.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, when set, tells a throttled caller when to try again.
	RetryAfter time.Duration
	// Extra members for the problem document (e.g. the OAuth "error" code).
	Extra map[string]any
	cause error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.cause }

// New builds an error with a caller-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap keeps cause for the logs while showing only message to the caller.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: cause}
}

// WithExtra sets a member of the problem document (e.g. "allowed": the transitions a workflow
// allows from the current state) and returns e for chaining.
func (e *Error) WithExtra(member string, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[member] = value
	return e
}

// WithField adds a field error and returns e for chaining.
func (e *Error) WithField(field, message string) *Error {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
	return e
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
