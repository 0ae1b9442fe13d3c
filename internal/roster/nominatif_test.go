package roster

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
)

// nominatifXLSX builds a workbook the way BKPSDM keep their nominatif/DUK
// sheets: title rows, a two-level header with merged parents, a row of
// column numbers, NIPs and dates as Excel number cells.
func nominatifXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		t.Helper()
		if err := f.MergeCell(sh, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL")
	set("A2", "PEMERINTAH KOTA PALANGKA RAYA KEADAAN 1 DESEMBER 2025")
	top := map[string]string{"A4": "NO", "B4": "NAMA", "C4": "NIP", "D4": "TEMPAT/TANGGAL LAHIR", "F4": "PANGKAT",
		"H4": "JABATAN", "L4": "JENIS PEGAWAI", "M4": "UNOR", "N4": "PENDIDIKAN", "P4": "L/P"}
	for c, v := range top {
		set(c, v)
	}
	for _, m := range [][2]string{{"A4", "A5"}, {"B4", "B5"}, {"C4", "C5"}, {"D4", "E4"}, {"F4", "G4"}, {"H4", "K4"},
		{"L4", "L5"}, {"M4", "M5"}, {"N4", "O4"}, {"P4", "P5"}} {
		merge(m[0], m[1])
	}
	sub := map[string]string{"D5": "TEMPAT", "E5": "TANGGAL", "F5": "GOL/RUANG", "G5": "TMT", "H5": "NAMA", "I5": "JENIS",
		"J5": "ESELON", "K5": "TMT", "N5": "TINGKAT", "O5": "JURUSAN"}
	for c, v := range sub {
		set(c, v)
	}
	for i := 1; i <= 16; i++ {
		c, _ := excelize.CoordinatesToCellName(i, 6)
		set(c, i)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		// NIP as an exact integer cell, dates as serial cells and as time values.
		{1, "Siti Aminah, S.Pd.", int64(198609262015051001), "Palangka Raya", 31681, "III/b", time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC),
			"Kepala Seksi Kurikulum", "Struktural", "IV.a", "02-01-2023", "PNS", "Seksi Kurikulum", "S-2", "Manajemen Pendidikan", "P"},
		nil, // a blank row between employees
		// The NIP as Excel's float: its last digits are lost.
		{2, "Budi", 1.9750707200501101e17, "Sampit", "07/07/1975", "IV/a", "", "Camat Pahandut", "Struktural", "III.a", "", "PNS", "Kecamatan Pahandut", "S-1", "", "L"},
		// Text cells, a TMT in words, eselon as SIASN's code.
		{3, "Rina", "199901012024022003", "Sampit", "01 Januari 1999", "III/a", "1 Februari 2024", "Pengelola Data", "Pelaksana", "", "", "CPNS", "Sub Bagian Umum", "S-1/Sarjana", "", "P"},
	}
	for i, row := range rows {
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, 7+i)
			set(c, v)
			if _, ok := v.(int); ok && j == 4 {
				if err := f.SetCellStyle(sh, c, c, dateStyle); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNominatifXLSX(t *testing.T) {
	r, err := NewReader(bytes.NewReader(nominatifXLSX(t)), "nominatif.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []string{"NO", "NAMA", "NIP", "TEMPAT/TANGGAL LAHIR › TEMPAT", "TEMPAT/TANGGAL LAHIR › TANGGAL", "PANGKAT › GOL/RUANG", "PANGKAT › TMT",
		"JABATAN › NAMA", "JABATAN › JENIS", "JABATAN › ESELON", "JABATAN › TMT", "JENIS PEGAWAI", "UNOR", "PENDIDIKAN › TINGKAT", "PENDIDIKAN › JURUSAN", "L/P"}
	if got := r.Header(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("header = %q", got)
	}
	rows := readAll(t, r)
	if len(rows) != 3 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	if rows[0].Line != 7 || rows[1].Line != 9 || rows[2].Line != 10 {
		t.Errorf("lines %d %d %d, want 7 9 10", rows[0].Line, rows[1].Line, rows[2].Line)
	}

	checkParsed(t, rows[0], netra.Employee{NIP: "198609262015051001", Name: "Siti Aminah", BackTitle: "S.Pd.", Type: netra.PNS,
		Golongan: "III/b", PositionName: "Kepala Seksi Kurikulum", PositionType: netra.Pengawas, Status: netra.StatusActive,
		BirthDate: date(1986, 9, 26), Sex: netra.Male, BirthPlace: "Palangka Raya", Eselon: "IV.a", Education: "S-2",
		RankDate: date(2019, 4, 1), PositionDate: date(2023, 1, 2), Head: true},
		[3]string{"Seksi Kurikulum", "", ""}, []string{ColSex})

	_, errs := ParseRow(rows[1], DefaultNow())
	if len(errs) != 1 || errs[0].Column != ColNIP || !strings.Contains(errs[0].Reason.EN, "format the column as Text") {
		t.Errorf("float NIP: %v (NIP cell %q)", errs, rows[1].NIP)
	}

	checkParsed(t, rows[2], netra.Employee{NIP: "199901012024022003", Name: "Rina", Type: netra.CPNS, Golongan: "III/a",
		PositionName: "Pengelola Data", PositionType: netra.Pelaksana, Status: netra.StatusActive, BirthDate: date(1999, 1, 1),
		Sex: netra.Female, BirthPlace: "Sampit", Education: "S-1/Sarjana", RankDate: date(2024, 2, 1)},
		[3]string{"Sub Bagian Umum", "", ""}, nil)
}

// TestTwoLevelHeaderCSV reads the same layout saved as CSV: the parents'
// merged cells are empty after the first column.
func TestTwoLevelHeaderCSV(t *testing.T) {
	const file = "DAFTAR URUT KEPANGKATAN\n" +
		"NO;NIP;NAMA;PANGKAT;;JABATAN;;;JENIS PEGAWAI;UNIT KERJA\n" +
		";;;GOL;TMT;NAMA;TMT;ESELON;;\n" +
		"(1);(2);(3);(4);(5);(6);(7);(8);(9);(10)\n" +
		"1;19860926 201505 1 001;Siti;III/b;01-04-2019;Kepala Seksi Kurikulum;02/01/2023;IV.a;PNS;Dinas Pendidikan > Seksi Kurikulum\n"
	r := mustReader(t, file)
	rows := readAll(t, r)
	if len(rows) != 1 {
		t.Fatalf("rows = %+v", rows)
	}
	row := rows[0]
	if row.Line != 5 || row.Golongan != "III/b" || row.RankDate != "01-04-2019" || row.Position != "Kepala Seksi Kurikulum" ||
		row.PositionDate != "02/01/2023" || row.Eselon != "IV.a" || row.UnitPath != "Dinas Pendidikan > Seksi Kurikulum" {
		t.Errorf("row = %+v", row)
	}
	p, errs := ParseRow(row, DefaultNow())
	if len(errs) > 0 || p.Employee.PositionType != netra.Pengawas || !p.Employee.PositionDate.Equal(date(2023, 1, 2)) || !p.Employee.Head {
		t.Errorf("parsed %+v, %v", p.Employee, errs)
	}
	// A data row right under a one-level header is not taken for a second header row.
	r = mustReader(t, "NIP;NAMA;PANGKAT;;JENIS PEGAWAI;JENIS JABATAN;KODE_UNIT\n"+wantNIP+";Siti;Penata;III/b;PNS;Pelaksana;U\n")
	if rows := readAll(t, r); len(rows) != 1 || rows[0].Name != "Siti" {
		t.Errorf("data row lost: %+v", rows)
	}
}
