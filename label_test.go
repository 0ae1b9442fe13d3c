package netra

import "testing"

// Every enum value has a label in both interface languages, and the two
// differ from the raw value where a word exists (the pages show labels,
// never codes).
func TestEveryEnumValueHasBothLabels(t *testing.T) {
	check := func(kind string, v interface{ Label(string) string }, m Message) {
		t.Helper()
		if m.ID == "" || m.EN == "" || v.Label("id") != m.ID || v.Label("en") != m.EN {
			t.Errorf("%s %v: labels %q / %q", kind, v, v.Label("id"), v.Label("en"))
		}
	}
	for k, m := range employmentLabels {
		check("employment type", k, m)
	}
	for k, m := range positionLabels {
		check("position type", k, m)
	}
	for k, m := range statusLabels {
		check("status", k, m)
	}
	for k, m := range unitTypeLabels {
		check("unit type", k, m)
	}
	for k, m := range roleLabels {
		check("role", k, m)
	}
	for _, l := range []TenantLevel{LevelNational, LevelProvince, LevelRegency, LevelCity} {
		if l.Label("id") == "" || l.Label("en") == "" || l.Label("id") == string(l) {
			t.Errorf("tenant level %v: labels %q / %q", l, l.Label("id"), l.Label("en"))
		}
	}
}
