package client

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// TokenSource obtains access tokens from Puente's token endpoint and renews them shortly before
// they expire. It is safe for concurrent use.
type TokenSource struct {
	api     *ClientWithResponses
	request TokenRequest

	mu      sync.Mutex
	token   string
	refresh string
	expiry  time.Time
}

// NewClientCredentialsSource returns a TokenSource for a service account or partner system.
func NewClientCredentialsSource(server, clientID, clientSecret string, scopes ...string) (*TokenSource, error) {
	req := TokenRequest{GrantType: ClientCredentials, ClientId: &clientID, ClientSecret: &clientSecret}
	return newTokenSource(server, req, scopes)
}

// NewPasswordSource returns a TokenSource for a person; it rotates the refresh token it is given.
func NewPasswordSource(server, email, password string, scopes ...string) (*TokenSource, error) {
	req := TokenRequest{GrantType: Password, Username: &email, Password: &password}
	return newTokenSource(server, req, scopes)
}

func newTokenSource(server string, req TokenRequest, scopes []string) (*TokenSource, error) {
	api, err := NewClientWithResponses(server)
	if err != nil {
		return nil, err
	}
	if len(scopes) > 0 {
		s := join(scopes)
		req.Scope = &s
	}
	return &TokenSource{api: api, request: req}, nil
}

// Token returns a valid access token, fetching a new one when the current one is about to expire.
func (s *TokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && time.Until(s.expiry) > 30*time.Second {
		return s.token, nil
	}
	req := s.request
	if s.refresh != "" {
		req = TokenRequest{GrantType: RefreshToken, RefreshToken: &s.refresh}
	}
	res, err := s.api.IssueTokenWithFormdataBodyWithResponse(ctx, req)
	if err != nil {
		return "", fmt.Errorf("token endpoint: %w", err)
	}
	if res.JSON200 == nil {
		if s.refresh != "" { // the refresh token may have expired: start over once
			s.refresh = ""
			s.mu.Unlock()
			defer s.mu.Lock()
			return s.Token(ctx)
		}
		return "", fmt.Errorf("token endpoint: %s: %s", res.Status(), res.Body)
	}
	s.token = res.JSON200.AccessToken
	s.expiry = time.Now().Add(time.Duration(res.JSON200.ExpiresIn) * time.Second)
	if res.JSON200.RefreshToken != nil {
		s.refresh = *res.JSON200.RefreshToken
	}
	return s.token, nil
}

// Authorize is a RequestEditorFn that adds a bearer token; pass it with WithRequestEditorFn.
func (s *TokenSource) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// NewAuthorized returns a client whose every request carries a token from ts.
func NewAuthorized(server string, ts *TokenSource, opts ...ClientOption) (*ClientWithResponses, error) {
	return NewClientWithResponses(server, append(opts, WithRequestEditorFn(ts.Authorize))...)
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}
