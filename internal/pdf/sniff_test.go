package pdf_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
)

func jpegImage(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := range 80 {
		for x := range 120 {
			img.Set(x, y, color.RGBA{uint8(2 * x), uint8(3 * y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// onlyReader hides every method but Read, as an HTTP body does.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestSniff(t *testing.T) {
	cert := certificate(t, pdf.SampleCertificate())
	rep := report(t, pdf.SampleReport(300))
	// An incremental update: a second body, xref and %%EOF appended.
	body := "\n99 0 obj\n<< >>\nendobj\n"
	updated := append(bytes.Clone(cert), []byte(body+"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n"+
		strconv.Itoa(len(cert)+len(body))+"\n%%EOF\n")...)
	// A startxref inside the compressed bytes of the first stream.
	inside := bytes.Index(cert, []byte("stream\n")) + 200
	if near := cert[inside-32 : inside+96]; bytes.Contains(near, []byte("obj")) || bytes.Contains(near, []byte("xref")) {
		t.Fatal("pick another offset for the bad startxref")
	}
	sx := bytes.LastIndex(cert, []byte("startxref\n"))
	badXref := append(bytes.Clone(cert[:sx]), []byte("startxref\n"+strconv.Itoa(inside)+"\n%%EOF\n")...)
	for _, c := range []struct {
		name string
		data []byte
		want string // part of the Indonesian message; "" for a PDF
	}{
		{"certificate", cert, ""},
		{"report", rep, ""},
		{"incremental update", updated, ""},
		{"PNG renamed .pdf", pdf.SampleLogo(), "tampaknya gambar PNG"},
		{"JPEG", jpegImage(t), "tampaknya gambar JPEG"},
		{"empty", nil, "Berkas kosong"},
		{"spaces", []byte("  \n "), "Berkas kosong"},
		{"text", []byte("Surat Edaran Nomor 800/123"), "tampaknya teks biasa"},
		{"zip", []byte("PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"), "dokumen Word atau Excel"},
		{"truncated at half", cert[:len(cert)/2], "tidak utuh"},
		{"last bytes cut", cert[:len(cert)-3], "tidak utuh"},
		{"header only", []byte("%PDF-1.7\n"), "tidak utuh"},
		{"unknown version", append([]byte("%PDF-x.y"), cert[8:]...), "versinya"},
		{"startxref past the end", bytes.Replace(cert, []byte("startxref\n"), []byte("startxref\n9"), 1), "tidak utuh"},
	} {
		for _, seek := range []bool{true, false} {
			var r io.Reader = bytes.NewReader(c.data)
			if !seek {
				r = onlyReader{r}
			}
			err := pdf.Sniff(r)
			if c.want == "" {
				if err != nil {
					t.Errorf("%s (seeker %v): %v", c.name, seek, err)
				}
				continue
			}
			var ue *netra.UserError
			if !errors.Is(err, pdf.ErrNotPDF) || !errors.As(err, &ue) {
				t.Errorf("%s (seeker %v): got %v, want a refusal", c.name, seek, err)
				continue
			}
			if !strings.Contains(ue.Msg.ID, c.want) || ue.Msg.EN == "" || ue.Msg.EN == ue.Msg.ID {
				t.Errorf("%s (seeker %v): message %+v, want one that says %q, in both languages", c.name, seek, ue.Msg, c.want)
			}
		}
	}
	// The cross-reference offset is checked when the reader can seek.
	if err := pdf.Sniff(bytes.NewReader(badXref)); !errors.Is(err, pdf.ErrNotPDF) {
		t.Errorf("a startxref that points at no xref: %v", err)
	}
	// A seeker is left where it was, so the caller can store what it sniffed.
	r := bytes.NewReader(cert)
	r.Seek(0, io.SeekStart)
	if err := pdf.Sniff(r); err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, cert) {
		t.Errorf("after Sniff the reader gives %d bytes, want the %d of the file", len(got), len(cert))
	}
	// Read errors are not refusals.
	boom := errors.New("connection reset")
	if err := pdf.Sniff(io.MultiReader(bytes.NewReader(cert[:2000]), errReader{boom})); !errors.Is(err, boom) {
		t.Errorf("a failing reader: %v", err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
