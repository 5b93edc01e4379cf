// Package paging encodes the opaque cursors of keyset pagination. A token names the list it
// belongs to (and its sort order), so a token from one list or order is refused by another.
package paging

import (
	"encoding/base64"
	"encoding/json"

	"github.com/puente-mre/puente/internal/apperr"
)

// DefaultSize and MaxSize bound page_size for every list.
const (
	DefaultSize = 50
	MaxSize     = 500
)

// Size applies the default to an optional page_size (the contract already bounds it).
func Size(p *int) int {
	if p == nil || *p < 1 {
		return DefaultSize
	}
	return min(*p, MaxSize)
}

type envelope struct {
	Kind string          `json:"k"`
	Pos  json.RawMessage `json:"p"`
}

// Encode makes a token for position pos in the list named kind.
func Encode(kind string, pos any) string {
	p, err := json.Marshal(pos)
	if err != nil {
		panic("paging: position does not marshal: " + err.Error()) // positions are plain structs
	}
	b, _ := json.Marshal(envelope{Kind: kind, Pos: p})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a token made by Encode for kind into pos.
//
// Errors: Invalid when the token is malformed or belongs to another list.
func Decode(token, kind string, pos any) error {
	bad := apperr.New(apperr.Invalid, "page_token is not a token this list issued").
		WithField("query.page_token", "invalid or from another list or order")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return bad
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || env.Kind != kind {
		return bad
	}
	if err := json.Unmarshal(env.Pos, pos); err != nil {
		return bad
	}
	return nil
}
