package deliverables

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/documents"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
)

// The document types a deliverable's versions may have, as detected from their bytes.
const (
	MediaPDF      = documents.MediaPDF
	MediaDOCX     = documents.MediaDOCX
	MediaODT      = documents.MediaODT
	MediaMarkdown = documents.MediaMarkdown
)

// Version is one uploaded version of a deliverable's document: what is known of it. Its bytes
// are in the Store, under SHA256.
type Version struct {
	ID            uuid.UUID
	DeliverableID uuid.UUID
	Number        int // 1, 2, … per deliverable
	Filename      string
	MediaType     string // detected from the bytes
	Size          int64
	SHA256        string
	Note          *string
	UploadedBy    string
	UploadedAt    time.Time
}

// versionRow maps Version to document_versions.
type versionRow struct {
	ID            uuid.UUID
	DeliverableID uuid.UUID
	Number        int
	Filename      string
	MediaType     string
	Size          int64
	SHA256        string `gorm:"column:sha256"`
	Note          *string
	UploadedBy    string
	UploadedAt    time.Time `gorm:"default:now()"`
}

func (versionRow) TableName() string { return "document_versions" }

func (r versionRow) version() Version {
	return Version{ID: r.ID, DeliverableID: r.DeliverableID, Number: r.Number, Filename: r.Filename,
		MediaType: r.MediaType, Size: r.Size, SHA256: r.SHA256, Note: r.Note, UploadedBy: r.UploadedBy,
		UploadedAt: r.UploadedAt}
}

// latestVersions returns the newest version of each of deliverables that has one, in one
// statement (the (deliverable_id, number) key serves it).
func latestVersions(tx *gorm.DB, deliverables []uuid.UUID) (map[uuid.UUID]*Version, error) {
	out := map[uuid.UUID]*Version{}
	if len(deliverables) == 0 {
		return out, nil
	}
	var rows []versionRow
	if err := tx.Raw(`SELECT DISTINCT ON (deliverable_id) * FROM document_versions
		WHERE deliverable_id = ANY(?::uuid[]) ORDER BY deliverable_id, number DESC`, refs.Array(deliverables)).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load latest document versions: %w", err)
	}
	for _, r := range rows {
		out[r.DeliverableID] = new(r.version())
	}
	return out, nil
}

// Refusal is an upload refused for what its file is rather than for what the request says:
// too large (the HTTP layer answers 413) or of a type not accepted (415).
type Refusal = documents.Refusal

// ReadError is an upload that could not be read.
type ReadError = documents.ReadError

// Documents keeps the versions of deliverables' documents: their metadata in PostgreSQL, their
// bytes in a Store.
type Documents struct {
	db        *database.DB
	store     Store
	maxUpload int64
	svc       *Service
}

// NewDocuments returns the documents of deliverables over db, with their bytes in store and
// no file larger than maxUpload bytes; tree answers the editors' owner checks.
func NewDocuments(db *database.DB, tree scope.Tree, store Store, maxUpload int64) *Documents {
	return &Documents{db: db, store: store, maxUpload: maxUpload, svc: NewService(db, tree)}
}

// File is an uploaded file received in full and found acceptable, waiting to be stored. Close
// it once done.
type File = documents.File

// CheckWritable tells whether the caller may add a version to deliverable id, before the caller
// reads a file it would otherwise read for nothing. Upload checks again.
//
// Errors: NotFound, Forbidden, Conflict (archived).
func (d *Documents) CheckWritable(ctx context.Context, id uuid.UUID) error {
	// Outside a transaction the row lock lasts the statement only: this is a look, not a claim.
	_, err := d.svc.lockLive(ctx, d.db.Conn(ctx), id, etag.Precondition{})
	return err
}

// Receive reads a whole file named name (as its uploader called it) from r, keeping about a
// megabyte of it in memory at most (the rest goes to a temporary file), computes its SHA-256,
// and detects its type from its bytes: a PDF, a DOCX, an ODT, or Markdown (valid UTF-8 text
// whose name ends in .md or .markdown).
//
// Errors: *Refusal (more than the maximum upload size, or a type not accepted), Unprocessable
// (empty), *ReadError (reading r failed).
func (d *Documents) Receive(r io.Reader, name string) (*File, error) {
	return documents.Receive(r, name, d.maxUpload)
}

// Upload stores file as the next version of deliverable id, with note, and records who
// uploaded it. Versions are numbered 1, 2, … per deliverable: the deliverable's row is locked
// while the number is taken, so concurrent uploads get different numbers. The deliverable's
// version changes (its latest_version did), and the audit trail records the upload's metadata,
// never its bytes.
//
// Errors: NotFound, Forbidden, Conflict (archived).
func (d *Documents) Upload(ctx context.Context, id uuid.UUID, file *File, note *string) (Version, error) {
	var out Version
	err := d.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := d.svc.lockLive(ctx, tx, id, etag.Precondition{})
		if err != nil {
			return err
		}
		before, err := d.svc.represent(tx, r)
		if err != nil {
			return err
		}
		content, err := file.Reader()
		if err != nil {
			return err
		}
		if err := d.store.Put(ctx, file.SHA256, content, file.Size); err != nil {
			return err
		}
		v := versionRow{ID: uuid.Must(uuid.NewV7()), DeliverableID: id, Filename: file.Name, MediaType: file.MediaType,
			Size: file.Size, SHA256: file.SHA256, Note: note, UploadedBy: label(actor.From(ctx))}
		if err := tx.Raw(`SELECT coalesce(max(number), 0) + 1 FROM document_versions WHERE deliverable_id = ?`, id).
			Scan(&v.Number).Error; err != nil {
			return fmt.Errorf("number version of deliverable %s: %w", id, err)
		}
		if err := tx.Omit("UploadedAt").Create(&v).Error; err != nil {
			return fmt.Errorf("record version of deliverable %s: %w", id, err)
		}
		if err := tx.Model(&row{}).Where("id = ?", id).Updates(map[string]any{"version": r.Version + 1,
			"updated_at": gorm.Expr("now()")}).Error; err != nil {
			return fmt.Errorf("record upload to deliverable %s: %w", id, err)
		}
		after, err := d.svc.load(tx, id)
		if err != nil {
			return err
		}
		out = *after.LatestVersion
		return audit.Record(ctx, tx, audit.Change{Action: "deliverable.upload", ResourceType: "deliverable",
			ResourceID: id.String(), Before: d.svc.snapshot(before), After: d.svc.snapshot(after)})
	})
	return out, err
}

// List returns the versions of deliverable id, newest first.
//
// Errors: NotFound.
func (d *Documents) List(ctx context.Context, id uuid.UUID) ([]Version, error) {
	return children(d.db.Conn(ctx), id, "number DESC", "versions", versionRow.version)
}

// Open returns version versionID of deliverable id and a reader of its bytes, which the caller
// closes.
//
// Errors: NotFound.
func (d *Documents) Open(ctx context.Context, id, versionID uuid.UUID) (Version, io.ReadSeekCloser, error) {
	r, err := database.Take[versionRow](d.db.Conn(ctx), database.NoLock,
		"document version "+versionID.String()+" of deliverable "+id.String(), "id = ? AND deliverable_id = ?", versionID, id)
	if err != nil {
		return Version{}, nil, err
	}
	content, size, err := d.store.Open(ctx, r.SHA256)
	if err != nil {
		return Version{}, nil, fmt.Errorf("open version %s: %w", versionID, err)
	}
	if size != r.Size {
		_ = content.Close()
		return Version{}, nil, fmt.Errorf("open version %s: stored %d bytes, expected %d", versionID, size, r.Size)
	}
	return r.version(), content, nil
}
