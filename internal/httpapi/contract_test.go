package httpapi_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apitest"
)

// Every route Echo serves is an operation of openapi.yaml, and every operation is served.
func TestRoutesMatchContract(t *testing.T) {
	env := apitest.New(t)
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for path, item := range spec.Paths.Map() {
		for method := range item.Operations() {
			inSpec[method+" "+echoPath(path)] = true
		}
	}
	served := map[string]bool{}
	for _, r := range env.App.Echo.Routes() {
		if r.Method == echoAny || strings.HasPrefix(r.Name, "github.com/labstack/echo") {
			continue
		}
		served[r.Method+" "+r.Path] = true
	}
	var missing, extra []string
	for k := range inSpec {
		if !served[k] {
			missing = append(missing, k)
		}
	}
	for k := range served {
		if !inSpec[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("spec operations not served: %v\nroutes not in the spec: %v", missing, extra)
	}
	if len(served) < 15 {
		t.Fatalf("only %d routes served; the check is not looking at the real router", len(served))
	}
}

const echoAny = "echo_route_any"

// echoPath turns /v1/institutions/{id} into Echo's /v1/institutions/:id.
func echoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

func TestHealthAndSpec(t *testing.T) {
	env := apitest.New(t)
	for _, path := range []string{"/healthz", "/readyz", "/openapi.json", "/openapi.yaml", "/docs", "/docs/redoc.standalone.js", "/metrics"} {
		res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path})
		if res.Status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, res.Status, res.Body)
		}
	}
}
