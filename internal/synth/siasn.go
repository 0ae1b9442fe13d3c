package synth

import (
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/wilayah"
)

// SIASNColumns are the columns of the national personnel system's "data
// utama" export, in its order, as Generate writes them with ShapeSIASN.
var SIASNColumns = []string{
	"PNS_ID", "NIP_BARU", "NIP_LAMA", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "TEMPAT_LAHIR_NAMA", "TANGGAL_LAHIR",
	"JENIS_KELAMIN", "NIK", "NOMOR_HP", "EMAIL", "EMAIL_GOV", "JENIS_PEGAWAI_NAMA", "KEDUDUKAN_HUKUM_NAMA",
	"STATUS_CPNS_PNS", "GOL_AKHIR_NAMA", "TMT_GOLONGAN", "JENIS_JABATAN_NAMA", "JABATAN_NAMA", "TMT_JABATAN", "ESELON",
	"TINGKAT_PENDIDIKAN_NAMA", "UNOR_NAMA", "UNOR_INDUK_NAMA", "INSTANSI_KERJA_NAMA", "SATUAN_KERJA_KERJA_NAMA",
}

// ExtraColumns are the columns GenOptions.Extras adds after Netra's own
// (NetraColumns): what SIASN knows of an ASN beyond them, under roster's
// canonical names.
var ExtraColumns = []string{roster.ColNIK, roster.ColPNSID, roster.ColOldNIP, roster.ColBirthPlace, roster.ColRankDate,
	roster.ColPositionDate, roster.ColEselon, roster.ColEducation}

// NetraColumns are the columns of Netra's own shape, in roster.Columns'
// order: the fourteen a roster needs, without the SIASN details.
var NetraColumns = []string{roster.ColNIP, roster.ColName, roster.ColFrontTitle, roster.ColBackTitle, roster.ColType,
	roster.ColGolongan, roster.ColPosition, roster.ColPositionType, roster.ColUnitCode, roster.ColUnitPath,
	roster.ColEmail, roster.ColPhone, roster.ColStatus, roster.ColGovernment}

// extraRecord fills rec with ExtraColumns of e; dates go through buf.
func extraRecord(rec []string, buf *[30]byte, e *netra.Employee) {
	rec[0], rec[1], rec[2], rec[3] = e.NIK, e.PNSID, e.OldNIP, e.BirthPlace
	rec[4], rec[5] = "", ""
	if !e.RankDate.IsZero() {
		putDMY(buf[0:10], e.RankDate)
		rec[4] = string(buf[0:10])
	}
	if !e.PositionDate.IsZero() {
		putDMY(buf[10:20], e.PositionDate)
		rec[5] = string(buf[10:20])
	}
	rec[6], rec[7] = e.Eselon, e.Education
}

// Positions in SIASNColumns.
const (
	sPNSID = iota
	sNIP
	sOldNIP
	sName
	sFrontTitle
	sBackTitle
	sBirthPlace
	sBirthDate
	sSex
	sNIK
	sPhone
	sEmail
	sEmailGov
	sType
	sStatus
	sCPNS
	sGolongan
	sRankDate
	sPositionType
	sPosition
	sPositionDate
	sEselon
	sEducation
	sUnit
	sParentUnit
	sGovernment
	sSatker
	numSIASN
)

// nikASNBase splits the four-digit NIK serials: non-ASN staff, whose NIK is
// their identifier, count below it; ASN count above it.
const nikASNBase = 5000

// personalDomains are the providers of the personal e-mail SIASN keeps
// beside the government one.
var personalDomains = [...]string{"gmail.com", "gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com"}

// officialName is a government's name as it writes it: the area data
// follow Kemendagri's code list, which spells some names together
// ("Kota Palangkaraya" for Palangka Raya).
func officialName(gov wilayah.Area) string {
	switch gov.Name {
	case "Kota Palangkaraya":
		return "Kota Palangka Raya"
	}
	return gov.Name
}

// instansiName is INSTANSI_KERJA_NAMA: "Pemerintah Kota Palangka Raya",
// "Pemerintah Provinsi Kalimantan Tengah".
func instansiName(gov wilayah.Area, lvl netra.TenantLevel) string {
	if lvl == netra.LevelNational {
		return gov.Name
	}
	name := officialName(gov)
	if lvl == netra.LevelProvince && !strings.HasPrefix(name, "Provinsi ") {
		name = "Provinsi " + name
	}
	return "Pemerintah " + name
}

// birthPlaces lists where a government's employees were born, upper case as
// SIASN writes them: mostly the regencies and cities of its province, a few
// from the big cities elsewhere.
func (g *Generator) birthPlaces(gov wilayah.Area, lvl netra.TenantLevel) []string {
	if p, ok := g.placesByGov[gov.Code]; ok {
		return p
	}
	prov := gov.Code
	if len(prov) > 2 {
		prov = prov[:2]
	}
	if lvl == netra.LevelNational {
		prov = "31"
	}
	var out []string
	if g.data != nil {
		for _, r := range g.data.Regencies(prov) {
			// The province's own cities are named more often.
			name := strings.ToUpper(shortName(wilayah.Area{Name: officialName(r)}))
			out = append(out, name, name)
		}
	}
	if len(out) == 0 {
		out = append(out, strings.ToUpper(shortName(gov)))
	}
	out = append(out, "JAKARTA", "SURABAYA", "BANDUNG", "YOGYAKARTA", "MAKASSAR", "BANJARMASIN", "MEDAN")
	g.placesByGov[gov.Code] = out
	return out
}

// educationLabel is TINGKAT_PENDIDIKAN_NAMA as SIASN spells it.
func educationLabel(e edu) string {
	switch e {
	case eSMA:
		return "SLTA"
	case eD3:
		return "Diploma III"
	case eS1, eProf:
		return "S-1/Sarjana"
	case eS2:
		return "S-2"
	}
	return "S-3/Doktor"
}

// eselon is the old eselon a managerial post carries, kept in exports next
// to the position type: I.b for JPT madya; II.a for a Sekda or a
// provincial head of agency, II.b for a local one; III.a for a secretary,
// camat or head of bagian, III.b for a local head of bidang and the deputies
// below a head; IV.a for pengawas, IV.b for those in a kelurahan.
func eselon(lvl netra.TenantLevel, u *genUnit, pt netra.PositionType, head bool) string {
	switch pt {
	case netra.JPTUtama, netra.JPTMadya:
		return "I.b"
	case netra.JPTPratama:
		if lvl == netra.LevelProvince || lvl == netra.LevelNational || u.spec.Code == "SETDA" {
			return "II.a"
		}
		return "II.b"
	case netra.Administrator:
		if !head || (u.kind == kBidang && lvl != netra.LevelProvince) {
			return "III.b"
		}
		return "III.a"
	case netra.Pengawas:
		if !head && (u.kind == kKelurahan || category(u.kind) == catSchool) {
			return "IV.b"
		}
		return "IV.a"
	}
	return ""
}

// monthStart is the first day of a month; TMT dates fall on one.
func monthStart(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }

// months counts months since year 0, for month arithmetic.
func months(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func fromMonths(n int) time.Time { return monthStart(n/12, n%12+1) }

// promotion is the TMT of the latest of steps regular promotions after
// appt: every four years, in the April or October round, never after the
// latest month.
func (g *Generator) promotion(appt time.Time, steps int) time.Time {
	m := 4
	if g.chance(50) {
		m = 10
	}
	last := g.lastYear*12 + g.lastMonth - 1
	n := (appt.Year()+4*steps)*12 + m - 1
	if n > last {
		// Faster than four years a step (credit points, a minimum rank):
		// the latest round within the last two years.
		n = (g.lastYear-g.intn(2))*12 + m - 1
		for n > last {
			n -= 6
		}
	}
	return fromMonths(max(n, months(appt)))
}

// positionDate is the TMT jabatan: managers were installed in the last six
// years, functional positions follow the rank, staff were placed some time
// since their appointment.
func (g *Generator) positionDate(appt, rankDate time.Time, pt netra.PositionType) time.Time {
	last := g.lastYear*12 + g.lastMonth - 1
	span := last - months(appt)
	switch pt {
	case netra.Fungsional:
		return rankDate
	case netra.Pelaksana:
		return fromMonths(months(appt) + g.intn(span+1))
	}
	return fromMonths(last - g.intn(min(72, span)+1))
}

// pnsID is a PNS_ID in the shape SIASN gives it: 32 upper-case hexadecimal
// digits.
func (g *Generator) pnsID() string {
	const hexDigits = "0123456789ABCDEF"
	var b [32]byte
	a, c := g.rng.Uint64(), g.rng.Uint64()
	for i := 0; i < 16; i++ {
		b[i] = hexDigits[a&15]
		b[16+i] = hexDigits[c&15]
		a >>= 4
		c >>= 4
	}
	return string(b[:])
}

// putDMY writes t as dd-mm-yyyy into b, which must hold 10 bytes.
func putDMY(b []byte, t time.Time) {
	putInt(b[0:2], t.Day())
	b[2] = '-'
	putInt(b[3:5], int(t.Month()))
	b[5] = '-'
	putInt(b[6:10], t.Year())
}

// siasnRecord fills rec (numSIASN long) with r in the SIASN shape; buf
// holds the date texts, so rec is valid until the next call. wrongBirth
// writes a TANGGAL_LAHIR and JENIS_KELAMIN that disagree with the NIP, for
// testing the import's plausibility warnings.
func siasnRecord(rec []string, buf *[30]byte, c *govCtx, r *genRow, wrongBirth bool) {
	e := &r.Employee
	for i := range rec {
		rec[i] = ""
	}
	rec[sPNSID], rec[sNIP], rec[sOldNIP], rec[sName] = e.PNSID, e.NIP, e.OldNIP, e.Name
	rec[sFrontTitle], rec[sBackTitle], rec[sBirthPlace] = e.FrontTitle, e.BackTitle, e.BirthPlace
	birth, sex := e.BirthDate, e.Sex
	if wrongBirth {
		birth = birth.AddDate(0, 0, 1)
		sex = netra.Female
		if e.Sex == netra.Female {
			sex = netra.Male
		}
	}
	putDMY(buf[0:10], birth)
	rec[sBirthDate] = string(buf[0:10])
	rec[sSex] = "M"
	if sex == netra.Female {
		rec[sSex] = "F"
	}
	rec[sNIK], rec[sPhone], rec[sEmail], rec[sEmailGov] = e.NIK, e.Phone, e.OtherEmail, e.Email
	switch e.Type {
	case netra.PNS:
		rec[sType], rec[sCPNS] = c.pnsKind, "P"
	case netra.CPNS:
		rec[sType], rec[sCPNS] = c.pnsKind, "C"
	case netra.PPPK:
		rec[sType] = "PPPK Penuh Waktu"
	case netra.PPPKParuhWaktu:
		rec[sType] = "PPPK Paruh Waktu"
	}
	rec[sStatus], rec[sGolongan] = r.status, string(e.Golongan)
	if !e.RankDate.IsZero() {
		putDMY(buf[10:20], e.RankDate)
		rec[sRankDate] = string(buf[10:20])
	}
	switch e.PositionType {
	case netra.Fungsional:
		rec[sPositionType] = "Jabatan Fungsional Tertentu"
	case netra.Pelaksana:
		// Older records still say "Fungsional Umum".
		rec[sPositionType] = "Pelaksana"
		if e.PNSID[0] < '5' {
			rec[sPositionType] = "Fungsional Umum"
		}
	default:
		rec[sPositionType] = "Struktural"
	}
	rec[sPosition] = e.PositionName
	if !e.PositionDate.IsZero() {
		putDMY(buf[20:30], e.PositionDate)
		rec[sPositionDate] = string(buf[20:30])
	}
	rec[sEselon], rec[sEducation] = e.Eselon, e.Education
	rec[sUnit], rec[sParentUnit], rec[sGovernment], rec[sSatker] = r.unit.unorName, r.unit.indukName, c.instansi, r.unit.indukName
}

// generateSIASN is Generate's loop for ShapeSIASN.
func generateSIASN(sink rowSink, cw *countingWriter, g *Generator, d *wilayah.Data, govs []wilayah.Area, counts []int, wrongBirth int, stats GenStats) (GenStats, error) {
	if err := sink.write(SIASNColumns); err != nil {
		return stats, err
	}
	rec := make([]string, numSIASN)
	var buf [30]byte
	for i, gov := range govs {
		units := UnitTree(gov, d)
		stats.Governments++
		stats.Units += len(units)
		err := g.run(gov, units, counts[i], func(r *genRow) error {
			// A fixed stride rather than a random draw, so that asking for
			// wrong birth dates changes nothing else in the file.
			wrong := wrongBirth > 0 && (stats.Rows*7919+13)%1000 < wrongBirth
			siasnRecord(rec, &buf, r.gov, r, wrong)
			stats.Rows++
			stats.ByType[r.Employee.Type]++
			return sink.write(rec)
		})
		if err != nil {
			return stats, err
		}
	}
	if err := sink.close(); err != nil {
		return stats, err
	}
	stats.Bytes = cw.n
	return stats, nil
}

// SIASNUnit is how a SIASN export names one unit of a government.
type SIASNUnit struct {
	Code   string // the unit's code in UnitTree
	Name   string // UNOR_NAMA
	Parent string // UNOR_INDUK_NAMA (and SATUAN_KERJA_KERJA_NAMA)
}

// SIASNNames returns INSTANSI_KERJA_NAMA of gov and the names Generate
// writes for each unit of its tree in the SIASN shape (units is
// UnitTree(gov, …), parents before children).
func SIASNNames(gov wilayah.Area, units []UnitSpec) (instansi string, names []SIASNUnit) {
	lvl, ok := netra.LevelOfCode(gov.Code)
	if !ok {
		return "", nil
	}
	g := &Generator{roles: newRoleSet()}
	gus, err := g.prepareUnits(gov, units, lvl, 0)
	if err != nil {
		return "", nil
	}
	names = make([]SIASNUnit, len(gus))
	for i, u := range gus {
		names[i] = SIASNUnit{Code: u.spec.Code, Name: u.unorName, Parent: u.indukName}
	}
	return instansiName(gov, lvl), names
}

// OfficialName is a government's name as it writes it ("Kota Palangka
// Raya"), where the area data spell it otherwise.
func OfficialName(gov wilayah.Area) string { return officialName(gov) }
