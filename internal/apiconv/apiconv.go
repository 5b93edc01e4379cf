// Package apiconv converts between domain values and the generated API types' representations
// of them (dates, UTC times, enum lists), so handlers in every area translate them the same way.
package apiconv

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// Date is t as an API date (YYYY-MM-DD); nil stays nil.
func Date(t *time.Time) *openapi_types.Date {
	if t == nil {
		return nil
	}
	return &openapi_types.Date{Time: *t}
}

// Day is the time of an API date; nil stays nil.
func Day(d *openapi_types.Date) *time.Time {
	if d == nil {
		return nil
	}
	return &d.Time
}

// UTC is t in UTC, as the API writes every time; nil stays nil.
func UTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Strings turns an optional list of an API enum into plain strings (nil for none).
func Strings[T ~string](in *[]T) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(*in))
	for i, v := range *in {
		out[i] = string(v)
	}
	return out
}
