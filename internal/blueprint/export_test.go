package blueprint_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomutex/godocx"
	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func bpvHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// bpvExportFixture is a demo blueprint with a title and texts full of markup, two chapters and
// three articles, one of them in Spanish only, frozen as v1 and then edited.
type bpvExportFixture struct {
	w       *bpvWorld
	bp      string
	v1      bpvVersion
	a1, a2  string
	current string // a2's Spanish text after v1
}

func bpvExportSetup(t *testing.T) bpvExportFixture {
	t.Helper()
	w := bpvNew(t)
	f := bpvExportFixture{w: w}
	f.bp = w.ok(t, http.MethodPost, "/v1/blueprints", map[string]any{"code": "ASN-ROF",
		"title": bpvText("Normas <internas> de la *ASN*", "ASN's <internal> rules")}, http.StatusCreated)["id"].(string)
	bpvExec(t, w, `UPDATE blueprints SET demo = true WHERE id = ?`, f.bp)
	c1 := bpvChapter(t, w, f.bp, "I", "Disposiciones generales", "General provisions")
	c2 := bpvChapter(t, w, f.bp, "II", "Servicios", "Services")
	f.a1 = bpvArticle(t, w, c1, bpvSimple("1", "Objeto", "Purpose",
		"La ASN <script>alert(1)</script> coordina & vincula.\n\n1. Primer inciso.\n- guion", "ASN coordinates & engages."))
	f.a2 = bpvArticle(t, w, c1, bpvSimple("2", "Ámbito", "", "Se aplica a las oficinas consulares.", ""))
	bpvArticle(t, w, c2, bpvSimple("3", "", "", "Los servicios se prestan en línea.", "Services are delivered online."))
	f.v1 = bpvFreeze(t, w, f.bp, "Borrador \"uno\" <b>")
	f.current = "Se aplica a todas las oficinas consulares."
	w.edit(t, "/v1/blueprint-articles/"+f.a2, map[string]any{"text": map[string]any{"es": f.current}})
	return f
}

// Media types of the exports.
const (
	bpvMarkdown = "text/markdown; charset=utf-8"
	bpvHTML     = "text/html; charset=utf-8"
	bpvDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// bpvExport exports a blueprint as a viewer and checks that the answer is an attachment of
// mediaType named filename.
func bpvExport(t *testing.T, w *bpvWorld, blueprint, query, mediaType, filename string) apitest.Response {
	t.Helper()
	viewer := w.env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	res := w.do(t, http.MethodGet, "/v1/blueprints/"+blueprint+"/export?"+query, viewer, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("export %s: %d %s", query, res.Status, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); ct != mediaType {
		t.Errorf("export %s: Content-Type %q", query, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="`+filename+`"` {
		t.Errorf("export %s: Content-Disposition %q", query, cd)
	}
	return res
}

// bpvInOrder fails t unless every one of parts occurs in s, each after the one before.
func bpvInOrder(t *testing.T, what, s string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			t.Errorf("%s: %q missing (or out of order) after offset %d", what, p, at)
			return
		}
		at += i + len(p)
	}
}

func TestExportMarkdown(t *testing.T) {
	t.Parallel()
	f := bpvExportSetup(t)
	res := bpvExport(t, f.w, f.bp, "format=markdown", bpvMarkdown, "ASN-ROF-draft.md")
	md := string(res.Body)
	bpvInOrder(t, "markdown es", md,
		`# Normas \<internas\> de la \*ASN\*`, "**Borrador actual al ", "Código: ASN-ROF", "> **DEMO: ",
		"## Capítulo I. Disposiciones generales",
		"### Artículo 1. Objeto", `La ASN \<script\>alert(1)\</script\> coordina & vincula.`, "\n\n1\\. Primer inciso.\n\n\\- guion\n\n",
		"### Artículo 2. Ámbito", f.current,
		"## Capítulo II. Servicios", "### Artículo 3\n\n", "Los servicios se prestan en línea.")
	if strings.Contains(md, "ASN coordinates") || strings.Contains(md, "<script>") {
		t.Errorf("markdown es has English or raw HTML:\n%s", md)
	}

	// The frozen version, in English: the Spanish-only article is given in Spanish, with a note.
	res = bpvExport(t, f.w, f.bp, "format=markdown&lang=en&version_id="+f.v1.ID, bpvMarkdown, "ASN-ROF-v1.md")
	md = string(res.Body)
	bpvInOrder(t, "markdown en v1", md, `# ASN's \<internal\> rules`, `**Version 1: “Borrador "uno" \<b\>”, frozen on `,
		"## Chapter I. General provisions", "### Article 1. Purpose", "ASN coordinates & engages.",
		"### Article 2. Ámbito", "_No English text; the Spanish text is shown._", "Se aplica a las oficinas consulares.",
		"## Chapter II. Services", "### Article 3", "Services are delivered online.")
	if strings.Contains(md, f.current) {
		t.Error("v1 export shows the current text")
	}
}

func TestExportHTML(t *testing.T) {
	t.Parallel()
	f := bpvExportSetup(t)
	res := bpvExport(t, f.w, f.bp, "format=html&lang=both&version_id="+f.v1.ID, bpvHTML, "ASN-ROF-v1.html")
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.HasPrefix(csp, "default-src 'none'; style-src 'sha256-") || res.Header.Get("Content-Language") != "es, en" {
		t.Errorf("CSP %q, language %q", csp, res.Header.Get("Content-Language"))
	}
	page := string(res.Body)
	if strings.Contains(page, "<script>") || strings.Contains(page, "<internas>") || strings.Contains(page, "<b>") {
		t.Errorf("unescaped text in the page:\n%s", page)
	}
	bpvInOrder(t, "html both", page, `<html lang="es">`, "<style>", `<h1 lang="es">Normas &lt;internas&gt; de la *ASN*</h1>`,
		`<p class="subtitle" lang="en">ASN&#39;s &lt;internal&gt; rules</p>`,
		`Versión 1: «Borrador &#34;uno&#34; &lt;b&gt;», congelada el `, `Version 1: “Borrador &#34;uno&#34; &lt;b&gt;”`,
		`class="banner"`, "DEMO",
		`<h2 lang="es">Capítulo I. Disposiciones generales</h2>`, `<p class="subtitle" lang="en">Chapter I. General provisions</p>`,
		`<div class="pair">`, `<div class="block" lang="es">`, "<h3>Artículo 1. Objeto</h3>",
		"<p>La ASN &lt;script&gt;alert(1)&lt;/script&gt; coordina &amp; vincula.</p>", "<p>1. Primer inciso.</p>",
		`<div class="block" lang="en">`, "<h3>Article 1. Purpose</h3>", "<p>ASN coordinates &amp; engages.</p>",
		"<h3>Artículo 2. Ámbito</h3>", "Se aplica a las oficinas consulares.", "<h3>Article 2</h3>", "No English text.",
		"Capítulo II. Servicios", "Los servicios se prestan en línea.", "Services are delivered online.")
	// The CSP's hash is the page's own stylesheet's.
	style := page[strings.Index(page, "<style>")+len("<style>") : strings.Index(page, "</style>")]
	if !strings.Contains(csp, bpvHash(style)) {
		t.Errorf("CSP %q does not allow the page's style", csp)
	}

	res = bpvExport(t, f.w, f.bp, "format=html&lang=en", bpvHTML, "ASN-ROF-draft.html")
	if page := string(res.Body); !strings.Contains(page, `<html lang="en">`) || strings.Contains(page, `class="pair"`) ||
		!strings.Contains(page, "Current draft as of") || !strings.Contains(page, f.current) {
		t.Errorf("html en:\n%s", page)
	}
}

// bpvDocxText opens a Word document the way a reader's program would — its zip, its
// word/document.xml — and returns its paragraphs' text in order.
func bpvDocxText(t *testing.T, body []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatalf("no word/document.xml: %v", err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var paras []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if el.Name.Local == "p" {
				paras = append(paras, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		}
	}
	return paras
}

func TestExportDOCX(t *testing.T) {
	t.Parallel()
	f := bpvExportSetup(t)
	res := bpvExport(t, f.w, f.bp, "format=docx&lang=both&version_id="+f.v1.ID, bpvDOCX, "ASN-ROF-v1.docx")
	text := strings.Join(bpvDocxText(t, res.Body), "\n")
	bpvInOrder(t, "docx both", text, "Normas <internas> de la *ASN*\n", "ASN's <internal> rules\n",
		`Versión 1: «Borrador "uno" <b>», congelada el `, `Version 1: “Borrador "uno" <b>”, frozen on `, "Código: ASN-ROF\n",
		"DEMO: este documento", "DEMO: this document",
		"Capítulo I. Disposiciones generales\n", "Chapter I. General provisions\n",
		"Artículo 1. Objeto\n", "La ASN <script>alert(1)</script> coordina & vincula.\n", "1. Primer inciso.\n", "- guion\n",
		"Article 1. Purpose\n", "ASN coordinates & engages.\n",
		"Artículo 2. Ámbito\n", "Se aplica a las oficinas consulares.\n", "Article 2\n", "No English text.\n",
		"Capítulo II. Servicios\n", "Artículo 3\n", "Los servicios se prestan en línea.\n", "Article 3\n", "Services are delivered online.")
	if strings.Contains(text, f.current) {
		t.Error("v1 docx shows the current text")
	}
	// godocx itself opens it, and finds the headings where they should be.
	path := filepath.Join(t.TempDir(), "export.docx")
	if err := os.WriteFile(path, res.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := godocx.OpenDocument(path)
	if err != nil {
		t.Fatalf("godocx cannot open the export: %v", err)
	}
	var headings []string
	for _, c := range doc.Document.Body.Children {
		if c.Para == nil {
			continue
		}
		if st, err := c.Para.GetStyle(); err == nil && st.ID != nil && strings.HasPrefix(*st.ID, "Heading") {
			headings = append(headings, *st.ID)
		}
	}
	if got := strings.Join(headings, ","); got != "Heading1,Heading2,Heading2,Heading2,Heading2,Heading1,Heading2,Heading2" {
		t.Errorf("headings: %s", got)
	}

	// The current draft in Spanish: its title page says so, and it has the current text.
	res = bpvExport(t, f.w, f.bp, "format=docx", bpvDOCX, "ASN-ROF-draft.docx")
	text = strings.Join(bpvDocxText(t, res.Body), "\n")
	bpvInOrder(t, "docx es", text, "Borrador actual al ", "Artículo 1. Objeto", "Artículo 2. Ámbito", f.current, "Artículo 3")
	if strings.Contains(text, "Article") || strings.Contains(text, "ASN coordinates") {
		t.Errorf("docx es has English: %s", text)
	}
}

func TestExportBadInput(t *testing.T) {
	t.Parallel()
	w := bpvNew(t)
	bp := bpvBlueprint(t, w, "ASN-ROF")
	other := bpvBlueprint(t, w, "ASN-OTHER")
	ov := bpvFreeze(t, w, other, "v1")
	for _, c := range []struct {
		query  string
		status int
	}{
		{"format=pdf", http.StatusBadRequest},
		{"lang=es", http.StatusBadRequest},
		{"format=html&lang=fr", http.StatusBadRequest},
		{"format=html&version_id=v1", http.StatusBadRequest},
		{"format=html&version_id=" + uuid.NewString(), http.StatusNotFound},
		{"format=html&version_id=" + ov.ID, http.StatusUnprocessableEntity},
	} {
		apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprints/"+bp+"/export?"+c.query, w.admin, nil), c.status)
	}
	apitest.Problem(t, w.do(t, http.MethodGet, "/v1/blueprints/"+uuid.NewString()+"/export?format=markdown", w.admin, nil), http.StatusNotFound)

	// An empty blueprint exports, saying it has no chapters yet.
	res := bpvExport(t, w, bp, "format=markdown&lang=en", bpvMarkdown, "ASN-ROF-draft.md")
	if !strings.Contains(string(res.Body), "The text has no chapters yet.") {
		t.Errorf("empty export:\n%s", res.Body)
	}
}
