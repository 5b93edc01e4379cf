package mandates_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// anWorld is the hand-built PIM/SSN/PCN data set of the analysis tests.
//
// Units (codes sort as listed): AN-DGC (directorate general, under AN-MRE) with AN-PIM and AN-SSN
// below it; AN-MRE (the ministry, the root); AN-PCN (under AN-MRE).
//
// Functions in scenario s1 (basis: J de jure, F de facto):
//
//	AN-F-01 policy          legal basis  PIM R/F, SSN R/J, DGC A/J   overlap PIM+SSN (+ an archived PCN R)
//	AN-F-02 assistance      legal basis  PCN R/J, SSN C/F            gap: no accountable
//	AN-F-03 engagement      no basis     PIM R/F, DGC A/F, SSN I/J   contingency PIM, DGC
//	AN-F-04 data_research   no basis     PIM C/F, MRE A/J            gap: no responsible; contingency PIM
//	AN-F-05 coordination    (proposed)   legal basis, nothing        gap: neither
//	AN-F-06 services        retired      PIM R/F                     out of scope
//	AN-F-07 policy          archived     PIM R/F                     out of scope
//
// s2 is s1 with: F-01 PIM's basis de jure; F-02 SSN informed instead of consulted; F-03's
// responsible moved from PIM to PCN; F-04 PIM removed; F-05 SSN responsible added; an archived
// F-05 PIM accountable; F-06 (out of scope) changed. s3 is an archived copy of s1.
type anWorld struct {
	env        *apitest.Env
	admin      string
	unit       map[string]uuid.UUID // MRE, DGC, PIM, SSN, PCN
	fn         map[string]uuid.UUID // F01 … F07
	assignment map[string]uuid.UUID // "F03/PIM" → s1's assignment
	s1, s2, s3 uuid.UUID
}

func anExec(t *testing.T, env *apitest.Env, sql string, args ...any) {
	t.Helper()
	if err := env.DB.Conn(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func anUnit(t *testing.T, env *apitest.Env, code, kind string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	anExec(t, env, `INSERT INTO institutions (id, code, name_es, name_en, acronym, kind, parent_id, tier) VALUES (?, ?, ?, ?, ?, ?, ?, 'national')`,
		id, code, "Unidad "+code, "Unit <"+code+"> & \"co\"", strings.TrimPrefix(code, "AN-"), kind, parent)
	return id
}

func anFunction(t *testing.T, env *apitest.Env, code, titleES, category, status string, archived bool, basis *uuid.UUID) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	anExec(t, env, `INSERT INTO functions (id, code, title_es, title_en, category, status, archived_at)
		VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)`, id, code, titleES, "Function "+code, category, status, archived)
	if basis != nil {
		anExec(t, env, `INSERT INTO function_legal_bases (function_id, position, instrument_id, article) VALUES (?, 1, ?, '5')`, id, *basis)
	}
	return id
}

func anScenario(t *testing.T, env *apitest.Env, code, kind string, archived bool) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	anExec(t, env, `INSERT INTO mandate_scenarios (id, code, name_es, kind, archived_at) VALUES (?, ?, ?, ?, CASE WHEN ? THEN now() END)`,
		id, code, "Escenario "+code, kind, archived)
	return id
}

// anAssign stores an assignment; a de jure one cites instrument.
func anAssign(t *testing.T, env *apitest.Env, scenario, function, unit uuid.UUID, role, basis string, instrument uuid.UUID, archived bool) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	var cite *uuid.UUID
	if basis == "de_jure" {
		cite = &instrument
	}
	anExec(t, env, `INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis, instrument_id, evidence, archived_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)`,
		id, scenario, function, unit, role, basis, cite, "observed "+role+"\n\tsegún <acta> & \"notas\"\u2028\x01\\", archived)
	return id
}

func anSeed(t *testing.T) *anWorld {
	t.Helper()
	env := apitest.New(t)
	w := &anWorld{env: env, admin: env.AdminToken(t), unit: map[string]uuid.UUID{}, fn: map[string]uuid.UUID{}, assignment: map[string]uuid.UUID{}}
	mre := anUnit(t, env, "AN-MRE", "ministry", nil)
	dgc := anUnit(t, env, "AN-DGC", "directorate_general", &mre)
	w.unit["MRE"], w.unit["DGC"] = mre, dgc
	w.unit["PIM"] = anUnit(t, env, "AN-PIM", "department", &dgc)
	w.unit["SSN"] = anUnit(t, env, "AN-SSN", "department", &dgc)
	w.unit["PCN"] = anUnit(t, env, "AN-PCN", "directorate", &mre)

	dl1350, ds015 := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	anExec(t, env, `INSERT INTO legal_instruments (id, code, type, number, title_es) VALUES (?, 'AN-DL-1350', 'legislative_decree', '1350', 'Ley de Migraciones'),
		(?, 'AN-DS-015', 'supreme_decree', '015-2017-RE', 'Política Nacional Migratoria')`, dl1350, ds015)

	w.fn["F01"] = anFunction(t, env, "AN-F-01", "Formular propuestas de política, sobre peruanos en el exterior", "policy", "current", false, &dl1350)
	w.fn["F02"] = anFunction(t, env, "AN-F-02", "Asistir a connacionales en situación de vulnerabilidad", "assistance", "current", false, &dl1350)
	w.fn["F03"] = anFunction(t, env, "AN-F-03", "Promover y registrar asociaciones de la diáspora", "engagement", "current", false, nil)
	w.fn["F04"] = anFunction(t, env, "AN-F-04", "Producir datos sobre la diáspora", "data_research", "current", false, nil)
	w.fn["F05"] = anFunction(t, env, "AN-F-05", "Coordinar la Mesa de Trabajo", "coordination", "proposed", false, &ds015)
	w.fn["F06"] = anFunction(t, env, "AN-F-06", "Servicio retirado", "services", "retired", false, &ds015)
	w.fn["F07"] = anFunction(t, env, "AN-F-07", "Función archivada", "policy", "current", true, nil)

	w.s1 = anScenario(t, env, "AN-AS-IS", "as_is", false)
	w.s2 = anScenario(t, env, "AN-PROPOSED", "proposed", false)
	w.s3 = anScenario(t, env, "AN-OLD", "as_is", true)
	type a struct{ fn, unit, role, basis string }
	s1 := []a{
		{"F01", "PIM", "responsible", "de_facto"}, {"F01", "SSN", "responsible", "de_jure"}, {"F01", "DGC", "accountable", "de_jure"},
		{"F02", "PCN", "responsible", "de_jure"}, {"F02", "SSN", "consulted", "de_facto"},
		{"F03", "PIM", "responsible", "de_facto"}, {"F03", "DGC", "accountable", "de_facto"}, {"F03", "SSN", "informed", "de_jure"},
		{"F04", "PIM", "consulted", "de_facto"}, {"F04", "MRE", "accountable", "de_jure"},
		{"F06", "PIM", "responsible", "de_facto"}, {"F07", "PIM", "responsible", "de_facto"},
	}
	for _, x := range s1 {
		w.assignment[x.fn+"/"+x.unit] = anAssign(t, env, w.s1, w.fn[x.fn], w.unit[x.unit], x.role, x.basis, ds015, false)
		anAssign(t, env, w.s3, w.fn[x.fn], w.unit[x.unit], x.role, x.basis, ds015, false)
	}
	anAssign(t, env, w.s1, w.fn["F01"], w.unit["PCN"], "responsible", "de_jure", dl1350, true) // archived: does not count

	// s2: a copy of s1, then the changes.
	anExec(t, env, `INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis, instrument_id, evidence)
		SELECT uuid_v7(), ?, function_id, institution_id, role, basis, instrument_id, evidence
		FROM mandate_assignments WHERE scenario_id = ? AND archived_at IS NULL`, w.s2, w.s1)
	anExec(t, env, `UPDATE mandate_assignments SET basis = 'de_jure', instrument_id = ? WHERE scenario_id = ? AND function_id = ? AND institution_id = ?`,
		dl1350, w.s2, w.fn["F01"], w.unit["PIM"])
	anExec(t, env, `UPDATE mandate_assignments SET role = 'informed' WHERE scenario_id = ? AND function_id = ? AND institution_id = ?`,
		w.s2, w.fn["F02"], w.unit["SSN"])
	anExec(t, env, `UPDATE mandate_assignments SET institution_id = ?, basis = 'de_jure', instrument_id = ? WHERE scenario_id = ? AND function_id = ? AND institution_id = ?`,
		w.unit["PCN"], ds015, w.s2, w.fn["F03"], w.unit["PIM"])
	anExec(t, env, `DELETE FROM mandate_assignments WHERE scenario_id = ? AND function_id = ? AND institution_id = ?`, w.s2, w.fn["F04"], w.unit["PIM"])
	anAssign(t, env, w.s2, w.fn["F05"], w.unit["SSN"], "responsible", "de_facto", ds015, false)
	anAssign(t, env, w.s2, w.fn["F05"], w.unit["PIM"], "accountable", "de_facto", ds015, true)
	anExec(t, env, `UPDATE mandate_assignments SET role = 'consulted' WHERE scenario_id = ? AND function_id = ?`, w.s2, w.fn["F06"])
	return w
}

// API shapes, as the tests read them.
type anText struct {
	Es *string `json:"es"`
	En *string `json:"en"`
}

type anFunctionRef struct {
	ID            string `json:"id"`
	Code          string `json:"code"`
	Title         anText `json:"title"`
	Category      string `json:"category"`
	HasLegalBasis bool   `json:"has_legal_basis"`
}

type anUnitRef struct {
	ID      string  `json:"id"`
	Code    string  `json:"code"`
	Name    anText  `json:"name"`
	Acronym *string `json:"acronym"`
}

type anAnalysis struct {
	ScenarioID string `json:"scenario_id"`
	Totals     struct {
		Functions, Assignments, Overlaps, Gaps, Contingency int
	} `json:"totals"`
	Overlaps []struct {
		Function anFunctionRef `json:"function"`
		Units    []anUnitRef   `json:"units"`
	} `json:"overlaps"`
	Gaps []struct {
		Function anFunctionRef `json:"function"`
		Missing  []string      `json:"missing"`
	} `json:"gaps"`
	Contingency []struct {
		AssignmentID string        `json:"assignment_id"`
		Function     anFunctionRef `json:"function"`
		Unit         anUnitRef     `json:"unit"`
		Role         string        `json:"role"`
		Evidence     *string       `json:"evidence"`
	} `json:"contingency"`
	Units []struct {
		Unit      anUnitRef `json:"unit"`
		Functions int       `json:"functions"`
		ByRole    struct {
			Responsible, Accountable, Consulted, Informed int
		} `json:"by_role"`
		DeJure          int     `json:"de_jure"`
		DeFacto         int     `json:"de_facto"`
		LegalBasisShare float64 `json:"legal_basis_share"`
	} `json:"units"`
}

type anMatrix struct {
	ScenarioID string          `json:"scenario_id"`
	Functions  []anFunctionRef `json:"functions"`
	Units      []anUnitRef     `json:"units"`
	Cells      []struct {
		F     int    `json:"f"`
		U     int    `json:"u"`
		Role  string `json:"role"`
		Basis string `json:"basis"`
	} `json:"cells"`
}

type anChange struct {
	Kind      string     `json:"kind"`
	Role      *string    `json:"role"`
	Unit      *anUnitRef `json:"unit"`
	FromUnit  *anUnitRef `json:"from_unit"`
	ToUnit    *anUnitRef `json:"to_unit"`
	FromRole  *string    `json:"from_role"`
	ToRole    *string    `json:"to_role"`
	FromBasis *string    `json:"from_basis"`
	ToBasis   *string    `json:"to_basis"`
}

// String renders a change compactly, e.g. "moved responsible AN-PIM→AN-PCN de_facto→de_jure".
func (c anChange) String() string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	u := func(p *anUnitRef) string {
		if p == nil {
			return "-"
		}
		return p.Code
	}
	switch c.Kind {
	case "moved":
		return fmt.Sprintf("moved %s %s→%s %s→%s", s(c.Role), u(c.FromUnit), u(c.ToUnit), s(c.FromBasis), s(c.ToBasis))
	case "role_changed":
		return fmt.Sprintf("role_changed %s %s→%s", u(c.Unit), s(c.FromRole), s(c.ToRole))
	default:
		return fmt.Sprintf("%s %s %s %s→%s", c.Kind, u(c.Unit), s(c.Role), s(c.FromBasis), s(c.ToBasis))
	}
}

type anComparison struct {
	BaseID    string `json:"base_id"`
	OtherID   string `json:"other_id"`
	Functions []struct {
		Function anFunctionRef `json:"function"`
		Changes  []anChange    `json:"changes"`
	} `json:"functions"`
	Units []struct {
		Unit   anUnitRef `json:"unit"`
		Gained int       `json:"gained"`
		Lost   int       `json:"lost"`
		Net    int       `json:"net"`
		ByRole struct {
			Responsible, Accountable, Consulted, Informed int
		} `json:"by_role"`
	} `json:"units"`
}

// anSameAsEncodingJSON checks that body is exactly what encoding/json writes for the contract's
// type T (wrapped as its generated response type): the handlers write it by hand.
func anSameAsEncodingJSON[T any](t *testing.T, path string, body []byte, wrap func(T) any) {
	t.Helper()
	var typed T
	if err := json.Unmarshal(body, &typed); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	var want bytes.Buffer
	if err := json.NewEncoder(&want).Encode(wrap(typed)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want.Bytes()) {
		t.Errorf("GET %s: the body differs from encoding/json's rendering\n got: %.600s\nwant: %.600s", path, body, want.Bytes())
	}
}

// read gets path as JSON into out, checking the body's encoding with wrap.
func anRead[T any](t *testing.T, w *anWorld, path string, out any, wrap func(T) any) {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: w.admin})
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %q %s", path, res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	anSameAsEncodingJSON(t, path, res.Body, wrap)
	res.Decode(t, out)
}

func (w *anWorld) analysis(t *testing.T, scenario uuid.UUID, query string) anAnalysis {
	t.Helper()
	var a anAnalysis
	anRead(t, w, "/v1/mandate-scenarios/"+scenario.String()+"/analysis"+query, &a,
		func(v api.MandateAnalysis) any { return api.GetMandateAnalysis200JSONResponse(v) })
	return a
}

func (w *anWorld) matrix(t *testing.T, scenario uuid.UUID, query string) anMatrix {
	t.Helper()
	var m anMatrix
	anRead(t, w, "/v1/mandate-scenarios/"+scenario.String()+"/matrix"+query, &m,
		func(v api.MandateMatrix) any { return api.GetMandateMatrix200JSONResponse(v) })
	return m
}

func anCodes[T any](items []T, code func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = code(it)
	}
	return out
}

func anEqual[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// anUnitLine summarises a unit of an analysis: code functions R A C I jure facto share.
func anUnitLine(a anAnalysis) []string {
	out := make([]string, len(a.Units))
	for i, u := range a.Units {
		out[i] = fmt.Sprintf("%s %d %d%d%d%d %d/%d %.4f", u.Unit.Code, u.Functions, u.ByRole.Responsible, u.ByRole.Accountable,
			u.ByRole.Consulted, u.ByRole.Informed, u.DeJure, u.DeFacto, math.Round(u.LegalBasisShare*1e4)/1e4)
	}
	return out
}

func TestAnalysisOfAScenario(t *testing.T) {
	t.Parallel()
	w := anSeed(t)
	a := w.analysis(t, w.s1, "")

	if a.ScenarioID != w.s1.String() {
		t.Errorf("scenario_id %s, want %s", a.ScenarioID, w.s1)
	}
	if a.Totals.Functions != 5 || a.Totals.Assignments != 10 || a.Totals.Overlaps != 1 || a.Totals.Gaps != 3 || a.Totals.Contingency != 3 {
		t.Errorf("totals %+v, want 5 functions, 10 assignments, 1 overlap, 3 gaps, 3 contingency", a.Totals)
	}

	// Overlap: F-01, responsible PIM and SSN (the archived PCN row does not count).
	if len(a.Overlaps) != 1 {
		t.Fatalf("overlaps %+v", a.Overlaps)
	}
	o := a.Overlaps[0]
	if o.Function.Code != "AN-F-01" || o.Function.ID != w.fn["F01"].String() || !o.Function.HasLegalBasis || o.Function.Category != "policy" ||
		o.Function.Title.Es == nil || *o.Function.Title.Es != "Formular propuestas de política, sobre peruanos en el exterior" {
		t.Errorf("overlap function %+v", o.Function)
	}
	anEqual(t, "overlap units", anCodes(o.Units, func(u anUnitRef) string { return u.Code }), []string{"AN-PIM", "AN-SSN"})
	if o.Units[0].ID != w.unit["PIM"].String() || o.Units[0].Name.Es == nil || *o.Units[0].Name.Es != "Unidad AN-PIM" ||
		o.Units[0].Acronym == nil || *o.Units[0].Acronym != "PIM" {
		t.Errorf("overlap unit %+v", o.Units[0])
	}

	// Gaps: F-02 has no accountable, F-04 no responsible, F-05 (proposed, unassigned) neither.
	anEqual(t, "gaps", anCodes(a.Gaps, func(g struct {
		Function anFunctionRef `json:"function"`
		Missing  []string      `json:"missing"`
	}) string {
		return g.Function.Code + ":" + strings.Join(g.Missing, "+")
	}), []string{"AN-F-02:accountable", "AN-F-04:responsible", "AN-F-05:responsible+accountable"})
	if len(a.Gaps) == 3 && (a.Gaps[1].Function.HasLegalBasis || !a.Gaps[2].Function.HasLegalBasis) {
		t.Errorf("gap functions' has_legal_basis: %+v", a.Gaps)
	}

	// Contingency: de facto work on F-03 and F-04, which have no legal basis. PIM's de facto
	// responsibility for F-01 is not contingent: F-01 has a legal basis.
	anEqual(t, "contingency", anCodes(a.Contingency, func(c struct {
		AssignmentID string        `json:"assignment_id"`
		Function     anFunctionRef `json:"function"`
		Unit         anUnitRef     `json:"unit"`
		Role         string        `json:"role"`
		Evidence     *string       `json:"evidence"`
	}) string {
		return c.Function.Code + "/" + c.Unit.Code + "/" + c.Role + "/" + c.AssignmentID
	}), []string{
		"AN-F-03/AN-DGC/accountable/" + w.assignment["F03/DGC"].String(),
		"AN-F-03/AN-PIM/responsible/" + w.assignment["F03/PIM"].String(),
		"AN-F-04/AN-PIM/consulted/" + w.assignment["F04/PIM"].String(),
	})
	for _, c := range a.Contingency {
		if c.Function.HasLegalBasis || c.Evidence == nil || !strings.HasPrefix(*c.Evidence, "observed ") {
			t.Errorf("contingency entry %+v", c)
		}
	}

	// Units: functions, R A C I, de jure/de facto, legal basis share.
	anEqual(t, "units", anUnitLine(a), []string{
		"AN-DGC 2 0200 1/1 0.5000",
		"AN-MRE 1 0100 1/0 0.0000",
		"AN-PCN 1 1000 1/0 1.0000",
		"AN-PIM 3 2010 0/3 0.3333",
		"AN-SSN 3 1011 2/1 0.6667",
	})

	// The archived scenario s3 holds the same assignments and can still be analysed.
	old := w.analysis(t, w.s3, "")
	if old.Totals != a.Totals || !slices.Equal(anUnitLine(old), anUnitLine(a)) {
		t.Errorf("archived scenario's analysis %+v differs from s1's %+v", old.Totals, a.Totals)
	}
}

func TestAnalysisFilters(t *testing.T) {
	t.Parallel()
	w := anSeed(t)

	// DGC's subtree (DGC, PIM, SSN): the functions it works on, F-05 (nobody) and PCN's and MRE's
	// assignments are out; F-02 and F-04 lose their responsible/accountable units.
	a := w.analysis(t, w.s1, "?unit_id="+w.unit["DGC"].String())
	if a.Totals.Functions != 4 || a.Totals.Assignments != 8 || a.Totals.Overlaps != 1 || a.Totals.Gaps != 2 || a.Totals.Contingency != 3 {
		t.Errorf("DGC subtree totals %+v", a.Totals)
	}
	anEqual(t, "DGC subtree gaps", anCodes(a.Gaps, func(g struct {
		Function anFunctionRef `json:"function"`
		Missing  []string      `json:"missing"`
	}) string {
		return g.Function.Code + ":" + strings.Join(g.Missing, "+")
	}), []string{"AN-F-02:responsible+accountable", "AN-F-04:responsible+accountable"})
	anEqual(t, "DGC subtree units", anUnitLine(a), []string{
		"AN-DGC 2 0200 1/1 0.5000",
		"AN-PIM 3 2010 0/3 0.3333",
		"AN-SSN 3 1011 2/1 0.6667",
	})

	// A leaf: PCN alone.
	a = w.analysis(t, w.s1, "?unit_id="+w.unit["PCN"].String())
	if a.Totals.Functions != 1 || a.Totals.Assignments != 1 || a.Totals.Overlaps != 0 || a.Totals.Gaps != 1 || a.Totals.Contingency != 0 ||
		len(a.Gaps) != 1 || a.Gaps[0].Function.Code != "AN-F-02" || !slices.Equal(a.Gaps[0].Missing, []string{"accountable"}) {
		t.Errorf("PCN analysis %+v", a)
	}
	anEqual(t, "PCN units", anUnitLine(a), []string{"AN-PCN 1 1000 1/0 1.0000"})

	// The whole tree from the root is the unfiltered analysis minus F-05, which nobody holds.
	a = w.analysis(t, w.s1, "?unit_id="+w.unit["MRE"].String())
	if a.Totals.Functions != 4 || a.Totals.Assignments != 10 || a.Totals.Gaps != 2 {
		t.Errorf("MRE subtree totals %+v", a.Totals)
	}

	// Categories.
	a = w.analysis(t, w.s1, "?category=engagement&category=data_research")
	if a.Totals.Functions != 2 || a.Totals.Assignments != 5 || a.Totals.Overlaps != 0 || a.Totals.Gaps != 1 || a.Totals.Contingency != 3 ||
		len(a.Overlaps) != 0 || len(a.Gaps) != 1 || a.Gaps[0].Function.Code != "AN-F-04" {
		t.Errorf("category analysis %+v", a)
	}
	anEqual(t, "category units", anUnitLine(a), []string{
		"AN-DGC 1 0100 0/1 0.0000",
		"AN-MRE 1 0100 1/0 0.0000",
		"AN-PIM 2 1010 0/2 0.0000",
		"AN-SSN 1 0001 1/0 0.0000",
	})

	// Both: policy in DGC's subtree.
	a = w.analysis(t, w.s1, "?category=policy&unit_id="+w.unit["DGC"].String())
	if a.Totals.Functions != 1 || a.Totals.Assignments != 3 || a.Totals.Overlaps != 1 || a.Totals.Gaps != 0 || a.Totals.Contingency != 0 {
		t.Errorf("policy in DGC totals %+v", a.Totals)
	}

	// A scenario with nothing in scope: all zero, empty lists.
	a = w.analysis(t, w.s1, "?category=communication_culture")
	if a.Totals.Functions != 0 || a.Totals.Assignments != 0 || len(a.Units) != 0 || len(a.Gaps) != 0 {
		t.Errorf("empty analysis %+v", a)
	}
}

func TestAnalysisMatrixJSONAndCSV(t *testing.T) {
	t.Parallel()
	w := anSeed(t)
	m := w.matrix(t, w.s1, "")
	if m.ScenarioID != w.s1.String() {
		t.Errorf("scenario_id %s", m.ScenarioID)
	}
	anEqual(t, "rows", anCodes(m.Functions, func(f anFunctionRef) string { return f.Code }),
		[]string{"AN-F-01", "AN-F-02", "AN-F-03", "AN-F-04", "AN-F-05"})
	anEqual(t, "columns", anCodes(m.Units, func(u anUnitRef) string { return u.Code }),
		[]string{"AN-DGC", "AN-MRE", "AN-PCN", "AN-PIM", "AN-SSN"})
	if len(m.Functions) == 5 && (m.Functions[0].ID != w.fn["F01"].String() || !m.Functions[0].HasLegalBasis || m.Functions[2].HasLegalBasis) {
		t.Errorf("rows %+v", m.Functions)
	}
	if len(m.Units) == 5 && m.Units[3].ID != w.unit["PIM"].String() {
		t.Errorf("columns %+v", m.Units)
	}
	got := map[string]string{}
	for _, c := range m.Cells {
		if c.F < 0 || c.F >= len(m.Functions) || c.U < 0 || c.U >= len(m.Units) {
			t.Fatalf("cell %+v out of range", c)
		}
		got[m.Functions[c.F].Code+"/"+m.Units[c.U].Code] = c.Role + "/" + c.Basis
	}
	want := map[string]string{
		"AN-F-01/AN-PIM": "responsible/de_facto", "AN-F-01/AN-SSN": "responsible/de_jure", "AN-F-01/AN-DGC": "accountable/de_jure",
		"AN-F-02/AN-PCN": "responsible/de_jure", "AN-F-02/AN-SSN": "consulted/de_facto",
		"AN-F-03/AN-PIM": "responsible/de_facto", "AN-F-03/AN-DGC": "accountable/de_facto", "AN-F-03/AN-SSN": "informed/de_jure",
		"AN-F-04/AN-PIM": "consulted/de_facto", "AN-F-04/AN-MRE": "accountable/de_jure",
	}
	if len(m.Cells) != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cells %v, want %v", got, want)
	}
	for i := 1; i < len(m.Cells); i++ {
		if p, c := m.Cells[i-1], m.Cells[i]; p.F > c.F || p.F == c.F && p.U >= c.U {
			t.Errorf("cells not by row then column: %+v before %+v", p, c)
		}
	}

	// With filters: DGC's subtree has three columns and four rows.
	sub := w.matrix(t, w.s1, "?unit_id="+w.unit["DGC"].String())
	anEqual(t, "subtree columns", anCodes(sub.Units, func(u anUnitRef) string { return u.Code }), []string{"AN-DGC", "AN-PIM", "AN-SSN"})
	anEqual(t, "subtree rows", anCodes(sub.Functions, func(f anFunctionRef) string { return f.Code }), []string{"AN-F-01", "AN-F-02", "AN-F-03", "AN-F-04"})
	if len(sub.Cells) != 8 {
		t.Errorf("subtree cells: %d, want 8", len(sub.Cells))
	}
	cat := w.matrix(t, w.s1, "?category=coordination")
	if len(cat.Functions) != 1 || cat.Functions[0].Code != "AN-F-05" || len(cat.Units) != 0 || len(cat.Cells) != 0 {
		t.Errorf("coordination matrix %+v", cat)
	}

	// CSV.
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + w.s1.String() + "/matrix",
		Token: w.admin, Header: map[string]string{"Accept": "text/csv"}})
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %q %s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	lines := strings.Split(string(res.Body), "\n")
	if lines[0] != "function_code,function_title_es,function_title_en,category,AN-DGC,AN-MRE,AN-PCN,AN-PIM,AN-SSN" {
		t.Errorf("CSV header %q", lines[0])
	}
	if lines[1] != `AN-F-01,"Formular propuestas de política, sobre peruanos en el exterior",Function AN-F-01,policy,A,,,r,R` {
		t.Errorf("CSV F-01 line %q", lines[1])
	}
	recs, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var grid []string
	for _, r := range recs[1:] {
		grid = append(grid, r[0]+" "+r[3]+" "+strings.Join(r[4:], "|"))
	}
	anEqual(t, "CSV grid", grid, []string{
		"AN-F-01 policy A|||r|R",
		"AN-F-02 assistance ||R||c",
		"AN-F-03 engagement a|||r|I",
		"AN-F-04 data_research |A||c|",
		"AN-F-05 coordination ||||",
	})
	if res.Header.Get("Content-Length") != fmt.Sprint(len(res.Body)) {
		t.Errorf("Content-Length %q for %d bytes", res.Header.Get("Content-Length"), len(res.Body))
	}

	// Accept listing CSV among others still gets CSV; JSON stays the default.
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + w.s1.String() + "/matrix?unit_id=" + w.unit["PCN"].String(),
		Token: w.admin, Header: map[string]string{"Accept": "text/csv;q=0.9, application/json;q=0.5"}})
	if res.Status != http.StatusOK || string(res.Body) != "function_code,function_title_es,function_title_en,category,AN-PCN\n"+
		"AN-F-02,Asistir a connacionales en situación de vulnerabilidad,Function AN-F-02,assistance,R\n" {
		t.Errorf("PCN CSV: %d %q", res.Status, res.Body)
	}
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + w.s1.String() + "/matrix",
		Token: w.admin, Header: map[string]string{"Accept": "application/json"}})
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("JSON matrix: %d %q", res.Status, res.Header.Get("Content-Type"))
	}
}

func (w *anWorld) comparison(t *testing.T, base, other uuid.UUID, query string) anComparison {
	t.Helper()
	var c anComparison
	anRead(t, w, "/v1/mandate-scenarios/"+base.String()+"/comparison?with="+other.String()+query, &c,
		func(v api.MandateComparison) any { return api.CompareMandateScenarios200JSONResponse(v) })
	return c
}

// anChangeLines renders a comparison's functions as "code: change; change".
func anChangeLines(c anComparison) []string {
	out := make([]string, len(c.Functions))
	for i, f := range c.Functions {
		parts := make([]string, len(f.Changes))
		for j, ch := range f.Changes {
			parts[j] = ch.String()
		}
		out[i] = f.Function.Code + ": " + strings.Join(parts, "; ")
	}
	return out
}

func anBalanceLines(c anComparison) []string {
	out := make([]string, len(c.Units))
	for i, u := range c.Units {
		r := u.ByRole
		out[i] = fmt.Sprintf("%s +%d -%d =%d R%+d A%+d C%+d I%+d", u.Unit.Code, u.Gained, u.Lost, u.Net,
			r.Responsible, r.Accountable, r.Consulted, r.Informed)
	}
	return out
}

func TestAnalysisComparison(t *testing.T) {
	t.Parallel()
	w := anSeed(t)
	c := w.comparison(t, w.s1, w.s2, "")
	if c.BaseID != w.s1.String() || c.OtherID != w.s2.String() {
		t.Errorf("ids %s %s", c.BaseID, c.OtherID)
	}
	anEqual(t, "changes", anChangeLines(c), []string{
		"AN-F-01: basis_changed AN-PIM responsible de_facto→de_jure",
		"AN-F-02: role_changed AN-SSN consulted→informed",
		"AN-F-03: moved responsible AN-PIM→AN-PCN de_facto→de_jure",
		"AN-F-04: removed AN-PIM consulted de_facto→-",
		"AN-F-05: added AN-SSN responsible -→de_facto",
	})
	if len(c.Functions) == 5 && (c.Functions[2].Function.ID != w.fn["F03"].String() || c.Functions[2].Function.HasLegalBasis ||
		c.Functions[2].Changes[0].FromUnit.ID != w.unit["PIM"].String() || c.Functions[2].Changes[0].Unit != nil) {
		t.Errorf("F-03 %+v", c.Functions[2])
	}
	anEqual(t, "unit balances", anBalanceLines(c), []string{"AN-PCN +1 -0 =1 R+1 A+0 C+0 I+0", "AN-PIM +0 -2 =-2 R-1 A+0 C-1 I+0", "AN-SSN +1 -0 =1 R+1 A+0 C-1 I+1"})

	// The other way round: everything reverses.
	r := w.comparison(t, w.s2, w.s1, "")
	anEqual(t, "reverse changes", anChangeLines(r), []string{
		"AN-F-01: basis_changed AN-PIM responsible de_jure→de_facto",
		"AN-F-02: role_changed AN-SSN informed→consulted",
		"AN-F-03: moved responsible AN-PCN→AN-PIM de_jure→de_facto",
		"AN-F-04: added AN-PIM consulted -→de_facto",
		"AN-F-05: removed AN-SSN responsible de_facto→-",
	})
	anEqual(t, "reverse balances", anBalanceLines(r), []string{"AN-PCN +0 -1 =-1 R-1 A+0 C+0 I+0", "AN-PIM +2 -0 =2 R+1 A+0 C+1 I+0", "AN-SSN +0 -1 =-1 R-1 A+0 C+1 I-1"})

	// DGC's subtree: PCN is outside, so F-03's move is a removal there.
	sub := w.comparison(t, w.s1, w.s2, "&unit_id="+w.unit["DGC"].String())
	anEqual(t, "subtree changes", anChangeLines(sub), []string{
		"AN-F-01: basis_changed AN-PIM responsible de_facto→de_jure",
		"AN-F-02: role_changed AN-SSN consulted→informed",
		"AN-F-03: removed AN-PIM responsible de_facto→-",
		"AN-F-04: removed AN-PIM consulted de_facto→-",
		"AN-F-05: added AN-SSN responsible -→de_facto",
	})
	anEqual(t, "subtree balances", anBalanceLines(sub), []string{"AN-PIM +0 -2 =-2 R-1 A+0 C-1 I+0", "AN-SSN +1 -0 =1 R+1 A+0 C-1 I+1"})

	// Categories.
	cat := w.comparison(t, w.s1, w.s2, "&category=assistance&category=engagement")
	anEqual(t, "category changes", anChangeLines(cat), []string{
		"AN-F-02: role_changed AN-SSN consulted→informed",
		"AN-F-03: moved responsible AN-PIM→AN-PCN de_facto→de_jure",
	})
	anEqual(t, "category balances", anBalanceLines(cat), []string{"AN-PCN +1 -0 =1 R+1 A+0 C+0 I+0", "AN-PIM +0 -1 =-1 R-1 A+0 C+0 I+0", "AN-SSN +0 -0 =0 R+0 A+0 C-1 I+1"})

	// A scenario against itself, or against its archived twin: nothing changes.
	for _, other := range []uuid.UUID{w.s1, w.s3} {
		same := w.comparison(t, w.s1, other, "")
		if len(same.Functions) != 0 || len(same.Units) != 0 {
			t.Errorf("s1 vs %s: %+v", other, same)
		}
	}
}

func TestAnalysisComparisonPairsMovesByUnitCode(t *testing.T) {
	t.Parallel()
	w := anSeed(t)
	// In a fresh scenario pair, F-05's consulted role leaves MRE and DGC and lands on SSN and PIM;
	// a role change and a basis change at once at PCN; an informed unit added with no removal.
	base := anScenario(t, w.env, "AN-B", "as_is", false)
	other := anScenario(t, w.env, "AN-O", "proposed", false)
	ins := uuid.Must(uuid.NewV7())
	anExec(t, w.env, `INSERT INTO legal_instruments (id, code, type, number, title_es) VALUES (?, 'AN-RM', 'ministerial_resolution', '1', 'RM')`, ins)
	f := w.fn["F05"]
	anAssign(t, w.env, base, f, w.unit["MRE"], "consulted", "de_jure", ins, false)
	anAssign(t, w.env, base, f, w.unit["DGC"], "consulted", "de_facto", ins, false)
	anAssign(t, w.env, base, f, w.unit["PCN"], "consulted", "de_facto", ins, false)
	anAssign(t, w.env, other, f, w.unit["SSN"], "consulted", "de_facto", ins, false)
	anAssign(t, w.env, other, f, w.unit["PIM"], "consulted", "de_jure", ins, false)
	anAssign(t, w.env, other, f, w.unit["PCN"], "responsible", "de_jure", ins, false)
	anAssign(t, w.env, other, w.fn["F01"], w.unit["PCN"], "informed", "de_facto", ins, false)
	c := w.comparison(t, base, other, "")
	anEqual(t, "changes", anChangeLines(c), []string{
		"AN-F-01: added AN-PCN informed -→de_facto",
		"AN-F-05: moved consulted AN-DGC→AN-PIM de_facto→de_jure; moved consulted AN-MRE→AN-SSN de_jure→de_facto; " +
			"role_changed AN-PCN consulted→responsible; basis_changed AN-PCN responsible de_facto→de_jure",
	})
	anEqual(t, "balances", anBalanceLines(c), []string{"AN-DGC +0 -1 =-1 R+0 A+0 C-1 I+0", "AN-MRE +0 -1 =-1 R+0 A+0 C-1 I+0", "AN-PCN +1 -0 =1 R+1 A+0 C-1 I+1", "AN-PIM +1 -0 =1 R+0 A+0 C+1 I+0", "AN-SSN +1 -0 =1 R+0 A+0 C+1 I+0"})
}

func TestAnalysisErrors(t *testing.T) {
	t.Parallel()
	w := anSeed(t)
	nobody := uuid.Must(uuid.NewV7()).String()
	s1 := w.s1.String()
	before := w.env.Fingerprint(t)

	for _, op := range []string{"analysis", "matrix", "comparison?with=" + w.s2.String()} {
		sep := "?"
		if strings.Contains(op, "?") {
			sep = "&"
		}
		t.Run(strings.SplitN(op, "?", 2)[0], func(t *testing.T) {
			// Unknown scenario: 404.
			res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + nobody + "/" + op, Token: w.admin})
			apitest.Problem(t, res, http.StatusNotFound)
			// Unknown unit: a 422 naming unit_id.
			res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op + sep + "unit_id=" + nobody, Token: w.admin})
			p := apitest.Problem(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(string(res.Body), `"field":"unit_id"`) {
				t.Errorf("unknown unit: %v", p)
			}
			// Malformed: 400 from the contract.
			res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op + sep + "unit_id=nope", Token: w.admin})
			apitest.Problem(t, res, http.StatusBadRequest)
			res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op + sep + "category=nope", Token: w.admin})
			apitest.Problem(t, res, http.StatusBadRequest)
			// No token: 401; a token without mandates:read: 403.
			res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op})
			apitest.Problem(t, res, http.StatusUnauthorized)
			narrow := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Admin}, Scopes: []string{"institutions:read"}})
			res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op, Token: narrow})
			apitest.Problem(t, res, http.StatusForbidden)
			// Every role reads: viewers, partners and editors of another institution alike.
			pcn := w.unit["PCN"]
			for _, role := range []actor.Role{actor.Viewer, actor.Partner, actor.Editor, actor.Coordinator, actor.Importer} {
				tok := w.env.Token(t, apitest.Caller{Roles: []actor.Role{role}, InstitutionID: &pcn})
				res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/" + op, Token: tok})
				if res.Status != http.StatusOK {
					t.Errorf("%s reads %s: %d %s", role, op, res.Status, res.Body)
				}
			}
		})
	}

	// Comparison: unknown or malformed other, and both problems at once.
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/comparison?with=" + nobody, Token: w.admin})
	apitest.Problem(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(string(res.Body), `"field":"with"`) {
		t.Errorf("unknown with: %s", res.Body)
	}
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/comparison?with=" + nobody + "&unit_id=" + nobody, Token: w.admin})
	apitest.Problem(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(string(res.Body), `"field":"with"`) || !strings.Contains(string(res.Body), `"field":"unit_id"`) {
		t.Errorf("unknown with and unit: %s", res.Body)
	}
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/comparison", Token: w.admin})
	apitest.Problem(t, res, http.StatusBadRequest)
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1 + "/comparison?with=x", Token: w.admin})
	apitest.Problem(t, res, http.StatusBadRequest)
	// The path scenario is checked first: unknown base and unknown other is a 404.
	res = w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + nobody + "/comparison?with=" + nobody, Token: w.admin})
	apitest.Problem(t, res, http.StatusNotFound)

	// Reads write nothing.
	w.env.Unchanged(t, before)
}

// anBulk loads n functions over 11 units (a root and ten children) into two scenarios, in a
// handful of statements: every function has a responsible unit, most an accountable and a
// consulted one, every fifth a second responsible unit, three in four a legal basis; the second
// scenario changes roles, moves and removes some assignments. It returns the two scenarios and
// a child unit.
func anBulk(t *testing.T, env *apitest.Env, n int) (s1, s2, unit uuid.UUID) {
	t.Helper()
	s1, s2 = anScenario(t, env, "AN-BULK-1", "as_is", false), anScenario(t, env, "AN-BULK-2", "proposed", false)
	root := anUnit(t, env, "AN-U-00", "ministry", nil)
	anExec(t, env, `INSERT INTO institutions (id, code, name_es, kind, parent_id, tier)
		SELECT uuid_v7(), 'AN-U-' || lpad(g::text, 2, '0'), 'Unidad ' || g, 'department', ?, 'national' FROM generate_series(1, 10) g`, root)
	ins := uuid.Must(uuid.NewV7())
	anExec(t, env, `INSERT INTO legal_instruments (id, code, type, number, title_es) VALUES (?, 'AN-BULK-LAW', 'law', '1', 'Ley')`, ins)
	anExec(t, env, `INSERT INTO functions (id, code, title_es, title_en, category, status)
		SELECT uuid_v7(), 'AN-BF-' || lpad(g::text, 4, '0'), 'Función ' || g, 'Function ' || g,
			(ARRAY['policy','assistance','protection','engagement','data_research','coordination','services','communication_culture'])[1 + g % 8],
			CASE WHEN g % 11 = 0 THEN 'proposed' ELSE 'current' END
		FROM generate_series(1, ?) g`, n)
	anExec(t, env, `INSERT INTO function_legal_bases (function_id, position, instrument_id, article)
		SELECT id, 1, ?, '1' FROM functions WHERE code LIKE 'AN-BF-%' AND right(code, 4)::int % 4 <> 0`, ins)
	anExec(t, env, `WITH f AS (SELECT id, right(code, 4)::int AS n FROM functions WHERE code LIKE 'AN-BF-%'),
			u AS (SELECT id, right(code, 2)::int AS k FROM institutions WHERE code LIKE 'AN-U-%'),
			want AS (
				SELECT f.id AS fid, 1 + f.n % 9 AS k, 'responsible' AS role, 'de_jure' AS basis FROM f
				UNION ALL SELECT f.id, 0, 'accountable', 'de_jure' FROM f WHERE f.n % 3 <> 0
				UNION ALL SELECT f.id, 1 + (f.n + 4) % 9, 'consulted', 'de_facto' FROM f WHERE f.n % 2 = 0
				UNION ALL SELECT f.id, 1 + (f.n + 1) % 9, 'responsible', 'de_facto' FROM f WHERE f.n % 5 = 0
			)
		INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis, instrument_id)
		SELECT uuid_v7(), ?, want.fid, u.id, want.role, want.basis, CASE WHEN want.basis = 'de_jure' THEN ?::uuid END
		FROM want JOIN u ON u.k = want.k`, s1, ins)
	anExec(t, env, `INSERT INTO mandate_assignments (id, scenario_id, function_id, institution_id, role, basis, instrument_id)
		SELECT uuid_v7(), ?, function_id, institution_id, role, basis, instrument_id FROM mandate_assignments WHERE scenario_id = ?`, s2, s1)
	anExec(t, env, `UPDATE mandate_assignments a SET role = 'informed' FROM functions f
		WHERE a.scenario_id = ? AND f.id = a.function_id AND a.role = 'consulted' AND right(f.code, 4)::int % 3 = 0`, s2)
	anExec(t, env, `UPDATE mandate_assignments a SET institution_id = (SELECT id FROM institutions WHERE code = 'AN-U-10') FROM functions f
		WHERE a.scenario_id = ? AND f.id = a.function_id AND a.role = 'responsible' AND a.basis = 'de_jure' AND right(f.code, 4)::int % 7 = 0`, s2)
	anExec(t, env, `DELETE FROM mandate_assignments a USING functions f
		WHERE a.scenario_id = ? AND f.id = a.function_id AND a.role = 'accountable' AND right(f.code, 4)::int % 4 = 1`, s2)
	var child uuid.UUID
	if err := env.DB.Pool.QueryRow(context.Background(), `SELECT id FROM institutions WHERE code = 'AN-U-03'`).Scan(&child); err != nil {
		t.Fatal(err)
	}
	return s1, s2, child
}

// TestAnalysisQueryCountDoesNotGrow proves that no endpoint runs a query per function, unit or
// assignment: the statements each request sends are the same for 5 functions and for 200.
func TestAnalysisQueryCountDoesNotGrow(t *testing.T) {
	t.Parallel()
	type counts map[string]int64
	measure := func(n int) (counts, map[string]int) {
		env := apitest.New(t)
		admin := env.AdminToken(t)
		s1, s2, child := anBulk(t, env, n)
		out, sizes := counts{}, map[string]int{}
		for _, r := range []struct {
			name, path string
			header     map[string]string
		}{
			{"analysis", "/analysis", nil},
			{"analysis by unit", "/analysis?unit_id=" + child.String(), nil},
			{"analysis by category", "/analysis?category=policy&category=services", nil},
			{"matrix", "/matrix", nil},
			{"matrix csv", "/matrix?unit_id=" + child.String(), map[string]string{"Accept": "text/csv"}},
			{"comparison", "/comparison?with=" + s2.String(), nil},
			{"comparison filtered", "/comparison?with=" + s2.String() + "&category=policy&unit_id=" + child.String(), nil},
		} {
			before := env.DB.Queries()
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/mandate-scenarios/" + s1.String() + r.path, Token: admin, Header: r.header})
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", r.name, res.Status, res.Body)
			}
			out[r.name] = env.DB.Queries() - before
			sizes[r.name] = len(res.Body)
		}
		return out, sizes
	}
	small, smallSizes := measure(5)
	large, largeSizes := measure(200)
	for name, q := range small {
		if large[name] != q {
			t.Errorf("%s: %d statements for 5 functions, %d for 200", name, q, large[name])
		}
		if q > 8 {
			t.Errorf("%s: %d statements, want a handful", name, q)
		}
		if largeSizes[name] <= smallSizes[name] {
			t.Errorf("%s: the large data set's answer (%d bytes) is not larger than the small one's (%d)", name, largeSizes[name], smallSizes[name])
		}
	}
	t.Logf("statements per request: %v", small)
}
