package wilayah

import (
	"strings"
	"testing"
)

func mustLoad(t testing.TB) *Data {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func TestCounts(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"provinces", len(d.Provinces()), 38},
		{"regencies", len(d.regencies), 514},
		{"districts", len(d.districts), 7285},
		{"villages", len(d.villages), 83762},
		{"governments", len(d.Governments()), 552},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestPalangkaRaya(t *testing.T) {
	d := mustLoad(t)
	city, ok := d.Lookup("62.71")
	if !ok || city.Name != "Kota Palangkaraya" || city.ParentCode != "62" {
		t.Fatalf("Lookup(62.71) = %+v, %v", city, ok)
	}
	var names []string
	for _, a := range d.Districts("62.71") {
		names = append(names, a.Name)
		if a.ParentCode != "62.71" {
			t.Errorf("%s has parent %q", a.Code, a.ParentCode)
		}
	}
	if got, want := strings.Join(names, ","), "Pahandut,Bukit Batu,Jekan Raya,Sabangau,Rakumpit"; got != want {
		t.Errorf("districts = %s, want %s", got, want)
	}
	kel := 0
	for _, dist := range d.Districts("62.71") {
		for _, v := range d.Villages(dist.Code) {
			if !v.IsKelurahan() {
				t.Errorf("%s %s is not a kelurahan", v.Code, v.Name)
			}
			kel++
		}
	}
	if kel != 30 {
		t.Errorf("kelurahan in Palangka Raya = %d, want 30", kel)
	}
	if v, ok := d.Lookup("62.71.01.1003"); !ok || v.Name != "Langkai" || v.ParentCode != "62.71.01" {
		t.Errorf("Lookup(62.71.01.1003) = %+v, %v", v, ok)
	}
}

func TestLookup(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		code, name string
		ok         bool
	}{
		{"62", "Kalimantan Tengah", true},
		{"31.71", "Kota Administrasi Jakarta Pusat", true},
		{"11.01.01", "Bakongan", true},
		{"11.01.01.2001", "Keude Bakongan", true},
		{"35.13.15.2017", `Soka"an`, true}, // a quoted name with an escaped quote
		{"12.07.28.1007", "Lubuk Pakam I,II", true},
		{"00", "", false},
		{"62.99", "", false},
		{"", "", false},
		{"62.71.01.1003.1", "", false},
	}
	for _, tt := range tests {
		a, ok := d.Lookup(tt.code)
		if ok != tt.ok || a.Name != tt.name {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.code, a.Name, ok, tt.name, tt.ok)
		}
	}
}

func TestIsKelurahan(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"62.71.01.1001", true},
		{"11.01.01.2001", false},
		{"62.71.01", false},
		{"62.71", false},
	}
	for _, tt := range tests {
		if got := (Area{Code: tt.code}).IsKelurahan(); got != tt.want {
			t.Errorf("IsKelurahan(%s) = %v", tt.code, got)
		}
	}
}

func TestGovernmentsOrderAndParents(t *testing.T) {
	d := mustLoad(t)
	govs := d.Governments()
	for i, g := range govs {
		if i > 0 && govs[i-1].Code >= g.Code {
			t.Fatalf("not sorted at %s", g.Code)
		}
		if g.ParentCode != "" {
			if _, ok := d.Lookup(g.ParentCode); !ok {
				t.Errorf("%s: parent %s missing", g.Code, g.ParentCode)
			}
		}
	}
	if govs[0].Code != "11" || govs[1].Code != "11.01" {
		t.Errorf("first governments = %s, %s", govs[0].Code, govs[1].Code)
	}
	kel := 0
	for _, v := range d.villages {
		if v.IsKelurahan() {
			kel++
		}
	}
	if kel != 8496 {
		t.Errorf("kelurahan = %d, want 8496", kel)
	}
}

func TestChildrenAreCopies(t *testing.T) {
	d := mustLoad(t)
	p := d.Provinces()
	p[0].Name = "changed"
	if d.Provinces()[0].Name != "Aceh" {
		t.Error("Provinces exposes the internal slice")
	}
	r := d.Regencies("62")
	r[0].Name = "changed"
	if d.Regencies("62")[0].Name == "changed" {
		t.Error("Regencies exposes the internal slice")
	}
	if got := d.Regencies("6"); len(got) != 0 {
		t.Errorf("Regencies(6) = %d areas; a bare prefix must not match", len(got))
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
