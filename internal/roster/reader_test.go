package roster

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func mustReader(t *testing.T, content string) *Reader {
	t.Helper()
	r, err := NewReader(strings.NewReader(content), "test.csv")
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func readAll(t *testing.T, r *Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
}

func TestHeaderAliases(t *testing.T) {
	tests := []struct {
		header string
		col    string
		rank   int
	}{
		{"NIP", ColNIP, 0},
		{"nip baru", ColNIP, 0},
		{"NIP_BARU", ColNIP, 0},
		{"Nip.Baru", ColNIP, 0},
		{"NI PPPK", ColNIP, 0},
		{"NIK", ColNIK, 0},
		{"PNS_ID", ColPNSID, 0},
		{"NIP_LAMA", ColOldNIP, 0},
		{"TEMPAT_LAHIR_NAMA", ColBirthPlace, 0},
		{"TANGGAL LAHIR", ColBirthDate, 0},
		{"JENIS KELAMIN", ColSex, 0},
		{"JENIS_PEGAWAI_NAMA", ColType, 0},
		{"STATUS_CPNS_PNS", ColCPNS, 0},
		{"STATUS CPNS/PNS", ColCPNS, 0},
		{"GOL_AKHIR_NAMA", ColGolongan, 0},
		{"TMT_GOLONGAN", ColRankDate, 0},
		{"PANGKAT › TMT", ColRankDate, 0},
		{"JABATAN_NAMA", ColPosition, 0},
		{"JABATAN › NAMA", ColPosition, 0},
		{"JENIS_JABATAN_NAMA", ColPositionType, 0},
		{"TMT_JABATAN", ColPositionDate, 0},
		{"JABATAN › TMT", ColPositionDate, 0},
		{"JABATAN › ESELON", ColEselon, 0},
		{"TINGKAT_PENDIDIKAN_NAMA", ColEducation, 0},
		{"UNOR_NAMA", ColUnitName, 0},
		{"UNOR INDUK", ColParentUnit, 0},
		{"UNOR_INDUK_NAMA", ColParentUnit, 0},
		{"INSTANSI_KERJA_NAMA", ColGovName, 0},
		{"SATUAN_KERJA_KERJA_NAMA", ColGovName, 1},
		{"EMAIL_GOV", ColEmail, -1},
		{"KEDUDUKAN_HUKUM_NAMA", ColStatus, 0},
		{"NOMOR_HP", ColPhone, 0},
		{"Nama Lengkap", ColName, 0},
		{"NAMA PEGAWAI", ColName, 0},
		{"Gelar Depan", ColFrontTitle, 0},
		{"GOL/RUANG", ColGolongan, 0},
		{"Gol. Ruang", ColGolongan, 0},
		{"PANGKAT/GOL", ColGolongan, 0},
		{"Nama Jabatan", ColPosition, 0},
		{"JABATAN TERAKHIR", ColPosition, 0},
		{"jenis jabatan", ColPositionType, 0},
		{"ESELON", ColEselon, 0},
		{"KODE UNOR", ColUnitCode, 0},
		{"UNOR", ColUnitName, 0},
		{"Unit Kerja", ColUnitPath, 0},
		{"Unit Organisasi", ColUnitPath, 0},
		{"E-Mail", ColEmail, 0},
		{"EMAIL KANTOR", ColEmail, -1},
		{"No. HP", ColPhone, 0},
		{"NOMOR HP", ColPhone, 0},
		{"NO TELP", ColPhone, 0},
		{"Telepon", ColPhone, 0},
		{"STATUS PEGAWAI", ColStatus, 0},
		{"KEDUDUKAN", ColStatus, 0},
		{"Kode Instansi", ColGovernment, 0},
		{"JENIS_PEGAWAI", ColType, 0},
	}
	for _, tt := range tests {
		i, rank, ok := match(tt.header)
		if !ok || Columns[i].Name != tt.col || rank != tt.rank {
			t.Errorf("match(%q) = %v rank %d ok %v; want %s rank %d", tt.header, Columns[i].Name, rank, ok, tt.col, tt.rank)
		}
	}
	// UNOR_ID is SIASN's own unit identifier, not a Netra unit code.
	for _, h := range []string{"", "NO", "UNOR_ID", "ID UNOR", "MASA KERJA", "PENDIDIKAN › NAMA", "LATIHAN JABATAN › NAMA"} {
		if i, _, ok := match(h); ok {
			t.Errorf("match(%q) = %s; want no column", h, Columns[i].Name)
		}
	}
}

func TestColumnsTable(t *testing.T) {
	if len(Columns) != numCols {
		t.Fatalf("len(Columns) = %d, numCols = %d", len(Columns), numCols)
	}
	// Every header key means one column only, and the index constants match.
	owner := map[string]string{}
	for _, c := range Columns {
		if c.Desc.ID == "" || c.Desc.EN == "" {
			t.Errorf("%s has no description", c.Name)
		}
		for _, h := range append(append([]string{c.Name}, c.Aliases...), c.Fallbacks...) {
			k := headerKey(h)
			if o, ok := owner[k]; ok && o != c.Name {
				t.Errorf("header %q means both %s and %s", h, o, c.Name)
			}
			owner[k] = c.Name
		}
	}
	for _, h := range govEmail {
		if o, ok := owner[headerKey(h)]; ok {
			t.Errorf("government e-mail header %q also means %s", h, o)
		}
	}
	var r Row
	for i, c := range Columns {
		*r.field(i) = "v" + c.Name
	}
	if r.NIP != "vNIP" || r.Government != "vKODE_INSTANSI" || r.UnitPath != "vUNIT_KERJA" || r.Value(ColPhone) != "vNO_HP" {
		t.Errorf("field mapping is off: %+v", r)
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"NIP,NAMA,JENIS_PEGAWAI\n1,2,3\n", ','},
		{"NIP;NAMA;JENIS_PEGAWAI\n1;2;3\n", ';'},
		{"NIP\tNAMA\tJENIS_PEGAWAI\n", '\t'},
		{"\"a;b;c;d\",x,y\n", ','},
		{"DAFTAR PEGAWAI\nNIP;NAMA;JENIS_PEGAWAI;JENIS_JABATAN\n", ';'},
		{"NIP;NAMA;X\n1;\"Budi, S.Pd.\";Y\n", ';'},
		{"single", ','},
	}
	for _, tt := range tests {
		if got := sniffDelimiter([]byte(tt.in)); got != tt.want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

const wantNIP = "198609262015051001"

func TestDelimitersAndBOM(t *testing.T) {
	base := "NIP BARU,Nama Lengkap,JENIS PEGAWAI,GOL/RUANG,JENIS JABATAN,KODE UNOR,UNIT KERJA,NO HP\n" +
		wantNIP + ",\"Budi Santoso, S.Pd.\",PNS,III/c,Fungsional,DISDIK.SD,Dinas Pendidikan > Bidang SD,0812 3456 7890\n"
	tests := []struct {
		name, content string
	}{
		{"comma", base},
		{"semicolon", strings.NewReplacer(",", ";", ";\"", ";\"").Replace(strings.ReplaceAll(base, ", S.Pd.", "#"))},
		{"tab", strings.ReplaceAll(strings.ReplaceAll(base, ", S.Pd.", "#"), ",", "\t")},
		{"bom", "\xEF\xBB\xBF" + base},
		{"crlf", strings.ReplaceAll(base, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustReader(t, tt.content)
			if h := r.Header(); len(h) != 8 || h[0] != "NIP BARU" {
				t.Fatalf("header = %q", h)
			}
			rows := readAll(t, r)
			if len(rows) != 1 {
				t.Fatalf("got %d rows", len(rows))
			}
			got := rows[0]
			name := strings.ReplaceAll(got.Name, "#", ", S.Pd.")
			if got.Line != 2 || got.NIP != wantNIP || name != "Budi Santoso, S.Pd." || got.Type != "PNS" ||
				got.Golongan != "III/c" || got.PositionType != "Fungsional" || got.UnitCode != "DISDIK.SD" ||
				got.UnitPath != "Dinas Pendidikan > Bidang SD" || got.Phone != "0812 3456 7890" {
				t.Errorf("row = %+v", got)
			}
			if !r.Has(ColUnitCode) || r.Has(ColEmail) {
				t.Errorf("Has is wrong")
			}
		})
	}
}

func TestFallbackColumns(t *testing.T) {
	// NIK and ESELON are columns of their own beside NIP and JENIS_JABATAN.
	r := mustReader(t, "NIK,NIP,NAMA,JENIS_PEGAWAI,ESELON,JENIS_JABATAN,KODE_UNIT\n6271010101900001,"+wantNIP+",Budi,PNS,III.a,Administrator,X\n")
	rows := readAll(t, r)
	if rows[0].NIP != wantNIP || rows[0].NIK != "6271010101900001" || rows[0].PositionType != "Administrator" || rows[0].Eselon != "III.a" {
		t.Errorf("NIP, NIK, JENIS_JABATAN and ESELON mixed up: %+v", rows[0])
	}
	// Without a NIP column the NIK is the identifier; without JENIS_JABATAN
	// the eselon decides; UNOR is a unit's name.
	r = mustReader(t, "NIK;NAMA;JENIS_PEGAWAI;ESELON;UNOR\n6271010101900001;Budi;Non-ASN;Eselon IV;Kecamatan Pahandut\n")
	rows = readAll(t, r)
	if rows[0].NIP != "6271010101900001" || rows[0].NIK != "6271010101900001" || rows[0].Eselon != "Eselon IV" || rows[0].UnitName != "Kecamatan Pahandut" {
		t.Errorf("NIK not used as the identifier: %+v", rows[0])
	}
	// SATUAN_KERJA_KERJA_NAMA names the government only without INSTANSI_KERJA_NAMA.
	r = mustReader(t, "NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,UNOR_NAMA,SATUAN_KERJA_KERJA_NAMA,INSTANSI_KERJA_NAMA\n"+wantNIP+",Budi,PNS,Pelaksana,Bagian Umum,SETDA,PEMERINTAH KOTA PALANGKA RAYA\n")
	if rows = readAll(t, r); rows[0].GovName != "PEMERINTAH KOTA PALANGKA RAYA" {
		t.Errorf("government name = %q", rows[0].GovName)
	}
}

func TestFileRefusals(t *testing.T) {
	const ok = "NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,KODE_UNIT\n"
	tests := []struct {
		name, content string
		wantID        string // a part of the Indonesian message
		wantEN        string // a part of the English message
	}{
		{"empty", "", "kosong", "empty"},
		{"blank", "\xEF\xBB\xBF \r\n\n", "kosong", "empty"},
		{"binary", "NIP,NAMA\x00\x01\x02", "biner", "binary"},
		{"old xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", ".xls", ".xls"},
		{"utf16", "\xFF\xFEN\x00I\x00P\x00", "UTF-16", "UTF-16"},
		{"no header", "1,2,3\n4,5,6\n", "judul kolom tidak ditemukan", "No header row"},
		{"header not utf8", "NIP,NAMA\xE9,JENIS_PEGAWAI\n", "UTF-8", "UTF-8"},
		{"missing", "NIP;NAMA\n1;2\n", "Kolom wajib tidak ada: JENIS_PEGAWAI, JENIS_JABATAN, KODE_UNIT, UNIT_KERJA atau UNOR_NAMA.", "Required columns are missing: JENIS_PEGAWAI, JENIS_JABATAN, KODE_UNIT, UNIT_KERJA or UNOR_NAMA."},
		{"missing unit only", "NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN\n", "Kolom wajib tidak ada: KODE_UNIT, UNIT_KERJA atau UNOR_NAMA.", "KODE_UNIT, UNIT_KERJA or UNOR_NAMA"},
		{"missing name", "NIP,JENIS_PEGAWAI,JENIS_JABATAN,UNIT_KERJA\n", "Kolom wajib tidak ada: NAMA.", "missing: NAMA."},
		{"duplicate", "NIP,NIP BARU,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,KODE_UNIT\n", `"NIP" dan "NIP BARU"`, "both mean NIP"},
		{"broken xlsx", "PK\x03\x04this is not a zip file at all", "XLSX rusak", "damaged"},
		{"title rows only", strings.Repeat("DAFTAR PEGAWAI\n", 12) + ok, "judul kolom tidak ditemukan", "No header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.content), "x")
			if err == nil {
				r.Close()
				t.Fatal("file accepted")
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *FileError", err, err)
			}
			if !strings.Contains(fe.Msg.ID, tt.wantID) || !strings.Contains(fe.Msg.EN, tt.wantEN) || fe.Error() != fe.Msg.EN {
				t.Errorf("message = %q / %q; want %q / %q", fe.Msg.ID, fe.Msg.EN, tt.wantID, tt.wantEN)
			}
		})
	}
}

func TestHeaderOnlyAndTitleRows(t *testing.T) {
	if rows := readAll(t, mustReader(t, "NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,UNIT_KERJA\r\n")); len(rows) != 0 {
		t.Errorf("header only gave %d rows", len(rows))
	}
	r := mustReader(t, "DAFTAR NOMINATIF PEGAWAI\n\nNIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,UNIT_KERJA\n1,Budi,PNS,Pelaksana,Setda\n")
	rows := readAll(t, r)
	if len(rows) != 1 || rows[0].Line != 4 || rows[0].Name != "Budi" {
		t.Errorf("rows = %+v", rows)
	}
}

// TestLineNumbers checks that rows and their problems carry the line they
// start on, across blank lines and a quoted cell that spans lines.
func TestLineNumbers(t *testing.T) {
	content := "NIP,NAMA,JENIS_PEGAWAI,GOLONGAN,JENIS_JABATAN,KODE_UNIT,JABATAN\n" + // 1
		wantNIP + ",Budi Santoso,PNS,III/c,Fungsional,DISDIK,Guru Ahli Muda\n" + // 2
		"\n" + // 3
		"12345,\"Siti\n" + // 4
		"Aminah\",PNS,III/a,Pelaksana,DISDIK,\"Staf\n" + // 5
		"Umum\"\n" + // 6
		wantNIP + ",Ani,PPPK,III/a,Fungsional,DISDIK,Guru\n" + // 7
		",,,,,,\n" + // 8
		"199001012020011002,,Magang,XX,Kepala,,\n" // 9
	r := mustReader(t, content)
	now := DefaultNow()
	type problem struct {
		line int
		col  string
	}
	var got []problem
	var lines []int
	for _, row := range readAll(t, r) {
		lines = append(lines, row.Line)
		_, errs := ParseRow(row, now)
		for _, e := range errs {
			got = append(got, problem{e.Line, e.Column})
			if e.Reason.ID == "" || e.Reason.EN == "" {
				t.Errorf("empty reason: %+v", e)
			}
		}
	}
	if want := []int{2, 4, 7, 9}; !equalInts(lines, want) {
		t.Errorf("row lines = %v, want %v", lines, want)
	}
	want := []problem{
		{4, ColNIP},
		{7, ColGolongan},
		{9, ColName}, {9, ColType}, {9, ColGolongan}, {9, ColPositionType}, {9, ColUnitCode},
	}
	if len(got) != len(want) {
		t.Fatalf("problems = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("problem %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeXLSX builds a workbook the way exports look: a title, a blank row,
// the header, then data with a gap.
func writeXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "DAFTAR PEGAWAI KOTA PALANGKA RAYA")
	header := []string{"NIP BARU", "NAMA LENGKAP", "GELAR BELAKANG", "JENIS PEGAWAI", "GOL/RUANG", "JENIS JABATAN", "UNIT KERJA", "NO. HP", "UNOR INDUK"}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		set(cell, h)
	}
	rows := [][]any{
		{wantNIP, "Siti Aminah", "S.Pd.", "PNS", "III/c", "Fungsional", "Dinas Pendidikan > SD Negeri 1 Pahandut", "081234567890", "Dinas Pendidikan"},
		nil,
		{"6271014101900001", "  Yohanes  Wenda ", "", "Non-ASN", "-", "Pelaksana", "Kecamatan Pahandut"},
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, 4+i)
			set(cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSX(t *testing.T) {
	data := writeXLSX(t)
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	open := map[string]func(t *testing.T) io.Reader{
		"plain reader (spooled)": func(t *testing.T) io.Reader { return bytes.NewReader(data) },
		"os.File (reopened)": func(t *testing.T) io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		},
	}
	for name, src := range open {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(src(t), "roster.txt") // the name must not matter
			if err != nil {
				t.Fatalf("NewReader: %v", err)
			}
			spool := r.tmpFile
			rows := readAll(t, r)
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if spool != "" {
				if _, err := os.Stat(spool); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("spool file %s left behind", spool)
				}
			}
			if len(rows) != 2 {
				t.Fatalf("got %d rows: %+v", len(rows), rows)
			}
			a, b := rows[0], rows[1]
			if a.Line != 4 || a.NIP != wantNIP || a.Name != "Siti Aminah" || a.BackTitle != "S.Pd." || a.UnitPath != "Dinas Pendidikan > SD Negeri 1 Pahandut" || a.Phone != "081234567890" {
				t.Errorf("row 1 = %+v", a)
			}
			if b.Line != 6 || b.Name != "Yohanes  Wenda" || b.Golongan != "-" {
				t.Errorf("row 2 = %+v", b)
			}
			for _, row := range rows {
				if _, errs := ParseRow(row, DefaultNow()); len(errs) > 0 {
					t.Errorf("line %d: %v", row.Line, errs)
				}
			}
		})
	}
}

func TestXLSXNotAWorkbook(t *testing.T) {
	// A valid ZIP that is not a workbook.
	var buf bytes.Buffer
	f := excelize.NewFile()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := NewReader(bytes.NewReader(buf.Bytes()), "empty.xlsx")
	var fe *FileError
	switch {
	case err == nil:
		r.Close()
		t.Fatal("an empty workbook was accepted")
	case !errors.As(err, &fe):
		t.Fatalf("error %v is not a *FileError", err)
	}
}
