package naturalkey

import (
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apperr"
)

func TestCheck(t *testing.T) {
	for code, ok := range map[string]bool{
		"PE-MRE": true, "F-ASN.01": true, "9X": true, strings.Repeat("A", 64): true,
		"": false, "-PE": false, "pe-mre": false, "PE MRE": false, strings.Repeat("A", 65): false, "PÉ": false,
	} {
		e := apperr.New(apperr.Unprocessable, "x")
		Check(e, "code", code)
		if got := len(e.Fields) == 0; got != ok {
			t.Errorf("%q: valid %v, want %v", code, got, ok)
		}
		if !ok && e.Fields[0].Field != "code" {
			t.Errorf("%q: field %q", code, e.Fields[0].Field)
		}
	}
}
