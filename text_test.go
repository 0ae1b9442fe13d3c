package netra_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/netra-id/netra"
)

func TestTruncateAtCharacterBoundary(t *testing.T) {
	// "é" is 2 bytes, "€" 3, "𝔸" 4: every cut position lands inside one.
	s := strings.Repeat("aé€𝔸", 30)
	for n := 0; n <= len(s)+1; n++ {
		got := netra.Truncate(s, n)
		if len(got) > n || !utf8.ValidString(got) || !strings.HasPrefix(s, got) || len(got) < n-3 {
			t.Fatalf("Truncate(%d) = %d bytes %q", n, len(got), got)
		}
	}
	if got := netra.Truncate("ab\xffc\x00d", 10); got != "ab\uFFFDc\uFFFDd" {
		t.Fatalf("invalid UTF-8 and NUL: %q", got)
	}
}

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		in        string
		max       int
		multiline bool
		ok        bool
	}{
		{"Budi Santoso", 0, false, true},
		{"Bagian\tUmum", 0, false, true},
		{"baris\nkedua", 0, true, true},
		{"baris\nkedua", 0, false, false},
		{"nul\x00byte", 0, false, false},
		{"bad\xffutf8", 0, false, false},
		{strings.Repeat("é", 6), 10, false, false},
		{strings.Repeat("x", netra.MaxText+1), 0, false, false},
	} {
		m := netra.CheckText(c.in, c.max, c.multiline)
		if (m == nil) != c.ok {
			t.Errorf("CheckText(%q, %d, %v) = %v, want ok=%v", c.in, c.max, c.multiline, m, c.ok)
		}
		if m != nil && (m.ID == "" || m.EN == "") {
			t.Errorf("CheckText(%q): message lacks a language: %+v", c.in, m)
		}
	}
}

// One text validation for every way in: the domain types refuse NUL and
// invalid UTF-8 in every free-text field, all fields reported at once.
func TestValidateRefusesBadText(t *testing.T) {
	e := &netra.Employee{NIP: "198609262015051001", Name: "Budi\x00", PositionName: "Staf\xff", Email: "x@y.id", Type: netra.PNS, Golongan: "III/a"}
	ve, ok := netra.AsValidation(e.Validate(netra.SystemClock().Now()))
	if !ok || ve.Fields["name"].ID == "" || ve.Fields["position_name"].ID == "" {
		t.Fatalf("employee with NUL and invalid UTF-8: %+v", ve)
	}
	u := &netra.OrgUnit{Code: "SETDA", Name: "Sekretariat\x00Daerah"}
	if ve, ok := netra.AsValidation(u.Validate()); !ok || ve.Fields["name"].ID == "" {
		t.Fatalf("unit with NUL: %+v", ve)
	}
}
