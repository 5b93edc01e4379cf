package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
)

// resyncEvery bounds how long a replica keeps signing with a key another replica has retired.
const resyncEvery = time.Minute

// signingKey is one row of signing_keys.
type signingKey struct {
	Kid        string `gorm:"primaryKey"`
	Algorithm  string
	PrivateKey []byte
	PublicKey  []byte
	CreatedAt  time.Time
	RetiredAt  *time.Time
}

func (signingKey) TableName() string { return "signing_keys" }

// Keys holds the Ed25519 keys that sign and verify Puente's access tokens. They are kept in the
// database so that every replica agrees; each replica caches them and reloads when it meets a
// kid it does not know (a key another replica just rotated in) at most every reloadEvery.
type Keys struct {
	db          *database.DB
	reloadEvery time.Duration

	mu       sync.RWMutex
	current  *loadedKey
	byKid    map[string]ed25519.PublicKey
	retireAt map[string]time.Time // keys in their grace period: when they stop verifying
	loadedAt time.Time
}

type loadedKey struct {
	kid  string
	priv ed25519.PrivateKey
}

// NewKeys loads the key set, creating the first key when there is none.
func NewKeys(ctx context.Context, db *database.DB) (*Keys, error) {
	k := &Keys{db: db, reloadEvery: 5 * time.Second}
	if err := k.load(ctx); err != nil {
		return nil, err
	}
	if k.current == nil {
		if _, err := k.Rotate(ctx, 0); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Rotate creates a new signing key and retires the others after grace (so tokens they signed
// stay valid until they expire). It returns the new kid.
func (k *Keys) Rotate(ctx context.Context, grace time.Duration) (string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", fmt.Errorf("encode key: %w", err)
	}
	sum := sha256.Sum256(pub)
	kid := base64.RawURLEncoding.EncodeToString(sum[:12])
	err = k.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE signing_keys SET retired_at = now() + make_interval(secs => ?) WHERE retired_at IS NULL`,
			grace.Seconds()).Error; err != nil {
			return fmt.Errorf("retire keys: %w", err)
		}
		if err := tx.Create(&signingKey{Kid: kid, Algorithm: "EdDSA", PrivateKey: der, PublicKey: pub}).Error; err != nil {
			return fmt.Errorf("store key: %w", err)
		}
		return audit.Record(ctx, tx, audit.Change{Action: "signing_key.rotate", ResourceType: "signing_key", ResourceID: kid})
	})
	if err != nil {
		return "", err
	}
	return kid, k.load(ctx)
}

func (k *Keys) load(ctx context.Context) error {
	var rows []signingKey
	if err := k.db.Conn(ctx).
		Where("retired_at IS NULL OR retired_at > now()").
		Order("created_at DESC").Find(&rows).Error; err != nil {
		return fmt.Errorf("load signing keys: %w", err)
	}
	byKid := make(map[string]ed25519.PublicKey, len(rows))
	retireAt := map[string]time.Time{}
	var current *loadedKey
	for _, r := range rows {
		byKid[r.Kid] = ed25519.PublicKey(r.PublicKey)
		if r.RetiredAt != nil {
			retireAt[r.Kid] = *r.RetiredAt
		}
		if current == nil && r.RetiredAt == nil {
			parsed, err := x509.ParsePKCS8PrivateKey(r.PrivateKey)
			if err != nil {
				return fmt.Errorf("decode signing key %s: %w", r.Kid, err)
			}
			priv, ok := parsed.(ed25519.PrivateKey)
			if !ok {
				return fmt.Errorf("signing key %s is not Ed25519", r.Kid)
			}
			current = &loadedKey{kid: r.Kid, priv: priv}
		}
	}
	k.mu.Lock()
	k.current, k.byKid, k.retireAt, k.loadedAt = current, byKid, retireAt, time.Now()
	k.mu.Unlock()
	return nil
}

// signer returns the key to sign with. The set is reloaded at most every resyncEvery, so that a
// rotation done by another replica (or puentectl) is picked up without a restart.
func (k *Keys) signer(ctx context.Context) (*loadedKey, error) {
	k.mu.RLock()
	stale := time.Since(k.loadedAt) > resyncEvery
	k.mu.RUnlock()
	if stale {
		if err := k.load(ctx); err != nil {
			return nil, err
		}
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.current == nil {
		return nil, errors.New("no signing key")
	}
	return k.current, nil
}

// publicKey finds the key for kid, reloading the set once if it is unknown and the cache is
// older than reloadEvery (bounding reloads that forged kids could otherwise trigger).
func (k *Keys) publicKey(ctx context.Context, kid string) (ed25519.PublicKey, bool) {
	k.mu.RLock()
	pub, ok := k.verifying(kid)
	stale := time.Since(k.loadedAt) > k.reloadEvery
	k.mu.RUnlock()
	if ok || !stale {
		return pub, ok
	}
	if err := k.load(ctx); err != nil {
		return nil, false
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.verifying(kid)
}

// verifying returns kid's key unless its grace period is over (the cache outlives it). The
// caller holds k.mu.
func (k *Keys) verifying(kid string) (ed25519.PublicKey, bool) {
	pub, ok := k.byKid[kid]
	if at, retiring := k.retireAt[kid]; ok && retiring && !time.Now().Before(at) {
		return nil, false
	}
	return pub, ok
}

// JWK is one public key in JWKS form (RFC 8037 for Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS returns the public keys that verify tokens now.
func (k *Keys) JWKS() []JWK {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]JWK, 0, len(k.byKid))
	for kid := range k.byKid {
		pub, ok := k.verifying(kid)
		if !ok {
			continue
		}
		out = append(out, JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Kid: kid, Alg: "EdDSA", Use: "sig"})
	}
	return out
}
