package blueprint

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
)

// Export formats and languages.
const (
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
	FormatDOCX     = "docx"

	LangBoth = "both"
)

// Document is a rendered export, ready to send as an attachment.
type Document struct {
	Body        []byte
	ContentType string // with its charset, for text
	Filename    string // <code>-v<number>.<ext>, or <code>-draft.<ext> for the current text
	Language    string // es, en, or "es, en"
	CSP         string // the Content-Security-Policy an HTML page needs, else empty
}

// Export renders a text of blueprint id — version versionID, or the current text when it is nil
// — as format (markdown, html or docx) in lang (es, en or both: Spanish then English for each
// article). It reads in at most three statements whatever the text's size.
//
// Errors: NotFound (blueprint or version), Unprocessable (a version of another blueprint).
func (s *VersionService) Export(ctx context.Context, id uuid.UUID, versionID *uuid.UUID, format, lang string) (Document, error) {
	b, err := findBlueprint(s.db.Conn(ctx), id, database.NoLock)
	if err != nil {
		return Document{}, err
	}
	v, err := s.readText(ctx, id, versionID, "version_id")
	if err != nil {
		return Document{}, err
	}
	doc := exportView(b.blueprint(), v, lang, time.Now())
	out := Document{Language: strings.Join(doc.Langs, ", "), Filename: b.Code + "-draft"}
	if v.Number > 0 {
		out.Filename = b.Code + "-v" + strconv.Itoa(v.Number)
	}
	switch format {
	case FormatHTML:
		out.Body, err = exportHTML(doc)
		out.ContentType, out.CSP, out.Filename = "text/html; charset=utf-8", exportCSP, out.Filename+".html"
	case FormatDOCX:
		out.Body, err = exportDOCX(doc)
		out.ContentType, out.Filename = DOCXMediaType, out.Filename+".docx"
	default:
		out.Body = exportMarkdown(doc)
		out.ContentType, out.Filename = "text/markdown; charset=utf-8", out.Filename+".md"
	}
	return out, err
}

// DOCXMediaType is the media type of Word documents.
const DOCXMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// --- The document for people -----------------------------------------------------------------

// exportDoc is a text laid out for reading in the languages asked for; the Markdown, HTML and
// DOCX renderers only lay it out (and escape it). Title-page lines come once per language shown.
type exportDoc struct {
	Lang     string   // the document's main language: es or en (es when both)
	Langs    []string // the languages shown, in order
	Both     bool
	Code     string
	Title    []exportLine
	Edition  []exportLine // which text this is, and of when
	Demo     []exportLine // the demo notice, when the blueprint is demo data
	Empty    string       // said when the text has no chapters
	Chapters []exportChapter
	L        exportLabels
}

// exportLine is a text in one language.
type exportLine struct {
	Lang, Text string
}

type exportChapter struct {
	Anchor   string
	Heading  []exportLine // the first in the main language, the others below it
	Articles []exportArticle
}

type exportArticle struct {
	Anchor string
	Blocks []exportBlock // one per language shown
}

// exportBlock is an article in one language: Lang is the language of its text, which is not
// the one asked for when the article has no text in it (Note says so then); a block with a Note
// and no Paragraphs stands for a language the article lacks.
type exportBlock struct {
	Lang       string
	Heading    string
	Note       string
	NoteLang   string // the language asked for, which the note is in
	Paragraphs []string
}

// exportView lays out version v (its Number is 0 for the current text) of blueprint b in lang,
// dated now when it is the current text.
func exportView(b Blueprint, v Version, lang string, now time.Time) exportDoc {
	d := exportDoc{Lang: lang, Langs: []string{lang}, Code: b.Code}
	if lang == LangBoth {
		d.Lang, d.Langs, d.Both = "es", []string{"es", "en"}, true
	}
	d.L = exportLabelsFor(d.Lang)
	for _, l := range d.Langs {
		ll := exportLabelsFor(l)
		d.Title = append(d.Title, exportLine{Lang: exportLangOf(v.Text.TitleES, v.Text.TitleEN, l, d.Both),
			Text: exportPick(v.Text.TitleES, v.Text.TitleEN, l, d.Both)})
		edition := fmt.Sprintf(ll.Current, exportDate(now, l))
		if v.Number > 0 {
			edition = fmt.Sprintf(ll.Frozen, v.Number, v.Name, exportDate(v.FrozenAt, l))
		}
		d.Edition = append(d.Edition, exportLine{Lang: l, Text: edition})
		if b.Demo {
			d.Demo = append(d.Demo, exportLine{Lang: l, Text: ll.Demo})
		}
	}
	d.Title = exportNonEmpty(d.Title)
	if len(v.Text.Chapters) == 0 {
		d.Empty = d.L.Empty
	}
	for _, c := range v.Text.Chapters {
		ch := exportChapter{Anchor: "c-" + c.ID.String()}
		for _, l := range d.Langs {
			ch.Heading = append(ch.Heading, exportLine{Lang: exportLangOf(c.HeadingES, c.HeadingEN, l, d.Both),
				Text: exportNumbered(exportLabelsFor(l).Chapter, c.Number, exportPick(c.HeadingES, c.HeadingEN, l, d.Both))})
		}
		for _, a := range c.Articles {
			art := exportArticle{Anchor: "a-" + a.ID.String()}
			for _, l := range d.Langs {
				art.Blocks = append(art.Blocks, exportBlockOf(a, l, d.Both))
			}
			ch.Articles = append(ch.Articles, art)
		}
		d.Chapters = append(d.Chapters, ch)
	}
	return d
}

// exportBlockOf is article a in language l. Alone (not both), a language the article lacks
// gives way to the other, with a note; side by side, it is only noted as missing.
func exportBlockOf(a Article, l string, both bool) exportBlock {
	ll := exportLabelsFor(l)
	b := exportBlock{Lang: l, NoteLang: l}
	heading := exportPick(a.HeadingES, a.HeadingEN, l, true)
	text := exportPick(a.TextES, a.TextEN, l, true)
	if text == "" {
		if both {
			b.Note = ll.Missing
		} else {
			other := exportOther(l)
			b.Lang, b.Note = other, ll.OnlyIn
			heading, text = exportPick(a.HeadingES, a.HeadingEN, other, true), exportPick(a.TextES, a.TextEN, other, true)
		}
	}
	b.Heading = exportNumbered(ll.Article, a.Number, heading)
	b.Paragraphs = exportParagraphs(text)
	return b
}

// exportParagraphs splits a text into its paragraphs: its non-blank lines, trimmed.
func exportParagraphs(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if p := strings.TrimSpace(line); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// exportNumbered is "Artículo 5. Objeto", or "Artículo 5" without a heading.
func exportNumbered(label, number, heading string) string {
	if heading == "" {
		return label + " " + number
	}
	return label + " " + number + ". " + heading
}

// exportPick is the text in lang; when it has none, the other language's, unless strict.
func exportPick(es, en *string, lang string, strict bool) string {
	first, second := es, en
	if lang == "en" {
		first, second = en, es
	}
	if first != nil && strings.TrimSpace(*first) != "" {
		return *first
	}
	if !strict && second != nil {
		return *second
	}
	return ""
}

// exportLangOf is the language exportPick's text is in.
func exportLangOf(es, en *string, lang string, strict bool) string {
	own := es
	if lang == "en" {
		own = en
	}
	if strict || (own != nil && strings.TrimSpace(*own) != "") {
		return lang
	}
	return exportOther(lang)
}

func exportOther(lang string) string {
	if lang == "en" {
		return "es"
	}
	return "en"
}

// exportNonEmpty drops the lines without text (a title in a language it lacks, side by side).
func exportNonEmpty(lines []exportLine) []exportLine {
	var out []exportLine
	for _, l := range lines {
		if l.Text != "" {
			out = append(out, l)
		}
	}
	return out
}

var exportMonths = map[string][12]string{
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// exportDate writes a day as readers of lang write it: "14 de noviembre de 2026", "14 November
// 2026" (UTC).
func exportDate(t time.Time, lang string) string {
	t = t.UTC()
	month := exportMonths[lang][t.Month()-1]
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	}
	return fmt.Sprintf("%d de %s de %d", t.Day(), month, t.Year())
}

// exportLabels are the fixed texts of an export.
type exportLabels struct {
	Chapter, Article string
	Frozen           string // version number, name, date
	Current          string // date
	Demo             string
	Empty            string
	Missing          string // side by side: the article has no text in this language
	OnlyIn           string // alone: the article's text is in the other language only
	Code             string
}

var exportLabelsByLang = map[string]exportLabels{
	"es": {
		Chapter: "Capítulo", Article: "Artículo",
		Frozen: "Versión %d: «%s», congelada el %s", Current: "Borrador actual al %s",
		Demo:  "DEMO: este documento contiene datos de demostración; no es un texto oficial.",
		Empty: "El texto aún no tiene capítulos.", Missing: "Sin texto en español.",
		OnlyIn: "Sin texto en español; se reproduce el texto en inglés.", Code: "Código",
	},
	"en": {
		Chapter: "Chapter", Article: "Article",
		Frozen: "Version %d: “%s”, frozen on %s", Current: "Current draft as of %s",
		Demo:  "DEMO: this document contains demo data; it is not an official text.",
		Empty: "The text has no chapters yet.", Missing: "No English text.",
		OnlyIn: "No English text; the Spanish text is shown.", Code: "Code",
	},
}

func exportLabelsFor(lang string) exportLabels {
	if l, ok := exportLabelsByLang[lang]; ok {
		return l
	}
	return exportLabelsByLang["es"]
}

// --- Markdown --------------------------------------------------------------------------------

// exportMarkdown renders d as CommonMark. Every text from the database passes through exportMD
// or exportMDLine, so that no heading or paragraph can inject markup, links or HTML.
func exportMarkdown(d exportDoc) []byte {
	var b strings.Builder
	for i, t := range d.Title {
		if i == 0 {
			fmt.Fprintf(&b, "# %s\n\n", exportMD(t.Text))
		} else {
			fmt.Fprintf(&b, "_%s_\n\n", exportMD(t.Text))
		}
	}
	for _, e := range d.Edition {
		fmt.Fprintf(&b, "**%s**\\\n", exportMD(e.Text))
	}
	fmt.Fprintf(&b, "%s: %s\n\n", exportMD(d.L.Code), exportMD(d.Code))
	for i, n := range d.Demo {
		if i > 0 {
			b.WriteString(">\n")
		}
		fmt.Fprintf(&b, "> **%s**\n", exportMD(n.Text))
	}
	if len(d.Demo) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("---\n\n")
	if d.Empty != "" {
		fmt.Fprintf(&b, "%s\n", exportMD(d.Empty))
	}
	for _, c := range d.Chapters {
		for i, h := range c.Heading {
			if i == 0 {
				fmt.Fprintf(&b, "## %s\n\n", exportMD(h.Text))
			} else {
				fmt.Fprintf(&b, "_%s_\n\n", exportMD(h.Text))
			}
		}
		for _, a := range c.Articles {
			for _, blk := range a.Blocks {
				fmt.Fprintf(&b, "### %s\n\n", exportMD(blk.Heading))
				if blk.Note != "" {
					fmt.Fprintf(&b, "_%s_\n\n", exportMD(blk.Note))
				}
				for _, p := range blk.Paragraphs {
					fmt.Fprintf(&b, "%s\n\n", exportMDLine(p))
				}
			}
		}
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// exportMDSpecial are the characters that could start markup inside a line.
var exportMDSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, `#`, `\#`)

// exportMD makes s literal inline Markdown on one line: markup characters escaped, line breaks
// folded into spaces.
func exportMD(s string) string {
	return exportMDSpecial.Replace(strings.Join(strings.Fields(s), " "))
}

// exportMDLine is exportMD for a text that starts a block, where "- ", "+ ", "= " or "1. " would
// start a list or a heading underline.
func exportMDLine(s string) string {
	s = exportMD(s)
	if s != "" && strings.ContainsRune("-+=", rune(s[0])) {
		return `\` + s
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
