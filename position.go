package netra

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Positions over time. An employee's own record holds their current
// definitive position (unit, position, head flag, TMT jabatan); an
// Assignment records a position held before (closed when the record moved)
// or held on top of it: a Plt (pelaksana tugas, acting in a vacant post or
// for a holder who cannot act) or a Plh (pelaksana harian, standing in for a
// holder absent for a while). Dates are calendar dates (midnight UTC), both
// ends inclusive; a zero end is open.

// AssignmentKind is how a position is held.
type AssignmentKind string

// Assignment kinds.
const (
	Definitive AssignmentKind = "definitive" // definitif: appointed to the post
	Plt        AssignmentKind = "plt"        // pelaksana tugas: acting
	Plh        AssignmentKind = "plh"        // pelaksana harian: standing in
)

// AssignmentKinds lists the kinds in display order.
var AssignmentKinds = []AssignmentKind{Definitive, Plt, Plh}

var assignmentKindLabels = map[AssignmentKind]Message{
	Definitive: Msg("Definitif", "Definitive"),
	Plt:        Msg("Plt. (pelaksana tugas)", "Acting (Plt)"),
	Plh:        Msg("Plh. (pelaksana harian)", "Standing in (Plh)"),
}

// Valid reports whether k is a known kind.
func (k AssignmentKind) Valid() bool { _, ok := assignmentKindLabels[k]; return ok }

// Label returns the kind's name in lang.
func (k AssignmentKind) Label(lang string) string { return assignmentKindLabels[k].In(lang) }

// Acting reports whether the kind stands in for the post's holder (Plt, Plh).
func (k AssignmentKind) Acting() bool { return k == Plt || k == Plh }

// Prefix is what goes before the position's name ("Plt. Kepala Dinas…").
func (k AssignmentKind) Prefix() string {
	switch k {
	case Plt:
		return "Plt. "
	case Plh:
		return "Plh. "
	}
	return ""
}

// Assignment sources.
const (
	SourceForm   = "form"   // entered on a page or through the API
	SourceImport = "import" // from a roster import
	SourceSystem = "system" // closed by the store when the employee's record moved
)

// Assignment is one position an employee held over a period: in the past
// (a definitive one, closed when the record moved on), or acting (Plt, Plh)
// beside their own. Acting assignments always hold the head post of their
// unit.
type Assignment struct {
	ID           int64
	TenantID     int64
	EmployeeID   int64
	UnitID       int64
	PositionName string // "Kepala Dinas Pendidikan"; the kind's prefix is not stored
	PositionType PositionType
	Head         bool // holds the head post of the unit
	Kind         AssignmentKind
	Start        time.Time // TMT; zero: unknown (only for closed definitive ones)
	End          time.Time // last day held; zero: open
	DecreeNumber string    // nomor SK
	DecreeDate   time.Time // tanggal SK
	Source       string    // SourceForm, SourceImport, SourceSystem
	CreatedBy    string
	CreatedAt    time.Time

	// Filled by queries.
	UnitName     string
	EmployeeName string
}

// Covers reports whether the assignment was held on day d.
func (a *Assignment) Covers(d time.Time) bool {
	return (a.Start.IsZero() || !a.Start.After(d)) && (a.End.IsZero() || !a.End.Before(d))
}

// Validate checks the assignment and normalises its text.
func (a *Assignment) Validate() error {
	var v ValidationError
	v.Text("position_name", a.PositionName, 1000, true)
	v.Text("decree_number", a.DecreeNumber, 400, false)
	a.PositionName = strings.Join(strings.Fields(a.PositionName), " ")
	a.DecreeNumber = strings.TrimSpace(a.DecreeNumber)
	if a.Source == "" {
		a.Source = SourceForm
	}
	if !a.Kind.Valid() {
		v.Add("kind", Msg("Jenis penugasan harus definitif, Plt. atau Plh.", "The kind must be definitive, Plt or Plh."))
	}
	if a.Kind.Acting() {
		a.Head = true
	}
	if a.UnitID <= 0 {
		v.Add("unit", Msg("Unit kerja wajib diisi.", "The work unit is required."))
	}
	if a.EmployeeID <= 0 {
		v.Add("employee", Msg("Pegawai wajib diisi.", "The employee is required."))
	}
	if a.PositionType != "" && !a.PositionType.Valid() {
		v.Add("position_type", Msg("Jenis jabatan tidak dikenal.", "Unknown position type."))
	}
	if utf8.RuneCountInString(a.PositionName) > 200 {
		v.Add("position_name", Msg("Nama jabatan paling panjang 200 karakter.", "The position name has at most 200 characters."))
	}
	if utf8.RuneCountInString(a.DecreeNumber) > 100 {
		v.Add("decree_number", Msg("Nomor SK paling panjang 100 karakter.", "The decree number has at most 100 characters."))
	}
	switch {
	case a.Kind.Acting() && a.Start.IsZero():
		v.Add("start", Msg("Tanggal mulai (TMT) wajib diisi untuk Plt. dan Plh.", "The start date is required for an acting assignment (Plt, Plh)."))
	case a.Kind == Definitive && a.End.IsZero():
		// The current definitive position is the employee's own record.
		v.Add("end", Msg("Jabatan definitif yang lalu harus mempunyai tanggal akhir; jabatan sekarang diubah pada data pegawai.",
			"A past definitive position needs its end date; the current one is changed on the employee's record."))
	case !a.Start.IsZero() && !a.End.IsZero() && a.End.Before(a.Start):
		v.Add("end", Msg("Tanggal akhir tidak boleh sebelum tanggal mulai.", "The end date cannot be before the start date."))
	}
	return v.Err()
}

// Superior is one step of an employee's chain of superiors on a date: the
// holder of the head post of a unit above them (Unit* set), or at the top
// one of the government's office holders (Office set: the Sekda, then the
// PPK). A post nobody held on the date is in the chain with Vacant set.
type Superior struct {
	Level        int // 1: the direct superior (atasan langsung), 2: the one above, …
	UnitID       int64
	UnitName     string
	Office       Office // "" for the head of a unit
	Kind         string // an AssignmentKind for a unit head, an OfficeKind for an office holder
	Vacant       bool
	EmployeeID   int64  // 0 when the holder is not in the roster (a mayor, a Pj from elsewhere)
	Name         string // with titles
	NIP          string
	PositionName string // as held: "Kepala Dinas Pendidikan", "Wali Kota Palangka Raya"
	Start, End   time.Time
}

// KindLabel names how the superior holds the post, in lang.
func (s *Superior) KindLabel(lang string) string {
	if s.Office != "" {
		return OfficeKind(s.Kind).Label(lang)
	}
	return AssignmentKind(s.Kind).Label(lang)
}

// Acting reports whether the superior stands in for the post's holder.
func (s *Superior) Acting() bool {
	return s.Kind != "" && s.Kind != string(Definitive) && s.Kind != string(OfficeDefinitive)
}

// Office is a post of a government's own, held by one person at a time.
type Office string

// The offices.
const (
	OfficePPK       Office = "ppk"       // Pejabat Pembina Kepegawaian: the governor, regent (bupati) or mayor (wali kota)
	OfficeSekda     Office = "sekda"     // Sekretaris Daerah
	OfficeInspektur Office = "inspektur" // head of the Inspektorat (the internal auditor)
)

// Offices lists the offices in display order.
var Offices = []Office{OfficePPK, OfficeSekda, OfficeInspektur}

var officeLabels = map[Office]Message{
	OfficePPK:       Msg("Kepala daerah (PPK)", "Head of government (PPK)"),
	OfficeSekda:     Msg("Sekretaris Daerah", "Regional secretary (Sekda)"),
	OfficeInspektur: Msg("Inspektur", "Inspector"),
}

// Valid reports whether o is a known office.
func (o Office) Valid() bool { _, ok := officeLabels[o]; return ok }

// Label returns the office's name in lang.
func (o Office) Label(lang string) string { return officeLabels[o].In(lang) }

// Kinds lists how the office may be held: the PPK by a definitive head or a
// Pj, Pjs or Plt; the Sekda definitively or by a Pj or Plh; the Inspector
// definitively or by a Plt or Plh.
func (o Office) Kinds() []OfficeKind {
	switch o {
	case OfficePPK:
		return []OfficeKind{OfficeDefinitive, OfficePj, OfficePjs, OfficePlt}
	case OfficeSekda:
		return []OfficeKind{OfficeDefinitive, OfficePj, OfficePlh}
	case OfficeInspektur:
		return []OfficeKind{OfficeDefinitive, OfficePlt, OfficePlh}
	}
	return nil
}

// OfficeKind is how an office is held.
type OfficeKind string

// Office kinds.
const (
	OfficeDefinitive OfficeKind = "definitive" // elected or appointed holder
	OfficePj         OfficeKind = "pj"         // penjabat: acting after the term ended (or Pj Sekda)
	OfficePjs        OfficeKind = "pjs"        // penjabat sementara: while the holder is on campaign leave
	OfficePlt        OfficeKind = "plt"        // pelaksana tugas: caretaker (the deputy while the head cannot act)
	OfficePlh        OfficeKind = "plh"        // pelaksana harian: standing in for a short absence
)

var officeKindLabels = map[OfficeKind]Message{
	OfficeDefinitive: Msg("Definitif", "Definitive"),
	OfficePj:         Msg("Pj. (penjabat)", "Pj (acting)"),
	OfficePjs:        Msg("Pjs. (penjabat sementara)", "Pjs (temporary acting)"),
	OfficePlt:        Msg("Plt. (pelaksana tugas)", "Plt (caretaker)"),
	OfficePlh:        Msg("Plh. (pelaksana harian)", "Plh (standing in)"),
}

// Valid reports whether k is a known office kind.
func (k OfficeKind) Valid() bool { _, ok := officeKindLabels[k]; return ok }

// Label returns the kind's name in lang.
func (k OfficeKind) Label(lang string) string { return officeKindLabels[k].In(lang) }

// Acting reports whether the kind stands in for the office's holder.
func (k OfficeKind) Acting() bool { return k.Valid() && k != OfficeDefinitive }

// OfficeHolder is a person who held one of a government's offices over a
// period, with the decree that appointed them. The holder need not be in
// the roster: a mayor is not an ASN, and a Pj comes from elsewhere.
type OfficeHolder struct {
	ID           int64
	TenantID     int64
	Office       Office
	Kind         OfficeKind
	Name         string // with titles: "Dr. Hj. Siti Aminah, M.Si."
	Title        string // the office as written in the decree: "Penjabat Wali Kota Palangka Raya"
	NIP          string // optional
	EmployeeID   int64  // optional: the holder's record in the roster
	From         time.Time
	To           time.Time // last day held; zero: open
	DecreeNumber string
	DecreeDate   time.Time
	Note         string // where the record comes from
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Covers reports whether the holder held the office on day d.
func (h *OfficeHolder) Covers(d time.Time) bool {
	return !h.From.After(d) && (h.To.IsZero() || !h.To.Before(d))
}

// Overlaps reports whether the periods of h and o share a day.
func (h *OfficeHolder) Overlaps(o *OfficeHolder) bool {
	return (o.To.IsZero() || !h.From.After(o.To)) && (h.To.IsZero() || !o.From.After(h.To))
}

// Validate checks the office holder and normalises its text.
func (h *OfficeHolder) Validate() error {
	var v ValidationError
	v.Text("name", h.Name, 1000, true)
	v.Text("title", h.Title, 1000, true)
	v.Text("nip", h.NIP, 64, false)
	v.Text("decree_number", h.DecreeNumber, 400, false)
	v.Text("note", h.Note, 2000, true)
	h.Name = strings.Join(strings.Fields(h.Name), " ")
	h.Title = strings.Join(strings.Fields(h.Title), " ")
	h.NIP = NormalizeNIP(h.NIP)
	h.DecreeNumber = strings.TrimSpace(h.DecreeNumber)
	h.Note = strings.Join(strings.Fields(h.Note), " ")
	if !h.Office.Valid() {
		v.Add("office", Msg("Jabatan harus kepala daerah (PPK), Sekretaris Daerah atau Inspektur.", "The office must be the head of government (PPK), the Sekda or the Inspector."))
	} else if !h.Kind.Valid() || !containsKind(h.Office.Kinds(), h.Kind) {
		var ids, ens []string
		for _, k := range h.Office.Kinds() {
			ids, ens = append(ids, k.Label("id")), append(ens, k.Label("en"))
		}
		v.Add("kind", Msg(h.Office.Label("id")+" dijabat secara: "+strings.Join(ids, ", ")+".",
			h.Office.Label("en")+" is held as: "+strings.Join(ens, ", ")+"."))
	}
	if h.Name == "" {
		v.Add("name", Msg("Nama pejabat wajib diisi.", "The holder's name is required."))
	} else if utf8.RuneCountInString(h.Name) > 200 {
		v.Add("name", Msg("Nama paling panjang 200 karakter.", "The name has at most 200 characters."))
	}
	if utf8.RuneCountInString(h.Title) > 200 {
		v.Add("title", Msg("Sebutan jabatan paling panjang 200 karakter.", "The title has at most 200 characters."))
	}
	if h.NIP != "" && (len(h.NIP) != 18 || strings.Trim(h.NIP, "0123456789") != "") {
		v.Add("nip", Msg("NIP harus 18 angka (kosongkan bila pejabat bukan ASN).", "The NIP has 18 digits (leave it empty when the holder is not an ASN)."))
	}
	if utf8.RuneCountInString(h.DecreeNumber) > 100 {
		v.Add("decree_number", Msg("Nomor SK paling panjang 100 karakter.", "The decree number has at most 100 characters."))
	}
	if utf8.RuneCountInString(h.Note) > 500 {
		v.Add("note", Msg("Catatan paling panjang 500 karakter.", "The note has at most 500 characters."))
	}
	switch {
	case h.From.IsZero():
		v.Add("from", Msg("Tanggal mulai menjabat wajib diisi.", "The start date is required."))
	case h.Kind == OfficePjs && h.To.IsZero():
		v.Add("to", Msg("Pjs. menjabat untuk masa tertentu (cuti kampanye kepala daerah): isi tanggal akhirnya.",
			"A Pjs holds the office for a set period (the head's campaign leave): enter its end date."))
	case !h.To.IsZero() && h.To.Before(h.From):
		v.Add("to", Msg("Tanggal akhir tidak boleh sebelum tanggal mulai.", "The end date cannot be before the start date."))
	}
	return v.Err()
}

func containsKind(ks []OfficeKind, k OfficeKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// wib is Western Indonesia Time, the zone in which the store's "today" is
// taken (Kalimantan Tengah and the west; a day starts seven hours ahead of UTC).
var wib = time.FixedZone("WIB", 7*3600)

// Day returns the calendar date of moment t in WIB, as midnight UTC: the
// form every position and office date takes.
func Day(t time.Time) time.Time {
	y, m, d := t.In(wib).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
