package netra

import (
	"regexp"
	"strings"
	"time"
)

// TenantLevel is the tier of a government.
type TenantLevel string

// The tiers of government. A national tenant sees everything below it; a
// province sees its regencies and cities.
const (
	LevelNational TenantLevel = "national"
	LevelProvince TenantLevel = "province"
	LevelRegency  TenantLevel = "regency" // kabupaten
	LevelCity     TenantLevel = "city"    // kota
)

// Label returns the level's name in lang.
func (l TenantLevel) Label(lang string) string {
	m := map[TenantLevel]Message{
		LevelNational: Msg("Nasional", "National"),
		LevelProvince: Msg("Provinsi", "Province"),
		LevelRegency:  Msg("Kabupaten", "Regency"),
		LevelCity:     Msg("Kota", "City"),
	}[l]
	return m.In(lang)
}

// Tenant is a government: the national government, a province, or a regency
// (kabupaten) or city (kota), identified by its Kemendagri code ("62",
// "62.71"). The national tenant has the code "00". All data belongs to a tenant.
type Tenant struct {
	ID        int64
	Code      string
	Name      string
	Level     TenantLevel
	ParentID  int64 // 0 for the national tenant
	CreatedAt time.Time
}

var (
	provinceCode = regexp.MustCompile(`^[1-9][0-9]$`)
	regencyCode  = regexp.MustCompile(`^[1-9][0-9]\.[0-9]{2}$`)
)

// NationalCode is the code of the national tenant.
const NationalCode = "00"

// LevelOfCode returns the tenant level a Kemendagri code implies: "00" is
// national, "62" a province, "62.71" a city (7x is a kota) and "62.01" a
// regency. ok is false for anything else.
func LevelOfCode(code string) (TenantLevel, bool) {
	switch {
	case code == NationalCode:
		return LevelNational, true
	case provinceCode.MatchString(code):
		return LevelProvince, true
	case regencyCode.MatchString(code):
		if strings.HasPrefix(code[3:], "7") {
			return LevelCity, true
		}
		return LevelRegency, true
	}
	return "", false
}

// ParentCode returns the code of the tenant above code: a regency's province,
// a province's national tenant, and "" for the national tenant.
func ParentCode(code string) string {
	switch {
	case code == NationalCode:
		return ""
	case strings.Contains(code, "."):
		return code[:strings.Index(code, ".")]
	default:
		return NationalCode
	}
}

// Validate checks the tenant's code, name and level.
func (t *Tenant) Validate() error {
	var v ValidationError
	// Every way in (page, API, import) comes through here: no NUL, control
	// characters or invalid UTF-8; line breaks in names become spaces below.
	v.Text("code", t.Code, 64, false)
	v.Text("name", t.Name, 1000, true)
	t.Code = strings.TrimSpace(t.Code)
	t.Name = strings.TrimSpace(t.Name)
	lvl, ok := LevelOfCode(t.Code)
	if !ok {
		v.Add("code", Msg("Kode Kemendagri tidak sah (contoh: 62 atau 62.71).", "Invalid Kemendagri code (for example 62 or 62.71)."))
	} else if t.Level == "" {
		t.Level = lvl
	} else if t.Level != lvl {
		v.Add("level", Msg("Tingkat instansi tidak cocok dengan kode.", "The level does not match the code."))
	}
	if t.Name == "" {
		v.Add("name", Msg("Nama instansi wajib diisi.", "The government's name is required."))
	}
	return v.Err()
}

// Path returns the tenant's materialised path, the chain of Kemendagri codes
// from the nation down ("62.71" → "/00/62/62.71/"), the form in which scopes
// are checked and which the store keeps for range scans. It follows from the
// code alone.
func (t *Tenant) Path() string { return TenantPath(t.Code) }

// TenantPath returns the materialised path of the tenant with code.
func TenantPath(code string) string {
	var parts []string
	for c := code; c != ""; c = ParentCode(c) {
		parts = append([]string{c}, parts...)
	}
	return "/" + strings.Join(parts, "/") + "/"
}
