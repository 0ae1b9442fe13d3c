package netra

import (
	"strconv"
	"strings"
	"time"
)

// NIP (Nomor Induk Pegawai) is the 18-digit identifier of a PNS:
// birth date YYYYMMDD, month of first appointment as CPNS YYYYMM, a sex digit
// (1 male, 2 female) and a three-digit serial: 19860926 201505 1 001.
// A PPPK's NI PPPK has the same length: birth date, year of first
// appointment YYYY, two digits, the sex digit and a serial. Non-ASN staff have
// no national number; Netra identifies them by their 16-digit NIK (population
// number). The three are kept in the same column, Employee.NIP.

// NormalizeNIP removes the spaces, dots and dashes people type inside a NIP.
func NormalizeNIP(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\u00a0', '\t', '\'':
			return -1
		}
		return r
	}, s)
}

// FormatNIP writes an 18-digit NIP in its customary groups
// ("19860926 201505 1 001"); anything else is returned unchanged.
func FormatNIP(nip string) string {
	if len(nip) != 18 {
		return nip
	}
	return nip[:8] + " " + nip[8:14] + " " + nip[14:15] + " " + nip[15:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseDate parses YYYYMMDD and rejects impossible dates such as 19860230.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("20060102", s)
	return t, err == nil
}

// NIPInfo is what an identifier tells about its holder.
type NIPInfo struct {
	BirthDate   time.Time
	Appointment time.Time // first day of the appointment month (PNS) or year (PPPK); zero for NIK
	Sex         Sex
}

// Sex is an employee's sex as the identifiers encode it.
type Sex string

// The two values the NIP encodes.
const (
	Male   Sex = "L" // laki-laki
	Female Sex = "P" // perempuan
)

// ParseNIP checks an identifier against the rules of the employment type and
// says what it encodes. now bounds dates from above (birth and appointment
// cannot be in the future). The error is a ValidationError on field "nip".
func ParseNIP(nip string, t EmploymentType, now time.Time) (NIPInfo, error) {
	bad := func(id, en string) (NIPInfo, error) { return NIPInfo{}, Invalid("nip", Msg(id, en)) }
	switch t {
	case NonASN:
		return parseNIK(nip, now)
	case PNS, CPNS, PPPK, PPPKParuhWaktu:
	default:
		return bad("Jenis kepegawaian tidak dikenal.", "Unknown employment type.")
	}
	if len(nip) != 18 || !allDigits(nip) {
		return bad("NIP harus 18 digit angka.", "The NIP must be 18 digits.")
	}
	var info NIPInfo
	birth, ok := parseDate(nip[:8])
	if !ok || birth.Year() < 1930 || birth.After(now) {
		return bad("8 digit pertama NIP harus tanggal lahir yang sah (TTTTBBHH).", "The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).")
	}
	info.BirthDate = birth
	switch t {
	case PNS, CPNS:
		m, err := strconv.Atoi(nip[12:14])
		y, _ := strconv.Atoi(nip[8:12])
		if err != nil || m < 1 || m > 12 {
			return bad("Digit 9–14 NIP harus tahun dan bulan pengangkatan yang sah (TTTTBB).", "Digits 9–14 of the NIP must be a valid appointment year and month (YYYYMM).")
		}
		info.Appointment = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	default: // PPPK: year of first appointment, then two digits
		y, _ := strconv.Atoi(nip[8:12])
		info.Appointment = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if info.Appointment.Before(time.Date(birth.Year(), birth.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		return bad("Tanggal pengangkatan dalam NIP tidak boleh sebelum tanggal lahir.", "The appointment date in the NIP cannot be before the birth date.")
	}
	if info.Appointment.After(now) {
		return bad("Tanggal pengangkatan dalam NIP tidak boleh di masa depan.", "The appointment date in the NIP cannot be in the future.")
	}
	switch nip[14] {
	case '1':
		info.Sex = Male
	case '2':
		info.Sex = Female
	default:
		return bad("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2.", "Digit 15 of the NIP (sex) must be 1 or 2.")
	}
	if nip[15:] == "000" {
		return bad("Nomor urut NIP (3 digit terakhir) tidak boleh 000.", "The NIP serial (last 3 digits) cannot be 000.")
	}
	return info, nil
}

// parseNIK checks a 16-digit NIK: a province code, regency and district
// digits, the birth date DDMMYY (day + 40 for women) and a serial.
func parseNIK(nik string, now time.Time) (NIPInfo, error) {
	bad := func(id, en string) (NIPInfo, error) { return NIPInfo{}, Invalid("nip", Msg(id, en)) }
	if len(nik) != 16 || !allDigits(nik) {
		return bad("Pegawai non-ASN diidentifikasi dengan NIK 16 digit angka.", "Non-ASN staff are identified by their 16-digit NIK.")
	}
	if nik[0] == '0' {
		return bad("Dua digit pertama NIK harus kode provinsi.", "The first two digits of the NIK must be a province code.")
	}
	day, _ := strconv.Atoi(nik[6:8])
	info := NIPInfo{Sex: Male}
	if day > 40 {
		day -= 40
		info.Sex = Female
	}
	month, _ := strconv.Atoi(nik[8:10])
	yy, _ := strconv.Atoi(nik[10:12])
	year := 1900 + yy
	if year+100 <= now.Year() {
		year += 100
	}
	if year > now.Year()-10 { // nobody under ten works for the government
		year -= 100
	}
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || birth.Day() != day || birth.Month() != time.Month(month) {
		return bad("Digit 7–12 NIK harus tanggal lahir yang sah (HHBBTT, hari +40 untuk perempuan).", "Digits 7–12 of the NIK must be a valid birth date (DDMMYY, day + 40 for women).")
	}
	if nik[12:] == "0000" {
		return bad("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.", "The NIK serial (last 4 digits) cannot be 0000.")
	}
	info.BirthDate = birth
	return info, nil
}

// ParseNIK checks a 16-digit NIK (Nomor Induk Kependudukan, the population
// number on the identity card): the province, regency and district digits,
// the birth date DDMMYY (day + 40 for women) and a serial. The error is a
// ValidationError on field "nik".
func ParseNIK(nik string, now time.Time) (NIPInfo, error) {
	if len(nik) != 16 || !allDigits(nik) {
		return NIPInfo{}, Invalid("nik", Msg("NIK harus 16 digit angka.", "The NIK must be 16 digits."))
	}
	info, err := parseNIK(nik, now)
	if err != nil {
		ve, _ := AsValidation(err)
		return NIPInfo{}, Invalid("nik", ve.Fields["nip"])
	}
	return info, nil
}

// provinceCodes are the Kemendagri codes of Indonesia's 38 provinces, the
// first two digits of every NIK issued in them: the codes of
// internal/wilayah/data/provinces.csv (idn-area-data 4.0.1, from
// Kemendagri's code list), which a test in internal/roster checks against.
var provinceCodes = [100]bool{
	11: true, 12: true, 13: true, 14: true, 15: true, 16: true, 17: true, 18: true, 19: true,
	21: true,
	31: true, 32: true, 33: true, 34: true, 35: true, 36: true,
	51: true, 52: true, 53: true,
	61: true, 62: true, 63: true, 64: true, 65: true,
	71: true, 72: true, 73: true, 74: true, 75: true, 76: true,
	81: true, 82: true,
	91: true, 92: true, 93: true, 94: true, 95: true, 96: true,
}

// ProvinceCode reports whether the first two characters of s are the code
// of a province, as the first two digits of a valid NIK are.
func ProvinceCode(s string) bool {
	if len(s) < 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return false
	}
	return provinceCodes[int(s[0]-'0')*10+int(s[1]-'0')]
}
