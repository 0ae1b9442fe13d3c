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

// Canonical column names: the headers Netra writes and documents. The
// SIASN "data utama" export's own names (NIP_BARU, TEMPAT_LAHIR_NAMA,
// KEDUDUKAN_HUKUM_NAMA…) are aliases; where SIASN's name is the clearest
// one (PNS_ID, STATUS_CPNS_PNS, UNOR_NAMA…) it is the canonical name.
const (
	ColNIP          = "NIP"                  // NIP, NI PPPK or, for non-ASN staff, NIK
	ColNIK          = "NIK"                  // 16-digit population number, kept for every employee
	ColPNSID        = "PNS_ID"               // SIASN's own identifier of the person
	ColOldNIP       = "NIP_LAMA"             // the 9-digit NIP of before 2007
	ColName         = "NAMA"                 // name without titles
	ColFrontTitle   = "GELAR_DEPAN"          // titles before the name ("Dr.", "Ir.")
	ColBackTitle    = "GELAR_BELAKANG"       // titles after the name ("S.Pd., M.Si.")
	ColBirthPlace   = "TEMPAT_LAHIR"         // place of birth
	ColBirthDate    = "TANGGAL_LAHIR"        // date of birth
	ColBirth        = "TEMPAT_TANGGAL_LAHIR" // "Palangka Raya, 26-09-1986", read only
	ColSex          = "JENIS_KELAMIN"        // L/P (SIASN: M/F)
	ColType         = "JENIS_PEGAWAI"        // PNS, CPNS, PPPK, PPPK Paruh Waktu, Non-ASN
	ColCPNS         = "STATUS_CPNS_PNS"      // C or P: whether a PNS-type employee is still a CPNS
	ColGolongan     = "GOLONGAN"             // III/a, IV/b… for PNS; I–XVII for PPPK
	ColRankDate     = "TMT_GOLONGAN"         // TMT (start date) of the current rank
	ColPosition     = "JABATAN"              // position name
	ColPositionType = "JENIS_JABATAN"        // JPT Pratama, Administrator, Pengawas, Fungsional, Pelaksana…
	ColEselon       = "ESELON"               // the old eselon of a structural post (II.b, IV.a)
	ColPositionDate = "TMT_JABATAN"          // TMT (start date) of the current position
	ColHead         = "KEPALA_UNIT"          // Ya/Tidak: holds the head post of the unit
	ColEducation    = "PENDIDIKAN"           // highest education level (S-1, D-III…)
	ColUnitCode     = "KODE_UNIT"            // the unit's code in the tenant's tree
	ColUnitPath     = "UNIT_KERJA"           // the unit as a path of names: "Dinas Pendidikan > Bidang SD"
	ColUnitName     = "UNOR_NAMA"            // the unit's own name (a leaf, not a path), as SIASN writes it
	ColParentUnit   = "UNOR_INDUK_NAMA"      // the name of an ancestor of the unit (SIASN: the OPD)
	ColGovName      = "INSTANSI_KERJA_NAMA"
	ColEmail        = "EMAIL"      // the sign-in address
	ColOtherEmail   = "EMAIL_LAIN" // a second address, kept
	ColPhone        = "NO_HP"
	ColStatus       = "STATUS"        // Aktif, CLTN, Tugas Belajar, Pensiun, Pindah keluar…
	ColGovernment   = "KODE_INSTANSI" // Kemendagri code of the employing government ("62.71")
)

// Column describes one roster column.
type Column struct {
	// Name is the canonical header, such as "NIP".
	Name string
	// Desc says what the column holds, in Indonesian and English.
	Desc netra.Message
	// Required columns must be present. KODE_UNIT, UNIT_KERJA and UNOR_NAMA
	// are each optional, but a roster needs at least one of them;
	// JENIS_PEGAWAI may be replaced by STATUS_CPNS_PNS and JENIS_JABATAN by
	// ESELON.
	Required bool
	// Aliases are other headers that mean the same. Headers match ignoring
	// case and everything but letters and digits, so "NIP BARU", "nip_baru"
	// and "Nip.Baru" are one header. A two-level header (a merged "JABATAN"
	// over "NAMA", "TMT", "ESELON") is matched as parent and child joined:
	// "JABATAN TMT".
	Aliases []string
	// Fallbacks are headers used only when neither Name nor an alias is
	// present: SATUAN_KERJA_KERJA_NAMA names the government only when
	// INSTANSI_KERJA_NAMA is absent.
	Fallbacks []string
	// ReadOnly columns are read but not written: Netra writes their parts in
	// columns of their own (TEMPAT_TANGGAL_LAHIR as TEMPAT_LAHIR and
	// TANGGAL_LAHIR).
	ReadOnly bool
}

// Columns lists the roster columns in the order Netra writes them.
var Columns = []Column{
	{Name: ColNIP, Required: true,
		Desc:    netra.Msg("NIP (18 digit) untuk PNS/CPNS, NI PPPK (18 digit) untuk PPPK, NIK (16 digit) untuk pegawai non-ASN.", "NIP (18 digits) for PNS/CPNS, NI PPPK (18 digits) for PPPK, NIK (16 digits) for non-ASN staff."),
		Aliases: []string{"NIP BARU", "NIP_BARU", "NI PPPK", "NIP/NI PPPK", "NIP/NIK", "NOMOR INDUK PEGAWAI", "NIP 18 DIGIT"}},
	{Name: ColNIK,
		Desc:    netra.Msg("NIK (16 digit) dari KTP; bila tidak ada kolom NIP, NIK menjadi pengenal (pegawai non-ASN).", "NIK (16 digits) from the identity card; without a NIP column the NIK is the identifier (non-ASN staff)."),
		Aliases: []string{"NOMOR INDUK KEPENDUDUKAN", "NO KTP", "NOMOR KTP", "NIK KTP"}},
	{Name: ColPNSID,
		Desc:    netra.Msg("PNS_ID dari SIASN.", "SIASN's PNS_ID."),
		Aliases: []string{"PNS ID", "ID PNS", "ID ASN"}},
	{Name: ColOldNIP,
		Desc:    netra.Msg("NIP lama (9 digit, sebelum 2007).", "The old NIP (9 digits, before 2007)."),
		Aliases: []string{"NIP LAMA", "NIP 9 DIGIT"}},
	{Name: ColName, Required: true,
		Desc:    netra.Msg("Nama tanpa gelar.", "Name without titles."),
		Aliases: []string{"NAMA LENGKAP", "NAMA PEGAWAI", "NAMA ASN"}},
	{Name: ColFrontTitle,
		Desc:    netra.Msg("Gelar di depan nama (Dr., Ir., dr.).", "Titles before the name (Dr., Ir., dr.)."),
		Aliases: []string{"GELAR DEPAN"}},
	{Name: ColBackTitle,
		Desc:    netra.Msg("Gelar di belakang nama (S.Pd., M.Si.).", "Titles after the name (S.Pd., M.Si.)."),
		Aliases: []string{"GELAR BELAKANG"}},
	{Name: ColBirthPlace,
		Desc:    netra.Msg("Tempat lahir.", "Place of birth."),
		Aliases: []string{"TEMPAT_LAHIR_NAMA", "TEMPAT LAHIR", "TMP LAHIR", "TEMPAT/TANGGAL LAHIR TEMPAT", "TEMPAT TANGGAL LAHIR TEMPAT", "KELAHIRAN TEMPAT", "LAHIR TEMPAT"}},
	{Name: ColBirthDate,
		Desc:    netra.Msg("Tanggal lahir (26-09-1986, 1986-09-26, 26 September 1986 atau tanggal Excel); untuk PNS/CPNS tanggal dari NIP yang dipakai.", "Date of birth (26-09-1986, 1986-09-26, 26 September 1986 or an Excel date); for a PNS/CPNS the date in the NIP is used."),
		Aliases: []string{"TANGGAL LAHIR", "TGL LAHIR", "TGL_LAHIR", "TANGGAL_LAHIR_PNS", "TEMPAT/TANGGAL LAHIR TANGGAL", "TEMPAT TANGGAL LAHIR TANGGAL", "TEMPAT/TANGGAL LAHIR TGL", "KELAHIRAN TANGGAL", "LAHIR TANGGAL", "LAHIR TGL"}},
	{Name: ColBirth, ReadOnly: true,
		Desc:    netra.Msg("Tempat dan tanggal lahir dalam satu sel (Palangka Raya, 26-09-1986), seperti di DUK; dipakai bila TEMPAT_LAHIR dan TANGGAL_LAHIR kosong.", "Place and date of birth in one cell (Palangka Raya, 26-09-1986), as DUK sheets have it; used when TEMPAT_LAHIR and TANGGAL_LAHIR are empty."),
		Aliases: []string{"TEMPAT/TANGGAL LAHIR", "TEMPAT/TGL LAHIR", "TEMPAT TGL LAHIR", "TEMPAT, TANGGAL LAHIR", "TTL", "TEMPAT DAN TANGGAL LAHIR"}},
	{Name: ColSex,
		Desc:    netra.Msg("Jenis kelamin: L/P (Laki-laki/Perempuan; SIASN menulis M/F); untuk PNS/CPNS digit ke-15 NIP yang dipakai.", "Sex: L/P (Laki-laki/Perempuan; SIASN writes M/F); for a PNS/CPNS the 15th digit of the NIP is used."),
		Aliases: []string{"JENIS KELAMIN", "JK", "L/P", "KELAMIN", "JENIS_KELAMIN_NAMA"}},
	{Name: ColType, Required: true,
		Desc:    netra.Msg("Jenis pegawai: PNS, CPNS, PPPK, PPPK Paruh Waktu atau Non-ASN (juga nilai SIASN: PNS DAERAH KAB/KOTA, PNS PUSAT, PPPK Penuh Waktu…).", "Employment type: PNS, CPNS, PPPK, PPPK Paruh Waktu (part-time) or Non-ASN (also SIASN's values: PNS DAERAH KAB/KOTA, PNS PUSAT, PPPK Penuh Waktu…)."),
		Aliases: []string{"JENIS PEGAWAI", "JENIS_PEGAWAI_NAMA", "JENIS KEPEGAWAIAN", "STATUS KEPEGAWAIAN", "JENIS ASN"}},
	{Name: ColCPNS,
		Desc:    netra.Msg("C (CPNS) atau P (PNS), seperti di SIASN; menentukan CPNS atau PNS bila JENIS_PEGAWAI hanya menyebut PNS.", "C (CPNS) or P (PNS), as SIASN writes it; decides CPNS or PNS when JENIS_PEGAWAI only says PNS."),
		Aliases: []string{"STATUS CPNS/PNS", "STATUS CPNS PNS", "CPNS/PNS", "STATUS PNS"}},
	{Name: ColGolongan,
		Desc:    netra.Msg("Golongan ruang PNS (III/a … IV/e) atau golongan PPPK (I … XVII); kosong untuk non-ASN.", "PNS rank (III/a … IV/e) or PPPK salary group (I … XVII); empty for non-ASN staff."),
		Aliases: []string{"GOL", "GOL/RUANG", "GOL RUANG", "GOLONGAN RUANG", "GOLONGAN/RUANG", "PANGKAT/GOL", "PANGKAT GOLONGAN", "GOL AKHIR", "GOL_AKHIR_NAMA", "GOLONGAN TERAKHIR", "PANGKAT GOL/RUANG", "PANGKAT GOLONGAN RUANG", "PANGKAT GOLONGAN/RUANG", "PANGKAT/GOL RUANG"}},
	{Name: ColRankDate,
		Desc:    netra.Msg("TMT golongan (tanggal mulai berlaku pangkat terakhir).", "TMT of the rank (the date the current rank took effect)."),
		Aliases: []string{"TMT GOLONGAN", "TMT GOL", "TMT PANGKAT", "TMT GOL AKHIR", "PANGKAT TMT", "GOLONGAN TMT", "GOL TMT", "PANGKAT/GOL TMT", "PANGKAT GOL RUANG TMT", "GOL/RUANG TMT"}},
	{Name: ColPosition,
		Desc:    netra.Msg("Nama jabatan (Kepala Bidang Sekolah Dasar, Guru Ahli Muda).", "Position name (Kepala Bidang Sekolah Dasar, Guru Ahli Muda)."),
		Aliases: []string{"NAMA JABATAN", "JABATAN TERAKHIR", "JABATAN NAMA", "JABATAN_NAMA"}},
	{Name: ColPositionType, Required: true,
		Desc:    netra.Msg("Jenis jabatan: JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional atau Pelaksana (juga Struktural dengan ESELON, JFT, JFU, eselon lama).", "Position type: JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional or Pelaksana (also Struktural with ESELON, JFT, JFU, the old eselon)."),
		Aliases: []string{"JENIS JABATAN", "JENIS_JABATAN_NAMA", "TIPE JABATAN", "KATEGORI JABATAN", "JABATAN JENIS"}},
	{Name: ColEselon,
		Desc:    netra.Msg("Eselon jabatan struktural (I.a … V.a, atau kode SIASN 11 … 51); menentukan jenis jabatan bila JENIS_JABATAN kosong, Struktural atau Administrasi.", "Eselon of a structural post (I.a … V.a, or SIASN's codes 11 … 51); decides the position type when JENIS_JABATAN is empty, Struktural or Administrasi."),
		Aliases: []string{"ESELON_NAMA", "ESELON JABATAN", "JABATAN ESELON", "ESELON ID", "ESELON_ID"}},
	{Name: ColPositionDate,
		Desc:    netra.Msg("TMT jabatan (tanggal mulai memangku jabatan sekarang).", "TMT of the position (the date the current position began)."),
		Aliases: []string{"TMT JABATAN", "TMT JAB", "JABATAN TMT"}},
	{Name: ColHead,
		Desc:    netra.Msg("Ya bila pegawai memegang jabatan kepala unitnya; bila kolom tidak ada, disimpulkan dari nama jabatan (Kepala …, Camat, Lurah, Sekretaris …).", "Ya (yes) when the employee holds the head post of their unit; without this column it is inferred from the position name (Kepala …, Camat, Lurah, Sekretaris …)."),
		Aliases: []string{"KEPALA UNIT", "KEPALA", "PIMPINAN UNIT"}},
	{Name: ColEducation,
		Desc:    netra.Msg("Tingkat pendidikan terakhir (SMA, D-III, S-1/Sarjana…).", "Highest education level (SMA, D-III, S-1/Sarjana…)."),
		Aliases: []string{"TINGKAT_PENDIDIKAN_NAMA", "TINGKAT PENDIDIKAN", "PENDIDIKAN TERAKHIR", "JENJANG PENDIDIKAN", "PENDIDIKAN TINGKAT", "PENDIDIKAN TINGKAT IJAZAH", "PENDIDIKAN JENJANG"}},
	{Name: ColUnitCode,
		Desc:    netra.Msg("Kode unit kerja dalam struktur organisasi (wajib bila UNIT_KERJA dan UNOR_NAMA kosong).", "Code of the work unit in the organisation tree (required when UNIT_KERJA and UNOR_NAMA are empty)."),
		Aliases: []string{"KODE UNIT", "KODE UNIT KERJA", "KODE UNOR"}},
	{Name: ColUnitPath,
		Desc:    netra.Msg("Unit kerja sebagai jalur nama, dipisah '>' (Dinas Pendidikan > Bidang SD).", "Work unit as a path of names separated by '>' (Dinas Pendidikan > Bidang SD)."),
		Aliases: []string{"UNIT KERJA", "NAMA UNIT KERJA", "UNIT ORGANISASI", "NAMA UNIT", "JALUR UNIT"}},
	{Name: ColUnitName,
		Desc:    netra.Msg("Nama unit kerja itu sendiri (bukan jalur), seperti di SIASN; dicari dalam struktur organisasi pemerintah daerah.", "The work unit's own name (not a path), as SIASN writes it; looked up in the government's organisation tree."),
		Aliases: []string{"UNOR NAMA", "NAMA UNOR", "UNOR"}},
	{Name: ColParentUnit,
		Desc:    netra.Msg("Nama unit induk (perangkat daerah) untuk membedakan nama unit yang sama.", "Name of the parent unit (the agency), to tell apart units of the same name."),
		Aliases: []string{"UNOR INDUK", "UNOR INDUK NAMA", "NAMA UNOR INDUK", "UNIT INDUK"}},
	{Name: ColGovName,
		Desc:      netra.Msg("Nama instansi (PEMERINTAH KOTA PALANGKA RAYA).", "Name of the government (PEMERINTAH KOTA PALANGKA RAYA)."),
		Aliases:   []string{"INSTANSI KERJA NAMA", "INSTANSI KERJA", "NAMA INSTANSI", "INSTANSI"},
		Fallbacks: []string{"SATUAN_KERJA_KERJA_NAMA", "SATUAN KERJA NAMA", "SATUAN KERJA", "SATKER"}},
	{Name: ColEmail,
		Desc:      netra.Msg("Alamat e-mail untuk masuk (sebaiknya e-mail kantor); bila ada EMAIL dan EMAIL_GOV, EMAIL_GOV yang dipakai dan EMAIL disimpan sebagai e-mail lain.", "Sign-in e-mail address (preferably the office one); with both EMAIL and EMAIL_GOV, EMAIL_GOV is used and EMAIL kept as the other address."),
		Aliases:   []string{"E-MAIL", "ALAMAT EMAIL"},
		Fallbacks: []string{"EMAIL PRIBADI"}},
	{Name: ColOtherEmail,
		Desc:    netra.Msg("E-mail lain yang disimpan (biasanya e-mail pribadi).", "Another e-mail address, kept (usually the personal one)."),
		Aliases: []string{"EMAIL LAIN", "E-MAIL LAIN"}},
	{Name: ColPhone,
		Desc:    netra.Msg("Nomor ponsel (08…).", "Mobile number (08…)."),
		Aliases: []string{"NO HP", "NOMOR HP", "NO HANDPHONE", "NOMOR HANDPHONE", "HP", "NO TELP", "NO TELEPON", "NOMOR TELEPON", "TELEPON", "NO WA", "NOMOR WA"}},
	{Name: ColStatus,
		Desc:    netra.Msg("Kedudukan hukum: Aktif (bawaan bila kosong), CLTN, Tugas Belajar, Pemberhentian Sementara, Masa Persiapan Pensiun, Pindah keluar, Pensiun, Diberhentikan, Meninggal dunia.", "Legal status: Aktif (active, the default when empty), CLTN, Tugas Belajar (study leave), Pemberhentian Sementara (temporarily dismissed), Masa Persiapan Pensiun (pre-retirement), Pindah keluar, Pensiun, Diberhentikan, Meninggal dunia."),
		Aliases: []string{"STATUS PEGAWAI", "KEDUDUKAN", "KEDUDUKAN HUKUM", "KEDUDUKAN_HUKUM_NAMA", "KEDUDUKAN PEGAWAI", "STATUS AKTIF"}},
	{Name: ColGovernment,
		Desc:    netra.Msg("Kode Kemendagri pemerintah daerah pemberi kerja (62.71); hanya untuk berkas yang mencakup banyak pemerintah daerah.", "Kemendagri code of the employing government (62.71); only for files that span several governments."),
		Aliases: []string{"KODE INSTANSI", "KODE PEMDA", "KODE KEMENDAGRI"}},
}

// govEmail are the headers of a government e-mail column: beside a plain
// EMAIL column it is the sign-in address, and the plain one is kept as
// EMAIL_LAIN (SIASN exports both EMAIL and EMAIL_GOV).
var govEmail = []string{"EMAIL_GOV", "EMAIL GOV", "EMAIL KANTOR", "EMAIL DINAS", "EMAIL INSTANSI", "EMAIL RESMI"}

// numCols is len(Columns); Row and Reader index columns by position in Columns.
const numCols = 31

// Positions of the columns in Columns.
const (
	iNIP = iota
	iNIK
	iPNSID
	iOldNIP
	iName
	iFrontTitle
	iBackTitle
	iBirthPlace
	iBirthDate
	iBirth
	iSex
	iType
	iCPNS
	iGolongan
	iRankDate
	iPosition
	iPositionType
	iEselon
	iPositionDate
	iHead
	iEducation
	iUnitCode
	iUnitPath
	iUnitName
	iParentUnit
	iGovName
	iEmail
	iOtherEmail
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
// or an alias, 1 for a fallback, -1 for a government e-mail header, which
// outranks a plain EMAIL); ok is false for a header Netra ignores.
func match(header string) (col, rank int, ok bool) {
	k := headerKey(header)
	if k == "" {
		return 0, 0, false
	}
	for _, a := range govEmail {
		if headerKey(a) == k {
			return iEmail, -1, true
		}
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
	NIK          string
	PNSID        string
	OldNIP       string
	Name         string
	FrontTitle   string
	BackTitle    string
	BirthPlace   string
	BirthDate    string
	Birth        string
	Sex          string
	Type         string
	CPNS         string
	Golongan     string
	RankDate     string
	Position     string
	PositionType string
	Eselon       string
	PositionDate string
	Head         string
	Education    string
	UnitCode     string
	UnitPath     string
	UnitName     string
	ParentUnit   string
	GovName      string
	Email        string
	OtherEmail   string
	Phone        string
	Status       string
	Government   string
}

// field returns a pointer to the row's field for column i of Columns.
func (r *Row) field(i int) *string {
	switch i {
	case iNIP:
		return &r.NIP
	case iNIK:
		return &r.NIK
	case iPNSID:
		return &r.PNSID
	case iOldNIP:
		return &r.OldNIP
	case iName:
		return &r.Name
	case iFrontTitle:
		return &r.FrontTitle
	case iBackTitle:
		return &r.BackTitle
	case iBirthPlace:
		return &r.BirthPlace
	case iBirthDate:
		return &r.BirthDate
	case iBirth:
		return &r.Birth
	case iSex:
		return &r.Sex
	case iType:
		return &r.Type
	case iCPNS:
		return &r.CPNS
	case iGolongan:
		return &r.Golongan
	case iRankDate:
		return &r.RankDate
	case iPosition:
		return &r.Position
	case iPositionType:
		return &r.PositionType
	case iEselon:
		return &r.Eselon
	case iPositionDate:
		return &r.PositionDate
	case iHead:
		return &r.Head
	case iEducation:
		return &r.Education
	case iUnitCode:
		return &r.UnitCode
	case iUnitPath:
		return &r.UnitPath
	case iUnitName:
		return &r.UnitName
	case iParentUnit:
		return &r.ParentUnit
	case iGovName:
		return &r.GovName
	case iEmail:
		return &r.Email
	case iOtherEmail:
		return &r.OtherEmail
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
