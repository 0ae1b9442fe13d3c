package roster

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/netra-id/netra"
)

// The parts of ParseRow for the columns of the SIASN "data utama" export
// and of nominatif sheets: the employment type with STATUS_CPNS_PNS, the
// position type with ESELON, the other identifiers, dates, sex, and the
// plausibility warnings.

// employmentType reads JENIS_PEGAWAI, with a fast path for the canonical
// values that most rows carry (ParseEmploymentType allocates).
func employmentType(s string) (netra.EmploymentType, bool) {
	switch s {
	case "PNS":
		return netra.PNS, true
	case "CPNS":
		return netra.CPNS, true
	case "PPPK":
		return netra.PPPK, true
	case "PPPK Paruh Waktu":
		return netra.PPPKParuhWaktu, true
	case "Non-ASN":
		return netra.NonASN, true
	}
	return netra.ParseEmploymentType(s)
}

// parseType sets e.Type from JENIS_PEGAWAI and STATUS_CPNS_PNS. SIASN
// writes the kind of PNS in JENIS_PEGAWAI_NAMA ("PNS DAERAH KAB/KOTA") and
// whether they are still a candidate in STATUS_CPNS_PNS ("C" or "P"), which
// therefore decides between CPNS and PNS; it means nothing for a PPPK.
func parseType(p *rowProblems, e *netra.Employee, row Row) {
	switch t, ok := employmentType(row.Type); {
	case row.Type == "" && row.CPNS != "":
	case row.Type == "":
		p.add(ColType, netra.Msg("Jenis pegawai wajib diisi (PNS, CPNS, PPPK, PPPK Paruh Waktu atau Non-ASN).",
			"The employment type is required (PNS, CPNS, PPPK, PPPK Paruh Waktu or Non-ASN)."))
	case !ok:
		p.add(ColType, netra.Msg("Jenis pegawai tidak dikenal; gunakan PNS, CPNS, PPPK, PPPK Paruh Waktu atau Non-ASN (atau nilai SIASN seperti PNS DAERAH KAB/KOTA, PPPK Penuh Waktu).",
			"Unknown employment type; use PNS, CPNS, PPPK, PPPK Paruh Waktu or Non-ASN (or SIASN's values such as PNS DAERAH KAB/KOTA, PPPK Penuh Waktu)."))
	default:
		e.Type = t
	}
	if row.CPNS == "" {
		return
	}
	var t netra.EmploymentType
	switch strings.ToUpper(strings.ReplaceAll(row.CPNS, " ", "")) {
	case "C", "CPNS", "CALONPNS":
		t = netra.CPNS
	case "P", "PNS":
		t = netra.PNS
	default:
		p.add(ColCPNS, netra.Msg("STATUS_CPNS_PNS harus C (CPNS) atau P (PNS).", "STATUS_CPNS_PNS must be C (CPNS) or P (PNS)."))
		return
	}
	if e.Type == netra.PNS || e.Type == netra.CPNS || (e.Type == "" && row.Type == "") {
		e.Type = t
	}
}

// parsePositionType sets e.PositionType and e.Eselon from JENIS_JABATAN and
// ESELON (domain §3.5; UU 5/2014 Pasal 14 and 131): a precise type is taken
// as written; "Struktural", "Jabatan administrasi" and a bare "JPT" need the
// eselon, which then decides; an empty type is the eselon's.
func parsePositionType(p *rowProblems, e *netra.Employee, row Row) {
	var fromEselon netra.PositionType
	badEselon := false
	if row.Eselon != "" {
		t, canonical, ok := netra.ParseEselon(row.Eselon)
		if !ok {
			// Some sheets put the type itself in the eselon column ("JPT Pratama").
			if pt, isType := netra.ParsePositionType(row.Eselon); isType {
				t, ok = pt, true
			}
		}
		if badEselon = !ok; !ok {
			p.add(ColEselon, netra.Msg("Eselon tidak dikenal; tulis I.a, I.b, II.a, II.b, III.a, III.b, IV.a, IV.b atau V.a (atau kode SIASN 11 … 51).",
				"Unknown eselon; write I.a, I.b, II.a, II.b, III.a, III.b, IV.a, IV.b or V.a (or SIASN's codes 11 … 51)."))
		}
		fromEselon, e.Eselon = t, canonical
	}
	jenis := row.PositionType
	switch pt, ok := positionType(jenis); {
	case jenis == "" && fromEselon != "":
		e.PositionType = fromEselon
	case jenis == "":
		p.add(ColPositionType, netra.Msg("Jenis jabatan wajib diisi (atau isi ESELON).", "The position type is required (or fill in ESELON)."))
	case ok:
		e.PositionType = pt
		if fromEselon != "" && fromEselon != pt && !(pt == netra.JPTUtama && fromEselon == netra.JPTMadya) {
			p.warn(ColEselon, netra.Msg("Eselon "+e.Eselon+" setara "+fromEselon.Label("id")+", tetapi JENIS_JABATAN "+pt.Label("id")+"; JENIS_JABATAN yang dipakai.",
				"Eselon "+e.Eselon+" is "+fromEselon.Label("en")+", but JENIS_JABATAN says "+pt.Label("en")+"; JENIS_JABATAN is kept."))
		}
	case netra.UmbrellaPositionType(jenis) && fromEselon != "":
		e.PositionType = fromEselon
	case netra.UmbrellaPositionType(jenis):
		if !badEselon { // the eselon's message says what to fix
			p.add(ColPositionType, umbrellaMessage(jenis))
		}
	default:
		p.add(ColPositionType, netra.Msg("Jenis jabatan tidak dikenal; gunakan JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional atau Pelaksana (atau Struktural dengan ESELON).",
			"Unknown position type; use JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional or Pelaksana (or Struktural with ESELON)."))
	}
}

// positionType reads JENIS_JABATAN, with a fast path for the labels Netra
// writes (ParsePositionType allocates).
func positionType(s string) (netra.PositionType, bool) {
	switch s {
	case "Pelaksana":
		return netra.Pelaksana, true
	case "Fungsional":
		return netra.Fungsional, true
	case "Pengawas":
		return netra.Pengawas, true
	case "Administrator":
		return netra.Administrator, true
	case "JPT Pratama":
		return netra.JPTPratama, true
	}
	return netra.ParsePositionType(s)
}

// umbrellaMessage explains why a group of position types is refused.
func umbrellaMessage(jenis string) netra.Message {
	k := strings.ToLower(jenis)
	switch {
	case strings.Contains(k, "administrasi"):
		return netra.Msg("\"Jabatan administrasi\" mencakup administrator, pengawas dan pelaksana (UU 5/2014 Pasal 14); tulis jenis yang tepat (Administrator, Pengawas atau Pelaksana) atau isi ESELON.",
			"\"Jabatan administrasi\" covers administrator, pengawas and pelaksana (UU 5/2014 Article 14); write the precise type (Administrator, Pengawas or Pelaksana) or fill in ESELON.")
	case strings.Contains(k, "struktural"):
		return netra.Msg("Jabatan struktural memerlukan ESELON (II.b, III.a, IV.a…) atau jenis yang tepat (JPT Pratama, Administrator, Pengawas).",
			"A structural post needs ESELON (II.b, III.a, IV.a…) or the precise type (JPT Pratama, Administrator, Pengawas).")
	}
	return netra.Msg("Tulis JPT Utama, JPT Madya atau JPT Pratama, atau isi ESELON.", "Write JPT Utama, JPT Madya or JPT Pratama, or fill in ESELON.")
}

// parseIdentifiers reads NIK, PNS_ID and NIP_LAMA.
func parseIdentifiers(p *rowProblems, e *netra.Employee, row Row, now time.Time) {
	if row.NIK != "" {
		n := netra.NormalizeNIP(row.NIK)
		switch {
		case excelMangled(row.NIK):
			p.add(ColNIK, excelMessage)
		default:
			if _, err := netra.ParseNIK(n, now); err != nil {
				v, _ := netra.AsValidation(err)
				p.add(ColNIK, v.Fields["nik"])
			} else {
				e.NIK = n
			}
		}
	}
	if row.PNSID != "" {
		if len(row.PNSID) > 64 || strings.ContainsAny(row.PNSID, " \t") || netra.CheckText(row.PNSID, 64, false) != nil {
			p.add(ColPNSID, netra.Msg("PNS_ID paling panjang 64 karakter, tanpa spasi.", "The PNS_ID has at most 64 characters, with no spaces."))
		} else {
			e.PNSID = row.PNSID
		}
	}
	if row.OldNIP != "" {
		if n := netra.NormalizeNIP(row.OldNIP); len(n) == 9 && allDigits(n) {
			e.OldNIP = n
		} else {
			p.add(ColOldNIP, netra.Msg("NIP lama harus 9 digit angka.", "The old NIP must be 9 digits."))
		}
	}
}

// parseExtras reads the other SIASN columns: place and date of birth, sex,
// TMT dates, education and the second e-mail.
func parseExtras(p *rowProblems, e *netra.Employee, row Row, now time.Time) {
	e.BirthPlace = oneLine(row.BirthPlace)
	e.Education = oneLine(row.Education)
	checkName(p, ColBirthPlace, e.BirthPlace, 100)
	checkName(p, ColEducation, e.Education, 100)
	if row.BirthDate != "" {
		if d, ok := dateIn(p, ColBirthDate, row.BirthDate, now, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), now); ok {
			e.BirthDate = d
		}
	}
	// A TMT may lie a little ahead: a decree often takes effect next month.
	soon := now.AddDate(1, 0, 0)
	if row.RankDate != "" {
		e.RankDate, _ = dateIn(p, ColRankDate, row.RankDate, now, time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC), soon)
	}
	if row.PositionDate != "" {
		e.PositionDate, _ = dateIn(p, ColPositionDate, row.PositionDate, now, time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC), soon)
	}
	if row.Sex != "" {
		if s, ok := parseSex(row.Sex); ok {
			e.Sex = s
		} else {
			p.add(ColSex, netra.Msg("Jenis kelamin harus L (laki-laki) atau P (perempuan).", "The sex must be L (male) or P (female)."))
		}
	}
	if row.OtherEmail != "" {
		o := strings.ToLower(strings.TrimSpace(row.OtherEmail))
		switch {
		case !validEmail(o):
			p.add(ColOtherEmail, netra.Msg("Alamat e-mail tidak sah.", "Invalid e-mail address."))
		case !strings.EqualFold(o, strings.TrimSpace(e.Email)):
			e.OtherEmail = o
		}
	}
}

// splitBirth splits a TEMPAT_TANGGAL_LAHIR cell at the first digit:
// "Palangka Raya, 26-09-1986" and "Sampit/1 Mei 1990" give the place and the
// date; a cell with no digit is all place.
func splitBirth(s string) (place, date string) {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return strings.TrimSpace(s), ""
	}
	return strings.TrimRight(strings.TrimSpace(s[:i]), ",/;- "), strings.TrimSpace(s[i:])
}

// checkName refuses control characters and more than max characters in a
// one-line text cell.
func checkName(p *rowProblems, col, v string, max int) {
	if v == "" {
		return
	}
	if m := netra.CheckText(v, 4*max, false); m != nil {
		p.add(col, *m)
	} else if utf8.RuneCountInString(v) > max {
		p.add(col, netra.Msg(fmt.Sprintf("Paling panjang %d karakter.", max), fmt.Sprintf("At most %d characters.", max)))
	}
}

// dateIn parses a date cell and checks that it lies in [lo, hi].
func dateIn(p *rowProblems, col, s string, now, lo, hi time.Time) (time.Time, bool) {
	d, ok := parseDate(s, now)
	if !ok {
		p.add(col, netra.Msg("Tanggal tidak dapat dibaca; tulis seperti 26-09-1986, 1986-09-26 atau 26 September 1986.",
			"The date cannot be read; write it like 26-09-1986, 1986-09-26 or 26 September 1986."))
		return time.Time{}, false
	}
	if d.Before(lo) || d.After(hi) {
		p.add(col, netra.Msg("Tanggal di luar rentang yang mungkin ("+lo.Format("02-01-2006")+" sampai "+hi.Format("02-01-2006")+").",
			"The date is outside the possible range ("+lo.Format("2006-01-02")+" to "+hi.Format("2006-01-02")+")."))
		return time.Time{}, false
	}
	return d, true
}

// parseSex reads JENIS_KELAMIN: L/P, the words, SIASN's M/F, and the NIP's
// digits 1/2.
func parseSex(s string) (netra.Sex, bool) {
	switch strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(s, "-", " ")), " ")) {
	case "L", "LK", "LAKI LAKI", "LAKI", "PRIA", "M", "MALE", "1":
		return netra.Male, true
	case "P", "PR", "PEREMPUAN", "WANITA", "F", "FEMALE", "W", "2":
		return netra.Female, true
	}
	return "", false
}

// parseYesNo reads KEPALA_UNIT.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "YA", "Y", "YES", "1", "TRUE", "BENAR":
		return true, true
	case "TIDAK", "T", "TDK", "NO", "N", "0", "FALSE", "SALAH", "BUKAN":
		return false, true
	}
	return false, false
}

// oneLine collapses the white space of a name; most cells need nothing.
func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == '\n' || c == '\r' || (c == ' ' && i+1 < len(s) && s[i+1] == ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return strings.TrimSpace(s)
}

// validEmail checks an address as Employee.Validate checks Email.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	at := strings.IndexByte(s, '@')
	return err == nil && a.Address == s && at > 0 && strings.Contains(s[at:], ".") && len(s) <= 254
}

// plausible adds the warnings of a row that parsed: the birth date and sex
// the identifier encodes against TANGGAL_LAHIR and JENIS_KELAMIN, an
// appointment before the age of 18, and an NIK that names no province.
func plausible(p *rowProblems, e *netra.Employee, row Row, now time.Time) {
	// What the identifier says, read from its digits (Validate accepted it).
	var idBirth time.Time
	var idSex netra.Sex
	switch nip := e.NIP; {
	case len(nip) == 18:
		idBirth, _ = ymd(atoi(nip[:4]), atoi(nip[4:6]), atoi(nip[6:8]))
		idSex = netra.Male
		if nip[14] == '2' {
			idSex = netra.Female
		}
	case len(nip) == 16 && (row.BirthDate != "" || row.Sex != ""):
		if info, err := netra.ParseNIK(nip, now); err == nil {
			idBirth, idSex = info.BirthDate, info.Sex
		}
	}
	what := "NIP"
	if e.Type == netra.PPPK || e.Type == netra.PPPKParuhWaktu {
		what = "NI PPPK"
	} else if e.Type == netra.NonASN {
		what = "NIK"
	}
	if row.BirthDate != "" && !idBirth.IsZero() {
		if given, ok := parseDate(row.BirthDate, now); ok && !given.Equal(idBirth) {
			p.warn(ColBirthDate, netra.Msg("Tanggal lahir "+given.Format("02-01-2006")+" berbeda dengan tanggal dalam "+what+" ("+idBirth.Format("02-01-2006")+"); "+keptID(e.Type)+".",
				"The birth date "+given.Format("2006-01-02")+" differs from the one in the "+what+" ("+idBirth.Format("2006-01-02")+"); "+keptEN(e.Type)+"."))
		}
	}
	if row.Sex != "" && idSex != "" {
		if given, ok := parseSex(row.Sex); ok && given != idSex {
			p.warn(ColSex, netra.Msg("Jenis kelamin "+string(given)+" berbeda dengan yang tertera dalam "+what+" ("+string(idSex)+"); "+keptID(e.Type)+".",
				"The sex "+string(given)+" differs from the one in the "+what+" ("+string(idSex)+"); "+keptEN(e.Type)+"."))
		}
	}
	// Appointment before 18: a CPNS applicant must be at least 18 (PP
	// 11/2017), a PPPK applicant at least 20 (PP 49/2018) — as commonly
	// quoted, not confirmed in domain.md — so 18 is a bound both satisfy. The NIP holds the year and month of the
	// appointment (digits 9–14), the NI PPPK its year.
	if len(e.NIP) == 18 && e.Type != netra.NonASN && !e.BirthDate.IsZero() {
		y, m := atoi(e.NIP[8:12]), 12
		if e.Type == netra.PNS || e.Type == netra.CPNS {
			m = atoi(e.NIP[12:14])
		}
		lastDay := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
		if lastDay.Before(e.BirthDate.AddDate(18, 0, 0)) {
			p.warn(ColNIP, netra.Msg("Menurut "+what+", pegawai diangkat sebelum berusia 18 tahun ("+e.NIP[8:12]+"); periksa NIP dan tanggal lahir.",
				"By the "+what+", the employee was appointed before the age of 18 ("+e.NIP[8:12]+"); check the NIP and the birth date."))
		}
	}
	if e.NIK != "" && !netra.ProvinceCode(e.NIK) {
		col := ColNIK
		if row.NIK == "" {
			col = ColNIP // a non-ASN's NIK in the NIP column
		}
		p.warn(col, netra.Msg("Dua digit pertama NIK ("+e.NIK[:2]+") bukan kode provinsi; periksa NIK.",
			"The first two digits of the NIK ("+e.NIK[:2]+") are not a province code; check the NIK."))
	}
}

// keptID and keptEN say which birth date or sex is kept (see Employee.Validate).
func keptID(t netra.EmploymentType) string {
	if t == netra.PNS || t == netra.CPNS {
		return "yang dari NIP dipakai"
	}
	return "yang tertulis di kolom dipakai"
}

func keptEN(t netra.EmploymentType) string {
	if t == netra.PNS || t == netra.CPNS {
		return "the NIP's is kept"
	}
	return "the column's is kept"
}
