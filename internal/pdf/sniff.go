package pdf

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/netra-id/netra"
)

// ErrNotPDF is the kind of the errors Sniff returns for bytes that are not
// a whole PDF: test with errors.Is. The error itself is a *netra.UserError
// whose message says what is wrong in both languages.
var ErrNotPDF = errors.New("not a PDF")

// Where the markers must be: the header within the first 1024 bytes and
// "%%EOF" within the last 1024, as PDF readers require; "startxref" and
// its number just before it.
const (
	sniffHead = 1024
	sniffTail = 2048
)

// Sniff tells whether r holds a PDF, reading it with bounded memory: the
// "%PDF-x.y" header near the start, and at the end the "startxref" offset
// and the "%%EOF" marker that every complete PDF ends with, so that an
// image renamed .pdf, an empty file and a PDF cut short in transfer are
// all refused with a message saying which. When r is an io.Seeker only the
// head and tail are read, the cross-reference offset is checked to point at
// a cross-reference section, and r is left where it was; otherwise r is read
// to its end (bound it, e.g. with http.MaxBytesReader). It returns nil for a
// PDF, a *netra.UserError of kind ErrNotPDF for anything else, and read
// errors as they are.
func Sniff(r io.Reader) error {
	if s, ok := r.(io.ReadSeeker); ok {
		return sniffSeeker(s)
	}
	head := make([]byte, sniffHead)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	if err := checkHead(head); err != nil {
		return err
	}
	// Keep the last sniffTail bytes of the rest.
	tail := append(make([]byte, 0, 2*sniffTail), head...)
	size := int64(n)
	buf := make([]byte, 32<<10)
	for {
		m, err := r.Read(buf)
		size += int64(m)
		tail = append(tail, buf[:m]...)
		if len(tail) > sniffTail {
			tail = append(tail[:0], tail[len(tail)-sniffTail:]...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	_, err = checkTail(tail, size)
	return err
}

func sniffSeeker(s io.ReadSeeker) (err error) {
	start, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	defer func() {
		if _, serr := s.Seek(start, io.SeekStart); serr != nil && err == nil {
			err = serr
		}
	}()
	end, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	size := end - start
	read := func(off int64, n int) ([]byte, error) {
		n = int(min(int64(n), max(0, size-off)))
		b := make([]byte, n)
		if _, err := s.Seek(start+off, io.SeekStart); err != nil {
			return nil, err
		}
		if _, err := io.ReadFull(s, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	head, err := read(0, sniffHead)
	if err != nil {
		return err
	}
	if err := checkHead(head); err != nil {
		return err
	}
	tail, err := read(max(0, size-sniffTail), sniffTail)
	if err != nil {
		return err
	}
	xref, err := checkTail(tail, size)
	if err != nil {
		return err
	}
	// The offset must lead to a cross-reference table ("xref") or stream
	// ("12 0 obj"). Some writers are a few bytes off, which readers
	// forgive, so look around it.
	from := max(0, xref-32)
	near, err := read(from, 128)
	if err != nil {
		return err
	}
	if !bytes.Contains(near, []byte("xref")) && !bytes.Contains(near, []byte("obj")) {
		return damaged()
	}
	return nil
}

// checkHead checks the header, saying what the file seems to be instead
// when it is not a PDF.
func checkHead(head []byte) error {
	if len(bytes.TrimSpace(head)) == 0 {
		return notPDF("Berkas kosong, bukan PDF.", "The file is empty, not a PDF.")
	}
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 {
		id, en := "Berkas ini bukan PDF", "This file is not a PDF"
		if kind := seemsTo(head); kind != "" {
			id += " (tampaknya " + kind + ")"
			en += " (it looks like " + kindEN[kind] + ")"
		}
		return notPDF(id+".", en+".")
	}
	v := head[i+5:]
	if len(v) < 3 || v[0] < '1' || v[0] > '2' || v[1] != '.' || v[2] < '0' || v[2] > '9' {
		return notPDF("Berkas ini bukan PDF: tanda versinya tidak dikenal.", "This file is not a PDF: its version header is unknown.")
	}
	return nil
}

// checkTail finds "startxref", its offset and "%%EOF" at the end of a
// file of size bytes whose last bytes are tail, and returns the offset.
func checkTail(tail []byte, size int64) (int64, error) {
	last := tail
	if len(last) > 1024 {
		last = last[len(last)-1024:]
	}
	eof := bytes.LastIndex(last, []byte("%%EOF"))
	if eof < 0 {
		return 0, damaged()
	}
	eof += len(tail) - len(last)
	sx := bytes.LastIndex(tail[:eof], []byte("startxref"))
	if sx < 0 {
		return 0, damaged()
	}
	off, err := strconv.ParseInt(string(bytes.TrimSpace(tail[sx+len("startxref"):eof])), 10, 64)
	if err != nil || off <= 0 || off >= size {
		return 0, damaged()
	}
	return off, nil
}

func damaged() error {
	return notPDF("Berkas PDF ini tidak utuh (terpotong atau rusak). Unggah lagi berkas aslinya.",
		"This PDF is incomplete (cut short or damaged). Upload the original file again.")
}

func notPDF(id, en string) error {
	return &netra.UserError{Kind: ErrNotPDF, Msg: netra.Msg(id, en)}
}

var kindEN = map[string]string{
	"gambar PNG":              "a PNG image",
	"gambar JPEG":             "a JPEG image",
	"gambar GIF":              "a GIF image",
	"dokumen Word atau Excel": "a Word or Excel document",
	"arsip ZIP":               "a ZIP archive",
	"halaman web":             "a web page",
	"teks biasa":              "plain text",
}

// seemsTo names the kind of file head begins, in Indonesian, when it is a
// common one.
func seemsTo(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "gambar PNG"
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "gambar JPEG"
	case bytes.HasPrefix(head, []byte("GIF8")):
		return "gambar GIF"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if bytes.Contains(head, []byte("word/")) || bytes.Contains(head, []byte("xl/")) || bytes.Contains(head, []byte("[Content_Types].xml")) {
			return "dokumen Word atau Excel"
		}
		return "arsip ZIP"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "dokumen Word atau Excel"
	}
	t := bytes.ToLower(bytes.TrimSpace(head))
	if bytes.HasPrefix(t, []byte("<!doctype html")) || bytes.HasPrefix(t, []byte("<html")) {
		return "halaman web"
	}
	for _, c := range head {
		if c < 9 || (c > 13 && c < 32) {
			return ""
		}
	}
	return "teks biasa"
}
