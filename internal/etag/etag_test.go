package etag

import (
	"testing"

	"github.com/puente-mre/puente/internal/apperr"
)

func TestIfMatch(t *testing.T) {
	s := func(v string) *string { return &v }
	cases := []struct {
		name   string
		header *string
		ok     bool
	}{
		{"absent", nil, true},
		{"blank", s("  "), true},
		{"current", s(`"3"`), true},
		{"stale", s(`"2"`), false},
		{"any", s("*"), true},
		{"list with current", s(`"1", "3"`), true},
		{"weak never matches", s(`W/"3"`), false},
		{"unquoted", s(`3`), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := IfMatch(tc.header).Check(3)
			if tc.ok != (err == nil) {
				t.Fatalf("Check(3) = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !apperr.Is(err, apperr.PreconditionFailed) {
				t.Fatalf("error code %s", apperr.CodeOf(err))
			}
		})
	}
	if Of(3) != `"3"` {
		t.Fatalf("Of(3) = %s", Of(3))
	}
}
