package netra

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// EmploymentType is how a person is employed by the government.
type EmploymentType string

// Employment types. PNS and CPNS hold a NIP, PPPK an NI PPPK; non-ASN contract
// staff (PPNPN, honorer) are bound by the same neutrality circulars.
const (
	PNS            EmploymentType = "pns"              // Pegawai Negeri Sipil
	CPNS           EmploymentType = "cpns"             // candidate PNS in probation
	PPPK           EmploymentType = "pppk"             // Pegawai Pemerintah dengan Perjanjian Kerja
	PPPKParuhWaktu EmploymentType = "pppk_paruh_waktu" // part-time PPPK (from 2025)
	NonASN         EmploymentType = "non_asn"          // PPNPN, honorer, THL
)

// EmploymentTypes lists the types in display order.
var EmploymentTypes = []EmploymentType{PNS, CPNS, PPPK, PPPKParuhWaktu, NonASN}

var employmentLabels = map[EmploymentType]Message{
	PNS:            Msg("PNS", "PNS (civil servant)"),
	CPNS:           Msg("CPNS", "CPNS (candidate civil servant)"),
	PPPK:           Msg("PPPK", "PPPK (contract civil servant)"),
	PPPKParuhWaktu: Msg("PPPK Paruh Waktu", "PPPK part-time"),
	NonASN:         Msg("Non-ASN", "Non-ASN staff"),
}

// Valid reports whether t is a known employment type.
func (t EmploymentType) Valid() bool { _, ok := employmentLabels[t]; return ok }

// Label returns the type's name in lang.
func (t EmploymentType) Label(lang string) string { return employmentLabels[t].In(lang) }

// ParseEmploymentType reads the type the way rosters write it ("PNS",
// "PPPK Paruh Waktu", "Non ASN", "honorer"…), including the
// JENIS_PEGAWAI_NAMA values of SIASN exports: "PNS DAERAH KAB/KOTA", "PNS
// DAERAH PROVINSI", "PNS PUSAT", "PNS DAERAH KAB/KOTA DIPERBANTUKAN …" are
// PNS wherever they serve (a seconded PNS stays a PNS of the instance that
// appointed them); "CPNS …" is a CPNS; "PPPK", "PPPK Penuh Waktu" a
// (full-time) PPPK and "PPPK Paruh Waktu" the part-time PPPK introduced in
// 2025 (domain §1.7, §3.4). Whether a PNS is
// still a CPNS is often a separate column (STATUS_CPNS_PNS), which the
// roster parser applies on top.
func ParseEmploymentType(s string) (EmploymentType, bool) {
	k := squash(s)
	switch k {
	case "pns", "pegawainegerisipil":
		return PNS, true
	case "cpns", "calonpns", "calonpegawainegerisipil":
		return CPNS, true
	case "pppk", "p3k", "pppkpenuhwaktu", "p3kpenuhwaktu":
		return PPPK, true
	case "pppkparuhwaktu", "pppkpw", "p3kparuhwaktu":
		return PPPKParuhWaktu, true
	case "nonasn", "ppnpn", "honorer", "thl", "tkk", "kontrak", "pegawainonasn", "tenagahonorer", "ptt", "pegawaitidaktetap":
		return NonASN, true
	}
	// SIASN's qualified names: "PNS DAERAH KAB/KOTA DIPERBANTUKAN DI …",
	// "CPNS DAERAH PROVINSI", "PPPK PARUH WAKTU DAERAH …".
	for _, p := range []struct {
		prefix string
		t      EmploymentType
	}{
		{"cpns", CPNS}, {"calonpns", CPNS},
		{"pppkparuhwaktu", PPPKParuhWaktu}, {"p3kparuhwaktu", PPPKParuhWaktu},
		{"pppk", PPPK}, {"p3k", PPPK},
		{"pnsdaerah", PNS}, {"pnspusat", PNS}, {"pegawainegerisipil", PNS},
	} {
		if strings.HasPrefix(k, p.prefix) {
			return p.t, true
		}
	}
	return "", false
}

// squash lower-cases s and drops everything but letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PositionType is the kind of position (jabatan) under UU 20/2023.
type PositionType string

// Position types: the managerial ones (JPT, administrator, pengawas) and the
// non-managerial ones (fungsional, pelaksana).
const (
	JPTUtama      PositionType = "jpt_utama"
	JPTMadya      PositionType = "jpt_madya"
	JPTPratama    PositionType = "jpt_pratama"
	Administrator PositionType = "administrator"
	Pengawas      PositionType = "pengawas"
	Fungsional    PositionType = "fungsional"
	Pelaksana     PositionType = "pelaksana"
)

// PositionTypes lists the position types from the top down.
var PositionTypes = []PositionType{JPTUtama, JPTMadya, JPTPratama, Administrator, Pengawas, Fungsional, Pelaksana}

var positionLabels = map[PositionType]Message{
	JPTUtama:      Msg("JPT Utama", "Senior executive (utama)"),
	JPTMadya:      Msg("JPT Madya", "Senior executive (madya)"),
	JPTPratama:    Msg("JPT Pratama", "Senior executive (pratama)"),
	Administrator: Msg("Administrator", "Administrator"),
	Pengawas:      Msg("Pengawas", "Supervisor"),
	Fungsional:    Msg("Fungsional", "Functional"),
	Pelaksana:     Msg("Pelaksana", "Staff"),
}

// Valid reports whether p is a known position type.
func (p PositionType) Valid() bool { _, ok := positionLabels[p]; return ok }

// Label returns the position type's name in lang.
func (p PositionType) Label(lang string) string { return positionLabels[p].In(lang) }

// ParsePositionType reads the position type as rosters write it: the
// names of UU 20/2023 (JPT utama/madya/pratama, administrator,
// pengawas, fungsional, pelaksana), SIASN's JENIS_JABATAN_NAMA values
// ("Jabatan Fungsional Tertentu", "Jabatan Fungsional Umum", "Jabatan
// Pelaksana") and the old eselon names, mapped as UU 5/2014 Pasal 131 does
// (see ParseEselon). It refuses what is not one type:
//   - "Struktural" (SIASN's JENIS_JABATAN_NAMA for every eselon post): the
//     eselon says which, so ParseEselon decides;
//   - "Jabatan administrasi": UU 5/2014 Pasal 14 makes it the umbrella of
//     administrator, pengawas and pelaksana (UmbrellaPositionType).
func ParsePositionType(s string) (PositionType, bool) {
	switch k := squash(s); k {
	// JPT utama only by name: under UU 5/2014 Pasal 131 huruf a only an
	// eselon I.a heading a non-ministerial agency is JPT utama, which a
	// regional roster cannot tell from the eselon.
	case "jptutama", "jabatanpimpinantinggiutama", "pimpinantinggiutama":
		return JPTUtama, true
	case "jptmadya", "jabatanpimpinantinggimadya", "pimpinantinggimadya":
		return JPTMadya, true
	case "jptpratama", "jabatanpimpinantinggipratama", "pimpinantinggipratama":
		return JPTPratama, true
	case "administrator", "jabatanadministrator":
		return Administrator, true
	case "pengawas", "jabatanpengawas":
		return Pengawas, true
	// Fungsional tertentu is the functional career of UU 5/2014 and UU
	// 20/2023 (domain §3.5).
	case "fungsional", "fungsionaltertentu", "jabatanfungsionaltertentu", "jft", "jf", "jabatanfungsional":
		return Fungsional, true
	// Fungsional umum became pelaksana (UU 5/2014 Pasal 131 huruf f; the
	// pelaksana names are PermenPANRB 41/2018's, unconfirmed in domain.md).
	case "pelaksana", "jabatanpelaksana", "fungsionalumum", "jabatanfungsionalumum", "jfu", "staf", "staff":
		return Pelaksana, true
	}
	if k := squash(s); strings.HasPrefix(k, "eselon") {
		if t, _, ok := ParseEselon(k); ok && t != "" {
			return t, true
		}
	}
	return "", false
}

// UmbrellaPositionType reports whether s names a group of position types
// rather than one: "Jabatan administrasi" (administrator, pengawas and
// pelaksana, UU 5/2014 Pasal 14), "Struktural" (any eselon post) or
// "Pimpinan tinggi"/"JPT" (utama, madya or pratama). A roster that says so
// must give the eselon or the precise type.
func UmbrellaPositionType(s string) bool {
	switch squash(s) {
	case "administrasi", "jabatanadministrasi", "ja",
		"struktural", "jabatanstruktural", "js",
		"jpt", "pimpinantinggi", "jabatanpimpinantinggi":
		return true
	}
	return false
}

// ParseEselon reads an eselon as rosters write it — "II.b", "IIb", "II/b",
// "Eselon II.b", "2b", SIASN's two-digit code "22" — and returns the position
// type it corresponds to and its canonical form ("II.b"). Under UU 5/2014
// Pasal 131 (kept by UU 20/2023): eselon I.a and I.b are JPT madya (only an
// eselon I.a heading a non-ministerial agency is JPT utama, which the eselon
// alone cannot tell); II is JPT pratama; III administrator; IV pengawas; V
// pelaksana. "Non eselon" reads as ok with no type, as does an empty cell;
// ok is false for anything else.
func ParseEselon(s string) (t PositionType, canonical string, ok bool) {
	k := squash(s)
	k = strings.TrimPrefix(k, "eselon")
	switch k {
	case "", "non", "noneselon", "nonesselon", "tidakada", "0", "00", "99":
		return "", "", true
	}
	level, sub := 0, byte(0)
	switch {
	case len(k) == 2 && k[0] >= '1' && k[0] <= '5' && (k[1] == '1' || k[1] == '2'):
		level, sub = int(k[0]-'0'), "ab"[k[1]-'1'] // SIASN's codes 11 … 52
	case k != "" && k[0] >= '1' && k[0] <= '5':
		level, k = int(k[0]-'0'), k[1:]
	default:
		for _, r := range []struct {
			roman string
			n     int
		}{{"iv", 4}, {"v", 5}, {"iii", 3}, {"ii", 2}, {"i", 1}} {
			if strings.HasPrefix(k, r.roman) {
				level, k = r.n, k[len(r.roman):]
				break
			}
		}
	}
	if sub == 0 {
		switch k {
		case "":
		case "a", "b":
			sub = k[0]
		default:
			return "", "", false
		}
	}
	if level == 0 || (level == 5 && sub == 'b') {
		return "", "", false
	}
	t = [...]PositionType{JPTMadya, JPTPratama, Administrator, Pengawas, Pelaksana}[level-1]
	canonical = [...]string{"I", "II", "III", "IV", "V"}[level-1]
	if sub != 0 {
		canonical += "." + string(sub)
	}
	return t, canonical, true
}

// Managerial reports whether p is a managerial position under UU 20/2023
// (domain §3.5): JPT, administrator or pengawas.
func (p PositionType) Managerial() bool {
	switch p {
	case JPTUtama, JPTMadya, JPTPratama, Administrator, Pengawas:
		return true
	}
	return false
}

// headPrefixes are the starts of the names of head posts: the head of a
// unit (Kepala Dinas, Badan, Bidang, Bagian, Seksi, Sub Bagian, UPT…, and
// their abbreviations), of a region (Camat, Lurah), of the secretariats
// (Sekretaris Daerah, Sekretaris DPRD, the Sekretaris of a dinas or
// kecamatan, who heads its sekretariat), of the inspectorate (Inspektur,
// Inspektur Pembantu), of a hospital (Direktur) and of the Sekda's
// assistants (Asisten, each heading an asisten unit of the Setda).
var headPrefixes = []string{"kepala", "ka.", "kadis", "kaban", "kabid", "kabag", "kasubbag", "kasubag",
	"kasubbid", "kasubid", "kasi", "kasie", "kasubdit", "karo", "kakan", "camat", "lurah", "sekretaris",
	"sekda", "sekwan", "sekcam", "seklur", "inspektur", "irban", "direktur", "asisten"}

// HeadPost reports whether a position named name, of type t, is the head
// post of its unit: t is managerial and the name starts with a head's title
// (Kepala …, Camat, Lurah, Sekretaris …, Inspektur, Direktur, Asisten,
// Kabid, Kasubbag, Kasi…), ignoring case. An acting holder's name ("Plt.
// Kepala Dinas") is not a head post: acting is a position assignment. A
// fungsional "Kepala Sekolah" or "Kepala Puskesmas" is not either: the post
// is an additional duty of a functional, not a managerial position.
func HeadPost(name string, t PositionType) bool {
	if !t.Managerial() {
		return false
	}
	name = strings.TrimSpace(name)
	for _, p := range headPrefixes {
		if len(name) < len(p) || !strings.EqualFold(name[:len(p)], p) {
			continue
		}
		// A whole word: "Kasi" but not "Kasir", "Kepala" but not "Kepalang".
		if len(name) == len(p) || p[len(p)-1] == '.' {
			return true
		}
		switch name[len(p)] {
		case ' ', '.', ',', '-', '/', '(':
			return true
		}
	}
	return false
}

// Golongan is a rank: "III/a" for PNS (17 grades from I/a to IV/e) or a
// PPPK salary group "IX" (I to XVII). Non-ASN staff have none.
type Golongan string

// GolonganPNS lists the PNS ranks, lowest first.
var GolonganPNS = []Golongan{"I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
	"III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e"}

// GolonganPPPK lists the PPPK salary groups, lowest first.
var GolonganPPPK = []Golongan{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
	"X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"}

var pangkat = map[Golongan]string{
	"I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
	"II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur", "II/d": "Pengatur Tingkat I",
	"III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
	"IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda", "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}

// Pangkat returns the rank title of a PNS golongan ("III/a" → "Penata Muda").
func (g Golongan) Pangkat() string { return pangkat[g] }

// golonganKeys maps the squashed, upper-case form of every rank ("IIIA",
// "IX") to its canonical form; built once, read-only.
var golonganKeys = func() map[string]Golongan {
	m := make(map[string]Golongan, len(GolonganPNS)+len(GolonganPPPK))
	for _, g := range GolonganPNS {
		m[golonganKey(g)] = g
	}
	for _, g := range GolonganPPPK {
		m[string(g)] = g
	}
	return m
}()

func golonganKey(g Golongan) string { return strings.ToUpper(strings.ReplaceAll(string(g), "/", "")) }

// canonical reports whether g is a rank written in its canonical form.
func (g Golongan) canonical() bool { return g != "" && golonganKeys[golonganKey(g)] == g }

// isPNSRank reports whether g is one of the PNS ranks (I/a … IV/e).
func isPNSRank(g Golongan) bool { return g.canonical() && strings.Contains(string(g), "/") }

// ParseGolongan reads a rank as rosters write it ("III/a", "3a", "III-A",
// "IX") and returns its canonical form. ok is false for an unknown rank.
func ParseGolongan(s string) (Golongan, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '/' || c == '-' || c == '.' || c == '\t':
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		default:
			b.WriteByte(c)
		}
	}
	k := b.String()
	if len(k) == 2 && k[0] >= '1' && k[0] <= '4' {
		k = [...]string{"I", "II", "III", "IV"}[k[0]-'1'] + k[1:]
	}
	g, ok := golonganKeys[k]
	return g, ok
}

// EmployeeStatus is where an employee stands (kedudukan hukum). The first
// five are still in service and bound by the neutrality rules; CLTN matters
// on its own, since SKB item D-3 turns on it.
type EmployeeStatus string

// Employee statuses.
const (
	StatusActive        EmployeeStatus = "active"         // aktif
	StatusCLTN          EmployeeStatus = "cltn"           // cuti di luar tanggungan negara (unpaid leave)
	StatusStudyLeave    EmployeeStatus = "study_leave"    // tugas belajar
	StatusSuspended     EmployeeStatus = "suspended"      // pemberhentian sementara
	StatusPreRetirement EmployeeStatus = "pre_retirement" // masa persiapan pensiun (MPP)
	StatusMovedOut      EmployeeStatus = "moved_out"      // mutasi keluar
	StatusRetired       EmployeeStatus = "retired"        // pensiun
	StatusDismissed     EmployeeStatus = "dismissed"      // diberhentikan
	StatusDeceased      EmployeeStatus = "deceased"       // meninggal dunia
)

// EmployeeStatuses lists the statuses in display order.
var EmployeeStatuses = []EmployeeStatus{StatusActive, StatusCLTN, StatusStudyLeave, StatusSuspended,
	StatusPreRetirement, StatusMovedOut, StatusRetired, StatusDismissed, StatusDeceased}

var statusLabels = map[EmployeeStatus]Message{
	StatusActive:        Msg("Aktif", "Active"),
	StatusCLTN:          Msg("CLTN (cuti di luar tanggungan negara)", "Unpaid leave (CLTN)"),
	StatusStudyLeave:    Msg("Tugas belajar", "Study leave"),
	StatusSuspended:     Msg("Pemberhentian sementara", "Temporarily dismissed"),
	StatusPreRetirement: Msg("Masa persiapan pensiun (MPP)", "Pre-retirement (MPP)"),
	StatusMovedOut:      Msg("Pindah keluar", "Moved out"),
	StatusRetired:       Msg("Pensiun", "Retired"),
	StatusDismissed:     Msg("Diberhentikan", "Dismissed"),
	StatusDeceased:      Msg("Meninggal dunia", "Deceased"),
}

// Valid reports whether s is a known status.
func (s EmployeeStatus) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label returns the status in lang.
func (s EmployeeStatus) Label(lang string) string { return statusLabels[s].In(lang) }

// InService reports whether an employee with this status still belongs to
// the government's staff (and to the neutrality duties): active, on unpaid
// or study leave, temporarily dismissed or in pre-retirement.
func (s EmployeeStatus) InService() bool {
	switch s {
	case StatusActive, StatusCLTN, StatusStudyLeave, StatusSuspended, StatusPreRetirement:
		return true
	}
	return false
}

// ParseEmployeeStatus reads a status as rosters write it ("Aktif", "CLTN",
// "Tugas Belajar", "Masa Persiapan Pensiun", "Pensiun"…), including the
// KEDUDUKAN_HUKUM_NAMA values of SIASN exports.
func ParseEmployeeStatus(s string) (EmployeeStatus, bool) {
	if strings.TrimSpace(s) == "" {
		return StatusActive, true
	}
	switch squash(s) {
	// The labels Netra writes (see statusLabels), the words BKPSDM use, and
	// the KEDUDUKAN_HUKUM_NAMA spellings of SIASN exports ("Aktif", "CLTN",
	// "Perpanjangan CLTN", "Tugas Belajar", "Pemberhentian Sementara", "Masa
	// Persiapan Pensiun", "Pensiun", "Meninggal", "Pindah Instansi"…).
	case "aktif", "active", "pnsaktif", "pppkaktif", "cpnsaktif", "aktifbekerja":
		return StatusActive, true
	// CLTN, tugas belajar, pemberhentian sementara and MPP are kinds of
	// leave and standing in PP 11/2017 (Manajemen PNS); the employee stays
	// in service (InService).
	case "cltn", "cutidiluartanggungannegara", "cltncutidiluartanggungannegara", "perpanjangancltn", "unpaidleave":
		return StatusCLTN, true
	case "tugasbelajar", "tubel", "studyleave":
		return StatusStudyLeave, true
	case "pemberhentiansementara", "diberhentikansementara", "berhentisementara", "suspended":
		return StatusSuspended, true
	case "mpp", "masapersiapanpensiun", "masapersiapanpensiunmpp", "prepensiun", "preretirement":
		return StatusPreRetirement, true
	case "pindah", "pindahkeluar", "mutasi", "mutasikeluar", "pindahinstansi", "pindahkeinstansilain", "mutasiantarinstansi", "movedout":
		return StatusMovedOut, true
	case "pensiun", "retired", "pensiunbup", "pensiundini", "pensiunnormal", "pensiunapsbup", "mencapaibup":
		return StatusRetired, true
	case "diberhentikan", "berhenti", "pemberhentian", "ptdh", "pdh", "aps", "berhentiataspermintaansendiri", "mengundurkandiri",
		"diberhentikantidakdenganhormat", "diberhentikandenganhormat", "pemberhentiantidakdenganhormat", "pemberhentiandenganhormat", "dismissed":
		return StatusDismissed, true
	case "meninggal", "meninggaldunia", "wafat", "wafatmeninggal", "tewas", "deceased":
		return StatusDeceased, true
	}
	return "", false
}

// Employee is a person who works for a tenant: a PNS, CPNS, PPPK or non-ASN
// staff member. NIP holds the NIP, the NI PPPK, or for non-ASN the NIK.
type Employee struct {
	ID           int64
	TenantID     int64
	NIP          string
	Name         string // without titles
	FrontTitle   string // gelar depan ("Dr.", "Ir.")
	BackTitle    string // gelar belakang ("S.Pd., M.Si.")
	Type         EmploymentType
	Golongan     Golongan
	PositionName string // "Kepala Bidang Sekolah Dasar"
	PositionType PositionType
	UnitID       int64
	Email        string
	Phone        string
	Status       EmployeeStatus
	BirthDate    time.Time // from the NIP, or TANGGAL_LAHIR when the identifier has none
	Sex          Sex       // from the NIP, or JENIS_KELAMIN when the identifier has none

	// From the national personnel exports (SIASN), all optional.
	NIK          string    // 16-digit population number (kept for every ASN: reports often know only it)
	PNSID        string    // SIASN's PNS_ID
	OldNIP       string    // NIP_LAMA, the 9-digit NIP before 2007
	BirthPlace   string    // TEMPAT_LAHIR_NAMA
	OtherEmail   string    // the second e-mail of an export (EMAIL) when Email is the government one (EMAIL_GOV)
	Eselon       string    // ESELON as written ("II.b"), kept beside the position type it maps to
	Education    string    // TINGKAT_PENDIDIKAN_NAMA ("S-1/Sarjana")
	RankDate     time.Time // TMT golongan
	PositionDate time.Time // TMT jabatan
	PersonID     int64     // the person behind this record across identifier changes (0: not linked yet)
	// Head marks that the employee holds the head post of their unit
	// (kepala dinas, camat, lurah, kepala bidang…): the roster parser infers
	// it from the position, the form sets it. Acting heads (Plt, Plh) are
	// position assignments, not this flag.
	Head      bool
	CreatedAt time.Time
	UpdatedAt time.Time

	// Filled by queries that join the unit.
	UnitName string
	UnitPath string
}

// FullName returns the name with its titles: "Dr. Siti Aminah, S.Pd., M.Si.".
func (e *Employee) FullName() string {
	s := e.Name
	if e.FrontTitle != "" {
		s = e.FrontTitle + " " + s
	}
	if e.BackTitle != "" {
		s += ", " + e.BackTitle
	}
	return s
}

var (
	regionCode = regexp.MustCompile(`^[1-9][0-9]\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?$`)
	phoneChars = regexp.MustCompile(`^\+?[0-9]{8,15}$`)
)

// NormalizePhone turns "0812-3456-7890" or "+62 812 3456 7890" into "+6281234567890".
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(s, "08"):
		s = "+62" + s[1:]
	case strings.HasPrefix(s, "62"):
		s = "+" + s
	}
	return s
}

// Validate checks and normalises the employee: the identifier against the
// employment type, the rank against the type, the e-mail and phone formats.
// It fills BirthDate and Sex from the identifier. now bounds the dates.
func (e *Employee) Validate(now time.Time) error {
	var v ValidationError
	// Every way in (page, API, import) comes through here: no NUL, control
	// characters or invalid UTF-8; line breaks in names become spaces below.
	v.Text("nip", e.NIP, 64, false)
	v.Text("name", e.Name, 600, true)
	v.Text("name", e.FrontTitle, 200, true)
	v.Text("name", e.BackTitle, 400, true)
	v.Text("position_name", e.PositionName, 1000, true)
	v.Text("email", e.Email, 254, false)
	v.Text("phone", e.Phone, 64, false)
	v.Text("nik", e.NIK, 64, false)
	v.Text("pns_id", e.PNSID, 64, false)
	v.Text("nip_lama", e.OldNIP, 64, false)
	v.Text("birth_place", e.BirthPlace, 400, true)
	v.Text("other_email", e.OtherEmail, 254, false)
	v.Text("eselon", e.Eselon, 40, false)
	v.Text("education", e.Education, 400, true)
	e.NIP = NormalizeNIP(e.NIP)
	e.NIK, e.OldNIP = NormalizeNIP(e.NIK), NormalizeNIP(e.OldNIP)
	e.PNSID = strings.TrimSpace(e.PNSID)
	e.BirthPlace = strings.Join(strings.Fields(e.BirthPlace), " ")
	e.Education = strings.Join(strings.Fields(e.Education), " ")
	e.Eselon = strings.TrimSpace(e.Eselon)
	e.OtherEmail = strings.ToLower(strings.TrimSpace(e.OtherEmail))
	if e.NIK == "" && e.Type == NonASN {
		e.NIK = e.NIP // a non-ASN's identifier is their NIK
	}
	e.Name = strings.Join(strings.Fields(e.Name), " ")
	e.FrontTitle = strings.TrimSpace(e.FrontTitle)
	e.BackTitle = strings.TrimSpace(e.BackTitle)
	e.PositionName = strings.Join(strings.Fields(e.PositionName), " ")
	e.Email = strings.ToLower(strings.TrimSpace(e.Email))
	e.Phone = NormalizePhone(strings.TrimSpace(e.Phone))
	if e.Status == "" {
		e.Status = StatusActive
	}
	if !e.Type.Valid() {
		v.Add("type", Msg("Jenis kepegawaian harus PNS, CPNS, PPPK, PPPK Paruh Waktu atau Non-ASN.", "The employment type must be PNS, CPNS, PPPK, PPPK part-time or non-ASN."))
	} else if info, err := ParseNIP(e.NIP, e.Type, now); err != nil {
		ve, _ := AsValidation(err)
		v.Add("nip", ve.Fields["nip"])
	} else {
		// A PNS's NIP is authoritative (Perka BKN 22/2007). The layout of the
		// NI PPPK is not confirmed and a NIK's birth year has two digits, so a
		// birth date and sex recorded with them (TANGGAL_LAHIR, JENIS_KELAMIN)
		// are kept; the identifier fills them only when empty.
		pns := e.Type == PNS || e.Type == CPNS
		if pns || e.BirthDate.IsZero() {
			e.BirthDate = info.BirthDate
		}
		if pns || e.Sex == "" {
			e.Sex = info.Sex
		}
	}
	if e.Name == "" {
		v.Add("name", Msg("Nama wajib diisi.", "The name is required."))
	} else if utf8.RuneCountInString(e.Name) > 150 {
		v.Add("name", Msg("Nama paling panjang 150 karakter.", "The name has at most 150 characters."))
	}
	if utf8.RuneCountInString(e.FrontTitle) > 50 || utf8.RuneCountInString(e.BackTitle) > 100 {
		v.Add("name", Msg("Gelar terlalu panjang.", "The titles are too long."))
	}
	switch {
	case e.Golongan == "":
		if e.Type == PNS || e.Type == CPNS {
			v.Add("golongan", Msg("Golongan wajib diisi untuk PNS dan CPNS.", "The rank is required for PNS and CPNS."))
		}
	case e.Type == NonASN:
		v.Add("golongan", Msg("Pegawai non-ASN tidak mempunyai golongan.", "Non-ASN staff have no rank."))
	case (e.Type == PNS || e.Type == CPNS) && !isPNSRank(e.Golongan):
		v.Add("golongan", Msg("Golongan PNS harus I/a sampai IV/e.", "A PNS rank must be I/a to IV/e."))
	case (e.Type == PPPK || e.Type == PPPKParuhWaktu) && isPNSRank(e.Golongan):
		v.Add("golongan", Msg("Golongan PPPK harus I sampai XVII.", "A PPPK salary group must be I to XVII."))
	case !e.Golongan.canonical():
		v.Add("golongan", Msg("Golongan tidak dikenal.", "Unknown rank."))
	}
	if !e.PositionType.Valid() {
		v.Add("position_type", Msg("Jenis jabatan harus JPT Utama/Madya/Pratama, Administrator, Pengawas, Fungsional atau Pelaksana.", "The position type must be JPT utama/madya/pratama, administrator, pengawas, fungsional or pelaksana."))
	}
	if utf8.RuneCountInString(e.PositionName) > 200 {
		v.Add("position_name", Msg("Nama jabatan paling panjang 200 karakter.", "The position name has at most 200 characters."))
	}
	if e.UnitID <= 0 {
		v.Add("unit", Msg("Unit kerja wajib diisi.", "The work unit is required."))
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || !strings.Contains(e.Email[strings.Index(e.Email, "@"):], ".") {
			v.Add("email", Msg("Alamat e-mail tidak sah.", "Invalid e-mail address."))
		}
	}
	if e.Phone != "" && !phoneChars.MatchString(e.Phone) {
		v.Add("phone", Msg("Nomor telepon tidak sah (contoh: 081234567890).", "Invalid phone number (for example 081234567890)."))
	}
	if !e.Status.Valid() {
		v.Add("status", Msg("Status pegawai tidak dikenal.", "Unknown employee status."))
	}
	switch {
	case e.NIK != "" && (len(e.NIK) != 16 || strings.Trim(e.NIK, "0123456789") != ""):
		v.Add("nik", Msg("NIK harus 16 angka.", "The NIK has 16 digits."))
	case e.Type == NonASN && e.NIK != e.NIP:
		v.Add("nik", Msg("NIK pegawai non-ASN harus sama dengan nomor identitasnya.", "A non-ASN employee's NIK must be their identifier."))
	}
	if e.OldNIP != "" && (len(e.OldNIP) != 9 || strings.Trim(e.OldNIP, "0123456789") != "") {
		v.Add("nip_lama", Msg("NIP lama harus 9 angka.", "The old NIP has 9 digits."))
	}
	if utf8.RuneCountInString(e.PNSID) > 40 {
		v.Add("pns_id", Msg("PNS_ID paling panjang 40 karakter.", "The PNS_ID has at most 40 characters."))
	}
	if utf8.RuneCountInString(e.BirthPlace) > 100 || utf8.RuneCountInString(e.Education) > 100 || utf8.RuneCountInString(e.Eselon) > 10 {
		v.Add("education", Msg("Tempat lahir, pendidikan atau eselon terlalu panjang.", "The birth place, education or eselon is too long."))
	}
	if e.OtherEmail != "" {
		if a, err := mail.ParseAddress(e.OtherEmail); err != nil || a.Address != e.OtherEmail || !strings.Contains(e.OtherEmail[strings.Index(e.OtherEmail, "@"):], ".") {
			v.Add("other_email", Msg("Alamat e-mail lain tidak sah.", "Invalid other e-mail address."))
		}
	}
	for _, d := range [...]struct {
		field string
		t     time.Time
	}{{"rank_date", e.RankDate}, {"position_date", e.PositionDate}} {
		if !d.t.IsZero() && (d.t.After(now.AddDate(1, 0, 0)) || d.t.Year() < 1945) {
			v.Add(d.field, Msg("Tanggal TMT tidak masuk akal (sebelum 1945 atau lebih dari setahun ke depan).", "The TMT date is implausible (before 1945 or more than a year ahead)."))
		}
	}
	return v.Err()
}
