// Package idempotency makes POST retries safe. A request carrying an Idempotency-Key runs in one
// transaction together with the record of its answer: either both commit or neither does, and a
// retry with the same key replays the stored answer instead of writing twice. Keys are in the
// database, so they hold across replicas; a concurrent duplicate waits on the key's row lock.
package idempotency

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// TTL is how long a key is remembered.
const TTL = 24 * time.Hour

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag"}

type record struct {
	Owner       string
	Key         string
	RequestHash []byte
	Status      int
	Headers     json.RawMessage `gorm:"type:jsonb"`
	Body        []byte
	CreatedAt   time.Time
}

func (record) TableName() string { return "idempotency_keys" }

// Middleware returns the Echo middleware; skip names requests it leaves alone (streamed bodies
// whose handlers keep their own keys). It must run after authentication (keys belong to the
// caller who sent them) and after request validation (only valid requests claim a key).
func Middleware(db *database.DB, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get(Header)
			a := actor.From(req.Context())
			if req.Method != http.MethodPost || key == "" || a.Kind == actor.Anonymous || skip(c) {
				return next(c)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return fmt.Errorf("read body: %w", err)
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.New()
			fmt.Fprintf(sum, "%s %s\n", req.Method, req.URL.RequestURI())
			sum.Write(body)
			return run(c, db, next, string(a.Kind)+":"+a.ID, key, sum.Sum(nil))
		}
	}
}

func run(c echo.Context, db *database.DB, next echo.HandlerFunc, owner, key string, hash []byte) error {
	req := c.Request()
	ctx, tx, err := db.Begin(req.Context())
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	if err := tx.Exec(`DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at < now() - make_interval(secs => ?)`,
		owner, key, TTL.Seconds()).Error; err != nil {
		return fmt.Errorf("expire idempotency key: %w", err)
	}
	// Claim the key. If another transaction holds it, this blocks until that one ends.
	claim := tx.Exec(`INSERT INTO idempotency_keys (owner, key, request_hash, status, headers, body)
		VALUES (?, ?, ?, 0, '{}', '') ON CONFLICT (owner, key) DO NOTHING`, owner, key, hash)
	if claim.Error != nil {
		return fmt.Errorf("claim idempotency key: %w", claim.Error)
	}
	if claim.RowsAffected == 0 {
		var prior record
		if err := tx.Where("owner = ? AND key = ?", owner, key).Take(&prior).Error; err != nil {
			return fmt.Errorf("load idempotency key: %w", err)
		}
		if !bytes.Equal(prior.RequestHash, hash) {
			return apperr.New(apperr.Unprocessable, "Idempotency-Key %q was already used with a different request", key).
				WithField("header.Idempotency-Key", "reused with another method, path or body")
		}
		return replay(c, prior)
	}

	// Buffer the answer: it must not reach the client before the transaction commits.
	real := c.Response().Writer
	buf := &bufferedWriter{header: real.Header(), status: http.StatusOK}
	c.Response().Writer = buf
	c.SetRequest(req.WithContext(ctx))
	if err := next(c); err != nil {
		c.Error(err)
	}
	c.Response().Writer = real
	status := c.Response().Status
	if status >= 200 && status < 300 {
		headers := map[string]string{}
		for _, h := range replayedHeaders {
			if v := real.Header().Get(h); v != "" {
				headers[h] = v
			}
		}
		hj, _ := json.Marshal(headers)
		err := tx.Model(&record{}).Where("owner = ? AND key = ?", owner, key).
			Updates(map[string]any{"status": status, "headers": hj, "body": buf.body.Bytes()}).Error
		if err == nil {
			err = tx.Commit().Error
		}
		if err != nil {
			for _, h := range replayedHeaders {
				real.Header().Del(h)
			}
			c.Response().Committed = false
			return fmt.Errorf("commit idempotent request: %w", err)
		}
		committed = true
	}
	real.WriteHeader(status)
	_, err = real.Write(buf.body.Bytes())
	return err
}

func replay(c echo.Context, prior record) error {
	var headers map[string]string
	if err := json.Unmarshal(prior.Headers, &headers); err != nil {
		return fmt.Errorf("decode stored headers: %w", err)
	}
	if prior.Status == 0 {
		return errors.New("idempotency key claimed but never answered")
	}
	for k, v := range headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return c.Blob(prior.Status, headers[echo.HeaderContentType], prior.Body)
}

// bufferedWriter holds a response until the transaction behind it commits.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header         { return w.header }
func (w *bufferedWriter) WriteHeader(status int)      { w.status = status }
func (w *bufferedWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
