package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
)

// TestImportSIASNRosterIntoDemo runs the SIASN path end to end on the
// command line: gen roster --format siasn, then a national import (--tenant
// 00) into the demo, dry run first. Rows of the demo's governments go in
// with every field stored; rows of real governments the demo does not hold
// are refused as other governments' and never land in a same-named unit.
func TestImportSIASNRosterIntoDemo(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.csv")
	mustRun(t, "gen", "roster", "--format", "siasn", "--employees", "400", "--seed", "11", "--sep", "|",
		"--governments", "62,62.71,65,65.71", "-o", ours)
	all := filepath.Join(dir, "all.csv")
	mustRun(t, "gen", "roster", "--format", "siasn", "--employees", "300", "--seed", "12", "--sep", "|", "-o", all)
	for name, p := range places(t) {
		t.Run(name, func(t *testing.T) { siasnIntoDemo(t, p, ours, all) })
	}
}

func siasnIntoDemo(t *testing.T, p place, ours, all string) {
	mustRun(t, p.args("demo")...)

	f, err := os.Open(ours)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '|'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	s := p.open(t)
	existed := map[string]bool{}
	for _, rec := range recs[1:80] {
		page, err := s.Employees(sys, netra.EmployeeFilter{Search: rec[col["NIP_BARU"]]})
		if err != nil {
			t.Fatal(err)
		}
		existed[rec[col["NIP_BARU"]]] = len(page.Employees) > 0
	}
	out, _ := mustRun(t, p.args("import", "employees", "--tenant", "00", "--dry-run", ours)...)
	dry := regexp.MustCompile(`would insert (\d+), update (\d+), leave 0 unchanged, reject 0, hold (\d+) as pending transfers; nothing written`)
	if !dry.MatchString(out) {
		t.Fatalf("dry run printed:\n%s", out)
	}
	out, _ = mustRun(t, p.args("import", "employees", "--tenant", "00", ours)...)
	if !strings.Contains(out, "400 rows read, ") || !strings.Contains(out, " 0 rejected in ") {
		t.Fatalf("the import printed:\n%s", out)
	}

	date := func(v string) string {
		if v == "" {
			return ""
		}
		d, err := time.Parse("02-01-2006", v)
		if err != nil {
			t.Fatalf("date %q: %v", v, err)
		}
		return d.Format(time.DateOnly)
	}
	day := func(d time.Time) string {
		if d.IsZero() {
			return ""
		}
		return d.Format(time.DateOnly)
	}
	checked := 0
	for _, rec := range recs[1:80] {
		v := func(c string) string { return rec[col[c]] }
		page, err := s.Employees(sys, netra.EmployeeFilter{Search: v("NIP_BARU")})
		if err != nil || len(page.Employees) == 0 {
			t.Fatalf("NIP %s not found: %v", v("NIP_BARU"), err)
		}
		e := page.Employees[0]
		if existed[e.NIP] {
			continue // a demo employee the roster names again: updated or a pending transfer
		}
		checked++
		sex := map[string]netra.Sex{"M": netra.Male, "F": netra.Female}[v("JENIS_KELAMIN")]
		got := []string{e.Name, e.FrontTitle, e.BackTitle, e.OldNIP, e.BirthPlace, day(e.BirthDate), string(e.Sex),
			string(e.Golongan), day(e.RankDate), e.PositionName, day(e.PositionDate), e.Eselon, e.Education,
			e.Email, e.OtherEmail, strings.TrimPrefix(e.Phone, "+62")}
		want := []string{v("NAMA"), v("GELAR_DEPAN"), v("GELAR_BELAKANG"), v("NIP_LAMA"), v("TEMPAT_LAHIR_NAMA"), date(v("TANGGAL_LAHIR")),
			string(sex), v("GOL_AKHIR_NAMA"), date(v("TMT_GOLONGAN")), v("JABATAN_NAMA"), date(v("TMT_JABATAN")), v("ESELON"),
			v("TINGKAT_PENDIDIKAN_NAMA"), cmpOr(v("EMAIL_GOV"), v("EMAIL")), otherEmail(v("EMAIL_GOV"), v("EMAIL")),
			strings.TrimPrefix(v("NOMOR_HP"), "0")}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("line for %s:\n got %q\nwant %q", e.NIP, got, want)
		}
		if e.PersonID == 0 || e.UnitID == 0 {
			t.Errorf("%s: person %d unit %d", e.NIP, e.PersonID, e.UnitID)
		}
	}
	if checked < 60 {
		t.Fatalf("only %d rows compared", checked)
	}

	// The whole country: only the demo's governments take rows.
	out, _ = mustRun(t, p.args("import", "employees", "--tenant", "00", "--dry-run", all)...)
	if regexp.MustCompile(`(?m)^  00 \(`).MatchString(out) || !strings.Contains(out, "Baris milik instansi lain: Aceh (11).") {
		t.Errorf("rows of governments the demo does not hold:\n%s", out)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// otherEmail is the second e-mail an export keeps: EMAIL when EMAIL_GOV is the main one.
func otherEmail(gov, personal string) string {
	if gov == "" || strings.EqualFold(gov, personal) {
		return ""
	}
	return personal
}
