// Package docs serves the human-readable API reference: a Redoc page that
// renders the service's OpenAPI document.
//
// Every asset (Redoc's standalone bundle, the bootstrap script and the HTML
// page) is embedded in the binary, so the page works offline and never loads
// anything from a CDN. The page is built to run under the strict
// [ContentSecurityPolicy], which the handlers set themselves.
//
// Bundled third-party code: Redoc 2.5.4 (redoc/bundles/redoc.standalone.js
// from the npm registry), MIT licence, see assets/LICENSE.redoc and
// assets/redoc.standalone.js.LICENSE.txt for the licences of the libraries
// the bundle contains.
package docs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
)

// RedocVersion is the version of the embedded Redoc standalone bundle.
const RedocVersion = "2.5.4"

// ContentSecurityPolicy is the policy the /docs routes are served with, and
// the one a server should apply if it sets CSP centrally.
//
//   - script-src 'self': the Redoc bundle and init.js; no inline scripts and
//     no eval.
//   - style-src 'self' 'unsafe-inline': Redoc (styled-components) injects
//     <style> elements and sets style attributes at run time.
//   - img-src 'self' data:: logos and icons Redoc may inline as data: URLs.
//   - font-src 'self' data:: no web fonts are used (system font stacks), but
//     data: fonts embedded in a spec's description must not break the page.
//   - connect-src 'self': fetching the OpenAPI document (same origin).
//   - worker-src blob:: Redoc runs its search index in a Web Worker created
//     from a blob: URL.
//   - everything else is denied; the page may not be framed.
//
// Redoc 2.x unconditionally renders its "API docs by Redocly" footer with an
// <img> from cdn.redoc.ly. This policy blocks that request (the browser logs
// one CSP violation) and Redoc's onError handler then hides the image, so no
// request ever leaves for an external host.
const ContentSecurityPolicy = "default-src 'none'; " +
	"script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; " +
	"font-src 'self' data:; " +
	"connect-src 'self'; " +
	"worker-src blob:; " +
	"base-uri 'none'; " +
	"form-action 'none'; " +
	"frame-ancestors 'none'"

// Route paths.
const (
	PagePath        = "/docs"
	RedocPath       = "/docs/redoc.standalone.js"
	InitPath        = "/docs/init.js"
	RedocNoticePath = "/docs/redoc.standalone.js.LICENSE.txt"
)

//go:embed assets/redoc.standalone.js assets/redoc.standalone.js.LICENSE.txt assets/LICENSE.redoc assets/init.js assets/index.html
var assets embed.FS

const (
	jsType   = "text/javascript; charset=utf-8"
	textType = "text/plain; charset=utf-8"
	htmlType = "text/html; charset=utf-8"

	// The script URLs carry a content hash (?v=...), so the assets can be
	// cached "forever" and still change when the binary is upgraded.
	immutable = "public, max-age=31536000, immutable"
)

var pageTemplate = template.Must(template.ParseFS(assets, "assets/index.html"))

type asset struct {
	body []byte
	etag string
}

func load(name string) asset {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("docs: embedded asset missing: " + name)
	}
	sum := sha256.Sum256(b)
	return asset{body: b, etag: hex.EncodeToString(sum[:8])}
}

var (
	redocJS     = load("assets/redoc.standalone.js")
	redocNotice = load("assets/redoc.standalone.js.LICENSE.txt")
	initJS      = load("assets/init.js")
)

// File is one embedded response: the page or an asset.
type File struct {
	Body                      []byte
	ContentType, CacheControl string
	etag                      string
}

// Write sends f with the headers the page needs, the CSP first among them.
func (f File) Write(w http.ResponseWriter) error {
	h := w.Header()
	h.Set(echo.HeaderContentSecurityPolicy, ContentSecurityPolicy)
	h.Set(echo.HeaderXContentTypeOptions, "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set(echo.HeaderContentType, f.ContentType)
	h.Set("Cache-Control", f.CacheControl)
	h.Set("ETag", `"`+f.etag+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(f.Body)
	return err
}

// Page returns the HTML page that renders the spec at specURL, a same-origin path such as
// "/openapi.yaml" (the page's CSP only allows fetching from its own origin).
func Page(specURL string) File {
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, struct {
		SpecURL, RedocSrc, InitSrc string
	}{
		SpecURL:  specURL,
		RedocSrc: RedocPath + "?v=" + redocJS.etag,
		InitSrc:  InitPath + "?v=" + initJS.etag,
	})
	if err != nil {
		panic("docs: rendering page: " + err.Error())
	}
	sum := sha256.Sum256(buf.Bytes())
	return File{Body: buf.Bytes(), ContentType: htmlType, CacheControl: "no-cache", etag: hex.EncodeToString(sum[:8])}
}

// Asset returns the embedded asset served at /docs/<name>.
func Asset(name string) (File, bool) {
	switch "/docs/" + name {
	case RedocPath:
		return File{Body: redocJS.body, ContentType: jsType, CacheControl: immutable, etag: redocJS.etag}, true
	case InitPath:
		return File{Body: initJS.body, ContentType: jsType, CacheControl: immutable, etag: initJS.etag}, true
	case RedocNoticePath:
		return File{Body: redocNotice.body, ContentType: textType, CacheControl: "public, max-age=86400", etag: redocNotice.etag}, true
	}
	return File{}, false
}
