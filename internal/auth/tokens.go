package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
)

// Claims are the claims of a Puente access token.
type Claims struct {
	jwt.RegisteredClaims
	Scope       string   `json:"scope"`
	Roles       []string `json:"roles"`
	Kind        string   `json:"kind"`
	Institution string   `json:"institution_id,omitempty"`
	Email       string   `json:"email,omitempty"`
	Name        string   `json:"name,omitempty"`
}

// clockSkew tolerated on exp, nbf and iat between Puente and other machines.
const clockSkew = 30 * time.Second

// TokenSettings configure issuing and verifying tokens.
type TokenSettings struct {
	Issuer, Audience string
	AccessTTL        time.Duration
	// External identity provider; zero when none is configured.
	External ExternalProvider
}

// ExternalProvider describes an identity provider whose tokens Puente accepts.
type ExternalProvider struct {
	JWKSURL, Issuer, Audience    string
	RolesClaim, InstitutionClaim string
}

// Tokens issues and verifies access tokens.
type Tokens struct {
	verified verifiedCache
	keys     *Keys
	settings TokenSettings
	external keyfunc.Keyfunc
}

// NewTokens prepares token handling. With an external provider configured it starts fetching
// (and periodically refreshing) the provider's JWKS; ctx bounds that background refresh.
func NewTokens(ctx context.Context, keys *Keys, s TokenSettings) (*Tokens, error) {
	t := &Tokens{keys: keys, settings: s}
	if s.External.JWKSURL != "" {
		kf, err := keyfunc.NewDefaultCtx(ctx, []string{s.External.JWKSURL})
		if err != nil {
			return nil, fmt.Errorf("external identity provider JWKS: %w", err)
		}
		t.external = kf
	}
	return t, nil
}

// Issue signs an access token for a and returns it with its lifetime.
func (t *Tokens) Issue(ctx context.Context, a actor.Actor) (string, time.Duration, error) {
	key, err := t.keys.signer(ctx)
	if err != nil {
		return "", 0, err
	}
	now := time.Now()
	roles := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = string(r)
	}
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.settings.Issuer,
			Subject:   a.ID,
			Audience:  jwt.ClaimStrings{t.settings.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.settings.AccessTTL)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		Scope: strings.Join(a.Scopes, " "),
		Roles: roles,
		Kind:  string(a.Kind),
		Email: a.Label,
		Name:  a.Name,
	}
	if a.Kind == actor.Client {
		c.Email = ""
	}
	if a.InstitutionID != nil {
		c.Institution = a.InstitutionID.String()
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = key.kid
	signed, err := tok.SignedString(key.priv)
	if err != nil {
		return "", 0, fmt.Errorf("sign token: %w", err)
	}
	return signed, t.settings.AccessTTL, nil
}

// errBadToken is what every verification failure becomes: the caller learns only that the
// token is not acceptable; the reason goes to the logs.
var errBadToken = errors.New("invalid token")

// Verify checks a bearer token (Puente's own or, when configured, the external provider's) and
// returns the actor it stands for.
func (t *Tokens) Verify(ctx context.Context, raw string) (actor.Actor, error) {
	if t.external != nil && t.issuedBy(raw) == t.settings.External.Issuer {
		return t.verifyExternal(ctx, raw)
	}
	if a, ok := t.verified.get(raw, t.keys); ok {
		return a, nil
	}
	var c Claims
	var kid string
	_, err := jwt.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ = tok.Header["kid"].(string)
		pub, ok := t.keys.publicKey(ctx, kid)
		if !ok {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		return pub, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(t.settings.Issuer),
		jwt.WithAudience(t.settings.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(clockSkew),
	)
	if err != nil {
		return actor.Actor{}, fmt.Errorf("%w: %v", errBadToken, err)
	}
	a := actor.Actor{
		Kind:   actor.Kind(c.Kind),
		ID:     c.Subject,
		Label:  c.Email,
		Name:   c.Name,
		Roles:  ParseRoles(c.Roles),
		Scopes: strings.Fields(c.Scope),
	}
	if a.Kind != actor.User && a.Kind != actor.Client {
		return actor.Actor{}, fmt.Errorf("%w: kind %q", errBadToken, c.Kind)
	}
	if a.Kind == actor.Client {
		a.Label = c.Subject
	}
	if c.Institution != "" {
		id, err := uuid.Parse(c.Institution)
		if err != nil {
			return actor.Actor{}, fmt.Errorf("%w: institution_id", errBadToken)
		}
		a.InstitutionID = &id
	}
	t.verified.put(raw, verifiedToken{actor: a, kid: kid, expires: c.ExpiresAt.Time})
	return a, nil
}

// issuedBy peeks at the unverified iss claim, only to choose which verifier applies.
func (t *Tokens) issuedBy(raw string) string {
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil {
		return ""
	}
	return c.Issuer
}

func (t *Tokens) verifyExternal(ctx context.Context, raw string) (actor.Actor, error) {
	ext := t.settings.External
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, t.external.KeyfuncCtx(ctx),
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"}),
		jwt.WithIssuer(ext.Issuer),
		jwt.WithAudience(ext.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(clockSkew),
	)
	if err != nil {
		return actor.Actor{}, fmt.Errorf("%w: external: %v", errBadToken, err)
	}
	sub, _ := claims.GetSubject()
	if sub == "" {
		return actor.Actor{}, fmt.Errorf("%w: external token without sub", errBadToken)
	}
	roles := ParseRoles(stringsClaim(claims[ext.RolesClaim]))
	a := actor.Actor{Kind: actor.External, ID: sub, Label: sub, Roles: roles, Scopes: ScopesFor(roles)}
	if email, ok := claims["email"].(string); ok {
		a.Label = email
	}
	if name, ok := claims["name"].(string); ok {
		a.Name = name
	}
	if inst, ok := claims[ext.InstitutionClaim].(string); ok {
		if id, err := uuid.Parse(inst); err == nil {
			a.InstitutionID = &id
		}
	}
	return a, nil
}

// stringsClaim reads a claim that identity providers give either as a list or as one
// space-separated string.
func stringsClaim(v any) []string {
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
