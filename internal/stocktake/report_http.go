package stocktake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/munnerz/goautoneg"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/countries"
)

// GetStocktakeReport returns the stocktaking report as JSON, Markdown or a printable HTML page:
// as `format` says, else as the Accept header prefers, else JSON.
func (h *Handlers) GetStocktakeReport(ctx context.Context, req api.GetStocktakeReportRequestObject) (api.GetStocktakeReportResponseObject, error) {
	rep, err := NewReporter(h.db).Report(ctx)
	if err != nil {
		return nil, err
	}
	format := repNegotiate(actor.RequestFrom(ctx).Accept)
	if req.Params.Format != nil {
		format = string(*req.Params.Format)
	}
	lang := "es"
	if req.Params.Lang != nil {
		lang = string(*req.Params.Lang)
	}
	switch format {
	case "markdown":
		return repDocument{contentType: "text/markdown; charset=utf-8", lang: lang, body: repMarkdown(repViewOf(rep, lang))}, nil
	case "html":
		body, err := repHTML(repViewOf(rep, lang))
		if err != nil {
			return nil, err
		}
		return repDocument{contentType: "text/html; charset=utf-8", lang: lang, body: body,
			csp: "default-src 'none'; style-src '" + repStyleHash + "'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}, nil
	}
	return repVaryJSON(repToAPI(rep)), nil
}

// --- Content negotiation ---------------------------------------------------------------------

// repFormats are the answers the report has, by media type, JSON first so that it wins ties.
var repFormats = map[string]string{"application/json": "json", "text/markdown": "markdown", "text/html": "html"}

// repNegotiate picks the format an Accept header prefers (goautoneg: the highest quality, then
// the most specific range). A browser's header thus gets HTML, and no header, */* or an
// unusable one gets JSON (the contract has no 406).
func repNegotiate(accept string) string {
	if f, ok := repFormats[goautoneg.Negotiate(accept, []string{"application/json", "text/markdown", "text/html"})]; ok {
		return f
	}
	return "json"
}

// --- Responses -------------------------------------------------------------------------------

// repDocument is the report rendered for people. The generated text responses send a bare
// media type; these say UTF-8, as a reader's browser or editor must know.
type repDocument struct {
	contentType, lang, csp string
	body                   []byte
}

func (d repDocument) VisitGetStocktakeReportResponse(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Length", strconv.Itoa(len(d.body)))
	h.Set("Content-Language", d.lang)
	h.Set("Vary", "Accept")
	if d.csp != "" {
		h.Set("Content-Security-Policy", d.csp) // the page's own stylesheet may apply, nothing else
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(d.body)
	return err
}

// repVaryJSON is the JSON report, marked as depending on Accept for caches.
type repVaryJSON api.GetStocktakeReport200JSONResponse

func (r repVaryJSON) VisitGetStocktakeReportResponse(w http.ResponseWriter) error {
	w.Header().Set("Vary", "Accept")
	return api.GetStocktakeReport200JSONResponse(r).VisitGetStocktakeReportResponse(w)
}

// --- JSON ------------------------------------------------------------------------------------

func repToAPI(r Report) api.StocktakeReport {
	out := api.StocktakeReport{GeneratedAt: r.GeneratedAt.UTC(), ContainsDemo: r.ContainsDemo,
		Headlines: make([]api.StocktakeHeadline, len(r.Headlines)), Coverage: make([]api.StocktakeIndicatorCoverage, len(r.Coverage))}
	for i, h := range r.Headlines {
		out.Headlines[i] = api.StocktakeHeadline{Indicator: indicatorRefToAPI(h.Indicator), PlaceKind: api.PlaceKind(h.PlaceKind),
			Country: h.Country, Value: h.Value, Period: h.Period, Status: api.ObservationStatus(h.Status),
			Source: repSourceRefToAPI(h.Source), Flags: flagsToAPI(h.Flags), Note: h.Note, Demo: h.Demo}
	}
	out.Sources = api.StocktakeReportSources{Total: r.Sources.Total, Assessed: r.Sources.Assessed,
		ByType: repCountsToAPI(r.Sources.ByType), ByAccess: repCountsToAPI(r.Sources.ByAccess),
		AverageTimeliness: r.Sources.AverageTimeliness, AverageCompleteness: r.Sources.AverageCompleteness,
		AverageComparability: r.Sources.AverageComparability,
		Items:                make([]api.StocktakeSourceQuality, len(r.Sources.Items))}
	for i, s := range r.Sources.Items {
		out.Sources.Items[i] = api.StocktakeSourceQuality{Id: s.ID, Code: s.Code, Title: repText(s.TitleES, s.TitleEN),
			Type: api.DataSourceType(s.Type), Access: api.DataSourceAccess(s.Access), Timeliness: s.Timeliness,
			Completeness: s.Completeness, Comparability: s.Comparability, Caveats: append([]string{}, s.Caveats...), Demo: s.Demo}
	}
	for i, c := range r.Coverage {
		regions := make([]api.StocktakeRegionCoverage, len(c.Regions))
		for j, g := range c.Regions {
			regions[j] = api.StocktakeRegionCoverage{Region: api.WorldRegion(g.Region), CountriesCovered: g.Covered, CountriesTotal: g.Total}
		}
		out.Coverage[i] = api.StocktakeIndicatorCoverage{Indicator: indicatorRefToAPI(c.Indicator), Observations: c.Observations,
			FirstYear: c.FirstYear, LastYear: c.LastYear, Countries: c.Countries, Regions: regions}
	}
	out.Gaps = api.StocktakeReportGaps{Total: r.Gaps.Total, ByPriority: make([]api.StocktakeGapPriority, len(r.Gaps.ByPriority)),
		Items: make([]api.StocktakeReportGap, len(r.Gaps.Items))}
	for i, p := range r.Gaps.ByPriority {
		out.Gaps.ByPriority[i] = api.StocktakeGapPriority{Priority: api.StocktakeGapPriorityPriority(p.Priority),
			Open: p.Open, BeingAddressed: p.BeingAddressed, Closed: p.Closed}
	}
	for i, g := range r.Gaps.Items {
		item := api.StocktakeReportGap{Id: g.ID, Code: g.Code, Description: repText(g.DescriptionES, g.DescriptionEN),
			Priority: api.StocktakeReportGapPriority(g.Priority), Status: api.StocktakeReportGapStatus(g.Status),
			Countries: append([]string{}, g.Countries...), Demo: g.Demo}
		if g.RecommendationES != nil || g.RecommendationEN != nil {
			rec := repText(g.RecommendationES, g.RecommendationEN)
			item.Recommendation = &rec
		}
		out.Gaps.Items[i] = item
	}
	return out
}

func repSourceRefToAPI(s ReportSource) api.StocktakeSourceRef {
	return api.StocktakeSourceRef{Id: s.ID, Code: s.Code, Title: repText(s.TitleES, s.TitleEN), Type: api.DataSourceType(s.Type),
		Access: api.DataSourceAccess(s.Access), QualityScore: s.QualityScore(), Demo: s.Demo}
}

func repCountsToAPI(counts []ReportCount) []api.StocktakeCount {
	out := make([]api.StocktakeCount, len(counts))
	for i, c := range counts {
		out[i] = api.StocktakeCount{Key: c.Key, Count: c.Count}
	}
	return out
}

func repText(es, en *string) api.LocalizedText { return api.LocalizedText{Es: es, En: en} }

// --- The document for people -----------------------------------------------------------------

// repView is the report as both documents show it: every text in the reader's language, every
// number formatted. The Markdown and HTML renderers only lay it out (and escape it).
type repView struct {
	Lang           string
	L              repLabels
	CSS            template.CSS
	Generated      string
	Demo           bool
	Headlines      []repHeadlineView
	SourcesSummary string
	ByType         repTable
	ByAccess       repTable
	QualitySummary string
	Quality        repTable
	Coverage       repTable
	GapsSummary    string
	GapCounts      repTable
	Gaps           []repGapView
}

// repTable is a table of formatted cells; a demo row is marked on its first cell.
type repTable struct {
	Head     []string
	Numeric  []bool // right-aligned columns
	Rows     []repRow
	DemoMark string
}

type repRow struct {
	Cells []string
	Demo  bool
}

type repHeadlineView struct {
	Indicator, Value, Unit, Place, Period, Status, Source string
	Exact                                                 string // the value in full, with its unit, when Value rounds it
	Flags, Note                                           string // Flags: the flag labels, joined
	Demo                                                  bool   // the figure is demo data (its source has its own mark)
}

type repGapView struct {
	Code, Priority, Status, Description, Recommendation, Countries string
	Demo                                                           bool
}

func repViewOf(r Report, lang string) repView {
	v := repView{Lang: lang, L: repLabelsFor(lang), CSS: template.CSS(repStyle), Demo: r.ContainsDemo}
	v.Generated = fmt.Sprintf(v.L.Generated, repDate(r.GeneratedAt, lang), r.GeneratedAt.UTC().Format("15:04"))
	for _, h := range r.Headlines {
		v.Headlines = append(v.Headlines, repHeadlineOf(h, lang))
	}
	repSourcesView(&v, r.Sources, lang)
	v.Coverage = repCoverageTable(r.Coverage, v.L, lang)
	repGapsView(&v, r.Gaps, lang)
	return v
}

func repHeadlineOf(h ReportHeadline, lang string) repHeadlineView {
	out := repHeadlineView{Indicator: repPick(h.Indicator.NameES, h.Indicator.NameEN, lang),
		Value: repHuman(h.Value, lang), Period: strings.ReplaceAll(h.Period, "/", " – "),
		Status: repWord("observation."+h.Status, lang), Demo: h.Demo,
		Source: repPick(h.Source.TitleES, h.Source.TitleEN, lang) + " (" + h.Source.Code + ")"}
	out.Unit = h.Indicator.Unit
	if full := repNumber(h.Value, lang); full != out.Value {
		out.Exact = strings.TrimSpace(full + " " + h.Indicator.Unit)
	}
	out.Place = repWord("place.world", lang)
	if h.Country != nil {
		out.Place = repCountry(*h.Country, lang)
	}
	labels := make([]string, len(h.Flags))
	for i, f := range h.Flags {
		labels[i] = repWord("flag."+f, lang)
	}
	out.Flags = strings.Join(labels, ", ")
	if h.Note != nil {
		out.Note = *h.Note
	}
	return out
}

func repSourcesView(v *repView, s ReportSources, lang string) {
	l := v.L
	v.SourcesSummary = fmt.Sprintf(l.SourcesSummary, repInt(int64(s.Total), lang), repPlural(s.Total, l.SourceNoun),
		repInt(int64(s.Assessed), lang))
	v.ByType = repCountTable(l.Type, l.SourcesCount, "type.", s.ByType, lang)
	v.ByAccess = repCountTable(l.Access, l.SourcesCount, "access.", s.ByAccess, lang)
	v.QualitySummary = l.NoAssessment
	if s.Assessed > 0 {
		v.QualitySummary = fmt.Sprintf(l.Averages, repScore(s.AverageTimeliness, lang), repScore(s.AverageCompleteness, lang),
			repScore(s.AverageComparability, lang))
	}
	v.Quality = repTable{DemoMark: l.DemoMark,
		Head:    []string{l.Code, l.TitleCol, l.Type, l.Access, l.Timeliness, l.Completeness, l.Comparability, l.Caveats},
		Numeric: []bool{false, false, false, false, true, true, true, false}}
	for _, src := range s.Items {
		caveats := make([]string, len(src.Caveats))
		for i, c := range src.Caveats {
			caveats[i] = repWord("caveat."+c, lang)
		}
		v.Quality.Rows = append(v.Quality.Rows, repRow{Demo: src.Demo, Cells: []string{src.Code,
			repPick(src.TitleES, src.TitleEN, lang), repWord("type."+src.Type, lang), repWord("access."+src.Access, lang),
			repScoreInt(src.Timeliness), repScoreInt(src.Completeness), repScoreInt(src.Comparability), strings.Join(caveats, ", ")}})
	}
}

func repCountTable(keyHead, countHead, prefix string, counts []ReportCount, lang string) repTable {
	t := repTable{Head: []string{keyHead, countHead}, Numeric: []bool{false, true}}
	for _, c := range counts {
		t.Rows = append(t.Rows, repRow{Cells: []string{repWord(prefix+c.Key, lang), repInt(int64(c.Count), lang)}})
	}
	return t
}

func repCoverageTable(coverage []ReportCoverage, l repLabels, lang string) repTable {
	t := repTable{DemoMark: l.DemoMark, Head: []string{l.Indicator, l.Observations, l.Years, l.Countries},
		Numeric: []bool{false, true, true, true}}
	for _, region := range countries.WorldRegions {
		t.Head = append(t.Head, repWord("region."+region, lang))
		t.Numeric = append(t.Numeric, true)
	}
	for _, c := range coverage {
		years := "—"
		if c.FirstYear != nil && c.LastYear != nil {
			years = strconv.Itoa(*c.FirstYear)
			if *c.LastYear != *c.FirstYear {
				years += "–" + strconv.Itoa(*c.LastYear)
			}
		}
		row := repRow{Demo: c.Demo, Cells: []string{repPick(c.Indicator.NameES, c.Indicator.NameEN, lang) + " (" + c.Indicator.Code + ")",
			repInt(c.Observations, lang), years, repInt(int64(c.Countries), lang)}}
		for _, g := range c.Regions {
			row.Cells = append(row.Cells, repInt(int64(g.Covered), lang)+" / "+repInt(int64(g.Total), lang))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func repGapsView(v *repView, g ReportGaps, lang string) {
	l := v.L
	v.GapsSummary = fmt.Sprintf(l.GapsSummary, repInt(int64(g.Total), lang), repPlural(g.Total, l.GapNoun))
	v.GapCounts = repTable{Head: []string{l.Priority, l.GapsOpen, l.GapsBeingAddressed, l.GapsClosed, l.Total},
		Numeric: []bool{false, true, true, true, true}}
	for _, p := range g.ByPriority {
		v.GapCounts.Rows = append(v.GapCounts.Rows, repRow{Cells: []string{repWord("priority."+p.Priority, lang),
			repInt(int64(p.Open), lang), repInt(int64(p.BeingAddressed), lang), repInt(int64(p.Closed), lang),
			repInt(int64(p.Open+p.BeingAddressed+p.Closed), lang)}})
	}
	for _, gap := range g.Items {
		v.Gaps = append(v.Gaps, repGapView{Code: gap.Code, Priority: repWord("priority."+gap.Priority, lang),
			Status: repWord("status."+gap.Status, lang), Description: repPick(gap.DescriptionES, gap.DescriptionEN, lang),
			Recommendation: repPick(gap.RecommendationES, gap.RecommendationEN, lang),
			Countries:      strings.Join(gap.Countries, ", "), Demo: gap.Demo})
	}
}

// --- HTML ------------------------------------------------------------------------------------

//go:embed report_templates/report.html.tmpl report_templates/report.css
var repFiles embed.FS

var (
	repPage = template.Must(template.ParseFS(repFiles, "report_templates/report.html.tmpl"))
	// repStyle is the page's whole stylesheet, inlined so the page needs nothing else to show or
	// print; repStyleHash lets the Content-Security-Policy allow exactly it.
	repStyle     = repMustRead("report_templates/report.css")
	repStyleHash = repCSPHash(repStyle)
)

func repMustRead(name string) string {
	b, err := repFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func repCSPHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// repHTML renders the page; html/template escapes every text, whatever its source wrote.
func repHTML(v repView) ([]byte, error) {
	var buf bytes.Buffer
	if err := repPage.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render report page: %w", err)
	}
	return buf.Bytes(), nil
}

// --- Markdown --------------------------------------------------------------------------------

// repMarkdown renders the report as CommonMark (with GFM tables). Every text that comes from
// the database passes through repMD, so that a title cannot inject markup, links or HTML.
func repMarkdown(v repView) []byte {
	var b strings.Builder
	l := v.L
	demo := " **[" + l.DemoMark + "]**"
	fmt.Fprintf(&b, "# %s\n\n_%s_\n\n", repMD(l.Title), repMD(v.Generated))
	if v.Demo {
		fmt.Fprintf(&b, "> **%s**\n\n", repMD(l.DemoBanner))
	}
	fmt.Fprintf(&b, "## %s\n\n", repMD(l.Headlines))
	if len(v.Headlines) == 0 {
		fmt.Fprintf(&b, "%s\n\n", repMD(l.NoHeadlines))
	}
	for _, h := range v.Headlines {
		figure := repMD(h.Value) + " " + repMD(h.Unit)
		if h.Exact != "" {
			figure = repMD(h.Value) + " (" + repMD(h.Exact) + ")"
		}
		fmt.Fprintf(&b, "- **%s**: %s — %s, %s, %s. %s: %s.", repMD(h.Indicator), figure,
			repMD(h.Place), repMD(h.Period), repMD(h.Status), repMD(l.Source), repMD(h.Source))
		if h.Demo {
			b.WriteString(demo)
		}
		// A flag, or a note, goes on a line of its own in the item (a backslash line break).
		switch {
		case h.Flags != "" && h.Note != "":
			fmt.Fprintf(&b, "\\\n  ⚠ **%s**: %s", repMD(h.Flags), repMD(h.Note))
		case h.Flags != "":
			fmt.Fprintf(&b, "\\\n  ⚠ **%s**", repMD(h.Flags))
		case h.Note != "":
			fmt.Fprintf(&b, "\\\n  _%s_", repMD(h.Note))
		}
		b.WriteString("\n")
	}
	if len(v.Headlines) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n%s\n\n", repMD(l.Sources), repMD(v.SourcesSummary))
	fmt.Fprintf(&b, "### %s\n\n", repMD(l.ByType))
	repMDTable(&b, v.ByType)
	fmt.Fprintf(&b, "### %s\n\n", repMD(l.ByAccess))
	repMDTable(&b, v.ByAccess)
	fmt.Fprintf(&b, "### %s\n\n%s\n\n", repMD(l.Quality), repMD(v.QualitySummary))
	if len(v.Quality.Rows) > 0 {
		repMDTable(&b, v.Quality)
		fmt.Fprintf(&b, "_%s_\n\n", repMD(l.QualityNote))
	}

	fmt.Fprintf(&b, "## %s\n\n", repMD(l.Coverage))
	if len(v.Coverage.Rows) == 0 {
		fmt.Fprintf(&b, "%s\n\n", repMD(l.NoIndicators))
	} else {
		fmt.Fprintf(&b, "_%s_\n\n", repMD(l.CoverageNote))
		repMDTable(&b, v.Coverage)
	}

	fmt.Fprintf(&b, "## %s\n\n%s\n\n", repMD(l.Gaps), repMD(v.GapsSummary))
	repMDTable(&b, v.GapCounts)
	fmt.Fprintf(&b, "### %s\n\n", repMD(l.OpenGaps))
	if len(v.Gaps) == 0 {
		fmt.Fprintf(&b, "%s\n", repMD(l.NoOpenGaps))
	}
	for i, g := range v.Gaps {
		fmt.Fprintf(&b, "%d. **%s** · %s · %s", i+1, repMD(g.Code), repMD(g.Priority), repMD(g.Status))
		if g.Demo {
			b.WriteString(demo)
		}
		// Each part on a line of its own in the item (backslash line breaks).
		fmt.Fprintf(&b, "\\\n   %s", repMDLine(g.Description))
		if g.Recommendation != "" {
			fmt.Fprintf(&b, "\\\n   _%s:_ %s", repMD(l.Recommendation), repMD(g.Recommendation))
		}
		if g.Countries != "" {
			fmt.Fprintf(&b, "\\\n   %s: %s", repMD(l.Countries), repMD(g.Countries))
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// repMDTable writes t as a GFM table followed by a blank line.
func repMDTable(b *strings.Builder, t repTable) {
	b.WriteString("|")
	for _, h := range t.Head {
		b.WriteString(" " + repMD(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Head {
		if i < len(t.Numeric) && t.Numeric[i] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for i, c := range r.Cells {
			b.WriteString(" " + repMD(c))
			if i == 0 && r.Demo {
				b.WriteString(" **[" + t.DemoMark + "]**")
			}
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// repMDSpecial are the characters that could start markup inside a line. Entities (&amp;) need
// no escape: they only ever stand for text.
var repMDSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`)

// repMD makes s literal inline Markdown on one line: markup characters escaped and line breaks
// folded into spaces.
func repMD(s string) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	return repMDSpecial.Replace(strings.Join(lines, " "))
}

// repMDLine is repMD for a text that starts a line, where "- ", "+ ", "# ", "= " or "1. " would
// start a block.
func repMDLine(s string) string {
	s = repMD(s)
	if s != "" && strings.ContainsRune("-+=#", rune(s[0])) {
		return `\` + s
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// --- Words and numbers -----------------------------------------------------------------------

// repPick returns the text in lang, or in the other language when it has none.
func repPick(es, en *string, lang string) string {
	first, second := es, en
	if lang == "en" {
		first, second = en, es
	}
	if first != nil && *first != "" {
		return *first
	}
	if second != nil {
		return *second
	}
	return ""
}

func repCountry(code, lang string) string {
	c, ok := countries.Lookup(code)
	if !ok {
		return code
	}
	if lang == "en" {
		return c.NameEN
	}
	return c.NameES
}

// repNBSP groups digits: a no-break space, so that a number never breaks across lines.
const repNBSP = "\u00a0"

// repInt writes n with its digits grouped by three from 10 000 up (the SI and RAE usage: 2022
// and 9500 stay whole).
func repInt(n int64, lang string) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 4 {
		var b strings.Builder
		for i, d := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(repNBSP)
			}
			b.WriteRune(d)
		}
		s = b.String()
	}
	if neg {
		s = "-" + s
	}
	return s
}

// repNumber writes v in full: grouped digits and at most two decimals, with the decimal mark of
// lang.
func repNumber(v float64, lang string) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return repInt(int64(v), lang)
	}
	s := strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0")
	whole, frac, _ := strings.Cut(strings.TrimSuffix(s, "."), ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := repInt(n, lang)
	if frac == "" {
		return out
	}
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0" // -0.5: the sign lives on the whole part, which ParseInt reads as 0
	}
	return out + repDecimalMark(lang) + frac
}

// repHuman writes v as a reader takes it in at a glance: "3.3 million" / "3,3 millones" from a
// million up, else in full.
func repHuman(v float64, lang string) string {
	abs := math.Abs(v)
	if abs < 1e6 {
		return repNumber(v, lang)
	}
	scale, word := 1e6, map[string][2]string{"es": {"millón", "millones"}, "en": {"million", "million"}}[lang]
	if abs >= 1e9 {
		scale, word = 1e9, map[string][2]string{"es": {"mil millones", "mil millones"}, "en": {"billion", "billion"}}[lang]
	}
	s := strings.TrimSuffix(strconv.FormatFloat(v/scale, 'f', 1, 64), ".0")
	if s == "1" || s == "-1" {
		return s + " " + word[0]
	}
	return strings.Replace(s, ".", repDecimalMark(lang), 1) + " " + word[1]
}

func repDecimalMark(lang string) string {
	if lang == "en" {
		return "."
	}
	return ","
}

// repScore writes an average score with one decimal.
func repScore(v *float64, lang string) string {
	if v == nil {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', 1, 64), ".", repDecimalMark(lang), 1)
}

func repScoreInt(v *int) string {
	if v == nil {
		return "—"
	}
	return strconv.Itoa(*v)
}

var repMonths = map[string][12]string{
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// repDate writes a day as people of lang write it: "14 de noviembre de 2026", "14 November 2026".
func repDate(t time.Time, lang string) string {
	t = t.UTC()
	month := repMonths[lang][t.Month()-1]
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	}
	return fmt.Sprintf("%d de %s de %d", t.Day(), month, t.Year())
}

// repLabels are the fixed texts of the document.
type repLabels struct {
	Title, Generated, DemoBanner, DemoMark                                          string
	Headlines, NoHeadlines, Source                                                  string
	Sources, SourcesSummary, ByType, ByAccess, Type, Access, SourcesCount           string
	Quality, QualityNote, Averages, NoAssessment                                    string
	Code, TitleCol, Timeliness, Completeness, Comparability, Caveats                string
	Coverage, CoverageNote, NoIndicators, Indicator, Observations, Years, Countries string
	Gaps, GapsSummary, Priority, Total, OpenGaps, NoOpenGaps, Recommendation        string
	GapsOpen, GapsBeingAddressed, GapsClosed                                        string
	SourceNoun, GapNoun                                                             [2]string // singular, plural
}

// repPlural picks the singular or plural of noun for n.
func repPlural(n int, noun [2]string) string {
	if n == 1 {
		return noun[0]
	}
	return noun[1]
}

var repLabelsByLang = map[string]repLabels{
	"es": {
		Title: "Inventario de datos sobre la diáspora", Generated: "Generado el %s a las %s (UTC)",
		DemoBanner: "Este informe contiene datos de demostración (marcados DEMO), que no son cifras reales.", DemoMark: "DEMO",
		Headlines: "Cifras principales", NoHeadlines: "Aún no hay cifras mundiales ni del Perú.", Source: "Fuente",
		Sources: "Fuentes de datos", SourcesSummary: "%s %s; %s con evaluación de calidad.",
		SourceNoun: [2]string{"fuente activa", "fuentes activas"},
		ByType:     "Por tipo", ByAccess: "Por acceso", Type: "Tipo", Access: "Acceso", SourcesCount: "Fuentes",
		Quality: "Calidad de las fuentes", QualityNote: "Puntuaciones de 1 (deficiente) a 5 (excelente); — sin evaluar.",
		Averages:     "Promedio de las fuentes evaluadas: oportunidad %s, completitud %s, comparabilidad %s.",
		NoAssessment: "Ninguna fuente tiene aún evaluación de calidad.",
		Code:         "Código", TitleCol: "Título", Timeliness: "Oportunidad", Completeness: "Completitud",
		Comparability: "Comparabilidad", Caveats: "Advertencias",
		Coverage: "Cobertura por indicador y región del mundo",
		CoverageNote: "Observaciones, años y países de residencia con datos; por región, países con datos sobre el total de " +
			"países de la región (M49 de las Naciones Unidas).",
		NoIndicators: "Aún no hay indicadores.", Indicator: "Indicador", Observations: "Observaciones", Years: "Años",
		Countries: "Países", Gaps: "Brechas de datos", GapsSummary: "%s %s.", GapNoun: [2]string{"brecha registrada", "brechas registradas"},
		GapsOpen: "Abiertas", GapsBeingAddressed: "En atención", GapsClosed: "Cerradas", Priority: "Prioridad",
		Total: "Total", OpenGaps: "Brechas por cerrar", NoOpenGaps: "No queda ninguna brecha por cerrar.",
		Recommendation: "Recomendación",
	},
	"en": {
		Title: "Stocktake of data on the diaspora", Generated: "Generated on %s at %s UTC",
		DemoBanner: "This report contains demo data (marked DEMO), which are not real figures.", DemoMark: "DEMO",
		Headlines: "Headline figures", NoHeadlines: "No world-level or Peru figures yet.", Source: "Source",
		Sources: "Data sources", SourcesSummary: "%s %s; %s with a quality assessment.",
		SourceNoun: [2]string{"active source", "active sources"},
		ByType:     "By type", ByAccess: "By access", Type: "Type", Access: "Access", SourcesCount: "Sources",
		Quality: "Source quality", QualityNote: "Scores from 1 (poor) to 5 (excellent); — not assessed.",
		Averages:     "Average of the assessed sources: timeliness %s, completeness %s, comparability %s.",
		NoAssessment: "No source has a quality assessment yet.",
		Code:         "Code", TitleCol: "Title", Timeliness: "Timeliness", Completeness: "Completeness",
		Comparability: "Comparability", Caveats: "Caveats",
		Coverage: "Coverage by indicator and world region",
		CoverageNote: "Observations, years and countries of residence with data; per region, the countries with data out of " +
			"the region's countries (UN M49).",
		NoIndicators: "No indicators yet.", Indicator: "Indicator", Observations: "Observations", Years: "Years",
		Countries: "Countries", Gaps: "Data gaps", GapsSummary: "%s %s.", GapNoun: [2]string{"gap recorded", "gaps recorded"},
		GapsOpen: "Open", GapsBeingAddressed: "Being addressed", GapsClosed: "Closed", Priority: "Priority",
		Total: "Total", OpenGaps: "Gaps still to close", NoOpenGaps: "No gap remains to close.",
		Recommendation: "Recommendation",
	},
}

func repLabelsFor(lang string) repLabels {
	if l, ok := repLabelsByLang[lang]; ok {
		return l
	}
	return repLabelsByLang["es"]
}

// repWords names the values of the vocabularies, in Spanish and English.
var repWords = map[string][2]string{
	"type.census":                    {"Censo", "Census"},
	"type.household_survey":          {"Encuesta de hogares", "Household survey"},
	"type.administrative_register":   {"Registro administrativo", "Administrative register"},
	"type.consular_register":         {"Registro consular", "Consular register"},
	"type.international_estimate":    {"Estimación internacional", "International estimate"},
	"type.study":                     {"Estudio", "Study"},
	"access.public":                  {"Público", "Public"},
	"access.on_request":              {"A solicitud", "On request"},
	"access.restricted":              {"Restringido", "Restricted"},
	"caveat.proxy_definition":        {"definición aproximada", "proxy definition"},
	"caveat.modelled":                {"modelado", "modelled"},
	"caveat.reference_year_mismatch": {"año de referencia distinto", "reference year mismatch"},
	"caveat.stock_vs_flow":           {"stock o flujo", "stock vs flow"},
	"caveat.registry_coverage":       {"cobertura del registro", "registry coverage"},
	"region.africa":                  {"África", "Africa"},
	"region.asia":                    {"Asia", "Asia"},
	"region.europe":                  {"Europa", "Europe"},
	"region.latin_america_caribbean": {"América Latina y el Caribe", "Latin America and the Caribbean"},
	"region.northern_america":        {"América septentrional", "Northern America"},
	"region.oceania":                 {"Oceanía", "Oceania"},
	"priority.high":                  {"Alta", "High"},
	"priority.medium":                {"Media", "Medium"},
	"priority.low":                   {"Baja", "Low"},
	"status.open":                    {"Abierta", "Open"},
	"status.being_addressed":         {"En atención", "Being addressed"},
	"status.closed":                  {"Cerrada", "Closed"},
	"observation.estimate":           {"estimación", "estimate"},
	"observation.provisional":        {"provisional", "provisional"},
	"observation.final":              {"definitivo", "final"},
	"flag.doubted_unit":              {"unidad dudosa", "doubted unit"},
	"flag.doubted_value":             {"valor dudoso", "doubted value"},
	"flag.break_in_series":           {"ruptura de serie", "break in series"},
	"place.world":                    {"Mundo", "World"},
}

// repWord names a vocabulary value in lang; an unknown one is shown as stored.
func repWord(key, lang string) string {
	w, ok := repWords[key]
	if !ok {
		_, value, _ := strings.Cut(key, ".")
		return value
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}
