package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
)

// signingKey reads Puente's current signing key from the database, so that tests can sign
// tokens exactly as Puente would and change one thing at a time.
func signingKey(t *testing.T, env *apitest.Env) (string, ed25519.PrivateKey) {
	t.Helper()
	var row struct {
		Kid        string
		PrivateKey []byte
	}
	err := env.DB.Conn(context.Background()).
		Raw(`SELECT kid, private_key FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`).Scan(&row).Error
	if err != nil || row.Kid == "" {
		t.Fatalf("read signing key: %v", err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(row.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	priv, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		t.Fatalf("signing key is %T, not Ed25519", parsed)
	}
	return row.Kid, priv
}

// validClaims are the claims of a good admin token; each case spoils one of them.
func validClaims(now time.Time) auth.Claims {
	return auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "puente",
			Subject:   uuid.NewString(),
			Audience:  jwt.ClaimStrings{"puente-api"},
			ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		Scope: "institutions:read institutions:write audit:read accounts:manage",
		Roles: []string{"admin"},
		Kind:  "user",
		Email: "forger@puente.test",
	}
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, claims jwt.Claims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign %s token: %v", method.Alg(), err)
	}
	return s
}

// rejected asserts that GET /v1/me with header is a 401 with a Bearer challenge, and returns
// the problem's detail.
func rejected(t *testing.T, env *apitest.Env, header map[string]string) string {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/me", Header: header})
	p := apitest.Problem(t, res, http.StatusUnauthorized)
	if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", res.Header.Get("WWW-Authenticate"))
	}
	d, _ := p["detail"].(string)
	return d
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

func TestTokenRejected(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	kid, priv := signingKey(t, env)
	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	with := func(change func(*auth.Claims)) auth.Claims {
		c := validClaims(now)
		change(&c)
		return c
	}

	// The control: a token built this way with the real key is accepted, so each refusal below
	// is due to the one thing the case changes.
	control := sign(t, jwt.SigningMethodEdDSA, kid, validClaims(now), priv)
	if m := getMe(t, env, control); m.Kind != "user" || m.Email == nil || *m.Email != "forger@puente.test" {
		t.Fatalf("control token: me = %+v", m)
	}

	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims(now)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	noneWithKid := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims(now))
	noneWithKid.Header["kid"] = kid
	noneKid, err := noneWithKid.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	// A real token with its payload swapped for one claiming more.
	real := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	parts := strings.Split(real, ".")
	forgedPayload, _ := json.Marshal(validClaims(now))
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forgedPayload) + "." + parts[2]

	cases := []struct {
		name   string
		header map[string]string
	}{
		{"no authorization header", nil},
		{"empty bearer", map[string]string{"Authorization": "Bearer "}},
		{"basic scheme", basic("user", "pass")},
		{"garbage", bearer("garbage")},
		{"alg none", bearer(none)},
		{"alg none with the real kid", bearer(noneKid)},
		{"tampered payload", bearer(tampered)},
		{"another key with the real kid", bearer(sign(t, jwt.SigningMethodEdDSA, kid, validClaims(now), otherKey))},
		{"unknown kid, real key", bearer(sign(t, jwt.SigningMethodEdDSA, "no-such-kid", validClaims(now), priv))},
		{"unknown kid, other key", bearer(sign(t, jwt.SigningMethodEdDSA, "no-such-kid", validClaims(now), otherKey))},
		{"no kid", bearer(sign(t, jwt.SigningMethodEdDSA, "", validClaims(now), priv))},
		{"HS256 keyed with the public key", bearer(sign(t, jwt.SigningMethodHS256, kid, validClaims(now), []byte(priv.Public().(ed25519.PublicKey))))},
		{"HS256 keyed with the JWK x", bearer(sign(t, jwt.SigningMethodHS256, kid, validClaims(now),
			[]byte(base64.RawURLEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)))))},
		{"expired beyond leeway", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(-20 * time.Minute))
			c.NotBefore = c.IssuedAt
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-2 * time.Minute))
		}), priv))},
		{"not yet valid", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) {
			c.NotBefore = jwt.NewNumericDate(now.Add(5 * time.Minute))
		}), priv))},
		{"issued in the future", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(5 * time.Minute))
		}), priv))},
		{"no exp", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.ExpiresAt = nil }), priv))},
		{"wrong issuer", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Issuer = "someone-else" }), priv))},
		{"no issuer", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Issuer = "" }), priv))},
		{"wrong audience", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other-api"} }), priv))},
		{"no audience", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Audience = nil }), priv))},
		{"system kind", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Kind = "system" }), priv))},
		{"external kind", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Kind = "external" }), priv))},
		{"bad institution id", bearer(sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.Institution = "not-a-uuid" }), priv))},
	}
	// Every bad token gets the same answer: the reason goes to the log, not to the caller.
	generic := rejected(t, env, bearer("garbage"))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := rejected(t, env, tc.header)
			if tc.header != nil && strings.HasPrefix(tc.header["Authorization"], "Bearer ") && len(tc.header["Authorization"]) > 7 && d != generic {
				t.Errorf("detail %q differs from the generic %q, telling the caller why the token failed", d, generic)
			}
		})
	}

	t.Run("within leeway", func(t *testing.T) {
		t.Parallel()
		// 30 s of clock skew are tolerated on exp and nbf.
		now := time.Now()
		with := func(change func(*auth.Claims)) auth.Claims {
			c := validClaims(now)
			change(&c)
			return c
		}
		tok := sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(-10 * time.Minute))
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-10 * time.Second))
			c.NotBefore = c.IssuedAt
		}), priv)
		getMe(t, env, tok)
		tok = sign(t, jwt.SigningMethodEdDSA, kid, with(func(c *auth.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(10 * time.Second)) }), priv)
		getMe(t, env, tok)
	})
}

func TestScopesEnforced(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	viewer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Viewer}})
	editor := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}})
	importer := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Importer}})
	admin := env.AdminToken(t)
	// An admin token narrowed to reading.
	readOnlyAdmin := env.Token(t, apitest.Caller{Roles: []actor.Role{actor.Admin}, Scopes: []string{auth.ScopeInstitutionsRead}})

	for _, tc := range []struct {
		name, token string
	}{{"viewer", viewer}, {"admin narrowed to read", readOnlyAdmin}} {
		t.Run(tc.name+" cannot create", func(t *testing.T) {
			before := env.Fingerprint(t)
			res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: tc.token,
				Body: institutionBody("PE-DENIED"), Header: map[string]string{"Idempotency-Key": uuid.NewString()}})
			p := apitest.Problem(t, res, http.StatusForbidden)
			if d, _ := p["detail"].(string); !strings.Contains(d, "institutions:write") {
				t.Errorf("detail %q does not name the missing scope", d)
			}
			env.Unchanged(t, before)
		})
	}

	allowed := []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"viewer lists institutions", http.MethodGet, "/v1/institutions", viewer, nil, http.StatusOK},
		{"viewer reads /v1/me", http.MethodGet, "/v1/me", viewer, nil, http.StatusOK},
		{"admin reads the audit trail", http.MethodGet, "/v1/audit-events", admin, nil, http.StatusOK},
		// The control for the refused create: the same body is accepted with the scope.
		{"importer creates", http.MethodPost, "/v1/institutions", importer, institutionBody("PE-ALLOWED"), http.StatusCreated},
	}
	for _, tc := range allowed {
		t.Run(tc.name, func(t *testing.T) {
			res := env.Do(t, apitest.Request{Method: tc.method, Path: tc.path, Token: tc.token, Body: tc.body})
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
			}
		})
	}
	if n := env.Count(t, "institutions", "code = 'PE-ALLOWED'"); n != 1 {
		t.Errorf("importer's create wrote %d rows, want 1", n)
	}

	for _, tc := range []struct{ name, token string }{{"viewer", viewer}, {"editor", editor}} {
		t.Run(tc.name+" cannot read the audit trail", func(t *testing.T) {
			res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/audit-events", Token: tc.token})
			p := apitest.Problem(t, res, http.StatusForbidden)
			if d, _ := p["detail"].(string); !strings.Contains(d, "audit:read") {
				t.Errorf("detail %q does not name the missing scope", d)
			}
		})
	}

	t.Run("no token on a protected write", func(t *testing.T) {
		before := env.Fingerprint(t)
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Body: institutionBody("PE-ANON")})
		apitest.Problem(t, res, http.StatusUnauthorized)
		env.Unchanged(t, before)
	})
}

type jwks struct {
	Keys []struct {
		Kty, Kid, Crv, X, Alg, Use string
	} `json:"keys"`
}

func getJWKS(t *testing.T, env *apitest.Env) jwks {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/.well-known/jwks.json"})
	if res.Status != http.StatusOK {
		t.Fatalf("GET jwks: %d %s", res.Status, res.Body)
	}
	var set jwks
	res.Decode(t, &set)
	return set
}

func (s jwks) kids() []string {
	out := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		out[i] = k.Kid
	}
	slices.Sort(out)
	return out
}

// kidOf reads the kid from a token's header.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, &auth.Claims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	if tok.Method.Alg() != "EdDSA" || kid == "" {
		t.Fatalf("token header %v: want EdDSA with a kid", tok.Header)
	}
	return kid
}

// verifiesWithJWKS checks token's signature with the JWKS key named by its kid, by hand.
func verifiesWithJWKS(t *testing.T, set jwks, token string) {
	t.Helper()
	kid := kidOf(t, token)
	i := slices.IndexFunc(set.Keys, func(k struct{ Kty, Kid, Crv, X, Alg, Use string }) bool { return k.Kid == kid })
	if i < 0 {
		t.Fatalf("JWKS %v does not list kid %s", set.kids(), kid)
	}
	k := set.Keys[i]
	if k.Kty != "OKP" || k.Crv != "Ed25519" || k.Alg != "EdDSA" || k.Use != "sig" {
		t.Errorf("JWK %+v: want OKP Ed25519 EdDSA sig", k)
	}
	pub, err := base64.RawURLEncoding.DecodeString(k.X)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("JWK x %q: %v (%d bytes)", k.X, err, len(pub))
	}
	parts := strings.Split(token, ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), []byte(parts[0]+"."+parts[1]), sig) {
		t.Fatalf("token does not verify with JWK %s", kid)
	}
}

func TestJWKSAndRotation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	old := env.AdminToken(t)
	oldKid := kidOf(t, old)

	set := getJWKS(t, env)
	if !slices.Equal(set.kids(), []string{oldKid}) {
		t.Fatalf("JWKS kids %v, want [%s]", set.kids(), oldKid)
	}
	verifiesWithJWKS(t, set, old)

	newKid, err := env.App.Keys.Rotate(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if newKid == oldKid {
		t.Fatal("rotation kept the kid")
	}
	if n := env.Count(t, "signing_keys", "kid = ? AND retired_at > now() + interval '59 minutes'", oldKid); n != 1 {
		t.Errorf("old key not retired an hour from now")
	}
	if n := env.Count(t, "signing_keys", "kid = ? AND retired_at IS NULL", newKid); n != 1 {
		t.Errorf("new key not stored as current")
	}
	if n := env.Count(t, "audit_events", "action = 'signing_key.rotate' AND resource_id = ?", newKid); n != 1 {
		t.Errorf("signing_key.rotate audit rows %d, want 1", n)
	}

	fresh := env.AdminToken(t)
	if k := kidOf(t, fresh); k != newKid {
		t.Errorf("new token kid %s, want %s", k, newKid)
	}
	getMe(t, env, old)
	getMe(t, env, fresh)
	set = getJWKS(t, env)
	want := []string{oldKid, newKid}
	slices.Sort(want)
	if !slices.Equal(set.kids(), want) {
		t.Fatalf("JWKS kids %v, want %v", set.kids(), want)
	}
	verifiesWithJWKS(t, set, old)
	verifiesWithJWKS(t, set, fresh)

	// Tokens from the token endpoint carry the new kid too.
	if _, err := env.App.Accounts.CreateUser(ctx, auth.NewUser{Email: "rot@puente.test", Password: "rotation password", Roles: []string{"viewer"}}); err != nil {
		t.Fatal(err)
	}
	tr := issued(t, postToken(t, env, passwordForm("rot@puente.test", "rotation password"), nil))
	if k := kidOf(t, tr.AccessToken); k != newKid {
		t.Errorf("token endpoint signs with %s, want %s", k, newKid)
	}
}

func TestRetiredKeyStopsVerifying(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	old := env.AdminToken(t)
	oldKid := kidOf(t, old)
	grace := time.Second
	newKid, err := env.App.Keys.Rotate(context.Background(), grace)
	if err != nil {
		t.Fatal(err)
	}
	getMe(t, env, old) // within the grace period
	fresh := env.AdminToken(t)
	time.Sleep(grace + 500*time.Millisecond)

	// Past the grace period the old key verifies nothing, and is no longer published.
	rejected(t, env, bearer(old))
	if kids := getJWKS(t, env).kids(); !slices.Equal(kids, []string{newKid}) {
		t.Errorf("JWKS kids %v after the grace period, want only [%s] (not %s)", kids, newKid, oldKid)
	}
	getMe(t, env, fresh)
}

// idp is an external identity provider: a JWKS endpoint and the key behind it.
type idp struct {
	kid   string
	key   *ecdsa.PrivateKey
	point []byte // the public key, uncompressed
	url   string
	hits  func() int
}

func newIDP(t *testing.T) *idp {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	point, err := key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	set, err := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "kid": "idp-key-1", "alg": "ES256", "use": "sig",
		"x": b64(point[1:33]), "y": b64(point[33:65]),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	hits := make(chan struct{}, 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/jwks" {
			http.NotFound(w, r)
			return
		}
		hits <- struct{}{}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(set)
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("identity provider at %s, want 127.0.0.1", srv.URL)
	}
	return &idp{kid: "idp-key-1", key: key, point: point, url: srv.URL + "/oauth2/jwks", hits: func() int { return len(hits) }}
}

func (p *idp) claims(now time.Time, roles ...string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": "https://idp.test", "aud": "puente-api", "sub": "idp|42",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"roles": roles, "email": "ana@idp.test", "name": "Ana",
	}
}

func TestExternalIdentityProvider(t *testing.T) {
	t.Parallel()
	provider := newIDP(t)
	cfg := apitest.Config()
	cfg.ExternalJWKSURL = provider.url
	cfg.ExternalIssuer = "https://idp.test"
	cfg.ExternalAudience = "puente-api"
	cfg.ExternalRolesClaim = "roles"
	cfg.ExternalInstitutionClaim = "institution"
	env := apitest.NewWith(t, cfg)
	if provider.hits() == 0 {
		t.Errorf("Puente did not fetch the provider's JWKS at start")
	}
	now := time.Now()
	inst := uuid.New()

	viewerClaims := provider.claims(now, "viewer")
	viewerClaims["institution"] = inst.String()
	viewer := sign(t, jwt.SigningMethodES256, provider.kid, viewerClaims, provider.key)

	m := getMe(t, env, viewer)
	if m.Kind != "external" || m.Subject != "idp|42" {
		t.Errorf("me = %+v, want external idp|42", m)
	}
	if m.Email == nil || *m.Email != "ana@idp.test" || m.Name == nil || *m.Name != "Ana" {
		t.Errorf("me email/name = %v/%v", m.Email, m.Name)
	}
	if !slices.Equal(m.Roles, []string{"viewer"}) || !slices.Equal(m.Scopes, auth.ScopesFor([]actor.Role{actor.Viewer})) {
		t.Errorf("me roles %v scopes %v, want a viewer's", m.Roles, m.Scopes)
	}
	if m.InstitutionID == nil || *m.InstitutionID != inst.String() {
		t.Errorf("me.institution_id = %v, want %s", m.InstitutionID, inst)
	}

	if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions", Token: viewer}); res.Status != http.StatusOK {
		t.Errorf("external viewer list: %d %s", res.Status, res.Body)
	}
	before := env.Fingerprint(t)
	res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: viewer, Body: institutionBody("PE-EXT")})
	apitest.Problem(t, res, http.StatusForbidden)
	env.Unchanged(t, before)

	// Roles given as one space-separated string, unknown roles ignored.
	editorClaims := provider.claims(now)
	editorClaims["roles"] = "Editor superuser"
	if m := getMe(t, env, sign(t, jwt.SigningMethodES256, provider.kid, editorClaims, provider.key)); !slices.Equal(m.Roles, []string{"editor"}) {
		t.Errorf("roles from a string claim: %v, want [editor]", m.Roles)
	}

	// Puente's own tokens keep working beside the provider's.
	getMe(t, env, env.AdminToken(t))

	strangerKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := provider.claims(now, "admin")
		change(c)
		return c
	}
	cases := []struct {
		name  string
		token string
	}{
		{"wrong audience", sign(t, jwt.SigningMethodES256, provider.kid, with(func(c jwt.MapClaims) { c["aud"] = "other-api" }), provider.key)},
		{"expired", sign(t, jwt.SigningMethodES256, provider.kid, with(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = now.Add(-time.Hour).Unix(), now.Add(-time.Minute).Unix()
		}), provider.key)},
		{"no exp", sign(t, jwt.SigningMethodES256, provider.kid, with(func(c jwt.MapClaims) { delete(c, "exp") }), provider.key)},
		{"no sub", sign(t, jwt.SigningMethodES256, provider.kid, with(func(c jwt.MapClaims) { delete(c, "sub") }), provider.key)},
		{"signed by another key", sign(t, jwt.SigningMethodES256, provider.kid, with(func(jwt.MapClaims) {}), strangerKey)},
		{"HS256 keyed with the provider's public key", sign(t, jwt.SigningMethodHS256, provider.kid, with(func(jwt.MapClaims) {}), provider.point)},
		{"alg none", func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodNone, with(func(jwt.MapClaims) {}))
			tok.Header["kid"] = provider.kid
			s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}()},
		{"provider key, Puente's issuer", sign(t, jwt.SigningMethodES256, provider.kid, with(func(c jwt.MapClaims) { c["iss"] = "puente" }), provider.key)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			rejected(t, env, bearer(tc.token))
			res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: tc.token, Body: institutionBody("PE-EXT-BAD")})
			apitest.Problem(t, res, http.StatusUnauthorized)
			env.Unchanged(t, before)
		})
	}
}
