package countries

import "testing"

func TestWorldRegion(t *testing.T) {
	for code, want := range map[string]string{
		"PE": LatinAmericaCaribbean, "MX": LatinAmericaCaribbean, "BV": LatinAmericaCaribbean,
		"US": NorthernAmerica, "CA": NorthernAmerica, "GL": NorthernAmerica,
		"ES": Europe, "IT": Europe, "RU": Europe,
		"JP": Asia, "TR": Asia,
		"AU": Oceania, "CX": Oceania,
		"ZA": Africa, "IO": Africa,
		"AQ": "", "UK": "", "ZZ": "", "pe": "", "": "",
	} {
		if got := WorldRegion(code); got != want {
			t.Errorf("WorldRegion(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestRegionSizes(t *testing.T) {
	sizes := RegionSizes()
	total := 0
	for _, r := range WorldRegions {
		if sizes[r] == 0 {
			t.Errorf("no country in %s", r)
		}
		total += sizes[r]
	}
	// Every ISO country but Antarctica lies in exactly one region.
	if total != len(All())-1 {
		t.Errorf("regions hold %d countries, want %d", total, len(All())-1)
	}
	if sizes[NorthernAmerica] != 5 {
		t.Errorf("Northern America holds %d countries, want 5 (BM, CA, GL, PM, US)", sizes[NorthernAmerica])
	}
	sizes[Europe] = -1
	if RegionSizes()[Europe] < 0 {
		t.Error("RegionSizes shares its map with callers")
	}
}
