package docs

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

const testSpecURL = "/openapi.yaml"

func newServer(t *testing.T) *echo.Echo {
	t.Helper()
	e := echo.New()
	register(e, testSpecURL)
	return e
}

func get(t *testing.T, e *echo.Echo, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// Matches absolute and protocol-relative URLs, capturing the host.
var urlRE = regexp.MustCompile(`(?i)(?:https?:)?//([a-z0-9.\-]+(?::[0-9]+)?)`)

func TestPage(t *testing.T) {
	e := newServer(t)
	rec := get(t, e, PagePath, nil)

	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", PagePath, rec.Code)
	}
	if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	if got := rec.Header().Get(echo.HeaderContentSecurityPolicy); got != ContentSecurityPolicy {
		t.Errorf("Content-Security-Policy = %q, want %q", got, ContentSecurityPolicy)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`src="` + RedocPath,
		`src="` + InitPath,
		`data-spec-url="` + testSpecURL + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page does not contain %q:\n%s", want, body)
		}
	}
	// No external hosts at all: scripts, styles and fonts are all same-origin.
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Errorf("page references an absolute URL:\n%s", body)
	}
	if m := urlRE.FindStringSubmatch(body); m != nil {
		t.Errorf("page references external host %q:\n%s", m[1], body)
	}
	if strings.Contains(strings.ToLower(body), "<link") {
		t.Errorf("page contains a <link> element:\n%s", body)
	}
	// The CSP forbids inline scripts, so every <script> must have a src.
	if n, m := strings.Count(body, "<script"), strings.Count(body, "<script src="); n != m {
		t.Errorf("page has %d <script> elements, only %d with src", n, m)
	}
}

func TestPageEscapesSpecURL(t *testing.T) {
	e := echo.New()
	register(e, `/spec.yaml?a=1&b="><script>alert(1)</script>`)
	body := get(t, e, PagePath, nil).Body.String()
	if strings.Contains(body, "<script>alert") {
		t.Fatalf("spec URL not escaped:\n%s", body)
	}
}

func TestScripts(t *testing.T) {
	e := newServer(t)
	for _, tc := range []struct {
		path   string
		minLen int
	}{
		{RedocPath, 500_000}, // the standalone bundle is ~1.1 MB
		{InitPath, 100},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := get(t, e, tc.path, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get(echo.HeaderContentType); !strings.Contains(ct, "javascript") {
				t.Errorf("Content-Type = %q, want a JavaScript type", ct)
			}
			if n := rec.Body.Len(); n < tc.minLen {
				t.Errorf("body is %d bytes, want at least %d", n, tc.minLen)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("Cache-Control = %q, want a long max-age", cc)
			}
			if rec.Header().Get(echo.HeaderContentSecurityPolicy) == "" {
				t.Error("no Content-Security-Policy header")
			}
			if got := rec.Header().Get(echo.HeaderXContentTypeOptions); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}

		})
	}
}

func TestRedocBundleIsStandalone(t *testing.T) {
	body := get(t, newServer(t), RedocPath, nil).Body.String()
	if !strings.Contains(body, "Redoc") {
		t.Error("bundle does not look like Redoc")
	}
}

func TestCSP(t *testing.T) {
	for _, want := range []string{
		"default-src 'none'",
		"script-src 'self'",
		"connect-src 'self'",
		"worker-src blob:",
	} {
		if !strings.Contains(ContentSecurityPolicy, want) {
			t.Errorf("ContentSecurityPolicy lacks %q", want)
		}
	}
	for _, bad := range []string{"'unsafe-eval'", "script-src 'self' 'unsafe-inline'", "*"} {
		if strings.Contains(ContentSecurityPolicy, bad) {
			t.Errorf("ContentSecurityPolicy contains %q", bad)
		}
	}
}

// register serves the page and assets the way the API server does.
func register(e *echo.Echo, specURL string) {
	page := Page(specURL)
	e.GET(PagePath, func(c echo.Context) error { return page.Write(c.Response()) })
	e.GET("/docs/:asset", func(c echo.Context) error {
		f, ok := Asset(c.Param("asset"))
		if !ok {
			return echo.ErrNotFound
		}
		return f.Write(c.Response())
	})
}
