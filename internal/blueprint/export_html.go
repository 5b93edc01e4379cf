package blueprint

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
)

//go:embed export_templates/export.html.tmpl export_templates/export.css
var exportFiles embed.FS

var (
	exportPage = template.Must(template.ParseFS(exportFiles, "export_templates/export.html.tmpl"))
	// exportStyle is the page's whole stylesheet, inlined so that the page needs nothing else to
	// show or print; exportCSP lets exactly it apply, and nothing else load or run.
	exportStyle = exportMustRead("export_templates/export.css")
	exportCSP   = "default-src 'none'; style-src '" + exportStyleHash(exportStyle) +
		"'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

func exportMustRead(name string) string {
	b, err := exportFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func exportStyleHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// exportHTML renders d as a self-contained printable page; html/template escapes every text,
// whatever its author wrote.
func exportHTML(d exportDoc) ([]byte, error) {
	var buf bytes.Buffer
	page := struct {
		exportDoc
		CSS template.CSS
	}{d, template.CSS(exportStyle)}
	if err := exportPage.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render blueprint page: %w", err)
	}
	return buf.Bytes(), nil
}
