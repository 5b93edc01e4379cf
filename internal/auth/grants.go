package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
)

// Login throttling: this many failures for one email within the window lock it for lockFor.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockFor       = 15 * time.Minute
)

// TokenRequest is a token endpoint request, whatever its encoding.
type TokenRequest struct {
	GrantType              string
	Username, Password     string
	ClientID, ClientSecret string
	RefreshToken           string
	Scope                  string
}

// TokenResponse is what the token endpoint returns.
type TokenResponse struct {
	AccessToken  string
	ExpiresIn    time.Duration
	Scope        string
	RefreshToken string
}

// Grants implements the OAuth 2.0 grants of the token endpoint.
type Grants struct {
	db         *database.DB
	accounts   *Accounts
	tokens     *Tokens
	refreshTTL time.Duration
	// dummyHash is verified against when the email is unknown, so that an unknown user costs the
	// same time as a wrong password.
	dummyHash string
}

// NewGrants prepares the grants.
func NewGrants(ctx context.Context, db *database.DB, accounts *Accounts, tokens *Tokens, refreshTTL time.Duration) (*Grants, error) {
	dummy, err := HashPassword(ctx, uuid.NewString())
	if err != nil {
		return nil, err
	}
	return &Grants{db: db, accounts: accounts, tokens: tokens, refreshTTL: refreshTTL, dummyHash: dummy}, nil
}

func oauthError(code apperr.Code, oauthCode, format string, args ...any) *apperr.Error {
	e := apperr.New(code, format, args...)
	e.Extra = map[string]any{"error": oauthCode, "error_description": e.Message}
	return e
}

// Token runs the grant r asks for.
//
// Errors (each with its RFC 6749 code in Extra): Invalid (invalid_request, invalid_grant,
// invalid_scope, unsupported_grant_type), Unauthenticated (invalid_client), TooManyRequests.
func (g *Grants) Token(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	switch r.GrantType {
	case "password":
		return g.password(ctx, r)
	case "client_credentials":
		return g.clientCredentials(ctx, r)
	case "refresh_token":
		return g.refresh(ctx, r)
	}
	return TokenResponse{}, oauthError(apperr.Invalid, "unsupported_grant_type", "grant_type %q is not supported", r.GrantType)
}

var errBadLogin = func() *apperr.Error {
	return oauthError(apperr.Invalid, "invalid_grant", "the email or password is wrong")
}

func (g *Grants) password(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	if r.Username == "" || r.Password == "" {
		return TokenResponse{}, oauthError(apperr.Invalid, "invalid_request", "username and password are required")
	}
	emailKey := strings.ToLower(strings.TrimSpace(r.Username))
	if until, locked, err := g.lockedUntil(ctx, emailKey); err != nil {
		return TokenResponse{}, err
	} else if locked {
		e := oauthError(apperr.TooManyRequests, "invalid_grant", "too many failed logins; try again later")
		e.RetryAfter = time.Until(until)
		return TokenResponse{}, e
	}
	u, err := g.accounts.userByEmail(ctx, emailKey)
	if err != nil {
		return TokenResponse{}, err
	}
	hash := g.dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := VerifyPassword(ctx, hash, r.Password)
	if err != nil {
		return TokenResponse{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok || u == nil || u.Status != "active" {
		if err := g.recordFailure(ctx, emailKey, u); err != nil {
			return TokenResponse{}, err
		}
		return TokenResponse{}, errBadLogin()
	}
	a := u.actor()
	scopes, ok := narrow(a.Scopes, r.Scope)
	if !ok {
		return TokenResponse{}, oauthError(apperr.Invalid, "invalid_scope", "scope %q exceeds what this user may do", r.Scope)
	}
	a.Scopes = scopes
	var resp TokenResponse
	err = g.db.InTx(actor.With(ctx, a), func(ctx context.Context, tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM login_throttle WHERE email_key = ?`, emailKey).Error; err != nil {
			return fmt.Errorf("clear login failures: %w", err)
		}
		refresh, err := g.storeRefresh(tx, uuid.Must(uuid.NewV7()), u.ID, scopes)
		if err != nil {
			return err
		}
		if resp, err = g.issue(ctx, a, refresh); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "auth.login", ResourceType: "user", ResourceID: u.ID.String(),
			After: map[string]any{"grant_type": "password", "scope": resp.Scope}})
	})
	return resp, err
}

func (g *Grants) lockedUntil(ctx context.Context, emailKey string) (time.Time, bool, error) {
	var until *time.Time
	err := g.db.Conn(ctx).Raw(`SELECT locked_until FROM login_throttle WHERE email_key = ? AND locked_until > now()`, emailKey).
		Scan(&until).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("check login throttle: %w", err)
	}
	if until == nil {
		return time.Time{}, false, nil
	}
	return *until, true, nil
}

// recordFailure counts a failed login atomically (concurrent failures all count) and audits it.
func (g *Grants) recordFailure(ctx context.Context, emailKey string, u *User) error {
	return g.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		var failures int
		err := tx.Raw(`
			INSERT INTO login_throttle AS t (email_key, failures, window_started_at) VALUES (?, 1, now())
			ON CONFLICT (email_key) DO UPDATE SET
				failures = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN 1 ELSE t.failures + 1 END,
				window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN now() ELSE t.window_started_at END
			RETURNING failures`, emailKey, failureWindow.Seconds(), failureWindow.Seconds()).Scan(&failures).Error
		if err != nil {
			return fmt.Errorf("count login failure: %w", err)
		}
		if failures >= maxFailures {
			if err := tx.Exec(`UPDATE login_throttle SET locked_until = now() + make_interval(secs => ?), failures = 0, window_started_at = now() WHERE email_key = ?`,
				lockFor.Seconds(), emailKey).Error; err != nil {
				return fmt.Errorf("lock login: %w", err)
			}
		}
		resourceID := ""
		if u != nil {
			resourceID = u.ID.String()
		}
		return audit.Record(ctx, tx, audit.Change{Action: "auth.login_failed", ResourceType: "user", ResourceID: resourceID,
			After: map[string]any{"username": emailKey, "failures": failures, "locked": failures >= maxFailures}})
	})
}

func (g *Grants) clientCredentials(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	if creds, ok := ctx.Value(basicCredentialsKey{}).(basicCredentials); ok {
		if r.ClientID != "" && r.ClientID != creds.id {
			return TokenResponse{}, oauthError(apperr.Invalid, "invalid_request", "client credentials given twice and different")
		}
		r.ClientID, r.ClientSecret = creds.id, creds.secret
	}
	badClient := oauthError(apperr.Unauthenticated, "invalid_client", "client authentication failed")
	if r.ClientID == "" || r.ClientSecret == "" {
		return TokenResponse{}, badClient
	}
	c, err := g.accounts.clientByClientID(ctx, r.ClientID)
	if err != nil {
		return TokenResponse{}, err
	}
	want := make([]byte, 32) // compare against zeros for unknown clients: same work either way
	if c != nil {
		want = c.SecretHash
	}
	if subtle.ConstantTimeCompare(hashSecret(r.ClientSecret), want) != 1 || c == nil || c.Status != "active" {
		return TokenResponse{}, badClient
	}
	a := c.actor()
	scopes, ok := narrow(a.Scopes, r.Scope)
	if !ok {
		return TokenResponse{}, oauthError(apperr.Invalid, "invalid_scope", "scope %q exceeds what this client may do", r.Scope)
	}
	a.Scopes = scopes
	var resp TokenResponse
	err = g.db.InTx(actor.With(ctx, a), func(ctx context.Context, tx *gorm.DB) error {
		var err error
		if resp, err = g.issue(ctx, a, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "auth.token_issue", ResourceType: "api_client", ResourceID: c.ID.String(),
			After: map[string]any{"grant_type": "client_credentials", "scope": resp.Scope}})
	})
	return resp, err
}

type refreshToken struct {
	ID        uuid.UUID
	FamilyID  uuid.UUID
	UserID    uuid.UUID
	TokenHash []byte
	Scope     string
	IssuedAt  time.Time `gorm:"default:now()"`
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

func (refreshToken) TableName() string { return "refresh_tokens" }

func (g *Grants) storeRefresh(tx *gorm.DB, family, userID uuid.UUID, scopes []string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("refresh token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	row := refreshToken{ID: uuid.Must(uuid.NewV7()), FamilyID: family, UserID: userID, TokenHash: hashSecret(token),
		Scope: strings.Join(scopes, " "), ExpiresAt: time.Now().Add(g.refreshTTL)}
	if err := tx.Omit("IssuedAt").Create(&row).Error; err != nil {
		return "", fmt.Errorf("store refresh token: %w", err)
	}
	return token, nil
}

func (g *Grants) refresh(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	if r.RefreshToken == "" {
		return TokenResponse{}, oauthError(apperr.Invalid, "invalid_request", "refresh_token is required")
	}
	invalid := oauthError(apperr.Invalid, "invalid_grant", "the refresh token is invalid, expired or revoked")
	var resp TokenResponse
	var reused bool
	err := g.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		var rt refreshToken
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hashSecret(r.RefreshToken)).Take(&rt).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return invalid
		}
		if err != nil {
			return fmt.Errorf("find refresh token: %w", err)
		}
		if rt.RevokedAt != nil || time.Now().After(rt.ExpiresAt) {
			return invalid
		}
		if rt.UsedAt != nil {
			// A spent token presented again means it leaked: revoke the whole family, and commit
			// that even though this request fails.
			reused = true
			if err := tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL`, rt.FamilyID).Error; err != nil {
				return fmt.Errorf("revoke refresh family: %w", err)
			}
			return audit.Record(ctx, tx, audit.Change{Action: "auth.refresh_reuse", ResourceType: "user", ResourceID: rt.UserID.String(),
				After: map[string]any{"family_id": rt.FamilyID}})
		}
		u, err := g.accounts.userByID(ctx, rt.UserID)
		if err != nil {
			return err
		}
		if u == nil || u.Status != "active" {
			return invalid
		}
		a := u.actor()
		scopes, ok := narrow(strings.Fields(rt.Scope), r.Scope)
		if !ok {
			return oauthError(apperr.Invalid, "invalid_scope", "scope %q exceeds the original grant", r.Scope)
		}
		// Scopes can only shrink: intersect with what the user's roles allow today.
		a.Scopes = intersect(scopes, a.Scopes)
		if err := tx.Model(&rt).Update("used_at", gorm.Expr("now()")).Error; err != nil {
			return fmt.Errorf("spend refresh token: %w", err)
		}
		next, err := g.storeRefresh(tx, rt.FamilyID, u.ID, a.Scopes)
		if err != nil {
			return err
		}
		if resp, err = g.issue(ctx, a, next); err != nil {
			return err
		}
		return audit.Record(actor.With(ctx, a), tx, audit.Change{Action: "auth.token_refresh", ResourceType: "user", ResourceID: u.ID.String(),
			After: map[string]any{"grant_type": "refresh_token", "scope": resp.Scope}})
	})
	if err != nil {
		return TokenResponse{}, err
	}
	if reused {
		return TokenResponse{}, invalid
	}
	return resp, nil
}

func (g *Grants) issue(ctx context.Context, a actor.Actor, refresh string) (TokenResponse, error) {
	access, ttl, err := g.tokens.Issue(ctx, a)
	if err != nil {
		return TokenResponse{}, err
	}
	return TokenResponse{AccessToken: access, ExpiresIn: ttl, Scope: strings.Join(a.Scopes, " "), RefreshToken: refresh}, nil
}

func intersect(a, b []string) []string {
	var out []string
	for _, s := range a {
		for _, t := range b {
			if s == t {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

type basicCredentialsKey struct{}

type basicCredentials struct{ id, secret string }
