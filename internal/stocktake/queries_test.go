package stocktake_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// qrySource creates a data source with the given quality scores (0: not assessed).
func qrySource(t *testing.T, env *apitest.Env, token, code string, score int) string {
	t.Helper()
	body := map[string]any{"code": code, "title": map[string]any{"es": "Fuente " + code}, "type": "study", "access": "public"}
	if score > 0 {
		s := map[string]any{"score": score}
		body["quality"] = map[string]any{"timeliness": s, "completeness": s, "comparability": s}
	}
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-sources", Token: token, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("create source %s: %d %s", code, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// qryObs stores one observation; place is an ISO country, a two-digit region, or "world".
func qryObs(t *testing.T, env *apitest.Env, token, indicator, source, period, place string, value float64, extra map[string]any) {
	t.Helper()
	body := map[string]any{"indicator_id": indicator, "source_id": source, "period": period, "value": value}
	switch {
	case place == "world":
		body["place_kind"] = "world"
	case len(place) == 2 && place[0] >= '0' && place[0] <= '9':
		body["region"] = place
	default:
		body["country"] = place
	}
	for k, v := range extra {
		body[k] = v
	}
	obsMust(t, env, token, body, http.StatusCreated)
}

func qryGet(t *testing.T, env *apitest.Env, token, path string, out any) {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	res.Decode(t, out)
}

// qryFixture: a stock indicator with three sources of different quality and observations that
// disagree, so that the preferred source decides.
type qryFixture struct {
	obsFixture
	good, poor, unassessed string // sources: quality 15, 6, none
}

func qrySetup(t *testing.T) qryFixture {
	t.Helper()
	fx := qryFixture{obsFixture: obsSetup(t)}
	env, tok := fx.env, fx.admin
	fx.good = qrySource(t, env, tok, "QRY-A-GOOD", 5)
	fx.poor = qrySource(t, env, tok, "QRY-B-POOR", 2)
	fx.unassessed = qrySource(t, env, tok, "QRY-C-NONE", 0)
	return fx
}

type qrySeries struct {
	Sources []struct {
		ID           string `json:"id"`
		Code         string `json:"code"`
		QualityScore *int   `json:"quality_score"`
	} `json:"sources"`
	Series []struct {
		PlaceKind string  `json:"place_kind"`
		Country   *string `json:"country"`
		Region    *string `json:"region"`
		Points    []struct {
			Period   string  `json:"period"`
			Value    float64 `json:"value"`
			SourceID string  `json:"source_id"`
		} `json:"points"`
	} `json:"series"`
}

// flat renders a series answer as "place:period=value@source" lines, for comparison.
func (s qrySeries) flat(names map[string]string) []string {
	var out []string
	for _, ser := range s.Series {
		place := ser.PlaceKind
		if ser.Country != nil {
			place = *ser.Country
		} else if ser.Region != nil {
			place = *ser.Region
		}
		for _, p := range ser.Points {
			out = append(out, place+":"+p.Period+"="+strconv.FormatFloat(p.Value, 'f', -1, 64)+"@"+names[p.SourceID])
		}
	}
	return out
}

func TestQuerySeries(t *testing.T) {
	t.Parallel()
	fx := qrySetup(t)
	env, tok, ind := fx.env, fx.admin, fx.stock
	names := map[string]string{fx.good: "good", fx.poor: "poor", fx.unassessed: "none"}
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 100, nil)
	qryObs(t, env, tok, ind, fx.poor, "2020", "US", 110, nil)
	qryObs(t, env, tok, ind, fx.poor, "2021", "US", 120, nil)
	qryObs(t, env, tok, ind, fx.unassessed, "2020", "CL", 50, map[string]any{"status": "final"})
	qryObs(t, env, tok, ind, fx.poor, "2020", "CL", 55, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "world", 1000, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "15", 7, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 40, map[string]any{"sex": "female"})
	qryObs(t, env, tok, fx.flow, fx.good, "2020", "US", 9999, nil) // another indicator

	base := "/v1/stocktake/series?indicator_id=" + ind
	for _, c := range []struct {
		query string
		want  []string
	}{
		// Each point from its preferred source: an assessed one before an unassessed final value.
		{"&country=US&country=CL", []string{"CL:2020=55@poor", "US:2020=100@good", "US:2021=120@poor"}},
		{"&country=US&source_id=" + fx.poor, []string{"US:2020=110@poor", "US:2021=120@poor"}},
		{"&world=true", []string{"world:2020=1000@good"}},
		{"", []string{"CL:2020=55@poor", "US:2020=100@good", "US:2021=120@poor", "15:2020=7@good", "world:2020=1000@good"}},
		{"&country=US&sex=female", []string{"US:2020=40@good"}},
		{"&country=US&period_from=2021-01-01", []string{"US:2021=120@poor"}},
		{"&country=US&period_to=2020-12-31&region=15", []string{"US:2020=100@good", "15:2020=7@good"}},
		{"&country=AR", nil},
	} {
		var s qrySeries
		qryGet(t, env, tok, base+c.query, &s)
		if got := s.flat(names); !reflect.DeepEqual(got, c.want) {
			t.Errorf("series%s:\n got %v\nwant %v", c.query, got, c.want)
		}
		for _, src := range s.Sources {
			if names[src.ID] == "" {
				t.Errorf("series%s cites unknown source %v", c.query, src)
			}
		}
	}
	var s qrySeries
	qryGet(t, env, tok, base+"&country=US", &s)
	if len(s.Sources) != 2 || s.Sources[0].Code != "QRY-A-GOOD" || *s.Sources[0].QualityScore != 15 || s.Sources[1].Code != "QRY-B-POOR" {
		t.Fatalf("sources cited: %+v", s.Sources)
	}

	qryRejects(t, env, tok, "/v1/stocktake/series?", "indicator_id="+ind)
}

// qryRejects checks the bad inputs every query shares; valid is a query string that works.
func qryRejects(t *testing.T, env *apitest.Env, tok, path, valid string) {
	t.Helper()
	for _, c := range []struct {
		query  string
		status int
		field  string
	}{
		{"indicator_id=0192f0c8-7c2d-7a1b-9f3e-1b2c3d4e5fa0", 422, "indicator_id"},
		{valid + "&country=XX", 422, "country.0"},
		{valid + "&country=usa", 400, ""},
		{"country=US", 400, ""},
		{"indicator_id=not-a-uuid", 400, ""},
	} {
		p := apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + c.query, Token: tok}), c.status)
		if c.field != "" {
			obsWantField(t, p, c.field)
		}
	}
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + valid}), 401)
}

type qryAggregates struct {
	GroupBy []string `json:"group_by"`
	Groups  []struct {
		Country  *string `json:"country"`
		Region   *string `json:"region"`
		Year     *int    `json:"year"`
		Sex      *string `json:"sex"`
		SourceID *string `json:"source_id"`
		Total    float64 `json:"total"`
		Count    int64   `json:"count"`
		Latest   struct {
			Value        float64 `json:"value"`
			Period       string  `json:"period"`
			PeriodEnd    string  `json:"period_end"`
			SourceID     *string `json:"source_id"`
			Observations int64   `json:"observations"`
		} `json:"latest"`
	} `json:"groups"`
}

func TestQueryAggregates(t *testing.T) {
	t.Parallel()
	fx := qrySetup(t)
	env, tok, ind := fx.env, fx.admin, fx.flow
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 10, nil)
	qryObs(t, env, tok, ind, fx.poor, "2020", "US", 12, nil) // the same point from a worse source
	qryObs(t, env, tok, ind, fx.good, "2021", "US", 20, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "CL", 5, nil)
	qryObs(t, env, tok, ind, fx.good, "2021-01", "CL", 1, nil)
	qryObs(t, env, tok, ind, fx.good, "2021-02", "CL", 2, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 4, map[string]any{"sex": "female"})
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 6, map[string]any{"sex": "male"})
	qryObs(t, env, tok, ind, fx.good, "2020", "US", 3, map[string]any{"age_group": "15-29"})
	qryObs(t, env, tok, ind, fx.good, "2020", "15", 3, nil)
	qryObs(t, env, tok, ind, fx.good, "2020", "world", 999, nil) // a total already: never summed

	get := func(query string) qryAggregates {
		t.Helper()
		var a qryAggregates
		qryGet(t, env, tok, "/v1/stocktake/aggregates?indicator_id="+ind+"&"+query, &a)
		return a
	}
	type row struct {
		key          string
		total        float64
		count        int64
		latest       float64
		latestPeriod string
		latestN      int64
		latestSource string
	}
	names := map[string]string{fx.good: "good", fx.poor: "poor"}
	rows := func(a qryAggregates) []row {
		var out []row
		for _, g := range a.Groups {
			var key []string
			for _, p := range []*string{g.Country, g.Region, g.Sex, g.SourceID} {
				if p != nil {
					key = append(key, *p)
				}
			}
			if g.Year != nil {
				key = append(key, fmt.Sprintf("%d", *g.Year))
			}
			src := ""
			if g.Latest.SourceID != nil {
				src = names[*g.Latest.SourceID]
			}
			out = append(out, row{strings.Join(key, "/"), g.Total, g.Count, g.Latest.Value, g.Latest.Period, g.Latest.Observations, src})
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  []row
	}{
		{"group_by=country", []row{{"CL", 8, 3, 2, "2021-02", 1, "good"}, {"US", 30, 2, 20, "2021", 1, "good"}}},
		{"group_by=year", []row{{"2020", 15, 2, 15, "2020", 2, "good"}, {"2021", 23, 3, 22, "2021", 2, "good"}}},
		{"group_by=country,year&year_from=2020&year_to=2020", []row{{"CL/2020", 5, 1, 5, "2020", 1, "good"}, {"US/2020", 10, 1, 10, "2020", 1, "good"}}},
		{"group_by=country&country=US&year_from=2021", []row{{"US", 20, 1, 20, "2021", 1, "good"}}},
		{"group_by=sex&country=US&year_to=2020", []row{{"female", 4, 1, 4, "2020", 1, "good"}, {"male", 6, 1, 6, "2020", 1, "good"}, {"total", 10, 1, 10, "2020", 1, "good"}}},
		{"group_by=region", []row{{"15", 3, 1, 3, "2020", 1, "good"}}},
		{"group_by=country&age_group=15-29", []row{{"US", 3, 1, 3, "2020", 1, "good"}}},
		{"group_by=country&source_id=" + fx.poor, []row{{"US", 12, 1, 12, "2020", 1, "poor"}}},
	} {
		if got := rows(get(c.query)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.query, got, c.want)
		}
	}
	// By source, every source counts: nothing is picked.
	bySource := get("group_by=source")
	if len(bySource.Groups) != 2 || *bySource.Groups[0].SourceID == *bySource.Groups[1].SourceID {
		t.Fatalf("by source: %+v", bySource.Groups)
	}
	for _, g := range bySource.Groups {
		want := map[string]float64{"good": 10 + 20 + 5 + 1 + 2, "poor": 12}[names[*g.SourceID]]
		if g.Total != want {
			t.Errorf("source %s total %v, want %v", names[*g.SourceID], g.Total, want)
		}
	}
	// Two sources summed in one latest figure have no single source.
	qryObs(t, env, tok, ind, fx.poor, "2021", "AR", 7, nil)
	if y := get("group_by=year&year_from=2021"); len(y.Groups) != 1 || y.Groups[0].Latest.SourceID != nil || y.Groups[0].Latest.Value != 29 {
		t.Fatalf("2021 with AR from another source: %+v", y.Groups)
	}

	path := "/v1/stocktake/aggregates?group_by=country&"
	qryRejects(t, env, tok, path, "indicator_id="+ind)
	for _, q := range []string{"group_by=country,region", "group_by=planet", "group_by=", "group_by=year&year_from=2021&year_to=2020", "group_by=year&year_from=1800"} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/stocktake/aggregates?indicator_id=" + ind + "&" + q, Token: tok}), 400)
	}
}

type qryCoverage struct {
	Indicators []struct {
		Code string `json:"code"`
	} `json:"indicators"`
	Countries []string `json:"countries"`
	Years     []int    `json:"years"`
	Sources   []struct {
		Code string `json:"code"`
	} `json:"sources"`
	Cells []struct {
		IndicatorID string   `json:"indicator_id"`
		Country     string   `json:"country"`
		Year        int      `json:"year"`
		SourceIDs   []string `json:"source_ids"`
	} `json:"cells"`
	Empty []struct {
		IndicatorID string `json:"indicator_id"`
		Country     string `json:"country"`
		Year        int    `json:"year"`
	} `json:"empty"`
	TotalCells int `json:"total_cells"`
}

func TestQueryCoverage(t *testing.T) {
	t.Parallel()
	fx := qrySetup(t)
	env, tok := fx.env, fx.admin
	gone := qrySource(t, env, tok, "QRY-D-GONE", 3)
	qryObs(t, env, tok, fx.stock, fx.good, "2020", "US", 1, nil)
	qryObs(t, env, tok, fx.stock, fx.poor, "2020", "US", 1, map[string]any{"sex": "female"})
	qryObs(t, env, tok, fx.stock, fx.good, "2021-06", "CL", 1, nil)
	qryObs(t, env, tok, fx.stock, fx.good, "2021", "15", 1, nil)    // a region: not a country cell
	qryObs(t, env, tok, fx.stock, fx.good, "2021", "world", 1, nil) // nor the world
	qryObs(t, env, tok, fx.flow, fx.poor, "2020", "ES", 1, nil)
	qryObs(t, env, tok, fx.stock, gone, "2020", "AR", 1, nil)
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/data-sources/" + gone, Token: tok}); res.Status != http.StatusNoContent {
		t.Fatalf("archive source: %d %s", res.Status, res.Body)
	}

	var c qryCoverage
	qryGet(t, env, tok, "/v1/stocktake/coverage?indicator_id="+fx.stock, &c)
	// Countries with data for any indicator; an archived source covers nothing.
	if !reflect.DeepEqual(c.Countries, []string{"AR", "CL", "ES", "US"}) || !reflect.DeepEqual(c.Years, []int{2020, 2021}) || c.TotalCells != 8 {
		t.Fatalf("span: %v %v %d", c.Countries, c.Years, c.TotalCells)
	}
	covered := map[string]int{}
	for _, cell := range c.Cells {
		covered[fmt.Sprintf("%s/%d", cell.Country, cell.Year)] = len(cell.SourceIDs)
	}
	if !reflect.DeepEqual(covered, map[string]int{"US/2020": 2, "CL/2021": 1}) || len(c.Empty) != 6 {
		t.Fatalf("cells %v, %d empty", covered, len(c.Empty))
	}
	if len(c.Sources) != 2 || c.Sources[0].Code != "QRY-A-GOOD" || c.Sources[1].Code != "QRY-B-POOR" {
		t.Fatalf("sources %+v", c.Sources)
	}

	qryGet(t, env, tok, "/v1/stocktake/coverage?country=US&country=BR&year_from=2019&year_to=2021", &c)
	if len(c.Indicators) != 2 || c.Indicators[0].Code != "OBS.FLOW" || !reflect.DeepEqual(c.Countries, []string{"BR", "US"}) ||
		!reflect.DeepEqual(c.Years, []int{2019, 2020, 2021}) || c.TotalCells != 12 || len(c.Cells) != 1 || len(c.Empty) != 11 {
		t.Fatalf("every indicator, chosen span: %+v", c)
	}

	// An empty cell becomes a recorded gap.
	gap := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-gaps", Token: tok, Body: map[string]any{
		"code": "GAP-AR", "description": map[string]any{"es": "Sin datos de stock para Argentina"}, "priority": "high",
		"indicator_ids": []string{fx.stock}, "countries": []string{"AR"}}})
	if gap.Status != http.StatusCreated {
		t.Fatalf("record the gap: %d %s", gap.Status, gap.Body)
	}

	path := "/v1/stocktake/coverage?"
	for _, c := range []struct {
		query  string
		status int
	}{
		{"indicator_id=" + fx.stock + "&year_from=1900&year_to=2000", 400},
		{"year_from=2021&year_to=2020", 400},
		{"indicator_id=0192f0c8-7c2d-7a1b-9f3e-1b2c3d4e5fa0", 422},
		{"country=XX", 422},
	} {
		apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: path + c.query, Token: tok}), c.status)
	}
}

// Scripts find records by their natural keys.
func TestQueryCodeFilters(t *testing.T) {
	t.Parallel()
	fx := qrySetup(t)
	env, tok := fx.env, fx.admin
	for _, g := range []string{"GAP-ONE", "GAP-TWO"} {
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/data-gaps", Token: tok, Body: map[string]any{
			"code": g, "description": map[string]any{"en": "gap " + g}, "priority": "low"}})
		if res.Status != http.StatusCreated {
			t.Fatalf("gap: %d %s", res.Status, res.Body)
		}
	}
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/v1/indicators?code=OBS.STOCK", []string{"OBS.STOCK"}},
		{"/v1/indicators?code=OBS.STOCK&code=OBS.FLOW", []string{"OBS.FLOW", "OBS.STOCK"}},
		{"/v1/indicators?code=NOPE", nil},
		{"/v1/data-sources?code=QRY-B-POOR", []string{"QRY-B-POOR"}},
		{"/v1/data-sources?code=QRY-B-POOR&code=QRY-A-GOOD", []string{"QRY-A-GOOD", "QRY-B-POOR"}},
		{"/v1/data-gaps?code=GAP-TWO", []string{"GAP-TWO"}},
	} {
		var page struct {
			Items []struct {
				Code string `json:"code"`
			} `json:"items"`
		}
		qryGet(t, env, tok, c.path, &page)
		var got []string
		for _, it := range page.Items {
			got = append(got, it.Code)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.path, got, c.want)
		}
	}
}

// The coverage rollup the matrix reads stays equal to what the observations say, through
// inserts, updates, archiving, revival and deletes, single or set-based.
func TestQueryCoverageRollup(t *testing.T) {
	t.Parallel()
	fx := qrySetup(t)
	env, tok := fx.env, fx.admin
	ctx := context.Background()
	check := func(step string) {
		t.Helper()
		var diff int64
		if err := env.DB.Conn(ctx).Raw(`WITH truth AS (
			SELECT indicator_id, place_kind, place_code, extract(year FROM period_start)::int AS year, source_id,
			    count(*) AS observations, count(*) FILTER (WHERE demo) AS demo_observations
			FROM observations WHERE archived_at IS NULL GROUP BY 1, 2, 3, 4, 5),
		rollup AS (SELECT * FROM observation_coverage WHERE observations <> 0 OR demo_observations <> 0)
		SELECT count(*) FROM ((TABLE truth EXCEPT TABLE rollup) UNION ALL (TABLE rollup EXCEPT TABLE truth)) d`).Scan(&diff).Error; err != nil {
			t.Fatal(err)
		}
		if diff != 0 {
			t.Fatalf("%s: the rollup differs from the observations in %d rows", step, diff)
		}
	}
	us := obsMust(t, env, tok, obsBody(fx.stock, fx.good, "2020", "US", 1), http.StatusCreated)["id"].(string)
	obsMust(t, env, tok, obsBody(fx.stock, fx.good, "2020-06", "US", 1), http.StatusCreated)
	obsMust(t, env, tok, obsBody(fx.stock, fx.poor, "2021", "CL", 1), http.StatusCreated)
	check("inserts")
	obsMust(t, env, tok, obsBody(fx.stock, fx.good, "2020", "US", 2), http.StatusOK)
	obsPatch(t, env, tok, us, map[string]any{"value": 3}, nil)
	check("value updates")
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/observations/" + us, Token: tok}); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	check("archive")
	var c qryCoverage
	qryGet(t, env, tok, "/v1/stocktake/coverage?indicator_id="+fx.stock+"&country=US&year_from=2020&year_to=2020", &c)
	if len(c.Cells) != 1 { // the 2020-06 observation still covers US 2020
		t.Fatalf("after archiving one of two: %+v", c.Cells)
	}
	obsMust(t, env, tok, obsBody(fx.stock, fx.good, "2020", "US", 4), http.StatusOK) // revives it
	check("revive")
	db := env.DB.Conn(ctx)
	for _, stmt := range []string{
		`UPDATE observations SET archived_at = now() WHERE place_code = 'US'`,
		`UPDATE observations SET demo = true`,
		`UPDATE observations SET archived_at = NULL, period_start = period_start + 366, period_end = period_end + 366 WHERE place_code = 'US'`,
		`INSERT INTO observations (id, indicator_id, source_id, period, period_start, period_end, place_kind, place_code, value, demo)
		 SELECT gen_random_uuid(), indicator_id, source_id, '2019', '2019-01-01', '2019-12-31', 'country', place_code, 1, false
		 FROM observations WHERE place_code = 'CL'`,
		`DELETE FROM observations WHERE place_code = 'CL' AND period = '2021'`,
	} {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
		check(stmt)
	}
	qryGet(t, env, tok, "/v1/stocktake/coverage?indicator_id="+fx.stock, &c)
	if !reflect.DeepEqual(c.Countries, []string{"CL", "US"}) || !reflect.DeepEqual(c.Years, []int{2019, 2020, 2021}) || len(c.Cells) != 2 {
		t.Fatalf("after set-based changes: %v %v %+v", c.Countries, c.Years, c.Cells)
	}
}
