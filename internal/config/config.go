// Package config reads Puente's settings from environment variables. Every variable is listed,
// with its default, in the README; Load is the only place that reads them.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server and the CLI need to start.
type Config struct {
	DatabaseURL        string
	HTTPAddr           string
	DBMaxConns         int
	DBStatementTimeout time.Duration
	MigrateOnStart     bool
	DemoData           bool
	AdminEmail         string
	AdminPassword      string
	LogLevel           string

	Issuer          string
	Audience        string
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration

	// External identity provider: tokens signed by keys at ExternalJWKSURL are accepted too.
	ExternalJWKSURL          string
	ExternalIssuer           string
	ExternalAudience         string
	ExternalRolesClaim       string
	ExternalInstitutionClaim string

	CORSOrigins     []string
	TrustedProxies  []netip.Prefix
	MaxBodyBytes    int64
	MaxUploadBytes  int64
	ShutdownTimeout time.Duration

	// Imports: the largest body (as sent and once inflated), jobs run at once per replica, and
	// where bodies wait for their job ("" = the system's temporary directory).
	MaxImportBytes int64
	ImportWorkers  int
	ImportDir      string
	// ImportBatchSize is how many rows are written together (0: the importer's default); tests
	// shrink it to cross batches with small files.
	ImportBatchSize int
}

// Load reads the environment. It fails on values it cannot parse rather than guessing.
func Load() (Config, error) {
	var errs []error
	c := Config{
		DatabaseURL:        os.Getenv("DATABASE_URL"),
		HTTPAddr:           str("PUENTE_HTTP_ADDR", ":8080"),
		DBMaxConns:         integer("PUENTE_DB_MAX_CONNS", 20, &errs),
		DBStatementTimeout: duration("PUENTE_DB_STATEMENT_TIMEOUT", 15*time.Second, &errs),
		MigrateOnStart:     boolean("PUENTE_MIGRATE_ON_START", true, &errs),
		DemoData:           boolean("PUENTE_DEMO_DATA", true, &errs),
		AdminEmail:         str("PUENTE_ADMIN_EMAIL", "admin@puente.local"),
		AdminPassword:      os.Getenv("PUENTE_ADMIN_PASSWORD"),
		LogLevel:           str("PUENTE_LOG_LEVEL", "info"),

		Issuer:          str("PUENTE_JWT_ISSUER", "puente"),
		Audience:        str("PUENTE_JWT_AUDIENCE", "puente-api"),
		AccessTokenTTL:  duration("PUENTE_ACCESS_TOKEN_TTL", 15*time.Minute, &errs),
		RefreshTokenTTL: duration("PUENTE_REFRESH_TOKEN_TTL", 30*24*time.Hour, &errs),

		ExternalJWKSURL:          os.Getenv("PUENTE_OIDC_JWKS_URL"),
		ExternalIssuer:           os.Getenv("PUENTE_OIDC_ISSUER"),
		ExternalAudience:         os.Getenv("PUENTE_OIDC_AUDIENCE"),
		ExternalRolesClaim:       str("PUENTE_OIDC_ROLES_CLAIM", "roles"),
		ExternalInstitutionClaim: str("PUENTE_OIDC_INSTITUTION_CLAIM", "institution"),

		CORSOrigins:     list("PUENTE_CORS_ORIGINS"),
		MaxBodyBytes:    int64(integer("PUENTE_MAX_BODY_BYTES", 1<<20, &errs)),
		MaxUploadBytes:  int64(integer("PUENTE_MAX_UPLOAD_BYTES", 25<<20, &errs)),
		ShutdownTimeout: duration("PUENTE_SHUTDOWN_TIMEOUT", 20*time.Second, &errs),

		MaxImportBytes: int64(integer("PUENTE_MAX_IMPORT_BYTES", 1<<30, &errs)),
		ImportWorkers:  integer("PUENTE_IMPORT_WORKERS", 2, &errs),
		ImportDir:      os.Getenv("PUENTE_IMPORT_DIR"),
	}
	for _, p := range list("PUENTE_TRUSTED_PROXIES") {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				errs = append(errs, fmt.Errorf("PUENTE_TRUSTED_PROXIES: %q is neither a CIDR nor an address", p))
				continue
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	if c.ExternalJWKSURL != "" && (c.ExternalIssuer == "" || c.ExternalAudience == "") {
		errs = append(errs, errors.New("PUENTE_OIDC_JWKS_URL needs PUENTE_OIDC_ISSUER and PUENTE_OIDC_AUDIENCE"))
	}
	if c.DBMaxConns < 1 {
		errs = append(errs, errors.New("PUENTE_DB_MAX_CONNS must be at least 1"))
	}
	return c, errors.Join(errs...)
}

func str(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func list(key string) []string {
	var out []string
	for _, part := range strings.Split(os.Getenv(key), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func integer(key string, def int, errs *[]error) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %q is not a whole number", key, v))
		return def
	}
	return n
}

func boolean(key string, def bool, errs *[]error) bool {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %q is not true or false", key, v))
		return def
	}
	return b
}

func duration(key string, def time.Duration, errs *[]error) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		*errs = append(*errs, fmt.Errorf("%s: %q is not a positive duration such as 15m", key, v))
		return def
	}
	return d
}
