package roster

import (
	"strings"
	"time"
)

// parseDate reads a date as rosters write it, without regular expressions
// or allocations on the common forms:
//
//   - day first, with -, / or . between the parts: 26-09-1986, 26/09/1986,
//     2/1/2006, 26.09.1986 (a two-digit year is read in the century that
//     puts it at most now's year); month first only when the day cannot be
//     a month (09/26/1986);
//   - year first: 1986-09-26, 1986/09/26, and 19860926;
//   - a month name in Indonesian or English, whole or short: 26 September
//     1986, 26 Sep 1986, 26-Agu-1986, 1 Mei 2020;
//   - any of those followed by a time: 26-09-1986 00:00:00, 1986-09-26T00:00:00Z;
//   - an Excel serial day number (31681, 31681.5), as a number cell of an
//     XLSX reads, or as CSV saved from such a cell.
//
// ok is false for anything else and for impossible dates (31-02-2020).
func parseDate(s string, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if c := strings.IndexByte(s, ':'); c > 0 {
		// Drop a time of day: "26-09-1986 00:00:00", "1986-09-26T00:00:00Z".
		if i := strings.LastIndexAny(s[:c], " T"); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := excelSerial(s); ok {
		return t, true
	}
	if len(s) == 8 && allDigits(s) {
		return ymd(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:]))
	}
	var parts [3]string
	n := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !dateSep(s[i]) {
			continue
		}
		if i > start {
			if n == 3 {
				return time.Time{}, false
			}
			parts[n] = s[start:i]
			n++
		}
		start = i + 1
	}
	if n != 3 {
		return time.Time{}, false
	}
	a, b, c := parts[0], parts[1], parts[2]
	if !allDigits(a) || !allDigits(c) {
		return time.Time{}, false
	}
	if !allDigits(b) {
		m := monthByName(b)
		if m == 0 {
			return time.Time{}, false
		}
		if len(a) == 4 { // 1986-Sep-26
			return ymd(atoi(a), m, atoi(c))
		}
		return ymd(year(c, now), m, atoi(a))
	}
	switch {
	case len(a) == 4:
		return ymd(atoi(a), atoi(b), atoi(c))
	case len(a) > 2 || len(b) > 2 || (len(c) != 4 && len(c) != 2):
		return time.Time{}, false
	}
	d, m := atoi(a), atoi(b)
	if m > 12 && d <= 12 { // month first: 09/26/1986
		d, m = m, d
	}
	return ymd(year(c, now), m, d)
}

func dateSep(b byte) bool {
	return b == '-' || b == '/' || b == '.' || b == ' ' || b == ','
}

// year reads a four-digit year, or a two-digit one as the latest year not
// after now ("86" is 1986, "05" is 2005 in 2026).
func year(s string, now time.Time) int {
	y := atoi(s)
	if len(s) == 2 {
		y += now.Year() / 100 * 100
		if y > now.Year() {
			y -= 100
		}
	}
	return y
}

// ymd builds a date and refuses the impossible ones.
func ymd(y, m, d int) (time.Time, bool) {
	if y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// excelSerial reads an Excel day number: days since 1899-12-30 (which
// absorbs Excel's phantom 29 February 1900 for every date after it), a
// fraction being the time of day. Only numbers of up to five digits are
// serials (a five-digit serial reaches the year 2173).
func excelSerial(s string) (time.Time, bool) {
	whole := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole = s[:i]
		if !allDigits(s[i+1:]) {
			return time.Time{}, false
		}
	}
	if len(whole) == 0 || len(whole) > 5 || !allDigits(whole) {
		return time.Time{}, false
	}
	n := atoi(whole)
	if n < 61 { // before March 1900: no roster date, and Excel's calendar is off there
		return time.Time{}, false
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
}

// atoi reads a string of ASCII digits (the callers check them).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// monthNames are the Indonesian and English month names and their common
// abbreviations, lower case.
var monthNames = [...][]string{
	1:  {"januari", "january", "jan"},
	2:  {"februari", "february", "pebruari", "feb", "peb"},
	3:  {"maret", "march", "mar"},
	4:  {"april", "apr"},
	5:  {"mei", "may"},
	6:  {"juni", "june", "jun"},
	7:  {"juli", "july", "jul"},
	8:  {"agustus", "august", "agu", "agt", "ags", "aug"},
	9:  {"september", "sept", "sep"},
	10: {"oktober", "october", "okt", "oct"},
	11: {"november", "nopember", "nov", "nop"},
	12: {"desember", "december", "des", "dec"},
}

// monthByName returns the month a name means (1–12), or 0.
func monthByName(s string) int {
	for m, names := range monthNames {
		for _, n := range names {
			if strings.EqualFold(s, n) {
				return m
			}
		}
	}
	return 0
}
