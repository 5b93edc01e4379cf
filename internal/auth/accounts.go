package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
)

// User is a person with a Puente account.
type User struct {
	ID            uuid.UUID
	Email         string
	Name          string
	InstitutionID *uuid.UUID
	Roles         pq.StringArray `gorm:"type:text[]"`
	Status        string
	PasswordHash  string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (User) TableName() string { return "users" }

// APIClient is a service account or partner system using client credentials.
type APIClient struct {
	ID            uuid.UUID
	ClientID      string
	Name          string
	SecretHash    []byte
	Roles         pq.StringArray `gorm:"type:text[]"`
	Scopes        pq.StringArray `gorm:"type:text[]"`
	InstitutionID *uuid.UUID
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (APIClient) TableName() string { return "api_clients" }

// Accounts manages users and API clients.
type Accounts struct{ db *database.DB }

// NewAccounts returns Accounts over db.
func NewAccounts(db *database.DB) *Accounts { return &Accounts{db: db} }

// NewUser describes a user to create.
type NewUser struct {
	Email, Name, Password string
	Roles                 []string
	InstitutionID         *uuid.UUID
}

// MinPasswordLength follows NIST SP 800-63B's minimum for user-chosen secrets.
const MinPasswordLength = 12

// CreateUser stores a user with an argon2id hash of its password.
//
// Errors: Invalid (bad email, short password, unknown role), Conflict (email taken).
func (a *Accounts) CreateUser(ctx context.Context, n NewUser) (User, error) {
	email := strings.TrimSpace(n.Email)
	if !strings.Contains(email, "@") || len(email) > 320 {
		return User{}, apperr.New(apperr.Invalid, "email %q is not an email address", n.Email)
	}
	if len(n.Password) < MinPasswordLength {
		return User{}, apperr.New(apperr.Invalid, "password must have at least %d characters", MinPasswordLength)
	}
	roles, err := checkRoles(n.Roles)
	if err != nil {
		return User{}, err
	}
	hash, err := HashPassword(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: uuid.Must(uuid.NewV7()), Email: email, Name: n.Name, InstitutionID: n.InstitutionID,
		Roles: roles, Status: "active", PasswordHash: hash}
	err = a.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			if _, dup := database.UniqueViolation(err); dup {
				return apperr.New(apperr.Conflict, "a user with email %s already exists", email)
			}
			return fmt.Errorf("create user: %w", err)
		}
		return audit.Record(ctx, tx, audit.Change{Action: "user.create", ResourceType: "user", ResourceID: u.ID.String(),
			After: map[string]any{"email": u.Email, "name": u.Name, "roles": u.Roles, "institution_id": u.InstitutionID}})
	})
	return u, err
}

// CountUsers returns how many users exist.
func (a *Accounts) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := a.db.Conn(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// NewClient describes an API client to create.
type NewClient struct {
	ClientID, Name string
	Roles, Scopes  []string
	InstitutionID  *uuid.UUID
}

// CreateClient stores an API client and returns its secret, which is not kept and cannot be
// shown again.
//
// Errors: Invalid (bad client id, unknown role or scope), Conflict (client id taken).
func (a *Accounts) CreateClient(ctx context.Context, n NewClient) (APIClient, string, error) {
	if n.ClientID == "" || len(n.ClientID) > 128 || strings.ContainsAny(n.ClientID, ": \t\n") {
		return APIClient{}, "", apperr.New(apperr.Invalid, "client id must be 1–128 characters without spaces or colons")
	}
	roles, err := checkRoles(n.Roles)
	if err != nil {
		return APIClient{}, "", err
	}
	allowed := ScopesFor(ParseRoles(roles))
	var scopes pq.StringArray
	if len(n.Scopes) > 0 {
		s, ok := narrow(allowed, strings.Join(n.Scopes, " "))
		if !ok {
			return APIClient{}, "", apperr.New(apperr.Invalid, "scopes %v exceed what roles %v allow (%v)", n.Scopes, roles, allowed)
		}
		scopes = s
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIClient{}, "", fmt.Errorf("client secret: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	c := APIClient{ID: uuid.Must(uuid.NewV7()), ClientID: n.ClientID, Name: n.Name, SecretHash: hashSecret(secret),
		Roles: roles, Scopes: scopes, InstitutionID: n.InstitutionID, Status: "active"}
	err = a.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			if _, dup := database.UniqueViolation(err); dup {
				return apperr.New(apperr.Conflict, "client %s already exists", n.ClientID)
			}
			return fmt.Errorf("create client: %w", err)
		}
		return audit.Record(ctx, tx, audit.Change{Action: "api_client.create", ResourceType: "api_client", ResourceID: c.ID.String(),
			After: map[string]any{"client_id": c.ClientID, "name": c.Name, "roles": c.Roles, "scopes": c.Scopes, "institution_id": c.InstitutionID}})
	})
	return c, secret, err
}

func checkRoles(names []string) (pq.StringArray, error) {
	if len(names) == 0 {
		return nil, apperr.New(apperr.Invalid, "at least one role is required")
	}
	for _, r := range names {
		if !ValidRole(r) {
			return nil, apperr.New(apperr.Invalid, "unknown role %q (one of %v)", r, actor.Roles)
		}
	}
	return pq.StringArray(names), nil
}

// Client secrets and refresh tokens are 256-bit random values, so a fast hash is enough: there
// is nothing to brute-force. Passwords, chosen by people, get argon2id.
func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func (a *Accounts) userByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := a.db.Conn(ctx).Where("lower(email) = lower(?)", email).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return &u, nil
}

func (a *Accounts) userByID(ctx context.Context, id uuid.UUID) (*User, error) {
	var u User
	err := a.db.Conn(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return &u, nil
}

func (a *Accounts) clientByClientID(ctx context.Context, clientID string) (*APIClient, error) {
	var c APIClient
	err := a.db.Conn(ctx).Where("client_id = ?", clientID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find client: %w", err)
	}
	return &c, nil
}

func (u User) actor() actor.Actor {
	roles := ParseRoles(u.Roles)
	return actor.Actor{Kind: actor.User, ID: u.ID.String(), Label: u.Email, Name: u.Name, Roles: roles,
		Scopes: ScopesFor(roles), InstitutionID: u.InstitutionID}
}

func (c APIClient) actor() actor.Actor {
	roles := ParseRoles(c.Roles)
	scopes := ScopesFor(roles)
	if len(c.Scopes) > 0 {
		scopes, _ = narrow(scopes, strings.Join(c.Scopes, " "))
	}
	return actor.Actor{Kind: actor.Client, ID: c.ClientID, Label: c.ClientID, Name: c.Name, Roles: roles,
		Scopes: scopes, InstitutionID: c.InstitutionID}
}
