// Package countries is the list of ISO 3166-1 alpha-2 countries with their Spanish and English
// names, taken from the Unicode CLDR through golang.org/x/text rather than typed by hand.
package countries

import (
	"slices"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is an ISO 3166-1 country.
type Country struct {
	Code           string
	NameES, NameEN string
}

// notISO are two-letter regions CLDR treats as countries that ISO 3166-1 does not assign today:
// exceptionally reserved codes (AC, CP, DG, EA, EZ, IC, TA, UK, UN), codes withdrawn into ISO
// 3166-3 (BU, CT, DD, DY, FX, HV, JT, MI, NH, NQ, PU, PZ, RH, TP, VD, WK, YD, ZR) and the
// user-assigned XK.
var notISO = []string{"AC", "BU", "CP", "CT", "DD", "DG", "DY", "EA", "EZ", "FX", "HV", "IC", "JT", "MI", "NH",
	"NQ", "PU", "PZ", "RH", "TA", "TP", "UK", "UN", "VD", "WK", "XK", "YD", "ZR"}

var (
	once   sync.Once
	list   []Country
	byCode map[string]Country
)

func load() {
	byCode = map[string]Country{}
	es, en := display.Spanish.Regions(), display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || slices.Contains(notISO, code) || en.Name(r) == "" {
				continue
			}
			c := Country{Code: code, NameES: es.Name(r), NameEN: en.Name(r)}
			list = append(list, c)
			byCode[code] = c
		}
	}
}

// All returns every country, by code.
func All() []Country {
	once.Do(load)
	return list
}

// Lookup returns the country with an ISO 3166-1 alpha-2 code (upper case).
func Lookup(code string) (Country, bool) {
	once.Do(load)
	c, ok := byCode[code]
	return c, ok
}
