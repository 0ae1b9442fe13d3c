package synth

import (
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/wilayah"
)

func mustData(t testing.TB) *wilayah.Data {
	t.Helper()
	d, err := wilayah.Load()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustGov(t testing.TB, d *wilayah.Data, code string) wilayah.Area {
	t.Helper()
	if code == netra.NationalCode {
		return wilayah.Area{Code: code, Name: "Badan Kepegawaian Negara"}
	}
	a, ok := d.Lookup(code)
	if !ok {
		t.Fatalf("no area %s", code)
	}
	return a
}

// checkTree verifies what every tree must hold: unique codes, parents
// listed before their children, and units the domain accepts.
func checkTree(t *testing.T, code string, units []UnitSpec) {
	t.Helper()
	seen := map[string]bool{}
	names := map[string]bool{} // parent + name: siblings must differ
	for _, u := range units {
		if seen[u.Code] {
			t.Errorf("%s: duplicate code %s", code, u.Code)
		}
		if u.ParentCode != "" && !seen[u.ParentCode] {
			t.Errorf("%s: %s comes before its parent %s, or the parent is missing", code, u.Code, u.ParentCode)
		}
		seen[u.Code] = true
		if names[u.ParentCode+">"+u.Name] {
			t.Errorf("%s: two units named %q under %q", code, u.Name, u.ParentCode)
		}
		names[u.ParentCode+">"+u.Name] = true
		ou := netra.OrgUnit{Code: u.Code, Name: u.Name, Type: u.Type, RegionCode: u.RegionCode, HeadPosition: u.HeadPosition}
		if err := ou.Validate(); err != nil {
			t.Errorf("%s: unit %s: %v", code, u.Code, err)
		}
		if u.HeadPosition == "" || !u.HeadType.Valid() {
			t.Errorf("%s: unit %s has no head", code, u.Code)
		}
	}
}

func TestUnitTreePalangkaRaya(t *testing.T) {
	d := mustData(t)
	units := UnitTree(mustGov(t, d, "62.71"), d)
	checkTree(t, "62.71", units)
	by := map[string]UnitSpec{}
	var kec, kel []string
	for _, u := range units {
		by[u.Code] = u
		switch u.Type {
		case netra.UnitKecamatan:
			kec = append(kec, u.Name)
			if u.RegionCode != strings.TrimPrefix(u.Code, "KEC.") || u.ParentCode != "" {
				t.Errorf("kecamatan %+v", u)
			}
		case netra.UnitKelurahan:
			kel = append(kel, u.Name)
			if v, ok := d.Lookup(u.RegionCode); !ok || !v.IsKelurahan() || by[u.ParentCode].RegionCode != v.ParentCode {
				t.Errorf("kelurahan %+v is not a kelurahan of its kecamatan", u)
			}
		}
	}
	if got := strings.Join(kec, ","); got != "Kecamatan Pahandut,Kecamatan Bukit Batu,Kecamatan Jekan Raya,Kecamatan Sabangau,Kecamatan Rakumpit" {
		t.Errorf("kecamatan = %s", got)
	}
	if len(kel) != 30 {
		t.Errorf("%d kelurahan, want 30", len(kel))
	}
	want := map[string]struct {
		name, head string
		typ        netra.UnitType
	}{
		"SETDA":               {"Sekretariat Daerah", "Sekretaris Daerah", netra.UnitSekretariat},
		"SETDA.AS1":           {"Asisten Pemerintahan dan Kesejahteraan Rakyat", "Asisten Pemerintahan dan Kesejahteraan Rakyat", netra.UnitAsisten},
		"SETDA.AS1.HKM":       {"Bagian Hukum", "Kepala Bagian Hukum", netra.UnitBagian},
		"SETDA.SA1":           {"Staf Ahli Wali Kota Bidang Pemerintahan, Hukum dan Politik", "Staf Ahli Wali Kota Bidang Pemerintahan, Hukum dan Politik", netra.UnitStafAhli},
		"SETWAN":              {"Sekretariat DPRD", "Sekretaris DPRD", netra.UnitSekretariat},
		"INSP.IRBAN4":         {"Inspektorat Pembantu Wilayah IV", "Inspektur Pembantu Wilayah IV", netra.UnitBidang},
		"KESBANGPOL":          {"Badan Kesatuan Bangsa dan Politik", "Kepala Badan Kesatuan Bangsa dan Politik", netra.UnitBadan},
		"DISDIK":              {"Dinas Pendidikan", "Kepala Dinas Pendidikan", netra.UnitDinas},
		"DISDIK.SD":           {"Bidang Pembinaan Sekolah Dasar", "Kepala Bidang Pembinaan Sekolah Dasar", netra.UnitBidang},
		"DISDIK.SEK":          {"Sekretariat Dinas Pendidikan", "Sekretaris Dinas Pendidikan", netra.UnitSekretariat},
		"DINKES.PKM.62.71.01": {"UPT Puskesmas Pahandut", "Kepala UPT Puskesmas Pahandut", netra.UnitUPT},
		"DINKES.RSUD":         {"RSUD Kota Palangkaraya", "Direktur RSUD Kota Palangkaraya", netra.UnitUPT},
		"DAMKAR":              {"Dinas Pemadam Kebakaran dan Penyelamatan", "Kepala Dinas Pemadam Kebakaran dan Penyelamatan", netra.UnitDinas},
		"KEC.62.71.01":        {"Kecamatan Pahandut", "Camat Pahandut", netra.UnitKecamatan},
		"KEL.62.71.01.1003":   {"Kelurahan Langkai", "Lurah Langkai", netra.UnitKelurahan},
	}
	for code, w := range want {
		u, ok := by[code]
		if !ok || u.Name != w.name || u.HeadPosition != w.head || u.Type != w.typ {
			t.Errorf("%s = %+v, want %+v", code, u, w)
		}
	}
	if by["KEC.62.71.01"].HeadType != netra.Administrator || by["KEL.62.71.01.1003"].HeadType != netra.Pengawas || by["SETDA"].HeadType != netra.JPTPratama {
		t.Error("camat must be administrator, lurah pengawas, Sekda JPT pratama")
	}
	if _, ok := by["DPMD"]; ok {
		t.Error("a city has no village empowerment office")
	}
	roots := 0
	for _, u := range units {
		if u.ParentCode == "" && u.Type != netra.UnitKecamatan {
			roots++
		}
	}
	if roots < 25 || roots > 40 {
		t.Errorf("%d perangkat daerah; want about thirty", roots)
	}
}

func TestUnitTreeLevels(t *testing.T) {
	d := mustData(t)
	prov := UnitTree(mustGov(t, d, "62"), d)
	checkTree(t, "62", prov)
	var sma, samsat int
	for _, u := range prov {
		switch {
		case u.Type == netra.UnitKecamatan || u.Type == netra.UnitKelurahan:
			t.Errorf("a province has no %s: %s", u.Type, u.Code)
		case strings.Contains(u.Code, ".SMAN."):
			sma++
		case strings.HasPrefix(u.Code, "BAPENDA.UPT."):
			samsat++
		}
		if u.Code == "SETDA" && u.HeadType != netra.JPTMadya {
			t.Error("a provincial Sekda is JPT madya")
		}
		if u.Code == "SETDA.AS1.HKM" && (u.Name != "Biro Hukum" || u.HeadType != netra.JPTPratama) {
			t.Errorf("provincial legal bureau = %+v", u)
		}
	}
	if n := len(d.Regencies("62")); sma != n || samsat != n {
		t.Errorf("SMA %d, revenue offices %d; want one per regency (%d)", sma, samsat, n)
	}

	regency := UnitTree(mustGov(t, d, "62.01"), d)
	checkTree(t, "62.01", regency)
	hasDPMD := false
	for _, u := range regency {
		hasDPMD = hasDPMD || u.Code == "DPMD"
	}
	if !hasDPMD {
		t.Error("a regency has a village empowerment office")
	}

	national := UnitTree(mustGov(t, d, "00"), d)
	checkTree(t, "00", national)
	if len(national) < 20 || len(national) > 60 {
		t.Errorf("national tree has %d units", len(national))
	}
	if UnitTree(wilayah.Area{Code: "62.71.01"}, d) != nil || UnitTree(wilayah.Area{Code: "x"}, d) != nil {
		t.Error("a district or junk code must give no tree")
	}
}

func TestUnitTreeAllGovernments(t *testing.T) {
	d := mustData(t)
	total := 0
	for _, gov := range d.Governments() {
		units := UnitTree(gov, d)
		checkTree(t, gov.Code, units)
		total += len(units)
	}
	t.Logf("%d units in 552 governments", total)
}
