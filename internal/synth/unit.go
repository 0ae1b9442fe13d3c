package synth

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/wilayah"
)

// UnitSpec describes one organisation unit of a synthetic tree. Codes are
// unique within the government; ParentCode is "" for a top-level unit
// (perangkat daerah) and names a unit listed earlier otherwise.
type UnitSpec struct {
	Code         string
	ParentCode   string
	Type         netra.UnitType
	Name         string
	RegionCode   string // kecamatan or kelurahan code, for territorial units and their UPT
	HeadPosition string // "Kepala Dinas Pendidikan", "Camat Pahandut"
	HeadType     netra.PositionType
}

// Which tiers of government an agency exists in.
const (
	inRegency = 1 << iota
	inCity
	inProvince
	inLocal = inRegency | inCity
	inAll   = inRegency | inCity | inProvince
)

// sub is a division of an agency: its code suffix and its name.
type sub struct{ code, name string }

// agency is a perangkat daerah with a secretariat and its divisions.
type agency struct {
	code, name string
	typ        netra.UnitType
	head       string // "" means "Kepala " + name
	where      int
	subs       []sub
}

// agencies lists the badan and dinas of regional governments, after the
// Sekretariat Daerah, Sekretariat DPRD and Inspektorat that every government
// has. It is built per call, so that no package-level table can be modified.
func agencies() []agency {
	b, d := netra.UnitBadan, netra.UnitDinas
	return []agency{
		{"BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", b, "", inLocal, []sub{
			{"PPI", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian"}, {"MUTASI", "Bidang Mutasi dan Promosi"},
			{"BANGKOM", "Bidang Pengembangan Kompetensi Aparatur"}, {"KINERJA", "Bidang Penilaian Kinerja Aparatur dan Penghargaan"}}},
		{"BKD", "Badan Kepegawaian Daerah", b, "", inProvince, []sub{
			{"PPI", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian"}, {"MUTASI", "Bidang Mutasi dan Promosi"},
			{"KINERJA", "Bidang Penilaian Kinerja dan Pembinaan Aparatur"}}},
		{"BPSDM", "Badan Pengembangan Sumber Daya Manusia", b, "", inProvince, []sub{
			{"MANAJERIAL", "Bidang Pengembangan Kompetensi Manajerial"}, {"TEKNIS", "Bidang Pengembangan Kompetensi Teknis dan Fungsional"},
			{"SERTIFIKASI", "Bidang Sertifikasi Kompetensi dan Pengelolaan Kelembagaan"}}},
		{"BAPPEDALITBANG", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", b, "", inLocal, []sub{
			{"PPM", "Bidang Pemerintahan dan Pembangunan Manusia"}, {"EKO", "Bidang Perekonomian dan Sumber Daya Alam"},
			{"INFRA", "Bidang Infrastruktur dan Kewilayahan"}, {"LITBANG", "Bidang Penelitian dan Pengembangan"}}},
		{"BAPPEDA", "Badan Perencanaan Pembangunan Daerah", b, "", inProvince, []sub{
			{"PPM", "Bidang Pemerintahan dan Pembangunan Manusia"}, {"EKO", "Bidang Perekonomian dan Sumber Daya Alam"},
			{"INFRA", "Bidang Infrastruktur dan Kewilayahan"}, {"PPE", "Bidang Perencanaan, Pengendalian dan Evaluasi"}}},
		{"BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", b, "", inAll, []sub{
			{"ANGGARAN", "Bidang Anggaran"}, {"PERBEND", "Bidang Perbendaharaan"}, {"AKUNTANSI", "Bidang Akuntansi"}, {"ASET", "Bidang Aset"}}},
		{"BAPENDA", "Badan Pendapatan Daerah", b, "", inAll, []sub{
			{"PAJAK", "Bidang Pendataan dan Penetapan Pajak Daerah"}, {"PENAGIHAN", "Bidang Penagihan dan Keberatan"},
			{"RETRIBUSI", "Bidang Retribusi dan Pendapatan Lain-lain"}}},
		{"BPBD", "Badan Penanggulangan Bencana Daerah", b, "Kepala Pelaksana Badan Penanggulangan Bencana Daerah", inAll, []sub{
			{"PK", "Bidang Pencegahan dan Kesiapsiagaan"}, {"KL", "Bidang Kedaruratan dan Logistik"}, {"RR", "Bidang Rehabilitasi dan Rekonstruksi"}}},
		{"KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", b, "", inAll, []sub{
			{"IDEOLOGI", "Bidang Ideologi, Wawasan Kebangsaan dan Karakter Bangsa"},
			{"POLDAGRI", "Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan"},
			{"KETAHANAN", "Bidang Ketahanan Ekonomi, Sosial, Budaya, Agama dan Penanganan Konflik"}}},
		{"DISDIK", "Dinas Pendidikan", d, "", inLocal, []sub{
			{"PAUD", "Bidang Pembinaan PAUD dan Pendidikan Nonformal"}, {"SD", "Bidang Pembinaan Sekolah Dasar"},
			{"SMP", "Bidang Pembinaan Sekolah Menengah Pertama"}, {"GTK", "Bidang Guru dan Tenaga Kependidikan"}}},
		{"DISDIK", "Dinas Pendidikan", d, "", inProvince, []sub{
			{"SMA", "Bidang Pembinaan Sekolah Menengah Atas"}, {"SMK", "Bidang Pembinaan Sekolah Menengah Kejuruan"},
			{"PKLK", "Bidang Pembinaan Pendidikan Khusus"}, {"GTK", "Bidang Guru dan Tenaga Kependidikan"}}},
		{"DINKES", "Dinas Kesehatan", d, "", inAll, []sub{
			{"KESMAS", "Bidang Kesehatan Masyarakat"}, {"P2P", "Bidang Pencegahan dan Pengendalian Penyakit"},
			{"YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan"}}},
		{"DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", d, "", inAll, []sub{
			{"BM", "Bidang Bina Marga"}, {"SDA", "Bidang Sumber Daya Air"}, {"CK", "Bidang Cipta Karya"}, {"TR", "Bidang Penataan Ruang"}}},
		{"DPRKP", "Dinas Perumahan Rakyat dan Kawasan Permukiman", d, "", inAll, []sub{
			{"PERUMAHAN", "Bidang Perumahan"}, {"PERMUKIMAN", "Bidang Kawasan Permukiman"}, {"PERTANAHAN", "Bidang Pertanahan"}}},
		{"DISHUB", "Dinas Perhubungan", d, "", inAll, []sub{
			{"LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan"}, {"SARPRAS", "Bidang Sarana dan Prasarana"},
			{"DALOPS", "Bidang Pengendalian dan Operasional"}}},
		{"DLH", "Dinas Lingkungan Hidup", d, "", inAll, []sub{
			{"TATA", "Bidang Tata Lingkungan"}, {"SAMPAH", "Bidang Pengelolaan Sampah dan Limbah B3"},
			{"PPKL", "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan Hidup"}}},
		{"DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", d, "", inLocal, []sub{
			{"DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk"}, {"CAPIL", "Bidang Pelayanan Pencatatan Sipil"},
			{"PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan dan Pemanfaatan Data"}}},
		{"DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", d, "", inAll, []sub{
			{"PM", "Bidang Penanaman Modal"}, {"PERIZINAN", "Bidang Pelayanan Perizinan dan Nonperizinan"},
			{"DALAK", "Bidang Pengaduan, Pengendalian dan Pelaksanaan Perizinan"}}},
		{"DINSOS", "Dinas Sosial", d, "", inAll, []sub{
			{"REHSOS", "Bidang Rehabilitasi Sosial"}, {"LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial"},
			{"DAYASOS", "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin"}}},
		{"SATPOLPP", "Satuan Polisi Pamong Praja", d, "", inAll, []sub{
			{"GAKDA", "Bidang Penegakan Peraturan Daerah"}, {"TRANTIB", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat"},
			{"LINMAS", "Bidang Perlindungan Masyarakat"}}},
		{"DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", d, "", inCity, []sub{
			{"OPS", "Bidang Operasi dan Penyelamatan"}, {"SARPRAS", "Bidang Sarana dan Prasarana"}}},
		{"DISKOMINFO", "Dinas Komunikasi dan Informatika", d, "", inAll, []sub{
			{"IKP", "Bidang Informasi dan Komunikasi Publik"}, {"APTIKA", "Bidang Aplikasi Informatika"},
			{"STATSAN", "Bidang Statistik dan Persandian"}}},
		{"DINKOPUKM", "Dinas Koperasi, Usaha Kecil dan Menengah", d, "", inAll, []sub{
			{"KOPERASI", "Bidang Kelembagaan dan Pengawasan Koperasi"}, {"UKM", "Bidang Pemberdayaan Usaha Kecil dan Menengah"}}},
		{"DISPERINDAG", "Dinas Perindustrian dan Perdagangan", d, "", inAll, []sub{
			{"INDUSTRI", "Bidang Perindustrian"}, {"DAGANG", "Bidang Perdagangan"}, {"METRO", "Bidang Metrologi dan Pengelolaan Pasar"}}},
		{"DISNAKER", "Dinas Tenaga Kerja", d, "", inLocal, []sub{
			{"LATTAS", "Bidang Pelatihan dan Penempatan Tenaga Kerja"}, {"HI", "Bidang Hubungan Industrial dan Jaminan Sosial Tenaga Kerja"}}},
		{"DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi", d, "", inProvince, []sub{
			{"LATTAS", "Bidang Pelatihan dan Penempatan Tenaga Kerja"}, {"HI", "Bidang Hubungan Industrial dan Jaminan Sosial Tenaga Kerja"},
			{"TRANS", "Bidang Transmigrasi"}}},
		{"DISPERTAN", "Dinas Pertanian", d, "", inLocal, []sub{
			{"TPH", "Bidang Tanaman Pangan dan Hortikultura"}, {"PKH", "Bidang Peternakan dan Kesehatan Hewan"},
			{"PSP", "Bidang Prasarana, Sarana dan Penyuluhan Pertanian"}}},
		{"DTPHP", "Dinas Tanaman Pangan, Hortikultura dan Peternakan", d, "", inProvince, []sub{
			{"TPH", "Bidang Tanaman Pangan dan Hortikultura"}, {"PKH", "Bidang Peternakan dan Kesehatan Hewan"},
			{"PSP", "Bidang Prasarana dan Sarana Pertanian"}}},
		{"DISHUT", "Dinas Kehutanan", d, "", inProvince, []sub{
			{"PPH", "Bidang Perencanaan dan Pemanfaatan Hutan"}, {"PHKA", "Bidang Perlindungan Hutan dan Konservasi Alam"},
			{"PDAS", "Bidang Penyuluhan, Pemberdayaan Masyarakat dan Pengelolaan DAS"}}},
		{"DESDM", "Dinas Energi dan Sumber Daya Mineral", d, "", inProvince, []sub{
			{"MINERBA", "Bidang Mineral dan Batubara"}, {"ENERGI", "Bidang Energi dan Ketenagalistrikan"},
			{"GEOLOGI", "Bidang Geologi dan Air Tanah"}}},
		{"DKP", "Dinas Kelautan dan Perikanan", d, "", inProvince, []sub{
			{"KELAUTAN", "Bidang Kelautan dan Pesisir"}, {"TANGKAP", "Bidang Perikanan Tangkap"}, {"BUDIDAYA", "Bidang Perikanan Budidaya"}}},
		{"DISKAN", "Dinas Perikanan", d, "", inRegency, []sub{
			{"BUDIDAYA", "Bidang Perikanan Budidaya"}, {"TANGKAP", "Bidang Perikanan Tangkap"},
			{"OLAHAN", "Bidang Pengolahan dan Pemasaran Hasil Perikanan"}}},
		{"DKPANGAN", "Dinas Ketahanan Pangan", d, "", inAll, []sub{
			{"KDP", "Bidang Ketersediaan dan Distribusi Pangan"}, {"KKP", "Bidang Konsumsi dan Keamanan Pangan"}}},
		{"DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", d, "", inRegency | inProvince, []sub{
			{"PEMDES", "Bidang Pemerintahan Desa"}, {"PM", "Bidang Pemberdayaan Masyarakat"}, {"EKODES", "Bidang Ekonomi dan Pembangunan Desa"}}},
		{"DISPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata", d, "", inLocal, []sub{
			{"PEMUDA", "Bidang Kepemudaan"}, {"OLAHRAGA", "Bidang Keolahragaan"}, {"PARIWISATA", "Bidang Pariwisata"}}},
		{"DISPORA", "Dinas Pemuda dan Olahraga", d, "", inProvince, []sub{
			{"PEMUDA", "Bidang Kepemudaan"}, {"OLAHRAGA", "Bidang Keolahragaan"}}},
		{"DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", d, "", inProvince, []sub{
			{"BUDAYA", "Bidang Kebudayaan"}, {"DESTINASI", "Bidang Destinasi Pariwisata"}, {"PEMASARAN", "Bidang Pemasaran Pariwisata"}}},
		{"DISPUSIP", "Dinas Perpustakaan dan Kearsipan", d, "", inAll, []sub{
			{"PUSTAKA", "Bidang Perpustakaan"}, {"ARSIP", "Bidang Kearsipan"}}},
		{"DP3APPKB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana", d, "", inAll, []sub{
			{"PPPA", "Bidang Pemberdayaan Perempuan dan Perlindungan Anak"}, {"DALDUK", "Bidang Pengendalian Penduduk"},
			{"KB", "Bidang Keluarga Berencana dan Keluarga Sejahtera"}}},
	}
}

// shortName drops "Kabupaten"/"Kota" (and "Administrasi") from a
// government's name: "Kota Palangkaraya" → "Palangkaraya".
func shortName(gov wilayah.Area) string {
	n := gov.Name
	for _, p := range []string{"Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "} {
		if strings.HasPrefix(n, p) {
			return n[len(p):]
		}
	}
	return n
}

// regionalHead returns the title of the government's head, as it appears
// in "Staf Ahli Wali Kota…".
func regionalHead(lvl netra.TenantLevel) string {
	switch lvl {
	case netra.LevelProvince:
		return "Gubernur"
	case netra.LevelCity:
		return "Wali Kota"
	}
	return "Bupati"
}

type tree struct{ units []UnitSpec }

func (t *tree) add(code, parent string, typ netra.UnitType, name, head string, ht netra.PositionType, region string) {
	t.units = append(t.units, UnitSpec{Code: code, ParentCode: parent, Type: typ, Name: name,
		RegionCode: region, HeadPosition: head, HeadType: ht})
}

// UnitTree returns a believable organisation tree for a government, parents
// before children: for a regency or city the Sekretariat Daerah with its
// assistants, sections and expert staff, the Sekretariat DPRD, the
// Inspektorat, some thirty badan and dinas each with a secretariat and
// divisions, schools and health centres per district, an RSUD, and a
// Kecamatan per district with its kelurahan (desa are not government
// offices and are left out). A province gets its biro, provincial dinas,
// branch offices of education with the SMA and SMK under them, and a
// revenue office per regency, but no kecamatan. The national code "00" gets
// a small BKN-like tree. d supplies districts and villages; an unknown code
// gives nil.
func UnitTree(gov wilayah.Area, d *wilayah.Data) []UnitSpec {
	lvl, ok := netra.LevelOfCode(gov.Code)
	if !ok {
		return nil
	}
	if lvl == netra.LevelNational {
		return nationalTree()
	}
	t := &tree{}
	jpt, adm, pgw, fung := netra.JPTPratama, netra.Administrator, netra.Pengawas, netra.Fungsional
	head := regionalHead(lvl)
	short := shortName(gov)
	prov := lvl == netra.LevelProvince
	where := inRegency
	switch lvl {
	case netra.LevelProvince:
		where = inProvince
	case netra.LevelCity:
		where = inCity
	}

	// Sekretariat Daerah. A provincial Sekda is JPT madya and its sections
	// are biro led by JPT pratama; a regency's are bagian led by administrators.
	sekdaType, secType, secWord := jpt, adm, "Bagian"
	if prov {
		sekdaType, secType, secWord = netra.JPTMadya, jpt, "Biro"
	}
	t.add("SETDA", "", netra.UnitSekretariat, "Sekretariat Daerah", "Sekretaris Daerah", sekdaType, "")
	assistants := []struct {
		code, name string
		parts      []sub
	}{
		{"AS1", "Asisten Pemerintahan dan Kesejahteraan Rakyat", []sub{{"TAPEM", "Tata Pemerintahan"}, {"HKM", "Hukum"}, {"KESRA", "Kesejahteraan Rakyat"}}},
		{"AS2", "Asisten Perekonomian dan Pembangunan", []sub{{"EKO", "Perekonomian dan Sumber Daya Alam"}, {"ADPEM", "Administrasi Pembangunan"}, {"PBJ", "Pengadaan Barang dan Jasa"}}},
		{"AS3", "Asisten Administrasi Umum", []sub{{"ORG", "Organisasi"}, {"UMUM", "Umum"}, {"PROKOPIM", "Protokol dan Komunikasi Pimpinan"}}},
	}
	if prov {
		assistants[0].parts[0] = sub{"PEMOTDA", "Pemerintahan dan Otonomi Daerah"}
		assistants[2].parts[2] = sub{"ADPIM", "Administrasi Pimpinan"}
	}
	for _, a := range assistants {
		code := "SETDA." + a.code
		t.add(code, "SETDA", netra.UnitAsisten, a.name, a.name, jpt, "")
		for _, p := range a.parts {
			name := secWord + " " + p.name
			t.add(code+"."+p.code, code, netra.UnitBagian, name, "Kepala "+name, secType, "")
		}
	}
	for i, field := range []string{"Pemerintahan, Hukum dan Politik", "Ekonomi, Keuangan dan Pembangunan", "Kemasyarakatan dan Sumber Daya Manusia"} {
		name := "Staf Ahli " + head + " Bidang " + field
		t.add("SETDA.SA"+strconv.Itoa(i+1), "SETDA", netra.UnitStafAhli, name, name, jpt, "")
	}

	// Administrative cities of Jakarta have no council of their own.
	if !strings.Contains(gov.Name, "Administrasi") {
		t.add("SETWAN", "", netra.UnitSekretariat, "Sekretariat DPRD", "Sekretaris DPRD", jpt, "")
		for _, p := range []sub{{"UMUM", "Bagian Umum dan Keuangan"}, {"SIDANG", "Bagian Persidangan dan Perundang-undangan"}, {"FASILITASI", "Bagian Fasilitasi Penganggaran dan Pengawasan"}} {
			t.add("SETWAN."+p.code, "SETWAN", netra.UnitBagian, p.name, "Kepala "+p.name, adm, "")
		}
	}

	t.add("INSP", "", netra.UnitInspektorat, "Inspektorat", "Inspektur", jpt, "")
	t.add("INSP.SEK", "INSP", netra.UnitSekretariat, "Sekretariat Inspektorat", "Sekretaris Inspektorat", adm, "")
	for i, roman := range []string{"I", "II", "III", "IV"} {
		t.add("INSP.IRBAN"+strconv.Itoa(i+1), "INSP", netra.UnitBidang, "Inspektorat Pembantu Wilayah "+roman, "Inspektur Pembantu Wilayah "+roman, adm, "")
	}

	var districts []wilayah.Area
	var regencies []wilayah.Area
	if d != nil {
		if prov {
			regencies = d.Regencies(gov.Code)
		} else {
			districts = d.Districts(gov.Code)
		}
	}

	for _, a := range agencies() {
		if a.where&where == 0 {
			continue
		}
		headPos := a.head
		if headPos == "" {
			headPos = "Kepala " + a.name
		}
		t.add(a.code, "", a.typ, a.name, headPos, jpt, "")
		// "Sekretaris Dinas Pendidikan", "Sekretaris Badan Pendapatan Daerah".
		t.add(a.code+".SEK", a.code, netra.UnitSekretariat, "Sekretariat "+a.name, "Sekretaris "+a.name, adm, "")
		for _, s := range a.subs {
			t.add(a.code+"."+s.code, a.code, netra.UnitBidang, s.name, "Kepala "+s.name, adm, "")
		}
		switch {
		case a.code == "DISDIK" && !prov:
			// Two primary schools per district and one junior high, capped so
			// that a regency of fifty districts stays a few hundred units.
			smp := 0
			for i, dist := range districts {
				if i < 20 {
					for n := 1; n <= 2; n++ {
						name := fmt.Sprintf("SD Negeri %d %s", n, dist.Name)
						t.add(fmt.Sprintf("DISDIK.SDN.%s.%d", dist.Code, n), "DISDIK", netra.UnitUPT, name, "Kepala "+name, fung, dist.Code)
					}
				}
				if i < 20 {
					smp++
					name := fmt.Sprintf("SMP Negeri %d %s", smp, short)
					t.add(fmt.Sprintf("DISDIK.SMPN.%d", smp), "DISDIK", netra.UnitUPT, name, "Kepala "+name, fung, dist.Code)
				}
			}
		case a.code == "DISDIK" && prov:
			// Branch offices cover three regencies each; every regency has
			// a state senior high school and a vocational school. A regency
			// and a city may share a name (Kabupaten and Kota Bogor); their
			// schools then carry the full name.
			shorts := map[string]int{}
			for _, reg := range regencies {
				shorts[shortName(reg)]++
			}
			for i, reg := range regencies {
				n := i/3 + 1
				cab := "DISDIK.CABDIN" + strconv.Itoa(n)
				if i%3 == 0 {
					name := "Cabang Dinas Pendidikan Wilayah " + roman(n)
					t.add(cab, "DISDIK", netra.UnitUPT, name, "Kepala "+name, adm, "")
				}
				rs := shortName(reg)
				if shorts[rs] > 1 {
					rs = reg.Name
				}
				for _, kind := range []string{"SMA", "SMK"} {
					name := kind + " Negeri 1 " + rs
					t.add(cab+"."+kind+"N."+reg.Code, cab, netra.UnitUPT, name, "Kepala "+name, fung, "")
				}
			}
		case a.code == "DINKES":
			for _, dist := range districts {
				name := "UPT Puskesmas " + dist.Name
				t.add("DINKES.PKM."+dist.Code, "DINKES", netra.UnitUPT, name, "Kepala "+name, pgw, dist.Code)
			}
			rsud, rsType := "RSUD "+gov.Name, adm
			if prov {
				rsud, rsType = "RSUD Provinsi "+gov.Name, jpt
			}
			t.add("DINKES.RSUD", "DINKES", netra.UnitUPT, rsud, "Direktur "+rsud, rsType, "")
		case a.code == "BAPENDA" && prov:
			for _, reg := range regencies {
				name := "UPT Pendapatan Daerah " + reg.Name
				t.add("BAPENDA.UPT."+reg.Code, "BAPENDA", netra.UnitUPT, name, "Kepala "+name, pgw, "")
			}
		}
	}

	for _, dist := range districts {
		kec := "KEC." + dist.Code
		t.add(kec, "", netra.UnitKecamatan, "Kecamatan "+dist.Name, "Camat "+dist.Name, adm, dist.Code)
		for _, v := range d.Villages(dist.Code) {
			if v.IsKelurahan() {
				t.add("KEL."+v.Code, kec, netra.UnitKelurahan, "Kelurahan "+v.Name, "Lurah "+v.Name, pgw, v.Code)
			}
		}
	}
	return t.units
}

// roman writes 1–39 in Roman numerals, enough for branch offices.
func roman(n int) string {
	tens := []string{"", "X", "XX", "XXX"}
	ones := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	if n < 1 || n > 39 {
		return strconv.Itoa(n)
	}
	return tens[n/10] + ones[n%10]
}

// nationalTree is a small tree in the shape of BKN, the national tenant
// that oversees all governments.
func nationalTree() []UnitSpec {
	t := &tree{}
	madya, jpt, adm := netra.JPTMadya, netra.JPTPratama, netra.Administrator
	t.add("SESTAMA", "", netra.UnitSekretariat, "Sekretariat Utama", "Sekretaris Utama", madya, "")
	for _, b := range []sub{{"UMUM", "Biro Umum"}, {"KEU", "Biro Keuangan"}, {"HUMAS", "Biro Hubungan Masyarakat, Hukum dan Kerja Sama"}, {"SDM", "Biro Sumber Daya Manusia"}} {
		t.add("SESTAMA."+b.code, "SESTAMA", netra.UnitBagian, b.name, "Kepala "+b.name, jpt, "")
	}
	deputies := []struct {
		code, name string
		dirs       []string
	}{
		{"WASDAL", "Deputi Bidang Pengawasan dan Pengendalian", []string{"Direktorat Pengawasan dan Pengendalian I", "Direktorat Pengawasan dan Pengendalian II", "Direktorat Pengawasan dan Pengendalian III", "Direktorat Pengawasan dan Pengendalian IV"}},
		{"MUTASI", "Deputi Bidang Mutasi dan Status Kepegawaian", []string{"Direktorat Status dan Kedudukan Kepegawaian", "Direktorat Pensiun PNS dan Pejabat Negara"}},
		{"SINKA", "Deputi Bidang Sistem Informasi Kepegawaian", []string{"Direktorat Pengolahan Data dan Penyajian Informasi Kepegawaian", "Direktorat Arsip Kepegawaian Aparatur Sipil Negara"}},
		{"BINAMEN", "Deputi Bidang Pembinaan Manajemen Kepegawaian", []string{"Direktorat Jabatan Aparatur Sipil Negara", "Direktorat Kinerja Aparatur Sipil Negara"}},
	}
	for _, dep := range deputies {
		t.add(dep.code, "", netra.UnitOther, dep.name, dep.name, madya, "")
		for i, dir := range dep.dirs {
			t.add(dep.code+".DIT"+strconv.Itoa(i+1), dep.code, netra.UnitBidang, dir, "Direktur"+strings.TrimPrefix(dir, "Direktorat"), jpt, "")
		}
	}
	t.add("INSP", "", netra.UnitInspektorat, "Inspektorat", "Inspektur", jpt, "")
	t.add("INSP.SEK", "INSP", netra.UnitSekretariat, "Bagian Tata Usaha Inspektorat", "Kepala Bagian Tata Usaha Inspektorat", adm, "")
	for i, city := range []string{"Yogyakarta", "Surabaya", "Bandung", "Makassar", "Jakarta", "Medan", "Palembang", "Banjarmasin", "Jayapura", "Denpasar", "Manado", "Pekanbaru", "Banda Aceh", "Manokwari"} {
		name := fmt.Sprintf("Kantor Regional %s BKN %s", roman(i+1), city)
		t.add(fmt.Sprintf("KANREG%d", i+1), "", netra.UnitUPT, name, "Kepala "+name, jpt, "")
	}
	return t.units
}
