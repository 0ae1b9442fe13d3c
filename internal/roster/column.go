// Package roster reads and writes employee rosters: the CSV and XLSX exports
// of the national personnel system (SIASN) and of regional personnel
// agencies, one row per employee.
//
// A Reader accepts the column names real exports use (see Columns) and yields
// raw rows with their line numbers; ParseRow turns a row into a
// netra.Employee and a list of per-cell problems in Indonesian and English;
// WriteErrorsCSV writes those problems as a report an operator can open in a
// spreadsheet. Synthetic rosters come from internal/synth.
package roster

import (
	"strings"

	"github.com/netra-id/netra"
)

// Canonical column names: the headers Netra writes and documents.
const (
	ColNIP          = "NIP"            // NIP, NI PPPK or, for non-ASN staff, NIK
	ColName         = "NAMA"           // name without titles
	ColFrontTitle   = "GELAR_DEPAN"    // titles before the name ("Dr.", "Ir.")
	ColBackTitle    = "GELAR_BELAKANG" // titles after the name ("S.Pd., M.Si.")
	ColType         = "JENIS_PEGAWAI"  // PNS, CPNS, PPPK, PPPK Paruh Waktu, Non-ASN
	ColGolongan     = "GOLONGAN"       // III/a, IV/b… for PNS; I–XVII for PPPK
	ColPosition     = "JABATAN"        // position name
	ColPositionType = "JENIS_JABATAN"  // JPT Pratama, Administrator, Pengawas, Fungsional, Pelaksana…
	ColUnitCode     = "KODE_UNIT"      // the unit's code in the tenant's tree
	ColUnitPath     = "UNIT_KERJA"     // the unit as a path of names: "Dinas Pendidikan > Bidang SD"
	ColEmail        = "EMAIL"
	ColPhone        = "NO_HP"
	ColStatus       = "STATUS"        // Aktif, Pensiun, Pindah keluar…
	ColGovernment   = "KODE_INSTANSI" // Kemendagri code of the employing government ("62.71")
)

// Column describes one roster column.
type Column struct {
	// Name is the canonical header, such as "NIP".
	Name string
	// Desc says what the column holds, in Indonesian and English.
	Desc netra.Message
	// Required columns must be present. KODE_UNIT and UNIT_KERJA are each
	// optional, but a roster needs at least one of them.
	Required bool
	// Aliases are other headers that mean the same. Headers match ignoring
	// case and everything but letters and digits, so "NIP BARU", "nip_baru"
	// and "Nip.Baru" are one header.
	Aliases []string
	// Fallbacks are headers used only when neither Name nor an alias is
	// present: real exports carry NIK next to NIP, and ESELON next to JENIS
	// JABATAN, and the first must win.
	Fallbacks []string
}

// Columns lists the roster columns in the order Netra writes them. The
// header "UNOR INDUK" is deliberately not an alias of UNIT_KERJA: it names the
// parent agency, and taking it for the employee's unit would put everyone at
// the top of their agency.
var Columns = []Column{
	{Name: ColNIP, Required: true,
		Desc:      netra.Msg("NIP (18 digit) untuk PNS/CPNS, NI PPPK (18 digit) untuk PPPK, NIK (16 digit) untuk pegawai non-ASN.", "NIP (18 digits) for PNS/CPNS, NI PPPK (18 digits) for PPPK, NIK (16 digits) for non-ASN staff."),
		Aliases:   []string{"NIP BARU", "NIP_BARU", "NI PPPK", "NIP/NI PPPK", "NIP/NIK", "NOMOR INDUK PEGAWAI"},
		Fallbacks: []string{"NIK"}},
	{Name: ColName, Required: true,
		Desc:    netra.Msg("Nama tanpa gelar.", "Name without titles."),
		Aliases: []string{"NAMA LENGKAP", "NAMA PEGAWAI", "NAMA ASN"}},
	{Name: ColFrontTitle,
		Desc:    netra.Msg("Gelar di depan nama (Dr., Ir., dr.).", "Titles before the name (Dr., Ir., dr.)."),
		Aliases: []string{"GELAR DEPAN"}},
	{Name: ColBackTitle,
		Desc:    netra.Msg("Gelar di belakang nama (S.Pd., M.Si.).", "Titles after the name (S.Pd., M.Si.)."),
		Aliases: []string{"GELAR BELAKANG"}},
	{Name: ColType, Required: true,
		Desc:    netra.Msg("Jenis pegawai: PNS, CPNS, PPPK, PPPK Paruh Waktu atau Non-ASN.", "Employment type: PNS, CPNS, PPPK, PPPK Paruh Waktu (part-time) or Non-ASN."),
		Aliases: []string{"JENIS PEGAWAI", "JENIS KEPEGAWAIAN", "STATUS KEPEGAWAIAN", "JENIS ASN", "STATUS CPNS/PNS"}},
	{Name: ColGolongan,
		Desc:    netra.Msg("Golongan ruang PNS (III/a … IV/e) atau golongan PPPK (I … XVII); kosong untuk non-ASN.", "PNS rank (III/a … IV/e) or PPPK salary group (I … XVII); empty for non-ASN staff."),
		Aliases: []string{"GOL", "GOL/RUANG", "GOL RUANG", "GOLONGAN RUANG", "GOLONGAN/RUANG", "PANGKAT/GOL", "PANGKAT GOLONGAN", "GOL AKHIR", "GOLONGAN TERAKHIR"}},
	{Name: ColPosition,
		Desc:    netra.Msg("Nama jabatan (Kepala Bidang Sekolah Dasar, Guru Ahli Muda).", "Position name (Kepala Bidang Sekolah Dasar, Guru Ahli Muda)."),
		Aliases: []string{"NAMA JABATAN", "JABATAN TERAKHIR", "JABATAN NAMA"}},
	{Name: ColPositionType, Required: true,
		Desc:      netra.Msg("Jenis jabatan: JPT Utama, JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional atau Pelaksana (atau eselon lama).", "Position type: JPT Utama, JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional or Pelaksana (or the old eselon)."),
		Aliases:   []string{"JENIS JABATAN", "TIPE JABATAN", "KATEGORI JABATAN"},
		Fallbacks: []string{"ESELON"}},
	{Name: ColUnitCode,
		Desc:    netra.Msg("Kode unit kerja dalam struktur organisasi (wajib bila UNIT_KERJA kosong).", "Code of the work unit in the organisation tree (required when UNIT_KERJA is empty)."),
		Aliases: []string{"KODE UNIT", "KODE UNIT KERJA", "KODE UNOR", "UNOR ID", "ID UNOR"}},
	{Name: ColUnitPath,
		Desc:    netra.Msg("Unit kerja sebagai jalur nama, dipisah '>' (Dinas Pendidikan > Bidang SD); wajib bila KODE_UNIT kosong.", "Work unit as a path of names separated by '>' (Dinas Pendidikan > Bidang SD); required when KODE_UNIT is empty."),
		Aliases: []string{"UNIT KERJA", "NAMA UNIT KERJA", "UNOR", "UNOR NAMA", "NAMA UNOR", "UNIT ORGANISASI", "NAMA UNIT"}},
	{Name: ColEmail,
		Desc:      netra.Msg("Alamat e-mail (sebaiknya e-mail kantor).", "E-mail address (preferably the office one)."),
		Aliases:   []string{"E-MAIL", "EMAIL KANTOR", "EMAIL GOV", "ALAMAT EMAIL"},
		Fallbacks: []string{"EMAIL PRIBADI"}},
	{Name: ColPhone,
		Desc:    netra.Msg("Nomor ponsel (08…).", "Mobile number (08…)."),
		Aliases: []string{"NO HP", "NOMOR HP", "NO HANDPHONE", "NOMOR HANDPHONE", "HP", "NO TELP", "NO TELEPON", "NOMOR TELEPON", "TELEPON", "NO WA", "NOMOR WA"}},
	{Name: ColStatus,
		Desc:    netra.Msg("Status pegawai: Aktif (bawaan bila kosong), Pindah keluar, Pensiun, Diberhentikan, Meninggal dunia.", "Employee status: Aktif (active, the default when empty), Pindah keluar, Pensiun, Diberhentikan, Meninggal dunia."),
		Aliases: []string{"STATUS PEGAWAI", "KEDUDUKAN", "KEDUDUKAN HUKUM", "STATUS AKTIF"}},
	{Name: ColGovernment,
		Desc:    netra.Msg("Kode Kemendagri pemerintah daerah pemberi kerja (62.71); hanya untuk berkas yang mencakup banyak pemerintah daerah.", "Kemendagri code of the employing government (62.71); only for files that span several governments."),
		Aliases: []string{"KODE INSTANSI", "KODE PEMDA", "KODE KEMENDAGRI"}},
}

// numCols is len(Columns); Row and Reader index columns by position in Columns.
const numCols = 14

// Positions of the columns in Columns.
const (
	iNIP = iota
	iName
	iFrontTitle
	iBackTitle
	iType
	iGolongan
	iPosition
	iPositionType
	iUnitCode
	iUnitPath
	iEmail
	iPhone
	iStatus
	iGovernment
)

// headerKey reduces a header to what matching looks at: upper-case letters
// and digits. "No. HP", "NO_HP" and "no hp" all become "NOHP".
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// match says which column a header means and at which rank (0 for the name
// or an alias, 1 for a fallback); ok is false for a header Netra ignores.
func match(header string) (col, rank int, ok bool) {
	k := headerKey(header)
	if k == "" {
		return 0, 0, false
	}
	for i, c := range Columns {
		if headerKey(c.Name) == k {
			return i, 0, true
		}
		for _, a := range c.Aliases {
			if headerKey(a) == k {
				return i, 0, true
			}
		}
		for _, a := range c.Fallbacks {
			if headerKey(a) == k {
				return i, 1, true
			}
		}
	}
	return 0, 0, false
}

// Row is one employee row as read from a roster: the trimmed text of each
// canonical column ("" when the column is absent or the cell empty) and the
// 1-based line in the file where the row starts (the row number in XLSX).
type Row struct {
	Line         int
	NIP          string
	Name         string
	FrontTitle   string
	BackTitle    string
	Type         string
	Golongan     string
	Position     string
	PositionType string
	UnitCode     string
	UnitPath     string
	Email        string
	Phone        string
	Status       string
	Government   string
}

// field returns a pointer to the row's field for column i of Columns.
func (r *Row) field(i int) *string {
	switch i {
	case iNIP:
		return &r.NIP
	case iName:
		return &r.Name
	case iFrontTitle:
		return &r.FrontTitle
	case iBackTitle:
		return &r.BackTitle
	case iType:
		return &r.Type
	case iGolongan:
		return &r.Golongan
	case iPosition:
		return &r.Position
	case iPositionType:
		return &r.PositionType
	case iUnitCode:
		return &r.UnitCode
	case iUnitPath:
		return &r.UnitPath
	case iEmail:
		return &r.Email
	case iPhone:
		return &r.Phone
	case iStatus:
		return &r.Status
	case iGovernment:
		return &r.Government
	}
	panic("roster: column index out of range")
}

// Value returns the cell of the canonical column named col ("NIP",
// "GOLONGAN"…), and "" for an unknown name.
func (r *Row) Value(col string) string {
	for i, c := range Columns {
		if c.Name == col {
			return *r.field(i)
		}
	}
	return ""
}
