package countries

import "testing"

func TestISO3166(t *testing.T) {
	if n := len(All()); n != 249 {
		t.Fatalf("ISO 3166-1 assigns 249 codes; got %d", n)
	}
	pe, ok := Lookup("PE")
	if !ok || pe.NameES != "Perú" || pe.NameEN != "Peru" {
		t.Fatalf("PE = %+v", pe)
	}
	for _, code := range []string{"US", "CL", "AR", "ES", "IT", "JP", "SS", "BQ"} {
		if _, ok := Lookup(code); !ok {
			t.Errorf("%s missing", code)
		}
	}
	for _, code := range []string{"UK", "EU", "UN", "XK", "ZZ", "AA", "pe", "P"} {
		if _, ok := Lookup(code); ok {
			t.Errorf("%s is not an ISO 3166-1 country", code)
		}
	}
}
