// Package coordination is the coordination mechanisms the action's partners work in (the MTIGM
// and bodies like it, regional round tables): their bodies in a tree, who sits in them, their
// sessions with attendance and minutes, and the work plans they approve.
//
// Coordination bodies belong to the whole action, not to one unit, so only unscoped callers
// (coordinators, admins, importers, the system) write them; editors and partners read them.
package coordination

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/documents"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/scope"
)

// DefaultMaxUploadBytes is the largest minutes document accepted when the handlers are not told
// otherwise: PUENTE_MAX_UPLOAD_BYTES' default, as for deliverables' documents.
const DefaultMaxUploadBytes = 25 << 20

// Handlers serve this area's operations of the contract.
type Handlers struct {
	db        *database.DB
	tree      scope.Tree
	store     documents.Store
	maxUpload int64
}

// Option adjusts the handlers.
type Option func(*Handlers)

// WithMaxUploadBytes limits uploaded minutes to n bytes (PUENTE_MAX_UPLOAD_BYTES).
func WithMaxUploadBytes(n int64) Option { return func(h *Handlers) { h.maxUpload = n } }

// WithStore keeps minutes' bytes in store instead of PostgreSQL.
func WithStore(store documents.Store) Option { return func(h *Handlers) { h.store = store } }

// NewHandlers returns the handlers. Minutes are stored in PostgreSQL, with deliverables'
// documents, and limited to DefaultMaxUploadBytes unless opts say otherwise.
func NewHandlers(db *database.DB, tree scope.Tree, opts ...Option) *Handlers {
	h := &Handlers{db: db, tree: tree, store: documents.NewPostgresStore(db), maxUpload: DefaultMaxUploadBytes}
	for _, o := range opts {
		o(h)
	}
	return h
}

// ImportResources describes this area's records to the importer: coordination bodies,
// memberships, sessions and work plans, each row checked with its store's own rules. As the
// stores refuse scoped callers, no resource has an Owner: editors and partners import none.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{BodyImport(), MembershipImport(), SessionImport(), WorkPlanImport()}
}
