package app_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/puente-mre/puente/internal/apitest"
)

// On an empty database Bootstrap loads the stocktake demo data: the figures the seeds state,
// exactly as they state them (the remittance figure with its doubted unit), the sources they come
// from, plausible per-country values whose notes say they are demo values, and data gaps. The
// figures a seed states are facts, not demo; everything else is marked demo.
func TestBootstrapLoadsStocktake(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	ctx := context.Background()
	var out bytes.Buffer
	if err := env.App.Bootstrap(ctx, &out); err != nil {
		t.Fatal(err)
	}
	conn := env.DB.Conn(ctx)

	// Sources, their publishers, types and caveats.
	for _, s := range []struct{ code, publisher, typ, caveat string }{
		{"PE-INEI-EMIGRATION", "PE-INEI", "administrative_register", "proxy_definition"},
		{"PE-MIGRACIONES-REGISTER", "PE-MININTER-MIGRACIONES", "administrative_register", "registry_coverage"},
		{"PE-MRE-CONSULAR-REGISTER", "PE-MRE", "consular_register", "registry_coverage"},
		{"UN-DESA-IMS", "", "international_estimate", "modelled"},
		{"EUDIF-CDL-ACTION-SHEET-PE", "INT-EUDIF", "study", ""},
	} {
		where := "code = ? AND type = ? AND demo AND title_es <> '' AND title_en <> '' AND description_es <> '' AND description_en <> ''"
		args := []any{s.code, s.typ}
		if s.publisher == "" {
			where += " AND publisher_id IS NULL"
		} else {
			where += " AND publisher_id = (SELECT id FROM institutions WHERE code = ?)"
			args = append(args, s.publisher)
		}
		if s.caveat != "" {
			where += " AND ? = ANY (caveats)"
			args = append(args, s.caveat)
		}
		if env.Count(t, "data_sources", where, args...) != 1 {
			t.Errorf("no demo data source %s (%s, published by %q, caveat %q)", s.code, s.typ, s.publisher, s.caveat)
		}
	}
	// Every quality assessment is a demo one, and says so.
	if n := env.Count(t, "data_sources", "NOT demo OR timeliness_score IS NULL OR assessed_by NOT LIKE 'Puente demo%' OR timeliness_note NOT LIKE 'Demo assessment:%'"); n != 0 {
		t.Errorf("%d data sources are not demo, or not assessed as a demo assessment", n)
	}

	for _, i := range []struct{ code, measure, unit string }{
		{"PERUVIANS-ABROAD", "stock", "persons"},
		{"FOREIGN-RESIDENTS-PE", "stock", "persons"},
		{"REMITTANCES-RECEIVED", "money", "USD"},
		{"CONSULAR-REGISTRATIONS", "count", "registrations"},
	} {
		if env.Count(t, "indicators", "code = ? AND measure = ? AND unit = ? AND demo", i.code, i.measure, i.unit) != 1 {
			t.Errorf("no demo indicator %s (%s, %s)", i.code, i.measure, i.unit)
		}
	}
	if n := env.Count(t, "indicators", "NOT demo"); n != 0 {
		t.Errorf("%d indicators are not demo", n)
	}

	type obs struct {
		Indicator, Source, Period, PlaceKind, PlaceCode, Status, Note string
		Value                                                         float64
		Flags                                                         pq.StringArray `gorm:"type:text[]"`
		Demo                                                          bool
	}
	var all []obs
	if err := conn.Raw(`SELECT i.code AS indicator, s.code AS source, o.period, o.place_kind, o.place_code, o.status,
		coalesce(o.note, '') AS note, o.value, o.flags, o.demo
		FROM observations o JOIN indicators i ON i.id = o.indicator_id JOIN data_sources s ON s.id = o.source_id
		WHERE o.archived_at IS NULL ORDER BY 1, 2, 3, 5`).Scan(&all).Error; err != nil {
		t.Fatal(err)
	}
	find := func(indicator, source, period, kind, code string) (obs, bool) {
		for _, o := range all {
			if o.Indicator == indicator && o.Source == source && o.Period == period && o.PlaceKind == kind && o.PlaceCode == code {
				return o, true
			}
		}
		return obs{}, false
	}

	// The three figures the seeds state, exactly as stated, citing their seed.
	for _, w := range []struct {
		indicator, source, period, kind, code, seed string
		value                                       float64
		flags                                       []string
	}{
		{"PERUVIANS-ABROAD", "PE-INEI-EMIGRATION", "2022", "world", "", "seed 003", 3_300_000, nil},
		{"FOREIGN-RESIDENTS-PE", "PE-MIGRACIONES-REGISTER", "2022-09", "country", "PE", "seed 003", 1_710_000, nil},
		{"REMITTANCES-RECEIVED", "EUDIF-CDL-ACTION-SHEET-PE", "2019", "world", "", "seed 000", 3_000_000, []string{"doubted_unit"}},
	} {
		o, ok := find(w.indicator, w.source, w.period, w.kind, w.code)
		switch {
		case !ok:
			t.Errorf("no observation %s from %s for %s (%s %q)", w.indicator, w.source, w.period, w.kind, w.code)
			continue
		case o.Value != w.value:
			t.Errorf("%s %s: value %v, the seed states %v", w.indicator, w.period, o.Value, w.value)
		case !slices.Equal([]string(o.Flags), w.flags):
			t.Errorf("%s %s: flags %v, want %v", w.indicator, w.period, o.Flags, w.flags)
		case o.Status == "final":
			t.Errorf("%s %s: the seed does not say the figure is final", w.indicator, w.period)
		case !strings.Contains(o.Note, w.seed) || strings.HasPrefix(o.Note, "demo value:"):
			t.Errorf("%s %s: the note should cite %s as stating the value: %q", w.indicator, w.period, w.seed, o.Note)
		}
	}
	if o, _ := find("REMITTANCES-RECEIVED", "EUDIF-CDL-ACTION-SHEET-PE", "2019", "world", ""); !strings.Contains(o.Note, "billions") {
		t.Errorf("the remittance note should say the unit is very likely billions: %q", o.Note)
	}

	// The main countries of residence seed 000 names, with demo values within the seed's total.
	var countries []string
	total := 0.0
	for _, o := range all {
		if o.Indicator == "PERUVIANS-ABROAD" && o.Source == "PE-INEI-EMIGRATION" && o.Period == "2022" && o.PlaceKind == "country" {
			countries = append(countries, o.PlaceCode)
			total += o.Value
		}
	}
	slices.Sort(countries)
	if want := []string{"AR", "CL", "ES", "IT", "US"}; !slices.Equal(countries, want) {
		t.Errorf("INEI 2022 countries of residence %v, want the five seed 000 names %v", countries, want)
	}
	if total > 3_300_000 {
		t.Errorf("the countries of residence add up to %v, more than the 3.3 million the seed states", total)
	}

	// Exactly the three above say a seed states them and are not demo: nothing invented is
	// presented as fact. Every other one is marked demo and begins by saying so.
	stated := 0
	for _, o := range all {
		switch {
		case strings.HasPrefix(o.Note, "demo value:"):
			if !o.Demo {
				t.Errorf("%s %s %s %s: an invented value not marked demo", o.Indicator, o.Source, o.Period, o.PlaceCode)
			}
		case strings.Contains(o.Note, "stated in seed"):
			if o.Demo {
				t.Errorf("%s %s %s %s: a figure a seed states is marked demo", o.Indicator, o.Source, o.Period, o.PlaceCode)
			}
			stated++
		default:
			t.Errorf("%s %s %s %s: the note says neither which seed states it nor that it is a demo value: %q",
				o.Indicator, o.Source, o.Period, o.PlaceCode, o.Note)
		}
	}
	if stated != 3 {
		t.Errorf("%d observations say a seed states them, want 3", stated)
	}

	// Some cells of the coverage matrix have more than one source.
	var multi int64
	if err := conn.Raw(`SELECT count(*) FROM (SELECT 1 FROM observations WHERE place_kind = 'country'
		GROUP BY indicator_id, place_code, extract(year FROM period_start) HAVING count(DISTINCT source_id) > 1) c`).Scan(&multi).Error; err != nil {
		t.Fatal(err)
	}
	if multi == 0 {
		t.Error("no cell of the coverage matrix has more than one source")
	}

	// Data gaps: a few, demo, one about the doubted remittance unit.
	if n := env.Count(t, "data_gaps", "demo AND status = 'open' AND recommendation_en <> ''"); n < 2 || n > 4 {
		t.Errorf("%d demo data gaps with a recommendation, want 2 to 4", n)
	}
	if n := env.Count(t, "data_gaps", "NOT demo"); n != 0 {
		t.Errorf("%d data gaps are not demo", n)
	}
	if env.Count(t, "data_gaps", "(SELECT id FROM indicators WHERE code = 'REMITTANCES-RECEIVED') = ANY (indicator_ids)") == 0 {
		t.Error("no data gap about the remittance figure")
	}
}
