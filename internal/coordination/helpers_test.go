package coordination_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"testing"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// crdEnv is a running Puente with an admin token, for the coordination tests.
type crdEnv struct {
	*apitest.Env
	admin string
}

func crdNew(t *testing.T) crdEnv {
	t.Helper()
	env := apitest.New(t)
	return crdEnv{Env: env, admin: env.AdminToken(t)}
}

// do sends a request as the admin; a PATCH is a JSON merge patch.
func (e crdEnv) do(t *testing.T, method, path string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return e.Send(t, method, e.admin, path, body, header)
}

// create posts body to path, wants 201 with the record's Location and first ETag, and returns
// the record.
func (e crdEnv) create(t *testing.T, path string, body any) map[string]any {
	t.Helper()
	return apitest.Create[map[string]any](t, e.Env, e.admin, path, body)
}

// institution creates an institution and returns its id.
func (e crdEnv) institution(t *testing.T, code string) string {
	t.Helper()
	return e.create(t, "/v1/institutions", map[string]any{"code": code, "name": map[string]string{"es": "Institución " + code},
		"kind": "ministry", "tier": "national", "country": "PE"})["id"].(string)
}

// items lists path and returns its items and next page token.
func (e crdEnv) items(t *testing.T, path string) ([]map[string]any, string) {
	t.Helper()
	p, _ := apitest.Get[apitest.Page[map[string]any]](t, e.Env, e.admin, path)
	return p.Items, p.NextPageToken
}

// codes lists path and returns the values of field of its items.
func (e crdEnv) field(t *testing.T, path, field string) []string {
	t.Helper()
	items, _ := e.items(t, path)
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it[field].(string)
	}
	return out
}

// refused sends a request that must be refused with status, changing nothing, and returns the
// problem.
func (e crdEnv) refused(t *testing.T, method, path string, body any, header map[string]string, status int) map[string]any {
	t.Helper()
	before := e.Fingerprint(t)
	p := apitest.Problem(t, e.do(t, method, path, body, header), status)
	e.Unchanged(t, before)
	return p
}

// wantField fails t unless problem p names field among its errors.
func wantField(t *testing.T, p map[string]any, field string) {
	t.Helper()
	errs, _ := p["errors"].([]any)
	for _, x := range errs {
		if m, ok := x.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error on %s: %v", field, p)
}

func (e crdEnv) editorToken(t *testing.T, inst string) string {
	t.Helper()
	id := mustUUID(t, inst)
	return e.Token(t, apitest.Caller{Roles: []actor.Role{actor.Editor}, InstitutionID: &id})
}

// multipartFile is a form with one part named file holding body under name.
func multipartFile(t *testing.T, name string, body []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

func count(t *testing.T, e crdEnv, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.DB.Conn(context.Background()).Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func apitestRequest(method, path, token string, body any) apitest.Request {
	return apitest.Request{Method: method, Path: path, Token: token, Body: body}
}
