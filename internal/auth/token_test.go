package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/auth"
)

const tokenPath = "/v1/auth/token"

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    int     `json:"expires_in"`
	Scope        string  `json:"scope"`
	RefreshToken *string `json:"refresh_token"`
}

// me is GET /v1/me's answer.
type me struct {
	Subject       string   `json:"subject"`
	Kind          string   `json:"kind"`
	Email         *string  `json:"email"`
	Name          *string  `json:"name"`
	Roles         []string `json:"roles"`
	Scopes        []string `json:"scopes"`
	InstitutionID *string  `json:"institution_id"`
}

// createUser stores an active user through the accounts service.
func createUser(t *testing.T, env *apitest.Env, email, password string, roles ...string) auth.User {
	t.Helper()
	u, err := env.App.Accounts.CreateUser(context.Background(), auth.NewUser{Email: email, Name: "Test " + email, Password: password, Roles: roles})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// postToken sends body (url.Values are form-encoded, anything else JSON) to the token endpoint.
func postToken(t *testing.T, env *apitest.Env, body any, header map[string]string) apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Request{Method: http.MethodPost, Path: tokenPath, Body: body, Header: header})
}

// issued asserts a 200 from the token endpoint and decodes it.
func issued(t *testing.T, res apitest.Response) tokenResponse {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("token endpoint: status %d, want 200: %s", res.Status, res.Body)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	var tr tokenResponse
	res.Decode(t, &tr)
	if tr.AccessToken == "" || tr.TokenType != "Bearer" || tr.ExpiresIn <= 0 {
		t.Fatalf("incomplete token response: %s", res.Body)
	}
	return tr
}

// oauthProblem asserts a problem with status carrying the RFC 6749 error code and returns it.
func oauthProblem(t *testing.T, res apitest.Response, status int, code string) map[string]any {
	t.Helper()
	p := apitest.Problem(t, res, status)
	if p["error"] != code {
		t.Fatalf("error = %v, want %q: %s", p["error"], code, res.Body)
	}
	if d, _ := p["error_description"].(string); d == "" {
		t.Errorf("no error_description: %s", res.Body)
	}
	return p
}

// getMe calls GET /v1/me with token and asserts a 200.
func getMe(t *testing.T, env *apitest.Env, token string) me {
	t.Helper()
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/me", Token: token})
	if res.Status != http.StatusOK {
		t.Fatalf("GET /v1/me: status %d, want 200: %s", res.Status, res.Body)
	}
	var m me
	res.Decode(t, &m)
	return m
}

func passwordForm(username, password string) url.Values {
	return url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}
}

func basic(id, secret string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))}
}

func hashOf(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func TestPasswordGrant(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const password = "correct horse battery staple"
	u := createUser(t, env, "Editor@Puente.test", password, "editor")

	cases := []struct {
		name string
		body any
	}{
		{"form", passwordForm("editor@puente.test", password)},
		{"json", map[string]string{"grant_type": "password", "username": "  EDITOR@puente.test ", "password": password}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logins := env.Count(t, "audit_events", "action = 'auth.login' AND resource_id = ?", u.ID.String())
			refreshRows := env.Count(t, "refresh_tokens", "user_id = ?", u.ID)

			tr := issued(t, postToken(t, env, tc.body, nil))
			if tr.ExpiresIn != 900 {
				t.Errorf("expires_in = %d, want 900 (the configured 15 minutes)", tr.ExpiresIn)
			}
			if tr.Scope != "coordination:read coordination:write deliverables:read deliverables:write imports:read imports:write institutions:read institutions:write mandates:read mandates:write practices:read practices:write stocktake:read stocktake:write" {
				t.Errorf("scope = %q, want an editor's scopes", tr.Scope)
			}
			if tr.RefreshToken == nil || *tr.RefreshToken == "" {
				t.Fatal("no refresh_token from the password grant")
			}
			if n := env.Count(t, "refresh_tokens", "user_id = ? AND token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()",
				u.ID, hashOf(*tr.RefreshToken)); n != 1 {
				t.Errorf("refresh token stored %d times (by hash), want 1", n)
			}
			if n := env.Count(t, "refresh_tokens", "user_id = ?", u.ID); n != refreshRows+1 {
				t.Errorf("refresh_tokens rows %d, want %d", n, refreshRows+1)
			}
			if n := env.Count(t, "audit_events", "action = 'auth.login' AND resource_id = ? AND actor_kind = 'user' AND actor_id = ?",
				u.ID.String(), u.ID.String()); n != logins+1 {
				t.Errorf("auth.login audit rows %d, want %d", n, logins+1)
			}

			m := getMe(t, env, tr.AccessToken)
			if m.Kind != "user" || m.Subject != u.ID.String() {
				t.Errorf("me = %+v, want user %s", m, u.ID)
			}
			if m.Email == nil || *m.Email != "Editor@Puente.test" {
				t.Errorf("me.email = %v, want Editor@Puente.test", m.Email)
			}
			if !slices.Equal(m.Roles, []string{"editor"}) {
				t.Errorf("me.roles = %v, want [editor]", m.Roles)
			}
			if !slices.Equal(m.Scopes, []string{"coordination:read", "coordination:write", "deliverables:read", "deliverables:write", "imports:read", "imports:write", "institutions:read", "institutions:write", "mandates:read", "mandates:write", "practices:read", "practices:write", "stocktake:read", "stocktake:write"}) {
				t.Errorf("me.scopes = %v", m.Scopes)
			}
		})
	}

	t.Run("narrowed scope", func(t *testing.T) {
		body := passwordForm(u.Email, password)
		body.Set("scope", "institutions:read")
		tr := issued(t, postToken(t, env, body, nil))
		if tr.Scope != "institutions:read" {
			t.Fatalf("scope = %q, want institutions:read", tr.Scope)
		}
		if m := getMe(t, env, tr.AccessToken); !slices.Equal(m.Scopes, []string{"institutions:read"}) {
			t.Errorf("me.scopes = %v, want [institutions:read]", m.Scopes)
		}
	})

	t.Run("scope beyond the user's roles", func(t *testing.T) {
		before := env.Count(t, "refresh_tokens", "user_id = ?", u.ID)
		body := passwordForm(u.Email, password)
		body.Set("scope", "institutions:read audit:read")
		oauthProblem(t, postToken(t, env, body, nil), http.StatusBadRequest, "invalid_scope")
		if n := env.Count(t, "refresh_tokens", "user_id = ?", u.ID); n != before {
			t.Errorf("a refused login stored a refresh token")
		}
	})

	t.Run("missing password", func(t *testing.T) {
		oauthProblem(t, postToken(t, env, url.Values{"grant_type": {"password"}, "username": {u.Email}}, nil),
			http.StatusBadRequest, "invalid_request")
	})

	t.Run("unsupported grant type", func(t *testing.T) {
		// Not in the contract's enum: the validator refuses it, still with an OAuth error code.
		oauthProblem(t, postToken(t, env, url.Values{"grant_type": {"implicit"}}, nil), http.StatusBadRequest, "invalid_request")
	})
}

func TestPasswordGrantFailures(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const password = "a long enough password"
	known := createUser(t, env, "known@puente.test", password, "viewer")
	disabled := createUser(t, env, "disabled@puente.test", password, "viewer")
	if err := env.DB.Conn(context.Background()).Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, disabled.ID).Error; err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, username, password string
		userID                   string // resource_id of the audit row; empty for unknown emails
	}{
		{"wrong password", known.Email, "not the password at all", known.ID.String()},
		{"unknown email", "nobody@puente.test", password, ""},
		{"disabled user, right password", disabled.Email, password, disabled.ID.String()},
	}
	var details []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			failed := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ?", tc.username)
			res := postToken(t, env, passwordForm(tc.username, tc.password), nil)
			p := oauthProblem(t, res, http.StatusBadRequest, "invalid_grant")
			details = append(details, p["detail"].(string))

			if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ?", tc.username); n != failed+1 {
				t.Errorf("auth.login_failed audit rows %d, want %d", n, failed+1)
			}
			if tc.userID != "" {
				if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND resource_id = ?", tc.userID); n < 1 {
					t.Errorf("auth.login_failed row does not name user %s", tc.userID)
				}
			} else if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ? AND resource_id IS NOT NULL", tc.username); n != 0 {
				t.Errorf("auth.login_failed for an unknown email names a resource")
			}
			if n := env.Count(t, "login_throttle", "email_key = ? AND failures = 1 AND locked_until IS NULL", tc.username); n != 1 {
				t.Errorf("login_throttle does not count one failure for %s", tc.username)
			}
			if n := env.Count(t, "refresh_tokens", "true"); n != 0 {
				t.Errorf("a failed login stored a refresh token")
			}
			if n := env.Count(t, "audit_events", "action = 'auth.login'"); n != 0 {
				t.Errorf("a failed login was audited as auth.login")
			}
			// Nothing but the throttle counter and the audit trail changed.
			after := env.Fingerprint(t)
			for tbl, sum := range before {
				if tbl != "login_throttle" && tbl != "audit_events" && after[tbl] != sum {
					t.Errorf("table %s changed after a failed login", tbl)
				}
			}
		})
	}
	for _, d := range details[1:] {
		if d != details[0] {
			t.Errorf("failure details differ, revealing which emails exist: %q vs %q", details[0], d)
		}
	}

	t.Run("success clears the failure count", func(t *testing.T) {
		issued(t, postToken(t, env, passwordForm(known.Email, password), nil))
		if n := env.Count(t, "login_throttle", "email_key = ?", known.Email); n != 0 {
			t.Errorf("login_throttle still has a row for %s after a successful login", known.Email)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const password = "throttle me correctly"
	locked := createUser(t, env, "locked@puente.test", password, "viewer")
	other := createUser(t, env, "other@puente.test", password, "viewer")

	var lockDetails []string
	for _, email := range []string{locked.Email, "ghost@puente.test"} {
		t.Run(email, func(t *testing.T) {
			for i := 1; i <= 5; i++ {
				res := postToken(t, env, passwordForm(email, "wrong password number "+strconv.Itoa(i)), nil)
				oauthProblem(t, res, http.StatusBadRequest, "invalid_grant")
			}
			if n := env.Count(t, "login_throttle", "email_key = ? AND locked_until > now() + interval '14 minutes'", email); n != 1 {
				t.Fatalf("%s is not locked for 15 minutes after 5 failures", email)
			}
			if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ?", email); n != 5 {
				t.Errorf("auth.login_failed audit rows %d, want 5", n)
			}
			if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ? AND (after->>'locked')::boolean", email); n != 1 {
				t.Errorf("the locking failure is audited %d times as locked, want 1", n)
			}

			// The 6th attempt is refused before the password is even looked at: the right one too.
			refreshBefore := env.Count(t, "refresh_tokens", "true")
			res := postToken(t, env, passwordForm(email, password), nil)
			p := oauthProblem(t, res, http.StatusTooManyRequests, "invalid_grant")
			lockDetails = append(lockDetails, p["detail"].(string))
			ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || ra <= 0 || ra > 15*60 {
				t.Errorf("Retry-After = %q, want whole seconds in (0, 900]", res.Header.Get("Retry-After"))
			}
			if n := env.Count(t, "refresh_tokens", "true"); n != refreshBefore {
				t.Errorf("a locked login stored a refresh token")
			}
			if n := env.Count(t, "audit_events", "action = 'auth.login' AND actor_label = ?", email); n != 0 {
				t.Errorf("a locked login was audited as auth.login")
			}
			// Another try with the right password in JSON: still locked.
			res = postToken(t, env, map[string]string{"grant_type": "password", "username": strings.ToUpper(email), "password": password}, nil)
			oauthProblem(t, res, http.StatusTooManyRequests, "invalid_grant")
		})
	}
	if len(lockDetails) == 2 && lockDetails[0] != lockDetails[1] {
		t.Errorf("lockout of a real and an unknown email differ: %q vs %q", lockDetails[0], lockDetails[1])
	}

	t.Run("concurrent failures all count", func(t *testing.T) {
		const email = "burst@puente.test"
		t.Run("burst", func(t *testing.T) {
			for i := range 5 {
				t.Run(strconv.Itoa(i), func(t *testing.T) {
					t.Parallel()
					oauthProblem(t, postToken(t, env, passwordForm(email, "wrong password in a burst"), nil), http.StatusBadRequest, "invalid_grant")
				})
			}
		})
		if n := env.Count(t, "audit_events", "action = 'auth.login_failed' AND after->>'username' = ?", email); n != 5 {
			t.Errorf("auth.login_failed audit rows %d, want 5", n)
		}
		if n := env.Count(t, "login_throttle", "email_key = ? AND locked_until > now()", email); n != 1 {
			t.Fatalf("5 concurrent failures did not lock %s", email)
		}
		oauthProblem(t, postToken(t, env, passwordForm(email, "wrong password in a burst"), nil), http.StatusTooManyRequests, "invalid_grant")
	})

	t.Run("other email unaffected", func(t *testing.T) {
		tr := issued(t, postToken(t, env, passwordForm(other.Email, password), nil))
		if m := getMe(t, env, tr.AccessToken); m.Subject != other.ID.String() {
			t.Errorf("me.subject = %s, want %s", m.Subject, other.ID)
		}
	})
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := context.Background()
	client, secret, err := env.App.Accounts.CreateClient(ctx, auth.NewClient{ClientID: "inei-loader", Name: "INEI loader", Roles: []string{"importer"}})
	if err != nil {
		t.Fatal(err)
	}
	issues := func(t *testing.T) int64 {
		return env.Count(t, "audit_events", "action = 'auth.token_issue' AND resource_id = ? AND actor_kind = 'client' AND actor_id = ?",
			client.ID.String(), "inei-loader")
	}
	form := func(extra ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}

	ok := []struct {
		name   string
		body   any
		header map[string]string
	}{
		{"basic auth", form(), basic("inei-loader", secret)},
		{"form body", form("client_id", "inei-loader", "client_secret", secret), nil},
		{"json body", map[string]string{"grant_type": "client_credentials", "client_id": "inei-loader", "client_secret": secret}, nil},
		{"basic auth and matching client_id", form("client_id", "inei-loader"), basic("inei-loader", secret)},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			before := issues(t)
			tr := issued(t, postToken(t, env, tc.body, tc.header))
			if tr.RefreshToken != nil {
				t.Errorf("client credentials returned a refresh token")
			}
			if tr.Scope != "coordination:read coordination:write deliverables:read deliverables:write imports:read imports:write institutions:read institutions:write mandates:read mandates:write practices:read practices:write stocktake:read stocktake:write" {
				t.Errorf("scope = %q, want an importer's scopes", tr.Scope)
			}
			if n := issues(t); n != before+1 {
				t.Errorf("auth.token_issue audit rows %d, want %d", n, before+1)
			}
			m := getMe(t, env, tr.AccessToken)
			if m.Kind != "client" || m.Subject != "inei-loader" || m.Email != nil {
				t.Errorf("me = %+v, want client inei-loader without email", m)
			}
			if !slices.Equal(m.Roles, []string{"importer"}) {
				t.Errorf("me.roles = %v", m.Roles)
			}
		})
	}
	if n := env.Count(t, "refresh_tokens", "true"); n != 0 {
		t.Errorf("client credentials stored %d refresh tokens", n)
	}

	t.Run("scope narrows the token", func(t *testing.T) {
		tr := issued(t, postToken(t, env, form("scope", "institutions:read"), basic("inei-loader", secret)))
		if tr.Scope != "institutions:read" {
			t.Fatalf("scope = %q, want institutions:read", tr.Scope)
		}
		if res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/institutions", Token: tr.AccessToken}); res.Status != http.StatusOK {
			t.Errorf("read with a read-only token: %d %s", res.Status, res.Body)
		}
		before := env.Fingerprint(t)
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/institutions", Token: tr.AccessToken, Body: institutionBody("PE-READONLY")})
		apitest.Problem(t, res, http.StatusForbidden)
		env.Unchanged(t, before)
	})

	refused := []struct {
		name   string
		body   any
		header map[string]string
		status int
		code   string
	}{
		{"scope the client lacks", form("scope", "institutions:read audit:read"), basic("inei-loader", secret), http.StatusBadRequest, "invalid_scope"},
		{"wrong secret in basic", form(), basic("inei-loader", secret+"x"), http.StatusUnauthorized, "invalid_client"},
		{"wrong secret in body", form("client_id", "inei-loader", "client_secret", "not-the-secret"), nil, http.StatusUnauthorized, "invalid_client"},
		{"unknown client", form("client_id", "nobody", "client_secret", secret), nil, http.StatusUnauthorized, "invalid_client"},
		{"no credentials", form(), nil, http.StatusUnauthorized, "invalid_client"},
		{"basic and body disagree", form("client_id", "someone-else"), basic("inei-loader", secret), http.StatusBadRequest, "invalid_request"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			res := postToken(t, env, tc.body, tc.header)
			oauthProblem(t, res, tc.status, tc.code)
			if tc.status == http.StatusUnauthorized && res.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
			env.Unchanged(t, before)
		})
	}

	t.Run("disabled client", func(t *testing.T) {
		if err := env.DB.Conn(ctx).Exec(`UPDATE api_clients SET status = 'disabled' WHERE id = ?`, client.ID).Error; err != nil {
			t.Fatal(err)
		}
		oauthProblem(t, postToken(t, env, form(), basic("inei-loader", secret)), http.StatusUnauthorized, "invalid_client")
	})
}

func TestRefreshTokenRotation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const password = "refresh me please now"
	u := createUser(t, env, "coordinator@puente.test", password, "coordinator")
	login := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
	r1 := *login.RefreshToken
	refresh := func(t *testing.T, token string) apitest.Response {
		return postToken(t, env, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}, nil)
	}

	// First use: a new access token and a new refresh token, the old one spent.
	tr := issued(t, refresh(t, r1))
	if tr.RefreshToken == nil || *tr.RefreshToken == "" || *tr.RefreshToken == r1 {
		t.Fatalf("refresh did not rotate the refresh token: %s", *tr.RefreshToken)
	}
	if tr.AccessToken == login.AccessToken {
		t.Errorf("refresh returned the same access token")
	}
	if tr.Scope != login.Scope {
		t.Errorf("scope after refresh %q, want %q", tr.Scope, login.Scope)
	}
	r2 := *tr.RefreshToken
	if m := getMe(t, env, tr.AccessToken); m.Subject != u.ID.String() || !slices.Equal(m.Roles, []string{"coordinator"}) {
		t.Errorf("me after refresh = %+v", m)
	}
	if n := env.Count(t, "refresh_tokens", "token_hash = ? AND used_at IS NOT NULL AND revoked_at IS NULL", hashOf(r1)); n != 1 {
		t.Errorf("the first refresh token is not marked used")
	}
	if n := env.Count(t, "refresh_tokens", "token_hash = ? AND used_at IS NULL AND revoked_at IS NULL", hashOf(r2)); n != 1 {
		t.Errorf("the rotated refresh token is not stored unused")
	}
	if n := env.Count(t, "refresh_tokens", "family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?)", hashOf(r1)); n != 2 {
		t.Errorf("family has %d tokens, want 2 (both generations)", n)
	}
	if n := env.Count(t, "audit_events", "action = 'auth.token_refresh' AND resource_id = ?", u.ID.String()); n != 1 {
		t.Errorf("auth.token_refresh audit rows %d, want 1", n)
	}

	// Narrowing on refresh works; widening does not. (This spends r2 and makes r3.)
	narrowed := issued(t, postToken(t, env, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r2}, "scope": {"audit:read"}}, nil))
	if narrowed.Scope != "audit:read" {
		t.Errorf("narrowed refresh scope %q, want audit:read", narrowed.Scope)
	}
	r3 := *narrowed.RefreshToken
	oauthProblem(t, postToken(t, env, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r3}, "scope": {"institutions:write"}}, nil),
		http.StatusBadRequest, "invalid_scope")
	if n := env.Count(t, "refresh_tokens", "token_hash = ? AND used_at IS NULL", hashOf(r3)); n != 1 {
		t.Errorf("a refused widening spent the refresh token")
	}

	// Reuse of a spent token: refused, and the whole family is revoked.
	p := oauthProblem(t, refresh(t, r1), http.StatusBadRequest, "invalid_grant")
	if n := env.Count(t, "refresh_tokens", "family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?) AND revoked_at IS NULL", hashOf(r1)); n != 0 {
		t.Errorf("%d tokens of the family are not revoked after reuse", n)
	}
	if n := env.Count(t, "refresh_tokens", "revoked_at IS NOT NULL"); n != 3 {
		t.Errorf("%d revoked refresh tokens, want the family's 3", n)
	}
	if n := env.Count(t, "audit_events", "action = 'auth.refresh_reuse' AND resource_id = ?", u.ID.String()); n != 1 {
		t.Errorf("auth.refresh_reuse audit rows %d, want 1", n)
	}
	// The newest token of the family, never used, is dead too.
	if got := oauthProblem(t, refresh(t, r3), http.StatusBadRequest, "invalid_grant"); got["detail"] != p["detail"] {
		t.Errorf("revoked and reused tokens answer differently: %v vs %v", got["detail"], p["detail"])
	}
	if n := env.Count(t, "audit_events", "action = 'auth.token_refresh'"); n != 2 {
		t.Errorf("auth.token_refresh audit rows %d, want 2 (no refresh after revocation)", n)
	}

	// A fresh login starts a new family, untouched by the revocation.
	fresh := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
	issued(t, refresh(t, *fresh.RefreshToken))

	t.Run("unknown refresh token", func(t *testing.T) {
		before := env.Fingerprint(t)
		oauthProblem(t, refresh(t, "bm90LWEtcmVhbC1yZWZyZXNoLXRva2Vu"), http.StatusBadRequest, "invalid_grant")
		env.Unchanged(t, before)
	})
	t.Run("expired refresh token", func(t *testing.T) {
		again := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
		if err := env.DB.Conn(context.Background()).Exec(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ?`,
			hashOf(*again.RefreshToken)).Error; err != nil {
			t.Fatal(err)
		}
		before := env.Fingerprint(t)
		oauthProblem(t, refresh(t, *again.RefreshToken), http.StatusBadRequest, "invalid_grant")
		env.Unchanged(t, before)
	})
	t.Run("missing refresh token", func(t *testing.T) {
		oauthProblem(t, postToken(t, env, url.Values{"grant_type": {"refresh_token"}}, nil), http.StatusBadRequest, "invalid_request")
	})
	t.Run("scopes shrink with the user's roles", func(t *testing.T) {
		again := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
		if err := env.DB.Conn(context.Background()).Exec(`UPDATE users SET roles = '{viewer}' WHERE id = ?`, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		tr := issued(t, refresh(t, *again.RefreshToken))
		if tr.Scope != "coordination:read deliverables:read institutions:read mandates:read practices:read stocktake:read" {
			t.Errorf("scope after a downgrade %q, want institutions:read", tr.Scope)
		}
		if m := getMe(t, env, tr.AccessToken); !slices.Equal(m.Roles, []string{"viewer"}) || !slices.Equal(m.Scopes, []string{"coordination:read", "deliverables:read", "institutions:read", "mandates:read", "practices:read", "stocktake:read"}) {
			t.Errorf("me after a downgrade: roles %v scopes %v", m.Roles, m.Scopes)
		}
		if err := env.DB.Conn(context.Background()).Exec(`UPDATE users SET roles = '{coordinator}' WHERE id = ?`, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		// Nor do they grow back within the family.
		if tr = issued(t, refresh(t, *tr.RefreshToken)); tr.Scope != "coordination:read deliverables:read institutions:read mandates:read practices:read stocktake:read" {
			t.Errorf("scope grew back on refresh: %q", tr.Scope)
		}
	})
	t.Run("concurrent use of one token", func(t *testing.T) {
		again := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
		statuses := make(chan int, 2)
		t.Run("race", func(t *testing.T) {
			for i := range 2 {
				t.Run(strconv.Itoa(i), func(t *testing.T) {
					t.Parallel()
					statuses <- refresh(t, *again.RefreshToken).Status
				})
			}
		})
		close(statuses)
		var got []int
		for s := range statuses {
			got = append(got, s)
		}
		slices.Sort(got)
		if !slices.Equal(got, []int{http.StatusOK, http.StatusBadRequest}) {
			t.Errorf("two concurrent refreshes of one token answered %v, want one 200 and one 400", got)
		}
		family := "family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?)"
		if n := env.Count(t, "refresh_tokens", family+" AND revoked_at IS NULL", hashOf(*again.RefreshToken)); n != 0 {
			t.Errorf("%d tokens of the raced family are still live", n)
		}
	})
	t.Run("disabled user", func(t *testing.T) {
		again := issued(t, postToken(t, env, passwordForm(u.Email, password), nil))
		if err := env.DB.Conn(context.Background()).Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		oauthProblem(t, refresh(t, *again.RefreshToken), http.StatusBadRequest, "invalid_grant")
	})
}

func institutionBody(code string) map[string]any {
	return map[string]any{"code": code, "name": map[string]any{"es": "Unidad " + code}, "kind": "agency", "tier": "national"}
}
