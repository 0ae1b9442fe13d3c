package synth

import (
	"strings"

	"github.com/netra-id/netra"
)

// edu is an employee's highest education; it sets the entry rank, the rank
// ceiling, the age at appointment and the titles.
type edu uint8

const (
	eSMA  edu = iota // senior high school
	eD3              // diploma
	eS1              // bachelor (or D4)
	eProf            // bachelor plus a professional degree: doctors, pharmacists
	eS2              // master
	eS3              // doctorate
)

// eduRule is what an education implies for a PNS or PPPK.
type eduRule struct {
	start, ceiling int // indices into netra.GolonganPNS: entry rank and the highest regular rank
	minAge, maxAge int // age at first appointment
	pppk           netra.Golongan
}

// eduRules is indexed by edu. II/a for high school, II/c for a diploma,
// III/a for a bachelor, III/b for a master or a doctor; PPPK groups V, VII,
// IX, X follow the same steps.
var eduRules = [...]eduRule{
	eSMA:  {start: 4, ceiling: 10, minAge: 20, maxAge: 30, pppk: "V"},
	eD3:   {start: 6, ceiling: 11, minAge: 21, maxAge: 32, pppk: "VII"},
	eS1:   {start: 8, ceiling: 13, minAge: 22, maxAge: 35, pppk: "IX"},
	eProf: {start: 9, ceiling: 14, minAge: 24, maxAge: 35, pppk: "X"},
	eS2:   {start: 9, ceiling: 14, minAge: 25, maxAge: 38, pppk: "X"},
	eS3:   {start: 10, ceiling: 16, minAge: 30, maxAge: 42, pppk: "XI"},
}

// degree is one way to hold a position: an education and the titles that
// come with it. One of back is chosen; for a master or doctorate one of post
// is appended ("S.Pd." + "M.Pd." = "S.Pd., M.Pd.").
type degree struct {
	edu   edu
	front string
	back  []string
	post  []string
	w     int
}

// role is a position an employee can hold. Functional positions (fungsional)
// get their level from the rank: "Guru" becomes "Guru Ahli Muda".
type role struct {
	name   string
	ptype  netra.PositionType
	skill  bool // the skill ladder (Terampil, Mahir, Penyelia) rather than the expert one (Ahli Pertama…)
	degs   []degree
	female int // percent
	w      int
	levels [4]string
}

// pool is a weighted set of roles.
type pool struct {
	roles []role
	total int
}

// newPool sums the weights and spells out the levels of functional roles
// once, so that generation only indexes.
func newPool(roles ...role) *pool {
	p := &pool{roles: roles}
	for i := range p.roles {
		r := &p.roles[i]
		if r.ptype == netra.Fungsional {
			ladder := [4]string{"Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama"}
			if r.skill {
				ladder = [4]string{"Pemula", "Terampil", "Mahir", "Penyelia"}
			}
			for j, l := range ladder {
				r.levels[j] = r.name + " " + l
			}
		}
		p.total += r.w
	}
	return p
}

// dg builds a degree; back lists its titles separated by "|". The tables
// are built by functions rather than held in variables, once per
// Generator, so that nothing shared can be modified.
func dg(e edu, front, back string, w int, post ...string) degree {
	return degree{edu: e, front: front, back: strings.Split(back, "|"), post: post, w: w}
}

// officeS1 lists the bachelor titles of office staff, separated by "|".
const officeS1 = "S.E.|S.H.|S.Sos.|S.IP.|S.AP.|S.Ak.|S.M.|S.Kom.|S.T.|S.I.Kom."

// officeS2 lists the master titles of office staff.
func officeS2() []string { return []string{"M.Si.", "M.M.", "M.AP.", "M.H.", "M.Ak.", "M.E."} }

// officeDegrees are the degrees of office professionals.
func officeDegrees() []degree {
	return []degree{dg(eS1, "", officeS1, 75), dg(eS2, "", officeS1, 20, officeS2()...), dg(eS3, "Dr.", officeS1, 1, officeS2()...)}
}

// staffDegrees are the degrees of office staff: high school, diploma or bachelor.
func staffDegrees() []degree {
	return []degree{dg(eSMA, "", "", 40), dg(eD3, "", "A.Md.|A.Md.Kom.|A.Md.Ak.|A.Md.T.", 20), dg(eS1, "", officeS1, 40)}
}

// jf, jfSkill and pel make functional roles on the expert and skill
// ladders and staff (pelaksana) roles.
func jf(name string, female, w int, degs ...degree) role {
	return role{name: name, ptype: netra.Fungsional, degs: degs, female: female, w: w}
}

func jfSkill(name string, female, w int, degs ...degree) role {
	return role{name: name, ptype: netra.Fungsional, skill: true, degs: degs, female: female, w: w}
}

func pel(name string, female, w int, degs ...degree) role {
	return role{name: name, ptype: netra.Pelaksana, degs: degs, female: female, w: w}
}

// roleSet is every pool the generator draws from.
type roleSet struct {
	teacher, schoolStaff, schoolPW, schoolNon *pool
	puskesmas, hospital, healthNon            *pool
	office, territorial, officePW, officeNon  *pool
	generic                                   *pool
	specific                                  map[string]*pool // by agency or section code
	heads                                     map[netra.PositionType][]degree
}

func newRoleSet() *roleSet {
	teach := []degree{dg(eS1, "", "S.Pd.", 70), dg(eS1, "", "S.Pd.I.|S.Ag.", 10), dg(eS1, "", "S.Si.|S.Kom.|S.E.", 4), dg(eS2, "", "S.Pd.", 16, "M.Pd.")}
	sma := []degree{dg(eSMA, "", "", 1)}
	d3 := func(t string) []degree { return []degree{dg(eD3, "", t, 1)} }
	skm := []degree{dg(eS1, "", "S.K.M.", 80), dg(eS2, "", "S.K.M.", 20, "M.Kes.")}
	doctor := []degree{dg(eProf, "dr.", "", 85), dg(eS2, "dr.", "", 15, "M.Kes.")}
	specialist := []degree{dg(eS2, "dr.", "", 1, "Sp.PD.", "Sp.A.", "Sp.OG.", "Sp.B.", "Sp.An.", "Sp.Rad.", "Sp.P.", "Sp.M.", "Sp.THT-KL.", "Sp.JP.", "Sp.N.")}
	nurse := []role{jfSkill("Perawat", 70, 20, d3("A.Md.Kep.")...), jf("Perawat", 70, 12, dg(eS1, "", "S.Kep., Ns.", 1))}
	pelOffice := []role{
		pel("Pengadministrasi Perkantoran", 50, 30, dg(eSMA, "", "", 1)),
		pel("Operator Layanan Operasional", 45, 20, dg(eSMA, "", "", 3), dg(eD3, "", "A.Md.|A.Md.Kom.", 1)),
		pel("Pengelola Layanan Operasional", 50, 20, staffDegrees()...),
		pel("Penata Layanan Operasional", 50, 15, dg(eS1, "", officeS1, 1)),
		pel("Pengolah Data dan Informasi", 50, 10, dg(eD3, "", "A.Md.|A.Md.Kom.", 1), dg(eS1, "", officeS1, 1)),
		pel("Penelaah Teknis Kebijakan", 50, 10, dg(eS1, "", officeS1, 1)),
	}
	nonASN := []role{
		pel("Tenaga Administrasi", 55, 35, staffDegrees()...),
		pel("Pramu Kantor", 40, 15, sma...),
		pel("Pengemudi", 3, 12, sma...),
		pel("Petugas Keamanan", 8, 15, sma...),
		pel("Petugas Kebersihan", 45, 15, sma...),
		pel("Operator Komputer", 50, 8, dg(eSMA, "", "", 2), dg(eD3, "", "A.Md.Kom.", 1)),
	}
	pw := []role{
		pel("Pengelola Umum Operasional", 45, 40, sma...),
		pel("Operator Layanan Operasional", 50, 40, dg(eSMA, "", "", 3), dg(eD3, "", "A.Md.", 1)),
		pel("Penata Layanan Operasional", 55, 20, dg(eS1, "", officeS1, 1)),
	}
	rs := &roleSet{
		teacher: newPool(jf("Guru", 68, 1, teach...)),
		schoolStaff: newPool(
			pel("Pengadministrasi Perkantoran", 55, 2, sma...),
			pel("Operator Layanan Operasional", 50, 1, sma...),
			jfSkill("Pustakawan", 65, 1, d3("A.Md.")...)),
		schoolPW: newPool(jf("Guru", 70, 40, teach[:2]...), pw[0], pw[1]),
		schoolNon: newPool(
			pel("Guru Honorer", 72, 50, teach[:2]...),
			pel("Tenaga Administrasi Sekolah", 60, 20, staffDegrees()...),
			pel("Penjaga Sekolah", 5, 20, sma...),
			pel("Petugas Kebersihan", 40, 10, sma...)),
		puskesmas: newPool(append(nurse,
			jfSkill("Bidan", 100, 22, d3("A.Md.Keb.")...), jf("Bidan", 100, 4, dg(eS1, "", "S.Tr.Keb.", 1)),
			jf("Dokter", 60, 8, doctor...), jf("Dokter Gigi", 70, 2, dg(eProf, "drg.", "", 1)),
			jf("Apoteker", 75, 3, dg(eProf, "", "S.Farm., Apt.", 1)), jfSkill("Asisten Apoteker", 80, 3, d3("A.Md.Farm.")...),
			jfSkill("Nutrisionis", 85, 4, d3("A.Md.Gz.")...), jfSkill("Sanitarian", 55, 4, d3("A.Md.KL.")...),
			jfSkill("Pranata Laboratorium Kesehatan", 70, 4, d3("A.Md.AK.")...),
			jf("Penyuluh Kesehatan Masyarakat", 70, 4, skm...), jf("Epidemiolog Kesehatan", 60, 2, skm...),
			pel("Pengadministrasi Perkantoran", 55, 6, sma...), pel("Pengelola Layanan Operasional", 50, 4, staffDegrees()...))...),
		hospital: newPool(
			jfSkill("Perawat", 70, 30, d3("A.Md.Kep.")...), jf("Perawat", 70, 16, dg(eS1, "", "S.Kep., Ns.", 1)),
			jfSkill("Bidan", 100, 7, d3("A.Md.Keb.")...),
			jf("Dokter", 55, 6, doctor...), jf("Dokter", 50, 6, specialist...),
			jf("Apoteker", 75, 3, dg(eProf, "", "S.Farm., Apt.", 1)), jfSkill("Asisten Apoteker", 80, 2, d3("A.Md.Farm.")...),
			jfSkill("Radiografer", 45, 3, d3("A.Md.Rad.")...), jfSkill("Pranata Laboratorium Kesehatan", 70, 4, d3("A.Md.AK.")...),
			jfSkill("Nutrisionis", 85, 2, d3("A.Md.Gz.")...), jfSkill("Perekam Medis", 70, 4, d3("A.Md.RMIK.")...),
			jf("Administrator Kesehatan", 55, 2, skm...),
			pel("Pengadministrasi Perkantoran", 55, 8, sma...), pel("Pengelola Layanan Operasional", 50, 6, staffDegrees()...),
			pel("Penata Layanan Operasional", 50, 4, dg(eS1, "", officeS1, 1))),
		healthNon: newPool(
			pel("Perawat Kontrak", 70, 30, d3("A.Md.Kep.")...), pel("Bidan Kontrak", 100, 15, d3("A.Md.Keb.")...),
			pel("Tenaga Administrasi", 55, 25, staffDegrees()...), pel("Petugas Kebersihan", 45, 15, sma...),
			pel("Pengemudi Ambulans", 3, 8, sma...), pel("Petugas Keamanan", 8, 7, sma...)),
		office:      newPool(pelOffice...),
		territorial: newPool(append(pelOffice, jf("Analis Kebijakan", 45, 8, officeDegrees()...))...),
		officePW:    newPool(pw...),
		officeNon:   newPool(nonASN...),
		generic: newPool(
			jf("Analis Kebijakan", 45, 30, officeDegrees()...), jf("Perencana", 50, 15, officeDegrees()...),
			jfSkill("Arsiparis", 60, 10, d3("A.Md.")...), jf("Pranata Komputer", 35, 12, dg(eS1, "", "S.Kom.|S.T.", 4), dg(eS2, "", "S.Kom.", 1, "M.Kom.")),
			jf("Pranata Hubungan Masyarakat", 55, 8, dg(eS1, "", "S.I.Kom.|S.Sos.", 1)),
			jf("Pengelola Pengadaan Barang/Jasa", 40, 10, officeDegrees()...),
			jf("Analis Keuangan Pusat dan Daerah", 55, 15, dg(eS1, "", "S.E.|S.Ak.", 4), dg(eS2, "", "S.E.", 1, "M.Ak.", "M.M."))),
	}
	one := func(r ...role) *pool { return newPool(r...) }
	econ := []degree{dg(eS1, "", "S.E.|S.Ak.", 4), dg(eS2, "", "S.E.|S.Ak.", 1, "M.Ak.", "M.Si.")}
	eng := []degree{dg(eS1, "", "S.T.", 8), dg(eS1, "Ir.", "", 1), dg(eS2, "", "S.T.", 2, "M.T.")}
	law := []degree{dg(eS1, "", "S.H.", 4), dg(eS2, "", "S.H.", 1, "M.H.")}
	rs.specific = map[string]*pool{
		"INSP": one(jf("Auditor", 50, 2, econ...), jf("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", 45, 2, officeDegrees()...)),
		"BKPSDM": one(jf("Analis Sumber Daya Manusia Aparatur", 55, 3, officeDegrees()...),
			jf("Asesor Sumber Daya Manusia Aparatur", 55, 1, dg(eS1, "", "S.Psi.|S.Sos.", 1), dg(eS2, "", "S.Psi.", 1, "M.Psi."))),
		"BKD":            one(jf("Analis Sumber Daya Manusia Aparatur", 55, 1, officeDegrees()...)),
		"BPSDM":          one(jf("Widyaiswara", 45, 1, dg(eS2, "", officeS1, 3, officeS2()...), dg(eS3, "Dr.", officeS1, 1, officeS2()...))),
		"BAPPEDALITBANG": one(jf("Perencana", 50, 3, officeDegrees()...), jf("Peneliti", 45, 1, dg(eS2, "", officeS1, 1, officeS2()...))),
		"BAPPEDA":        one(jf("Perencana", 50, 1, officeDegrees()...)),
		"BPKAD":          one(jf("Analis Keuangan Pusat dan Daerah", 55, 3, econ...), jf("Penilai Pemerintah", 40, 1, econ...)),
		"BAPENDA":        one(jf("Analis Keuangan Pusat dan Daerah", 55, 1, econ...)),
		"BPBD":           one(jf("Analis Kebencanaan", 30, 1, officeDegrees()...)),
		"KESBANGPOL":     one(jf("Analis Kebijakan", 45, 1, officeDegrees()...)),
		"DISDIK": one(jf("Pengawas Sekolah", 50, 3, dg(eS1, "", "S.Pd.", 2), dg(eS2, "", "S.Pd.", 1, "M.Pd.")),
			jf("Pamong Belajar", 55, 1, dg(eS1, "", "S.Pd.", 1))),
		"DINKES": one(jf("Administrator Kesehatan", 55, 2, skm...), jf("Epidemiolog Kesehatan", 60, 1, skm...)),
		"DPUPR": one(jf("Teknik Jalan dan Jembatan", 15, 3, eng...), jf("Teknik Pengairan", 15, 2, eng...),
			jf("Penata Ruang", 35, 1, eng...), jfSkill("Pengawas Konstruksi", 10, 1, d3("A.Md.T.")...)),
		"DPRKP":       one(jf("Teknik Penyehatan Lingkungan", 30, 1, eng...), jf("Penata Kelola Bangunan Gedung", 25, 1, eng...)),
		"DISHUB":      one(jfSkill("Penguji Kendaraan Bermotor", 10, 2, d3("A.Md.T.|A.Md.")...), jf("Analis Transportasi", 30, 1, officeDegrees()...)),
		"DLH":         one(jf("Pengendali Dampak Lingkungan", 45, 2, dg(eS1, "", "S.T.|S.Si.|S.Hut.", 1)), jfSkill("Pengawas Lingkungan Hidup", 30, 1, d3("A.Md.")...)),
		"DISDUKCAPIL": one(jf("Administrator Database Kependudukan", 50, 2, dg(eS1, "", "S.Kom.|S.T.", 1)), pel("Pengadministrasi Kependudukan", 55, 3, staffDegrees()...)),
		"DPMPTSP":     one(jf("Analis Kebijakan", 45, 1, officeDegrees()...), pel("Penata Perizinan", 50, 1, dg(eS1, "", officeS1, 1))),
		"DINSOS":      one(jf("Pekerja Sosial", 60, 2, dg(eS1, "", "S.Sos.|S.Tr.Sos.", 1)), jf("Penyuluh Sosial", 55, 1, dg(eS1, "", "S.Sos.", 1))),
		"SATPOLPP":    one(jfSkill("Polisi Pamong Praja", 15, 4, dg(eSMA, "", "", 3), dg(eD3, "", "A.Md.", 1))),
		"DAMKAR":      one(jfSkill("Analis Kebakaran", 5, 1, dg(eSMA, "", "", 3), dg(eD3, "", "A.Md.", 1))),
		"DISKOMINFO": one(jf("Pranata Komputer", 35, 3, dg(eS1, "", "S.Kom.|S.T.", 1)), jf("Pranata Hubungan Masyarakat", 55, 2, dg(eS1, "", "S.I.Kom.|S.Sos.", 1)),
			jf("Statistisi", 50, 1, dg(eS1, "", "S.Si.|S.Stat.", 1)), jf("Sandiman", 30, 1, dg(eS1, "", "S.Kom.|S.Tr.Sdn.", 1))),
		"DINKOPUKM":     one(jf("Pengawas Koperasi", 45, 1, econ...)),
		"DISPERINDAG":   one(jfSkill("Penera", 30, 1, d3("A.Md.")...), jf("Pengawas Perdagangan", 40, 1, econ...)),
		"DISNAKER":      one(jf("Mediator Hubungan Industrial", 40, 1, law...), jf("Pengantar Kerja", 50, 1, officeDegrees()...)),
		"DISNAKERTRANS": one(jf("Mediator Hubungan Industrial", 40, 1, law...), jf("Pengawas Ketenagakerjaan", 35, 1, law...)),
		"DISPERTAN": one(jf("Penyuluh Pertanian", 35, 4, dg(eS1, "", "S.P.|S.Pt.", 1)), jf("Medik Veteriner", 45, 1, dg(eProf, "drh.", "", 1)),
			jfSkill("Paramedik Veteriner", 35, 1, d3("A.Md.Pt.|A.Md.")...)),
		"DTPHP":      one(jf("Penyuluh Pertanian", 35, 2, dg(eS1, "", "S.P.|S.Pt.", 1)), jf("Medik Veteriner", 45, 1, dg(eProf, "drh.", "", 1))),
		"DISHUT":     one(jfSkill("Polisi Kehutanan", 10, 2, dg(eSMA, "", "", 1), dg(eD3, "", "A.Md.", 1)), jf("Penyuluh Kehutanan", 30, 1, dg(eS1, "", "S.Hut.", 1))),
		"DESDM":      one(jf("Penyelidik Bumi", 30, 1, dg(eS1, "", "S.T.|S.Si.", 1)), jf("Inspektur Ketenagalistrikan", 20, 1, eng...)),
		"DKP":        one(jf("Penyuluh Perikanan", 35, 2, dg(eS1, "", "S.Pi.", 1)), jf("Pengelola Ekosistem Laut dan Pesisir", 40, 1, dg(eS1, "", "S.Pi.|S.Kel.", 1))),
		"DISKAN":     one(jf("Penyuluh Perikanan", 35, 1, dg(eS1, "", "S.Pi.", 1))),
		"DKPANGAN":   one(jf("Analis Ketahanan Pangan", 50, 1, dg(eS1, "", "S.P.|S.TP.", 1))),
		"DPMD":       one(jf("Penggerak Swadaya Masyarakat", 45, 1, officeDegrees()...)),
		"DISPORAPAR": one(jf("Adyatama Kepariwisataan dan Ekonomi Kreatif", 55, 1, dg(eS1, "", "S.Par.|S.E.", 1))),
		"DISBUDPAR":  one(jf("Pamong Budaya", 50, 1, dg(eS1, "", "S.S.|S.Sn.", 1)), jf("Adyatama Kepariwisataan dan Ekonomi Kreatif", 55, 1, dg(eS1, "", "S.Par.", 1))),
		"DISPUSIP":   one(jf("Pustakawan", 65, 2, dg(eS1, "", "S.IP.|S.Hum.", 1)), jfSkill("Arsiparis", 60, 2, d3("A.Md.")...)),
		"DP3APPKB":   one(jf("Penyuluh Keluarga Berencana", 70, 2, officeDegrees()...)),
		"SETWAN":     one(jf("Perancang Peraturan Perundang-undangan", 45, 1, law...), jf("Analis Kebijakan", 45, 2, officeDegrees()...)),
		"HKM":        one(jf("Perancang Peraturan Perundang-undangan", 45, 2, law...), jf("Analis Hukum", 50, 1, law...)),
		"PBJ":        one(jf("Pengelola Pengadaan Barang/Jasa", 40, 1, officeDegrees()...)),
		"ORG":        one(jf("Analis Kebijakan", 45, 1, officeDegrees()...), jf("Analis Sumber Daya Manusia Aparatur", 55, 1, officeDegrees()...)),
		"PROKOPIM":   one(jf("Pranata Hubungan Masyarakat", 55, 2, dg(eS1, "", "S.I.Kom.|S.Sos.", 1)), pel("Pengelola Protokol", 50, 1, staffDegrees()...)),
		"ADPIM":      one(jf("Pranata Hubungan Masyarakat", 55, 2, dg(eS1, "", "S.I.Kom.|S.Sos.", 1)), pel("Pengelola Protokol", 50, 1, staffDegrees()...)),
		"NATIONAL": one(jf("Analis Sumber Daya Manusia Aparatur", 55, 4, officeDegrees()...), jf("Auditor Kepegawaian", 50, 2, officeDegrees()...),
			jf("Pranata Komputer", 35, 2, dg(eS1, "", "S.Kom.|S.T.", 1)), jf("Asesor Sumber Daya Manusia Aparatur", 55, 1, dg(eS1, "", "S.Psi.", 1))),
	}
	rs.heads = map[netra.PositionType][]degree{
		netra.JPTMadya:      {dg(eS2, "", officeS1, 8, officeS2()...), dg(eS3, "Dr.", officeS1, 2, officeS2()...)},
		netra.JPTPratama:    {dg(eS2, "", officeS1, 10, officeS2()...), dg(eS2, "", "S.STP|S.IP.", 3, "M.Si.", "M.AP."), dg(eS3, "Dr.", officeS1, 1, officeS2()...)},
		netra.Administrator: {dg(eS1, "", officeS1, 5), dg(eS1, "", "S.STP|S.IP.", 2), dg(eS2, "", officeS1, 6, officeS2()...), dg(eS2, "", "S.STP", 2, "M.Si.")},
		netra.Pengawas:      {dg(eS1, "", officeS1, 6), dg(eS1, "", "S.STP|S.IP.|S.Sos.", 3), dg(eS2, "", officeS1, 1, officeS2()...)},
		netra.Fungsional:    teach,
	}
	return rs
}

// structural returns the managerial posts below a unit's head that a unit
// of this kind fills first, in order.
func structural(k unitKind) []struct {
	name  string
	ptype netra.PositionType
} {
	type post = struct {
		name  string
		ptype netra.PositionType
	}
	switch k {
	case kSekretariat:
		return []post{{"Kepala Subbagian Umum dan Kepegawaian", netra.Pengawas}, {"Kepala Subbagian Keuangan dan Aset", netra.Pengawas},
			{"Kepala Subbagian Perencanaan dan Pelaporan", netra.Pengawas}}
	case kKecamatan:
		return []post{{"Sekretaris Kecamatan", netra.Administrator}, {"Kepala Seksi Pemerintahan", netra.Pengawas},
			{"Kepala Seksi Ketenteraman dan Ketertiban Umum", netra.Pengawas}, {"Kepala Seksi Pemberdayaan Masyarakat", netra.Pengawas},
			{"Kepala Seksi Pelayanan Umum", netra.Pengawas}, {"Kepala Subbagian Umum dan Kepegawaian", netra.Pengawas},
			{"Kepala Subbagian Perencanaan dan Keuangan", netra.Pengawas}}
	case kKelurahan:
		return []post{{"Sekretaris Kelurahan", netra.Pengawas}, {"Kepala Seksi Pemerintahan dan Ketenteraman", netra.Pengawas},
			{"Kepala Seksi Pemberdayaan Masyarakat dan Kesejahteraan Sosial", netra.Pengawas},
			{"Kepala Seksi Pelayanan Umum dan Pembangunan", netra.Pengawas}}
	case kPuskesmas, kUPT:
		return []post{{"Kepala Subbagian Tata Usaha", netra.Pengawas}}
	case kRSUD:
		return []post{{"Kepala Bagian Umum dan Keuangan", netra.Administrator}, {"Kepala Bidang Pelayanan Medik", netra.Administrator},
			{"Kepala Bidang Keperawatan", netra.Administrator}, {"Kepala Bidang Penunjang", netra.Administrator},
			{"Kepala Seksi Pelayanan Medik", netra.Pengawas}, {"Kepala Seksi Keperawatan", netra.Pengawas},
			{"Kepala Seksi Penunjang Medik", netra.Pengawas}, {"Kepala Subbagian Umum dan Kepegawaian", netra.Pengawas},
			{"Kepala Subbagian Keuangan", netra.Pengawas}}
	case kSMP, kSMA, kSMK:
		// Secondary schools have an administrative office headed by a
		// pengawas (eselon IV.b).
		return []post{{"Kepala Subbagian Tata Usaha", netra.Pengawas}}
	}
	return nil
}
