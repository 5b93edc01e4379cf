package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every variable Load reads is documented in the README's configuration table.
func TestREADMEListsEveryVariable(t *testing.T) {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	vars := regexp.MustCompile(`"((?:PUENTE|DATABASE)_[A-Z_]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(vars) < 10 {
		t.Fatalf("found only %d variables in config.go", len(vars))
	}
	for _, v := range vars {
		if !strings.Contains(string(readme), "| `"+v[1]+"` |") {
			t.Errorf("README's configuration table lacks %s", v[1])
		}
	}
}

func TestLoad(t *testing.T) {
	t.Setenv("PUENTE_DB_MAX_CONNS", "7")
	t.Setenv("PUENTE_ACCESS_TOKEN_TTL", "5m")
	t.Setenv("PUENTE_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")
	t.Setenv("PUENTE_CORS_ORIGINS", "https://a.test,https://b.test")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.DBMaxConns != 7 || c.AccessTokenTTL != 5*time.Minute || len(c.TrustedProxies) != 2 || len(c.CORSOrigins) != 2 || c.HTTPAddr != ":8080" {
		t.Fatalf("unexpected config: %+v", c)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	for key, val := range map[string]string{
		"PUENTE_DB_MAX_CONNS":     "many",
		"PUENTE_ACCESS_TOKEN_TTL": "-1m",
		"PUENTE_DEMO_DATA":        "perhaps",
		"PUENTE_TRUSTED_PROXIES":  "not-an-ip",
		"PUENTE_OIDC_JWKS_URL":    "https://idp.test/jwks", // without issuer and audience
	} {
		t.Run(key, func(t *testing.T) {
			t.Setenv(key, val)
			if _, err := Load(); err == nil || !strings.Contains(err.Error(), key) {
				t.Fatalf("want an error naming %s, got %v", key, err)
			}
		})
	}
}
