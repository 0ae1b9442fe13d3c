package roster

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
)

// exportSample returns employees as the store holds them: validated, so
// in their normal forms, with every field the roster carries set.
func exportSample(t *testing.T) []netra.Employee {
	t.Helper()
	es := []netra.Employee{
		{NIP: "198609262015051001", Name: "Siti Aminah", FrontTitle: "Dr.", BackTitle: "S.Pd., M.Si.", Type: netra.PNS,
			Golongan: "III/c", PositionName: "Kepala Bidang Sekolah Dasar", PositionType: netra.Administrator,
			Email: "siti@palangkarayakota.go.id", Phone: "+6281234567890", Status: netra.StatusActive,
			NIK: "6271016609860002", PNSID: "A5EB03E23C0BF6A0E040640A040252AD", OldNIP: "131234567",
			BirthPlace: "Palangka Raya", OtherEmail: "siti.aminah@gmail.com", Eselon: "III.b", Education: "S-2",
			RankDate: date(2021, 4, 1), PositionDate: date(2023, 1, 2), Head: true},
		{NIP: "199009132021222014", Name: "Yohanes Wenda", Type: netra.PPPK, Golongan: "IX", BirthDate: date(1990, 9, 14), Sex: netra.Female, Phone: "+6591234567",
			PositionName: "Guru Ahli Pertama", PositionType: netra.Fungsional, Status: netra.StatusCLTN},
		{NIP: "199009132025242014", Name: "=HYPERLINK(\"http://x\")", Type: netra.PPPKParuhWaktu,
			PositionName: "-Pengadministrasi", PositionType: netra.Pelaksana, Status: netra.StatusPreRetirement},
		{NIP: "6271014101900001", NIK: "6271014101900001", Name: "@Budi", Type: netra.NonASN, PositionName: "Pramu Kantor",
			PositionType: netra.Pelaksana, Status: netra.StatusStudyLeave, Phone: "+6285212345678"},
		{NIP: "197001012000031002", Name: "Ahmad", Type: netra.CPNS, Golongan: "II/a",
			PositionType: netra.JPTUtama, Status: netra.StatusSuspended},
	}
	for _, st := range netra.EmployeeStatuses {
		es = append(es, netra.Employee{NIP: "198609262015051001", Name: "Status " + string(st), Type: netra.PNS,
			Golongan: "IV/a", PositionType: netra.JPTPratama, Status: st})
	}
	for _, pt := range netra.PositionTypes {
		es = append(es, netra.Employee{NIP: "198609262015051001", Name: "Type " + string(pt), Type: netra.PNS,
			Golongan: "IV/a", PositionType: pt, Status: netra.StatusActive})
	}
	for i := range es {
		es[i].UnitID = 1
		if err := es[i].Validate(DefaultNow()); err != nil {
			t.Fatalf("sample %d: %v", i, err)
		}
		es[i].UnitID = 0
		es[i].Head = es[i].Head || netra.HeadPost(es[i].PositionName, es[i].PositionType)
	}
	return es
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestWriterRoundTrip(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			es := exportSample(t)
			var buf bytes.Buffer
			w, err := NewWriter(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			for i := range es {
				if err := w.WriteIn(&es[i], "UNIT.1", "62.71"); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if format == "csv" {
				s := buf.String()
				if !strings.HasPrefix(s, "\uFEFFNIP;NIK;PNS_ID;NIP_LAMA;NAMA;") {
					t.Errorf("CSV starts %q", s[:min(len(s), 40)])
				}
				if !strings.Contains(s, "'=HYPERLINK") || !strings.Contains(s, ";081234567890;") || !strings.Contains(s, "'@Budi") || !strings.Contains(s, "'-Pengadministrasi") || !strings.Contains(s, ";'+6591234567;") {
					t.Errorf("formula cells not neutralised:\n%s", s)
				}
			}
			r, err := NewReader(bytes.NewReader(buf.Bytes()), "export."+format)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var want []string
			for _, c := range Columns {
				if !c.ReadOnly {
					want = append(want, c.Name)
				}
			}
			if got := r.Header(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("header = %q, want %q", got, want)
			}
			rows := readAll(t, r)
			if len(rows) != len(es) {
				t.Fatalf("read %d rows, wrote %d", len(rows), len(es))
			}
			for i, row := range rows {
				p, errs := ParseRow(row, DefaultNow())
				if len(errs) > 0 {
					t.Errorf("row %d: %v", i, errs)
					continue
				}
				// Only the PPPK's birth date differs from its NI PPPK, on purpose.
				if want := 0 + b2i(es[i].Type == netra.PPPK); len(p.Warnings) != want {
					t.Errorf("row %d: warnings %v", i, p.Warnings)
				}
				if p.UnitCode != "UNIT.1" || p.Government != "62.71" {
					t.Errorf("row %d: unit %q government %q", i, p.UnitCode, p.Government)
				}
				if got, want := p.Employee, es[i]; !sameEmployee(got, want) {
					t.Errorf("row %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

// sameEmployee compares every field a roster carries.
func sameEmployee(a, b netra.Employee) bool {
	return a.NIP == b.NIP && a.Name == b.Name && a.FrontTitle == b.FrontTitle && a.BackTitle == b.BackTitle &&
		a.Type == b.Type && a.Golongan == b.Golongan && a.PositionName == b.PositionName &&
		a.PositionType == b.PositionType && a.Email == b.Email && a.Phone == b.Phone && a.Status == b.Status &&
		a.BirthDate.Equal(b.BirthDate) && a.Sex == b.Sex &&
		a.NIK == b.NIK && a.PNSID == b.PNSID && a.OldNIP == b.OldNIP && a.BirthPlace == b.BirthPlace &&
		a.OtherEmail == b.OtherEmail && a.Eselon == b.Eselon && a.Education == b.Education &&
		a.RankDate.Equal(b.RankDate) && a.PositionDate.Equal(b.PositionDate) && a.Head == b.Head
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "Siti": "Siti", "=1+1": "'=1+1", "+62812": "'+62812", "-": "'-", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "'quoted": "'quoted", "1-2": "1-2",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if got := unneutralize(Neutralize(in)); got != in {
			t.Errorf("unneutralize(Neutralize(%q)) = %q", in, got)
		}
	}
}

func TestNewWriterUnknownFormat(t *testing.T) {
	if _, err := NewWriter(&bytes.Buffer{}, "ods"); err == nil {
		t.Error("format ods accepted")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
