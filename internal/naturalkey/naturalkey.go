// Package naturalkey is the one rule for the natural keys (`code`) scripts load records by:
// 1–64 upper-case letters, digits, dots and hyphens, starting with a letter or digit — the
// contract's NaturalKey.
package naturalkey

import (
	"regexp"

	"github.com/puente-mre/puente/internal/apperr"
)

var pattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9.-]{0,63}$`)

// Valid reports whether code is a natural key.
func Valid(code string) bool { return pattern.MatchString(code) }

// Check adds a field error to e when code is not a natural key.
func Check(e *apperr.Error, field, code string) {
	if !Valid(code) {
		e.WithField(field, "must be 1–64 upper-case letters, digits, dots or hyphens, starting with a letter or digit")
	}
}
