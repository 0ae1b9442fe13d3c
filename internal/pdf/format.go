package pdf

import (
	"strconv"
	"strings"
	"time"
)

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// Date formats t as Indonesian letters write dates: "13 Juli 2024", in
// t's own time zone.
func Date(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime formats t with its time and zone: "13 Juli 2024 pukul 10.05
// WIB" (the zone is t's abbreviation, such as WIB, WITA or WIT for the
// Asia/Jakarta, Asia/Makassar and Asia/Jayapura locations, or UTC).
func DateTime(t time.Time) string {
	return Date(t) + " pukul " + t.Format("15.04") + " " + zone(t)
}

func zone(t time.Time) string {
	name, _ := t.Zone()
	if name != "" && (name[0] < '0' || name[0] > '9') && name[0] != '+' && name[0] != '-' {
		return name
	}
	return "UTC" + t.Format("-07:00")
}

// Int formats n with Indonesian digit grouping: 1.234.567.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Percent formats part of whole as an Indonesian percentage with one
// decimal, "87,5%", rounded down so that 99.96% is not shown as 100%;
// it is "–" when whole is not positive.
func Percent(part, whole int64) string {
	if whole <= 0 {
		return "–"
	}
	tenths := part * 1000 / whole
	return Int(tenths/10) + "," + strconv.FormatInt(tenths%10, 10) + "%"
}
