package netra

import (
	"strings"
	"time"
	"unicode/utf8"
)

// UnitType is the kind of an organisation unit (perangkat daerah or a part of one).
type UnitType string

// The organisation unit types of a regional government.
const (
	UnitSekretariat UnitType = "sekretariat" // Sekretariat Daerah, Sekretariat DPRD
	UnitAsisten     UnitType = "asisten"     // assistant to the Sekda
	UnitStafAhli    UnitType = "staf_ahli"   // expert staff of the regional head
	UnitBadan       UnitType = "badan"       // agency (BKPSDM, Bappeda, Kesbangpol…)
	UnitDinas       UnitType = "dinas"       // service department
	UnitInspektorat UnitType = "inspektorat" // internal supervisor
	UnitKecamatan   UnitType = "kecamatan"   // district office, led by a camat
	UnitKelurahan   UnitType = "kelurahan"   // urban village office, led by a lurah
	UnitBagian      UnitType = "bagian"      // section of a secretariat
	UnitBidang      UnitType = "bidang"      // division of a dinas or badan
	UnitUPT         UnitType = "upt"         // technical implementation unit (school, health centre…)
	UnitOther       UnitType = "other"
)

// UnitTypes lists every unit type in display order.
var UnitTypes = []UnitType{UnitSekretariat, UnitAsisten, UnitStafAhli, UnitBadan, UnitDinas,
	UnitInspektorat, UnitKecamatan, UnitKelurahan, UnitBagian, UnitBidang, UnitUPT, UnitOther}

var unitTypeLabels = map[UnitType]Message{
	UnitSekretariat: Msg("Sekretariat", "Secretariat"),
	UnitAsisten:     Msg("Asisten", "Assistant"),
	UnitStafAhli:    Msg("Staf Ahli", "Expert staff"),
	UnitBadan:       Msg("Badan", "Agency"),
	UnitDinas:       Msg("Dinas", "Department"),
	UnitInspektorat: Msg("Inspektorat", "Inspectorate"),
	UnitKecamatan:   Msg("Kecamatan", "District"),
	UnitKelurahan:   Msg("Kelurahan", "Urban village"),
	UnitBagian:      Msg("Bagian", "Section"),
	UnitBidang:      Msg("Bidang", "Division"),
	UnitUPT:         Msg("UPT", "Technical unit"),
	UnitOther:       Msg("Lainnya", "Other"),
}

// Valid reports whether t is a known unit type.
func (t UnitType) Valid() bool { _, ok := unitTypeLabels[t]; return ok }

// Label returns the type's name in lang.
func (t UnitType) Label(lang string) string { return unitTypeLabels[t].In(lang) }

// OrgUnit is one node of a tenant's organisation tree. Path is the
// materialised path of IDs from the root ("/4/17/230/"), maintained by the
// store, so a subtree is every unit whose path starts with its root's path.
type OrgUnit struct {
	ID           int64
	TenantID     int64
	ParentID     int64 // 0 for a root unit
	Path         string
	Type         UnitType
	Code         string // unique within the tenant
	Name         string
	RegionCode   string // optional kecamatan or kelurahan code ("62.71.01", "62.71.01.1001")
	HeadPosition string // the head's position title ("Kepala Dinas Pendidikan")
	ClosedAt     time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Filled by some queries only.
	Depth         int
	EmployeeCount int
	ChildCount    int
}

// Closed reports whether the unit has been closed.
func (u *OrgUnit) Closed() bool { return !u.ClosedAt.IsZero() }

// Validate checks the unit's fields and normalises white space.
func (u *OrgUnit) Validate() error {
	var v ValidationError
	// Every way in (page, API, import) comes through here: no NUL, control
	// characters or invalid UTF-8; line breaks in names become spaces below.
	v.Text("code", u.Code, 256, false)
	v.Text("name", u.Name, 1000, true)
	v.Text("region_code", u.RegionCode, 64, false)
	v.Text("head_position", u.HeadPosition, 1000, true)
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	u.RegionCode = strings.TrimSpace(u.RegionCode)
	u.HeadPosition = strings.Join(strings.Fields(u.HeadPosition), " ")
	if u.Code == "" {
		v.Add("code", Msg("Kode unit wajib diisi.", "The unit code is required."))
	} else if len(u.Code) > 64 || strings.ContainsAny(u.Code, " \t>/") {
		v.Add("code", Msg("Kode unit paling panjang 64 karakter, tanpa spasi, '>' atau '/'.", "The unit code has at most 64 characters, with no spaces, '>' or '/'."))
	}
	if u.Name == "" {
		v.Add("name", Msg("Nama unit wajib diisi.", "The unit name is required."))
	} else if utf8.RuneCountInString(u.Name) > 200 {
		v.Add("name", Msg("Nama unit paling panjang 200 karakter.", "The unit name has at most 200 characters."))
	} else if strings.Contains(u.Name, ">") {
		v.Add("name", Msg("Nama unit tidak boleh memuat '>'.", "The unit name may not contain '>'."))
	}
	if !u.Type.Valid() {
		v.Add("type", Msg("Jenis unit tidak dikenal.", "Unknown unit type."))
	}
	if u.RegionCode != "" && !regionCode.MatchString(u.RegionCode) {
		v.Add("region_code", Msg("Kode wilayah harus kode kecamatan (62.71.01) atau kelurahan (62.71.01.1001).", "The region code must be a district (62.71.01) or village (62.71.01.1001) code."))
	}
	return v.Err()
}

// UnitPathSeparator separates unit names in a path such as
// "Dinas Pendidikan > Bidang SD", the way rosters name units.
const UnitPathSeparator = ">"

// SplitUnitPath splits "Dinas Pendidikan > Bidang SD" into its trimmed names.
func SplitUnitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, UnitPathSeparator) {
		if s := strings.Join(strings.Fields(part), " "); s != "" {
			out = append(out, s)
		}
	}
	return out
}
