package pdf_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/pdf/pdftest"
)

func certificate(t testing.TB, c pdf.Certificate) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.WriteCertificate(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func report(t testing.TB, r pdf.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.WriteReport(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The certificate's text comes out of pdftotext exactly as it went in:
// the Indonesian text with its typographic quotes and dash, the name with
// its diacritics, the NIP, and the verification code.
func TestCertificateText(t *testing.T) {
	c := pdf.SampleCertificate()
	doc := certificate(t, c)
	if n := pdftest.Pages(t, doc); n != 1 {
		t.Errorf("the certificate has %d pages, want 1", n)
	}
	text := pdftest.Words(pdftest.Text(t, doc))
	want := []string{
		"PEMERINTAH KOTA PALANGKA RAYA",
		"BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
		"SERTIFIKAT IKRAR NETRALITAS ASN",
		"Dra. Théresia Nuñez Siahaan, M.Si.",
		"19780314 200312 2 005",
		"Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Palangka Raya",
		"4 Juli 2024 pukul 09.12 WIB",
		"STATUS: SAH",
		"Kode verifikasi: 7KQ2-M9XA-4TDE",
		"Dibuat 13 Juli 2024 pukul 10.00 WIB · Kode verifikasi 7KQ2-M9XA-4TDE",
		"Halaman 1 dari 1",
	}
	// Every paragraph and commitment of the text, whole.
	for _, p := range strings.Split(c.Text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			want = append(want, pdftest.Words(p))
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the extracted text lacks %q\n--- text:\n%s", w, text)
		}
	}
	for _, w := range []string{"“ASN netral, pemilihan berintegritas”", "pemberian — dalam"} {
		if !strings.Contains(text, w) {
			t.Errorf("the extracted text lacks %q", w)
		}
	}
	// The key–value block reads as key, colon, value on one line.
	layout := pdftest.PageText(t, doc, 1)
	for _, f := range c.Signer {
		if !strings.Contains(pdftest.Words(layout), f.Key+" : "+f.Value) {
			t.Errorf("the signer block lacks the line %q", f.Key+" : "+f.Value)
		}
	}
	fonts := pdftest.Fonts(t, doc)
	if len(fonts) != 2 {
		t.Errorf("fonts: %+v, want the regular and the bold", fonts)
	}
	for _, f := range fonts {
		if !f.Embedded || !f.Subset || !f.ToUnicodeMap || f.Encoding != "Identity-H" {
			t.Errorf("font %+v: want embedded, subset, with a ToUnicode map", f)
		}
	}
	info := pdftest.Info(t, doc)
	if info["Title"] != c.Title || info["Page size"] != "595.28 x 841.89 pts (A4)" {
		t.Errorf("pdfinfo: title %q, size %q", info["Title"], info["Page size"])
	}
}

// The QR code decodes, from a 150 dpi rendering, to the verification URL.
func TestCertificateQR(t *testing.T) {
	c := pdf.SampleCertificate()
	for _, url := range []string{c.VerifyURL, "https://netra.example/v/" + strings.Repeat("A", 120)} {
		c.VerifyURL = url
		got := pdftest.QR(t, certificate(t, c), 1)
		if !slices.Equal(got, []string{url}) {
			t.Errorf("QR codes %q, want [%q]", got, url)
		}
	}
}

// A revoked certificate says so.
func TestCertificateRevoked(t *testing.T) {
	c := pdf.SampleCertificate()
	c.Status, c.StatusNote, c.Revoked = "DICABUT", "Dicabut pada 20 Juli 2024: ditandatangani karena kekeliruan.", true
	text := pdftest.Words(pdftest.Text(t, certificate(t, c)))
	for _, w := range []string{"STATUS: DICABUT", c.StatusNote} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q", w)
		}
	}
}

// A report of 300 units flows over pages; each page repeats the header row
// above its rows and says which page of how many it is; every row appears
// once, in order, whole on one page; the totals close it.
func TestReportPages(t *testing.T) {
	const rows = 300
	r := pdf.SampleReport(rows)
	doc := report(t, r)
	pages := pdftest.Pages(t, doc)
	if pages < 5 {
		t.Fatalf("%d rows on %d pages", rows, pages)
	}
	var want [][]string
	for row := range r.Rows {
		want = append(want, row)
	}
	next := 0
	for p := 1; p <= pages; p++ {
		text := pdftest.PageText(t, doc, p)
		lines := strings.Split(text, "\n")
		header := -1
		for i, l := range lines {
			if pdftest.Words(l) == "No. Unit kerja Sasaran Sudah Belum Cakupan" {
				header = i
				break
			}
		}
		if header < 0 {
			if next < len(want) {
				t.Fatalf("page %d has no header row:\n%s", p, text)
			}
			continue // a page after the table, with the signature
		}
		if !strings.Contains(pdftest.Words(text), fmt.Sprintf("Halaman %d dari %d", p, pages)) {
			t.Errorf("page %d lacks its page number", p)
		}
		for _, l := range lines[header+1:] {
			if next < len(want) && strings.HasPrefix(pdftest.Words(l), want[next][0]+" ") {
				// The number cells end the line, right-aligned, in order.
				w := want[next]
				if !strings.HasSuffix(pdftest.Words(l), strings.Join(w[2:], " ")) {
					t.Errorf("page %d: row %q, want its cells %q", p, l, w)
				}
				next++
			}
		}
		if p == 2 && next < 30 {
			t.Errorf("only %d rows by page 2", next)
		}
	}
	if next != rows {
		t.Errorf("found %d of %d rows in order", next, rows)
	}
	all := pdftest.Words(pdftest.Text(t, doc, "-layout"))
	totals := "Jumlah " + strings.Join(r.Totals[2:], " ")
	if !strings.Contains(all, totals) {
		t.Errorf("the report lacks the totals %q", totals)
	}
	if sig := "Ir. Hendra Gunawan Tjilik, M.T."; strings.Index(all, sig) < strings.Index(all, totals) ||
		!strings.Contains(pdftest.PageText(t, doc, pages), sig) {
		t.Errorf("the signature is not after the totals on the last page")
	}
}

// A wide report on landscape pages.
func TestReportLandscape(t *testing.T) {
	r := pdf.SampleReport(40)
	r.Landscape = true
	doc := report(t, r)
	if got := pdftest.Info(t, doc)["Page size"]; got != "841.89 x 595.28 pts (A4)" {
		t.Errorf("page size %q", got)
	}
}

// A report stops at the first error its rows yield, and returns it.
func TestReportRowError(t *testing.T) {
	r := pdf.SampleReport(0)
	boom := fmt.Errorf("the database went away")
	r.Rows = func(yield func([]string, error) bool) {
		if yield([]string{"1", "Dinas"}, nil) {
			yield(nil, boom)
		}
	}
	if err := pdf.WriteReport(io.Discard, r); err != boom {
		t.Errorf("got %v, want %v", err, boom)
	}
}

// The same input gives the same bytes; another creation time others.
func TestDeterministic(t *testing.T) {
	a := certificate(t, pdf.SampleCertificate())
	b := certificate(t, pdf.SampleCertificate())
	if !bytes.Equal(a, b) {
		t.Error("two certificates from the same input differ")
	}
	c := pdf.SampleCertificate()
	c.Created = c.Created.Add(time.Minute)
	if bytes.Equal(a, certificate(t, c)) {
		t.Error("a certificate made a minute later is the same")
	}
	if !bytes.Equal(report(t, pdf.SampleReport(120)), report(t, pdf.SampleReport(120))) {
		t.Error("two reports from the same input differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20240713100000+07'00')")) {
		t.Error("the creation date is not the one given")
	}
}

func TestCreatedRequired(t *testing.T) {
	if _, err := pdf.New(io.Discard, pdf.Options{}); err == nil {
		t.Error("a document without a creation time was begun")
	}
	c := pdf.SampleCertificate()
	c.Created = time.Time{}
	if err := pdf.WriteCertificate(io.Discard, c); err == nil {
		t.Error("a certificate without a creation time was written")
	}
}

// A 10,000-row report is written with the memory of a page: the heap still
// in use after 10,000 rows is no larger than after 1,000.
func TestReportMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	r := pdf.SampleReport(0)
	var at1k, at10k uint64
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	r.Rows = func(yield func([]string, error) bool) {
		for i := range 10_000 {
			switch i {
			case 1_000:
				at1k = heap()
			case 9_999:
				at10k = heap()
			}
			n := strconv.Itoa(i + 1)
			if !yield([]string{n, "Unit kerja nomor " + n + " dengan nama yang cukup panjang", "120", "80", "40", "66,6%"}, nil) {
				return
			}
		}
	}
	var out countingWriter
	if err := pdf.WriteReport(&out, r); err != nil {
		t.Fatal(err)
	}
	t.Logf("10,000 rows: %d bytes of PDF; heap in use after 1,000 rows %d KB, after 10,000 rows %d KB", out.n, at1k>>10, at10k>>10)
	if at10k > at1k+512<<10 {
		t.Errorf("the heap grew from %d KB to %d KB between rows 1,000 and 10,000", at1k>>10, at10k>>10)
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// The building blocks, used directly: a long paragraph flows over pages, a
// word is never broken unless it is wider than the line, a table begun
// near the bottom of a page moves its header down with its first row.
func TestBlocks(t *testing.T) {
	var b bytes.Buffer
	d, err := pdf.New(&b, pdf.Options{Created: pdf.SampleTime, Title: "Uji"})
	if err != nil {
		t.Fatal(err)
	}
	d.Title("UJI BLOK")
	d.Heading("Bagian pertama")
	long := strings.Repeat("Komunikasi informatika statistik persandian kependudukan. ", 300)
	d.Paragraph(long)
	url := "https://netra.example/" + strings.Repeat("sangat-panjang/", 12)
	d.Paragraph("Alamat: " + url)
	d.List([]string{"Satu.", "Dua, yang lebih panjang " + strings.Repeat("sekali ", 30), "Tiga."})
	for d.Remaining() > 30 { // then the header and the first row do not fit
		d.Text("pengisi", pdf.Style{})
	}
	tbl := d.Table([]pdf.Column{{Title: "Kolom A"}, {Title: "Kolom B", Align: pdf.AlignRight}})
	tbl.Row("a1", "1")
	tbl.Row("a2", "2")
	tbl.End()
	d.Signature(pdf.Signature{Place: "Palangka Raya", Date: pdf.SampleTime, Role: "Kepala", Name: "Siti Aminah", NIP: "19800101 200501 2 001"})
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	doc := b.Bytes()
	text := pdftest.Text(t, doc)
	// Words are whole: every line break falls between the words of the text.
	known := map[string]bool{}
	for _, w := range strings.Fields(long + " pengisi Alamat: Satu. Dua, yang lebih panjang sekali Tiga. UJI BLOK Bagian pertama " +
		"Kolom A Kolom B a1 a2 Palangka Raya, Juli Kepala Siti Aminah NIP Dibuat pukul WIB Halaman dari") {
		known[w] = true
	}
	for _, l := range strings.Split(text, "\n") {
		for _, w := range strings.Fields(l) {
			if !known[w] && !strings.HasPrefix(w, "https://") && !strings.HasPrefix(w, "sangat") && strings.Trim(w, "0123456789.,") != "" {
				t.Errorf("a broken or unknown word %q in line %q", w, l)
			}
		}
	}
	if !strings.Contains(strings.ReplaceAll(text, "\n", ""), url) {
		t.Errorf("the long URL is not whole once its lines are joined:\n%s", text)
	}
	pages := pdftest.Pages(t, doc)
	last := pdftest.Words(pdftest.PageText(t, doc, pages))
	if !strings.Contains(last, "Kolom A Kolom B a1 1 a2 2") || strings.Contains(pdftest.PageText(t, doc, pages-1), "Kolom A") {
		t.Errorf("the table did not move whole to the last page:\n%s", last)
	}
}

// Images: a PNG with transparency (the sample logo) and a JPEG both embed
// and render.
func TestImages(t *testing.T) {
	var b bytes.Buffer
	d, _ := pdf.New(&b, pdf.Options{Created: pdf.SampleTime})
	d.Image(pdf.SampleLogo(), 30*pdf.MM, 30*pdf.MM, pdf.AlignCenter)
	d.Image(jpegImage(t), 60*pdf.MM, 40*pdf.MM, pdf.AlignLeft)
	d.Image([]byte("not an image"), 10, 10, pdf.AlignLeft)
	if err := d.Close(); err == nil {
		t.Error("a document with bytes that are not an image closed without error")
	}
	b.Reset()
	d, _ = pdf.New(&b, pdf.Options{Created: pdf.SampleTime})
	d.Image(pdf.SampleLogo(), 30*pdf.MM, 30*pdf.MM, pdf.AlignCenter)
	d.Image(jpegImage(t), 60*pdf.MM, 40*pdf.MM, pdf.AlignLeft)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	png := pdftest.Render(t, b.Bytes(), 1, 50)
	if len(png) < 1000 {
		t.Errorf("a rendering of %d bytes", len(png))
	}
}

func TestFormat(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	for _, c := range []struct{ got, want string }{
		{pdf.Date(time.Date(2024, 11, 27, 0, 0, 0, 0, wita)), "27 November 2024"},
		{pdf.DateTime(time.Date(2024, 2, 14, 7, 5, 0, 0, wita)), "14 Februari 2024 pukul 07.05 WITA"},
		{pdf.DateTime(time.Date(2024, 2, 14, 7, 5, 0, 0, time.FixedZone("", 9*3600))), "14 Februari 2024 pukul 07.05 UTC+09:00"},
		{pdf.DateTime(time.Date(2024, 2, 14, 7, 5, 0, 0, time.UTC)), "14 Februari 2024 pukul 07.05 UTC"},
		{pdf.Int(5_600_000), "5.600.000"},
		{pdf.Int(-1234), "-1.234"},
		{pdf.Int(999), "999"},
		{pdf.Percent(1, 3), "33,3%"},
		{pdf.Percent(9996, 10000), "99,9%"},
		{pdf.Percent(5, 5), "100,0%"},
		{pdf.Percent(0, 0), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Files attached to a certificate are read back by ReadAttachment and by
// pdfdetach, byte for byte.
func TestAttachments(t *testing.T) {
	c := pdf.SampleCertificate()
	record := []byte(`{"nip":"197803142003122005","nama":"Dra. Théresia Nuñez Siahaan, M.Si.","sig":"…"}`)
	big := bytes.Repeat([]byte("0123456789"), 50_000)
	c.Attachments = []pdf.Attachment{
		{Name: "ikrar.json", MIME: "application/json", Description: "Rekaman bertanda tangan", Data: record},
		{Name: "besar.bin", Data: big},
	}
	doc := certificate(t, c)
	for name, want := range map[string][]byte{"ikrar.json": record, "besar.bin": big} {
		got, err := pdf.ReadAttachment(doc, name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ReadAttachment(%s): %d bytes, %v", name, len(got), err)
		}
	}
	if _, err := pdf.ReadAttachment(doc, "lain.json"); err != pdf.ErrNoAttachment {
		t.Errorf("a missing attachment: %v", err)
	}
	if _, err := pdf.ReadAttachment(certificate(t, pdf.SampleCertificate()), "ikrar.json"); err != pdf.ErrNoAttachment {
		t.Errorf("a certificate without attachments: %v", err)
	}
	// Damaged data gives no attachment rather than a part of one.
	at := bytes.LastIndex(doc, []byte("/Type /EmbeddedFile"))
	at += bytes.Index(doc[at:], []byte("stream\n")) + 50
	damaged := append(bytes.Clone(doc[:at]), doc[at+100:]...)
	if got, err := pdf.ReadAttachment(damaged, "besar.bin"); err != pdf.ErrNoAttachment {
		t.Errorf("a damaged attachment: %d bytes, %v", len(got), err)
	}
	if got, err := pdf.ReadAttachment(damaged, "ikrar.json"); !bytes.Equal(got, record) {
		t.Errorf("the attachment before the damage: %d bytes, %v", len(got), err)
	}
	files := pdftest.Attachments(t, doc)
	if !bytes.Equal(files["ikrar.json"], record) || !bytes.Equal(files["besar.bin"], big) || len(files) != 2 {
		t.Errorf("pdfdetach finds %d files", len(files))
	}
	if !bytes.Equal(doc, certificate(t, c)) {
		t.Error("a certificate with attachments is not deterministic")
	}
	// The visible document is the same as without them.
	if pdftest.Text(t, doc) != pdftest.Text(t, certificate(t, pdf.SampleCertificate())) {
		t.Error("attachments changed the text")
	}
}
