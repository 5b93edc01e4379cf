package institutions_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

func TestListFilters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	for _, b := range []map[string]any{
		{"code": "AR-MRE", "kind": "ministry", "country": "AR", "tier": "national"},
		{"code": "PE-MRE", "kind": "ministry", "country": "PE", "tier": "national"},
		{"code": "PE-APCI", "kind": "agency", "country": "PE", "tier": "national"},
		{"code": "PE-GORE-CUSCO", "kind": "other", "country": "PE", "tier": "regional", "status": "proposed"},
		{"code": "PE-OLD", "kind": "commission", "country": "PE", "tier": "national", "status": "dissolved"},
		{"code": "PE-MESA-TACNA", "kind": "regional_round_table", "country": "PE", "tier": "regional"},
		{"code": "UN-OIM", "kind": "international_organization", "tier": "international"},
	} {
		b["name"] = map[string]any{"es": "Institución " + b["code"].(string)}
		create(t, env, admin, b)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"AR-MRE", "PE-APCI", "PE-GORE-CUSCO", "PE-MESA-TACNA", "PE-MRE", "PE-OLD", "UN-OIM"}},
		{"kind=ministry", []string{"AR-MRE", "PE-MRE"}},
		{"kind=ministry&kind=agency", []string{"AR-MRE", "PE-APCI", "PE-MRE"}},
		{"kind=consular_mission", nil},
		{"country=AR", []string{"AR-MRE"}},
		{"country=AR&country=PE", []string{"AR-MRE", "PE-APCI", "PE-GORE-CUSCO", "PE-MESA-TACNA", "PE-MRE", "PE-OLD"}},
		{"tier=regional", []string{"PE-GORE-CUSCO", "PE-MESA-TACNA"}},
		{"tier=international&tier=regional", []string{"PE-GORE-CUSCO", "PE-MESA-TACNA", "UN-OIM"}},
		{"status=proposed", []string{"PE-GORE-CUSCO"}},
		{"status=proposed&status=dissolved", []string{"PE-GORE-CUSCO", "PE-OLD"}},
		{"kind=ministry&country=PE", []string{"PE-MRE"}},
		{"tier=regional&status=active", []string{"PE-MESA-TACNA"}},
		{"country=PE&kind=agency&kind=commission&status=dissolved", []string{"PE-OLD"}},
		{"country=PE&tier=national&status=active", []string{"PE-APCI", "PE-MRE"}},
		{"kind=ministry&country=PE&tier=regional", nil},
		{"order_by=-code&kind=ministry", []string{"PE-MRE", "AR-MRE"}},
	} {
		got := listCodes(t, env, admin, c.query)
		if !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}

	for _, c := range []struct{ query, field string }{
		{"kind=empire", "query.kind.0"},
		{"kind=ministry&kind=empire", "query.kind.1"},
		{"country=pe", "query.country.0"},
		{"country=PER", "query.country.0"},
		{"tier=galactic", "query.tier.0"},
		{"status=active&status=asleep", "query.status.1"},
		{"order_by=name", "query.order_by"},
		{"root=maybe", "query.root"},
		{"parent_id=nope", "query.parent_id"},
		{"include_archived=perhaps", "query.include_archived"},
		{"q=", "query.q"},
		{"q=" + strings.Repeat("a", 201), "query.q"},
	} {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions?" + c.query, Token: admin})
		wantField(t, apitest.Problem(t, res, http.StatusBadRequest), c.field)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	for _, b := range []map[string]any{
		{"code": "PE-MRE-DGC-PAN", "name": map[string]any{"es": "Dirección de Protección y Asistencia al Nacional"}, "kind": "directorate"},
		{"code": "PE-MRE-DGPCA-ASN-PIM", "name": map[string]any{"es": "Departamento de Política Migratoria", "en": "Migration Policy Department"},
			"acronym": "PIM", "kind": "department"},
		{"code": "UN-IOM", "name": map[string]any{"es": "Organización Internacional para las Migraciones", "en": "International Organization for Migration"},
			"acronym": "OIM", "kind": "international_organization"},
		{"code": "PE-MEF", "name": map[string]any{"es": "Ministerio de Economía y Finanzas"}, "acronym": "MEF", "kind": "ministry",
			"description": map[string]any{"en": "Treasury and public budget"}},
	} {
		b["tier"] = "national"
		create(t, env, admin, b)
	}
	const (
		pan = "PE-MRE-DGC-PAN"
		pim = "PE-MRE-DGPCA-ASN-PIM"
		iom = "UN-IOM"
		mef = "PE-MEF"
	)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"proteccion", []string{pan}},
		{"PROTECCIÓN", []string{pan}},
		{"Protección", []string{pan}},
		{"proteccion nacional", []string{pan}},
		{"protec", []string{pan}},
		{"migration policy", []string{pim}},
		{"Migration Policy Department", []string{pim}},
		{"policies", []string{pim}},
		{"migra", []string{pim, iom}},
		{"politica migratoria", []string{pim}},
		{"POLÍTICA", []string{pim}},
		{"zanahoria", nil},
		{"migration zanahoria", nil},
		{"PIM", []string{pim}},
		{"oim", []string{iom}},
		{"MEF", []string{mef}},
		{"PE-MRE-DGPCA-ASN-PIM", []string{pim}},
		{"dgpca", []string{pim}},
		{"UN-IOM", []string{iom}},
		{"pe-mre", []string{pan, pim}},
		{"economia finanzas", []string{mef}},
		{"treasury", []string{mef}},
		// Words are letters and digits; the rest separates them and never reaches tsquery.
		{"proteccion & | ! :* ( ' \"", []string{pan}},
	} {
		got := listCodes(t, env, admin, query("q", c.q))
		if !slices.Equal(got, c.want) {
			t.Errorf("q=%q: %v, want %v", c.q, got, c.want)
		}
	}
	// Letters whose unaccented form is punctuation (ŉ → 'n, ʼ → ', ː → :) are searched for,
	// not parsed as tsquery syntax.
	for _, q := range []string{"ŉ", "ʼ", "ː", "Hawaiʻi", "ʼʼ ːː ŉŉ", "Policyʼs"} {
		listCodes(t, env, admin, query("q", q))
	}
	// A query without words filters nothing.
	if got := listCodes(t, env, admin, query("q", "&|!")); len(got) != 4 {
		t.Errorf("q without words: %v, want all 4", got)
	}
	// Search combines with filters and paging.
	if got := listCodes(t, env, admin, query("q", "migra", "kind", "department")); !slices.Equal(got, []string{pim}) {
		t.Errorf("q=migra&kind=department: %v", got)
	}
	p := list(t, env, admin, query("q", "migra", "page_size", "1"))
	if len(p.Items) != 1 || p.Items[0].Code != pim || p.Next == "" {
		t.Fatalf("first page of q=migra: %v next %q", codes(p.Items), p.Next)
	}
	p = list(t, env, admin, query("q", "migra", "page_size", "1", "page_token", p.Next))
	if len(p.Items) != 1 || p.Items[0].Code != iom || p.Next != "" {
		t.Fatalf("second page of q=migra: %v next %q", codes(p.Items), p.Next)
	}
}

// page through the list with query and page_size, returning the codes page by page.
func pageThrough(t *testing.T, env *apitest.Env, token, q string, size int) [][]string {
	t.Helper()
	var pages [][]string
	token2 := ""
	for range 100 {
		qq := q + fmt.Sprintf("&page_size=%d", size)
		if token2 != "" {
			qq += "&" + query("page_token", token2)
		}
		p := list(t, env, token, qq)
		pages = append(pages, codes(p.Items))
		if p.Next == "" {
			return pages
		}
		if len(p.Items) != size {
			t.Fatalf("a page before the last has %d items, want %d", len(p.Items), size)
		}
		token2 = p.Next
	}
	t.Fatal("paging does not end")
	return nil
}

func TestPagination(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	var all []string
	for i := range 25 {
		all = append(all, fmt.Sprintf("P-%02d", i))
	}
	// Created in a shuffled order, so that code order and creation order differ.
	created := slices.Clone(all)
	rand.Shuffle(len(created), func(i, j int) { created[i], created[j] = created[j], created[i] })
	for _, c := range created {
		create(t, env, admin, body(c, "agency", nil))
	}

	for _, c := range []struct {
		name, query string
		want        []string
	}{
		{"default order", "", all},
		{"code", "order_by=code", all},
		{"-code", "order_by=-code", reversed(all)},
		{"created_at", "order_by=created_at", created},
		{"-created_at", "order_by=-created_at", reversed(created)},
		{"updated_at", "order_by=updated_at", created},
		{"-updated_at", "order_by=-updated_at", reversed(created)},
	} {
		pages := pageThrough(t, env, admin, c.query, 10)
		if len(pages) != 3 || len(pages[0]) != 10 || len(pages[1]) != 10 || len(pages[2]) != 5 {
			t.Errorf("%s: page sizes %v", c.name, pageSizes(pages))
		}
		if got := slices.Concat(pages...); !slices.Equal(got, c.want) {
			t.Errorf("%s: paged %v, want %v", c.name, got, c.want)
		}
	}
	// Exactly one full page: the token is empty at once... or leads to an empty last page.
	if pages := pageThrough(t, env, admin, "", 25); len(slices.Concat(pages...)) != 25 {
		t.Errorf("page_size=25: %v", pageSizes(pages))
	}
	if pages := pageThrough(t, env, admin, "", 500); len(pages) != 1 || len(pages[0]) != 25 {
		t.Errorf("page_size=500: %v", pageSizes(pages))
	}

	first := list(t, env, admin, "order_by=code&page_size=10")
	bad := []struct{ name, query string }{
		{"garbage token", "page_token=not-a-token!!"},
		{"base64 but not ours", query("page_token", "eyJmb28iOjF9")},
		{"token of another order", "order_by=-created_at&" + query("page_token", first.Next)},
		{"token of code used with -code", "order_by=-code&" + query("page_token", first.Next)},
		{"page_size=0", "page_size=0"},
		{"page_size=501", "page_size=501"},
		{"page_size=-1", "page_size=-1"},
		{"page_size=ten", "page_size=ten"},
	}
	for _, c := range bad {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions?" + c.query, Token: admin})
		p := apitest.Problem(t, res, http.StatusBadRequest)
		field := "query.page_token"
		if strings.HasPrefix(c.name, "page_size") {
			field = "query.page_size"
		}
		wantField(t, p, field)
	}
	// The token of the default order is the token of order_by=code.
	p := list(t, env, admin, "page_size=10&"+query("page_token", first.Next))
	if got := codes(p.Items); !slices.Equal(got, all[10:20]) {
		t.Errorf("default order with a code token: %v", got)
	}
}

func TestPaginationStableUnderInserts(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	var start []string
	for i := range 25 {
		c := fmt.Sprintf("P-%02d", i)
		start = append(start, c)
		create(t, env, admin, body(c, "agency", nil))
	}

	for k, order := range []string{"code", "-created_at", "-code"} {
		t.Run(order, func(t *testing.T) {
			first := list(t, env, admin, "page_size=10&order_by="+order)
			if len(first.Items) != 10 || first.Next == "" {
				t.Fatalf("first page: %d items, next %q", len(first.Items), first.Next)
			}
			// Ten new rows whose codes sort before, inside and after what was read.
			var inserted []string
			for _, c := range []string{"A-00", "A-01", "P-03A", "P-08A", "P-12A", "P-12B", "P-20A", "Q-00", "Z-00", "Z-01"} {
				c = fmt.Sprintf("%s-%d", c, k)
				inserted = append(inserted, c)
				create(t, env, admin, body(c, "agency", nil))
			}
			seen := map[string]int{}
			for _, c := range codes(first.Items) {
				seen[c]++
			}
			next := first.Next
			var rest []string
			for next != "" {
				p := list(t, env, admin, "page_size=10&order_by="+order+"&"+query("page_token", next))
				rest = append(rest, codes(p.Items)...)
				next = p.Next
			}
			for _, c := range rest {
				if slices.Contains(codes(first.Items), c) {
					t.Errorf("%s from page 1 appears again", c)
				}
				seen[c]++
			}
			for _, c := range start {
				if seen[c] != 1 {
					t.Errorf("%s seen %d times, want once", c, seen[c])
				}
			}
			for c, n := range seen {
				if n != 1 {
					t.Errorf("%s seen %d times", c, n)
				}
			}
			// Rows are in order across pages, whatever was inserted meanwhile.
			got := append(codes(first.Items), rest...)
			if order == "code" && !slices.IsSorted(got) {
				t.Errorf("not in code order: %v", got)
			}
			if order == "-code" && !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
				t.Errorf("not in -code order: %v", got)
			}
			// Of the new rows, exactly those past the cursor show up.
			last := first.Items[len(first.Items)-1].Code
			for _, c := range inserted {
				past := false
				switch order {
				case "code":
					past = c > last
				case "-code":
					past = c < last
				}
				if seen[c] > 0 != past {
					t.Errorf("inserted %s (cursor at %s): seen %d times, want seen=%v", c, last, seen[c], past)
				}
			}
		})
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

func pageSizes(pages [][]string) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = len(p)
	}
	return out
}
