package netra

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestParseNIP(t *testing.T) {
	tests := []struct {
		nip  string
		typ  EmploymentType
		ok   bool
		sex  Sex
		year int
	}{
		{"198609262015051001", PNS, true, Male, 1986},
		{"199009132019032014", CPNS, true, Female, 1990},
		{"199009132025242014", PPPK, true, Female, 1990},
		{"199009132025242014", PPPKParuhWaktu, true, Female, 1990},
		{"19860926201505100", PNS, false, "", 0},   // 17 digits
		{"1986092620150510011", PNS, false, "", 0}, // 19 digits
		{"19860926201505100X", PNS, false, "", 0},  // not a digit
		{"198602302015051001", PNS, false, "", 0},  // 30 February
		{"198609262015131001", PNS, false, "", 0},  // month 13
		{"198609261980051001", PNS, false, "", 0},  // appointed before birth
		{"198609262030051001", PNS, false, "", 0},  // appointed in the future
		{"198609262015053001", PNS, false, "", 0},  // sex digit 3
		{"198609262015051000", PNS, false, "", 0},  // serial 000
		{"6271015709900001", NonASN, true, Female, 1990},
		{"6271011709900001", NonASN, true, Male, 1990},
		{"6271013209900001", NonASN, false, "", 0}, // day 32
		{"627101170990000", NonASN, false, "", 0},  // 15 digits
		{"198609262015051001", "x", false, "", 0},
	}
	for _, tt := range tests {
		info, err := ParseNIP(tt.nip, tt.typ, now)
		if (err == nil) != tt.ok {
			t.Errorf("ParseNIP(%s, %s) error = %v, want ok=%v", tt.nip, tt.typ, err, tt.ok)
			continue
		}
		if err != nil {
			v, ok := AsValidation(err)
			if !ok || v.Fields["nip"].ID == "" || v.Fields["nip"].EN == "" {
				t.Errorf("ParseNIP(%s): error without bilingual nip message: %v", tt.nip, err)
			}
			continue
		}
		if info.Sex != tt.sex || info.BirthDate.Year() != tt.year {
			t.Errorf("ParseNIP(%s) = %+v", tt.nip, info)
		}
	}
	if got := FormatNIP(NormalizeNIP("19860926 201505 1 001")); got != "19860926 201505 1 001" {
		t.Errorf("FormatNIP = %q", got)
	}
}

func TestParseGolongan(t *testing.T) {
	tests := map[string]Golongan{"III/a": "III/a", "3a": "III/a", "III-A": "III/a", "iv/e": "IV/e", " II / b ": "II/b",
		"IX": "IX", "xvii": "XVII", "I": "I"}
	for in, want := range tests {
		if got, ok := ParseGolongan(in); !ok || got != want {
			t.Errorf("ParseGolongan(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "V/a", "IV/f", "XVIII", "5a", "abc"} {
		if got, ok := ParseGolongan(in); ok {
			t.Errorf("ParseGolongan(%q) = %q, want refusal", in, got)
		}
	}
}

func TestEmployeeValidate(t *testing.T) {
	base := func() Employee {
		return Employee{NIP: "1986 0926 2015 05 1 001", Name: "  Budi   Santoso ", Type: PNS, Golongan: "III/a",
			PositionType: Pelaksana, UnitID: 1, Email: "Budi@Palangkaraya.go.id", Phone: "0812-3456-7890"}
	}
	e := base()
	if err := e.Validate(now); err != nil {
		t.Fatal(err)
	}
	if e.NIP != "198609262015051001" || e.Name != "Budi Santoso" || e.Email != "budi@palangkaraya.go.id" ||
		e.Phone != "+6281234567890" || e.Sex != Male || e.Status != StatusActive {
		t.Fatalf("normalised %+v", e)
	}
	bad := []struct {
		field string
		edit  func(*Employee)
	}{
		{"golongan", func(e *Employee) { e.Golongan = "IX" }},
		{"golongan", func(e *Employee) { e.Golongan = "" }},
		{"golongan", func(e *Employee) { e.Type, e.NIP = NonASN, "6271011709900001" }},
		{"golongan", func(e *Employee) { e.Type, e.NIP = PPPK, "199009132025242014" }},
		{"position_type", func(e *Employee) { e.PositionType = "boss" }},
		{"email", func(e *Employee) { e.Email = "budi@" }},
		{"phone", func(e *Employee) { e.Phone = "12ab" }},
		{"unit", func(e *Employee) { e.UnitID = 0 }},
		{"name", func(e *Employee) { e.Name = " " }},
		{"nip", func(e *Employee) { e.NIP = "123" }},
	}
	for _, b := range bad {
		e := base()
		b.edit(&e)
		err := e.Validate(now)
		v, ok := AsValidation(err)
		if !ok || v.Fields[b.field].ID == "" {
			t.Errorf("%s: got %v", b.field, err)
		}
	}
}

func TestTenantCodes(t *testing.T) {
	tests := []struct {
		code   string
		level  TenantLevel
		parent string
	}{{"00", LevelNational, ""}, {"62", LevelProvince, "00"}, {"62.71", LevelCity, "62"}, {"62.01", LevelRegency, "62"}}
	for _, tt := range tests {
		l, ok := LevelOfCode(tt.code)
		if !ok || l != tt.level || ParentCode(tt.code) != tt.parent {
			t.Errorf("%s: level %s %v parent %q", tt.code, l, ok, ParentCode(tt.code))
		}
	}
	for _, c := range []string{"", "6", "062", "62.7", "62.71.01", "ab"} {
		if _, ok := LevelOfCode(c); ok {
			t.Errorf("LevelOfCode(%q) accepted", c)
		}
	}
}

func TestScope(t *testing.T) {
	prov := &Actor{UserID: 1, Grants: []Grant{{Role: RoleTenantAdmin, TenantID: 2, TenantPath: "/00/62/"}}}
	unit := &Actor{UserID: 2, Grants: []Grant{{Role: RoleTenantAdmin, TenantID: 3, TenantPath: "/00/62/62.71/", UnitID: 5, UnitPath: "/4/5/"}}}
	emp := &Actor{UserID: 3, EmployeeID: 9, Grants: []Grant{{Role: RoleEmployee, TenantID: 3, TenantPath: "/00/62/62.71/"}}}
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"province covers its city", prov.ScopeFor(PermEmployeeRead).CoversTenant("/00/62/62.71/"), true},
		{"province does not cover another province", prov.ScopeFor(PermEmployeeRead).CoversTenant("/00/65/"), false},
		{"province does not cover a prefix-alike code", prov.ScopeFor(PermEmployeeRead).CoversTenant("/00/621/"), false},
		{"province writes its own staff", prov.ScopeFor(PermEmployeeWrite).CoversUnit(2, "/00/62/", "/1/"), true},
		{"province does not write its city's staff", prov.ScopeFor(PermEmployeeWrite).CoversUnit(3, "/00/62/62.71/", "/4/"), false},
		{"province does not import into its city", prov.ScopeFor(PermImport).ReachesTenant(3, "/00/62/62.71/"), false},
		{"province does not manage its city's units", prov.ScopeFor(PermUnitManage).CoversTenant("/00/62/62.71/"), false},
		{"province does not manage its city's users", prov.ScopeFor(PermUserManage).CoversTenant("/00/62/62.71/"), false},
		{"province reads its city's audit log", prov.ScopeFor(PermAuditRead).CoversTenant("/00/62/62.71/"), true},
		{"province is a common ancestor of its city", prov.ScopeWithSubtreeFor(PermImport).CoversTenant("/00/62/62.71/"), true},
		{"unit admin covers its subtree", unit.ScopeFor(PermEmployeeWrite).CoversUnit(3, "/00/62/62.71/", "/4/5/8/"), true},
		{"unit admin does not cover a sibling", unit.ScopeFor(PermEmployeeWrite).CoversUnit(3, "/00/62/62.71/", "/4/6/"), false},
		{"unit admin does not cover the whole tenant", unit.ScopeFor(PermEmployeeWrite).CoversTenant("/00/62/62.71/"), false},
		{"unit admin reaches the tenant", unit.ScopeFor(PermEmployeeWrite).ReachesTenant(3, "/00/62/62.71/"), true},
		{"employee cannot read employees", emp.Can(PermEmployeeRead), false},
		{"employee has self", emp.Can(PermSelf), true},
		{"verifier cannot import", RoleVerifier.Has(PermImport), false},
		{"auditor reads the audit log", RoleAuditor.Has(PermAuditRead), true},
		{"leader cannot manage units", RoleLeader.Has(PermUnitManage), false},
		{"system is super admin", System("x").ScopeFor(PermTenantManage).All, true},
		{"nil actor cannot sign in", (*Actor)(nil).Can(PermSignedIn), false},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %v", c.name, c.got)
		}
	}
}

func TestAuditHashCoversEveryField(t *testing.T) {
	e := AuditEntry{Seq: 1, At: now, ActorID: 1, ActorLabel: "user:a", TenantID: 2, Action: "unit.create", ObjectType: "unit", ObjectID: "3", Summary: "{}"}
	h := e.ComputeHash()
	edits := []func(*AuditEntry){
		func(e *AuditEntry) { e.Seq = 2 }, func(e *AuditEntry) { e.At = e.At.Add(time.Millisecond) },
		func(e *AuditEntry) { e.ActorID = 9 }, func(e *AuditEntry) { e.ActorLabel = "user:b" },
		func(e *AuditEntry) { e.IP = "1.2.3.4" }, func(e *AuditEntry) { e.TenantID = 3 },
		func(e *AuditEntry) { e.Action = "unit.close" }, func(e *AuditEntry) { e.ObjectID = "4" },
		func(e *AuditEntry) { e.Summary = "{ }" }, func(e *AuditEntry) { e.PrevHash = "00" },
		func(e *AuditEntry) { e.TokenID = 1 }, func(e *AuditEntry) { e.ObjectType = "user" },
	}
	for i, edit := range edits {
		c := e
		edit(&c)
		if c.ComputeHash() == h {
			t.Errorf("edit %d does not change the hash", i)
		}
	}
}

func TestTenantPath(t *testing.T) {
	for code, want := range map[string]string{"00": "/00/", "62": "/00/62/", "62.71": "/00/62/62.71/"} {
		if got := (&Tenant{Code: code}).Path(); got != want {
			t.Errorf("Tenant{%s}.Path() = %q, want %q", code, got, want)
		}
	}
}
