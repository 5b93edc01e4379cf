package auth

import (
	"sync"
	"time"

	"github.com/puente-mre/puente/internal/actor"
)

// maxVerified bounds the cache; when full it is emptied rather than managed, since a burst of
// distinct tokens costs only re-verification.
const maxVerified = 10_000

// verifiedCache remembers Puente tokens whose signature and claims have been checked, until they
// expire. An Ed25519 verification costs more than the rest of a typical read, and clients send
// the same token many times. The signing key is re-checked on every hit, so a token stops
// working as soon as its key is retired.
type verifiedCache struct {
	mu      sync.RWMutex
	entries map[string]verifiedToken
}

type verifiedToken struct {
	actor   actor.Actor
	kid     string
	expires time.Time
}

func (c *verifiedCache) get(raw string, keys *Keys) (actor.Actor, bool) {
	c.mu.RLock()
	v, ok := c.entries[raw]
	c.mu.RUnlock()
	if !ok || !time.Now().Before(v.expires.Add(clockSkew)) {
		return actor.Actor{}, false
	}
	keys.mu.RLock()
	_, live := keys.verifying(v.kid)
	keys.mu.RUnlock()
	return v.actor, live
}

func (c *verifiedCache) put(raw string, v verifiedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxVerified {
		c.entries = make(map[string]verifiedToken)
	}
	c.entries[raw] = v
}
