package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repeatReader yields n bytes of s repeated, without holding them.
type repeatReader struct {
	s   []byte
	n   int64
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.s[r.off:])
		if int64(c) > r.n {
			c = int(r.n)
		}
		k += c
		r.n -= int64(c)
		r.off = (r.off + c) % len(r.s)
	}
	return k, nil
}

// allocated runs f and returns how many bytes it allocated on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCSVLongLineRefused feeds a roster whose second line is 300 MB: it is
// refused naming the line, having read little more than the bound.
func TestCSVLongLineRefused(t *testing.T) {
	header := "NIP,NAMA,JENIS_PEGAWAI,GOLONGAN,JENIS_JABATAN,KODE_UNIT\n"
	var err error
	alloc := allocated(func() {
		var rd *Reader
		body := io.MultiReader(strings.NewReader(header), &repeatReader{s: []byte("x"), n: 300 << 20})
		rd, err = NewReader(body, "bom.csv")
		if err == nil {
			for {
				if _, err = rd.Next(); err != nil {
					break
				}
			}
		}
	})
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, errLineTooLong) || !strings.Contains(fe.Msg.ID, "Baris 2") {
		t.Fatalf("300 MB line: %v", err)
	}
	if alloc > 32<<20 {
		t.Fatalf("reading a 300 MB line allocated %d MB, want it bounded (< 32 MB)", alloc>>20)
	}
}

// TestXLSXBombRefused builds a real zip bomb: a 1 MB workbook whose sheet
// unpacks to 256 MB in one cell. It is refused before anything is unpacked.
func TestXLSXBombRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bom.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	add := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
	if _, err := io.Copy(w, &repeatReader{s: []byte("A"), n: 256 << 20}); err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	if st.Size() > 2<<20 {
		t.Fatalf("the bomb is %d bytes, want about 1 MB", st.Size())
	}
	var rerr error
	alloc := allocated(func() {
		var rd *Reader
		rd, rerr = NewReader(bytes.NewReader(mustRead(t, path)), "bom.xlsx")
		if rd != nil {
			rd.Close()
		}
	})
	var fe *FileError
	if !errors.As(rerr, &fe) || !strings.Contains(fe.Msg.ID, "bom zip") {
		t.Fatalf("zip bomb: %v", rerr)
	}
	if alloc > 64<<20 {
		t.Fatalf("refusing a 1 MB bomb allocated %d MB, want it bounded (< 64 MB)", alloc>>20)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
