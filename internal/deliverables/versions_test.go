package deliverables_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
)

func dlvSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Each accepted type is detected from the bytes, whatever the part's Content-Type says, stored
// with its checksum and numbered in turn.
func TestDocumentUploadTypes(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	d := w.deliverable(t, w.body("DLV-DOCS", w.pim))
	editor := w.token(t, actor.Editor, &w.asn)

	files := []struct {
		filename, partType string
		body               []byte
		media              string
	}{
		{"informe.pdf", "image/png", dlvPDF(2000), "application/pdf"},
		{"informe.docx", "application/octet-stream", dlvDOCX(t), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"informe.odt", "", dlvODT(t), "application/vnd.oasis.opendocument.text"},
		{"informe.md", "text/plain", []byte(dlvMarkdown), "text/markdown"},
		{"NOTAS.Markdown", "text/markdown", []byte("plain ascii notes\n"), "text/markdown"},
		// A Word document named as something else is still a Word document.
		{"informe.pdf", "application/pdf", dlvDOCX(t), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	}
	for i, f := range files {
		body, ct := dlvMultipart(t, dlvPart{name: "note", body: []byte("Versión " + strconv.Itoa(i+1))},
			dlvPart{name: "file", filename: f.filename, contentType: f.partType, body: f.body})
		res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + d.ID + "/versions", Token: editor,
			Body: body, ContentType: ct})
		if res.Status != http.StatusCreated {
			t.Fatalf("%s: %d %s", f.filename, res.Status, res.Body)
		}
		var v dlvVersion
		res.Decode(t, &v)
		if v.Number != i+1 || v.MediaType != f.media || v.Size != int64(len(f.body)) || v.SHA256 != dlvSum(f.body) ||
			v.Filename != f.filename || v.DeliverableID != d.ID || v.Note == nil || *v.Note != "Versión "+strconv.Itoa(i+1) ||
			!strings.HasPrefix(v.UploadedBy, "tester-") {
			t.Errorf("%s: %+v", f.filename, v)
		}
		if res.Header.Get("ETag") != `"`+v.SHA256+`"` ||
			res.Header.Get("Location") != "/v1/deliverables/"+d.ID+"/versions/"+v.ID+"/content" {
			t.Errorf("%s: ETag %q, Location %q", f.filename, res.Header.Get("ETag"), res.Header.Get("Location"))
		}
	}

	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + d.ID + "/versions", Token: w.admin})
	var list struct {
		Items []dlvVersion `json:"items"`
	}
	res.Decode(t, &list)
	var numbers []int
	for _, v := range list.Items {
		numbers = append(numbers, v.Number)
	}
	if !slices.Equal(numbers, []int{6, 5, 4, 3, 2, 1}) {
		t.Errorf("versions newest first: %v", numbers)
	}
	got, getRes := w.get(t, d.ID)
	if got.LatestVersion == nil || got.LatestVersion.Number != 6 || got.LatestVersion.ID != list.Items[0].ID {
		t.Errorf("latest version %+v", got.LatestVersion)
	}
	// Each upload changed the deliverable (its latest version), so its ETag moved on.
	if got.Version != 7 || getRes.Header.Get("ETag") != `"7"` {
		t.Errorf("deliverable version %d after six uploads", got.Version)
	}
	page := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables?code=DLV-DOCS", Token: w.admin}).JSON(t)
	if lv := page["items"].([]any)[0].(map[string]any)["latest_version"].(map[string]any); lv["number"].(float64) != 6 {
		t.Errorf("list's latest version %v", lv)
	}

	// The same bytes twice are stored once: the two DOCX versions share one blob.
	if n := env.Count(t, "document_blobs", "true"); n != 5 {
		t.Errorf("%d blobs for 5 distinct files", n)
	}
	if n := env.Count(t, "document_versions", "sha256 = ?", dlvSum(files[1].body)); n != 2 {
		t.Errorf("%d versions of the DOCX", n)
	}
	var stored []byte
	if err := env.DB.Conn(t.Context()).Raw(`SELECT content FROM document_blobs WHERE sha256 = ?`, dlvSum(files[0].body)).
		Row().Scan(&stored); err != nil || !bytes.Equal(stored, files[0].body) {
		t.Errorf("stored PDF differs (%v)", err)
	}

	// Every upload is audited with its metadata, never its bytes.
	uploads := dlvEvents(t, env, d.ID, "deliverable.upload")
	if len(uploads) != len(files) {
		t.Fatalf("%d uploads audited", len(uploads))
	}
	var after dlvDeliverable
	if err := json.Unmarshal(uploads[0].After, &after); err != nil || after.LatestVersion == nil ||
		after.LatestVersion.SHA256 != dlvSum(files[0].body) || after.LatestVersion.Filename != "informe.pdf" {
		t.Errorf("upload audited as %s", uploads[0].After)
	}
	if bytes.Contains(uploads[0].After, []byte("%PDF")) {
		t.Error("the audit trail holds the file's bytes")
	}
}

// Files of other types, empty or too large, and requests that are not multipart uploads are
// refused with a problem, and nothing is written.
func TestDocumentUploadRefusals(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	env := w.env
	d := w.deliverable(t, w.body("DLV-REFUSED", w.pim))
	archived := w.deliverable(t, w.body("DLV-ARCHIVED", w.pim))
	if res := env.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/v1/deliverables/" + archived.ID, Token: w.admin}); res.Status != 204 {
		t.Fatal(res.Status)
	}
	zipOnly := dlvZip(t, false, [2]string{"data.csv", "a,b\n1,2\n"}, [2]string{"readme.txt", "hello"})
	big := dlvPDF(int(env.Config.MaxUploadBytes) + 10)
	invalidUTF8 := append([]byte(strings.Repeat("# Título\n", 600)), 0xff, 0xfe, '\n')
	binaryLate := append([]byte(strings.Repeat("texto ", 1000)), 0x00, 'x')

	for _, c := range []struct {
		name, id, filename string
		file               []byte
		status             int
		detail             string
	}{
		{"a PNG named .pdf", d.ID, "informe.pdf", dlvPNG, 415, "image/png"},
		{"an executable", d.ID, "informe.pdf", dlvEXE(), 415, "only PDF, DOCX, ODT and Markdown"},
		{"a ZIP that is no document", d.ID, "informe.docx", zipOnly, 415, "application/zip"},
		{"text not named Markdown", d.ID, "informe.txt", []byte(dlvMarkdown), 415, "Markdown"},
		{"Markdown that is not UTF-8", d.ID, "informe.md", invalidUTF8, 415, "UTF-8"},
		{"Markdown with binary bytes past its start", d.ID, "informe.md", binaryLate, 415, "UTF-8"},
		{"an empty file", d.ID, "informe.pdf", []byte{}, 422, "empty"},
		{"a file over the limit", d.ID, "informe.pdf", big, 413, ""},
		{"an unknown deliverable", uuid.NewString(), "informe.pdf", dlvPDF(100), 404, ""},
		{"an archived deliverable", archived.ID, "informe.pdf", dlvPDF(100), 409, "archived"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			p := apitest.Problem(t, w.upload(t, w.admin, c.id, c.filename, c.file, "a note"), c.status)
			if detail, _ := p["detail"].(string); !strings.Contains(detail, c.detail) {
				t.Errorf("detail %q, want it to mention %q", detail, c.detail)
			}
			env.Unchanged(t, before)
		})
	}

	post := func(token, contentType string, body []byte) apitest.Response {
		return env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/deliverables/" + d.ID + "/versions", Token: token,
			Body: body, ContentType: contentType})
	}
	noFile, noFileType := dlvMultipart(t, dlvPart{name: "note", body: []byte("only a note")})
	twoFiles, twoFilesType := dlvMultipart(t, dlvPart{name: "file", filename: "a.pdf", body: dlvPDF(100)},
		dlvPart{name: "file", filename: "b.pdf", body: dlvPDF(200)})
	unknownPart, unknownPartType := dlvMultipart(t, dlvPart{name: "file", filename: "a.pdf", body: dlvPDF(100)},
		dlvPart{name: "owner", body: []byte("me")})
	longNote, longNoteType := dlvMultipart(t, dlvPart{name: "file", filename: "a.pdf", body: dlvPDF(100)},
		dlvPart{name: "note", body: bytes.Repeat([]byte("ñ"), 2001)})
	truncated, truncatedType := dlvMultipart(t, dlvPart{name: "file", filename: "a.pdf", body: dlvPDF(100)})
	truncated = truncated[:len(truncated)-20]
	editorElsewhere := w.token(t, actor.Editor, &w.ssn)
	viewer := w.token(t, actor.Viewer, &w.pim)
	okBody, okType := dlvMultipart(t, dlvPart{name: "file", filename: "a.pdf", body: dlvPDF(100)})
	for _, c := range []struct {
		name, token, contentType string
		body                     []byte
		status                   int
	}{
		{"a JSON body", w.admin, "application/json", []byte(`{"file": "JVBERi0="}`), 415},
		{"the PDF itself", w.admin, "application/pdf", dlvPDF(100), 415},
		{"no file part", w.admin, noFileType, noFile, 400},
		{"two files", w.admin, twoFilesType, twoFiles, 400},
		{"an unknown part", w.admin, unknownPartType, unknownPart, 400},
		{"a note over 2000 characters", w.admin, longNoteType, longNote, 400},
		{"a truncated body", w.admin, truncatedType, truncated, 400},
		{"an editor outside the owner's subtree", editorElsewhere, okType, okBody, 403},
		{"a viewer", viewer, okType, okBody, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := env.Fingerprint(t)
			apitest.Problem(t, post(c.token, c.contentType, c.body), c.status)
			env.Unchanged(t, before)
		})
	}

	// A body over the limit sent without a Content-Length (chunked) is cut off while it is read.
	before := env.Fingerprint(t)
	body, ct := dlvMultipart(t, dlvPart{name: "file", filename: "big.pdf", body: big})
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/v1/deliverables/"+d.ID+"/versions", io.MultiReader(bytes.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.admin)
	req.Header.Set("Content-Type", ct)
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("chunked upload over the limit: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	env.Unchanged(t, before)
}

// Concurrent uploads to one deliverable get distinct numbers.
func TestDocumentConcurrentUploads(t *testing.T) {
	t.Parallel()
	w := dlvNewWorld(t)
	d := w.deliverable(t, w.body("DLV-RACE", w.pim))
	const n = 8
	numbers := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			numbers[i] = w.uploadOK(t, d.ID, fmt.Sprintf("v%d.pdf", i), dlvPDF(200+i)).Number
		})
	}
	wg.Wait()
	slices.Sort(numbers)
	if !slices.Equal(numbers, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("numbers %v", numbers)
	}
	// The same bytes uploaded at once are stored once.
	same := dlvPDF(5000)
	other := w.deliverable(t, w.body("DLV-RACE-2", w.pim))
	for _, id := range []string{d.ID, other.ID, d.ID, other.ID} {
		wg.Go(func() { w.uploadOK(t, id, "same.pdf", same) })
	}
	wg.Wait()
	if got := w.env.Count(t, "document_blobs", "sha256 = ?", dlvSum(same)); got != 1 {
		t.Errorf("%d blobs of the same bytes", got)
	}
	if got := w.env.Count(t, "document_versions", "sha256 = ?", dlvSum(same)); got != 4 {
		t.Errorf("%d versions of the same bytes", got)
	}
}

func TestDocumentDownload(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.MaxUploadBytes = 4 << 20
	w := dlvWorldIn(t, apitest.NewWith(t, cfg))
	env := w.env
	d := w.deliverable(t, w.body("DLV-DOWNLOAD", w.pim))
	other := w.deliverable(t, w.body("DLV-ELSEWHERE", w.pim))
	// Larger than the store's 1 MiB chunk, so ranges cross chunk boundaries.
	pdf := dlvPDF(2_600_000)
	v := w.uploadOK(t, d.ID, "Informe de diagnóstico «final» 2023.pdf", pdf)
	md := w.uploadOK(t, d.ID, "notes.md", []byte(dlvMarkdown))

	res := w.download(t, d.ID, v.ID, nil)
	if res.Status != http.StatusOK || !bytes.Equal(res.Body, pdf) {
		t.Fatalf("whole download: %d, %d bytes", res.Status, len(res.Body))
	}
	want := map[string]string{
		"Content-Type":        "application/pdf",
		"Content-Length":      strconv.Itoa(len(pdf)),
		"ETag":                `"` + dlvSum(pdf) + `"`,
		"Accept-Ranges":       "bytes",
		"Content-Disposition": `attachment; filename="Informe de diagn_stico _final_ 2023.pdf"; filename*=UTF-8''Informe%20de%20diagn%C3%B3stico%20%C2%ABfinal%C2%BB%202023.pdf`,
	}
	for h, v := range want {
		if got := res.Header.Get(h); got != v {
			t.Errorf("%s: %q, want %q", h, got, v)
		}
	}
	res = w.download(t, d.ID, md.ID, nil)
	if res.Header.Get("Content-Type") != "text/markdown; charset=utf-8" || string(res.Body) != dlvMarkdown ||
		res.Header.Get("Content-Disposition") != `attachment; filename="notes.md"` {
		t.Errorf("Markdown download: %v %q", res.Header, res.Body)
	}

	size := len(pdf)
	for _, c := range []struct {
		rng        string
		start, end int // inclusive
	}{
		{"bytes=0-9", 0, 9},
		{"bytes=1048570-1048600", 1048570, 1048600}, // across the first chunk boundary
		{"bytes=2097000-", 2097000, size - 1},
		{"bytes=-100", size - 100, size - 1},
		{"bytes=1000-1000", 1000, 1000},
		{fmt.Sprintf("bytes=%d-%d", size-5, size+1000), size - 5, size - 1}, // clipped to the end
	} {
		t.Run(c.rng, func(t *testing.T) {
			res := w.download(t, d.ID, v.ID, map[string]string{"Range": c.rng})
			if res.Status != http.StatusPartialContent {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
			if !bytes.Equal(res.Body, pdf[c.start:c.end+1]) {
				t.Errorf("bytes differ: got %d bytes", len(res.Body))
			}
			if cr := res.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", c.start, c.end, size) {
				t.Errorf("Content-Range %q", cr)
			}
			if res.Header.Get("ETag") != `"`+dlvSum(pdf)+`"` || res.Header.Get("Content-Length") != strconv.Itoa(c.end-c.start+1) {
				t.Errorf("headers %v", res.Header)
			}
		})
	}

	// Bytes are fetched as they are sent, a 1 MiB chunk a statement: a small range costs one
	// fetch, the whole 2.6 MB file three.
	queries := func(header map[string]string) int64 {
		before := env.DB.Queries()
		w.download(t, d.ID, v.ID, header)
		return env.DB.Queries() - before
	}
	if whole, part := queries(nil), queries(map[string]string{"Range": "bytes=2097000-2097100"}); whole-part != 2 {
		t.Errorf("the whole file costs %d statements, a range within one chunk %d", whole, part)
	}

	// A range outside the file is a 416 problem that says the file's size.
	res = w.download(t, d.ID, v.ID, map[string]string{"Range": fmt.Sprintf("bytes=%d-", size)})
	apitest.Problem(t, res, http.StatusRequestedRangeNotSatisfiable)
	if cr := res.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes */%d", size) {
		t.Errorf("416 Content-Range %q", cr)
	}
	// A range of another unit is ignored, as RFC 9110 requires: the whole file. One of bytes
	// that is not a range is refused.
	if res := w.download(t, d.ID, v.ID, map[string]string{"Range": "lines=1-2"}); res.Status != 200 || len(res.Body) != size {
		t.Errorf("range of lines: %d, %d bytes", res.Status, len(res.Body))
	}
	if res := w.download(t, d.ID, v.ID, map[string]string{"Range": "BYTES=0-1"}); res.Status != 206 || string(res.Body) != "%P" {
		t.Errorf("range in upper case: %d %q", res.Status, res.Body)
	}
	apitest.Problem(t, w.download(t, d.ID, v.ID, map[string]string{"Range": "bytes=ten-"}), http.StatusRequestedRangeNotSatisfiable)

	// A copy still current is not sent again: If-None-Match with the ETag (the SHA-256) is a 304;
	// another ETag gets the file.
	etagOf := `"` + v.SHA256 + `"`
	if res := w.download(t, d.ID, v.ID, map[string]string{"If-None-Match": etagOf}); res.Status != http.StatusNotModified || len(res.Body) != 0 {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", res.Status, len(res.Body))
	}
	if res := w.download(t, d.ID, v.ID, map[string]string{"If-None-Match": `"other"`}); res.Status != http.StatusOK || len(res.Body) != size {
		t.Errorf("If-None-Match with another ETag: %d, %d bytes", res.Status, len(res.Body))
	}

	// Readers may download; a version of another deliverable is not there.
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Token: w.token(t, actor.Viewer, nil),
		Path: "/v1/deliverables/" + d.ID + "/versions/" + md.ID + "/content"})
	if res.Status != http.StatusOK {
		t.Errorf("viewer download: %d", res.Status)
	}
	apitest.Problem(t, w.download(t, other.ID, v.ID, nil), 404)
	apitest.Problem(t, w.download(t, d.ID, uuid.NewString(), nil), 404)
	apitest.Problem(t, env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + uuid.NewString() + "/versions",
		Token: w.admin}), 404)
}
