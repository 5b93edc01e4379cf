package app_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/app"
)

// On an empty database Bootstrap loads the demo data and creates the admin, printing a
// generated password once; run again, it changes nothing and prints nothing.
func TestBootstrapIsIdempotent(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	ctx := context.Background()

	var out bytes.Buffer
	if err := env.App.Bootstrap(ctx, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Password \(shown once\): (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no generated password printed: %q", out.String())
	}
	if n := env.Count(t, "institutions", "demo"); n < 20 {
		t.Fatalf("demo institutions: %d", n)
	}
	for _, code := range []string{"PE-MRE", "PE-MRE-DGPCA", "PE-MRE-DGPCA-ASN", "PE-MRE-DGPCA-ASN-PIM", "PE-MRE-DGPCA-ASN-SSN", "PE-MRE-DGPCA-ASN-PCN", "PE-MRE-DGPCA-CON"} {
		if env.Count(t, "institutions", "code = ?", code) != 1 {
			t.Errorf("demo data lacks %s", code)
		}
	}
	if env.Count(t, "institutions", "code = 'PE-MRE-DGPCA-ASN-PIM' AND parent_id = (SELECT id FROM institutions WHERE code = 'PE-MRE-DGPCA-ASN')") != 1 {
		t.Error("PIM should sit under ASN")
	}
	if n := env.Count(t, "legal_instruments", "demo AND code IN ('PE-DS-015-2017-RE', 'PE-DLEG-1350', 'PE-LEY-30001', 'PE-LEY-30525', 'PE-LEY-28950')"); n != 5 {
		t.Errorf("demo data lacks instruments the seeds name: %d of 5", n)
	}
	if n := env.Count(t, "functions", "demo"); n < 20 {
		t.Errorf("demo functions: %d", n)
	}
	for _, kind := range []string{"as_is", "proposed"} {
		if env.Count(t, "mandate_scenarios", "demo AND kind = ?", kind) != 1 {
			t.Errorf("no demo %s scenario", kind)
		}
	}
	// PIM's situation: de facto work on functions without any legal basis.
	var contingency int64
	if err := env.DB.Conn(ctx).Raw(`SELECT count(*) FROM mandate_assignments a JOIN institutions i ON i.id = a.institution_id
		WHERE i.code = 'PE-MRE-DGPCA-ASN-PIM' AND a.basis = 'de_facto'
		AND NOT EXISTS (SELECT 1 FROM function_legal_bases b WHERE b.function_id = a.function_id)`).Scan(&contingency).Error; err != nil {
		t.Fatal(err)
	}
	if contingency == 0 {
		t.Error("the as-is scenario should show PIM's contingency work")
	}

	before := env.Fingerprint(t)
	out.Reset()
	if err := env.App.Bootstrap(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("second bootstrap printed %q", out.String())
	}
	env.Unchanged(t, before)

	// The printed password logs in.
	res := env.Do(t, apitest.Request{Method: "POST", Path: "/v1/auth/token",
		Body: url.Values{"grant_type": {"password"}, "username": {"admin@puente.local"}, "password": {m[1]}}})
	if res.Status != 200 {
		t.Fatalf("admin login: %d %s", res.Status, res.Body)
	}
}

func TestBootstrapWithoutDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.AdminPassword = "a-long-enough-password"
	env := apitest.NewWith(t, cfg)
	var out bytes.Buffer
	if err := env.App.Bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if n := env.Count(t, "institutions", "true"); n != 0 {
		t.Errorf("demo data off, yet %d institutions", n)
	}
	if out.Len() != 0 {
		t.Errorf("a configured password must not be printed: %q", out.String())
	}
	if env.Count(t, "users", "email = 'admin@puente.local' AND 'admin' = ANY(roles)") != 1 {
		t.Error("no admin")
	}
}

// Serve answers until its context ends, then shuts down and returns.
func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := apitest.Config()
	cfg.HTTPAddr = addr
	env := apitest.NewWith(t, cfg)
	a, err := app.New(context.Background(), cfg, env.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server never answered")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}
