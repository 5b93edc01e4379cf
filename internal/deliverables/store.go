package deliverables

import (
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/documents"
)

// Store keeps the bytes of documents, content-addressed by their SHA-256; see documents.Store.
type Store = documents.Store

// PostgresStore keeps documents in table document_blobs; see documents.PostgresStore.
type PostgresStore = documents.PostgresStore

// NewPostgresStore returns the PostgreSQL store over db.
func NewPostgresStore(db *database.DB) *PostgresStore { return documents.NewPostgresStore(db) }
