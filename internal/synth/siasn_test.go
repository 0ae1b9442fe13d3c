package synth

import (
	"bytes"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
)

func readSIASN(t *testing.T, out []byte, sep rune) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	r.Comma = sep
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], SIASNColumns) {
		t.Fatalf("header = %q", recs[0])
	}
	return recs[1:]
}

// TestSIASNShape checks every value a SIASN "data utama" export holds, as
// the import will read them: labels, dd-mm-yyyy dates, birth dates and
// sexes that agree with the NIP, NIKs of the government's province, and
// units named as the export names them.
func TestSIASNShape(t *testing.T) {
	d := mustData(t)
	opts := GenOptions{Employees: 6000, Seed: 9, Governments: []string{"62.71", "62"}, Shape: ShapeSIASN, Sep: '|', Data: d}
	out, st := mustGenerate(t, opts)
	if again, _ := mustGenerate(t, opts); !bytes.Equal(out, again) {
		t.Fatal("two runs with the same seed differ")
	}
	if st.Rows != 6000 || st.ByType[netra.NonASN] != 0 {
		t.Fatalf("stats %+v: SIASN holds only ASN", st)
	}
	col := map[string]int{}
	for i, c := range SIASNColumns {
		col[c] = i
	}
	date := regexp.MustCompile(`^(0[1-9]|[12][0-9]|3[01])-(0[1-9]|1[0-2])-(19|20)[0-9]{2}$`)
	hex32 := regexp.MustCompile(`^[0-9A-F]{32}$`)
	set := func(vs ...string) map[string]bool {
		m := map[string]bool{}
		for _, v := range vs {
			m[v] = true
		}
		return m
	}
	kinds := set("PNS DAERAH KAB/KOTA", "PNS DAERAH PROVINSI", "PPPK Penuh Waktu", "PPPK Paruh Waktu")
	statuses := set("Aktif", "CLTN", "Tugas Belajar", "Masa Persiapan Pensiun", "Pemberhentian Sementara")
	posTypes := set("Struktural", "Jabatan Fungsional Tertentu", "Fungsional Umum", "Pelaksana")
	eselons := set("I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b")
	seen := map[string]map[string]bool{}
	count := map[string]map[string]int{}
	recs := readSIASN(t, out, '|')
	for i, r := range recs {
		line := i + 2
		v := func(c string) string { return r[col[c]] }
		nip, nik := v("NIP_BARU"), v("NIK")
		for _, c := range []string{"NIP_BARU", "NIK", "PNS_ID", "EMAIL_GOV"} {
			if seen[c] == nil {
				seen[c] = map[string]bool{}
				count[c] = map[string]int{}
			}
			if v(c) != "" && seen[c][v(c)] {
				t.Errorf("line %d: %s %s repeats", line, c, v(c))
			}
			seen[c][v(c)] = true
		}
		for _, c := range []string{"JENIS_PEGAWAI_NAMA", "KEDUDUKAN_HUKUM_NAMA", "JENIS_JABATAN_NAMA", "ESELON", "STATUS_CPNS_PNS", "TINGKAT_PENDIDIKAN_NAMA"} {
			if count[c] == nil {
				count[c] = map[string]int{}
			}
			count[c][v(c)]++
		}
		if len(nip) != 18 || !hex32.MatchString(v("PNS_ID")) || !kinds[v("JENIS_PEGAWAI_NAMA")] || !statuses[v("KEDUDUKAN_HUKUM_NAMA")] || !posTypes[v("JENIS_JABATAN_NAMA")] {
			t.Fatalf("line %d: %q", line, r)
		}
		if b := v("TANGGAL_LAHIR"); !date.MatchString(b) || b[6:]+b[3:5]+b[:2] != nip[:8] {
			t.Errorf("line %d: TANGGAL_LAHIR %s against NIP %s", line, b, nip)
		}
		if sex := map[byte]string{'1': "M", '2': "F"}[nip[14]]; v("JENIS_KELAMIN") != sex {
			t.Errorf("line %d: JENIS_KELAMIN %s against NIP %s", line, v("JENIS_KELAMIN"), nip)
		}
		// NIK: the province, then the birth day (+40 for women), month and
		// two-digit year of the NIP.
		dd := int(nip[6]-'0')*10 + int(nip[7]-'0')
		if nip[14] == '2' {
			dd += 40
		}
		if len(nik) != 16 || nik[:2] != "62" || nik[6:8] != string(rune('0'+dd/10))+string(rune('0'+dd%10)) || nik[8:10] != nip[4:6] || nik[10:12] != nip[2:4] {
			t.Errorf("line %d: NIK %s against NIP %s", line, nik, nip)
		}
		for _, c := range []string{"TMT_GOLONGAN", "TMT_JABATAN"} {
			if !date.MatchString(v(c)) {
				t.Errorf("line %d: %s %q", line, c, v(c))
			}
		}
		pns := strings.HasPrefix(v("JENIS_PEGAWAI_NAMA"), "PNS")
		if pns != (v("STATUS_CPNS_PNS") == "P" || v("STATUS_CPNS_PNS") == "C") {
			t.Errorf("line %d: STATUS_CPNS_PNS %q for %s", line, v("STATUS_CPNS_PNS"), v("JENIS_PEGAWAI_NAMA"))
		}
		if (v("JENIS_JABATAN_NAMA") == "Struktural") != eselons[v("ESELON")] {
			t.Errorf("line %d: %s with eselon %q", line, v("JENIS_JABATAN_NAMA"), v("ESELON"))
		}
		prov := strings.HasPrefix(v("INSTANSI_KERJA_NAMA"), "Pemerintah Provinsi")
		if prov != (v("JENIS_PEGAWAI_NAMA") == "PNS DAERAH PROVINSI") && pns {
			t.Errorf("line %d: %s in %s", line, v("JENIS_PEGAWAI_NAMA"), v("INSTANSI_KERJA_NAMA"))
		}
		unit, induk := v("UNOR_NAMA"), v("UNOR_INDUK_NAMA")
		if unit != strings.ToUpper(unit) || induk != v("SATUAN_KERJA_KERJA_NAMA") {
			t.Errorf("line %d: unit %q, induk %q, satker %q", line, unit, induk, v("SATUAN_KERJA_KERJA_NAMA"))
		}
		if g := v("INSTANSI_KERJA_NAMA"); g != "Pemerintah Kota Palangka Raya" && g != "Pemerintah Provinsi Kalimantan Tengah" {
			t.Errorf("line %d: INSTANSI_KERJA_NAMA %q", line, g)
		}
	}
	for _, want := range []string{"PNS DAERAH KAB/KOTA", "PNS DAERAH PROVINSI", "PPPK Penuh Waktu", "PPPK Paruh Waktu"} {
		if count["JENIS_PEGAWAI_NAMA"][want] == 0 {
			t.Errorf("no %s", want)
		}
	}
	for c, wants := range map[string][]string{"STATUS_CPNS_PNS": {"P", "C"}, "ESELON": {"II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b"},
		"KEDUDUKAN_HUKUM_NAMA": {"Aktif", "CLTN", "Tugas Belajar", "Masa Persiapan Pensiun"}, "JENIS_JABATAN_NAMA": {"Struktural", "Jabatan Fungsional Tertentu", "Pelaksana", "Fungsional Umum"},
		"TINGKAT_PENDIDIKAN_NAMA": {"SLTA", "Diploma III", "S-1/Sarjana", "S-2"}} {
		for _, w := range wants {
			if count[c][w] == 0 {
				t.Errorf("%s: no %q in %v", c, w, count[c])
			}
		}
	}
	if a := count["KEDUDUKAN_HUKUM_NAMA"]["Aktif"]; a < 5800 {
		t.Errorf("only %d of 6000 active: %v", a, count["KEDUDUKAN_HUKUM_NAMA"])
	}
	// The units as real exports name them.
	wantUnits := map[string]string{
		"DINAS KESEHATAN KOTA PALANGKA RAYA":    "DINAS KESEHATAN KOTA PALANGKA RAYA",
		"BIDANG KESEHATAN MASYARAKAT":           "DINAS KESEHATAN KOTA PALANGKA RAYA",
		"KELURAHAN LANGKAI":                     "KECAMATAN PAHANDUT",
		"SEKRETARIAT DAERAH KOTA PALANGKA RAYA": "SEKRETARIAT DAERAH KOTA PALANGKA RAYA",
	}
	for _, r := range recs {
		if p, ok := wantUnits[r[col["UNOR_NAMA"]]]; ok && p == r[col["UNOR_INDUK_NAMA"]] {
			delete(wantUnits, r[col["UNOR_NAMA"]])
		}
	}
	if len(wantUnits) > 0 {
		t.Errorf("units not written as expected: %v", wantUnits)
	}
}

// TestSIASNSeparatorsAndWrongBirth: every separator gives the same records;
// WrongBirth changes only TANGGAL_LAHIR and JENIS_KELAMIN of about that
// share of rows.
func TestSIASNSeparatorsAndWrongBirth(t *testing.T) {
	d := mustData(t)
	opts := GenOptions{Employees: 2000, Seed: 4, Governments: []string{"65.71"}, Shape: ShapeSIASN, Data: d}
	base, _ := mustGenerate(t, opts)
	want := readSIASN(t, base, ',')
	for _, sep := range []rune{';', '\t', '|'} {
		opts.Sep = sep
		out, _ := mustGenerate(t, opts)
		if first, _, _ := bytes.Cut(out, []byte("\n")); string(first) != strings.Join(SIASNColumns, string(sep)) {
			t.Errorf("header with %q: %s", sep, first)
		}
		if got := readSIASN(t, out, sep); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("separator %q changes the records", sep)
		}
	}
	opts.Sep, opts.WrongBirth = 0, 10
	out, _ := mustGenerate(t, opts)
	wrong := 0
	for i, r := range readSIASN(t, out, ',') {
		w := want[i]
		if r[sBirthDate] != w[sBirthDate] || r[sSex] != w[sSex] {
			wrong++
			if r[sBirthDate] == w[sBirthDate] || r[sSex] == w[sSex] {
				t.Errorf("row %d: only one of birth date and sex changed", i)
			}
		}
		r[sBirthDate], r[sSex] = w[sBirthDate], w[sSex]
		if !slices.Equal(r, w) {
			t.Fatalf("row %d: WrongBirth changed more than the birth date and sex:\n%q\n%q", i, r, w)
		}
	}
	if wrong < 10 || wrong > 30 {
		t.Errorf("%d of 2000 rows inconsistent, want about 20", wrong)
	}
	for _, bad := range []GenOptions{{Employees: 5, Shape: "sapk", Data: d}, {Employees: 5, Sep: ':', Data: d}, {Employees: 5, WrongBirth: 1001, Data: d},
		{Employees: 5, Sep: ';', Format: "xlsx", Data: d}} {
		if _, err := Generate(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestSIASNUnitNamesResolve counts, over all 552 governments, the units an
// import could not tell apart by UNOR_NAMA and UNOR_INDUK_NAMA: none may
// share both.
func TestSIASNUnitNamesResolve(t *testing.T) {
	d := mustData(t)
	g := NewGenerator(1, DefaultNow(), d)
	ambiguous, total := 0, 0
	for _, gov := range append(d.Governments(), mustGov(t, d, "00")) {
		lvl, _ := netra.LevelOfCode(gov.Code)
		gus, err := g.prepareUnits(gov, UnitTree(gov, d), lvl, 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, u := range gus {
			total++
			key := u.unorName + "|" + u.indukName
			if other, dup := seen[key]; dup {
				ambiguous++
				if ambiguous < 10 {
					t.Errorf("%s %s: units %s and %s are both %q under %q", gov.Code, gov.Name, other, u.spec.Code, u.unorName, u.indukName)
				}
			}
			seen[key] = u.spec.Code
		}
	}
	t.Logf("%d units, %d ambiguous by UNOR_NAMA and UNOR_INDUK_NAMA", total, ambiguous)
}

// TestExtrasStillParse: the extra SIASN columns after Netra's own change
// nothing for a reader that does not know them, and carry the NIK and TMT.
func TestExtrasStillParse(t *testing.T) {
	d := mustData(t)
	opts := GenOptions{Employees: 500, Seed: 2, Governments: []string{"62.71"}, Data: d}
	plain, _ := mustGenerate(t, opts)
	opts.Extras = true
	extra, _ := mustGenerate(t, opts)
	r, err := roster.NewReader(bytes.NewReader(extra), "extra.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pr, _ := roster.NewReader(bytes.NewReader(plain), "plain.csv")
	defer pr.Close()
	for {
		row, err := r.Next()
		prow, perr := pr.Next()
		if err == io.EOF && perr == io.EOF {
			break
		}
		if err != nil || perr != nil {
			t.Fatal(err, perr)
		}
		a, errs := roster.ParseRow(row, DefaultNow())
		b, _ := roster.ParseRow(prow, DefaultNow())
		if len(errs) > 0 || a.Employee.NIP != b.Employee.NIP || a.UnitCode != b.UnitCode {
			t.Fatalf("line %d: %v %+v", row.Line, errs, a)
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(extra)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[0][len(recs[0])-len(ExtraColumns):]; !slices.Equal(got, ExtraColumns) {
		t.Fatalf("header ends %q", got)
	}
	nik := len(recs[0]) - len(ExtraColumns)
	for _, rec := range recs[1:] {
		if len(rec[nik]) != 16 || !strings.HasPrefix(rec[nik], "627") || (rec[nik+1] != "") != (rec[nik+4] != "") {
			t.Fatalf("extras %q", rec[nik:])
		}
	}
}

// TestSIASNNames: the names SIASNNames reports are the ones Generate writes.
func TestSIASNNames(t *testing.T) {
	d := mustData(t)
	gov := mustGov(t, d, "62.71")
	instansi, names := SIASNNames(gov, UnitTree(gov, d))
	if instansi != "Pemerintah Kota Palangka Raya" || len(names) != len(UnitTree(gov, d)) {
		t.Fatalf("%q, %d names", instansi, len(names))
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n.Name+"|"+n.Parent] = true
	}
	out, _ := mustGenerate(t, GenOptions{Employees: 1500, Seed: 1, Governments: []string{"62.71"}, Shape: ShapeSIASN, Data: d})
	for i, r := range readSIASN(t, out, ',') {
		if !known[r[sUnit]+"|"+r[sParentUnit]] || r[sGovernment] != instansi {
			t.Fatalf("row %d: %q under %q in %q is not a unit SIASNNames reports", i, r[sUnit], r[sParentUnit], r[sGovernment])
		}
	}
}

// TestVacantHeads: Vacant empties that many head posts, never of a
// perangkat daerah or a bidang; every other unit's head is marked Head.
func TestVacantHeads(t *testing.T) {
	d := mustData(t)
	gov := mustGov(t, d, "62.71")
	units := UnitTree(gov, d)
	g := NewGenerator(3, DefaultNow(), d)
	g.vacant = 2
	headed := map[string]bool{}
	err := g.Employees(gov, units, 4000, func(p roster.Parsed) error {
		if p.Employee.Head {
			if headed[p.UnitCode] {
				t.Errorf("two heads in %s", p.UnitCode)
			}
			headed[p.UnitCode] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var vacant []string
	for _, u := range units {
		if !headed[u.Code] {
			vacant = append(vacant, u.Code)
			if u.ParentCode == "" || u.Type == netra.UnitBidang {
				t.Errorf("%s (%s) has no head", u.Code, u.Name)
			}
		}
	}
	if len(vacant) != 2 {
		t.Errorf("vacant head posts %v, want 2", vacant)
	}
}
