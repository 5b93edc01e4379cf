package countries

import (
	"sync"

	"golang.org/x/text/language"
)

// Regions of the world, as the contract's WorldRegion names them.
const (
	Africa                = "africa"
	Asia                  = "asia"
	Europe                = "europe"
	LatinAmericaCaribbean = "latin_america_caribbean"
	NorthernAmerica       = "northern_america"
	Oceania               = "oceania"
)

// WorldRegions lists the regions of the world in the contract's order.
var WorldRegions = []string{Africa, Asia, Europe, LatinAmericaCaribbean, NorthernAmerica, Oceania}

// m49 are the UN M49 areas behind each region. CLDR (through golang.org/x/text) knows M49's
// containment, so membership is looked up rather than typed by hand.
var m49 = []struct{ region, code string }{
	{Africa, "002"}, {Asia, "142"}, {Europe, "150"}, {LatinAmericaCaribbean, "419"},
	{NorthernAmerica, "021"}, {Oceania, "009"},
}

// outlying corrects the one place where CLDR departs from M49: it gathers remote islands and
// Antarctica into QO "Outlying Oceania" under 009, while M49 puts each in the region around it
// and Antarctica in none.
var outlying = map[string]string{
	"AQ": "",                    // Antarctica: in no region
	"BV": LatinAmericaCaribbean, // Bouvet Island: South America
	"GS": LatinAmericaCaribbean, // South Georgia and the South Sandwich Islands: South America
	"IO": Africa,                // British Indian Ocean Territory: Eastern Africa
	"TF": Africa,                // French Southern Territories: Eastern Africa
	"CC": Oceania,               // Cocos (Keeling) Islands: Australia and New Zealand
	"CX": Oceania,               // Christmas Island: Australia and New Zealand
	"HM": Oceania,               // Heard Island and McDonald Islands: Australia and New Zealand
	"UM": Oceania,               // United States Minor Outlying Islands: Micronesia
}

var (
	regionsOnce sync.Once
	regionOf    map[string]string // ISO code → region; codes in no region are absent
	regionSizes map[string]int
)

func loadRegions() {
	regionOf = map[string]string{}
	regionSizes = make(map[string]int, len(WorldRegions))
	for _, r := range WorldRegions {
		regionSizes[r] = 0
	}
	areas := make([]language.Region, len(m49))
	for i, a := range m49 {
		areas[i] = language.MustParseRegion(a.code)
	}
	for _, c := range All() {
		r, ok := outlying[c.Code]
		if !ok {
			r = containing(c.Code, areas)
		}
		if r == "" {
			continue
		}
		regionOf[c.Code] = r
		regionSizes[r]++
	}
}

// containing returns the region whose M49 area contains the country code, or "".
func containing(code string, areas []language.Region) string {
	cr := language.MustParseRegion(code)
	for i, a := range areas {
		if a.Contains(cr) {
			return m49[i].region
		}
	}
	return ""
}

// WorldRegion returns the region of the world (UN M49) an ISO 3166-1 alpha-2 country lies in,
// or "" for a code that is not a country or lies in no region (Antarctica).
func WorldRegion(code string) string {
	regionsOnce.Do(loadRegions)
	return regionOf[code]
}

// RegionSizes returns how many ISO 3166-1 countries lie in each region of the world, with every
// region present. The map is the caller's to keep.
func RegionSizes() map[string]int {
	regionsOnce.Do(loadRegions)
	out := make(map[string]int, len(regionSizes))
	for r, n := range regionSizes {
		out[r] = n
	}
	return out
}
