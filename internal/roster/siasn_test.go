package roster

import (
	"bytes"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/netra-id/netra"
)

// siasnHeader is the header of SIASN's "data utama" export, in its order.
var siasnHeader = []string{"PNS_ID", "NIP_BARU", "NIP_LAMA", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "TEMPAT_LAHIR_NAMA",
	"TANGGAL_LAHIR", "JENIS_KELAMIN", "NIK", "NOMOR_HP", "EMAIL", "EMAIL_GOV", "JENIS_PEGAWAI_NAMA", "KEDUDUKAN_HUKUM_NAMA",
	"STATUS_CPNS_PNS", "GOL_AKHIR_NAMA", "TMT_GOLONGAN", "JENIS_JABATAN_NAMA", "JABATAN_NAMA", "TMT_JABATAN", "ESELON",
	"TINGKAT_PENDIDIKAN_NAMA", "UNOR_NAMA", "UNOR_INDUK_NAMA", "INSTANSI_KERJA_NAMA", "SATUAN_KERJA_KERJA_NAMA"}

// siasnRows are rows as SIASN writes them, with the employee each must give.
var siasnRows = []struct {
	cells []string
	want  netra.Employee
	unit  [3]string // UnitName, ParentUnitName, GovernmentName
	warns []string  // columns of the warnings
}{
	{[]string{"A5EB03E23C0BF6A0E040640A040252AD", "198609262015051001", "", "SITI AMINAH", "Dr.", "S.Pd., M.Si.", "PALANGKA RAYA",
		"26-09-1986", "M", "6271016609860002", "081234567890", "siti.aminah@gmail.com", "siti@palangkaraya.go.id",
		"PNS DAERAH KAB/KOTA", "Aktif", "P", "III/b", "01-04-2019", "Struktural", "Kepala Seksi Kurikulum", "02-01-2023 00:00:00", "IV.a",
		"S-2", "Seksi Kurikulum", "DINAS PENDIDIKAN KOTA PALANGKA RAYA", "PEMERINTAH KOTA PALANGKA RAYA", "PEMERINTAH KOTA PALANGKA RAYA"},
		netra.Employee{NIP: "198609262015051001", Name: "SITI AMINAH", FrontTitle: "Dr.", BackTitle: "S.Pd., M.Si.", Type: netra.PNS,
			Golongan: "III/b", PositionName: "Kepala Seksi Kurikulum", PositionType: netra.Pengawas, Email: "siti@palangkaraya.go.id",
			Phone: "+6281234567890", Status: netra.StatusActive, BirthDate: date(1986, 9, 26), Sex: netra.Male,
			NIK: "6271016609860002", PNSID: "A5EB03E23C0BF6A0E040640A040252AD", BirthPlace: "PALANGKA RAYA",
			OtherEmail: "siti.aminah@gmail.com", Eselon: "IV.a", Education: "S-2", RankDate: date(2019, 4, 1),
			PositionDate: date(2023, 1, 2), Head: true},
		[3]string{"Seksi Kurikulum", "DINAS PENDIDIKAN KOTA PALANGKA RAYA", "PEMERINTAH KOTA PALANGKA RAYA"}, nil},
	// A CPNS by STATUS_CPNS_PNS; the birth date and sex disagree with the NIP (warnings).
	{[]string{"", "199901012024022003", "", "RINA", "", "S.Kom.", "SAMPIT", "1999/01/02", "M", "", "", "", "rina@palangkaraya.go.id",
		"PNS DAERAH KAB/KOTA", "Aktif", "C", "III/a", "1 Februari 2024", "Fungsional Umum", "Pengelola Data", "", "",
		"S-1/Sarjana", "Sub Bagian Umum", "", "PEMERINTAH KOTA PALANGKA RAYA", ""},
		netra.Employee{NIP: "199901012024022003", Name: "RINA", BackTitle: "S.Kom.", Type: netra.CPNS, Golongan: "III/a",
			PositionName: "Pengelola Data", PositionType: netra.Pelaksana, Email: "rina@palangkaraya.go.id", Status: netra.StatusActive,
			BirthDate: date(1999, 1, 1), Sex: netra.Female, BirthPlace: "SAMPIT", Education: "S-1/Sarjana", RankDate: date(2024, 2, 1)},
		[3]string{"Sub Bagian Umum", "", "PEMERINTAH KOTA PALANGKA RAYA"}, []string{ColBirthDate, ColSex}},
	// A PPPK Penuh Waktu on CLTN, eselon as SIASN's code; only EMAIL (sign-in).
	{[]string{"", "199009132021222014", "", "YOHANES", "", "", "", "14-09-1990", "F", "", "", "yohanes@gmail.com", "",
		"PPPK Penuh Waktu", "CLTN", "", "IX", "", "Jabatan Fungsional Tertentu", "Guru Ahli Pertama", "", "", "", "SDN 1 Pahandut", "", "", "SETDA"},
		netra.Employee{NIP: "199009132021222014", Name: "YOHANES", Type: netra.PPPK, Golongan: "IX", PositionName: "Guru Ahli Pertama",
			PositionType: netra.Fungsional, Email: "yohanes@gmail.com", Status: netra.StatusCLTN, BirthDate: date(1990, 9, 14), Sex: netra.Female},
		// INSTANSI_KERJA_NAMA is in the file, so SATUAN_KERJA_KERJA_NAMA is not read.
		[3]string{"SDN 1 Pahandut", "", ""}, []string{ColBirthDate}},
	// Eselon I.b is JPT madya (UU 5/2014 Pasal 131), as code 12 under "Struktural".
	{[]string{"", "197001012000031002", "", "AHMAD", "", "", "", "", "", "", "", "", "", "PNS DAERAH PROVINSI", "Masa Persiapan Pensiun", "P",
		"IV/d", "", "Struktural", "Sekretaris Daerah", "", "12", "", "Sekretariat Daerah", "", "", ""},
		netra.Employee{NIP: "197001012000031002", Name: "AHMAD", Type: netra.PNS, Golongan: "IV/d", PositionName: "Sekretaris Daerah",
			PositionType: netra.JPTMadya, Status: netra.StatusPreRetirement, BirthDate: date(1970, 1, 1), Sex: netra.Male, Eselon: "I.b", Head: true},
		[3]string{"Sekretariat Daerah", "", ""}, nil},
	// "Jabatan administrasi" with an eselon: the eselon decides.
	{[]string{"", "197507072005011001", "", "BUDI", "", "", "", "", "", "", "", "", "", "PNS DAERAH KAB/KOTA DIPERBANTUKAN DI PROVINSI", "Tugas Belajar",
		"P", "IV/a", "", "Jabatan Administrasi", "Camat Pahandut", "", "III.a", "", "Kecamatan Pahandut", "", "", ""},
		netra.Employee{NIP: "197507072005011001", Name: "BUDI", Type: netra.PNS, Golongan: "IV/a", PositionName: "Camat Pahandut",
			PositionType: netra.Administrator, Status: netra.StatusStudyLeave, BirthDate: date(1975, 7, 7), Sex: netra.Male, Eselon: "III.a", Head: true},
		[3]string{"Kecamatan Pahandut", "", ""}, nil},
}

func siasnFile(sep string) string {
	var b strings.Builder
	b.WriteString(strings.Join(siasnHeader, sep) + "\r\n")
	for _, r := range siasnRows {
		cells := make([]string, len(r.cells))
		for i, c := range r.cells {
			if strings.Contains(c, sep) {
				c = `"` + c + `"`
			}
			cells[i] = c
		}
		b.WriteString(strings.Join(cells, sep) + "\r\n")
	}
	return b.String()
}

func TestSIASNExport(t *testing.T) {
	for name, sep := range map[string]string{"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(siasnFile(sep)), "siasn.csv")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows := readAll(t, r)
			if len(rows) != len(siasnRows) {
				t.Fatalf("%d rows", len(rows))
			}
			for i, row := range rows {
				checkParsed(t, row, siasnRows[i].want, siasnRows[i].unit, siasnRows[i].warns)
			}
		})
	}
}

func checkParsed(t *testing.T, row Row, want netra.Employee, unit [3]string, warns []string) {
	t.Helper()
	p, errs := ParseRow(row, DefaultNow())
	if len(errs) > 0 {
		t.Errorf("line %d: %v", row.Line, errs)
		return
	}
	if !sameEmployee(p.Employee, want) {
		t.Errorf("line %d:\n got %+v\nwant %+v", row.Line, p.Employee, want)
	}
	if got := [3]string{p.UnitName, p.ParentUnitName, p.GovernmentName}; got != unit {
		t.Errorf("line %d: units %q, want %q", row.Line, got, unit)
	}
	var cols []string
	for _, w := range p.Warnings {
		cols = append(cols, w.Column)
		if w.Reason.ID == "" || w.Reason.EN == "" || w.Line != row.Line {
			t.Errorf("bad warning %+v", w)
		}
	}
	if strings.Join(cols, ",") != strings.Join(warns, ",") {
		t.Errorf("line %d: warnings on %v, want %v (%v)", row.Line, cols, warns, p.Warnings)
	}
}

func TestDates(t *testing.T) {
	now := DefaultNow()
	want := date(1986, 9, 26)
	for _, s := range []string{"26-09-1986", "26/09/1986", "1986-09-26", "26.09.1986", "26 September 1986", "26 Sep 1986",
		"26-Sep-1986", "26-09-1986 00:00:00", "1986-09-26T00:00:00Z", "1986-09-26 00:00:00.000", "19860926", "31681", "31681.0",
		"09/26/1986", "26-09-86", "26 SEPTEMBER 1986 00:00", " 26-09-1986 "} {
		if got, ok := parseDate(s, now); !ok || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v %v", s, got, ok)
		}
	}
	if got, ok := parseDate("2/1/2006", now); !ok || !got.Equal(date(2006, 1, 2)) {
		t.Errorf("2/1/2006 = %v (day first)", got)
	}
	if got, ok := parseDate("1 Agustus 2020", now); !ok || !got.Equal(date(2020, 8, 1)) {
		t.Errorf("1 Agustus 2020 = %v", got)
	}
	if got, ok := parseDate("1 Mei 2020", now); !ok || !got.Equal(date(2020, 5, 1)) {
		t.Errorf("1 Mei 2020 = %v", got)
	}
	for _, s := range []string{"", "31-02-2020", "13/13/2020", "kemarin", "26 Septober 1986", "1-2-3-4", "26-09", "12.5.x", "40", "-"} {
		if got, ok := parseDate(s, now); ok {
			t.Errorf("parseDate(%q) = %v, want refusal", s, got)
		}
	}
}

func TestBadSIASNCells(t *testing.T) {
	row := func(change func(r *Row)) Row {
		r := Row{Line: 3, NIP: wantNIP, Name: "Siti", Type: "PNS DAERAH KAB/KOTA", Golongan: "III/a", PositionType: "Pelaksana", UnitName: "Bagian Umum"}
		change(&r)
		return r
	}
	tests := []struct {
		name   string
		change func(r *Row)
		col    string
		reason string // part of the English reason
	}{
		{"bad birth date", func(r *Row) { r.BirthDate = "31-02-1986" }, ColBirthDate, "cannot be read"},
		{"birth date in the future", func(r *Row) { r.BirthDate = "01-01-2030" }, ColBirthDate, "outside the possible range"},
		{"bad TMT", func(r *Row) { r.PositionDate = "besok" }, ColPositionDate, "cannot be read"},
		{"bad TMT golongan", func(r *Row) { r.RankDate = "32-13-2020" }, ColRankDate, "cannot be read"},
		{"bad sex", func(r *Row) { r.Sex = "X" }, ColSex, "L (male) or P"},
		{"bad NIK", func(r *Row) { r.NIK = "12345" }, ColNIK, "16 digits"},
		{"NIK as an Excel number", func(r *Row) { r.NIK = "6.27101E+15" }, ColNIK, "format the column as Text"},
		{"NIP as an Excel number", func(r *Row) { r.NIP = "1.98609E+17" }, ColNIP, "format the column as Text"},
		{"NIP from a float", func(r *Row) { r.NIP = "198609262015051000" }, ColNIP, "format the column as Text"},
		{"bad old NIP", func(r *Row) { r.OldNIP = "1234" }, ColOldNIP, "9 digits"},
		{"bad STATUS_CPNS_PNS", func(r *Row) { r.CPNS = "X" }, ColCPNS, "C (CPNS) or P"},
		{"bad eselon", func(r *Row) { r.PositionType, r.Eselon = "Struktural", "VI.c" }, ColEselon, "Unknown eselon"},
		{"administrasi without eselon", func(r *Row) { r.PositionType = "Jabatan Administrasi" }, ColPositionType, "covers administrator, pengawas and pelaksana"},
		{"struktural without eselon", func(r *Row) { r.PositionType = "Struktural" }, ColPositionType, "needs ESELON"},
		{"bare JPT", func(r *Row) { r.PositionType = "JPT" }, ColPositionType, "JPT Utama, JPT Madya or JPT Pratama"},
		{"bad other e-mail", func(r *Row) { r.Email, r.OtherEmail = "siti@kota.go.id", "x@" }, ColOtherEmail, "Invalid e-mail"},
		{"bad head flag", func(r *Row) { r.Head = "mungkin" }, ColHead, "Ya (yes) or Tidak"},
		{"TNI is not ASN", func(r *Row) { r.Type = "TNI" }, ColType, "Unknown employment type"},
		{"no unit at all", func(r *Row) { r.UnitName = "" }, ColUnitCode, "KODE_UNIT, UNIT_KERJA or UNOR_NAMA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := row(tt.change)
			_, errs := ParseRow(r, DefaultNow())
			found := false
			for _, e := range errs {
				found = found || (e.Column == tt.col && strings.Contains(e.Reason.EN, tt.reason) && e.Reason.ID != "" && e.Value == r.Value(tt.col))
			}
			// A bad eselon leaves the structural post without a type too.
			if !found || len(errs) > 2 || (len(errs) == 2 && tt.col != ColEselon) {
				t.Errorf("errors = %v; want one on %s saying %q", errs, tt.col, tt.reason)
			}
		})
	}
}

func TestPlausibilityWarnings(t *testing.T) {
	base := Row{Line: 3, NIP: wantNIP, Name: "Siti", Type: "PNS", Golongan: "III/a", PositionType: "Pelaksana", UnitCode: "U"}
	tests := []struct {
		name   string
		change func(r *Row)
		cols   []string
	}{
		{"agreeing", func(r *Row) { r.BirthDate, r.Sex = "26-09-1986", "L" }, nil},
		{"birth date differs", func(r *Row) { r.BirthDate = "27-09-1986" }, []string{ColBirthDate}},
		{"sex differs", func(r *Row) { r.Sex = "Perempuan" }, []string{ColSex}},
		{"appointed at 16", func(r *Row) { r.NIP = "198609262003051001" }, []string{ColNIP}},
		{"appointed at 18", func(r *Row) { r.NIP = "198609262004091001" }, nil},
		{"NIK of no province", func(r *Row) { r.NIK = "9971016609860002" }, []string{ColNIK}},
		{"non-ASN NIK of no province", func(r *Row) { r.NIP, r.Type, r.Golongan = "5571014101900001", "Non-ASN", "" }, []string{ColNIP}},
		{"eselon against the type", func(r *Row) { r.Eselon = "II.b" }, []string{ColEselon}},
		{"type in the eselon column", func(r *Row) { r.PositionType, r.Eselon = "Struktural", "Pengawas" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.change(&r)
			p, errs := ParseRow(r, DefaultNow())
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			var cols []string
			for _, w := range p.Warnings {
				cols = append(cols, w.Column)
			}
			if strings.Join(cols, ",") != strings.Join(tt.cols, ",") {
				t.Errorf("warnings on %v, want %v (%v)", cols, tt.cols, p.Warnings)
			}
		})
	}
}

func TestSignInEmail(t *testing.T) {
	tests := []struct {
		header, row, email, other string
	}{
		{"EMAIL,EMAIL_GOV", "a@gmail.com,b@kota.go.id", "b@kota.go.id", "a@gmail.com"},
		{"EMAIL_GOV,EMAIL", "b@kota.go.id,a@gmail.com", "b@kota.go.id", "a@gmail.com"},
		{"EMAIL", "a@gmail.com", "a@gmail.com", ""},
		{"EMAIL_GOV,EMAIL PRIBADI", "b@kota.go.id,a@gmail.com", "b@kota.go.id", "a@gmail.com"},
		{"EMAIL,EMAIL_LAIN", "b@kota.go.id,a@gmail.com", "b@kota.go.id", "a@gmail.com"},
		{"EMAIL,EMAIL_GOV", "b@kota.go.id,b@kota.go.id", "b@kota.go.id", ""},
	}
	for _, tt := range tests {
		r := mustReader(t, "NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,KODE_UNIT,"+tt.header+"\n"+wantNIP+",Siti,PNS,Pelaksana,U,"+tt.row+"\n")
		rows := readAll(t, r)
		rows[0].Golongan = "III/a"
		p, errs := ParseRow(rows[0], DefaultNow())
		if len(errs) > 0 || p.Employee.Email != tt.email || p.Employee.OtherEmail != tt.other {
			t.Errorf("%s: email %q other %q (%v); want %q %q", tt.header, p.Employee.Email, p.Employee.OtherEmail, errs, tt.email, tt.other)
		}
	}
	if _, err := NewReader(strings.NewReader("NIP,NAMA,JENIS_PEGAWAI,JENIS_JABATAN,KODE_UNIT,EMAIL_GOV,EMAIL KANTOR\n"), "x"); err == nil {
		t.Error("two government e-mail columns accepted")
	}
}

// TestProvinceCodesMatchWilayah keeps nip.go's province list equal to the
// embedded Kemendagri data (read as a file: loading all of internal/wilayah
// takes seconds).
func TestProvinceCodesMatchWilayah(t *testing.T) {
	b, err := os.ReadFile("../wilayah/data/provinces.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) != 39 {
		t.Fatalf("provinces.csv: %d records, %v", len(recs), err)
	}
	n := 0
	for _, r := range recs[1:] {
		if !netra.ProvinceCode(r[0]) {
			t.Errorf("province %s %s is not in netra's list", r[0], r[1])
		}
		n++
	}
	for c := 10; c < 100; c++ {
		if netra.ProvinceCode(strconv.Itoa(c)) {
			n--
		}
	}
	if n != 0 {
		t.Errorf("netra's list and wilayah differ by %d codes", n)
	}
}

func TestPlaceAndDateOfBirthInOneCell(t *testing.T) {
	r := mustReader(t, "NIP;NAMA;TEMPAT/TANGGAL LAHIR;JENIS PEGAWAI;GOL;JENIS JABATAN;UNOR\n"+
		"199009132021222014;Yohanes;Palangka Raya, 14 September 1990;PPPK;IX;Fungsional;SDN 1\n"+
		"199009132021222014;Yohanes;Sampit/13-09-1990;PPPK;IX;Fungsional;SDN 1\n"+
		"199009132021222014;Yohanes;Sampit;PPPK;IX;Fungsional;SDN 1\n")
	rows := readAll(t, r)
	p, errs := ParseRow(rows[0], DefaultNow())
	if len(errs) > 0 || p.Employee.BirthPlace != "Palangka Raya" || !p.Employee.BirthDate.Equal(date(1990, 9, 14)) || len(p.Warnings) != 1 {
		t.Errorf("row 1: %+v %v %v", p.Employee, errs, p.Warnings)
	}
	p, errs = ParseRow(rows[1], DefaultNow())
	if len(errs) > 0 || p.Employee.BirthPlace != "Sampit" || !p.Employee.BirthDate.Equal(date(1990, 9, 13)) || len(p.Warnings) != 0 {
		t.Errorf("row 2: %+v %v %v", p.Employee, errs, p.Warnings)
	}
	if _, errs = ParseRow(rows[2], DefaultNow()); len(errs) != 1 || errs[0].Column != ColBirth {
		t.Errorf("row 3: %v", errs)
	}
}
