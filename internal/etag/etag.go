// Package etag turns record versions into HTTP entity tags and checks If-Match preconditions.
package etag

import (
	"strconv"
	"strings"

	"github.com/puente-mre/puente/internal/apperr"
)

// Of is the strong entity tag of a record at version.
func Of(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// Precondition is a parsed If-Match header. The zero value (no header) allows any version.
type Precondition struct {
	present bool
	any     bool
	tags    []string
}

// IfMatch parses an If-Match header value (RFC 9110 §13.1.1). Weak tags never match: If-Match
// uses strong comparison.
func IfMatch(header *string) Precondition {
	if header == nil || strings.TrimSpace(*header) == "" {
		return Precondition{}
	}
	p := Precondition{present: true}
	for _, t := range strings.Split(*header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			p.any = true
		}
		p.tags = append(p.tags, t)
	}
	return p
}

// Check reports whether a record at version satisfies the precondition.
//
// Errors: PreconditionFailed.
func (p Precondition) Check(version int64) error {
	if !p.present || p.any {
		return nil
	}
	want := Of(version)
	for _, t := range p.tags {
		if t == want {
			return nil
		}
	}
	return apperr.New(apperr.PreconditionFailed, "the record changed since you read it (its ETag is now %s)", want)
}
