// Package deliverables records what the action delivers: each deliverable with its workflow
// (planned → in progress → in review → approved → published, with changes requested sending it
// back), its reviews, and the versions of its document, whose bytes live behind a Store.
package deliverables

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// DefaultMaxUploadBytes is the largest document accepted when the handlers are not told
// otherwise: PUENTE_MAX_UPLOAD_BYTES' default.
const DefaultMaxUploadBytes = 25 << 20

// Handlers serve the deliverables operations of the contract.
type Handlers struct {
	db        *database.DB
	tree      scope.Tree
	store     Store
	maxUpload int64
}

// Option adjusts the handlers.
type Option func(*Handlers)

// WithMaxUploadBytes limits uploaded documents to n bytes (PUENTE_MAX_UPLOAD_BYTES). The HTTP
// server limits the whole request body too; this limit holds whatever that one is.
func WithMaxUploadBytes(n int64) Option { return func(h *Handlers) { h.maxUpload = n } }

// WithStore keeps document bytes in store instead of PostgreSQL.
func WithStore(store Store) Option { return func(h *Handlers) { h.store = store } }

// NewHandlers returns the handlers. Documents are stored in PostgreSQL and limited to
// DefaultMaxUploadBytes unless opts say otherwise.
func NewHandlers(db *database.DB, tree scope.Tree, opts ...Option) *Handlers {
	h := &Handlers{db: db, tree: tree, store: NewPostgresStore(db), maxUpload: DefaultMaxUploadBytes}
	for _, o := range opts {
		o(h)
	}
	return h
}

func (h *Handlers) service() *Service { return NewService(h.db, h.tree) }

func (h *Handlers) documents() *Documents {
	return NewDocuments(h.db, h.tree, h.store, h.maxUpload)
}
