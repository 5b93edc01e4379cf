// Package documents keeps uploaded documents: it receives a file (spooled, hashed, its type
// detected from its bytes), stores its bytes content-addressed behind a Store, and serves them
// back. Deliverables' document versions and coordination sessions' minutes share it.
package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// Store keeps the bytes of documents, content-addressed by their SHA-256 (lower-case hex): the
// same bytes are stored once however many records carry them. Records keep only the key, so a store (PostgreSQL, an S3-compatible bucket) can replace another without touching the
// handlers or the metadata.
type Store interface {
	// Put stores size bytes read from r under sha256, unless the store has them already. It
	// fails, storing nothing, when r does not hold exactly size bytes hashing to sha256. Called
	// with a transaction in ctx, a store that can join it (PostgreSQL) does, so that the bytes
	// and the record that refers to them commit together.
	Put(ctx context.Context, sha256 string, r io.Reader, size int64) error
	// Open returns a reader of the bytes stored under sha256 and their size. The reader fetches
	// what is read, when it is read, so serving a range costs that range only. The caller closes
	// it.
	//
	// Errors: NotFound.
	Open(ctx context.Context, sha256 string) (io.ReadSeekCloser, int64, error)
}

// PostgresStore keeps documents in table document_blobs. Its content column is stored EXTERNAL
// (out of line, uncompressed), so substring() reads only the chunks a range covers.
type PostgresStore struct {
	db *database.DB
	// chunk is how many bytes one statement carries, each way.
	chunk int
}

// pgChunk bounds what one statement sends or fetches: large enough to keep round trips few,
// small enough that no statement holds a whole document in memory.
const pgChunk = 1 << 20

// NewPostgresStore returns the PostgreSQL store over db.
func NewPostgresStore(db *database.DB) *PostgresStore { return &PostgresStore{db: db, chunk: pgChunk} }

// errCorrupt is a Put whose bytes are not what the caller said; a bug, never the client's fault.
var errCorrupt = errors.New("the bytes do not match their size or checksum")

// Put implements Store. A document of one chunk is inserted as is; a larger one is streamed in
// chunks into a temporary table (session-local, never WAL-logged) and assembled into its row by
// one statement, so neither side holds more than a chunk of it at a time and the row is written
// once. Two uploads of the same bytes at once store one row: the second insert waits for the
// first and then does nothing.
func (s *PostgresStore) Put(ctx context.Context, sum string, r io.Reader, size int64) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		var exists bool
		if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM document_blobs WHERE sha256 = ?)`, sum).Scan(&exists).Error; err != nil {
			return fmt.Errorf("look up blob %s: %w", sum, err)
		}
		if exists {
			return nil
		}
		h := sha256.New()
		in := io.TeeReader(io.LimitReader(r, size+1), h)
		buf := make([]byte, s.chunk)
		var (
			read   int64
			staged bool
			first  []byte
		)
		for n := 0; ; n++ {
			k, err := io.ReadFull(in, buf)
			if k > 0 {
				read += int64(k)
				switch {
				case n == 0:
					first = bytes.Clone(buf[:k])
				case n == 1:
					if err := s.stage(tx, 0, first); err != nil {
						return err
					}
					staged, first = true, nil
					fallthrough
				default:
					if err := s.stage(tx, n, buf[:k]); err != nil {
						return err
					}
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("read document: %w", err)
			}
		}
		if read != size || hex.EncodeToString(h.Sum(nil)) != sum {
			return fmt.Errorf("store blob %s: %w", sum, errCorrupt)
		}
		var err error
		if staged {
			err = tx.Exec(`INSERT INTO document_blobs (sha256, size, content)
				SELECT ?, ?, string_agg(chunk, ''::bytea ORDER BY n) FROM document_blob_chunks
				ON CONFLICT (sha256) DO NOTHING`, sum, size).Error
			if err == nil {
				err = tx.Exec(`DROP TABLE document_blob_chunks`).Error
			}
		} else {
			if first == nil {
				first = []byte{}
			}
			err = tx.Exec(`INSERT INTO document_blobs (sha256, size, content) VALUES (?, ?, ?)
				ON CONFLICT (sha256) DO NOTHING`, sum, size, first).Error
		}
		if err != nil {
			return fmt.Errorf("store blob %s: %w", sum, err)
		}
		return nil
	})
}

// stage appends chunk n of a document being stored to the temporary table, creating the table
// with the first chunk.
func (s *PostgresStore) stage(tx *gorm.DB, n int, chunk []byte) error {
	if n == 0 {
		if err := tx.Exec(`CREATE TEMPORARY TABLE document_blob_chunks (n integer PRIMARY KEY, chunk bytea NOT NULL)
			ON COMMIT DROP`).Error; err != nil {
			return fmt.Errorf("stage document: %w", err)
		}
	}
	if err := tx.Exec(`INSERT INTO document_blob_chunks (n, chunk) VALUES (?, ?)`, n, chunk).Error; err != nil {
		return fmt.Errorf("stage chunk %d of document: %w", n, err)
	}
	return nil
}

// Open implements Store.
func (s *PostgresStore) Open(ctx context.Context, sum string) (io.ReadSeekCloser, int64, error) {
	var size []int64
	if err := s.db.Conn(ctx).Raw(`SELECT size FROM document_blobs WHERE sha256 = ?`, sum).Scan(&size).Error; err != nil {
		return nil, 0, fmt.Errorf("look up blob %s: %w", sum, err)
	}
	if len(size) == 0 {
		return nil, 0, apperr.New(apperr.NotFound, "no stored document has checksum %s", sum)
	}
	return &pgBlob{ctx: ctx, store: s, sum: sum, size: size[0]}, size[0], nil
}

// pgBlob reads a stored document a chunk at a time, fetching a chunk only when a read needs it.
type pgBlob struct {
	ctx    context.Context
	store  *PostgresStore
	sum    string
	size   int64
	off    int64  // where the next Read starts
	buf    []byte // the chunk last fetched
	bufOff int64  // where buf starts
}

func (b *pgBlob) Read(p []byte) (int, error) {
	if b.off >= b.size {
		return 0, io.EOF
	}
	if b.off < b.bufOff || b.off >= b.bufOff+int64(len(b.buf)) {
		var chunk []byte
		// substring counts from 1.
		err := b.store.db.Conn(b.ctx).Raw(`SELECT substring(content FROM ? FOR ?) FROM document_blobs WHERE sha256 = ?`,
			b.off+1, b.store.chunk, b.sum).Row().Scan(&chunk)
		if err != nil {
			return 0, fmt.Errorf("read blob %s at %d: %w", b.sum, b.off, err)
		}
		if len(chunk) == 0 {
			return 0, io.ErrUnexpectedEOF
		}
		b.buf, b.bufOff = chunk, b.off
	}
	n := copy(p, b.buf[b.off-b.bufOff:])
	b.off += int64(n)
	return n, nil
}

func (b *pgBlob) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, errors.New("seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("seek: negative position")
	}
	b.off = offset
	return offset, nil
}

func (b *pgBlob) Close() error {
	b.buf = nil
	return nil
}
