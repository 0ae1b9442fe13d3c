package netra

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DutyKind is what every employee of a target must do: sign a pledge,
// acknowledge a circular, attend a socialisation session. The three share
// one mechanism (see docs/duties.md): a target that expands to employees,
// a status per employee and coverage per unit, kept up to date as duties
// are done and as employees move.
type DutyKind string

// The duty kinds.
const (
	DutyPledge   DutyKind = "pledge"   // ikrar netralitas: sign it
	DutyCircular DutyKind = "circular" // surat edaran: acknowledge it
	DutySession  DutyKind = "session"  // sosialisasi: attend it
)

// DutyKinds lists the kinds in display order.
var DutyKinds = []DutyKind{DutyPledge, DutyCircular, DutySession}

var dutyKindLabels = map[DutyKind]Message{
	DutyPledge:   Msg("Ikrar netralitas", "Neutrality pledge"),
	DutyCircular: Msg("Surat edaran", "Circular letter"),
	DutySession:  Msg("Sosialisasi", "Socialisation session"),
}

// Valid reports whether k is a known duty kind.
func (k DutyKind) Valid() bool { _, ok := dutyKindLabels[k]; return ok }

// Label returns the kind's name in lang.
func (k DutyKind) Label(lang string) string { return dutyKindLabels[k].In(lang) }

// DutyStatus is where a duty stands: a draft reaches nobody yet; an open
// duty has expanded to its targets and counts what they do; a closed one
// keeps its counts frozen.
type DutyStatus string

// The duty statuses.
const (
	DutyDraft  DutyStatus = "draft"
	DutyOpen   DutyStatus = "open"
	DutyClosed DutyStatus = "closed"
)

var dutyStatusLabels = map[DutyStatus]Message{
	DutyDraft:  Msg("Draf", "Draft"),
	DutyOpen:   Msg("Berjalan", "Open"),
	DutyClosed: Msg("Ditutup", "Closed"),
}

// Valid reports whether s is a known duty status.
func (s DutyStatus) Valid() bool { _, ok := dutyStatusLabels[s]; return ok }

// Label returns the status in lang.
func (s DutyStatus) Label(lang string) string { return dutyStatusLabels[s].In(lang) }

// AssigneeStatus is where one targeted employee stands with a duty.
type AssigneeStatus string

// The assignee statuses. An excused employee (on leave for the whole
// period, a paper pledge to follow…) has a reason and counts apart: neither
// done nor still expected.
const (
	AssigneePending AssigneeStatus = "pending"
	AssigneeDone    AssigneeStatus = "done"
	AssigneeExcused AssigneeStatus = "excused"
)

var assigneeLabels = map[AssigneeStatus]Message{
	AssigneePending: Msg("Belum", "Pending"),
	AssigneeDone:    Msg("Sudah", "Done"),
	AssigneeExcused: Msg("Dikecualikan", "Excused"),
}

// Valid reports whether s is a known assignee status.
func (s AssigneeStatus) Valid() bool { _, ok := assigneeLabels[s]; return ok }

// Label returns the status in lang.
func (s AssigneeStatus) Label(lang string) string { return assigneeLabels[s].In(lang) }

// DutyTargetUnit is one unit of a target: the unit and every unit below
// it, or with Exact the unit alone. The zero value of Exact is the subtree,
// which is what an operator means by "Dinas Pendidikan".
type DutyTargetUnit struct {
	UnitID int64
	Exact  bool
}

// DutyTargetGovernment is a whole government in a target: every unit of
// it, and with Below every government under it too (a province's
// regencies and cities; for the national government, every government).
// Only a duty of that government or of one above it may name it.
type DutyTargetGovernment struct {
	TenantID int64
	Below    bool
}

// DutyTarget says whom a duty reaches: the in-service employees (see
// EmployeeStatus.InService) of its units and governments, narrowed to the
// listed employment and position types (empty: all of them). An employee
// reached twice (a unit and its government) is one target.
type DutyTarget struct {
	Units           []DutyTargetUnit
	Governments     []DutyTargetGovernment
	EmploymentTypes []EmploymentType
	PositionTypes   []PositionType
}

// Empty reports whether the target names no unit and no government.
func (t DutyTarget) Empty() bool { return len(t.Units) == 0 && len(t.Governments) == 0 }

// Duty is one thing every targeted employee must do, owned by a pledge
// campaign, a circular or a socialisation session (Kind and RefID), which
// creates it in its own write. Title is the operator's text, shown as
// written in both languages.
type Duty struct {
	ID       int64
	TenantID int64 // the government that owns it
	Kind     DutyKind
	RefID    int64  // the campaign, circular (version) or session it belongs to
	Title    string // "Ikrar Netralitas ASN Pilkada 2024"
	// Link is the page where a target does it ("/ikrar/12"); the inbox and
	// the e-mails point there. Empty: the employee's home page.
	Link    string
	OpensAt time.Time // zero: when it is launched
	DueAt   time.Time
	Status  DutyStatus
	Target  DutyTarget
	// Reminders are the days before DueAt on which those still pending are
	// reminded (in-app and by e-mail), largest first: [7, 3, 1].
	Reminders  []int
	LaunchedAt time.Time
	ClosedAt   time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxReminderDays bounds how long before the due date a reminder may go.
const MaxReminderDays = 90

// Validate checks and normalises a new duty: its kind, title and link, a
// due date after now and after the opening, a target naming at least one
// unit or government without repeats, known employment and position
// types, and reminder days between 1 and MaxReminderDays (sorted, largest
// first). It does not check that the units and governments exist or are
// within reach: the store does.
func (d *Duty) Validate(now time.Time) error {
	var v ValidationError
	v.Text("title", d.Title, 1000, true)
	v.Text("link", d.Link, 1000, false)
	d.Title = strings.Join(strings.Fields(d.Title), " ")
	d.Link = strings.TrimSpace(d.Link)
	if !d.Kind.Valid() {
		v.Add("kind", Msg("Jenis tugas tidak dikenal.", "Unknown duty kind."))
	}
	if d.Title == "" {
		v.Add("title", Msg("Judul wajib diisi.", "The title is required."))
	} else if utf8.RuneCountInString(d.Title) > 200 {
		v.Add("title", Msg("Judul paling panjang 200 karakter.", "The title has at most 200 characters."))
	}
	if d.Link != "" && (!strings.HasPrefix(d.Link, "/") || strings.HasPrefix(d.Link, "//") || strings.ContainsAny(d.Link, " \\")) {
		v.Add("link", Msg("Tautan harus alamat di Netra yang diawali '/'.", "The link must be a Netra address starting with '/'."))
	}
	switch {
	case d.DueAt.IsZero():
		v.Add("due_at", Msg("Batas waktu wajib diisi.", "The due date is required."))
	case !d.DueAt.After(now):
		v.Add("due_at", Msg("Batas waktu sudah lewat; pilih waktu yang akan datang.", "The due date has passed; choose a time in the future."))
	case !d.OpensAt.IsZero() && !d.DueAt.After(d.OpensAt):
		v.Add("due_at", Msg("Batas waktu harus sesudah waktu mulai.", "The due date must be after the opening."))
	}
	t := &d.Target
	if t.Empty() {
		v.Add("target", Msg("Pilih sasaran: paling sedikit satu unit kerja atau instansi.", "Choose the target: at least one work unit or government."))
	}
	seenU := map[int64]bool{}
	for _, u := range t.Units {
		if u.UnitID <= 0 || seenU[u.UnitID] {
			v.Add("target", Msg("Unit kerja sasaran tidak sah atau disebut dua kali.", "A target unit is invalid or named twice."))
			break
		}
		seenU[u.UnitID] = true
	}
	seenG := map[int64]bool{}
	for _, g := range t.Governments {
		if g.TenantID <= 0 || seenG[g.TenantID] {
			v.Add("target", Msg("Instansi sasaran tidak sah atau disebut dua kali.", "A target government is invalid or named twice."))
			break
		}
		seenG[g.TenantID] = true
	}
	for _, et := range t.EmploymentTypes {
		if !et.Valid() {
			v.Add("employment_types", Msg("Jenis kepegawaian sasaran tidak dikenal.", "Unknown employment type in the target."))
			break
		}
	}
	for _, pt := range t.PositionTypes {
		if !pt.Valid() {
			v.Add("position_types", Msg("Jenis jabatan sasaran tidak dikenal.", "Unknown position type in the target."))
			break
		}
	}
	t.EmploymentTypes = sortedUnique(t.EmploymentTypes)
	t.PositionTypes = sortedUnique(t.PositionTypes)
	for _, r := range d.Reminders {
		if r < 1 || r > MaxReminderDays {
			v.Add("reminders", Msg("Pengingat harus 1 sampai 90 hari sebelum batas waktu.", "Reminders must be 1 to 90 days before the due date."))
			break
		}
	}
	d.Reminders = NormalizeReminders(d.Reminders)
	return v.Err()
}

// NormalizeReminders sorts reminder days largest first and drops repeats.
func NormalizeReminders(days []int) []int {
	out := slices.Clone(days)
	slices.Sort(out)
	out = slices.Compact(out)
	slices.Reverse(out)
	return out
}

func sortedUnique[T ~string](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// Coverage is how far a duty has got in one part of its target: a unit
// with everything below it, a whole government (UnitID 0, with the
// governments below it that the duty reaches), or, in a breakdown, the
// part of one of them of one employment type or position type (Dim says
// which: "type:pns", "pos:pelaksana"; "" for the totals).
type Coverage struct {
	TenantID int64
	UnitID   int64 // 0: the whole government
	Name     string
	Dim      string
	// Filled for the rows of a breakdown (from Dim).
	EmploymentType EmploymentType
	PositionType   PositionType
	// Targeted counts the employees reached, Done those who did it,
	// Excused those excused (with a reason); the rest are pending.
	Targeted, Done, Excused int64
}

// Pending is how many targeted employees have neither done it nor been excused.
func (c Coverage) Pending() int64 { return c.Targeted - c.Done - c.Excused }

// Percent is the share, 0 to 100, of those expected to do it (the targeted
// but not excused) who have done it. With nobody expected it is 100 when
// someone was targeted (everyone was excused) and 0 when nobody was.
func (c Coverage) Percent() float64 {
	exp := c.Targeted - c.Excused
	if exp <= 0 {
		if c.Targeted > 0 {
			return 100
		}
		return 0
	}
	return 100 * float64(c.Done) / float64(exp)
}

// Dimension names of a coverage breakdown row: DimType("pns") is "type:pns".
func DimType(t EmploymentType) string { return "type:" + string(t) }

// DimPosition is the breakdown row name of a position type ("pos:pelaksana").
func DimPosition(p PositionType) string { return "pos:" + string(p) }
