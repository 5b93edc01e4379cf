// Package archive soft-deletes a row the same way for every resource: archived_at and
// updated_at set, the version bumped (so the ETag changes), and the change audited in the same
// transaction.
package archive

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/audit"
)

// Row archives the row of model M with id, currently at version, inside tx, and records
// "<resource>.archive" with before and the representation after returns once the row is written.
// The caller has already locked the row, checked If-Match and its own rules.
func Row[M any](ctx context.Context, tx *gorm.DB, resource string, id uuid.UUID, version int64, before any, after func() (any, error)) error {
	if err := tx.Model(new(M)).Where("id = ?", id).Updates(map[string]any{
		"archived_at": gorm.Expr("now()"), "version": version + 1, "updated_at": gorm.Expr("now()"),
	}).Error; err != nil {
		return fmt.Errorf("archive %s: %w", strings.ReplaceAll(resource, "_", " "), err)
	}
	snapshot, err := after()
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{Action: resource + ".archive", ResourceType: resource,
		ResourceID: id.String(), Before: before, After: snapshot})
}
