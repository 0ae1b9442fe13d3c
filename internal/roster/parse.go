package roster

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/netra-id/netra"
)

// Parsed is a roster row turned into domain values. The employee has no
// UnitID and no TenantID: the importer resolves UnitCode (or, when it is
// empty, UnitPath) in the tenant's tree, and the tenant from Government or
// from the import's own setting.
type Parsed struct {
	Employee   netra.Employee
	UnitCode   string   // KODE_UNIT, "" when absent
	UnitPath   []string // UNIT_KERJA split on '>', nil when absent
	Government string   // KODE_INSTANSI ("62.71"), "" when absent

	// Units as SIASN exports name them: UNOR_NAMA (the leaf unit's name),
	// UNOR_INDUK_NAMA (an ancestor's name) and INSTANSI_KERJA_NAMA (the
	// government's name), resolved by the importer in the government's tree
	// when neither UnitCode nor UnitPath is given.
	UnitName       string
	ParentUnitName string
	GovernmentName string

	// Warnings are plausibility problems (the NIP's birth date against
	// TANGGAL_LAHIR, an NIK whose province does not exist…): the row is
	// still imported, and the warnings are shown on the import's result.
	Warnings []RowError
}

// RowError is one problem with one cell of a roster: the line it is on, the
// canonical column name, the cell as written, and why it is wrong.
type RowError struct {
	Line   int
	Column string
	Value  string
	Reason netra.Message
}

// fieldColumn maps the field names of netra.ValidationError to columns.
var fieldColumn = map[string]string{
	"nip":           ColNIP,
	"nik":           ColNIK,
	"name":          ColName,
	"type":          ColType,
	"golongan":      ColGolongan,
	"position_type": ColPositionType,
	"position_name": ColPosition,
	"email":         ColEmail,
	"other_email":   ColOtherEmail,
	"phone":         ColPhone,
	"status":        ColStatus,
	"birth_place":   ColBirthPlace,
	"birth_date":    ColBirthDate,
	"education":     ColEducation,
	"eselon":        ColEselon,
	"pns_id":        ColPNSID,
	"old_nip":       ColOldNIP,
	"rank_date":     ColRankDate,
	"position_date": ColPositionDate,
}

// rowProblems collects at most one problem per column, the first one found,
// so that a cell the parser already rejected is not reported again by
// Employee.Validate with a vaguer message.
type rowProblems struct {
	row      *Row
	errs     []RowError
	warnings []RowError
}

func (p *rowProblems) add(col string, m netra.Message) {
	for _, e := range p.errs {
		if e.Column == col {
			return
		}
	}
	p.errs = append(p.errs, RowError{Line: p.row.Line, Column: col, Value: p.row.Value(col), Reason: m})
}

func (p *rowProblems) warn(col string, m netra.Message) {
	p.warnings = append(p.warnings, RowError{Line: p.row.Line, Column: col, Value: p.row.Value(col), Reason: m})
}

// emptyMark reports whether a cell says "nothing" the way spreadsheets do.
func emptyMark(s string) bool { return s == "-" || s == "–" || s == "—" }

// excelMessage is what a NIP or NIK that Excel stored as a number gets:
// Excel keeps 15 significant digits, so an 18-digit NIP comes back as
// 1.98609E+17 or as 198609262015051000.
var excelMessage = netra.Msg("Nomor ini tersimpan sebagai angka di Excel dan digit terakhirnya hilang (Excel hanya menyimpan 15 digit); format kolom sebagai Teks lalu isi ulang nomornya.",
	"Excel stored this identifier as a number and lost its last digits (Excel keeps only 15); format the column as Text and enter the number again.")

// excelMangled reports whether an identifier cell is what Excel makes of a
// long number: scientific notation, a decimal point, or an 18-digit NIP
// whose last three digits (the serial, never 000) are zeros.
func excelMangled(s string) bool {
	if strings.ContainsAny(s, "Ee") && strings.ContainsAny(s, "+,.") {
		return true
	}
	if i := strings.IndexByte(s, ','); i > 0 && allDigits(s[:i]) && allDigits(s[i+1:]) {
		return true // 198609262015051000,00
	}
	n := s
	if len(n) > 18 && strings.HasSuffix(n, ".0") {
		n = n[:len(n)-2]
	}
	return len(n) == 18 && allDigits(n) && n[15:] == "000"
}

// ParseRow checks every cell of row and returns the employee it describes,
// with all the problems found — not just the first — each on its column.
// Empty optional cells are fine; so is a "-" in one. now bounds the dates
// encoded in the identifier and written in the date columns. The errors
// come in column order; plausibility problems that do not stop the row are
// in Parsed.Warnings.
func ParseRow(row Row, now time.Time) (Parsed, []RowError) {
	p := rowProblems{row: &row}
	for i, c := range Columns {
		v := row.field(i)
		if *v == "" {
			continue
		}
		if !utf8.ValidString(*v) {
			p.add(c.Name, netra.Msg("Teks bukan UTF-8; simpan berkas sebagai CSV UTF-8 atau .xlsx.",
				"The text is not UTF-8; save the file as CSV UTF-8 or .xlsx."))
			*v = strings.ToValidUTF8(*v, "\uFFFD")
		} else if !Columns[i].Required && emptyMark(*v) {
			*v = ""
		}
	}

	var out Parsed
	e := &out.Employee
	e.Name = row.Name
	e.FrontTitle, e.BackTitle = row.FrontTitle, row.BackTitle
	e.PositionName, e.Email, e.Phone = row.Position, row.Email, row.Phone
	if e.Email == "" && row.OtherEmail != "" {
		// The government address is missing on this row: the other one is
		// the only address there is, so it is the sign-in address.
		e.Email, row.OtherEmail = row.OtherEmail, ""
	}
	if e.FrontTitle == "" && e.BackTitle == "" {
		e.FrontTitle, e.Name, e.BackTitle = splitTitles(e.Name)
	}

	parseType(&p, e, row)

	// A non-ASN row of a file with a NIP column may give only the NIK.
	nip := row.NIP
	if nip == "" && row.NIK != "" && e.Type == netra.NonASN {
		nip = row.NIK
	}
	e.NIP = nip
	switch {
	case nip == "":
		p.add(ColNIP, netra.Msg("NIP wajib diisi.", "The NIP is required."))
	case excelMangled(nip):
		p.add(ColNIP, excelMessage)
	case e.Type == "":
		// Without a type the NIP rules cannot be chosen, but its length can
		// still be checked, so that one pass shows every problem.
		if n := netra.NormalizeNIP(nip); !allDigits(n) || (len(n) != 18 && len(n) != 16) {
			p.add(ColNIP, netra.Msg("NIP harus 18 digit angka (NIK 16 digit untuk non-ASN).",
				"The NIP must be 18 digits (a 16-digit NIK for non-ASN staff)."))
		}
	}
	parseIdentifiers(&p, e, row, now)

	if row.Golongan != "" {
		if g, ok := parseGolongan(row.Golongan); ok {
			e.Golongan = g
		} else {
			p.add(ColGolongan, netra.Msg("Golongan tidak dikenal (contoh: III/a untuk PNS, IX untuk PPPK).",
				"Unknown rank (for example III/a for a PNS, IX for a PPPK)."))
		}
	}

	parsePositionType(&p, e, row)

	// A cell of punctuation only ("?") would read as empty, and so as active.
	if s, ok := netra.ParseEmployeeStatus(row.Status); ok && (row.Status == "" || headerKey(row.Status) != "") {
		e.Status = s
	} else {
		p.add(ColStatus, netra.Msg("Status pegawai tidak dikenal; gunakan Aktif, CLTN, Tugas Belajar, Pemberhentian Sementara, Masa Persiapan Pensiun, Pindah keluar, Pensiun, Diberhentikan atau Meninggal dunia.",
			"Unknown employee status; use Aktif, CLTN, Tugas Belajar, Pemberhentian Sementara, Masa Persiapan Pensiun, Pindah keluar, Pensiun, Diberhentikan or Meninggal dunia."))
	}

	out.UnitCode = row.UnitCode
	out.UnitPath = netra.SplitUnitPath(row.UnitPath)
	out.UnitName = oneLine(row.UnitName)
	out.ParentUnitName = oneLine(row.ParentUnit)
	out.GovernmentName = oneLine(row.GovName)
	switch {
	case out.UnitCode == "" && len(out.UnitPath) == 0 && out.UnitName == "":
		p.add(ColUnitCode, netra.Msg("Unit kerja wajib diisi: isi KODE_UNIT, UNIT_KERJA atau UNOR_NAMA.",
			"The work unit is required: fill in KODE_UNIT, UNIT_KERJA or UNOR_NAMA."))
	case len(out.UnitCode) > 64 || strings.ContainsAny(out.UnitCode, " \t>/"):
		p.add(ColUnitCode, netra.Msg("Kode unit paling panjang 64 karakter, tanpa spasi, '>' atau '/'.",
			"The unit code has at most 64 characters, with no spaces, '>' or '/'."))
	}
	checkName(&p, ColUnitName, out.UnitName, 200)
	checkName(&p, ColParentUnit, out.ParentUnitName, 200)
	checkName(&p, ColGovName, out.GovernmentName, 200)

	if out.Government = row.Government; out.Government != "" {
		if _, ok := netra.LevelOfCode(out.Government); !ok {
			p.add(ColGovernment, netra.Msg("Kode instansi harus kode Kemendagri (contoh: 62 atau 62.71).",
				"The government code must be a Kemendagri code (for example 62 or 62.71)."))
		}
	}

	if row.Birth != "" && row.BirthPlace == "" && row.BirthDate == "" {
		// TEMPAT_TANGGAL_LAHIR: its parts are checked as the two columns.
		if row.BirthPlace, row.BirthDate = splitBirth(row.Birth); row.BirthDate == "" {
			p.add(ColBirth, netra.Msg("Tulis tempat dan tanggal lahir seperti: Palangka Raya, 26-09-1986.",
				"Write the place and date of birth like: Palangka Raya, 26-09-1986."))
		}
	}
	parseExtras(&p, e, row, now)

	// Excel drops the leading 0 of a phone number stored as a number.
	if n := len(e.Phone); n >= 9 && n <= 13 && e.Phone[0] == '8' && allDigits(e.Phone) {
		e.Phone = "0" + e.Phone
	}

	// Validate wants a unit; the importer resolves the real one later.
	e.UnitID = 1
	err := e.Validate(now)
	e.UnitID = 0
	if v, ok := netra.AsValidation(err); ok {
		for _, f := range sortedFields(v) {
			if f == "unit" {
				continue
			}
			col, ok := fieldColumn[f]
			if !ok {
				col = strings.ToUpper(f)
			}
			p.add(col, v.Fields[f])
		}
	} else if err != nil {
		p.add(ColNIP, netra.Msg("Baris tidak dapat diperiksa: "+err.Error(), "The row cannot be checked: "+err.Error()))
	}
	if e.Type == netra.NonASN && e.NIK == "" && len(e.NIP) == 16 {
		e.NIK = e.NIP // a non-ASN's identifier is their NIK
	}
	if row.Head != "" {
		if h, ok := parseYesNo(row.Head); ok {
			e.Head = h
		} else {
			p.add(ColHead, netra.Msg("KEPALA_UNIT harus Ya atau Tidak.", "KEPALA_UNIT must be Ya (yes) or Tidak (no)."))
		}
	} else {
		e.Head = netra.HeadPost(e.PositionName, e.PositionType)
	}
	if len(p.errs) == 0 {
		plausible(&p, e, row, now)
		out.Warnings = p.warnings
		return out, nil
	}
	slices.SortStableFunc(p.errs, func(a, b RowError) int { return cmp.Compare(columnPos(a.Column), columnPos(b.Column)) })
	out.Warnings = p.warnings
	return out, p.errs
}

// columnPos returns the position of the canonical column col in Columns,
// and len(Columns) for anything else.
func columnPos(col string) int {
	for i, c := range Columns {
		if c.Name == col {
			return i
		}
	}
	return len(Columns)
}

// sortedFields returns the fields of v in column order, so that reports are
// stable from run to run.
func sortedFields(v *netra.ValidationError) []string {
	fs := slices.Collect(maps.Keys(v.Fields))
	slices.SortFunc(fs, func(a, b string) int {
		return cmp.Or(cmp.Compare(columnPos(fieldColumn[a]), columnPos(fieldColumn[b])), strings.Compare(a, b))
	})
	return fs
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseGolongan reads a rank, also out of the combined cells some exports
// have ("Penata Muda, III/a", "III/b - Penata Muda Tk. I"): when the whole
// cell is not a rank, a word with a slash that is one wins. Plain words are
// not tried, since the "I" in "Tk. I" would read as PPPK group I.
func parseGolongan(s string) (netra.Golongan, bool) {
	// Most cells are already canonical; netra.ParseGolongan allocates, and
	// at millions of rows that shows.
	for _, g := range netra.GolonganPNS {
		if string(g) == s {
			return g, true
		}
	}
	for _, g := range netra.GolonganPPPK {
		if string(g) == s {
			return g, true
		}
	}
	if g, ok := netra.ParseGolongan(s); ok {
		return g, true
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' || r == ';' }) {
		if strings.Contains(w, "/") {
			if g, ok := netra.ParseGolongan(w); ok {
				return g, true
			}
		}
	}
	return "", false
}

// frontTitles are the titles written before a name.
var frontTitles = []string{"Prof.", "Dr.", "dr.", "drg.", "Drs.", "Dra.", "Ir.", "H.", "Hj."}

// splitTitles separates the titles from a name written whole, as exports
// without GELAR columns do: "Dr. Siti Aminah, S.Pd., M.Si." gives "Dr.",
// "Siti Aminah" and "S.Pd., M.Si.". Only known front titles are taken, and
// the back titles only when what follows the first comma looks like titles
// (every part has a dot), so that a name with a comma stays whole.
func splitTitles(name string) (front, rest, back string) {
	rest = strings.TrimSpace(name)
	var fronts []string
	for {
		took := false
		for _, t := range frontTitles {
			if strings.HasPrefix(rest, t+" ") {
				fronts = append(fronts, t)
				rest = strings.TrimSpace(rest[len(t):])
				took = true
			}
		}
		if !took {
			break
		}
	}
	if i := strings.IndexByte(rest, ','); i > 0 {
		tail := strings.TrimSpace(rest[i+1:])
		ok := tail != ""
		for _, part := range strings.Split(tail, ",") {
			if part = strings.TrimSpace(part); !strings.Contains(part, ".") || strings.Contains(part, "  ") {
				ok = false
			}
		}
		if ok {
			rest, back = strings.TrimSpace(rest[:i]), tail
		}
	}
	if rest == "" { // a name that is only titles stays as it was
		return "", strings.TrimSpace(name), ""
	}
	return strings.Join(fronts, " "), rest, back
}

// String formats the error for logs: "line 12, NIP: The NIP must be 18 digits.".
func (e RowError) String() string {
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Column, e.Reason.EN)
}
