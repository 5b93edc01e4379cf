package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/puente-mre/puente/internal/testdb"
)

func docHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func docBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// The PostgreSQL store streams a document in chunks, stores the same bytes once, refuses bytes
// that are not what they claim to be, and reads back any range.
func TestDocumentStoreChunks(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	store := &PostgresStore{db: db, chunk: 1000}
	data := docBytes(5500)
	sum := docHash(data)
	// A reader that returns a byte at a time proves Put does not rely on full reads.
	if err := store.Put(ctx, sum, iotest.OneByteReader(bytes.NewReader(data)), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if err := store.Put(ctx, sum, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("storing the same bytes again: %v", err)
	}
	small := []byte("a document of one chunk")
	if err := store.Put(ctx, docHash(small), bytes.NewReader(small), int64(len(small))); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Conn(ctx).Raw(`SELECT count(*) FROM document_blobs`).Scan(&n).Error; err != nil || n != 2 {
		t.Fatalf("%d blobs (%v)", n, err)
	}
	for _, c := range []struct {
		name string
		sum  string
		body []byte
		size int64
	}{
		{"a wrong checksum", docHash([]byte("other")), docBytes(3000), 3000},
		{"fewer bytes than said", docHash(docBytes(3000)), docBytes(2999), 3000},
		{"more bytes than said", docHash(docBytes(3000)), docBytes(3001), 3000},
	} {
		if err := store.Put(ctx, c.sum, bytes.NewReader(c.body), c.size); !errors.Is(err, errCorrupt) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := db.Conn(ctx).Raw(`SELECT count(*) FROM document_blobs`).Scan(&n).Error; err != nil || n != 2 {
		t.Fatalf("%d blobs after refusals (%v)", n, err)
	}

	r, size, err := store.Open(ctx, sum)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("open: %d %v", size, err)
	}
	defer r.Close()
	all, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(all, data) {
		t.Fatalf("read back %d bytes (%v)", len(all), err)
	}
	for _, rg := range [][2]int64{{0, 1}, {999, 1002}, {2500, 5500}, {5499, 5500}, {10, 4000}} {
		if _, err := r.Seek(rg[0], io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, rg[1]-rg[0])
		if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, data[rg[0]:rg[1]]) {
			t.Errorf("range %v: %v", rg, err)
		}
	}
	if end, err := r.Seek(0, io.SeekEnd); err != nil || end != size {
		t.Errorf("seek to end: %d %v", end, err)
	}
	if k, err := r.Read(make([]byte, 1)); k != 0 || err != io.EOF {
		t.Errorf("read at the end: %d %v", k, err)
	}
	if _, _, err := store.Open(ctx, docHash([]byte("never stored"))); err == nil {
		t.Error("opened bytes never stored")
	}
}

// Receive holds the limit itself, whatever limit the HTTP server sets, and tells text from
// Markdown over the whole file, not its start only.
func TestDocumentReceive(t *testing.T) {
	t.Parallel()
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 4991)...)
	f, err := Receive(bytes.NewReader(pdf), "a.pdf", 5000)
	if err != nil || f.Size != 5000 || f.MediaType != MediaPDF || f.SHA256 != docHash(pdf) {
		t.Fatalf("a PDF at the limit: %+v %v", f, err)
	}
	_ = f.Close()
	var refusal *Refusal
	if _, err := Receive(bytes.NewReader(append(pdf, 'x')), "a.pdf", 5000); !errors.As(err, &refusal) || !refusal.TooLarge {
		t.Errorf("a byte over the limit: %v", err)
	}

	// Characters cut between reads are still whole characters.
	text := strings.Repeat("Ñandú — «diáspora» 🇵🇪\n", 150)
	f, err = Receive(iotest.OneByteReader(strings.NewReader(text)), "notas.md", 1<<20)
	if err != nil || f.MediaType != MediaMarkdown {
		t.Fatalf("Markdown read a byte at a time: %v", err)
	}
	_ = f.Close()
	for _, c := range []struct{ name, body string }{
		{"a character cut at the end", text + "\xe2\x82"},
		{"invalid UTF-8 past the start", text + "\xc3\x28 más"},
		{"a NUL past the start", text + "\x00"},
	} {
		if _, err := Receive(strings.NewReader(c.body), "notas.md", 1<<20); !errors.As(err, &refusal) || refusal.TooLarge {
			t.Errorf("%s: %v", c.name, err)
		}
	}

	// A file larger than what a spool keeps in memory goes to a temporary file, removed on Close.
	data := append([]byte("%PDF-1.4\n"), docBytes(2<<20)...)
	f, err = Receive(bytes.NewReader(data), "big.pdf", 3<<20)
	if err != nil || f.spool.file == nil {
		t.Fatalf("a 2 MiB file: %v, spooled to a file: %v", err, f != nil && f.spool.file != nil)
	}
	name := f.spool.file.Name()
	content, err := f.spool.reader()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(content); !bytes.Equal(got, data) {
		t.Error("spooled bytes differ")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); err == nil {
		t.Errorf("%s left behind", name)
	}
}

func TestDocumentFileName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ñ", 200) + ".docx"
	for _, c := range []struct{ in, media, want string }{
		{"informe.pdf", MediaPDF, "informe.pdf"},
		{"  infor\x00me\n.pdf ", MediaPDF, "informe.pdf"},
		{"", MediaODT, "document.odt"},
		{"\x07", MediaDOCX, "document.docx"},
		{long, MediaDOCX, strings.Repeat("ñ", 125) + ".docx"},
	} {
		if got := fileName(c.in, c.media); got != c.want || len(got) > maxFileName {
			t.Errorf("fileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"informe.pdf", `attachment; filename="informe.pdf"`},
		{`a "quoted" 100%.pdf`, `attachment; filename="a _quoted_ 100_.pdf"; filename*=UTF-8''a%20%22quoted%22%20100%25.pdf`},
		{"diagnóstico.pdf", `attachment; filename="diagn_stico.pdf"; filename*=UTF-8''diagn%C3%B3stico.pdf`},
	} {
		if got := Disposition(c.in); got != c.want {
			t.Errorf("Disposition(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
