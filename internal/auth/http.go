package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"
	echomiddleware "github.com/oapi-codegen/echo-middleware"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
)

// Handlers serve the auth operations of the contract.
type Handlers struct {
	grants *Grants
	keys   *Keys
}

// NewHandlers returns the auth handlers.
func NewHandlers(grants *Grants, keys *Keys) *Handlers { return &Handlers{grants: grants, keys: keys} }

// IssueToken is the OAuth 2.0 token endpoint.
func (h *Handlers) IssueToken(ctx context.Context, req api.IssueTokenRequestObject) (api.IssueTokenResponseObject, error) {
	var body *api.TokenRequest
	switch {
	case req.FormdataBody != nil:
		body = req.FormdataBody
	case req.JSONBody != nil:
		body = req.JSONBody
	default:
		return nil, oauthError(apperr.Invalid, "invalid_request", "a form-encoded or JSON body is required")
	}
	resp, err := h.grants.Token(ctx, TokenRequest{
		GrantType:    string(body.GrantType),
		Username:     deref(body.Username),
		Password:     deref(body.Password),
		ClientID:     deref(body.ClientId),
		ClientSecret: deref(body.ClientSecret),
		RefreshToken: deref(body.RefreshToken),
		Scope:        deref(body.Scope),
	})
	if err != nil {
		return nil, err
	}
	out := api.TokenResponse{
		AccessToken: resp.AccessToken,
		TokenType:   api.Bearer,
		ExpiresIn:   int(math.Round(resp.ExpiresIn.Seconds())),
		Scope:       resp.Scope,
	}
	if resp.RefreshToken != "" {
		out.RefreshToken = &resp.RefreshToken
	}
	noStore := "no-store"
	return api.IssueToken200JSONResponse{Body: out, Headers: api.IssueToken200ResponseHeaders{CacheControl: &noStore}}, nil
}

// GetJWKS publishes the public keys.
func (h *Handlers) GetJWKS(ctx context.Context, _ api.GetJWKSRequestObject) (api.GetJWKSResponseObject, error) {
	keys := h.keys.JWKS()
	out := api.JWKS{Keys: make([]api.JWKS_Keys_Item, len(keys))}
	for i, k := range keys {
		item := api.JWKS_Keys_Item{Kty: k.Kty, Kid: k.Kid, Crv: &k.Crv, X: &k.X, Alg: &k.Alg, Use: &k.Use}
		out.Keys[i] = item
	}
	return api.GetJWKS200JSONResponse(out), nil
}

// GetMe describes the caller.
func (h *Handlers) GetMe(ctx context.Context, _ api.GetMeRequestObject) (api.GetMeResponseObject, error) {
	a := actor.From(ctx)
	roles := make([]api.Role, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = api.Role(r)
	}
	me := api.Me{Subject: a.ID, Kind: api.MeKind(a.Kind), Roles: roles, Scopes: a.Scopes, InstitutionId: a.InstitutionID}
	if me.Scopes == nil {
		me.Scopes = []string{}
	}
	if a.Name != "" {
		me.Name = &a.Name
	}
	if a.Kind != actor.Client && a.Label != "" {
		me.Email = &a.Label
	}
	return api.GetMe200JSONResponse(me), nil
}

// Authenticate is the request validator's AuthenticationFunc: it enforces each operation's
// security requirement from openapi.yaml, so that scopes are checked in this one place. What it
// learns is parked on the Echo context; ToRequestContext moves it to the request's context once
// validation is over. (Replacing the request here, mid-validation, would detach it from the body
// the validator is about to read and rewrite.)
func (t *Tokens) Authenticate(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
	ec := echomiddleware.GetEchoContext(ctx)
	if ec == nil {
		return errors.New("authenticate: no echo context")
	}
	req := ec.Request()
	switch in.SecuritySchemeName {
	case "oauth2":
		header := req.Header.Get("Authorization")
		scheme, raw, found := strings.Cut(header, " ")
		if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
			return apperr.New(apperr.Unauthenticated, "a bearer token is required")
		}
		a, err := t.Verify(req.Context(), strings.TrimSpace(raw))
		if err != nil {
			slog.InfoContext(req.Context(), "token rejected", "reason", err.Error())
			return apperr.Wrap(err, apperr.Unauthenticated, "the bearer token is invalid or expired")
		}
		for _, s := range in.Scopes {
			if !a.HasScope(s) {
				return apperr.New(apperr.Forbidden, "this operation needs scope %s", s)
			}
		}
		ec.Set(echoActorKey, a)
		return nil
	case "clientBasic":
		id, secret, ok := req.BasicAuth()
		if ok {
			// RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
			var errID, errSecret error
			id, errID = url.QueryUnescape(id)
			secret, errSecret = url.QueryUnescape(secret)
			ok = errID == nil && errSecret == nil
		}
		if !ok {
			// Not an error to the caller: the token endpoint also takes credentials in the body.
			return apperr.New(apperr.Unauthenticated, "no basic credentials")
		}
		ec.Set(echoBasicKey, basicCredentials{id: id, secret: secret})
		return nil
	}
	return fmt.Errorf("authenticate: unknown security scheme %q", in.SecuritySchemeName)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const (
	echoActorKey = "puente.actor"
	echoBasicKey = "puente.basic"
)

// ToRequestContext puts what Authenticate found on the request's context, where strict handlers
// (which see only a context.Context) read it. It must run after the request validator.
func ToRequestContext() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			changed := false
			if a, ok := c.Get(echoActorKey).(actor.Actor); ok {
				ctx, changed = actor.With(ctx, a), true
			}
			if b, ok := c.Get(echoBasicKey).(basicCredentials); ok {
				ctx, changed = context.WithValue(ctx, basicCredentialsKey{}, b), true
			}
			if changed {
				c.SetRequest(c.Request().WithContext(ctx))
			}
			return next(c)
		}
	}
}
