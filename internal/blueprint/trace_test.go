package blueprint_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apitest"
)

type bpvTraceRef struct {
	ID    string       `json:"id"`
	Code  string       `json:"code"`
	Title bpvLocalized `json:"title"`
}

type bpvTrace struct {
	BlueprintID string `json:"blueprint_id"`
	Articles    []struct {
		ArticleID          string        `json:"article_id"`
		Number             string        `json:"number"`
		Functions          []bpvTraceRef `json:"functions"`
		Units              []bpvTraceRef `json:"units"`
		Services           []bpvTraceRef `json:"services"`
		ConsultationInputs []bpvTraceRef `json:"consultation_inputs"`
		Practices          []bpvTraceRef `json:"practices"`
		Gaps               []bpvTraceRef `json:"gaps"`
	} `json:"articles"`
}

func bpvCodes(refs []bpvTraceRef) string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Code)
	}
	return strings.Join(out, ",")
}

func bpvGetTrace(t *testing.T, w *bpvWorld, blueprint string) (bpvTrace, int64) {
	t.Helper()
	before := w.env.DB.Queries()
	res := w.do(t, http.MethodGet, "/v1/blueprints/"+blueprint+"/traceability", w.admin, nil)
	statements := w.env.DB.Queries() - before
	if res.Status != http.StatusOK {
		t.Fatalf("traceability: %d %s", res.Status, res.Body)
	}
	var tr bpvTrace
	res.Decode(t, &tr)
	return tr, statements
}

// bpvRow inserts a row of another area (functions, institutions, services, …) and returns its
// id: those areas have their own tests; traceability needs only rows to follow.
func bpvRow(t *testing.T, w *bpvWorld, sql string, args ...any) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	bpvExec(t, w, sql, append([]any{id}, args...)...)
	return id
}

// Each link of the traceability, and what it leaves out: archived services, deliverables,
// inputs, practices and gaps, and whatever concerns only functions no article regulates.
func TestTraceLinks(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	f1, f2, f3, fx := bpvFunction(t, w, "F-1"), bpvFunction(t, w, "F-2"), bpvFunction(t, w, "F-3"), bpvFunction(t, w, "F-X")
	unit := `INSERT INTO institutions (id, code, name_es, name_en, kind, tier) VALUES (?, ?, ?, ?, 'agency', 'national')`
	u1 := bpvRow(t, w, unit, "PE-MRE-ASN", "Dirección de la ASN", "ASN directorate")
	u2 := bpvRow(t, w, unit, "PE-MRE-PCN", "Dirección de protección", nil)
	event := bpvRow(t, w, `INSERT INTO events (id, code, type, title_es, start_date, end_date)
		VALUES (?, 'PE-CONSULTA-2023-01', 'diaspora_consultation', 'Consulta', '2023-03-01', '2023-03-01')`)
	input := `INSERT INTO consultation_inputs (id, event_id, theme, statement_es, statement_en, archived_at) VALUES (?, ?, ?, ?, ?, ?)`
	i1 := bpvRow(t, w, input, event, "remesas", "Abaratar el envío de remesas", "Cheaper remittances", nil)
	long := strings.Repeat("palabra ", 100)
	i2 := bpvRow(t, w, input, event, nil, "Que los consulados atiendan los sábados por la mañana en todas las ciudades "+long, nil, nil)
	i3 := bpvRow(t, w, input, event, "archivado", "Archivado", nil, "2024-01-01")
	service := `INSERT INTO services (id, code, name_es, name_en, status, function_ids, input_ids, archived_at)
		VALUES (?, ?, ?, 'Service', 'existing', ?::uuid[], ?::uuid[], ?)`
	bpvRow(t, w, service, "SRV-REMESAS", "Remesas", "{"+f1+"}", "{"+i1+","+i3+"}", nil)
	bpvRow(t, w, service, "SRV-ARCHIVED", "Archivado", "{"+f1+"}", "{}", "2024-01-01")
	bpvRow(t, w, service, "SRV-CONSULAR", "Atención consular", "{"+f2+","+f3+"}", "{"+i2+"}", nil)
	bpvRow(t, w, service, "SRV-OTHER", "Otro", "{"+fx+"}", "{"+i1+"}", nil)
	practice := `INSERT INTO practices (id, code, title_es, title_en, scope, type, archived_at) VALUES (?, ?, ?, ?, 'global', 'service_offer', ?)`
	p1 := bpvRow(t, w, practice, "PR-MX-IME", "Instituto de los Mexicanos en el Exterior", "Institute of Mexicans Abroad", nil)
	p2 := bpvRow(t, w, practice, "PR-CO-COLOMBIA-NOS-UNE", "Colombia nos une", nil, nil)
	p3 := bpvRow(t, w, practice, "PR-ARCHIVED", "Archivada", nil, "2024-01-01")
	gap := `INSERT INTO data_gaps (id, code, description_es, description_en, priority) VALUES (?, ?, ?, ?, 'high')`
	g1 := bpvRow(t, w, gap, "GAP-REMITTANCES", "Sin datos de remesas por país", "No remittance data by country")
	g2 := bpvRow(t, w, gap, "GAP-OTHER", "Otra", nil)
	deliverable := `INSERT INTO deliverables (id, code, type, title_es, function_ids, practice_ids, gap_ids, archived_at)
		VALUES (?, ?, 'other', 'Entregable', ?::uuid[], ?::uuid[], ?::uuid[], ?)`
	bpvRow(t, w, deliverable, "DLV-PRACTICES-REPORT", "{"+f1+","+f2+"}", "{"+p1+","+p3+"}", "{"+g1+"}", nil)
	bpvRow(t, w, deliverable, "DLV-STOCKTAKING-REPORT", "{"+f3+"}", "{"+p2+"}", "{}", nil)
	bpvRow(t, w, deliverable, "DLV-ARCHIVED", "{"+f1+"}", "{"+p2+"}", "{"+g2+"}", "2024-01-01")
	bpvRow(t, w, deliverable, "DLV-OTHER", "{"+fx+"}", "{}", "{"+g2+"}", nil)

	bp := bpvBlueprint(t, w, "ASN-ROF")
	c1 := bpvChapter(t, w, bp, "I", "Uno", "")
	c2 := bpvChapter(t, w, bp, "II", "Dos", "")
	a3 := bpvArticle(t, w, c2, map[string]any{"number": "3", "text": bpvText("Sin vínculos.", "")})
	body := bpvSimple("1", "", "", "Remesas.", "")
	body["function_ids"], body["unit_ids"] = []string{f1}, []string{u1}
	a1 := bpvArticle(t, w, c1, body)
	body = bpvSimple("2", "", "", "Consulados.", "")
	body["function_ids"], body["unit_ids"] = []string{f3, f2}, []string{u2, u1}
	a2 := bpvArticle(t, w, c1, body)

	tr, statements := bpvGetTrace(t, w, bp)
	if tr.BlueprintID != bp || len(tr.Articles) != 3 || tr.Articles[0].ArticleID != a1 || tr.Articles[1].ArticleID != a2 ||
		tr.Articles[2].ArticleID != a3 || tr.Articles[1].Number != "2" {
		t.Fatalf("articles: %+v", tr)
	}
	for i, want := range []struct{ functions, units, services, inputs, practices, gaps string }{
		{"F-1", "PE-MRE-ASN", "SRV-REMESAS", "remesas", "PR-MX-IME", "GAP-REMITTANCES"},
		{"F-2,F-3", "PE-MRE-ASN,PE-MRE-PCN", "SRV-CONSULAR", "Que los consulados atiendan los sábados por la…",
			"PR-CO-COLOMBIA-NOS-UNE,PR-MX-IME", "GAP-REMITTANCES"},
		{"", "", "", "", "", ""},
	} {
		a := tr.Articles[i]
		got := []string{bpvCodes(a.Functions), bpvCodes(a.Units), bpvCodes(a.Services), bpvCodes(a.ConsultationInputs),
			bpvCodes(a.Practices), bpvCodes(a.Gaps)}
		if strings.Join(got, " | ") != strings.Join([]string{want.functions, want.units, want.services, want.inputs,
			want.practices, want.gaps}, " | ") {
			t.Errorf("article %s: %v", a.Number, got)
		}
	}
	a := tr.Articles[0]
	if a.Functions[0].ID != f1 || *a.Functions[0].Title.En != "Function F-1" || a.Units[0].ID != u1 ||
		*a.Units[0].Title.Es != "Dirección de la ASN" || a.ConsultationInputs[0].ID != i1 ||
		*a.ConsultationInputs[0].Title.En != "Cheaper remittances" || a.Practices[0].ID != p1 || a.Gaps[0].ID != g1 ||
		*a.Gaps[0].Title.En != "No remittance data by country" || *a.Services[0].Title.Es != "Remesas" {
		t.Errorf("article 1 refs: %+v", a)
	}
	in := tr.Articles[1].ConsultationInputs[0]
	if in.ID != i2 || in.Title.En != nil || len([]rune(*in.Title.Es)) > 500 || !strings.HasSuffix(*in.Title.Es, "…") {
		t.Errorf("long input: %+v", in)
	}

	// More articles, links and linked records cost no more statements.
	for i := range 6 {
		body := bpvSimple("9"+string(rune('a'+i)), "", "", "Más.", "")
		body["function_ids"], body["unit_ids"] = []string{f1, f2, f3}, []string{u1, u2}
		bpvArticle(t, w, c2, body)
		bpvRow(t, w, service, "SRV-MORE-"+string(rune('A'+i)), "Más", "{"+f2+"}", "{"+i1+"}", nil)
	}
	bigger, more := bpvGetTrace(t, w, bp)
	t.Logf("traceability: %d statements for 3 articles, %d for 9", statements, more)
	if len(bigger.Articles) != 9 || more != statements {
		t.Errorf("%d articles in %d statements; 3 articles took %d", len(bigger.Articles), more, statements)
	}
	if got := bpvCodes(bigger.Articles[8].Services); got != "SRV-CONSULAR,SRV-MORE-A,SRV-MORE-B,SRV-MORE-C,SRV-MORE-D,SRV-MORE-E,SRV-MORE-F,SRV-REMESAS" {
		t.Errorf("services of the last article: %s", got)
	}

	apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprints/"+uuid.NewString()+"/traceability", w.admin, nil), http.StatusNotFound)
}
