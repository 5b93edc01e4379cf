package paging

import (
	"testing"

	"github.com/puente-mre/puente/internal/apperr"
)

func TestTokenRoundTripAndRejection(t *testing.T) {
	type pos struct {
		Code string `json:"c"`
	}
	tok := Encode("institutions:code", pos{Code: "PE-MRE"})
	var got pos
	if err := Decode(tok, "institutions:code", &got); err != nil || got.Code != "PE-MRE" {
		t.Fatalf("round trip: %v %+v", err, got)
	}
	for name, bad := range map[string]string{
		"other list":   Encode("audit", pos{Code: "x"}),
		"not base64":   "%%%",
		"not json":     "bm90IGpzb24",
		"wrong shape":  Encode("institutions:code", "a string"),
		"empty object": "e30",
	} {
		t.Run(name, func(t *testing.T) {
			if err := Decode(bad, "institutions:code", &got); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("want Invalid, got %v", err)
			}
		})
	}
}

func TestSize(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		in   *int
		want int
	}{{nil, 50}, {n(0), 50}, {n(10), 10}, {n(900), 500}} {
		if got := Size(tc.in); got != tc.want {
			t.Errorf("Size(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
