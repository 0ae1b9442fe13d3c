package roster

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
)

func validRow() Row {
	return Row{Line: 7, NIP: "19860926 201505 1 001", Name: "Siti  Aminah", BackTitle: "S.Pd.",
		Type: "PNS", Golongan: "III/c", Position: "Guru Ahli Muda", PositionType: "Fungsional",
		UnitCode: "DISDIK.SDN.1", UnitPath: "Dinas Pendidikan > SD Negeri 1", Email: "Siti@PalangkaRayaKota.go.id",
		Phone: "0812-3456-7890", Status: "Aktif"}
}

func TestParseRowValid(t *testing.T) {
	p, errs := ParseRow(validRow(), DefaultNow())
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	e := p.Employee
	if e.NIP != wantNIP || e.Name != "Siti Aminah" || e.Type != netra.PNS || e.Golongan != "III/c" ||
		e.PositionType != netra.Fungsional || e.Email != "siti@palangkarayakota.go.id" || e.Phone != "+6281234567890" ||
		e.Status != netra.StatusActive || e.Sex != netra.Male || e.UnitID != 0 ||
		!e.BirthDate.Equal(time.Date(1986, 9, 26, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("employee = %+v", e)
	}
	if p.UnitCode != "DISDIK.SDN.1" || len(p.UnitPath) != 2 || p.UnitPath[1] != "SD Negeri 1" {
		t.Errorf("unit = %q %q", p.UnitCode, p.UnitPath)
	}
}

func TestParseRow(t *testing.T) {
	now := DefaultNow()
	tests := []struct {
		name   string
		change func(r *Row)
		want   []string // columns with problems, in column order
		check  func(t *testing.T, p Parsed)
	}{
		{"valid", func(r *Row) {}, nil, nil},
		{"non-ASN with NIK and dashes", func(r *Row) {
			r.NIP, r.Type, r.Golongan, r.PositionType, r.Email, r.Phone = "6271014101900001", "Honorer", "-", "Pelaksana", "-", ""
		}, nil, func(t *testing.T, p Parsed) {
			if p.Employee.Type != netra.NonASN || p.Employee.Golongan != "" || p.Employee.Sex != netra.Female {
				t.Errorf("employee = %+v", p.Employee)
			}
		}},
		{"PPPK", func(r *Row) { r.NIP, r.Type, r.Golongan = "199009132021222014", "PPPK", "IX" }, nil, nil},
		{"part-time PPPK", func(r *Row) { r.NIP, r.Type, r.Golongan = "199009132025242014", "PPPK Paruh Waktu", "" }, nil, nil},
		{"combined rank cell", func(r *Row) { r.Golongan = "Penata Muda Tk. I, III/b" }, nil, func(t *testing.T, p Parsed) {
			if p.Employee.Golongan != "III/b" {
				t.Errorf("golongan = %q", p.Employee.Golongan)
			}
		}},
		{"eselon as position type", func(r *Row) { r.PositionType, r.Golongan = "Eselon III.a", "IV/a" }, nil, func(t *testing.T, p Parsed) {
			if p.Employee.PositionType != netra.Administrator {
				t.Errorf("position type = %q", p.Employee.PositionType)
			}
		}},
		{"unit path only", func(r *Row) { r.UnitCode = "" }, nil, nil},
		{"unit code only", func(r *Row) { r.UnitPath = "" }, nil, nil},
		{"government code", func(r *Row) { r.Government = "62.71" }, nil, func(t *testing.T, p Parsed) {
			if p.Government != "62.71" {
				t.Errorf("government = %q", p.Government)
			}
		}},
		{"titles inside the name", func(r *Row) { r.Name, r.BackTitle = "Dr. Siti Aminah, S.Pd., M.Si.", "" }, nil, func(t *testing.T, p Parsed) {
			e := p.Employee
			if e.FrontTitle != "Dr." || e.Name != "Siti Aminah" || e.BackTitle != "S.Pd., M.Si." {
				t.Errorf("split = %q | %q | %q", e.FrontTitle, e.Name, e.BackTitle)
			}
		}},
		{"short NIP", func(r *Row) { r.NIP = "12345" }, []string{ColNIP}, nil},
		{"NIP turned into a number", func(r *Row) { r.NIP = "1.98609E+17" }, []string{ColNIP}, nil},
		{"NIP sex digit", func(r *Row) { r.NIP = "198609262015053001" }, []string{ColNIP}, nil},
		{"appointment in the future", func(r *Row) { r.NIP, r.Type = "199001012026051001", "CPNS" }, []string{ColNIP}, nil},
		{"NIK for a PNS", func(r *Row) { r.NIP = "6271014101900001" }, []string{ColNIP}, nil},
		{"PNS without rank", func(r *Row) { r.Golongan = "" }, []string{ColGolongan}, nil},
		{"PPPK with a PNS rank", func(r *Row) { r.NIP, r.Type = "199009132021222014", "PPPK" }, []string{ColGolongan}, nil},
		{"non-ASN with a rank", func(r *Row) { r.NIP, r.Type = "6271014101900001", "Non-ASN" }, []string{ColGolongan}, nil},
		{"unknown rank", func(r *Row) { r.Golongan = "V/a" }, []string{ColGolongan}, nil},
		{"unknown type", func(r *Row) { r.Type = "Magang" }, []string{ColType}, nil},
		{"unknown type and bad NIP", func(r *Row) { r.Type, r.NIP = "Magang", "123" }, []string{ColNIP, ColType}, nil},
		{"missing type", func(r *Row) { r.Type = "" }, []string{ColType}, nil},
		{"unknown position type", func(r *Row) { r.PositionType = "Kepala" }, []string{ColPositionType}, nil},
		{"missing name", func(r *Row) { r.Name, r.BackTitle = "", "" }, []string{ColName}, nil},
		{"no unit", func(r *Row) { r.UnitCode, r.UnitPath = "", " > " }, []string{ColUnitCode}, nil},
		{"bad unit code", func(r *Row) { r.UnitCode = "DINAS PENDIDIKAN" }, []string{ColUnitCode}, nil},
		{"bad e-mail and phone", func(r *Row) { r.Email, r.Phone = "siti@", "12" }, []string{ColEmail, ColPhone}, nil},
		{"unknown status", func(r *Row) { r.Status = "Cuti panjang" }, []string{ColStatus}, nil},
		{"bad government code", func(r *Row) { r.Government = "6271" }, []string{ColGovernment}, nil},
		{"not UTF-8", func(r *Row) { r.Name = "Jos\xe9 Ramos" }, []string{ColName}, nil},
		{"long position name", func(r *Row) { r.Position = strings.Repeat("x", 201) }, []string{ColPosition}, nil},
		{"everything wrong at once", func(r *Row) {
			*r = Row{Line: 7, NIP: "x", Type: "PNS", Golongan: "III/z", PositionType: "?", Email: "a", Phone: "b", Status: "?", Government: "?"}
		}, []string{ColNIP, ColName, ColGolongan, ColPositionType, ColUnitCode, ColEmail, ColPhone, ColStatus, ColGovernment}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := validRow()
			tt.change(&row)
			p, errs := ParseRow(row, now)
			var cols []string
			for _, e := range errs {
				cols = append(cols, e.Column)
				if e.Line != 7 || e.Reason.ID == "" || e.Reason.EN == "" || e.Value != row.Value(e.Column) {
					t.Errorf("bad error %+v", e)
				}
			}
			if strings.Join(cols, ",") != strings.Join(tt.want, ",") {
				t.Errorf("problems in %v, want %v (%v)", cols, tt.want, errs)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func TestExcelNumberMessage(t *testing.T) {
	row := validRow()
	row.NIP = "1.98609E+17"
	_, errs := ParseRow(row, DefaultNow())
	if len(errs) != 1 || !strings.Contains(errs[0].Reason.ID, "Teks") || !strings.Contains(errs[0].Reason.EN, "Text") {
		t.Errorf("errs = %v", errs)
	}
}

func TestSplitTitles(t *testing.T) {
	tests := []struct{ in, front, name, back string }{
		{"Budi Santoso", "", "Budi Santoso", ""},
		{"Dr. Siti Aminah, S.Pd., M.Si.", "Dr.", "Siti Aminah", "S.Pd., M.Si."},
		{"Drs. H. Ahmad Yani, M.M.", "Drs. H.", "Ahmad Yani", "M.M."},
		{"dr. Novita Naparin, Sp.P.", "dr.", "Novita Naparin", "Sp.P."},
		{"Siregar, Togar", "", "Siregar, Togar", ""},
		{"Ir.", "", "Ir.", ""},
		{"I Wayan Sudarma, S.Kep., Ns.", "", "I Wayan Sudarma", "S.Kep., Ns."},
		{"Budi, SPd", "", "Budi, SPd", ""}, // no dot: not clearly a title, so the name stays whole
	}
	for _, tt := range tests {
		f, n, b := splitTitles(tt.in)
		if f != tt.front || n != tt.name || b != tt.back {
			t.Errorf("splitTitles(%q) = %q, %q, %q", tt.in, f, n, b)
		}
	}
}

func TestWriteErrorsCSV(t *testing.T) {
	errs := []RowError{
		{Line: 3, Column: ColNIP, Value: "=HYPERLINK(\"http://x\")", Reason: netra.Msg("NIP harus 18 digit angka.", "The NIP must be 18 digits.")},
		{Line: 4, Column: ColPhone, Value: "+62 812", Reason: netra.Msg("Nomor telepon tidak sah.", "Invalid phone number.")},
		{Line: 5, Column: ColName, Value: "@SUM(A1)", Reason: netra.Msg("a", "b")},
		{Line: 6, Column: ColGolongan, Value: "-1", Reason: netra.Msg("c", "d")},
		{Line: 7, Column: ColName, Value: "Siti, \"Ani\"", Reason: netra.Msg("e", "f")},
	}
	for _, lang := range []string{"id", "en"} {
		var buf bytes.Buffer
		if err := WriteErrorsCSV(&buf, errs, lang); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), bom) {
			t.Error("no byte order mark")
		}
		cr := csv.NewReader(bytes.NewReader(buf.Bytes()[len(bom):]))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		header := "BARIS,KOLOM,NILAI,ALASAN"
		reason := "NIP harus 18 digit angka."
		if lang == "en" {
			header, reason = "LINE,COLUMN,VALUE,REASON", "The NIP must be 18 digits."
		}
		if strings.Join(recs[0], ",") != header || len(recs) != len(errs)+1 {
			t.Fatalf("%s: header %q, %d records", lang, recs[0], len(recs))
		}
		want := []string{"'=HYPERLINK(\"http://x\")", "'+62 812", "'@SUM(A1)", "'-1", "Siti, \"Ani\""}
		for i, w := range want {
			if recs[i+1][2] != w {
				t.Errorf("%s: value %d = %q, want %q", lang, i, recs[i+1][2], w)
			}
		}
		if recs[1][0] != "3" || recs[1][1] != "NIP" || recs[1][3] != reason {
			t.Errorf("%s: first record = %q", lang, recs[1])
		}
	}
}
