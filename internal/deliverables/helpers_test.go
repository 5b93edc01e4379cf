package deliverables_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

// dlvVersion is a document version as the API renders it.
type dlvVersion struct {
	ID            string  `json:"id"`
	DeliverableID string  `json:"deliverable_id"`
	Number        int     `json:"number"`
	Filename      string  `json:"filename"`
	MediaType     string  `json:"media_type"`
	Size          int64   `json:"size"`
	SHA256        string  `json:"sha256"`
	Note          *string `json:"note"`
	UploadedBy    string  `json:"uploaded_by"`
	UploadedAt    string  `json:"uploaded_at"`
}

type dlvText struct {
	Es *string `json:"es,omitempty"`
	En *string `json:"en,omitempty"`
}

// dlvDeliverable is a deliverable as the API renders it.
type dlvDeliverable struct {
	ID            string      `json:"id"`
	ActionID      *string     `json:"action_id"`
	Code          string      `json:"code"`
	Type          string      `json:"type"`
	Title         dlvText     `json:"title"`
	Description   *dlvText    `json:"description"`
	OwnerUnitID   *string     `json:"owner_unit_id"`
	DueDate       *string     `json:"due_date"`
	Status        string      `json:"status"`
	Overdue       bool        `json:"overdue"`
	FunctionIDs   []string    `json:"function_ids"`
	PracticeIDs   []string    `json:"practice_ids"`
	EventIDs      []string    `json:"event_ids"`
	GapIDs        []string    `json:"gap_ids"`
	LatestVersion *dlvVersion `json:"latest_version"`
	Demo          bool        `json:"demo"`
	Version       int64       `json:"version"`
	ArchivedAt    *string     `json:"archived_at"`
}

// dlvWorld is what deliverables refer to, created through the API: an action, the ASN with two
// units below it and a unit elsewhere, a function, a practice, an event and a data gap.
type dlvWorld struct {
	env                                  *apitest.Env
	admin                                string
	action                               string
	asn, pim, ssn, con                   string // institutions; PIM and SSN are below ASN, CON is not
	function, practice, event, gap, gap2 string
}

func dlvNewWorld(t *testing.T) *dlvWorld {
	t.Helper()
	return dlvWorldIn(t, apitest.New(t))
}

func dlvWorldIn(t *testing.T, env *apitest.Env) *dlvWorld {
	t.Helper()
	w := &dlvWorld{env: env, admin: env.AdminToken(t)}
	inst := func(code, kind string, parent *string) string {
		body := map[string]any{"code": code, "name": map[string]any{"es": "Unidad " + code}, "kind": kind, "tier": "national"}
		if parent != nil {
			body["parent_id"] = *parent
		}
		return w.create(t, "/v1/institutions", body)
	}
	dgpca := inst("PE-MRE-DGPCA", "directorate_general", nil)
	w.asn = inst("PE-MRE-DGPCA-ASN", "directorate", &dgpca)
	w.pim = inst("PE-MRE-DGPCA-ASN-PIM", "department", &w.asn)
	w.ssn = inst("PE-MRE-DGPCA-ASN-SSN", "sub_directorate", &w.asn)
	w.con = inst("PE-MRE-DGPCA-CON", "directorate", &dgpca)
	w.action = w.create(t, "/v1/actions", map[string]any{"code": "EUDIF-CDL-PE-2022", "title": map[string]any{"en": "The action"},
		"start_date": "2022-10-01", "end_date": "2023-07-31"})
	w.function = w.create(t, "/v1/functions", map[string]any{"code": "F-ASN-16", "title": map[string]any{"en": "Compile data"},
		"category": "data_research"})
	w.practice = w.create(t, "/v1/practices", map[string]any{"code": "PE-MTIGM", "title": map[string]any{"en": "MTIGM"},
		"scope": "national", "country": "PE", "type": "institutional_framework"})
	w.event = w.create(t, "/v1/events", map[string]any{"code": "PE-TALLER-PARES-2023", "type": "peer_learning_workshop",
		"title": map[string]any{"en": "Workshop"}, "start_date": "2023-05-16"})
	w.gap = w.create(t, "/v1/data-gaps", map[string]any{"code": "GAP-ONE", "description": map[string]any{"en": "One"}, "priority": "high"})
	w.gap2 = w.create(t, "/v1/data-gaps", map[string]any{"code": "GAP-TWO", "description": map[string]any{"en": "Two"}, "priority": "low"})
	return w
}

// create posts body to path as admin and returns the new record's id.
func (w *dlvWorld) create(t *testing.T, path string, body map[string]any) string {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: path, Token: w.admin, Body: body})
	if res.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, res.Status, res.Body)
	}
	return res.JSON(t)["id"].(string)
}

// token is a caller with role, belonging to institution (nil for none).
func (w *dlvWorld) token(t *testing.T, role actor.Role, institution *string) string {
	t.Helper()
	c := apitest.Caller{Roles: []actor.Role{role}}
	if institution != nil {
		id := uuid.MustParse(*institution)
		c.InstitutionID = &id
	}
	return w.env.Token(t, c)
}

// body is a valid new deliverable owned by owner.
func (w *dlvWorld) body(code, owner string) map[string]any {
	return map[string]any{"code": code, "type": "stocktaking_report", "title": map[string]any{"es": "Informe " + code},
		"owner_unit_id": owner, "due_date": "2030-01-31"}
}

func (w *dlvWorld) post(t *testing.T, token string, body map[string]any) apitest.Response {
	t.Helper()
	return w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables", Token: token, Body: body})
}

// deliverable creates a deliverable as admin.
func (w *dlvWorld) deliverable(t *testing.T, body map[string]any) dlvDeliverable {
	t.Helper()
	res := w.post(t, w.admin, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create deliverable %v: %d %s", body["code"], res.Status, res.Body)
	}
	var out dlvDeliverable
	res.Decode(t, &out)
	return out
}

func (w *dlvWorld) get(t *testing.T, id string) (dlvDeliverable, apitest.Response) {
	t.Helper()
	res := w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + id, Token: w.admin})
	if res.Status != http.StatusOK {
		t.Fatalf("get deliverable %s: %d %s", id, res.Status, res.Body)
	}
	var out dlvDeliverable
	res.Decode(t, &out)
	return out, res
}

func (w *dlvWorld) patch(t *testing.T, token, id string, body any, header map[string]string) apitest.Response {
	t.Helper()
	return w.env.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/deliverables/" + id, Token: token, Body: body,
		ContentType: "application/merge-patch+json", Header: header})
}

// move asks for a transition of deliverable id.
func (w *dlvWorld) move(t *testing.T, token, id string, body map[string]any, header map[string]string) apitest.Response {
	t.Helper()
	return w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + id + "/transitions", Token: token,
		Body: body, Header: header})
}

// moveOK moves deliverable id to status to as admin, failing the test otherwise.
func (w *dlvWorld) moveOK(t *testing.T, id, to string) dlvDeliverable {
	t.Helper()
	res := w.move(t, w.admin, id, map[string]any{"to": to, "comment": "to " + to}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("move %s to %s: %d %s", id, to, res.Status, res.Body)
	}
	var out dlvDeliverable
	res.Decode(t, &out)
	return out
}

// dlvPath moves a new deliverable along statuses as admin; dlvPaths name the way to each status.
var dlvPaths = map[string][]string{
	"planned":           nil,
	"in_progress":       {"in_progress"},
	"in_review":         {"in_progress", "in_review"},
	"changes_requested": {"in_progress", "in_review", "changes_requested"},
	"approved":          {"in_progress", "in_review", "approved"},
	"published":         {"in_progress", "in_review", "approved", "published"},
}

// inStatus creates a deliverable owned by owner and brings it to status.
func (w *dlvWorld) inStatus(t *testing.T, code, owner, status string) dlvDeliverable {
	t.Helper()
	d := w.deliverable(t, w.body(code, owner))
	for _, to := range dlvPaths[status] {
		d = w.moveOK(t, d.ID, to)
	}
	return d
}

// dlvPart is one part of a multipart upload.
type dlvPart struct {
	name, filename, contentType string
	body                        []byte
}

// dlvMultipart encodes parts as a multipart/form-data body and returns it with its content type.
func dlvMultipart(t *testing.T, parts ...dlvPart) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			disp += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		pw, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write(p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// upload sends file (named filename) with an optional note as a new version of deliverable id.
func (w *dlvWorld) upload(t *testing.T, token, id, filename string, file []byte, note string) apitest.Response {
	t.Helper()
	parts := []dlvPart{{name: "file", filename: filename, contentType: "application/octet-stream", body: file}}
	if note != "" {
		parts = append(parts, dlvPart{name: "note", body: []byte(note)})
	}
	body, ct := dlvMultipart(t, parts...)
	return w.env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + id + "/versions", Token: token,
		Body: body, ContentType: ct})
}

// uploadOK uploads as admin, failing the test unless the version is created.
func (w *dlvWorld) uploadOK(t *testing.T, id, filename string, file []byte) dlvVersion {
	t.Helper()
	res := w.upload(t, w.admin, id, filename, file, "")
	if res.Status != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", filename, res.Status, res.Body)
	}
	var v dlvVersion
	res.Decode(t, &v)
	return v
}

// download fetches the content of version v of deliverable id with header.
func (w *dlvWorld) download(t *testing.T, id, v string, header map[string]string) apitest.Response {
	t.Helper()
	return w.env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + id + "/versions/" + v + "/content",
		Token: w.admin, Header: header})
}

// dlvEvent is an audit event as stored.
type dlvEvent struct {
	Action       string
	ResourceType string
	Before       json.RawMessage
	After        json.RawMessage
}

// dlvEvents are the audit events of a resource, oldest first; only those of action when given.
func dlvEvents(t *testing.T, env *apitest.Env, resourceID string, action ...string) []dlvEvent {
	t.Helper()
	q := env.DB.Conn(context.Background()).Table("audit_events").Select("action, resource_type, before, after").
		Where("resource_id = ?", resourceID)
	if len(action) > 0 {
		q = q.Where("action IN ?", action)
	}
	var out []dlvEvent
	if err := q.Order("occurred_at, id").Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// dlvWantField fails t unless problem names field among its errors.
func dlvWantField(t *testing.T, problem map[string]any, field string) {
	t.Helper()
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Errorf("no error for field %s in %v", field, problem)
}

// dlvPDF is a minimal PDF of about size bytes (padded with a comment).
func dlvPDF(size int) []byte {
	head := "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
	tail := "trailer << /Root 1 0 R >>\n%%EOF\n"
	pad := max(size-len(head)-len(tail), 0)
	b := []byte(head)
	for i := range pad {
		if i%80 == 0 {
			b = append(b, '%')
		} else if i%80 == 79 {
			b = append(b, '\n')
		} else {
			b = append(b, byte('a'+i%26))
		}
	}
	return append(b, tail...)
}

// dlvZip builds a zip archive of files, in order; stored (uncompressed) entries when store.
func dlvZip(t *testing.T, store bool, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		method := zip.Deflate
		if store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dlvDOCX is a minimal Word document: the parts a WordprocessingML package needs.
func dlvDOCX(t *testing.T) []byte {
	t.Helper()
	return dlvZip(t, false,
		[2]string{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		[2]string{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Informe</w:t></w:r></w:p></w:body></w:document>`})
}

// dlvODT is a minimal OpenDocument text: its mimetype entry first and stored, as the format
// requires, then its content and manifest.
func dlvODT(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("application/vnd.oasis.opendocument.text")); err != nil {
		t.Fatal(err)
	}
	for _, f := range [][2]string{
		{"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>Informe</text:p></office:text></office:body></office:document-content>`},
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
	} {
		fw, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dlvPNG is a 1×1 PNG.
var dlvPNG = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
	0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d,
	0xb4, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82}

// dlvEXE is the start of a Windows executable (an MZ header pointing at a PE signature).
func dlvEXE() []byte {
	b := make([]byte, 512)
	copy(b, "MZ")
	b[0x3c] = 0x80
	copy(b[0x80:], "PE\x00\x00")
	b[0x84], b[0x85] = 0x4c, 0x01 // i386
	return b
}

const dlvMarkdown = "# Informe de inventario\n\nLa diáspora peruana: **más de 3 millones** de personas.\n\n- Brecha 1\n- Brecha 2\n"
